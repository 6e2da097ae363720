// The browser path in a real browser: headless Chromium opens the redirect
// page that `mwaatok open` hands the browser and the links of the HTML file
// output, and lands on the login URL at the web server (the local emulator
// over TLS, the web server's host mapped to it with --host-resolver-rules and
// its certificate trusted by its SPKI hash), fragment and token included.
// Skipped, and counted so, where /usr/bin/chromium is absent.
#define BOOST_TEST_MODULE browser
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <regex>
#include <thread>

#include "../e2e/support.h"

using namespace mwaatok::e2e;
namespace utf = boost::unit_test;

namespace {

const char *const kChromium = "/usr/bin/chromium";

boost::test_tools::assertion_result haveChromium(utf::test_unit_id)
{
	boost::test_tools::assertion_result ok(fileExists(kChromium));
	if (!ok)
		ok.message() << kChromium << " is not installed (Debian: chromium)";
	return ok;
}

/// base64(SHA-256(SubjectPublicKeyInfo)) of the emulator's certificate, as
/// Chromium's --ignore-certificate-errors-spki-list wants it.
std::string emulatorSpkiHash()
{
	auto r = runProgram("/bin/sh",
			    { "-c", "openssl x509 -pubkey -noout -in \"$1\" | openssl pkey -pubin -outform der | "
				    "openssl dgst -sha256 -binary | base64",
			      "sh", testData("emulator/server.pem") },
			    { { "PATH", "/usr/bin:/bin" } }, "", 30);
	BOOST_REQUIRE_MESSAGE(r.status == 0, r.err);
	std::string hash = r.out.substr(0, r.out.find('\n'));
	BOOST_REQUIRE(hash.size() == 44u);
	return hash;
}

/// An emulator over TLS with a request log, and a workspace that trusts it.
struct TlsWorkspace : Workspace {
	TlsWorkspace()
	{
		env["AWS_CA_BUNDLE"] = testData("emulator/ca.pem");
		std::filesystem::create_directory(path("run"));
		std::filesystem::permissions(path("run"), std::filesystem::perms::owner_all);
		env["XDG_RUNTIME_DIR"] = path("run");
	}
	std::string log = path("emulator-log.json");
	Emulator emu{ emulatorArgs({ "--tls-cert", testData("emulator/server.pem"), "--tls-key",
				     testData("emulator/server-key.pem"), "--log", log }) };

	/// The DOM of \a url after headless Chromium loaded it and ran its scripts.
	std::string dumpDom(const std::string &url) const
	{
		static const std::string spki = emulatorSpkiHash();
		TempDir profile;
		auto r = runProgram(kChromium,
				    { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
				      "--user-data-dir=" + profile.path(),
				      "--host-resolver-rules=MAP *.airflow.amazonaws.com 127.0.0.1:" +
					      std::to_string(emu.port()),
				      "--ignore-certificate-errors-spki-list=" + spki, "--virtual-time-budget=10000",
				      "--dump-dom", url },
				    { { "PATH", "/usr/bin:/bin" }, { "HOME", profile.path() } }, "", 120);
		BOOST_TEST(r.status == 0, r.err);
		return r.out;
	}

	/// What the emulator's login page says about where it was opened.
	static std::string landedAt(const std::string &dom, const char *what)
	{
		std::smatch m;
		if (!std::regex_search(dom, m, std::regex(std::string("<p id=\"mwaa-login-") + what + "\">([^<]*)</p>")))
			return "";
		return m[1];
	}
};

/// "&amp;" and friends in an attribute or text back to characters.
std::string htmlUnescape(std::string s)
{
	for (auto [entity, c] : { std::pair{ "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" }, { "&#39;", "'" },
				  { "&amp;", "&" } }) {
		for (size_t at; (at = s.find(entity)) != std::string::npos;)
			s.replace(at, std::string(entity).size(), c);
	}
	return s;
}

} // namespace

BOOST_AUTO_TEST_SUITE(chromium, *utf::precondition(haveChromium))

BOOST_FIXTURE_TEST_CASE(redirect_page_lands_on_the_login_url_with_its_fragment, TlsWorkspace)
{
	// A "browser" that records the page it was given: mwaatok runs it detached.
	const std::string argvFile = path("browser-argv.txt");
	env["BROWSER"] = dir.write("browser.sh", "#!/bin/sh\nprintf '%s\\n' \"$@\" >" + argvFile + ".tmp && mv " +
							 argvFile + ".tmp " + argvFile + "\n",
				   0700);
	auto r = run(against(emu, { "url", "bravo", "-o", "browser", "-o", "print" }));
	BOOST_TEST_REQUIRE(r.status == 0, r.err);
	BOOST_REQUIRE(matches(r.out, loginUrlOf("bravo", 3) + "\n"));
	const std::string url = r.out.substr(0, r.out.size() - 1);
	const std::string fragment = url.substr(url.find('#'));
	for (int i = 0; i < 100 && !fileExists(argvFile); ++i)
		std::this_thread::sleep_for(std::chrono::milliseconds(100));
	auto argv = lines(readFile(argvFile));
	BOOST_REQUIRE_EQUAL(argv.size(), 1u);

	std::string dom = dumpDom("file://" + argv[0]);
	BOOST_TEST(landedAt(dom, "href") == url, dom);
	BOOST_TEST(landedAt(dom, "hash") == fragment, dom);
	// The web server got the page, at the web server's host, but never the
	// fragment (the token).
	auto served = loggedRequests(log, "/pluginsv2/aws_mwaa/aws-console-sso");
	BOOST_REQUIRE_EQUAL(served.size(), 1u);
	BOOST_TEST(contains(served[0], "\"host\": \"bravo.c2.us-east-1.airflow.amazonaws.com\""), served[0]);
	BOOST_TEST(!contains(readFile(log), fragment.substr(1)));
}

BOOST_FIXTURE_TEST_CASE(html_file_links_are_clickable, TlsWorkspace)
{
	auto r = run(against(emu, { "url", "alpha", "bravo", "-o", "file:path=" + path("links.html"), "-o", "print" }));
	BOOST_TEST_REQUIRE(r.status == 0, r.err);
	auto urls = lines(r.out);
	BOOST_REQUIRE_EQUAL(urls.size(), 2u);

	// The links as the browser parsed them from the file.
	std::string dom = dumpDom("file://" + path("links.html"));
	std::vector<std::string> hrefs;
	std::regex anchor("<a href=\"([^\"]*)\"");
	for (auto it = std::sregex_iterator(dom.begin(), dom.end(), anchor); it != std::sregex_iterator(); ++it)
		hrefs.push_back(htmlUnescape((*it)[1].str()));
	BOOST_TEST(hrefs == urls, boost::test_tools::per_element());

	// Following one lands on the login page with the token in the fragment.
	BOOST_REQUIRE(!hrefs.empty());
	std::string landed = dumpDom(hrefs[0]);
	BOOST_TEST(landedAt(landed, "href") == urls[0], landed);
	BOOST_TEST(landedAt(landed, "hash") == urls[0].substr(urls[0].find('#')), landed);
}

BOOST_AUTO_TEST_SUITE_END()
