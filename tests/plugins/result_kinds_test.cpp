// The result kinds beyond login links (plugin API version 2) in the built-in
// plugins and the dispatcher: what each plugin accepts and how it formats it.
#include <boost/test/unit_test.hpp>

#include <sstream>

#include "file/file_plugin.h"
#include "mwaatok/output_dispatcher.h"
#include "print/print_plugin.h"
#include "fakes.h"

using namespace mwaatok;

namespace {

AirflowAnswer answer(const std::string &alias, int status, const std::string &json)
{
	AirflowAnswer a;
	a.alias = alias;
	a.environmentName = alias + "-env";
	a.region = "eu-west-1";
	a.method = "GET";
	a.path = "/dags";
	a.status = status;
	a.json = json;
	if (status >= 400) {
		a.title = "DAG not found";
		a.detail = "no such DAG";
	}
	return a;
}

AirflowSession session(int major)
{
	AirflowSession s;
	s.alias = "prod";
	s.environmentName = "prod-env";
	s.region = "eu-west-1";
	s.hostname = "abc.c2.eu-west-1.airflow.amazonaws.com";
	s.airflowMajor = major;
	s.apiBaseUrl = "https://" + s.hostname + (major == 2 ? "/api/v1" : "/api/v2");
	s.cookieName = major == 2 ? "session" : "_token";
	s.value = "SECRETVALUE";
	s.headerName = major == 2 ? "Cookie" : "Authorization";
	s.headerValue = major == 2 ? "session=SECRETVALUE" : "Bearer SECRETVALUE";
	return s;
}

RunInfo info(size_t total, ResultKind kind)
{
	RunInfo i;
	i.total = total;
	i.kind = kind;
	return i;
}

} // namespace

BOOST_AUTO_TEST_SUITE(result_kinds)

BOOST_AUTO_TEST_CASE(print_answers_alone_or_one_line_each)
{
	std::ostringstream out;
	PrintPlugin one(out, PluginOptions{});
	one.begin(info(1, ResultKind::AirflowAnswer));
	one.deliver(answer("a", 200, "{\"dags\":[]}"));
	one.end({});
	BOOST_TEST(out.str() == "{\"dags\":[]}\n");

	std::ostringstream many;
	PrintPlugin p(many, PluginOptions{});
	p.begin(info(3, ResultKind::AirflowAnswer));
	p.deliver(answer("a", 200, "{\"dags\":[]}"));
	p.deliver(answer("b", 404, "{\"title\":\"DAG not found\"}"));
	p.fail(LinkFailure{ "c", "c-env", "eu-west-1", "AccessDeniedException: no", "AccessDeniedException" });
	p.end({});
	BOOST_TEST(many.str() ==
		   "{\"alias\":\"a\",\"environment\":\"a-env\",\"region\":\"eu-west-1\",\"status\":200,\"response\":{\"dags\":[]}}\n"
		   "{\"alias\":\"b\",\"environment\":\"b-env\",\"region\":\"eu-west-1\",\"status\":404,\"response\":{\"title\":\"DAG not found\"}}\n"
		   "{\"alias\":\"c\",\"environment\":\"c-env\",\"region\":\"eu-west-1\",\"status\":null,\"error\":\"AccessDeniedException: no\"}\n");
}

BOOST_AUTO_TEST_CASE(print_json_collects_an_array)
{
	std::ostringstream out;
	PrintPlugin p(out, PrintPlugin::Format::Json);
	p.begin(info(2, ResultKind::AirflowAnswer));
	p.deliver(answer("a", 200, "[1]"));
	p.deliver(answer("b", 200, ""));
	p.end({});
	BOOST_TEST(out.str().front() == '[');
	BOOST_TEST(out.str().find("\"response\":[1]") != std::string::npos, out.str());
	BOOST_TEST(out.str().find("\"response\":null") != std::string::npos, out.str());
}

