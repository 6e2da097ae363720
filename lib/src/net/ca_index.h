#pragma once

#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace mwaatok::net {

/// A PEM file of CA certificates that OpenSSL consults by subject, through a
/// lookup of its own: on the first question the file is split into blocks and
/// each certificate's subject name is read (not the whole certificate);
/// only the certificates that issue a chain being verified are parsed and
/// added to the store. A bundle of 150 CAs then costs one subject scan, not
/// 150 certificate parses.
class CaIndex {
public:
	/// Over \a pem (the bundle's bytes, already read).
	static std::shared_ptr<CaIndex> fromPem(std::string pem);
	/// Over the file \a path, read at the first question; a file that cannot
	/// be read answers nothing.
	static std::shared_ptr<CaIndex> fromFile(std::string path);
	/// Over an open file whose first bytes, \a head, were already read from
	/// \a fd: the rest is read at the first question, then \a fd is closed
	/// (the index owns it from now on).
	static std::shared_ptr<CaIndex> fromOpenFile(std::string head, int fd);

	~CaIndex();
	CaIndex(const CaIndex &) = delete;
	CaIndex &operator=(const CaIndex &) = delete;

	/// True when \a pem holds at least one certificate block.
	static bool hasCertificateBlock(std::string_view pem);

	/// Add a lookup over this index to \a store; the index must outlive the store.
	void attach(X509_STORE *store);

	/// Answer questions (the default) or not (a fallback not yet wanted).
	void enable(bool on) { enabled_ = on; }
	bool enabled() const { return enabled_; }

	/// The certificates whose subject is \a name, parsed now if need be; the
	/// index keeps them (borrowed pointers). Safe from many threads.
	std::vector<X509 *> find(const X509_NAME *name);

	/// Certificates in the index, and how many of them were parsed (tests, benchmarks).
	size_t size();
	size_t parsed();

private:
	struct Entry {
		std::string der;
		X509_NAME *subject = nullptr;
		X509 *cert = nullptr;
	};

	CaIndex() = default;
	void build();

	std::string pem_;
	std::string path_;
	int fd_ = -1;
	std::once_flag built_;
	std::mutex mutex_; // guards Entry::cert
	std::vector<Entry> entries_;
	std::atomic<bool> enabled_{ true };
};

} // namespace mwaatok::net
