#include "support/private_file.h"

#include "mwaatok/environment.h"
#include "mwaatok/error.h"
#include "mwaatok/filesystem.h"

namespace mwaatok {

std::string expandHome(std::string_view path, const Environment &environment)
{
	auto home = environment.getNonEmpty("HOME");
	if (auto expanded = expandTilde(path, home))
		return *expanded;
	if (path.size() > 1 && path[1] != '/')
		throw Error(ErrorKind::Usage, "cannot expand '" + std::string(path) +
						      "': only ~ and ~/ are supported; write the full path");
	throw Error(ErrorKind::Usage, "cannot expand '" + std::string(path) +
					      "': HOME is not set; write the full path");
}

} // namespace mwaatok
