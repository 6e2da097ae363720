// Trust loaded once and lazily: a CA bundle consulted by subject, the system
// store through its hashed directory with the bundle file as a fallback.
#include <boost/test/unit_test.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "mwaatok/environment.h"
#include "mwaatok/error.h"
#include "mwaatok/poco_http_transport.h"
#include "assertions.h"
#include "fakes.h"
#include "net/ca_index.h"
#include "test_server.h"

using namespace mwaatok;
using namespace nettest;

namespace {

std::string slurp(const std::string &path)
{
	std::ifstream in(path, std::ios::binary);
	std::ostringstream out;
	out << in.rdbuf();
	return out.str();
}

/// PEM of a self-signed CA that issues nothing here.
std::string strangerCaPem(int n)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *cert = X509_new();
	X509_set_version(cert, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(cert), 1000 + n);
	X509_gmtime_adj(X509_getm_notBefore(cert), 0);
	X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
	X509_set_pubkey(cert, key);
	std::string cn = "stranger CA " + std::to_string(n);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC,
				   reinterpret_cast<const unsigned char *>(cn.c_str()), -1, -1, 0);
	X509_set_issuer_name(cert, X509_get_subject_name(cert));
	X509_sign(cert, key, EVP_sha256());
	BIO *bio = BIO_new(BIO_s_mem());
	PEM_write_bio_X509(bio, cert);
	char *data = nullptr;
	long size = BIO_get_mem_data(bio, &data);
	std::string pem(data, static_cast<size_t>(size));
	BIO_free(bio);
	X509_free(cert);
	EVP_PKEY_free(key);
	return pem;
}

/// The test CA's certificate.
X509 *testCaCert()
{
	FILE *f = std::fopen(testCa().caFile().c_str(), "r");
	X509 *cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
	std::fclose(f);
	return cert;
}

/// A fresh empty directory in the test CA's temporary directory.
std::string freshDir(const std::string &name)
{
	std::string dir = testCa().path(name);
	std::filesystem::remove_all(dir);
	std::filesystem::create_directories(dir);
	return dir;
}

TestServer::Handler hello()
{
	return keepAlive([](const std::string &) { return okResponse("trusted"); });
}

} // namespace

BOOST_AUTO_TEST_SUITE(trust)

BOOST_AUTO_TEST_CASE(a_bundle_parses_only_the_ca_that_issued_the_chain)
{
	std::string bundle;
	for (int i = 0; i < 30; ++i)
		bundle += strangerCaPem(i);
	bundle += slurp(testCa().caFile());
	for (int i = 30; i < 40; ++i)
		bundle += "# a comment line\n" + strangerCaPem(i);
	auto index = net::CaIndex::fromPem(bundle);
	X509 *ca = testCaCert();
	auto found = index->find(X509_get_subject_name(ca));
	BOOST_TEST(index->size() == 41u);
	BOOST_REQUIRE(found.size() == 1u);
	BOOST_TEST(X509_cmp(found.front(), ca) == 0);
	BOOST_TEST(index->parsed() == 1u);
	X509_free(ca);

	// And through the transport, from a file.
	std::string file = testCa().path("big-bundle.pem");
	std::ofstream(file) << bundle;
	TestServer server(hello(), testCa().serverContext("DNS:localhost,IP:127.0.0.1"));
	TransportConfig config;
	config.caBundle = file;
	PocoHttpTransport transport(config);
	BOOST_TEST(transport.send(get(server.url())).body == "trusted");
}

BOOST_AUTO_TEST_CASE(a_bundle_is_read_once_from_the_file_opened_at_the_start)
{
	// Strangers first, so the test CA lies beyond what the start reads.
	std::string bundle;
	for (int i = 200; i < 260; ++i)
		bundle += strangerCaPem(i);
	bundle += slurp(testCa().caFile());
	std::string file = testCa().path("replaced-bundle.pem");
	std::ofstream(file) << bundle;
	TestServer server(hello(), testCa().serverContext("DNS:localhost,IP:127.0.0.1"));
	TransportConfig config;
	config.caBundle = file;
	PocoHttpTransport transport(config);
	// Replaced after the start: the transport keeps reading what it opened.
	std::string garbage = testCa().path("garbage-bundle.pem");
	std::ofstream(garbage) << "not a certificate\n";
	std::filesystem::rename(garbage, file);
	BOOST_TEST(transport.send(get(server.url())).body == "trusted");
}

