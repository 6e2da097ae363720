#include "mwaatok/profile_file.h"

#include "core/strings.h"
#include "mwaatok/error.h"

namespace mwaatok {

namespace {

constexpr std::string_view kWhitespace = " \t";

std::string_view trimWhitespace(std::string_view s)
{
	auto b = s.find_first_not_of(kWhitespace);
	if (b == std::string_view::npos)
		return {};
	auto e = s.find_last_not_of(kWhitespace);
	return s.substr(b, e - b + 1);
}

bool isWhitespace(char c)
{
	return c == ' ' || c == '\t';
}

// Comments end a line at '#' or ';'; in a property value only after whitespace,
// because values such as URLs or keys may contain those characters.
std::string_view stripComment(std::string_view line, bool needsWhitespace)
{
	line = trimWhitespace(line);
	bool prevWhitespace = false;
	for (size_t i = 0; i < line.size(); ++i) {
		char c = line[i];
		if ((c == '#' || c == ';') && (!needsWhitespace || prevWhitespace))
			return trimWhitespace(line.substr(0, i));
		prevWhitespace = isWhitespace(c) || c == '\r' || c == '\n';
	}
	return line;
}

class Parser {
public:
	explicit Parser(const std::string &path)
	{
		file_.path = path;
	}

	IniFile parse(std::string_view text)
	{
		size_t pos = 0;
		while (pos <= text.size()) {
			size_t end = text.find('\n', pos);
			std::string_view line = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
			if (!line.empty() && line.back() == '\r')
				line.remove_suffix(1);
			++lineNumber_;
			parseLine(line);
			if (end == std::string_view::npos)
				break;
			pos = end + 1;
		}
		return std::move(file_);
	}

private:
	[[noreturn]] void fail(const std::string &message) const
	{
		throw Error(ErrorKind::Config, file_.path + ":" + std::to_string(lineNumber_) + ": " + message);
	}

	void parseLine(std::string_view line)
	{
		if (trimWhitespace(line).empty() || line.front() == '#' || line.front() == ';')
			return;
		if (line.front() == '[')
			readSection(line);
		else if (isWhitespace(line.front()))
			readContinuation(line);
		else
			readProperty(line);
	}

	void readSection(std::string_view line)
	{
		std::string_view s = stripComment(line, false);
		if (s.size() < 2 || s.back() != ']')
			fail("profile definition must end with ']'");
		file_.sections.push_back({std::string(s.substr(1, s.size() - 2)), lineNumber_, {}});
		property_ = -1;
	}

	std::pair<std::string_view, std::string_view> splitProperty(std::string_view line, const char *what)
	{
		std::string_view s = stripComment(line, true);
		auto eq = s.find('=');
		if (eq == std::string_view::npos)
			fail(std::string("expected an '=' sign defining a ") + what);
		std::string_view key = trimWhitespace(s.substr(0, eq));
		if (key.empty())
			fail(std::string(what == std::string_view("property") ? "property" : "sub-property") +
			     " did not have a name");
		return {key, trimWhitespace(s.substr(eq + 1))};
	}

	void readProperty(std::string_view line)
	{
		if (file_.sections.empty())
			fail("expected a profile definition before this property");
		auto [key, value] = splitProperty(line, "property");
		auto &props = file_.sections.back().properties;
		props.push_back({toLower(key), std::string(value), lineNumber_});
		property_ = static_cast<int>(props.size()) - 1;
		subProperties_ = value.empty();
	}

	void readContinuation(std::string_view line)
	{
		std::string_view text = trimWhitespace(line);
		// As the AWS CLI v2: an indented comment line is a comment, not part of a value.
		if (text.front() == '#' || text.front() == ';')
			return;
		if (file_.sections.empty())
			fail("expected a profile definition, found a continuation line");
		if (property_ < 0) {
			// As the AWS CLI v2: an indented `key = value` right after a section header is a property.
			if (text.find('=') != std::string_view::npos)
				return readProperty(text);
			fail("expected a property definition, found continuation");
		}
		if (subProperties_)
			splitProperty(text, "sub-property");
		auto &value = file_.sections.back().properties[static_cast<size_t>(property_)].value;
		value += '\n';
		value += text;
	}

	IniFile file_;
	int lineNumber_ = 0;
	int property_ = -1;
	bool subProperties_ = false;
};

} // namespace

IniFile parseIni(std::string_view text, const std::string &path)
{
	return Parser(path).parse(text);
}

} // namespace mwaatok
