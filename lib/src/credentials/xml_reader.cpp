#include "credentials/xml_reader.h"

#include <cstdlib>
#include <initializer_list>

namespace mwaatok::detail {

namespace {

constexpr int kMaxDepth = 32;

bool isNameChar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
	       c == '.' || c == ':';
}

bool isSpace(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

void appendUtf8(std::string &out, unsigned long cp)
{
	if (cp < 0x80) {
		out += static_cast<char>(cp);
	} else if (cp < 0x800) {
		out += static_cast<char>(0xC0 | (cp >> 6));
		out += static_cast<char>(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		out += static_cast<char>(0xE0 | (cp >> 12));
		out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
		out += static_cast<char>(0x80 | (cp & 0x3F));
	} else {
		out += static_cast<char>(0xF0 | (cp >> 18));
		out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
		out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
		out += static_cast<char>(0x80 | (cp & 0x3F));
	}
}

class Reader {
public:
	explicit Reader(std::string_view s) : s_(s) {}

	bool document(XmlNode &root)
	{
		skipMisc();
		if (!element(root, 0))
			return false;
		skipMisc();
		return pos_ == s_.size();
	}

private:
	bool startsHere(std::string_view what) const { return s_.substr(pos_, what.size()) == what; }

	void skipSpace()
	{
		while (pos_ < s_.size() && isSpace(s_[pos_]))
			++pos_;
	}

	// Whitespace, comments and the <?xml ...?> prolog between elements.
	void skipMisc()
	{
		for (;;) {
			skipSpace();
			if (startsHere("<?")) {
				auto end = s_.find("?>", pos_);
				pos_ = end == std::string_view::npos ? s_.size() + 1 : end + 2;
			} else if (startsHere("<!--")) {
				auto end = s_.find("-->", pos_);
				pos_ = end == std::string_view::npos ? s_.size() + 1 : end + 3;
			} else {
				return;
			}
			if (pos_ > s_.size())
				return;
		}
	}

	bool name(std::string &out)
	{
		size_t start = pos_;
		while (pos_ < s_.size() && isNameChar(s_[pos_]))
			++pos_;
		if (pos_ == start)
			return false;
		out = std::string(s_.substr(start, pos_ - start));
		return true;
	}

	bool decodeText(std::string_view raw, std::string &out)
	{
		for (size_t i = 0; i < raw.size(); ++i) {
			if (raw[i] != '&') {
				out += raw[i];
				continue;
			}
			auto semi = raw.find(';', i);
			if (semi == std::string_view::npos || semi - i > 10)
				return false;
			std::string_view ent = raw.substr(i + 1, semi - i - 1);
			if (ent == "amp")
				out += '&';
			else if (ent == "lt")
				out += '<';
			else if (ent == "gt")
				out += '>';
			else if (ent == "quot")
				out += '"';
			else if (ent == "apos")
				out += '\'';
			else if (ent.size() > 1 && ent[0] == '#') {
				bool hex = ent[1] == 'x';
				std::string digits(ent.substr(hex ? 2 : 1));
				if (digits.empty())
					return false;
				char *end = nullptr;
				unsigned long cp = std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
				if (*end != '\0' || cp == 0 || cp > 0x10FFFF)
					return false;
				appendUtf8(out, cp);
			} else {
				return false;
			}
			i = semi;
		}
		return true;
	}

	bool attributes()
	{
		for (;;) {
			skipSpace();
			if (pos_ >= s_.size())
				return false;
			if (s_[pos_] == '>' || s_[pos_] == '/')
				return true;
			std::string ignored;
			if (!name(ignored))
				return false;
			skipSpace();
			if (pos_ >= s_.size() || s_[pos_] != '=')
				return false;
			++pos_;
			skipSpace();
			if (pos_ >= s_.size() || (s_[pos_] != '"' && s_[pos_] != '\''))
				return false;
			char quote = s_[pos_++];
			auto end = s_.find(quote, pos_);
			if (end == std::string_view::npos)
				return false;
			pos_ = end + 1;
		}
	}

	bool element(XmlNode &node, int depth)
	{
		if (depth > kMaxDepth || pos_ >= s_.size() || s_[pos_] != '<')
			return false;
		++pos_;
		std::string full;
		if (!name(full) || !attributes())
			return false;
		auto colon = full.rfind(':');
		node.name = colon == std::string::npos ? full : full.substr(colon + 1);
		if (s_[pos_] == '/') {
			++pos_;
			if (pos_ >= s_.size() || s_[pos_] != '>')
				return false;
			++pos_;
			return true;
		}
		++pos_; // '>'
		for (;;) {
			auto lt = s_.find('<', pos_);
			if (lt == std::string_view::npos)
				return false;
			if (!decodeText(s_.substr(pos_, lt - pos_), node.text))
				return false;
			pos_ = lt;
			if (startsHere("</")) {
				pos_ += 2;
				std::string closing;
				if (!name(closing) || closing != full)
					return false;
				skipSpace();
				if (pos_ >= s_.size() || s_[pos_] != '>')
					return false;
				++pos_;
				return true;
			}
			if (startsHere("<!--")) {
				auto end = s_.find("-->", pos_);
				if (end == std::string_view::npos)
					return false;
				pos_ = end + 3;
				continue;
			}
			if (startsHere("<!") || startsHere("<?"))
				return false; // DOCTYPE, CDATA, processing instructions
			node.children.emplace_back();
			if (!element(node.children.back(), depth + 1))
				return false;
		}
	}

	std::string_view s_;
	size_t pos_ = 0;
};

} // namespace

const XmlNode *XmlNode::child(std::string_view wanted) const
{
	for (const auto &c : children)
		if (c.name == wanted)
			return &c;
	return nullptr;
}

std::string XmlNode::textAt(std::initializer_list<std::string_view> path) const
{
	const XmlNode *n = this;
	for (auto p : path) {
		n = n->child(p);
		if (!n)
			return {};
	}
	return n->text;
}

std::optional<XmlNode> parseXml(std::string_view text)
{
	XmlNode root;
	if (!Reader(text).document(root))
		return std::nullopt;
	return root;
}

} // namespace mwaatok::detail
