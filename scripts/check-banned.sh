#!/usr/bin/env bash
# Banned functions (STYLE §11), in the manner of curl's checksrc: fails listing each use.
# Raw malloc/free are allowed only in src/base/alloc.c and the fuzz standalone driver.
set -euo pipefail
cd "$(dirname "$0")/.."
banned='strcpy|strcat|sprintf|vsprintf|gets|strtok|strncpy|atoi|atol|atof|localtime|gmtime|mktime|rand|system|popen|tmpnam|alloca|setlocale'
status=0
dirs=()
for d in src tests fuzz bench; do [ -d "$d" ] && dirs+=("$d"); done
files=$(find "${dirs[@]}" \( -name '*.c' -o -name '*.h' \) | sort)
# strip comments and string literals roughly, then look for calls
for f in $files; do
  hits=$(sed -e 's://.*$::' -e 's:"[^"]*"::g' "$f" | grep -nE "(^|[^A-Za-z0-9_.>])($banned)[[:space:]]*\(" || true)
  if [ -n "$hits" ]; then
    echo "$f: banned function:"; echo "$hits"; status=1
  fi
  case $f in src/base/alloc.c|fuzz/standalone_driver.c) continue ;; esac
  hits=$(sed -e 's://.*$::' -e 's:"[^"]*"::g' "$f" | grep -nE "(^|[^A-Za-z0-9_])(malloc|free|realloc|calloc)[[:space:]]*\(" || true)
  if [ -n "$hits" ]; then
    echo "$f: raw allocation (use ct_malloc/ct_free):"; echo "$hits"; status=1
  fi
done
[ $status -eq 0 ] && echo "check-banned: $(echo "$files" | wc -l) files clean"
exit $status
