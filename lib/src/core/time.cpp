#include "mwaatok/time.h"

#include "core/strings.h"

namespace mwaatok::time {

namespace {

using namespace std::chrono;

/// Reads \a n digits at \a pos.
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

/// The instant of a civil date and time, or nullopt for an impossible one
/// (a leap second, 60, counts as the next second, as the SDKs read it).
std::optional<Seconds> civil(int y, int mo, int d, int h, int mi, int s)
{
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
		return std::nullopt;
	year_month_day ymd{ year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d)) };
	if (!ymd.ok())
		return std::nullopt;
	return sys_days(ymd) + hours(h) + minutes(mi) + seconds(s);
}

} // namespace

std::optional<Seconds> parseRfc3339(std::string_view s)
{
	s = trim(s);
	int y, mo, d, h, mi, sec;
	if (s.size() < 20 || !digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
	    !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s, 11, 2, h) ||
	    s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, sec))
		return std::nullopt;
	size_t pos = 19;
	if (s[pos] == '.') {
		++pos;
		while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9')
			++pos;
	}
	seconds offset{ 0 };
	if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
		++pos;
	} else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
		int oh, om;
		if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
		    !digits(s, pos + 4, 2, om) || oh > 23 || om > 59)
			return std::nullopt;
		offset = (hours(oh) + minutes(om)) * (s[pos] == '-' ? -1 : 1);
		pos += 6;
	} else {
		return std::nullopt;
	}
	if (pos != s.size())
		return std::nullopt;
	auto t = civil(y, mo, d, h, mi, sec);
	if (!t)
		return std::nullopt;
	return *t - offset;
}

std::optional<Seconds> parseIsoBasic(std::string_view s)
{
	int y, mo, d, h, mi, sec;
	if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z' || !digits(s, 0, 4, y) || !digits(s, 4, 2, mo) ||
	    !digits(s, 6, 2, d) || !digits(s, 9, 2, h) || !digits(s, 11, 2, mi) || !digits(s, 13, 2, sec) ||
	    sec > 59)
		return std::nullopt;
	return civil(y, mo, d, h, mi, sec);
}

std::optional<Seconds> parseHttpDate(std::string_view s)
{
	static constexpr std::string_view months = "JanFebMarAprMayJunJulAugSepOctNovDec";
	s = trim(s);
	// "Sun, 06 Nov 1994 08:49:37 GMT"
	auto comma = s.find(", ");
	if (comma == std::string_view::npos || comma < 3)
		return std::nullopt;
	s.remove_prefix(comma + 2);
	int d, y, h, mi, sec;
	size_t pos = 0;
	if (!digits(s, 0, 2, d)) {
		if (!digits(s, 0, 1, d))
			return std::nullopt;
		pos = 1;
	} else {
		pos = 2;
	}
	if (s.size() < pos + 22 || s[pos] != ' ' || s[pos + 4] != ' ')
		return std::nullopt;
	auto m = months.find(s.substr(pos + 1, 3));
	if (m == std::string_view::npos || m % 3 != 0)
		return std::nullopt;
	pos += 5;
	if (!digits(s, pos, 4, y) || s[pos + 4] != ' ' || !digits(s, pos + 5, 2, h) || s[pos + 7] != ':' ||
	    !digits(s, pos + 8, 2, mi) || s[pos + 10] != ':' || !digits(s, pos + 11, 2, sec) || s[pos + 13] != ' ')
		return std::nullopt;
	std::string_view zone = s.substr(pos + 14);
	seconds offset{ 0 };
	if (zone != "GMT" && zone != "UTC" && zone != "UT" && zone != "Z") {
		int oh, om;
		if (zone.size() != 5 || (zone[0] != '+' && zone[0] != '-') || !digits(zone, 1, 2, oh) ||
		    !digits(zone, 3, 2, om) || oh > 23 || om > 59)
			return std::nullopt;
		offset = (hours(oh) + minutes(om)) * (zone[0] == '-' ? -1 : 1);
	}
	auto t = civil(y, static_cast<int>(m / 3 + 1), d, h, mi, sec);
	if (!t)
		return std::nullopt;
	return *t - offset;
}

std::optional<TimePoint> toTimePoint(Seconds t)
{
	constexpr auto limit = duration_cast<seconds>(TimePoint::duration::max());
	if (t.time_since_epoch() >= limit || t.time_since_epoch() <= -limit)
		return std::nullopt;
	return TimePoint(t);
}

} // namespace mwaatok::time
