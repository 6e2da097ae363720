#include "core/strings.h"

#include <algorithm>
#include <regex>
#include <cstdio>

namespace mwaatok {

std::string_view trim(std::string_view s)
{
	constexpr std::string_view ws = " \t\r\n";
	auto b = s.find_first_not_of(ws);
	if (b == std::string_view::npos)
		return {};
	auto e = s.find_last_not_of(ws);
	return s.substr(b, e - b + 1);
}

std::string toLower(std::string_view s)
{
	std::string out(s);
	for (char &c : out)
		if (c >= 'A' && c <= 'Z')
			c = static_cast<char>(c - 'A' + 'a');
	return out;
}

bool iequals(std::string_view a, std::string_view b)
{
	if (a.size() != b.size())
		return false;
	for (size_t i = 0; i < a.size(); ++i) {
		char x = a[i], y = b[i];
		if (x >= 'A' && x <= 'Z')
			x = static_cast<char>(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = static_cast<char>(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return true;
}

bool startsWith(std::string_view s, std::string_view prefix)
{
	return s.substr(0, prefix.size()) == prefix;
}

bool endsWith(std::string_view s, std::string_view suffix)
{
	return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::vector<std::string_view> split(std::string_view s, char sep)
{
	std::vector<std::string_view> out;
	size_t start = 0;
	for (;;) {
		size_t p = s.find(sep, start);
		if (p == std::string_view::npos) {
			out.push_back(s.substr(start));
			return out;
		}
		out.push_back(s.substr(start, p - start));
		start = p + 1;
	}
}

std::string hexEncode(std::string_view bytes)
{
	static constexpr char digits[] = "0123456789abcdef";
	std::string out;
	out.resize(bytes.size() * 2);
	for (size_t i = 0; i < bytes.size(); ++i) {
		auto b = static_cast<unsigned char>(bytes[i]);
		out[2 * i] = digits[b >> 4];
		out[2 * i + 1] = digits[b & 0xf];
	}
	return out;
}

std::string jsonQuote(std::string_view s)
{
	std::string out;
	out.reserve(s.size() + 2);
	out += '"';
	for (size_t i = 0; i < s.size(); ++i) {
		char c = s[i];
		// DEL and the C1 controls (U+0080..U+009F, C2 80..C2 9F in UTF-8) are
		// valid raw in JSON but drive terminals: escape them like C0.
		auto next = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0u;
		if (c == 0x7f || (static_cast<unsigned char>(c) == 0xC2 && next >= 0x80 && next <= 0x9F)) {
			char buf[8];
			std::snprintf(buf, sizeof buf, "\\u%04x", c == 0x7f ? 0x7fu : next);
			out += buf;
			i += c == 0x7f ? 0 : 1;
			continue;
		}
		switch (c) {
		case '"': out += "\\\""; break;
		case '\\': out += "\\\\"; break;
		case '\b': out += "\\b"; break;
		case '\f': out += "\\f"; break;
		case '\n': out += "\\n"; break;
		case '\r': out += "\\r"; break;
		case '\t': out += "\\t"; break;
		default:
			if (static_cast<unsigned char>(c) < 0x20) {
				char buf[8];
				std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
				out += buf;
			} else {
				out += c;
			}
		}
	}
	out += '"';
	return out;
}

size_t editDistance(std::string_view a, std::string_view b)
{
	std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
	for (size_t j = 0; j <= b.size(); ++j)
		prev[j] = j;
	for (size_t i = 1; i <= a.size(); ++i) {
		cur[0] = i;
		for (size_t j = 1; j <= b.size(); ++j) {
			size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
			cur[j] = std::min({ prev[j] + 1, cur[j - 1] + 1, sub });
		}
		std::swap(prev, cur);
	}
	return prev[b.size()];
}

std::string closestMatch(std::string_view word, const std::vector<std::string> &candidates)
{
	std::string best;
	size_t bestDistance = std::max<size_t>(2, word.size() / 3) + 1;
	for (const auto &c : candidates) {
		size_t d = editDistance(toLower(word), toLower(c));
		if (d < bestDistance) {
			bestDistance = d;
			best = c;
		}
	}
	return best;
}

std::string formatTable(const std::vector<std::vector<std::string>> &rows)
{
	std::vector<size_t> widths;
	for (const auto &row : rows)
		for (size_t c = 0; c < row.size(); ++c) {
			if (widths.size() <= c)
				widths.push_back(0);
			widths[c] = std::max(widths[c], row[c].size());
		}
	std::string out;
	for (const auto &row : rows) {
		for (size_t c = 0; c < row.size(); ++c) {
			out += row[c];
			if (c + 1 < row.size())
				out += std::string(widths[c] - row[c].size() + 2, ' ');
		}
		out += '\n';
	}
	return out;
}

std::string redactSecrets(std::string_view text)
{
	static const std::regex member(
		R"re(("(?:SecretAccessKey|SessionToken|Token|aws_secret_access_key|aws_session_token)"\s*[:=]\s*)"(?:[^"\\]|\\.)*")re",
		std::regex::icase);
	static const std::regex assignment(
		R"re(((?:secret_?access_?key|session_?token|security_?token)\s*[:=]\s*)[^\s,;"']+)re",
		std::regex::icase);
	static const std::regex longRun(R"([A-Za-z0-9/+=]{40,})");
	std::string s(text);
	s = std::regex_replace(s, member, "$1\"****\"");
	s = std::regex_replace(s, assignment, "$1****");
	s = std::regex_replace(s, longRun, "****");
	return s;
}

} // namespace mwaatok
