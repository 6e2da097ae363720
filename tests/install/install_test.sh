#!/usr/bin/env bash
# Installs the build into a temporary DESTDIR and checks it as a user and a
# plugin author would find it. Run by `meson test` (tests/install/meson.build
# passes the build's directories in the environment).
set -euo pipefail

work=$(mktemp -d)
emulator_pid=""
cleanup() {
	[ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

failures=0
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}
# Relative directory options are relative to the prefix.
under_prefix() { case $1 in /*) echo "$1" ;; *) echo "$PREFIX/$1" ;; esac; }

dest=$work/dest
"$MESON" install -C "$BUILD_ROOT" --no-rebuild --destdir "$dest" >"$work/install.log" 2>&1 ||
	{ cat "$work/install.log" >&2; echo "FAIL: meson install" >&2; exit 1; }

bindir=$(under_prefix "$BINDIR")
libdir=$(under_prefix "$LIBDIR")
datadir=$(under_prefix "$DATADIR")
mandir=$(under_prefix "$MANDIR")
includedir=$(under_prefix "$INCLUDEDIR")

# Every file in its conventional place.
expect_file() {
	local mode=$1 path=$2
	if [ ! -f "$dest$path" ]; then
		fail "not installed: $path"
	elif [ "$(stat -c %a "$dest$path")" != "$mode" ]; then
		fail "$path has mode $(stat -c %a "$dest$path"), expected $mode"
	fi
}
expect_file 755 "$bindir/mwaatok"
if [ "$MAN_PAGES" = 1 ]; then
	expect_file 644 "$mandir/man1/mwaatok.1"
	expect_file 644 "$mandir/man5/mwaatok.5"
	grep -q '^\.TH "mwaatok" "1"' "$dest$mandir/man1/mwaatok.1" || fail "mwaatok.1 is no man page"
fi
expect_file 644 "$datadir/bash-completion/completions/mwaatok"
expect_file 644 "$datadir/zsh/site-functions/_mwaatok"
expect_file 644 "$datadir/fish/vendor_completions.d/mwaatok.fish"
[ -d "$dest$libdir/mwaatok/plugins" ] || fail "no plugin directory $libdir/mwaatok/plugins"
expect_file 755 "$libdir/mwaatok/plugins/mwaatok-plugin-markdown.so"
# The SDK's headers: the plugin API and what it includes.
sdk_headers="output_plugin.h terminal_text.h time.h"
for h in $sdk_headers; do
	expect_file 644 "$includedir/mwaatok/$h"
done
expect_file 644 "$libdir/pkgconfig/mwaatok-plugin.pc"

# The SDK is those headers and the .pc: no library, no other header.
sdk_pattern="/mwaatok/($(echo "$sdk_headers" | sed 's/ /|/g; s/\./\\./g'))$"
extra=$(cd "$dest" && find . -type f \( -path "./${includedir#/}/*" -o -name '*.a' -o -name 'libmwaatok*' \) |
	grep -Ev "$sdk_pattern" || true)
[ -z "$extra" ] || fail "installed beyond the SDK: $extra"
# The binary runs, and knows where its plugins are installed.
"$dest$bindir/mwaatok" --version >/dev/null || fail "the installed mwaatok does not run"

# The header stands alone: it compiles with the .pc's flags and nothing else.
export PKG_CONFIG_PATH=$dest$libdir/pkgconfig PKG_CONFIG_SYSROOT_DIR=$dest PKG_CONFIG_LIBDIR=$dest$libdir/pkgconfig
cflags=$(pkg-config --cflags mwaatok-plugin) || fail "pkg-config does not find mwaatok-plugin"
[ "$(pkg-config --variable=plugindir mwaatok-plugin)" != "" ] || fail "mwaatok-plugin.pc has no plugindir"
printf '#include <mwaatok/output_plugin.h>\nint main() { return mwaatok::kOutputPluginApiVersion > 0 ? 0 : 1; }\n' >"$work/alone.cpp"
# shellcheck disable=SC2086
c++ -std=c++20 -Wall -Wextra -Werror $cflags -c "$work/alone.cpp" -o "$work/alone.o" 2>"$work/alone.log" ||
	{ cat "$work/alone.log" >&2; fail "the installed header does not compile on its own"; }
# ... and the SDK includes nothing but the standard library and itself.
for h in $sdk_headers; do
	private=$(grep '^#include' "$dest$includedir/mwaatok/$h" | grep -v '^#include <[a-z_]*>$' |
		grep -Ev "^#include \"mwaatok/($(echo "$sdk_headers" | sed 's/ /|/g; s/\./\\./g'))\"$" || true)
	[ -z "$private" ] || fail "the installed $h includes more than the standard library and the SDK: $private"
done
case $cflags in *"$dest"*) ;; *) fail "pkg-config --cflags does not point into the install: $cflags" ;; esac

# examples/plugin, out of tree, against the installed SDK.
cp -r "$SOURCE_ROOT/examples/plugin" "$work/example"
if ! { "$MESON" setup "$work/example-build" "$work/example" && ninja -C "$work/example-build"; } >"$work/example.log" 2>&1; then
	cat "$work/example.log" >&2
	fail "examples/plugin does not build against the installed SDK"
	exit 1
fi
grep -q -- "-I$dest$includedir" "$work/example-build/build.ninja" ||
	fail "examples/plugin was not built against the installed header"
plugins=$work/plugins
install -d -m 0755 "$plugins"
install -m 0755 "$work/example-build/mwaatok-plugin-lines.so" "$plugins/"

# The installed mwaatok lists it and delivers a link through it.
run() {
	env -i PATH=/usr/bin:/bin HOME="$work/home" AWS_EC2_METADATA_DISABLED=true \
		AWS_CONFIG_FILE=/nonexistent/config AWS_SHARED_CREDENTIALS_FILE=/nonexistent/credentials \
		AWS_ACCESS_KEY_ID=AKIAINSTALLTEST00001 AWS_SECRET_ACCESS_KEY=install/test/secret/key \
		MWAATOK_PLUGIN_PATH="$plugins" "$dest$bindir/mwaatok" "$@"
}
mkdir -p "$work/home"
listing=$(run plugins) || fail "mwaatok plugins failed"
grep -q "lines.*one line per environment" <<<"$listing" || fail "mwaatok plugins does not list the example: $listing"

"$EMULATOR" --key 'AKIAINSTALLTEST00001:install/test/secret/key' --env installed:eu-west-1:2.10.3 \
	>"$work/emulator.out" 2>"$work/emulator.err" &
emulator_pid=$!
for _ in $(seq 100); do
	grep -q 'listening on' "$work/emulator.out" 2>/dev/null && break
	sleep 0.1
done
endpoint=$(sed -n 's/^listening on //p' "$work/emulator.out")
[ -n "$endpoint" ] || { cat "$work/emulator.err" >&2; fail "the emulator did not start"; exit 1; }

if out=$(run --endpoint-url "$endpoint" --region eu-west-1 url installed -o print -o lines:prefix=LINK 2>"$work/run.err"); then
	url=$(grep -v '^LINK ' <<<"$out" || true)
	[[ $url == https://*.airflow.amazonaws.com/aws_mwaa/aws-console-sso\?login=true#?* ]] || fail "no login URL printed: $out"
	grep -qxF "LINK installed $url" <<<"$out" || fail "the example plugin did not deliver the link: $out"
	grep -q 'lines: 1 delivered, 0 failed' "$work/run.err" || fail "the example plugin did not end: $(cat "$work/run.err")"
else
	fail "mwaatok url -o lines failed: $(cat "$work/run.err")"
fi

if [ "$failures" -gt 0 ]; then
	echo "$failures check(s) failed" >&2
	exit 1
fi
echo "DESTDIR install, SDK and example plugin: ok"
