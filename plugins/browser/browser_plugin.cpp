#include "browser/browser_plugin.h"

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>


#include "mwaatok/text.h"
#include "mwaatok/environment.h"
#include "mwaatok/error.h"
#include "mwaatok/process.h"
#include "support/private_file.h"
#include "support/record_format.h"

namespace mwaatok {

namespace {

constexpr const char *kPagePrefix = "login-";
constexpr const char *kPageSuffix = ".html";

bool isExecutableFile(const std::string &path)
{
	struct stat st {};
	return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

/// \a s as a JavaScript string literal that cannot end a <script> element.
std::string scriptString(std::string_view s)
{
	std::string out;
	for (char c : jsonQuote(s)) {
		switch (c) {
		case '<': out += "\\u003c"; break;
		case '>': out += "\\u003e"; break;
		case '&': out += "\\u0026"; break;
		default: out += c;
		}
	}
	return out;
}

} // namespace

BrowserPlugin::BrowserPlugin(std::ostream &out, std::ostream &err, const Environment &environment,
			     ProcessLauncher &launcher)
	: out_(out), err_(err), environment_(environment), launcher_(launcher)
{
}

void BrowserPlugin::begin(const RunInfo &info)
{
	info_ = info;
}

std::vector<std::string> BrowserPlugin::opener() const
{
	// $BROWSER may list several commands separated by ':'; the first is used.
	if (auto browser = environment_.getNonEmpty("BROWSER")) {
		std::vector<std::string> argv;
		for (auto word : split(split(*browser, ':').front(), ' '))
			if (!word.empty())
				argv.emplace_back(word);
		if (!argv.empty())
			return argv;
	}
	std::string path = environment_.getNonEmpty("PATH").value_or("/usr/local/bin:/usr/bin:/bin");
	// Only macOS's open(1) opens a URL or file; elsewhere "open" is openvt(1)
	// or run-mailcap(1), which would swallow the page without a browser.
#ifdef __APPLE__
	static constexpr const char *programs[] = {"xdg-open", "open"};
#else
	static constexpr const char *programs[] = {"xdg-open"};
#endif
	for (const char *program : programs)
		for (auto dir : split(path, ':'))
			if (!dir.empty() && isExecutableFile(std::string(dir) + "/" + program))
				return {program};
	return {};
}

std::string BrowserPlugin::pageDirectory() const
{
	std::string dir;
	auto runtime = environment_.getNonEmpty("XDG_RUNTIME_DIR");
	if (runtime && runtime->front() == '/')
		dir = *runtime + "/mwaatok";
	else
		dir = environment_.getNonEmpty("TMPDIR").value_or("/tmp") + "/mwaatok-" +
		      std::to_string(::geteuid());
	if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
		throw pluginError("browser", "cannot create " + dir + ": " + std::strerror(errno));
	struct stat st {};
	if (::lstat(dir.c_str(), &st) != 0)
		throw pluginError("browser", "cannot use " + dir + ": " + std::strerror(errno));
	// Someone else's directory (or a symlink to one) could read or swap the page.
	if (!S_ISDIR(st.st_mode) || st.st_uid != ::geteuid() || (st.st_mode & 077) != 0)
		throw pluginError("browser", "refusing to use " + dir +
						     " for login pages: it must be a directory of yours with mode 0700");
	return dir;
}

void BrowserPlugin::removeStalePages(const std::string &dir) const
{
	if (info_.startedAt == TimePoint{})
		return; // no run start known: nothing can be judged stale
	const TimePoint cutoff = info_.startedAt - kStaleAge;
	DIR *d = ::opendir(dir.c_str());
	if (!d)
		return;
	while (const dirent *e = ::readdir(d)) {
		std::string name = e->d_name;
		if (!startsWith(name, kPagePrefix) || !endsWith(name, kPageSuffix))
			continue;
		std::string path = dir + "/" + name;
		struct stat st {};
		if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (std::chrono::system_clock::from_time_t(st.st_mtime) < cutoff)
			::unlink(path.c_str());
	}
	::closedir(d);
}

std::string BrowserPlugin::redirectPage(const std::string &url)
{
	const std::string attr = htmlEscape(url);
	return "<!DOCTYPE html>\n"
	       "<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	       "<meta name=\"referrer\" content=\"no-referrer\">\n"
	       "<meta http-equiv=\"refresh\" content=\"0;url=" + attr + "\">\n"
	       "<title>Opening Airflow</title>\n"
	       "<script>location.replace(" + scriptString(url) + ");</script>\n"
	       "</head>\n<body>\n<p><a href=\"" + attr + "\">Open Airflow</a></p>\n</body>\n</html>\n";
}

void BrowserPlugin::deliver(const LoginLink &link)
{
	std::vector<std::string> argv = opener();
	if (argv.empty()) {
		err_ << "mwaatok: no browser found (set BROWSER or install xdg-open); the login URL for "
		     << link.alias << " follows\n";
		out_ << link.loginUrl << '\n';
		out_.flush();
		return;
	}
	if (dir_.empty()) {
		dir_ = pageDirectory();
		removeStalePages(dir_);
	}

	std::string page = dir_ + "/" + kPagePrefix + hexEncode(crypto::randomBytes(12)) + kPageSuffix;
	int fd = ::open(page.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		throw pluginError("browser", "cannot create " + page + ": " + std::strerror(errno));
	bool ok = ::fchmod(fd, 0600) == 0 && writeAll(fd, redirectPage(link.loginUrl));
	int err = errno;
	if (::close(fd) != 0 && ok) {
		ok = false;
		err = errno;
	}
	if (!ok) {
		::unlink(page.c_str());
		throw pluginError("browser", "cannot write " + page + ": " + std::strerror(err));
	}

	bool substituted = false;
	for (auto &a : argv) {
		if (size_t at = a.find("%s"); at != std::string::npos) {
			a.replace(at, 2, page);
			substituted = true;
		}
	}
	if (!substituted)
		argv.push_back(page);
	ProcessSpec spec;
	spec.argv = argv;
	spec.detach = true;
	spec.scrubCredentials = true; // a browser has no use for the user's AWS keys
	ProcessResult r = launcher_.run(spec);
	if (!r.started) {
		::unlink(page.c_str());
		throw pluginError("browser", "cannot start '" + argv.front() + "' for " + link.alias + ": " + r.error);
	}
}

BuiltinPlugin BrowserPlugin::builtin()
{
	return {"browser", "open each link in the web browser ($BROWSER, xdg-open, or open on macOS)",
		{},
		[](const PluginOptions &, const PluginContext &context) {
			return std::make_unique<BrowserPlugin>(context.out, context.err, context.environment,
							       context.launcher);
		}};
}

} // namespace mwaatok
