// Hostile or unusual input to the credential code: huge files, far-future
// expirations, credentials that are nearly expired, malformed container URIs.
#include <boost/test/unit_test.hpp>

#include "mwaatok/profile_file.h"
#include "test_support.h"

#include <atomic>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

using namespace mwaatok;
using namespace mwaatok::test;
using namespace std::chrono_literals;

namespace {

class ShortLived final : public CredentialProvider {
public:
	ShortLived(Clock &clock, std::atomic<int> &calls) : clock_(clock), calls_(calls) {}
	std::string_view name() const override { return "short"; }
	std::optional<Credentials> resolve(std::string &) override
	{
		++calls_;
		Credentials c;
		c.accessKeyId = "AKID" + std::to_string(calls_.load());
		c.secretAccessKey = "s";
		c.expiration = clock_.now() + 3min; // inside the 5-minute refresh window already
		c.source = "test";
		return c;
	}

private:
	Clock &clock_;
	std::atomic<int> &calls_;
};

} // namespace

BOOST_AUTO_TEST_CASE(expirations_after_2261_are_accepted)
{
	auto t = detail::parseTimestamp("9999-12-31T23:59:59Z");
	BOOST_REQUIRE(t.has_value());
	BOOST_TEST(epochSeconds(*t) > epochSeconds(*detail::parseTimestamp("2261-01-01T00:00:00Z")));
	BOOST_TEST(detail::parseTimestamp("2262-06-01T00:00:00Z").has_value());
	BOOST_TEST(!detail::parseTimestamp("0001-01-01T00:00:00Z").has_value()); // before 1678: not a real expiry

	Seams s;
	s.env.set("AWS_ACCESS_KEY_ID", "AKID");
	s.env.set("AWS_SECRET_ACCESS_KEY", "secret");
	s.env.set("AWS_CREDENTIAL_EXPIRATION", "3000-01-01T00:00:00Z");
	std::string why;
	auto c = makeEnvironmentProvider(s.context())->resolve(why);
	BOOST_REQUIRE(c.has_value());
	BOOST_TEST(c->expiration.has_value());
}

BOOST_AUTO_TEST_CASE(nearly_expired_credentials_are_fetched_once_per_run)
{
	FixedClock clock = FixedClock::fromSeconds(1000000);
	std::atomic<int> calls{0};
	CredentialsCache cache(clock, [&](const std::optional<std::string> &) {
		return std::make_unique<ShortLived>(clock, calls);
	});
	for (int i = 0; i < 100; ++i)
		BOOST_TEST(cache.get(std::nullopt).accessKeyId == "AKID1");
	clock.advance(2min + 59s);
	BOOST_TEST(cache.get(std::nullopt).accessKeyId == "AKID1");
	BOOST_TEST(calls.load() == 1);
	clock.advance(2s); // now they have expired: fetch again
	BOOST_TEST(cache.get(std::nullopt).accessKeyId == "AKID2");
}

BOOST_AUTO_TEST_CASE(relative_uri_must_start_with_a_slash)
{
	MapEnvironment env;
	env.set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "@evil.example/creds");
	try {
		containerCredentialsUrl(env);
		BOOST_FAIL("a relative URI without / was accepted");
	} catch (const Error &e) {
		BOOST_TEST(e.kind() == ErrorKind::Credentials);
		BOOST_TEST(std::string(e.what()).find("must start with `/`") != std::string::npos, e.what());
	}
	env.set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/x");
	BOOST_TEST(containerCredentialsUrl(env).value() == "http://169.254.170.2/v2/credentials/x");
}

BOOST_AUTO_TEST_CASE(cache_files_are_written_whole_private_and_never_through_a_link)
{
	char tmpl[] = "/tmp/mwaatok-write-XXXXXX";
	BOOST_REQUIRE(mkdtemp(tmpl) != nullptr);
	const std::string dir = tmpl;
	SystemFileSystem real;
	// Missing directories are made 0700, the file 0600; a second write replaces the first.
	const std::string path = dir + "/a/b/c.json";
	real.writePrivate(path, "first");
	real.writePrivate(path, "second");
	BOOST_TEST(real.read(path).value_or("") == "second");
	struct stat st {};
	BOOST_REQUIRE(::stat(path.c_str(), &st) == 0);
	BOOST_TEST((st.st_mode & 0777) == 0600u);
	BOOST_REQUIRE(::stat((dir + "/a/b").c_str(), &st) == 0);
	BOOST_TEST((st.st_mode & 0777) == 0700u);
	// A symbolic link in the file's place is refused, and its target keeps its content.
	real.writePrivate(dir + "/target", "kept");
	BOOST_REQUIRE(::symlink((dir + "/target").c_str(), (dir + "/link").c_str()) == 0);
	try {
		real.writePrivate(dir + "/link", "lost");
		BOOST_FAIL("wrote through a symbolic link");
	} catch (const Error &e) {
		BOOST_TEST(e.kind() == ErrorKind::Io);
		BOOST_TEST(contains(e.what(), "cannot write " + dir + "/link: it is a symbolic link"), e.what());
	}
	BOOST_TEST(real.read(dir + "/target").value_or("") == "kept");
	// No temporary file is left behind.
	size_t entries = 0;
	for ([[maybe_unused]] const auto &e : std::filesystem::directory_iterator(dir))
		++entries;
	BOOST_TEST(entries == 3u); // a, target, link
	std::filesystem::remove_all(dir);

	// In memory, the same call writes to memory; a read-only file system refuses.
	MapFileSystem memory;
	memory.writePrivate("/home/x", "y");
	BOOST_TEST(memory.read("/home/x").value_or("") == "y");
	class ReadOnly final : public FileSystem {
		std::optional<std::string> read(const std::string &) const override { return std::nullopt; }
	} readOnly;
	BOOST_CHECK_THROW(readOnly.writePrivate("/home/x", "y"), Error);
}

