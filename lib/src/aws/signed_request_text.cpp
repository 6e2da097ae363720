// A signed request as text, secrets redacted: --debug and `request --dry-run`.
#include "mwaatok/aws_client.h"

namespace mwaatok {

std::string describeSignedRequest(const HttpRequest &sent, const sigv4::SigningOutput &stages,
				  const Credentials &credentials, std::string_view heading)
{
	auto redact = [&](std::string text) {
		for (const std::string *secret : { &credentials.secretAccessKey, &credentials.sessionToken,
						   &stages.signature }) {
			if (secret->empty())
				continue;
			for (size_t p; (p = text.find(*secret)) != std::string::npos;)
				text.replace(p, secret->size(), "** redacted **");
		}
		return text;
	};
	std::string out;
	out += "# canonical request\n" + redact(stages.canonicalRequest) + "\n\n";
	out += "# string to sign\n" + redact(stages.stringToSign) + "\n\n";
	Url u = Url::parse(sent.url);
	out += "# " + std::string(heading) + "\n" + sent.method + " " + u.target() + " HTTP/1.1\n";
	for (const auto &h : sent.headers)
		out += h.name + ": " + redact(h.value) + "\n";
	if (!sent.body.empty() || sent.method == "POST" || sent.method == "PUT" || sent.method == "PATCH")
		out += "Content-Length: " + std::to_string(sent.body.size()) + "\n";
	out += "\n";
	if (!sent.body.empty())
		out += sent.body + "\n";
	return redact(out);
}

} // namespace mwaatok
