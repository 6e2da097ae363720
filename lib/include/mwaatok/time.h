#pragma once

// The one time module: dates as text, on C++20 chrono. RFC 3339 (ISO 8601
// extended, "2024-05-01T12:00:00Z"), ISO 8601 basic ("20240501T120000Z", as
// SigV4 wants it) and the HTTP Date header, parsed and formatted for every
// year from 0000 to 9999. Parsing yields seconds (std::chrono::sys_seconds,
// which holds any such year); toTimePoint() says whether a time also fits
// system_clock::time_point, whose nanoseconds end in 2262.
//
// The formatting functions are inline: the plugin API (output_plugin.h) uses
// them, and plugin modules call nothing in libmwaatok.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace mwaatok::time {

using TimePoint = std::chrono::system_clock::time_point;
using Seconds = std::chrono::sys_seconds;

namespace detail {

inline void putDigits(std::string &out, long long value, int width)
{
	std::string digits = std::to_string(value < 0 ? -value : value);
	if (value < 0)
		out += '-';
	if (static_cast<int>(digits.size()) < width)
		out.append(static_cast<size_t>(width) - digits.size(), '0');
	out += digits;
}

/// Year, month, day, hours, minutes, seconds of \a t (UTC).
inline void split(Seconds t, long long &y, unsigned &mo, unsigned &d, long long &h, long long &mi, long long &s)
{
	using namespace std::chrono;
	auto day = floor<days>(t);
	year_month_day ymd{ day };
	hh_mm_ss hms{ t - day };
	y = static_cast<int>(ymd.year());
	mo = static_cast<unsigned>(ymd.month());
	d = static_cast<unsigned>(ymd.day());
	h = hms.hours().count();
	mi = hms.minutes().count();
	s = hms.seconds().count();
}

inline std::string format(Seconds t, bool basic, std::string_view zone)
{
	long long y, h, mi, s;
	unsigned mo, d;
	split(t, y, mo, d, h, mi, s);
	std::string out;
	out.reserve(26);
	putDigits(out, y, 4);
	if (!basic)
		out += '-';
	putDigits(out, mo, 2);
	if (!basic)
		out += '-';
	putDigits(out, d, 2);
	out += 'T';
	putDigits(out, h, 2);
	if (!basic)
		out += ':';
	putDigits(out, mi, 2);
	if (!basic)
		out += ':';
	putDigits(out, s, 2);
	out += zone;
	return out;
}

} // namespace detail

/// \a t to the second.
inline Seconds toSeconds(TimePoint t)
{
	return std::chrono::floor<std::chrono::seconds>(t);
}

/// RFC 3339 in UTC to the second: "2024-05-01T12:00:00Z".
inline std::string formatRfc3339(Seconds t)
{
	return detail::format(t, false, "Z");
}
inline std::string formatRfc3339(TimePoint t)
{
	return formatRfc3339(toSeconds(t));
}

/// RFC 3339 with a numeric UTC offset, as the AWS CLI writes expirations:
/// "2024-05-01T12:00:00+00:00".
inline std::string formatRfc3339Offset(TimePoint t)
{
	return detail::format(toSeconds(t), false, "+00:00");
}

/// ISO 8601 basic in UTC: "20240501T120000Z" (X-Amz-Date).
inline std::string formatIsoBasic(TimePoint t)
{
	return detail::format(toSeconds(t), true, "Z");
}

/// RFC 3339 / ISO 8601 extended: date, 'T' (or 't' or a space), time,
/// optional fraction (dropped), then 'Z' or a ±hh:mm offset; surrounding
/// spaces are ignored. nullopt for anything else.
std::optional<Seconds> parseRfc3339(std::string_view text);

/// ISO 8601 basic, exactly "YYYYMMDDTHHMMSSZ"; nullopt otherwise.
std::optional<Seconds> parseIsoBasic(std::string_view text);

/// An HTTP date (RFC 9110 IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT", or a
/// numeric offset in place of GMT); nullopt otherwise.
std::optional<Seconds> parseHttpDate(std::string_view text);

/// \a t as a system_clock time, or nullopt when it is outside the years
/// system_clock can count (about 1678 to 2261).
std::optional<TimePoint> toTimePoint(Seconds t);

} // namespace mwaatok::time
