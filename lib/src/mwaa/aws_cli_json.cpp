// MWAA answers printed the way the AWS CLI prints them.
#include "mwaatok/aws_cli_json.h"

#include "mwaatok/text.h"

namespace mwaatok {

std::string formatWebLoginTokenJson(const WebLoginToken &token)
{
	std::string out = "{\n";
	bool first = true;
	auto member = [&](const char *name, const std::string &value) {
		if (value.empty())
			return;
		out += first ? "" : ",\n";
		out += std::string("    \"") + name + "\": " + jsonQuote(value);
		first = false;
	};
	member("WebToken", token.webToken);
	member("WebServerHostname", token.webServerHostname);
	member("IamIdentity", token.iamIdentity);
	member("AirflowIdentity", token.airflowIdentity);
	out += "\n}\n";
	return out;
}

} // namespace mwaatok
