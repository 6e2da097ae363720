// Shared-file edge cases: what the AWS CLI v2 and mwaatok each read from the
// same config file. The table is the documentation; the test checks both
// columns (the AWS CLI's against /usr/bin/aws when it is installed).
#include <boost/test/unit_test.hpp>

#include "sandbox.h"

using namespace mwaatok::e2e;

namespace {

/// `configure get region` as one word: the value (lines joined by '|'),
/// "(unset)" (exit 1, nothing printed) or "(error)" (an error message).
struct Edge {
	const char *what;
	const char *config;
	EnvMap env;
	const char *cliV2;   ///< what the AWS CLI v2 reads
	const char *mwaatok; ///< what mwaatok reads
	const char *why;     ///< why they differ, when they do
};

// clang-format off
const Edge kEdges[] = {
	{"indented comment line after a value", "[default]\nregion = eu-west-1\n  # comment\n", {}, "eu-west-1", "eu-west-1", ""},
	{"indented key right after the section header", "[default]\n  region = eu-west-1\n", {}, "eu-west-1", "eu-west-1", ""},
	{"tab-indented key after the header", "[default]\n\tregion = eu-west-1\n", {}, "eu-west-1", "eu-west-1", ""},
	{"AWS_PROFILE beats AWS_DEFAULT_PROFILE", "[profile a]\nregion = eu-west-1\n[profile b]\nregion = us-west-2\n",
	 {{"AWS_PROFILE", "a"}, {"AWS_DEFAULT_PROFILE", "b"}}, "eu-west-1", "eu-west-1", ""},
	{"[profile default] beats [default]", "[default]\nregion = eu-west-1\n[profile default]\nregion = us-west-2\n", {},
	 "us-west-2", "us-west-2", ""},
	{"spaces inside the section brackets after `profile`", "[profile   sp  ]\nregion = eu-west-1\n", {{"AWS_PROFILE", "sp"}},
	 "eu-west-1", "eu-west-1", ""},
	{"key names are case-insensitive", "[default]\nRegion = eu-west-1\n", {}, "eu-west-1", "eu-west-1", ""},
	{"an indented line continues the value", "[default]\nregion = eu-west-1\n  continued\n", {}, "eu-west-1|continued",
	 "eu-west-1|continued", ""},
	{"# without whitespace before it is part of the value", "[default]\nregion=eu-west-1#x\n", {}, "eu-west-1#x",
	 "eu-west-1#x", ""},
	{"comment after a section header", "[default] # comment\nregion = eu-west-1\n", {}, "eu-west-1", "eu-west-1", ""},
	{"empty value", "[default]\nregion = \n", {}, "", "", ""},
	{"property before any section", "region = eu-west-1\n[default]\n", {}, "(error)", "(error)", ""},
	{"inline # comment after whitespace", "[default]\nregion = eu-west-1 # c\n", {}, "eu-west-1 # c", "eu-west-1",
	 "mwaatok follows the cross-SDK profile file rules (comments after whitespace end a value)"},
	{"inline ; comment after whitespace", "[default]\nregion = eu-west-1 ;c\n", {}, "eu-west-1 ;c", "eu-west-1",
	 "as above"},
	{"duplicate key in a section", "[default]\nregion = eu-west-1\nregion = us-west-2\n", {}, "(error)", "us-west-2",
	 "the cross-SDK rules keep the last value; the CLI's parser refuses the file"},
	{"the same section twice", "[default]\nregion = eu-west-1\n[default]\noutput = json\n", {}, "(error)", "eu-west-1",
	 "the cross-SDK rules merge the sections; the CLI's parser refuses the file"},
	{"spaces around the section name", "[ default ]\nregion = eu-west-1\n", {}, "(unset)", "eu-west-1",
	 "the cross-SDK rules trim the name; the CLI reads a profile called ` default `"},
	{"colon instead of =", "[default]\nregion: eu-west-1\n", {}, "eu-west-1", "(error)",
	 "the cross-SDK rules know only `=`; mwaatok names the line"},
};
// clang-format on

std::string word(const RunResult &r)
{
	if (r.status == 0) {
		std::string v = r.out;
		while (!v.empty() && v.back() == '\n')
			v.pop_back();
		for (auto &c : v)
			if (c == '\n')
				c = '|';
		return v;
	}
	std::string err = r.err;
	return err.find_first_not_of(" \n") == std::string::npos ? "(unset)" : "(error)";
}

} // namespace

BOOST_AUTO_TEST_CASE(shared_file_edge_cases_mwaatok_column)
{
	for (const auto &e : kEdges) {
		Sandbox box;
		box.config(e.config);
		auto r = box.run({ "configure", "get", "region" }, e.env);
		BOOST_TEST(word(r) == e.mwaatok, e.what << "\n" << describe(r));
	}
}

BOOST_AUTO_TEST_CASE(shared_file_edge_cases_aws_cli_column)
{
	const std::string aws = awsCli();
	if (aws.empty()) {
		BOOST_TEST_MESSAGE("skipped: no working AWS CLI (/usr/bin/aws or aws on PATH)");
		return;
	}
	for (const auto &e : kEdges) {
		Sandbox box;
		box.config(e.config);
		EnvMap env = box.env;
		for (const auto &[k, v] : e.env)
			env[k] = v;
		auto r = runProgram(aws, { "configure", "get", "region" }, env, "", 60);
		BOOST_TEST(word(r) == e.cliV2, e.what << "\n" << describe(r));
	}
}
