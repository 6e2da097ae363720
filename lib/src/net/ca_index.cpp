#include "net/ca_index.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

namespace mwaatok::net {

namespace {

constexpr std::string_view beginMarker = "-----BEGIN ";
constexpr std::string_view endMarker = "-----END ";

// Block labels holding a plain X.509 certificate; "TRUSTED CERTIFICATE"
// carries OpenSSL's trust settings after it and is parsed whole.
bool isPlainCertificate(std::string_view label)
{
	return label == "CERTIFICATE" || label == "X509 CERTIFICATE";
}

bool isCertificate(std::string_view label)
{
	return isPlainCertificate(label) || label == "TRUSTED CERTIFICATE";
}

/// One DER element at \a p: its tag and the extent of header plus content.
bool readElement(const unsigned char *&p, const unsigned char *end, unsigned char &tag,
		 const unsigned char *&content, size_t &length)
{
	if (end - p < 2)
		return false;
	tag = *p++;
	size_t n = *p++;
	if (n & 0x80) {
		size_t bytes = n & 0x7f;
		if (bytes == 0 || bytes > 4 || static_cast<size_t>(end - p) < bytes)
			return false;
		n = 0;
		while (bytes--)
			n = (n << 8) | *p++;
	}
	if (static_cast<size_t>(end - p) < n)
		return false;
	content = p;
	length = n;
	return true;
}

/// The subject Name element (tag, length and content) of a certificate's DER,
/// found by walking its TBSCertificate; empty when the DER does not walk.
std::string_view subjectOf(std::string_view der)
{
	auto *p = reinterpret_cast<const unsigned char *>(der.data());
	const unsigned char *end = p + der.size(), *content = nullptr;
	unsigned char tag = 0;
	size_t length = 0;
	if (!readElement(p, end, tag, content, length) || tag != 0x30) // Certificate
		return {};
	p = content;
	end = content + length;
	if (!readElement(p, end, tag, content, length) || tag != 0x30) // TBSCertificate
		return {};
	p = content;
	end = content + length;
	// [0] version (optional), serial, signature, issuer, validity, subject.
	for (int field = 0; field < 6; ++field) {
		const unsigned char *start = p;
		if (!readElement(p, end, tag, content, length))
			return {};
		p = content + length;
		if (field == 0 && tag != 0xa0)
			++field; // no version: this was the serial number
		if (field == 5)
			return tag == 0x30 ? std::string_view(reinterpret_cast<const char *>(start),
							     static_cast<size_t>(p - start))
					   : std::string_view{};
	}
	return {};
}

std::string base64Decode(std::string_view text)
{
	std::string out(text.size() * 3 / 4 + 3, '\0');
	EVP_ENCODE_CTX *ctx = EVP_ENCODE_CTX_new();
	EVP_DecodeInit(ctx);
	int n = 0, last = 0;
	bool ok = EVP_DecodeUpdate(ctx, reinterpret_cast<unsigned char *>(out.data()), &n,
				   reinterpret_cast<const unsigned char *>(text.data()), static_cast<int>(text.size())) >= 0 &&
		  EVP_DecodeFinal(ctx, reinterpret_cast<unsigned char *>(out.data()) + n, &last) == 1;
	EVP_ENCODE_CTX_free(ctx);
	if (!ok)
		return {};
	out.resize(static_cast<size_t>(n + last));
	return out;
}

// The X509_LOOKUP method: OpenSSL asks it for the certificates with a subject.
int bySubject(X509_LOOKUP *lookup, X509_LOOKUP_TYPE type, const X509_NAME *name, X509_OBJECT *ret)
{
	auto *index = static_cast<CaIndex *>(X509_LOOKUP_get_method_data(lookup));
	if (type != X509_LU_X509 || !index || !index->enabled())
		return 0;
	std::vector<X509 *> found = index->find(name);
	if (found.empty())
		return 0;
	X509_STORE *store = X509_LOOKUP_get_store(lookup);
	for (X509 *cert : found)
		X509_STORE_add_cert(store, cert); // a duplicate is ignored
	// OpenSSL takes ret as borrowed (its own lookups do not count a reference):
	// set1 counts one, which is given back at once; the index and the store keep theirs.
	if (X509_OBJECT_set1_X509(ret, found.front()) != 1)
		return 0;
	X509_free(found.front());
	return 1;
}

X509_LOOKUP_METHOD *lookupMethod()
{
	static X509_LOOKUP_METHOD *method = [] {
		X509_LOOKUP_METHOD *m = X509_LOOKUP_meth_new("mwaatok CA index");
		X509_LOOKUP_meth_set_get_by_subject(m, bySubject);
		return m;
	}();
	return method;
}

} // namespace

std::shared_ptr<CaIndex> CaIndex::fromPem(std::string pem)
{
	std::shared_ptr<CaIndex> index(new CaIndex);
	index->pem_ = std::move(pem);
	return index;
}

std::shared_ptr<CaIndex> CaIndex::fromFile(std::string path)
{
	std::shared_ptr<CaIndex> index(new CaIndex);
	index->path_ = std::move(path);
	return index;
}

std::shared_ptr<CaIndex> CaIndex::fromOpenFile(std::string head, int fd)
{
	std::shared_ptr<CaIndex> index(new CaIndex);
	index->pem_ = std::move(head);
	index->fd_ = fd;
	return index;
}

CaIndex::~CaIndex()
{
	if (fd_ >= 0)
		::close(fd_);
	for (auto &e : entries_) {
		X509_NAME_free(e.subject);
		X509_free(e.cert);
	}
}

bool CaIndex::hasCertificateBlock(std::string_view pem)
{
	for (size_t at = pem.find(beginMarker); at != std::string_view::npos; at = pem.find(beginMarker, at + 1)) {
		size_t labelStart = at + beginMarker.size();
		size_t labelEnd = pem.find("-----", labelStart);
		if (labelEnd != std::string_view::npos && isCertificate(pem.substr(labelStart, labelEnd - labelStart)))
			return true;
	}
	return false;
}

void CaIndex::attach(X509_STORE *store)
{
	X509_LOOKUP *lookup = X509_STORE_add_lookup(store, lookupMethod());
	if (lookup)
		X509_LOOKUP_set_method_data(lookup, this);
}

void CaIndex::build()
{
	if (!path_.empty()) {
		std::ifstream in(path_, std::ios::binary);
		std::ostringstream bytes;
		bytes << in.rdbuf();
		pem_ = bytes.str();
	}
	if (fd_ >= 0) {
		char buffer[64 * 1024];
		for (ssize_t n; (n = ::read(fd_, buffer, sizeof buffer)) != 0;) {
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				break;
			pem_.append(buffer, static_cast<size_t>(n));
		}
		::close(fd_);
		fd_ = -1;
	}
	std::string_view pem = pem_;
	for (size_t at = pem.find(beginMarker); at != std::string_view::npos; at = pem.find(beginMarker, at)) {
		size_t labelStart = at + beginMarker.size();
		size_t labelEnd = pem.find("-----", labelStart);
		if (labelEnd == std::string_view::npos)
			break;
		std::string_view label = pem.substr(labelStart, labelEnd - labelStart);
		size_t bodyStart = labelEnd + 5;
		size_t close = pem.find(std::string(endMarker) + std::string(label) + "-----", bodyStart);
		if (close == std::string_view::npos)
			break;
		at = close + 1;
		if (!isCertificate(label))
			continue;
		Entry e;
		e.der = base64Decode(pem.substr(bodyStart, close - bodyStart));
		auto *p = reinterpret_cast<const unsigned char *>(e.der.data());
		std::string_view subject = isPlainCertificate(label) ? subjectOf(e.der) : std::string_view{};
		if (!subject.empty()) {
			auto *s = reinterpret_cast<const unsigned char *>(subject.data());
			e.subject = d2i_X509_NAME(nullptr, &s, static_cast<long>(subject.size()));
		} else {
			// Trusted certificates, and anything the walk does not follow: parse whole.
			e.cert = isPlainCertificate(label) ? d2i_X509(nullptr, &p, static_cast<long>(e.der.size()))
							   : d2i_X509_AUX(nullptr, &p, static_cast<long>(e.der.size()));
			if (e.cert)
				e.subject = X509_NAME_dup(X509_get_subject_name(e.cert));
		}
		if (e.subject)
			entries_.push_back(std::move(e));
		else
			X509_free(e.cert);
	}
	pem_.clear();
	pem_.shrink_to_fit();
}

std::vector<X509 *> CaIndex::find(const X509_NAME *name)
{
	std::call_once(built_, [this] { build(); });
	std::vector<X509 *> found;
	std::lock_guard lock(mutex_);
	for (auto &e : entries_) {
		if (X509_NAME_cmp(e.subject, name) != 0)
			continue;
		if (!e.cert) {
			auto *p = reinterpret_cast<const unsigned char *>(e.der.data());
			e.cert = d2i_X509(nullptr, &p, static_cast<long>(e.der.size()));
		}
		if (e.cert)
			found.push_back(e.cert);
	}
	return found;
}

size_t CaIndex::size()
{
	std::call_once(built_, [this] { build(); });
	return entries_.size();
}

size_t CaIndex::parsed()
{
	std::lock_guard lock(mutex_);
	size_t n = 0;
	for (const auto &e : entries_)
		n += e.cert ? 1 : 0;
	return n;
}

} // namespace mwaatok::net
