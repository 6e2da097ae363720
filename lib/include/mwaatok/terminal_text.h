#pragma once

// Text from outside (service answers, IMDS and container endpoints, child
// processes) made safe to print: the one rule for everything mwaatok shows
// that it did not write itself. Header-only, so that external plugin modules,
// which never call into libmwaatok, use the same rule.

#include <cstdio>
#include <string>
#include <string_view>

namespace mwaatok {

/// The longest service message shown, in characters after escaping.
inline constexpr size_t kServiceTextLimit = 1000;

namespace detail {

/// The length of the valid UTF-8 sequence at the start of \a s (1 to 4), or 0
/// when it is not one (overlong forms, surrogates and values past U+10FFFF too).
inline size_t utf8Length(std::string_view s, char32_t &cp)
{
	auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
	unsigned char c = b(0);
	size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
	if (n == 0 || n > s.size())
		return 0;
	cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
	for (size_t i = 1; i < n; ++i) {
		if ((b(i) & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (b(i) & 0x3F);
	}
	static constexpr char32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
	if (cp < smallest[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

/// Code points that move the cursor, switch modes or reorder text: C1
/// controls, line/paragraph separators and the bidirectional controls.
inline bool isFormatControl(char32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

} // namespace detail

/// \a text safe to print on a terminal, on one line: LF, CR and TAB become
/// `\n`, `\r`, `\t`; every other C0 control (ESC, BEL, ...), DEL and each byte
/// that is not part of valid UTF-8 becomes `\xHH`; C1 controls, U+2028/U+2029
/// and bidirectional controls become `\uHHHH`. Printable UTF-8 is kept, and so
/// are backslashes, which makes the escaping idempotent.
///
/// With a non-zero \a limit, a text whose escaped form is longer than \a limit
/// (plus room for the note) keeps its first \a limit characters and gets
/// "… (N bytes cut)", N counting bytes of \a text. A text cut once is not cut
/// again by the same limit.
inline std::string terminalText(std::string_view text, size_t limit = 0)
{
	constexpr size_t kNoteRoom = 32; // "… (18446744073709551615 bytes cut)" fits
	std::string out;
	out.reserve(text.size() < 256 ? text.size() : 256);
	size_t cutAt = std::string_view::npos; // input offset where the limit was reached
	size_t shownSize = 0;
	for (size_t i = 0; i < text.size();) {
		char buf[12];
		char32_t cp = 0;
		size_t n = detail::utf8Length(text.substr(i), cp);
		std::string_view piece;
		if (n == 0) {
			std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(static_cast<unsigned char>(text[i])));
			piece = buf;
			n = 1;
		} else if (cp == '\n') {
			piece = "\\n";
		} else if (cp == '\r') {
			piece = "\\r";
		} else if (cp == '\t') {
			piece = "\\t";
		} else if (cp < 0x20 || cp == 0x7F) {
			std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(cp));
			piece = buf;
		} else if (detail::isFormatControl(cp)) {
			std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
			piece = buf;
		} else {
			piece = text.substr(i, n);
		}
		if (limit && cutAt == std::string_view::npos && out.size() + piece.size() > limit) {
			cutAt = i;
			shownSize = out.size();
		}
		if (limit && out.size() > limit + kNoteRoom) {
			// Too long in any case: stop escaping a text that may be huge.
			break;
		}
		out += piece;
		i += n;
	}
	if (cutAt == std::string_view::npos || out.size() <= limit + kNoteRoom)
		return out;
	out.resize(shownSize);
	return out + "\u2026 (" + std::to_string(text.size() - cutAt) + " bytes cut)";
}

} // namespace mwaatok
