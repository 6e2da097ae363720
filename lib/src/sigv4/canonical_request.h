#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

/// The pieces of the SigV4 canonical request, shared by the signer and the verifier.
namespace mwaatok::sigv4::detail {

/// One line of the canonical headers: lowercase name, folded value(s) joined by ','.
class CanonicalHeader {
public:
	explicit CanonicalHeader(std::string lowercaseName) : name_(std::move(lowercaseName)) {}

	/// Add one value, folded, after a ',' unless it is the first. A value that
	/// needs no folding is borrowed, not copied: it must outlive this header.
	void addValue(std::string_view raw);

	const std::string &name() const { return name_; }
	std::string_view value() const { return owned_ ? std::string_view(text_) : borrowed_; }

private:
	std::string name_;
	std::string_view borrowed_;
	std::string text_;
	bool owned_ = false;
	bool empty_ = true;
};

/// An already-encoded query parameter.
using QueryParam = std::pair<std::string, std::string>;

/// True for headers that are never signed (they change in transit or are the signature).
bool isUnsignedHeader(std::string_view lowercaseName);

/// True when \a value has whitespace (or control characters) that folding might change.
bool needsFolding(std::string_view value);

/// Append \a value trimmed, with every run of whitespace folded to one space.
void appendFoldedValue(std::string &out, std::string_view value);

/// RFC 3986 dot-segment removal that also drops empty segments ("//a/./b/.." -> "/a").
std::string normalizePath(std::string_view path);

/// Append the canonical URI of \a path (as sent, percent-encoded).
void appendCanonicalUri(std::string &out, std::string_view path, bool normalize, bool doubleEncode);

/// Append the canonical query: the parameters of \a query, each decoded and
/// re-encoded, plus \a extra (already encoded), sorted by name then value.
void appendCanonicalQuery(std::string &out, std::string_view query, const std::vector<QueryParam> &extra);

/// Sort \a headers by name (stable) and merge repeated names, joining values with ','.
void sortAndMerge(std::vector<CanonicalHeader> &headers);

/// "a;b;c" from sorted, merged \a headers.
std::string signedHeaderList(const std::vector<CanonicalHeader> &headers);

/// Everything a canonical request is made of.
struct CanonicalParts {
	std::string_view method;
	std::string_view path;
	bool normalizePath = true;
	bool doubleUriEncode = true;
	std::string_view query;
	const std::vector<QueryParam> *extraQuery = nullptr;
	const std::vector<CanonicalHeader> *headers = nullptr; ///< sorted and merged
	std::string_view signedHeaders;
	std::string_view payloadHash;
};

/// The stage-1 text.
std::string assemble(const CanonicalParts &parts);

} // namespace mwaatok::sigv4::detail
