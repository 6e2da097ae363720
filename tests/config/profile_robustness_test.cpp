#include <boost/test/unit_test.hpp>

#include <random>

#include "mwaatok/environment_profile.h"
#include "mwaatok/error.h"

#include "config_test_support.h"

using namespace mwaatok;
using test::plugins;

namespace {

/// Feeds \a text to both entry points: parse may only throw Error(Config),
/// check may not throw at all.
void feed(const std::string &text)
{
	try {
		parseProfile(text, "fuzz.yaml", plugins);
	} catch (const Error &e) {
		BOOST_TEST_REQUIRE((e.kind() == ErrorKind::Config), "wrong error kind for: " << text);
	} catch (const std::exception &e) {
		BOOST_FAIL("non-mwaatok exception '" << e.what() << "' for: " << text);
	}
	try {
		checkProfileText(text, "fuzz.yaml", plugins);
	} catch (const std::exception &e) {
		BOOST_FAIL("check threw '" << e.what() << "' for: " << text);
	}
}

} // namespace

BOOST_AUTO_TEST_CASE(random_bytes_never_crash)
{
	std::mt19937 rng(20240611); // fixed seed: a failure is reproducible
	std::uniform_int_distribution<int> byte(0, 255), length(0, 200);
	for (int i = 0; i < 3000; ++i) {
		std::string text(static_cast<size_t>(length(rng)), '\0');
		for (char &c : text)
			c = static_cast<char>(byte(rng));
		feed(text);
	}
}

BOOST_AUTO_TEST_CASE(mutated_profiles_never_crash)
{
	const std::string seed = test::slurp(test::dataPath("complete.yaml"));
	BOOST_TEST_REQUIRE(!seed.empty());
	const std::string tokens[] = { ":", "-", "[", "]", "{", "}", "\n", "  ", "&a ", "*a", "!!int ", "? ",
				       "'", "\"", "#", "|", ">", "---\n", "\t", "~", ",", "%YAML 1.2\n", "\\" };
	std::mt19937 rng(7);
	for (int i = 0; i < 2500; ++i) {
		std::string text = seed;
		int edits = 1 + static_cast<int>(rng() % 6);
		for (int k = 0; k < edits && !text.empty(); ++k) {
			size_t at = rng() % text.size();
			switch (rng() % 4) {
			case 0: text.erase(at, 1 + rng() % 8); break;
			case 1: text.insert(at, tokens[rng() % std::size(tokens)]); break;
			case 2: text[at] = static_cast<char>(rng() % 256); break;
			default: text.insert(at, text.substr(rng() % text.size(), rng() % 40)); break;
			}
		}
		feed(text);
	}
}

BOOST_AUTO_TEST_CASE(hostile_documents_are_errors)
{
	feed(std::string(100000, '[') + std::string(100000, ']'));
	feed(std::string(100000, '{'));
	feed("a: &a [*a]\n");
	feed("environments:\n  prod: *nowhere\n");
	// "Billion laughs": aliases are shared nodes, never expanded by the loader.
	std::string laughs = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
	for (int i = 1; i < 10; ++i)
		laughs += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [" +
			  std::string("*l" + std::to_string(i - 1) + ", ") + "*l" + std::to_string(i - 1) + "]\n";
	feed(laughs);
	feed("environments:\n  prod:\n    tags: *x\n");
	feed(std::string("environments:\n  a: {name: \0b}\n", 29));
}
