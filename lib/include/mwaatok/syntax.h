#pragma once

// The one home of each syntax rule mwaatok checks more than once: AWS region
// codes, MWAA environment names and HTTP tokens.

#include <string_view>

namespace mwaatok {

/// An AWS region code: two lowercase letters, one or more lowercase words and
/// a number, joined by '-' (us-east-1, us-gov-west-1, cn-north-1), at most
/// 64 characters.
bool isRegionCode(std::string_view region);

/// MWAA's EnvironmentName rule: ^[a-zA-Z][0-9a-zA-Z-_]*$, 1 to 80 characters.
bool isValidEnvironmentName(std::string_view name);

/// One character of an HTTP token (RFC 9110 tchar: letters, digits and !#$%&'*+-.^_`|~).
bool isHttpTokenChar(char c);
/// A non-empty HTTP token: a method or a header field name.
bool isHttpToken(std::string_view s);

} // namespace mwaatok
