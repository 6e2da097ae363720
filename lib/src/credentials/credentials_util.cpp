#include "credentials/credentials_util.h"

#include "core/strings.h"
#include "mwaatok/credential_provider.h"
#include "mwaatok/error.h"
#include "mwaatok/filesystem.h"

#include <cstdio>
#include <cstring>

#include <Poco/Exception.h>

namespace mwaatok::detail {

namespace {

// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
long long daysFromCivil(long long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const long long era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = static_cast<unsigned>(y - era * 400);
	const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + static_cast<long long>(doe) - 719468;
}

bool digits(std::string_view s, size_t pos, size_t n, int &out)
{
	if (pos + n > s.size())
		return false;
	out = 0;
	for (size_t i = pos; i < pos + n; ++i) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		out = out * 10 + (s[i] - '0');
	}
	return true;
}

} // namespace

std::optional<TimePoint> parseTimestamp(std::string_view s)
{
	s = trim(s);
	int year, month, day, hour, minute, second;
	if (!digits(s, 0, 4, year) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, month) ||
	    s[7] != '-' || !digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    !digits(s, 11, 2, hour) || s[13] != ':' || !digits(s, 14, 2, minute) || s[16] != ':' ||
	    !digits(s, 17, 2, second))
		return std::nullopt;
	if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
		return std::nullopt;
	size_t pos = 19;
	if (pos < s.size() && s[pos] == '.') {
		++pos;
		while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9')
			++pos;
	}
	long long offset = 0;
	if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
		++pos;
	} else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
		int oh, om;
		if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
		    !digits(s, pos + 4, 2, om))
			return std::nullopt;
		offset = (oh * 3600LL + om * 60LL) * (s[pos] == '-' ? -1 : 1);
		pos += 6;
	} else {
		return std::nullopt;
	}
	if (pos != s.size())
		return std::nullopt;
	long long secs = daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400LL +
			 hour * 3600LL + minute * 60LL + second - offset;
	// system_clock counts nanoseconds on 64 bits: about the years 1678 to 2261.
	constexpr long long limit = std::chrono::duration_cast<std::chrono::seconds>(TimePoint::duration::max()).count();
	// Later expirations (some services say 9999-12-31) are kept as the latest time there is.
	if (secs >= limit)
		return TimePoint::max() - std::chrono::hours(24 * 366);
	if (secs <= -limit)
		return std::nullopt;
	return TimePoint(std::chrono::seconds(secs));
}

std::string formatTimestamp(TimePoint t)
{
	long long secs = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
	long long days = secs / 86400;
	long long rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		--days;
	}
	// civil_from_days (H. Hinnant).
	days += 719468;
	const long long era = (days >= 0 ? days : days - 146096) / 146097;
	const unsigned doe = static_cast<unsigned>(days - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	const unsigned d = doy - (153 * mp + 2) / 5 + 1;
	const unsigned m = mp < 10 ? mp + 3 : mp - 9;
	const long long y = static_cast<long long>(yoe) + era * 400 + (m <= 2);
	char buf[64];
	std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", y, m, d, rem / 3600,
		      (rem / 60) % 60, rem % 60);
	return buf;
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
	std::string s = detail::formatTimestamp(t);
	s.pop_back();
	return s + "+00:00";
}

} // namespace mwaatok
