#include "exec/exec_plugin.h"

#include <ostream>

#include "mwaatok/credential_provider.h"
#include "mwaatok/error.h"
#include "mwaatok/output_spec.h"
#include "mwaatok/process.h"
#include "mwaatok/terminal_text.h"
#include "mwaatok/text.h"
#include "support/record_format.h"

namespace mwaatok {

namespace {

constexpr size_t kStderrLines = 3;

std::chrono::seconds parseTimeout(const PluginOptions &options)
{
	auto v = findOption(options, "timeout");
	if (!v)
		return std::chrono::seconds(60);
	long n = -1;
	try {
		size_t used = 0;
		n = std::stol(*v, &used);
		if (used != v->size())
			n = -1;
	} catch (const std::exception &) {
		n = -1;
	}
	if (n <= 0)
		throw Error(ErrorKind::Usage, "option 'timeout' of output plugin 'exec' must be a positive "
					      "number of seconds, not '" + *v + "'");
	return std::chrono::seconds(n);
}

/// The first lines of \a text on one line, with \a secret (the token) and
/// anything that looks like a key or token hidden, escaped for the terminal.
std::string firstLines(std::string text, const std::string &secret)
{
	if (!secret.empty())
		for (size_t at; (at = text.find(secret)) != std::string::npos;)
			text.replace(at, secret.size(), "** redacted **");
	text = redactSecrets(text);
	std::string out;
	size_t lines = 0;
	for (auto line : split(text, '\n')) {
		line = trim(line);
		if (line.empty())
			continue;
		if (lines++ == kStderrLines) {
			out += " | ...";
			break;
		}
		out += (out.empty() ? "" : " | ") + std::string(line);
	}
	return terminalText(out, kServiceTextLimit);
}

} // namespace

std::vector<std::string> splitCommandLine(std::string_view command)
{
	std::vector<std::string> words;
	std::string word;
	bool inWord = false;
	for (size_t i = 0; i < command.size(); ++i) {
		char c = command[i];
		if (c == ' ' || c == '\t' || c == '\n') {
			if (inWord)
				words.push_back(std::move(word));
			word.clear();
			inWord = false;
			continue;
		}
		inWord = true;
		if (c == '\'') {
			size_t close = command.find('\'', i + 1);
			if (close == std::string_view::npos)
				throw Error(ErrorKind::Usage, "unterminated ' in exec command; close the quote or use shell=true");
			word.append(command.substr(i + 1, close - i - 1));
			i = close;
		} else if (c == '"') {
			for (++i;; ++i) {
				if (i == command.size())
					throw Error(ErrorKind::Usage, "unterminated \" in exec command; close the quote or use shell=true");
				if (command[i] == '"')
					break;
				if (command[i] == '\\' && i + 1 < command.size() &&
				    (command[i + 1] == '"' || command[i + 1] == '\\'))
					++i;
				word += command[i];
			}
		} else if (c == '\\' && i + 1 < command.size()) {
			word += command[++i];
		} else {
			word += c;
		}
	}
	if (inWord)
		words.push_back(std::move(word));
	return words;
}

ExecPlugin::ExecPlugin(const PluginOptions &options, std::ostream &out, ProcessLauncher &launcher)
	: timeout_(parseTimeout(options)), out_(out), launcher_(launcher)
{
	std::string command = requireOption("exec", options, "command", "exec:command=my-script");
	if (boolOption("exec", options, "shell", false))
		argv_ = {"sh", "-c", command};
	else
		argv_ = splitCommandLine(command);
	if (argv_.empty())
		throw Error(ErrorKind::Usage, "option 'command' of output plugin 'exec' is blank");
}

void ExecPlugin::deliver(const LoginLink &link)
{
	run(link.alias, link.region, link.environmentName, link.loginUrl + "\n", link.token);
}

void ExecPlugin::deliver(const AirflowAnswer &answer)
{
	run(answer.alias, answer.region, answer.environmentName, answerJson(answer) + "\n", "");
}

void ExecPlugin::deliver(const AirflowSession &session)
{
	run(session.alias, session.region, session.environmentName, sessionJson(session) + "\n", session.value);
}

void ExecPlugin::deliver(const CliOutput &output)
{
	run(output.alias, output.region, output.environmentName, cliJson(output) + "\n", "");
}

void ExecPlugin::run(const std::string &alias, const std::string &region, const std::string &environment,
		     std::string input, const std::string &secret)
{
	ProcessSpec spec;
	spec.argv = argv_;
	spec.extraEnv = {{"MWAATOK_ALIAS", alias},
			 {"MWAATOK_REGION", region},
			 {"MWAATOK_ENVIRONMENT", environment}};
	spec.stdinData = std::move(input);
	spec.timeout = timeout_;
	spec.scrubCredentials = true; // the command gets a login URL, not the user's AWS keys
	ProcessResult r = launcher_.run(spec);
	const std::string what = "'" + argv_.front() + "' for " + alias;
	if (!r.started)
		throw pluginError("exec", "cannot run " + what + ": " + r.error);
	out_ << r.stdoutData;
	out_.flush();
	if (r.timedOut)
		throw pluginError("exec", what + " timed out after " + std::to_string(timeout_.count()) + " s");
	if (r.exitCode != 0) {
		std::string msg = what + (r.exitCode < 0 ? " was killed by a signal"
							 : " exited with status " + std::to_string(r.exitCode));
		std::string err = firstLines(r.stderrData, secret);
		throw pluginError("exec", err.empty() ? msg : msg + ": " + err);
	}
}

BuiltinPlugin ExecPlugin::builtin()
{
	return {"exec", "run a command per link, URL on its stdin (command=CMD, shell=true|false, timeout=SECONDS)",
		{"command", "shell", "timeout"},
		[](const PluginOptions &options, const PluginContext &context) {
			return std::make_unique<ExecPlugin>(options, context.out, context.launcher);
		}};
}

} // namespace mwaatok
