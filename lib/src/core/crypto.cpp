#include "core/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "core/strings.h"
#include "mwaatok/error.h"

namespace mwaatok::crypto {

Digest sha256(std::string_view data)
{
	Digest out{};
	unsigned int len = 0;
	if (EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr) != 1)
		throw Error(ErrorKind::Internal, "sha-256 failed");
	return out;
}

std::string sha256Hex(std::string_view data)
{
	return hexEncode(view(sha256(data)));
}

Digest hmacSha256(std::string_view key, std::string_view data)
{
	Digest out{};
	unsigned int len = 0;
	if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
		  reinterpret_cast<const unsigned char *>(data.data()), data.size(), out.data(), &len))
		throw Error(ErrorKind::Internal, "hmac-sha-256 failed");
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

} // namespace mwaatok::crypto
