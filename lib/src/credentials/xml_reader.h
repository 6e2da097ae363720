#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// A small strict reader for the XML answers of query-protocol services (STS):
/// elements, attributes (skipped), text, comments and the five entities plus
/// numeric references. No DOCTYPE, no CDATA, no processing beyond the prolog.
namespace mwaatok::detail {

struct XmlNode {
	std::string name; ///< without a namespace prefix
	std::string text; ///< the element's own text, entities decoded
	std::vector<XmlNode> children;

	/// The first child called \a name, or nullptr.
	const XmlNode *child(std::string_view name) const;
	/// The text of the element at \a path (child names from here); empty when absent.
	std::string textAt(std::initializer_list<std::string_view> path) const;
};

/// The document element of \a text; nullopt when it is not well-formed XML
/// of the kind above.
std::optional<XmlNode> parseXml(std::string_view text);

} // namespace mwaatok::detail
