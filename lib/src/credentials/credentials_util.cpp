#include "credentials/credentials_util.h"

#include "core/strings.h"
#include "mwaatok/credential_provider.h"
#include "mwaatok/error.h"
#include "mwaatok/filesystem.h"
#include "mwaatok/time.h"

#include <cstdio>

#include <Poco/Exception.h>

namespace mwaatok::detail {

std::optional<TimePoint> parseTimestamp(std::string_view s)
{
	auto t = time::parseRfc3339(s);
	if (!t)
		return std::nullopt;
	if (auto point = time::toTimePoint(*t))
		return point;
	// Later expirations (some services say 9999-12-31) are kept as the latest time there is.
	if (t->time_since_epoch() > std::chrono::seconds(0))
		return TimePoint::max() - std::chrono::hours(24 * 366);
	return std::nullopt;
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

std::string pythonJsonString(std::string_view s)
{
	std::string out = "\"";
	char buf[32];
	for (size_t i = 0; i < s.size();) {
		unsigned char c = static_cast<unsigned char>(s[i]);
		if (c < 0x80) {
			std::string q = jsonQuote(std::string_view(&s[i], 1));
			out += q.substr(1, q.size() - 2);
			++i;
			continue;
		}
		int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
		unsigned long cp = c & (len == 4 ? 0x07 : len == 3 ? 0x0F : 0x1F);
		for (int k = 1; k < len && i + k < s.size(); ++k)
			cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
		i += static_cast<size_t>(len);
		if (cp >= 0x10000) {
			cp -= 0x10000;
			std::snprintf(buf, sizeof buf, "\\u%04lx\\u%04lx", (0xD800 + (cp >> 10)) & 0xFFFF,
				      (0xDC00 + (cp & 0x3FF)) & 0xFFFF);
		} else {
			std::snprintf(buf, sizeof buf, "\\u%04lx", cp);
		}
		out += buf;
	}
	return out + "\"";
}

std::optional<std::string> readCapped(const FileSystem &fs, const std::string &path, size_t max,
				      const std::string &what, ErrorKind kind)
{
	try {
		return fs.readCapped(path, max);
	} catch (const FileTooLarge &) {
		throw Error(kind, what + " " + path + " holds more than " + std::to_string(max >> 10) +
					  " KiB: point the setting at the right file");
	}
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
