#include "core/json.h"

#include <Poco/JSON/Parser.h>

namespace mwaatok::detail {

Poco::JSON::Object::Ptr parseJsonObject(const std::string &body)
{
	try {
		Poco::JSON::Parser parser;
		auto v = parser.parse(body);
		if (v.type() == typeid(Poco::JSON::Object::Ptr))
			return v.extract<Poco::JSON::Object::Ptr>();
	} catch (const Poco::Exception &) {
	} catch (const std::exception &) {
	}
	return nullptr;
}

std::string jsonString(const Poco::JSON::Object &o, const std::string &name)
{
	if (!o.has(name))
		return {};
	try {
		auto v = o.get(name);
		if (v.isEmpty() || !(v.isString() || v.isNumeric()))
			return {};
		return v.convert<std::string>();
	} catch (const Poco::Exception &) {
		return {};
	}
}

} // namespace mwaatok::detail
