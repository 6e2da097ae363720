// Helpers shared by the fuzz targets. Everything here is inline or in an
// anonymous namespace: the corpus runner links every target into one program.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "mwaatok/http.h"

namespace mwaatok::fuzz {

/// A request or response written as text, so seeds stay readable:
/// a first line, then "Name: value" lines up to an empty line, then the body.
/// Lines end in LF or CR LF. A header line without ':' is a name with an empty value.
struct Message {
	std::string firstLine;
	HttpHeaders headers;
	std::string body;
};

inline Message splitMessage(std::string_view text)
{
	Message m;
	auto nextLine = [&text](std::string &line) {
		size_t nl = text.find('\n');
		line = std::string(text.substr(0, nl));
		text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
		if (!line.empty() && line.back() == '\r')
			line.pop_back();
	};
	nextLine(m.firstLine);
	std::string line;
	while (!text.empty()) {
		nextLine(line);
		if (line.empty())
			break;
		size_t colon = line.find(':');
		if (colon == std::string::npos) {
			m.headers.push_back({ line, "" });
			continue;
		}
		std::string value = line.substr(colon + 1);
		if (!value.empty() && value.front() == ' ')
			value.erase(0, 1);
		m.headers.push_back({ line.substr(0, colon), value });
	}
	m.body = std::string(text);
	return m;
}

inline std::string_view asText(const uint8_t *data, size_t size)
{
	return std::string_view(reinterpret_cast<const char *>(data), size);
}

/// A broken invariant: report it and abort, which the fuzzer records as a crash.
[[noreturn]] inline void fail(const char *target, const std::string &what)
{
	std::fprintf(stderr, "%s: %s\n", target, what.c_str());
	std::abort();
}

} // namespace mwaatok::fuzz
