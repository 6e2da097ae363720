#pragma once

// Small text helpers the library uses and shares with its host and plugins.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mwaatok {

/// Strip spaces and tabs (and \r\n) at both ends.
std::string_view trim(std::string_view s);
std::string toLower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool startsWith(std::string_view s, std::string_view prefix);
bool endsWith(std::string_view s, std::string_view suffix);
/// Split on every \a sep; keeps empty pieces.
std::vector<std::string_view> split(std::string_view s, char sep);
/// Lowercase hexadecimal of \a bytes.
std::string hexEncode(std::string_view bytes);
/// The string as a JSON string literal, quotes included.
std::string jsonQuote(std::string_view s);
/// The candidate closest to \a word, if it is close enough to be a likely
/// typo ("did you mean"); empty otherwise.
std::string closestMatch(std::string_view word, const std::vector<std::string> &candidates);
/// \a rows as left-aligned columns separated by two spaces, one line each
/// ending in '\n'; the last column is not padded.
std::string formatTable(const std::vector<std::vector<std::string>> &rows);
/// \a text with secret-looking content (credential JSON members and
/// assignments, 40-character base64-like runs) replaced by "****", for
/// echoing another program's output.
std::string redactSecrets(std::string_view text);

} // namespace mwaatok

namespace mwaatok::crypto {

/// \a n cryptographically random bytes (e.g. for unguessable file names).
std::string randomBytes(size_t n);

} // namespace mwaatok::crypto
