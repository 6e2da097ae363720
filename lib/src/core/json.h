#pragma once

#include <string>

#include <Poco/JSON/Object.h>

namespace mwaatok::detail {

/// \a body parsed as a JSON object, or nullptr when it is not one.
Poco::JSON::Object::Ptr parseJsonObject(const std::string &body);
/// Member \a name when it is a non-empty string (or a number), else empty.
std::string jsonString(const Poco::JSON::Object &o, const std::string &name);

} // namespace mwaatok::detail
