#include "hostile_server.h"

namespace mwaatok::e2e {

HostileServer::HostileServer(Handler handler)
	: handler_(std::move(handler)), server_(testing::answerOnce([this](const std::string &raw) {
		  ++requests_;
		  testing::SeenRequest request = testing::parseRequest(raw);
		  return handler_(request.method, request.path);
	  }))
{
}

std::string HostileServer::response(int status, const std::string &headers, const std::string &body)
{
	return "HTTP/1.1 " + std::to_string(status) + " Hostile\r\n" + headers +
	       "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

} // namespace mwaatok::e2e
