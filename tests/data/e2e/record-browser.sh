#!/bin/sh
# Stands in for a web browser ($BROWSER): records its arguments, one per
# line, in browser-argv.txt next to this script.
printf '%s\n' "$@" >>"$(dirname "$0")/browser-argv.txt"
