#include "credentials/credentials_util.h"

#include "core/strings.h"
#include "mwaatok/credential_provider.h"
#include "mwaatok/error.h"
#include "mwaatok/time.h"

#include <cstdio>

#include <Poco/Exception.h>

namespace mwaatok::detail {

std::optional<TimePoint> parseTimestamp(std::string_view s)
{
	auto t = time::parseRfc3339(s);
	return t ? time::toTimePoint(*t) : std::nullopt;
}

std::string formatTimestamp(TimePoint t)
{
	return time::formatRfc3339(t);
}

Credentials credentialsFromJson(const Poco::JSON::Object &o, const CredentialFields &fields,
				const std::string &what)
{
	Credentials c;
	c.accessKeyId = jsonString(o, "AccessKeyId");
	c.secretAccessKey = jsonString(o, "SecretAccessKey");
	if (c.accessKeyId.empty())
		throw Error(ErrorKind::Credentials, what + ": the response has no AccessKeyId");
	if (c.secretAccessKey.empty())
		throw Error(ErrorKind::Credentials, what + ": the response has no SecretAccessKey");
	c.sessionToken = jsonString(o, fields.token);
	c.accountId = jsonString(o, "AccountId");
	std::string expiration = jsonString(o, fields.expiration);
	if (!expiration.empty()) {
		c.expiration = parseTimestamp(expiration);
		if (!c.expiration)
			throw Error(ErrorKind::Credentials, what + ": Expiration `" + oneLine(expiration, 40) +
								    "` is not an RFC 3339 timestamp");
	}
	return c;
}

std::string oneLine(std::string_view text, size_t max)
{
	std::string out;
	for (auto line : split(trim(text), '\n')) {
		auto t = trim(line);
		if (t.empty())
			continue;
		if (!out.empty())
			out += "; ";
		out += t;
	}
	if (out.size() > max) {
		out.resize(max);
		out += "...";
	}
	return out;
}

} // namespace mwaatok::detail

namespace mwaatok {

std::string formatExpiry(std::chrono::system_clock::time_point t)
{
	return time::formatRfc3339Offset(t);
}

} // namespace mwaatok
