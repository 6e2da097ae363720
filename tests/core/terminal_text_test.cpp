// The one rule for text from outside: control characters escaped, valid
// UTF-8 kept, service messages capped (issue: service text drives the terminal).
#include <boost/test/unit_test.hpp>

#include "core/strings.h"
#include "mwaatok/error.h"
#include "mwaatok/terminal_text.h"

using namespace mwaatok;

BOOST_AUTO_TEST_SUITE(terminal_text)

BOOST_AUTO_TEST_CASE(control_characters_are_escaped)
{
	// OSC 52 writes the clipboard, ESC[2J clears the screen, BEL rings.
	BOOST_TEST(terminalText("\x1b]52;c;ZXZpbA==\x07") == "\\x1b]52;c;ZXZpbA==\\x07");
	BOOST_TEST(terminalText("a\x1b[2Jb") == "a\\x1b[2Jb");
	// A newline or CR cannot forge a line of mwaatok's own.
	BOOST_TEST(terminalText("denied\nmwaatok: all good") == "denied\\nmwaatok: all good");
	BOOST_TEST(terminalText("x\rmwaatok: ok") == "x\\rmwaatok: ok");
	BOOST_TEST(terminalText("a\tb") == "a\\tb");
	BOOST_TEST(terminalText(std::string("nul\0x", 5)) == "nul\\x00x");
	BOOST_TEST(terminalText("del\x7f") == "del\\x7f");
	BOOST_TEST(terminalText("\x01\x1f") == "\\x01\\x1f");
}

BOOST_AUTO_TEST_CASE(c1_controls_bidi_and_invalid_utf8_are_escaped)
{
	BOOST_TEST(terminalText("\xc2\x9b" "31m") == "\\u009b31m"); // CSI as one C1 character
	BOOST_TEST(terminalText("\xc2\x85") == "\\u0085");          // NEL
	BOOST_TEST(terminalText("a\xe2\x80\xae" "b") == "a\\u202eb"); // right-to-left override
	BOOST_TEST(terminalText("\xe2\x80\xa8") == "\\u2028");
	BOOST_TEST(terminalText("\x9b" "2J") == "\\x9b2J");           // a raw 8-bit CSI byte
	BOOST_TEST(terminalText("\xff\xfe") == "\\xff\\xfe");
	BOOST_TEST(terminalText("\xc0\xaf") == "\\xc0\\xaf");         // overlong '/'
	BOOST_TEST(terminalText("\xed\xa0\x80") == "\\xed\\xa0\\x80"); // a surrogate
	BOOST_TEST(terminalText("\xe2\x82") == "\\xe2\\x82");         // cut short
}

BOOST_AUTO_TEST_CASE(printable_utf8_and_backslashes_are_kept)
{
	const std::string text = "Zugriff verweigert: caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x94\x91 C:\\path \\x41";
	BOOST_TEST(terminalText(text) == text);
	BOOST_TEST(terminalText("") == "");
	// Idempotent: escaping escaped text changes nothing.
	const std::string hostile = "\x1b]52;c;x\x07\n\xc2\x9b\xff";
	BOOST_TEST(terminalText(terminalText(hostile)) == terminalText(hostile));
}

BOOST_AUTO_TEST_CASE(long_text_is_cut_with_a_note)
{
	const std::string big(5 * 1024 * 1024, 'm');
	auto shown = terminalText(big, kServiceTextLimit);
	BOOST_TEST(shown == std::string(kServiceTextLimit, 'm') + "\xe2\x80\xa6 (" +
				    std::to_string(big.size() - kServiceTextLimit) + " bytes cut)");
	// Cut once, not again.
	BOOST_TEST(terminalText(shown, kServiceTextLimit) == shown);
	// Escapes count towards the limit; an escape is never split.
	auto escapes = terminalText(std::string(2000, '\x1b'), 10);
	BOOST_TEST(escapes.substr(0, 8) == "\\x1b\\x1b");
	BOOST_TEST(escapes.find("(1998 bytes cut)") != std::string::npos, escapes);
	// A multibyte character is never split either.
	auto accents = terminalText(std::string(3000, 'x') + "\xc3\xa9" + std::string(100, 'y'), 3001);
	BOOST_TEST(accents == std::string(3000, 'x') + "\xe2\x80\xa6 (102 bytes cut)");
	// Short texts are kept whole, and so is one just over the limit (room for the note).
	BOOST_TEST(terminalText("short", 10) == "short");
	BOOST_TEST(terminalText(std::string(1020, 'y'), kServiceTextLimit) == std::string(1020, 'y'));
}

BOOST_AUTO_TEST_CASE(every_error_message_is_terminal_safe)
{
	Error e(ErrorKind::Service, "AccessDenied: \x1b]52;c;aGk=\x07\nmwaatok: fine");
	BOOST_TEST(std::string(e.what()) == "AccessDenied: \\x1b]52;c;aGk=\\x07\\nmwaatok: fine");
	ServiceError s(400, "Bad\x1b[2J", std::string(10000, 'z') + "\x07", "id\n",
		       "ValidationException: " + std::string(10000, 'z'));
	BOOST_TEST(s.code() == "Bad\\x1b[2J");
	BOOST_TEST(s.serviceMessage().size() < kServiceTextLimit + 40);
	BOOST_TEST(s.serviceMessage().find("bytes cut)") != std::string::npos);
	BOOST_TEST(s.requestId() == "id\\n");
	BOOST_TEST(std::string(s.what()).size() < 4 * kServiceTextLimit + 40);
}

BOOST_AUTO_TEST_CASE(json_escapes_del_and_c1_and_stays_json)
{
	BOOST_TEST(jsonQuote("a\x1b[2J\x7f\xc2\x9b" "b\xc3\xa9") == "\"a\\u001b[2J\\u007f\\u009bb\xc3\xa9\"");
	BOOST_TEST(jsonQuote("\n\"\\") == "\"\\n\\\"\\\\\"");
}

BOOST_AUTO_TEST_SUITE_END()
