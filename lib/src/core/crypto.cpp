#include "core/crypto.h"

#include <memory>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "core/strings.h"
#include "mwaatok/error.h"

namespace mwaatok::crypto {

namespace {

// Fetching the algorithm and allocating a context on every call costs more
// than hashing a typical signing input, so both are done once (per thread for
// the mutable contexts).
const EVP_MD *sha256Md()
{
	static const EVP_MD *md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
	if (!md)
		throw Error(ErrorKind::Internal, "sha-256 is not available from openssl");
	return md;
}

struct MdCtxFree {
	void operator()(EVP_MD_CTX *c) const { EVP_MD_CTX_free(c); }
};

struct MacCtxFree {
	void operator()(EVP_MAC_CTX *c) const { EVP_MAC_CTX_free(c); }
};

EVP_MD_CTX *digestContext()
{
	thread_local std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
	if (!ctx)
		throw Error(ErrorKind::Internal, "cannot allocate an openssl digest context");
	return ctx.get();
}

EVP_MAC_CTX *hmacContext()
{
	static EVP_MAC *mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
	if (!mac)
		throw Error(ErrorKind::Internal, "hmac is not available from openssl");
	thread_local std::unique_ptr<EVP_MAC_CTX, MacCtxFree> ctx = [] {
		std::unique_ptr<EVP_MAC_CTX, MacCtxFree> c(EVP_MAC_CTX_new(mac));
		char digest[] = "SHA256";
		OSSL_PARAM params[] = {
			OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
			OSSL_PARAM_construct_end(),
		};
		if (c && EVP_MAC_CTX_set_params(c.get(), params) != 1)
			c.reset();
		return c;
	}();
	if (!ctx)
		throw Error(ErrorKind::Internal, "cannot allocate an openssl hmac context");
	return ctx.get();
}

} // namespace

Digest sha256(std::string_view data)
{
	Digest out{};
	unsigned int len = 0;
	EVP_MD_CTX *ctx = digestContext();
	if (EVP_DigestInit_ex(ctx, sha256Md(), nullptr) != 1 ||
	    EVP_DigestUpdate(ctx, data.data(), data.size()) != 1 ||
	    EVP_DigestFinal_ex(ctx, out.data(), &len) != 1)
		throw Error(ErrorKind::Internal, "sha-256 failed");
	return out;
}

std::string sha256Hex(std::string_view data)
{
	return hexEncode(view(sha256(data)));
}

Digest hmacSha256(std::string_view key, std::string_view data)
{
	// Keying HMAC costs two extra SHA-256 blocks plus context setup; a signer
	// uses the same (cached) key for every request, so remember this thread's
	// last key and only reset the already-keyed context when it repeats.
	thread_local std::string lastKey;
	thread_local bool keyed = false;
	Digest out{};
	size_t len = 0;
	EVP_MAC_CTX *ctx = hmacContext();
	bool ok;
	if (keyed && constantTimeEquals(key, lastKey)) {
		ok = EVP_MAC_init(ctx, nullptr, 0, nullptr) == 1;
	} else {
		// A null key would mean "reuse the previous one", so an empty key needs a real pointer.
		static const unsigned char noKey = 0;
		const auto *k = key.empty() ? &noKey : reinterpret_cast<const unsigned char *>(key.data());
		ok = EVP_MAC_init(ctx, k, key.size(), nullptr) == 1;
		keyed = ok;
		lastKey.assign(key);
	}
	if (!ok || EVP_MAC_update(ctx, reinterpret_cast<const unsigned char *>(data.data()), data.size()) != 1 ||
	    EVP_MAC_final(ctx, out.data(), &len, out.size()) != 1) {
		keyed = false;
		throw Error(ErrorKind::Internal, "hmac-sha-256 failed");
	}
	return out;
}

std::string randomBytes(size_t n)
{
	std::string out(n, '\0');
	if (RAND_bytes(reinterpret_cast<unsigned char *>(out.data()), static_cast<int>(n)) != 1)
		throw Error(ErrorKind::Internal, "no random bytes available");
	return out;
}

bool constantTimeEquals(std::string_view a, std::string_view b)
{
	if (a.size() != b.size())
		return false;
	return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string sha1Hex(std::string_view data)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (EVP_Digest(data.data(), data.size(), md, &n, EVP_sha1(), nullptr) != 1)
		throw Error(ErrorKind::Internal, "sha-1 is not available from openssl");
	return hexEncode(std::string_view(reinterpret_cast<const char *>(md), n));
}

} // namespace mwaatok::crypto
