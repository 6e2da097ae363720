// Where HTTPS trust comes from: --ca-bundle, AWS_CA_BUNDLE, the AWS profile's
// ca_bundle and the system store (SSL_CERT_FILE), each against the emulator over TLS;
// and what `request` puts on the wire (control characters refused, UTF-8 encoded).
#include <boost/test/unit_test.hpp>

#include <fstream>

#include "support.h"

using namespace mwaatok::e2e;

namespace {

/// The emulator over HTTPS with a certificate from tests/data/emulator/ca.pem.
struct TlsEmulatorWorkspace : Workspace {
	Emulator emu{ emulatorArgs({ "--tls-cert", testData("emulator/server.pem"), "--tls-key",
				     testData("emulator/server-key.pem") }) };
	RunResult url(std::vector<std::string> extra = {}) const
	{
		std::vector<std::string> args{ "url", "alpha", "--airflow-version", "2", "--max-attempts", "1" };
		args.insert(args.end(), extra.begin(), extra.end());
		return run(against(emu, args));
	}
};

} // namespace

BOOST_AUTO_TEST_SUITE(trust)

BOOST_FIXTURE_TEST_CASE(ca_bundle_option_is_trusted_and_beats_the_environment, TlsEmulatorWorkspace)
{
	env["AWS_CA_BUNDLE"] = path("no-such.pem");
	auto r = url({ "--ca-bundle", testData("emulator/ca.pem") });
	BOOST_TEST(r.status == 0, r.err);
	BOOST_TEST(r.err == "");
	BOOST_TEST(matches(r.out, loginUrls({ { "alpha", 2 } })), r.out);
}

BOOST_FIXTURE_TEST_CASE(a_bad_ca_bundle_option_is_a_configuration_error, TlsEmulatorWorkspace)
{
	auto r = url({ "--ca-bundle", path("no-such.pem") });
	BOOST_TEST(r.status == 2);
	BOOST_TEST(r.out == "");
	BOOST_TEST(contains(r.err, "cannot read the CA bundle '" + path("no-such.pem") + "' (--ca-bundle)"), r.err);
}

BOOST_FIXTURE_TEST_CASE(the_profiles_ca_bundle_is_trusted, TlsEmulatorWorkspace)
{
	std::ofstream(path("aws-config")) << "[default]\nca_bundle = " << testData("emulator/ca.pem") << "\n";
	auto r = url();
	BOOST_TEST(r.status == 0, r.err);
	BOOST_TEST(matches(r.out, loginUrls({ { "alpha", 2 } })), r.out);
	// AWS_CA_BUNDLE beats it.
	env["AWS_CA_BUNDLE"] = path("no-such.pem");
	auto beaten = url();
	BOOST_TEST(beaten.status == 2);
	BOOST_TEST(contains(beaten.err, "(AWS_CA_BUNDLE)"), beaten.err);
}

BOOST_FIXTURE_TEST_CASE(the_system_store_honours_ssl_cert_file, TlsEmulatorWorkspace)
{
	// An empty hashed directory: the file is the fallback that verifies the chain.
	env["SSL_CERT_DIR"] = dir.path();
	env["SSL_CERT_FILE"] = testData("emulator/ca.pem");
	auto r = url();
	BOOST_TEST(r.status == 0, r.err);
	BOOST_TEST(matches(r.out, loginUrls({ { "alpha", 2 } })), r.out);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(request_wire)

BOOST_FIXTURE_TEST_CASE(control_characters_in_a_header_value_exit_2, EmulatorWorkspace)
{
	auto r = run({ "request", "GET", emu.url() + "/environments", "--region", "us-east-1", "--service",
		       "airflow", "-H", "X-Custom: a\x1b]52;c;aGk=\x07" "b" });
	BOOST_TEST(r.status == 2);
	BOOST_TEST(r.out == "");
	BOOST_TEST(contains(r.err, "header 'X-Custom' has a control character in its value"), r.err);
	BOOST_TEST(!contains(r.err, "\x1b"));
}

BOOST_FIXTURE_TEST_CASE(raw_utf8_in_the_path_is_sent_encoded_and_verifies, EmulatorWorkspace)
{
	// The emulator checks the signature over the path as received, then
	// decodes the name for its message.
	auto r = run({ "request", "GET", emu.url() + "/environments/caf\xc3\xa9", "--region", "us-east-1",
		       "--service", "airflow" });
	BOOST_TEST(r.status == 1);
	BOOST_TEST(contains(r.err, "ValidationException: 1 validation error detected: Value 'caf\xc3\xa9' at 'name'"),
		   r.err);
	auto dry = run({ "request", "GET", emu.url() + "/environments/caf\xc3\xa9", "--region", "us-east-1",
			 "--service", "airflow", "--dry-run" });
	BOOST_TEST(dry.status == 0, dry.err);
	BOOST_TEST(contains(dry.out, "GET /environments/caf%C3%A9 HTTP/1.1\n"), dry.out);
	BOOST_TEST(contains(dry.out, "\n/environments/caf%25C3%25A9\n"), dry.out);
}

BOOST_AUTO_TEST_SUITE_END()
