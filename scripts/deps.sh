# Sourced by scripts/test and scripts/demo: install the Debian packages the
# build and the tests need, but only those that are missing.
mwaatok_packages="meson ninja-build pkg-config cmake g++ libpoco-dev libyaml-cpp-dev
libboost-test-dev libssl-dev scdoc python3 python3-botocore awscli openssl"

mwaatok_install_deps() {
	local missing=""
	for p in $mwaatok_packages; do
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