BOOST_AUTO_TEST_CASE(print_sessions_as_the_header_line_or_json)
{
	std::ostringstream out;
	PrintPlugin p(out, PluginOptions{});
	p.begin(info(2, ResultKind::WebSession));
	p.deliver(session(2));
	p.deliver(session(3));
	p.end({});
	BOOST_TEST(out.str() == "Cookie: session=SECRETVALUE\nAuthorization: Bearer SECRETVALUE\n");

	std::ostringstream json;
	PrintPlugin j(json, PrintPlugin::Format::Json);
	j.begin(info(1, ResultKind::WebSession));
	j.deliver(session(3));
	j.end({});
	BOOST_TEST(json.str() == "{\"alias\":\"prod\",\"environment\":\"prod-env\",\"region\":\"eu-west-1\","
				 "\"host\":\"abc.c2.eu-west-1.airflow.amazonaws.com\",\"airflow_version\":3,"
				 "\"api_base_url\":\"https://abc.c2.eu-west-1.airflow.amazonaws.com/api/v2\","
				 "\"header_name\":\"Authorization\",\"header_value\":\"Bearer SECRETVALUE\"}\n");
}

BOOST_AUTO_TEST_CASE(print_cli_output_grouped_with_several)
{
	std::ostringstream out, err;
	PrintPlugin p(out, PluginOptions{}, &err);
	p.begin(info(2, ResultKind::CliOutput));
	p.deliver(CliOutput{ "a", "a-env", "us-east-1", "version", "2.10.3\n", "" });
	p.deliver(CliOutput{ "b", "b-env", "us-east-1", "version", "3.0.6", "warning\n" });
	p.end({});
	BOOST_TEST(out.str() == "== a (a-env, us-east-1) ==\n2.10.3\n== b (b-env, us-east-1) ==\n3.0.6\n");
	BOOST_TEST(err.str() == "== b (stderr) ==\nwarning\n");
}

BOOST_AUTO_TEST_CASE(what_each_plugin_accepts)
{
	std::ostringstream out;
	BOOST_TEST(!PrintPlugin(out, PrintPlugin::Format::Url).accepts(ResultKind::AirflowAnswer));
	BOOST_TEST(!PrintPlugin(out, PrintPlugin::Format::Header).accepts(ResultKind::LoginLink));
	BOOST_TEST(PrintPlugin(out, PrintPlugin::Format::Header).accepts(ResultKind::WebSession));
	MapEnvironment env;
	BOOST_TEST(!FilePlugin({ { "path", "/x/links.html" } }, env).accepts(ResultKind::AirflowAnswer));
	BOOST_TEST(FilePlugin({ { "path", "/x/jar.txt" } }, env).accepts(ResultKind::WebSession));
	BOOST_TEST(!FilePlugin({ { "path", "/x/jar" }, { "format", "cookiejar" } }, env).accepts(ResultKind::LoginLink));

	std::vector<std::unique_ptr<OutputPlugin>> plugins;
	plugins.push_back(std::make_unique<PrintPlugin>(out, PrintPlugin::Format::Url));
	OutputDispatcher d(std::move(plugins));
	BOOST_CHECK_NO_THROW(d.check(ResultKind::LoginLink));
	try {
		d.check(ResultKind::WebSession);
		BOOST_FAIL("a url printer took a web session");
	} catch (const Error &e) {
		BOOST_TEST((e.kind() == ErrorKind::Usage));
		BOOST_TEST(std::string(e.what()) ==
			   "output plugin 'print' cannot deliver a web session; choose another with -o");
	}
}

BOOST_AUTO_TEST_CASE(file_cookie_jar_holds_every_session_once)
{
	MapEnvironment env;
	FilePlugin p({ { "path", "/x/jar" }, { "format", "cookiejar" } }, env);
	p.begin(info(2, ResultKind::WebSession));
	p.deliver(session(2));
	auto other = session(2);
	other.hostname = "def.c2.eu-west-1.airflow.amazonaws.com";
	p.deliver(other);
	std::string jar = p.render({});
	BOOST_TEST(jar.rfind("# Netscape HTTP Cookie File\n", 0) == 0, jar);
	size_t headers = 0;
	for (size_t at = 0; (at = jar.find("# Netscape", at)) != std::string::npos; ++at)
		++headers;
	BOOST_TEST(headers == 1u);
	BOOST_TEST(jar.find("abc.c2.eu-west-1.airflow.amazonaws.com\tFALSE\t/\tTRUE\t0\tsession\tSECRETVALUE\n") !=
			   std::string::npos,
		   jar);
	BOOST_TEST(jar.find("def.c2.eu-west-1.airflow.amazonaws.com\tFALSE\t/\tTRUE\t0\tsession\tSECRETVALUE\n") !=
			   std::string::npos,
		   jar);
}

BOOST_AUTO_TEST_SUITE_END()
