#include "web_login_page.h"

namespace mwaatok::emulator {

std::optional<Reply> webLoginPage(const Request &request, std::string_view path)
{
	if (path != "/aws_mwaa/aws-console-sso" && path != "/pluginsv2/aws_mwaa/aws-console-sso")
		return std::nullopt;
	Reply reply;
	if (request.method != "GET") {
		reply.status = 405;
		reply.headers = { { "Allow", "GET" }, { "Content-Type", "text/plain" } };
		reply.body = "GET only\n";
		return reply;
	}
	reply.headers = { { "Content-Type", "text/html; charset=utf-8" }, { "Cache-Control", "no-store" } };
	reply.body = "<!DOCTYPE html>\n"
		     "<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		     "<title>MWAA emulator: Airflow login</title>\n</head>\n<body>\n"
		     "<p id=\"mwaa-login-href\"></p>\n<p id=\"mwaa-login-hash\"></p>\n"
		     "<script>\n"
		     "document.getElementById('mwaa-login-href').textContent = location.href;\n"
		     "document.getElementById('mwaa-login-hash').textContent = location.hash;\n"
		     "</script>\n</body>\n</html>\n";
	return reply;
}

} // namespace mwaatok::emulator