BOOST_AUTO_TEST_CASE(huge_files_are_refused_with_a_clear_error)
{
	SystemFileSystem real;
	BOOST_CHECK_THROW(real.readCapped("/dev/zero", 1 << 16), FileTooLarge);
	BOOST_TEST(!real.readCapped("/nonexistent/file", 10).has_value());
	// The same cap over in-memory files.
	MapFileSystem memory;
	memory.write("/big", std::string(11, 'x'));
	BOOST_CHECK_THROW(memory.readCapped("/big", 10), FileTooLarge);
	BOOST_TEST(memory.readCapped("/big", 11).value() == std::string(11, 'x'));

	// The shared config file read from the real file system, pointed at /dev/zero.
	MapEnvironment env;
	env.set("AWS_CONFIG_FILE", "/dev/zero");
	try {
		SharedConfig::load(env, real, std::nullopt);
		BOOST_FAIL("/dev/zero was read as a config file");
	} catch (const Error &e) {
		BOOST_TEST(e.kind() == ErrorKind::Config);
		BOOST_TEST(std::string(e.what()) ==
			   "the shared config file /dev/zero holds more than 4096 KiB: point the setting at the right file");
	}

	Seams s;
	s.env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:1/creds");
	s.env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/token");
	s.fs.write("/token", std::string((1 << 20) + 1, 'x'));
	std::string why;
	try {
		makeContainerProvider(s.context())->resolve(why);
		BOOST_FAIL("a 1 MiB token was sent");
	} catch (const Error &e) {
		BOOST_TEST(e.kind() == ErrorKind::Credentials);
		BOOST_TEST(std::string(e.what()).find("holds more than 1024 KiB") != std::string::npos, e.what());
	}
	BOOST_TEST(s.http.received().empty());
}

BOOST_AUTO_TEST_CASE(profile_files_as_the_aws_cli_v2_reads_them)
{
	// An indented comment after a value is a comment; an indented key right
	// after a section header is a key (the CLI v2's configparser does both).
	auto f = parseIni("[default]\n  region = eu-west-1\naws_access_key_id = AKID\n  # indented comment\n"
			  "  ; another\naws_secret_access_key = s\n",
			  "/c");
	BOOST_REQUIRE(f.sections.size() == 1u);
	const auto &p = f.sections[0].properties;
	BOOST_REQUIRE(p.size() == 3u);
	BOOST_TEST(p[0].name == "region");
	BOOST_TEST(p[0].value == "eu-west-1");
	BOOST_TEST(p[1].value == "AKID");
	BOOST_TEST(p[2].value == "s");
	BOOST_CHECK_THROW(parseIni("[default]\n  continued\n", "/c"), Error);
}

BOOST_AUTO_TEST_CASE(container_credentials_retry_only_within_the_deadline)
{
	const std::string url = "http://127.0.0.1:9/creds";
	// Without a deadline a 500 is tried three times, a second apart (botocore).
	{
		Seams s;
		s.env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", url);
		for (int i = 0; i < 3; ++i)
			s.http.expect("GET", url, 500, "{}");
		std::string why;
		BOOST_CHECK_THROW(makeContainerProvider(s.context())->resolve(why), Error);
		BOOST_TEST(s.http.received().size() == 3u);
	}
	// A deadline (--timeout) that ends before the pause leaves no retry.
	{
		Seams s;
		s.env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", url);
		s.http.expect("GET", url, 500, "{}");
		DeadlineScope scope(std::chrono::steady_clock::now() + 500ms);
		std::string why;
		try {
			makeContainerProvider(s.context())->resolve(why);
			BOOST_FAIL("a failing container endpoint gave credentials");
		} catch (const Error &e) {
			BOOST_TEST(e.kind() == ErrorKind::Credentials);
			BOOST_TEST(std::string(e.what()).find("http 500") != std::string::npos, e.what());
		}
		BOOST_TEST(s.http.received().size() == 1u);
	}
}
