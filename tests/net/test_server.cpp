#include "test_server.h"

#include <boost/test/unit_test.hpp>

#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace nettest {

std::string okResponse(const std::string &body, const std::string &extraHeaders)
{
	return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extraHeaders +
	       "\r\n" + body;
}

TestServer::Handler keepAlive(std::function<std::string(const std::string &)> respond)
{
	return [respond](Poco::Net::StreamSocket &socket) {
		for (;;) {
			std::string request = readRequest(socket);
			if (request.empty())
				return;
			sendText(socket, respond(request));
		}
	};
}

mwaatok::HttpRequest get(const std::string &url, mwaatok::HttpHeaders headers)
{
	mwaatok::HttpRequest r;
	r.method = "GET";
	r.url = url;
	r.headers = std::move(headers);
	r.connectTimeout = std::chrono::milliseconds(2000);
	r.readTimeout = std::chrono::milliseconds(2000);
	return r;
}

mwaatok::NetworkError failureOf(mwaatok::HttpTransport &transport, const mwaatok::HttpRequest &request)
{
	try {
		transport.send(request);
	} catch (const mwaatok::NetworkError &e) {
		BOOST_TEST_MESSAGE(e.what());
		return e;
	}
	BOOST_FAIL("expected a NetworkError");
	throw std::logic_error("unreachable");
}

bool contains(const std::string &text, const std::string &part)
{
	return text.find(part) != std::string::npos;
}

namespace {

void check(bool ok, const char *what)
{
	if (!ok)
		throw std::runtime_error(std::string("test CA: ") + what);
}

void addExtension(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
	check(ext != nullptr, "extension");
	X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
}

X509 *makeCertificate(EVP_PKEY *key, const char *commonName, int serial, X509 *issuer)
{
	X509 *cert = X509_new();
	X509_set_version(cert, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
	X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
	X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
	X509_set_pubkey(cert, key);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC,
				   reinterpret_cast<const unsigned char *>(commonName), -1, -1, 0);
	X509_set_issuer_name(cert, X509_get_subject_name(issuer ? issuer : cert));
	return cert;
}

void writePem(const std::string &path, EVP_PKEY *key, X509 *cert)
{
	FILE *f = std::fopen(path.c_str(), "w");
	check(f != nullptr, "open pem");
	if (key)
		PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
	if (cert)
		PEM_write_X509(f, cert);
	std::fclose(f);
}

} // namespace

TestCa::TestCa()
{
	Poco::Net::initializeSSL();
	std::string templ = (std::filesystem::temp_directory_path() / "mwaatok-net-XXXXXX").string();
	check(mkdtemp(templ.data()) != nullptr, "mkdtemp");
	dir_ = templ;
	EVP_PKEY *key = EVP_EC_gen("P-256");
	check(key != nullptr, "key");
	X509 *cert = makeCertificate(key, "mwaatok test CA", serial_++, nullptr);
	addExtension(cert, cert, NID_basic_constraints, "critical,CA:TRUE");
	addExtension(cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign");
	addExtension(cert, cert, NID_subject_key_identifier, "hash");
	check(X509_sign(cert, key, EVP_sha256()) > 0, "sign CA");
	caFile_ = path("ca.pem");
	writePem(caFile_, nullptr, cert);
	caKey_ = key;
	caCert_ = cert;
}

TestCa::~TestCa()
{
	X509_free(static_cast<X509 *>(caCert_));
	EVP_PKEY_free(static_cast<EVP_PKEY *>(caKey_));
	std::error_code ec;
	std::filesystem::remove_all(dir_, ec);
	Poco::Net::uninitializeSSL();
}

Poco::Net::Context::Ptr TestCa::serverContext(const std::string &subjectAltName)
{
	auto *caCert = static_cast<X509 *>(caCert_);
	auto *caKey = static_cast<EVP_PKEY *>(caKey_);
	EVP_PKEY *key = EVP_EC_gen("P-256");
	check(key != nullptr, "key");
	int serial = serial_++;
	X509 *cert = makeCertificate(key, "mwaatok test server", serial, caCert);
	addExtension(cert, caCert, NID_basic_constraints, "CA:FALSE");
	addExtension(cert, caCert, NID_subject_alt_name, subjectAltName.c_str());
	addExtension(cert, caCert, NID_ext_key_usage, "serverAuth");
	check(X509_sign(cert, caKey, EVP_sha256()) > 0, "sign server");
	std::string keyFile = path("server" + std::to_string(serial) + ".key");
	std::string certFile = path("server" + std::to_string(serial) + ".pem");
	writePem(keyFile, key, nullptr);
	writePem(certFile, nullptr, cert);
	X509_free(cert);
	EVP_PKEY_free(key);
	return new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, keyFile, certFile, "",
				      Poco::Net::Context::VERIFY_NONE);
}

TestCa &testCa()
{
	static TestCa ca;
	return ca;
}

} // namespace nettest