BOOST_AUTO_TEST_CASE(a_bundle_without_the_issuer_is_not_trusted)
{
	std::string file = testCa().path("strangers.pem");
	std::ofstream(file) << strangerCaPem(100) << strangerCaPem(101);
	TestServer server(hello(), testCa().serverContext("DNS:localhost,IP:127.0.0.1"));
	TransportConfig config;
	config.useCaBundle(file, "--ca-bundle");
	PocoHttpTransport transport(config);
	auto e = failureOf(transport, get(server.url()));
	BOOST_TEST((e.failure() == NetworkFailure::Tls));
	BOOST_TEST(contains(e.what(), "check that --ca-bundle ('" + file + "') holds the CA"), e.what());
}

BOOST_AUTO_TEST_CASE(the_system_store_is_read_through_its_hashed_directory)
{
	std::string dir = freshDir("hashed");
	X509 *ca = testCaCert();
	char name[16];
	std::snprintf(name, sizeof name, "%08lx.0", X509_subject_name_hash(ca));
	X509_free(ca);
	std::filesystem::copy_file(testCa().caFile(), dir + "/" + name);
	TestServer server(hello(), testCa().serverContext("DNS:localhost,IP:127.0.0.1"));
	TransportConfig config;
	config.systemCertDir = dir;
	config.systemCertFile = testCa().path("no-such-bundle.pem");
	PocoHttpTransport transport(config);
	BOOST_TEST(transport.send(get(server.url())).body == "trusted");
	BOOST_TEST(server.connections() == 1);
}

BOOST_AUTO_TEST_CASE(the_system_bundle_file_is_read_only_when_the_directory_falls_short)
{
	TestServer server(hello(), testCa().serverContext("DNS:localhost,IP:127.0.0.1"));
	TransportConfig config;
	config.systemCertDir = freshDir("empty-hashed");
	config.systemCertFile = testCa().caFile();
	PocoHttpTransport transport(config);
	BOOST_TEST(transport.send(get(server.url())).body == "trusted");
	// The directory could not verify the chain: one more handshake, with the file.
	BOOST_TEST(server.connections() == 2);
	HttpRequest again = get(server.url());
	again.headers.push_back({ "Connection", "close" });
	BOOST_TEST(transport.send(again).body == "trusted");

	// Neither the directory nor the file: not trusted, and said so.
	TransportConfig neither;
	neither.systemCertDir = freshDir("empty-hashed-2");
	neither.systemCertFile = testCa().path("no-such-bundle.pem");
	PocoHttpTransport untrusting(neither);
	auto e = failureOf(untrusting, get(server.url()));
	BOOST_TEST((e.failure() == NetworkFailure::Tls));
	BOOST_TEST(contains(e.what(), "set AWS_CA_BUNDLE"));
}

BOOST_AUTO_TEST_CASE(ssl_cert_variables_and_bundle_sources_are_read)
{
	MapEnvironment env;
	env.set("SSL_CERT_DIR", "/certs/a:/certs/b");
	env.set("SSL_CERT_FILE", "/certs/bundle.pem");
	env.set("AWS_CA_BUNDLE", "/env/ca.pem");
	auto config = TransportConfig::fromEnvironment(env);
	BOOST_TEST(config.systemCertDir == "/certs/a:/certs/b");
	BOOST_TEST(config.systemCertFile == "/certs/bundle.pem");
	BOOST_TEST(config.caBundle == "/env/ca.pem");
	BOOST_TEST(config.caBundleSource == "AWS_CA_BUNDLE");
	config.useCaBundle(std::nullopt, "--ca-bundle");
	BOOST_TEST(config.caBundle == "/env/ca.pem");
	config.useCaBundle("/flag/ca.pem", "--ca-bundle");
	BOOST_TEST(config.caBundle == "/flag/ca.pem");
	BOOST_TEST(config.caBundleSource == "--ca-bundle");

	TransportConfig missing;
	missing.useCaBundle(testCa().path("missing.pem"), "ca_bundle in profile 'dev'");
	std::string message = test::errorOf([&] { PocoHttpTransport transport(missing); }, ErrorKind::Config);
	BOOST_TEST(contains(message, "(ca_bundle in profile 'dev')"), message);
}

BOOST_AUTO_TEST_SUITE_END()
