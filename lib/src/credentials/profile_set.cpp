#include "mwaatok/profile_file.h"

#include "core/strings.h"
#include "credentials/credentials_util.h"
#include "mwaatok/environment.h"
#include "mwaatok/error.h"
#include "mwaatok/filesystem.h"

namespace mwaatok {

namespace {

bool isIdentifier(std::string_view s)
{
	if (s.empty())
		return false;
	for (char c : s) {
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  std::string_view("_-/.%@:+").find(c) != std::string_view::npos;
		if (!ok)
			return false;
	}
	return true;
}

enum class SectionType { Profile, SsoSession, Services, Ignored };

struct SectionName {
	SectionType type = SectionType::Ignored;
	std::string name;
	bool prefixed = false;
	std::string why; ///< why it is ignored
};

SectionName classify(std::string_view header, ProfileFileKind kind)
{
	std::string_view text = trim(header);
	std::string_view prefix;
	std::string_view name = text;
	auto sep = text.find_first_of(" \t");
	if (sep != std::string_view::npos) {
		std::string_view first = text.substr(0, sep);
		if (first == "profile" || first == "sso-session" || first == "services") {
			prefix = first;
			name = trim(text.substr(sep + 1));
		}
	}
	SectionName out;
	out.name = std::string(name);
	out.prefixed = !prefix.empty();
	if (!isIdentifier(name)) {
		out.why = "section [" + std::string(text) + "] ignored: not a valid profile name";
		return out;
	}
	if (kind == ProfileFileKind::Credentials) {
		if (out.prefixed)
			out.why = "section [" + std::string(text) +
				  "] ignored: the credentials file takes [name], without a prefix";
		else
			out.type = SectionType::Profile;
		return out;
	}
	if (prefix == "profile" || (!out.prefixed && name == "default"))
		out.type = SectionType::Profile;
	else if (prefix == "sso-session")
		out.type = SectionType::SsoSession;
	else if (prefix == "services")
		out.type = SectionType::Services;
	else
		out.why = "section [" + std::string(text) +
			  "] ignored: the config file takes [profile " + std::string(name) + "]";
	return out;
}

std::string expandHome(const std::string &path, const std::optional<std::string> &home)
{
	return expandTilde(path, home).value_or(path);
}

std::optional<std::string> readOptional(const FileSystem &fs, const std::string &path, const char *what)
{
	if (path.empty())
		return std::nullopt;
	return detail::readCapped(fs, path, detail::kMaxProfileFile, what, ErrorKind::Config);
}

} // namespace

void ProfileSet::mergeIn(const IniFile &file, ProfileFileKind kind)
{
	std::vector<std::pair<SectionName, const IniSection *>> sections;
	bool prefixedDefault = false;
	for (const auto &section : file.sections) {
		SectionName n = classify(section.header, kind);
		if (n.type == SectionType::Ignored) {
			warnings_.push_back(file.path + ":" + std::to_string(section.line) + ": " + n.why);
			continue;
		}
		if (n.type == SectionType::Profile && n.name == "default" && n.prefixed)
			prefixedDefault = true;
		sections.emplace_back(std::move(n), &section);
	}
	for (const auto &[n, section] : sections) {
		// [profile default] replaces [default] in the config file entirely.
		if (prefixedDefault && n.name == "default" && !n.prefixed &&
		    n.type == SectionType::Profile) {
			warnings_.push_back(file.path + ":" + std::to_string(section->line) +
					    ": section [default] ignored because [profile default] exists");
			continue;
		}
		auto &target = (n.type == SectionType::Profile      ? profiles_
				: n.type == SectionType::SsoSession ? ssoSessions_
								    : services_)[n.name];
		for (const auto &p : section->properties) {
			if (!isIdentifier(p.name)) {
				warnings_.push_back(file.path + ":" + std::to_string(p.line) + ": key `" +
						    p.name + "` ignored: not a valid name");
				continue;
			}
			target[p.name] = ProfileValue{p.value, file.path, p.line};
		}
	}
}

const ProfileProperties *ProfileSet::profile(std::string_view name) const
{
	auto it = profiles_.find(name);
	return it == profiles_.end() ? nullptr : &it->second;
}

const ProfileProperties *ProfileSet::servicesSection(std::string_view name) const
{
	auto it = services_.find(name);
	return it == services_.end() ? nullptr : &it->second;
}

ProfileFileLocations profileFileLocations(const Environment &env)
{
	auto home = env.getNonEmpty("HOME");
	ProfileFileLocations loc;
	if (auto p = env.getNonEmpty("AWS_CONFIG_FILE"))
		loc.configPath = expandHome(*p, home);
	else if (home)
		loc.configPath = *home + "/.aws/config";
	if (auto p = env.getNonEmpty("AWS_SHARED_CREDENTIALS_FILE"))
		loc.credentialsPath = expandHome(*p, home);
	else if (home)
		loc.credentialsPath = *home + "/.aws/credentials";
	return loc;
}

ProfileSelection selectProfile(const Environment &env, const std::optional<std::string> &explicitProfile)
{
	if (explicitProfile && !trim(*explicitProfile).empty())
		return {*explicitProfile, "manual", "--profile"};
	for (const char *var : {"AWS_PROFILE", "AWS_DEFAULT_PROFILE"}) {
		auto v = env.get(var);
		if (v && !trim(*v).empty())
			return {std::string(trim(*v)), "env", var};
	}
	return {"default", "default", ""};
}

SharedConfig SharedConfig::load(const Environment &env, const FileSystem &fs,
				const std::optional<std::string> &explicitProfile)
{
	SharedConfig c;
	c.locations_ = profileFileLocations(env);
	c.selection_ = selectProfile(env, explicitProfile);
	if (auto text = readOptional(fs, c.locations_.configPath, "the shared config file"))
		c.profiles_.mergeIn(parseIni(*text, c.locations_.configPath), ProfileFileKind::Config);
	if (auto text = readOptional(fs, c.locations_.credentialsPath, "the shared credentials file"))
		c.profiles_.mergeIn(parseIni(*text, c.locations_.credentialsPath),
				    ProfileFileKind::Credentials);
	return c;
}

const ProfileProperties *SharedConfig::selected() const
{
	return profiles_.profile(selection_.name);
}

const ProfileValue *SharedConfig::find(std::string_view key) const
{
	const ProfileProperties *p = selected();
	if (!p)
		return nullptr;
	auto it = p->find(toLower(key));
	return it == p->end() ? nullptr : &it->second;
}

const ProfileValue *SharedConfig::findIn(std::string_view profile, std::string_view key) const
{
	const ProfileProperties *p = profiles_.profile(profile);
	if (!p)
		return nullptr;
	auto it = p->find(toLower(key));
	return it == p->end() ? nullptr : &it->second;
}

std::optional<std::string> SharedConfig::getIn(std::string_view profile, std::string_view key) const
{
	const ProfileValue *v = findIn(profile, key);
	if (!v || trim(v->value).empty())
		return std::nullopt;
	return std::string(trim(v->value));
}

std::optional<std::string> SharedConfig::get(std::string_view key) const
{
	const ProfileValue *v = find(key);
	if (!v || trim(v->value).empty())
		return std::nullopt;
	return v->value;
}

std::optional<std::string> configureGet(const SharedConfig &config, std::string_view key)
{
	auto parts = split(key, '.');
	std::string profile;
	size_t first = 0;
	if (parts.size() >= 3 && parts[0] == "profile") {
		profile = std::string(parts[1]);
		first = 2;
	} else if (parts.size() >= 2 && (parts[0] == "default" || config.profiles().profile(parts[0]))) {
		profile = std::string(parts[0]);
		first = 1;
	} else {
		profile = config.selection().name;
	}
	if (first >= parts.size() || parts.size() - first > 2)
		return std::nullopt;
	const ProfileProperties *props = config.profiles().profile(profile);
	if (!props)
		return std::nullopt;
	auto it = props->find(toLower(parts[first]));
	if (it == props->end())
		return std::nullopt;
	if (parts.size() - first == 1)
		return it->second.value;
	// A nested key reads one `name = value` line of a sub-property block.
	for (auto line : split(it->second.value, '\n')) {
		auto eq = line.find('=');
		if (eq != std::string_view::npos && iequals(trim(line.substr(0, eq)), parts[first + 1]))
			return std::string(trim(line.substr(eq + 1)));
	}
	return std::nullopt;
}

} // namespace mwaatok
