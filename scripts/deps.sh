# Sourced by the scripts in scripts/: install the Debian packages the build and
# the tests need, but only those that are missing.
#   awscli            the AWS CLI parity tests (tests/e2e_credentials)
#   python3-botocore  the SigV4 differential test (tests/sigv4)
#   chromium, curl    the browser test (tests/browser) and session checks
#   clang, libclang-rt-dev  libFuzzer for scripts/fuzz
mwaatok_packages="meson ninja-build pkg-config cmake g++ libpoco-dev libyaml-cpp-dev
libboost-test-dev libssl-dev scdoc python3 python3-botocore openssl awscli chromium curl
clang libclang-rt-dev"

# mwaatok_install_deps [PACKAGE...]: mwaatok_packages and any extra ones given.
mwaatok_install_deps() {
	local missing=""
	for p in $mwaatok_packages "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "installing:$missing" >&2
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq >&2
	# shellcheck disable=SC2086
	$sudo apt-get install -y -qq --no-install-recommends $missing >&2
}
