#include <cstdio>
#include <cstring>

#include "mwaatok_config.h"

int main(int argc, char **argv)
{
	if (argc > 1 && std::strcmp(argv[1], "--version") == 0) {
		std::printf("%s\n", MWAATOK_VERSION);
		return 0;
	}
	std::printf("usage: mwaatok [GLOBAL OPTIONS] COMMAND [ARGS]\n");
	return 0;
}
