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

# ---- build: bench/ is part of the CMake project behind -DCT_BENCH=ON -----------------------
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCT_BENCH=ON \
      -DCT_SHARED_DIR="$SHARED" >/dev/null
cmake --build "$BUILD" -j "$(nproc)" --target bench_affected bench_import bench_fleet \
      bench_version bench_feed bench_sbom >&2

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
# ---- fleet: CSV import of units + events vs sqlite3 .import / psql \copy, unit show --at and
# affected --at latencies (bench/bench_fleet.c). Full size is 1M units x 10 events (~12 GB of
# disk traffic, several minutes); CT_BENCH_QUICK=1 uses 100k units. CT_BENCH_FLEET_ARGS adds
# flags; CT_BENCH_PG_DSN (an empty database) adds the PostgreSQL run.
FLEET_ARGS=(--dir "$BUILD/bench-tmp/fleet")
if [ "${CT_BENCH_QUICK:-0}" = 1 ]; then
  FLEET_ARGS+=(--units 100000)
fi
# shellcheck disable=SC2206
FLEET_ARGS+=(${CT_BENCH_FLEET_ARGS:-})
"$BIN/bench_fleet" "${FLEET_ARGS[@]}" | strip_header
# ---- versions and purl: compares/s per scheme and purl parse+canonicalise/s, next to the
# oracles' rates when they are installed (bench/bench_version.c)
"$BIN/bench_version" | strip_header
# ---- advisories: every real advisory file, a generated 520,000-record OSV corpus (cached in
# BUILD/bench-tmp/feed, ~145 MB), and 1,000 SBOMs x 1,000 components matched against it
# (bench/bench_feed.c). CT_BENCH_QUICK=1: 50,000 records, 50 SBOMs. CT_BENCH_FEED_ARGS adds flags.
FEED_ARGS=(--dir "$BUILD/bench-tmp/feed" --shared "$SHARED")
if [ "${CT_BENCH_QUICK:-0}" = 1 ]; then
  FEED_ARGS+=(--records 50000 --sboms 50)
fi
# shellcheck disable=SC2206
FEED_ARGS+=(${CT_BENCH_FEED_ARGS:-})
"$BIN/bench_feed" "${FEED_ARGS[@]}" | strip_header
# ---- SBOM parse + validate: the 3 largest real SBOMs and generated 1/10/100 MB CycloneDX JSON,
# MB/s and peak RSS (fork per run), cdx-validate on the same files when the oracles are installed
# (bench/bench_sbom.c). CT_BENCH_QUICK=1: 1 and 10 MB only. CT_BENCH_SBOM_ARGS adds flags.
SBOM_ARGS=(--dir "$BUILD/bench-tmp/sbom" --shared "$SHARED")
if [ "${CT_BENCH_QUICK:-0}" = 1 ]; then
  SBOM_ARGS+=(--sizes 1,10)
fi
# shellcheck disable=SC2206
SBOM_ARGS+=(${CT_BENCH_SBOM_ARGS:-})
"$BIN/bench_sbom" "${SBOM_ARGS[@]}" | strip_header
cmake --build "$BUILD" --target cratrace >&2 && bash "$ROOT/bench/bench_osvpeer.sh" "$BUILD" ${CT_BENCH_OSVPEER_ARGS:---runs 1} | strip_header # issue 6: cratrace vs the independent OSV helper, same inputs and run
printf 'env\tmachine\tloadavg_1m_end\t%s\tload\n' "$(cut -d' ' -f1 /proc/loadavg)"
