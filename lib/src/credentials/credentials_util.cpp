#include "credentials/credentials_util.h"

#include "core/strings.h"
#include "mwaatok/credential_provider.h"
#include "mwaatok/error.h"
#include "mwaatok/filesystem.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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

std::optional<std::string> readFileCapped(const std::string &path, size_t max)
{
	int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return std::nullopt;
		throw Error(ErrorKind::Io, "cannot read " + path + ": " + std::strerror(errno));
	}
	struct stat st {};
	if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		::close(fd);
		throw Error(ErrorKind::Io, "cannot read " + path + ": it is a directory");
	}
	// Blocking reads from here on (a FIFO opened without a writer would otherwise read as empty).
	::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	std::string content;
	char buf[65536];
	for (;;) {
		ssize_t n = ::read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			::close(fd);
			throw Error(ErrorKind::Io, "cannot read " + path + ": " + std::strerror(e));
		}
		if (n == 0)
			break;
		content.append(buf, static_cast<size_t>(n));
		if (content.size() > max) {
			::close(fd);
			throw FileTooLarge(ErrorKind::Io, path + " holds more than " + std::to_string(max >> 10) +
								  " KiB, more than such a file can be");
		}
	}
	::close(fd);
	return content;
}

std::optional<std::string> readCapped(const FileSystem &fs, const std::string &path, size_t max,
				      const std::string &what, ErrorKind kind)
{
	std::optional<std::string> text;
	bool tooLarge = false;
	try {
		if (dynamic_cast<const SystemFileSystem *>(&fs))
			text = readFileCapped(path, max);
		else
			text = fs.read(path);
	} catch (const FileTooLarge &) {
		tooLarge = true;
	}
	if (tooLarge || (text && text->size() > max))
		throw Error(kind, what + " " + path + " holds more than " + std::to_string(max >> 10) +
					  " KiB: point the setting at the right file");
	return text;
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
