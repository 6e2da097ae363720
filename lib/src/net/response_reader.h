#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "mwaatok/error.h"
#include "mwaatok/http.h"

namespace mwaatok::net {

class Connection;

/// Reads one response from a connection: head (interim 1xx answers skipped),
/// then the body by its framing. Poco exceptions pass through; HTTP-level
/// problems throw NetworkError.
class ResponseReader {
public:
	ResponseReader(Connection &conn, const std::string &where, size_t maxBody)
		: conn_(conn), where_(where), maxBody_(maxBody)
	{
	}

	/// \a reusable is set when the connection may carry another request.
	HttpResponse read(bool headRequest, bool &reusable);

private:
	NetworkError protocol(const std::string &what) const;
	NetworkError truncated(const std::string &what) const;
	void checkSize(std::uint64_t have, std::uint64_t more) const;
	std::string readLine(const char *context);
	std::string readHead();
	void readExact(size_t n, std::string &body);
	void readChunked(std::string &body);
	void readUntilClose(std::string &body);

	Connection &conn_;
	const std::string &where_;
	size_t maxBody_;
};

} // namespace mwaatok::net
