#include "sigv4/canonical_request.h"

#include <algorithm>

#include "mwaatok/url.h"

namespace mwaatok::sigv4::detail {

namespace {

bool isSpace(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

} // namespace

bool isUnsignedHeader(std::string_view n)
{
	// botocore's list plus the Authorization header itself.
	return n == "authorization" || n == "user-agent" || n == "expect" || n == "x-amzn-trace-id";
}

bool needsFolding(std::string_view value)
{
	// No early exit, so the compiler can vectorize it: session tokens are long.
	unsigned char blank = 0;
	for (char c : value)
		blank |= static_cast<unsigned char>(static_cast<unsigned char>(c) <= ' ');
	return blank != 0;
}

void CanonicalHeader::addValue(std::string_view raw)
{
	if (empty_ && !needsFolding(raw)) {
		borrowed_ = raw;
		empty_ = false;
		return;
	}
	if (!owned_) {
		text_.assign(borrowed_);
		owned_ = true;
	}
	if (!empty_)
		text_ += ',';
	appendFoldedValue(text_, raw);
	empty_ = false;
}

void appendFoldedValue(std::string &out, std::string_view value)
{
	if (!needsFolding(value)) {
		out += value;
		return;
	}
	size_t i = 0, n = value.size();
	bool first = true;
	while (i < n) {
		while (i < n && isSpace(value[i]))
			++i;
		if (i == n)
			break;
		size_t start = i;
		while (i < n && !isSpace(value[i]))
			++i;
		if (!first)
			out += ' ';
		out.append(value.data() + start, i - start);
		first = false;
	}
}

std::string normalizePath(std::string_view path)
{
	if (path.empty())
		return "/";
	std::vector<std::string_view> kept;
	size_t start = 0;
	while (start <= path.size()) {
		size_t end = path.find('/', start);
		if (end == std::string_view::npos)
			end = path.size();
		std::string_view seg = path.substr(start, end - start);
		if (seg == "..") {
			if (!kept.empty())
				kept.pop_back();
		} else if (!seg.empty() && seg != ".") {
			kept.push_back(seg);
		}
		start = end + 1;
	}
	std::string out;
	out.reserve(path.size());
	if (path.front() == '/')
		out += '/';
	for (size_t i = 0; i < kept.size(); ++i) {
		if (i)
			out += '/';
		out += kept[i];
	}
	// A trailing slash survives only when something is left before it.
	if (path.back() == '/' && !kept.empty())
		out += '/';
	return out;
}

namespace {

// True when \a path needs neither normalizing nor encoding: only unreserved
// characters and single slashes, no "." or ".." segment. Typical API paths.
bool isPlainPath(std::string_view path)
{
	if (path.empty() || path.front() != '/')
		return false;
	size_t segmentStart = 1;
	for (size_t i = 1; i <= path.size(); ++i) {
		if (i == path.size() || path[i] == '/') {
			std::string_view seg = path.substr(segmentStart, i - segmentStart);
			if ((seg.empty() && i != path.size()) || seg == "." || seg == "..")
				return false;
			segmentStart = i + 1;
			continue;
		}
		auto c = static_cast<unsigned char>(path[i]);
		bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
				  c == '-' || c == '_' || c == '.' || c == '~';
		if (!unreserved)
			return false;
	}
	return true;
}

} // namespace

void appendCanonicalUri(std::string &out, std::string_view path, bool normalize, bool doubleEncode)
{
	if (isPlainPath(path)) {
		out += path;
	} else if (normalize) {
		std::string n = normalizePath(path);
		out += doubleEncode ? uriEncode(n, true) : n;
	} else if (path.empty()) {
		out += '/';
	} else {
		out += doubleEncode ? uriEncode(path, true) : std::string(path);
	}
}

void appendCanonicalQuery(std::string &out, std::string_view query, const std::vector<QueryParam> &extra)
{
	std::vector<QueryParam> params;
	size_t start = 0;
	while (start < query.size()) {
		size_t end = query.find('&', start);
		if (end == std::string_view::npos)
			end = query.size();
		std::string_view pair = query.substr(start, end - start);
		start = end + 1;
		if (pair.empty())
			continue;
		size_t eq = pair.find('=');
		std::string_view name = pair.substr(0, eq);
		std::string_view value = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
		params.emplace_back(uriEncode(uriDecode(name)), uriEncode(uriDecode(value)));
	}
	auto append = [&out](const std::vector<QueryParam> &list) {
		for (size_t i = 0; i < list.size(); ++i) {
			if (i)
				out += '&';
			out += list[i].first;
			out += '=';
			out += list[i].second;
		}
	};
	// The common case for presigning: no query of its own, and the signer's
	// parameters already in order.
	if (params.empty() && std::is_sorted(extra.begin(), extra.end())) {
		append(extra);
		return;
	}
	params.insert(params.end(), extra.begin(), extra.end());
	std::sort(params.begin(), params.end());
	append(params);
}

void sortAndMerge(std::vector<CanonicalHeader> &headers)
{
	auto byName = [](const CanonicalHeader &a, const CanonicalHeader &b) { return a.name() < b.name(); };
	if (headers.size() > 16) {
		std::stable_sort(headers.begin(), headers.end(), byName);
	} else {
		// A request has a handful of headers: a stable insertion sort needs no buffer.
		for (size_t i = 1; i < headers.size(); ++i)
			for (size_t j = i; j > 0 && byName(headers[j], headers[j - 1]); --j)
				std::swap(headers[j], headers[j - 1]);
	}
	size_t w = 0;
	for (size_t r = 0; r < headers.size(); ++r) {
		if (w > 0 && headers[w - 1].name() == headers[r].name()) {
			headers[w - 1].addValue(headers[r].value());
		} else {
			if (w != r)
				headers[w] = std::move(headers[r]);
			++w;
		}
	}
	headers.erase(headers.begin() + static_cast<std::ptrdiff_t>(w), headers.end());
}

std::string signedHeaderList(const std::vector<CanonicalHeader> &headers)
{
	std::string out;
	for (const auto &h : headers) {
		if (!out.empty())
			out += ';';
		out += h.name();
	}
	return out;
}

std::string assemble(const CanonicalParts &p)
{
	static const std::vector<QueryParam> noParams;
	size_t size = p.method.size() + p.path.size() * 3 + p.query.size() * 3 + p.signedHeaders.size() +
		      p.payloadHash.size() + 16;
	for (const auto &h : *p.headers)
		size += h.name().size() + h.value().size() + 2;
	if (p.extraQuery)
		for (const auto &q : *p.extraQuery)
			size += q.first.size() + q.second.size() + 2;
	std::string out;
	out.reserve(size);
	out += p.method;
	out += '\n';
	appendCanonicalUri(out, p.path, p.normalizePath, p.doubleUriEncode);
	out += '\n';
	appendCanonicalQuery(out, p.query, p.extraQuery ? *p.extraQuery : noParams);
	out += '\n';
	for (const auto &h : *p.headers) {
		out += h.name();
		out += ':';
		out += h.value();
		out += '\n';
	}
	out += '\n';
	out += p.signedHeaders;
	out += '\n';
	out += p.payloadHash;
	return out;
}

} // namespace mwaatok::sigv4::detail
