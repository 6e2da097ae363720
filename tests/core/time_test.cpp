// The time module: RFC 3339, ISO 8601 basic and HTTP dates, every year a
// credential can carry.
#include <boost/test/unit_test.hpp>

#include "mwaatok/time.h"

using namespace mwaatok;
using namespace std::chrono;

namespace {

time::Seconds at(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0)
{
	return sys_days(year_month_day{ year(y), month(mo), day(d) }) + hours(h) + minutes(mi) + seconds(s);
}

} // namespace

BOOST_AUTO_TEST_SUITE(time_module)

BOOST_AUTO_TEST_CASE(rfc3339_round_trips_over_every_year)
{
	for (int y : { 1, 1970, 2024, 2261, 2262, 2500, 9999 }) {
		BOOST_TEST_CONTEXT(y)
		{
			auto t = at(y, 2, 29 - (y % 4 != 0), 23, 59, 58);
			auto text = time::formatRfc3339(t);
			auto back = time::parseRfc3339(text);
			BOOST_REQUIRE(back.has_value());
			BOOST_TEST((*back == t));
		}
	}
	BOOST_TEST(time::formatRfc3339(at(2024, 5, 1, 12)) == "2024-05-01T12:00:00Z");
	BOOST_TEST(time::formatRfc3339Offset(system_clock::time_point(at(2024, 5, 1, 12))) ==
		   "2024-05-01T12:00:00+00:00");
	BOOST_TEST(time::formatRfc3339(at(9999, 12, 31, 23, 59, 59)) == "9999-12-31T23:59:59Z");
}

BOOST_AUTO_TEST_CASE(rfc3339_forms_the_sdks_accept)
{
	auto noon = at(2024, 5, 1, 12);
	for (const char *text : { "2024-05-01T12:00:00Z", "2024-05-01t12:00:00z", "2024-05-01 12:00:00Z",
				  "2024-05-01T12:00:00.123456Z", "2024-05-01T14:00:00+02:00",
				  "2024-05-01T09:30:00-02:30", "  2024-05-01T12:00:00Z\n" }) {
		auto t = time::parseRfc3339(text);
		BOOST_TEST((t && *t == noon), text);
	}
	for (const char *bad : { "", "2024-05-01", "2024-05-01T12:00:00", "2024-05-01T12:00:00+0200",
				 "2024-13-01T12:00:00Z", "2024-02-30T12:00:00Z", "2024-05-01T24:00:00Z",
				 "2024-05-01T12:00:00Zjunk", "20240501T120000Z", "2024-05-01T12:00:00+24:00" })
		BOOST_TEST(!time::parseRfc3339(bad).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(iso_basic)
{
	auto t = system_clock::time_point(at(2015, 8, 30, 12, 36));
	BOOST_TEST(time::formatIsoBasic(t) == "20150830T123600Z");
	auto back = time::parseIsoBasic("20150830T123600Z");
	BOOST_TEST((back && *back == at(2015, 8, 30, 12, 36)));
	for (const char *bad : { "20150830T123600", "2015-08-30T12:36:00Z", "20151330T123600Z", "20150830T123660Z" })
		BOOST_TEST(!time::parseIsoBasic(bad).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(http_dates)
{
	auto t = time::parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT");
	BOOST_TEST((t && *t == at(1994, 11, 6, 8, 49, 37)));
	auto offset = time::parseHttpDate("Sun, 06 Nov 1994 09:49:37 +0100");
	BOOST_TEST((offset && *offset == at(1994, 11, 6, 8, 49, 37)));
	for (const char *bad : { "", "06 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
				 "Sun, 06 Nov 1994 08:49 GMT", "Sun, 31 Feb 1994 08:49:37 GMT", "yesterday" })
		BOOST_TEST(!time::parseHttpDate(bad).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(time_points_end_in_2262)
{
	BOOST_TEST(time::toTimePoint(at(2261, 12, 31)).has_value());
	BOOST_TEST(!time::toTimePoint(at(2263, 1, 1)).has_value());
	BOOST_TEST(!time::toTimePoint(at(1600, 1, 1)).has_value());
	auto now = floor<seconds>(system_clock::now());
	BOOST_TEST((time::toTimePoint(now) == system_clock::time_point(now)));
}

BOOST_AUTO_TEST_SUITE_END()
