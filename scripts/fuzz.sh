#!/usr/bin/env bash
# Build every fuzz/fuzz_*.c with clang libFuzzer + ASan/UBSan and run each for SECONDS.
#
#   scripts/fuzz.sh BUILD_DIR SECONDS [TARGET...]
#
# Each target fuzzes a temporary copy of fuzz/corpus/<name without fuzz_>, so new inputs never
# land in the repository; fuzz/<target>.dict is passed when it exists. Logs go to
# BUILD_DIR/fuzz-logs/<target>.log and crashers to BUILD_DIR/fuzz-artifacts/<target>/.
# FUZZ_JOBS=N runs N targets at a time (default 1). Exit status: 0 = no crash, 1 = a target
# crashed (or leaked, hung, ran out of memory), 2 = usage or build problem.
set -euo pipefail

usage() {
  echo "usage: $0 BUILD_DIR SECONDS [TARGET...]" >&2
  exit 2
}
[ $# -ge 2 ] || usage
build=$1
secs=$2
shift 2
case $secs in '' | *[!0-9]*) usage ;; esac
jobs=${FUZZ_JOBS:-1}
case $jobs in '' | *[!0-9]* | 0) echo "fuzz.sh: FUZZ_JOBS must be a positive integer" >&2; exit 2 ;; esac

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# --- clang and its libFuzzer runtime -------------------------------------------------------
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
cat >"$probe/p.c" <<'EOF'
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }
EOF
if ! command -v clang >/dev/null 2>&1 ||
   ! clang -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" >"$probe/log" 2>&1; then
  echo "fuzz.sh: clang with the libFuzzer runtime is not available:" >&2
  sed 's/^/  /' "$probe/log" 2>/dev/null >&2 || true
  echo "fuzz.sh: run scripts/install-deps.sh (it installs clang and libclang-rt-14-dev)" >&2
  exit 2
fi

# --- configure and build --------------------------------------------------------------------
if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for src in fuzz/fuzz_*.c; do
    targets+=("$(basename "$src" .c)")
  done
fi
CC=clang cmake -S . -B "$build" -DCT_LIBFUZZER=ON -DCT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
  >"$probe/cmake.log" 2>&1 || { cat "$probe/cmake.log" >&2; exit 2; }
nproc=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
cmake --build "$build" -j"$nproc" --target "${targets[@]}" || exit 2

logs="$build/fuzz-logs"
arts="$build/fuzz-artifacts"
work=$(mktemp -d)
trap 'rm -rf "$probe" "$work"' EXIT
mkdir -p "$logs"

# --- run ------------------------------------------------------------------------------------
run_one() {
  local t=$1 corpus dict=() rc=0
  corpus="fuzz/corpus/${t#fuzz_}"
  rm -rf "${arts:?}/$t"
  mkdir -p "$work/$t" "$arts/$t"
  if [ -d "$corpus" ]; then
    cp -R "$corpus/." "$work/$t/"
  fi
  if [ -f "fuzz/$t.dict" ]; then
    dict=("-dict=fuzz/$t.dict")
  fi
  echo "== $t: ${secs}s on a copy of $corpus ${dict[*]}" >"$logs/$t.log"
  "$build/$t" "$work/$t" "${dict[@]}" -max_total_time="$secs" -timeout=30 \
    -print_final_stats=1 -artifact_prefix="$arts/$t/" >>"$logs/$t.log" 2>&1 || rc=$?
  echo "$rc" >"$work/$t.rc"
}

running=0
for t in "${targets[@]}"; do
  [ -x "$build/$t" ] || { echo "fuzz.sh: no such target $t" >&2; exit 2; }
  echo "fuzz.sh: running $t for ${secs}s"
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait

# --- report ---------------------------------------------------------------------------------
status=0
printf '\n%-22s %12s %8s %8s  %s\n' target execs cov ft result
for t in "${targets[@]}"; do
  log="$logs/$t.log"
  rc=$(cat "$work/$t.rc" 2>/dev/null || echo 99)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
  # the last status line ("#N DONE cov: C ft: F ...", or the last pulse before a crash)
  last=$(grep -E '^#[0-9]+.*cov: [0-9]+ ft: [0-9]+' "$log" | tail -n1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  crashers=$(find "$arts/$t" -type f 2>/dev/null | sort)
  if [ "$rc" = 0 ] && [ -z "$crashers" ]; then
    result="ok"
  else
    result="CRASH (rc=$rc) see $log"
    [ -n "$crashers" ] && result="$result; $(tr '\n' ' ' <<<"$crashers")"
    status=1
  fi
  printf '%-22s %12s %8s %8s  %s\n' "$t" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$result"
done
exit $status
