#!/usr/bin/env bash
# Run every benchmark with sane defaults; TSV on stdout (bench, case, metric, value, unit),
# progress and notes on stderr.
#   bash bench/run.sh BUILD_DIR            full size (first run generates and caches ~1 GB)
#   CT_BENCH_QUICK=1 bash bench/run.sh B   small sizes, about a minute
# Environment:
#   CT_BENCH_AFFECTED_ARGS  extra/override flags for bench_affected (e.g. "--units 100000 --releases 200")
#   CT_BENCH_PG_DSN         also run bench_affected on this PostgreSQL database (must be empty or
#                           hold the same bench data set; see scripts/pg-test-server.sh)
#   CT_BENCH_CACHE          where generated data sets are cached (default BUILD_DIR/bench-cache)
#   SHARED                  the shared/ folder (default ../shared next to the source tree)
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: bash bench/run.sh BUILD_DIR" >&2
  exit 2
fi
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$(mkdir -p "$1" && cd "$1" && pwd)
SHARED=${SHARED:-$ROOT/../shared}
CACHE=${CT_BENCH_CACHE:-$BUILD/bench-cache}
BIN=$BUILD/bench

# ---- build --------------------------------------------------------------------------------
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
if grep -q '^bench_affected:' "$BUILD/Makefile" 2>/dev/null ||
   [ -f "$BUILD/bench/CMakeFiles/bench_affected.dir/flags.make" ]; then
  # bench/ is part of the CMake project (add_subdirectory(bench) in CMakeLists.txt)
  cmake --build "$BUILD" -j "$(nproc)" --target bench_affected bench_import >&2
else
  # not (yet) added to the project: build the library with CMake, the benches by hand
  cmake --build "$BUILD" -j "$(nproc)" --target cratrace_lib >&2
  mkdir -p "$BIN"
  CFLAGS="-std=c17 -O2 -g -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic -Werror -Wshadow
          -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla -Wundef
          -Wimplicit-fallthrough -I$ROOT/include $(pkg-config --cflags json-c)"
  LIBS="$BUILD/libcratrace.a $(pkg-config --libs json-c sqlite3 libpq zlib) -lm"
  for b in bench_affected bench_import; do
    if [ ! -x "$BIN/$b" ] || [ "$ROOT/bench/$b.c" -nt "$BIN/$b" ] ||
       [ "$ROOT/bench/bench_util.h" -nt "$BIN/$b" ] || [ "$BUILD/libcratrace.a" -nt "$BIN/$b" ]; then
      # shellcheck disable=SC2086
      gcc $CFLAGS -DCT_BENCH_SHARED_DIR="\"$SHARED\"" "$ROOT/bench/$b.c" $LIBS -o "$BIN/$b"
    fi
  done
fi

# ---- run ----------------------------------------------------------------------------------
AFFECTED_ARGS=()
if [ "${CT_BENCH_QUICK:-0}" = 1 ]; then
  AFFECTED_ARGS=(--units 100000 --releases 200)
  IMPORT_ARGS=(--min-seconds 0.5)
else
  IMPORT_ARGS=(--min-seconds 3)
fi
# shellcheck disable=SC2206
AFFECTED_ARGS+=(${CT_BENCH_AFFECTED_ARGS:-})

strip_header() { awk -F '\t' '$1 != "bench"'; }

printf 'bench\tcase\tmetric\tvalue\tunit\n'
printf 'env\tmachine\tnproc\t%s\tcpus\n' "$(nproc)"
printf 'env\tmachine\tloadavg_1m\t%s\tload\n' "$(cut -d' ' -f1 /proc/loadavg)"
"$BIN/bench_affected" --cache-dir "$CACHE" "${AFFECTED_ARGS[@]}" | strip_header
mkdir -p "$BUILD/bench-tmp"
"$BIN/bench_import" --shared "$SHARED" --tmp "$BUILD/bench-tmp" "${IMPORT_ARGS[@]}" | strip_header
printf 'env\tmachine\tloadavg_1m_end\t%s\tload\n' "$(cut -d' ' -f1 /proc/loadavg)"
