#!/bin/sh
# Stands in for a web browser ($BROWSER or xdg-open): records its arguments,
# one per line, in browser-argv.txt next to this script (no PATH needed).
printf '%s\n' "$@" >>"${0%/*}/browser-argv.txt"
