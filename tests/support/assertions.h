#pragma once

// Assertion helpers shared by the Boost.Test suites.

#include <boost/test/unit_test.hpp>

#include <string>

#include "mwaatok/error.h"

namespace mwaatok::test {

/// The message of the mwaatok::Error that \a f throws; fails the test (and
/// returns "no error thrown") when it throws none.
template <typename F>
std::string errorOf(F &&f)
{
	try {
		f();
	} catch (const Error &e) {
		return e.what();
	}
	BOOST_ERROR("no error thrown");
	return "no error thrown";
}

/// The same, and the error must be of \a kind (otherwise the test fails and
/// the result starts with "wrong kind: ").
template <typename F>
std::string errorOf(F &&f, ErrorKind kind)
{
	try {
		f();
	} catch (const Error &e) {
		BOOST_TEST((e.kind() == kind), "error kind of: " << e.what());
		if (e.kind() != kind)
			return std::string("wrong kind: ") + e.what();
		return e.what();
	}
	BOOST_ERROR("no error thrown");
	return "no error thrown";
}

/// Whether \a s holds \a part.
inline bool contains(const std::string &s, const std::string &part)
{
	return s.find(part) != std::string::npos;
}

} // namespace mwaatok::test
