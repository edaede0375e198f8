#!/usr/bin/env bash
# Build and run the whole suite: every store and end-to-end test on SQLite and on a private
# PostgreSQL 15 started on 127.0.0.1 for this run (stopped afterwards).
#   scripts/test.sh [BUILD_DIR] [extra ctest args]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${1:-build}
shift || true
JOBS=$(nproc 2>/dev/null || echo 2)

cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE="${CT_BUILD_TYPE:-RelWithDebInfo}" ${CT_CMAKE_ARGS:-} >/dev/null
cmake --build "$BUILD" -j "$JOBS"

if [ ! -d ../shared/conformance ]; then
  echo "test: ../shared/conformance is absent: conformance tests will be reported as skipped" >&2
fi

PGDIR=""
cleanup() {
  if [ -n "$PGDIR" ]; then
    # absolute path: ctest runs from the build directory
    if ! "$ROOT/scripts/pg-test-server.sh" stop "$PGDIR" >/dev/null; then
      echo "test: could not stop the PostgreSQL in $PGDIR" >&2
    fi
  fi
}
trap cleanup EXIT

if [ -z "${CT_TEST_PG_DSN:-}" ]; then
  PGDIR=$(mktemp -d /tmp/cratrace-pg.XXXXXX)
  CT_TEST_PG_DSN=$("$ROOT/scripts/pg-test-server.sh" start "$PGDIR")
fi
export CT_TEST_PG_DSN
echo "test: PostgreSQL for this run: $CT_TEST_PG_DSN"

cd "$BUILD"
ctest --output-on-failure -j "$JOBS" "$@"
