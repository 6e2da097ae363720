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

TestServer::TestServer(Handler handler, Poco::Net::Context::Ptr tls)
	: handler_(std::move(handler)), tls_(std::move(tls))
{
	listener_.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true);
	listener_.listen(64);
	port_ = listener_.address().port();
	acceptor_ = std::thread([this] { acceptLoop(); });
}

TestServer::~TestServer()
{
	stop_ = true;
	acceptor_.join();
	{
		std::lock_guard lock(mutex_);
		for (auto &s : open_) {
			try {
				s.shutdown();
			} catch (...) {
			}
		}
	}
	for (auto &t : threads_)
		t.join();
}

std::string TestServer::url(const std::string &path) const
{
	return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + path;
}

void TestServer::acceptLoop()
{
	while (!stop_) {
		if (!listener_.poll(Poco::Timespan(0, 20000), Poco::Net::Socket::SELECT_READ))
			continue;
		Poco::Net::StreamSocket socket = listener_.acceptConnection();
		++connections_;
		// Handlers never hang a test for long: reads give up after a few seconds.
		socket.setReceiveTimeout(Poco::Timespan(5, 0));
		std::lock_guard lock(mutex_);
		open_.push_back(socket);
		threads_.emplace_back([this, socket]() mutable {
			try {
				if (tls_) {
					Poco::Net::StreamSocket secure = Poco::Net::SecureStreamSocket::attach(socket, tls_);
					handler_(secure);
				} else {
					handler_(socket);
				}
			} catch (...) {
				// The client hung up or rejected the handshake: the test checks the client side.
			}
			try {
				socket.close();
			} catch (...) {
			}
		});
	}
}

std::string readRequest(Poco::Net::StreamSocket &socket)
{
	std::string data;
	char c;
	while (data.find("\r\n\r\n") == std::string::npos) {
		if (socket.receiveBytes(&c, 1) <= 0)
			return data;
		data += c;
	}
	size_t length = 0;
	std::string lower;
	for (char ch : data)
		lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
	auto pos = lower.find("\r\ncontent-length:");
	if (pos != std::string::npos)
		length = std::stoul(data.substr(pos + 17));
	std::string body(length, '\0');
	size_t got = 0;
	while (got < length) {
		int n = socket.receiveBytes(body.data() + got, static_cast<int>(length - got));
		if (n <= 0)
			break;
		got += static_cast<size_t>(n);
	}
	return data + body.substr(0, got);
}

void drain(Poco::Net::StreamSocket &socket)
{
	char buffer[4096];
	try {
		while (socket.receiveBytes(buffer, sizeof buffer) > 0) {
		}
	} catch (...) {
	}
}

void sendText(Poco::Net::StreamSocket &socket, const std::string &text)
{
	size_t sent = 0;
	while (sent < text.size()) {
		int n = socket.sendBytes(text.data() + sent, static_cast<int>(text.size() - sent));
		if (n <= 0)
			throw std::runtime_error("send failed");
		sent += static_cast<size_t>(n);
	}
}

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
