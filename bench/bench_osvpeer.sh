#!/usr/bin/env bash
# Issue 6, side by side: cratrace and the independent OSV helper (tests/match/osv_semantics.py)
# match the SAME inputs in the same run, and their finding sets are compared.
# No peer scanner (osv-scanner, grype, trivy, Dependency-Track, cve-bin-tool, VulnerableCode)
# installs from Debian bookworm or npm (see docs/PERFORMANCE.md §4, "osvpeer"), so the helper is
# the comparison: standard-library Python that evaluates OSV events itself and orders versions
# through the reference oracles (../shared/oracles/vercmp, one batch per scheme).
#
#   bash bench/bench_osvpeer.sh BUILD_DIR [--runs N] [--corpus FILE.jsonl.gz [--skip-real]]
#
# Inputs (both sides): every OSV file under ../shared/conformance/advisories/osv (AlmaLinux and
# the embedded-C subset included), the GHSA samples and the OSV records in the schema's tool
# test data; every SBOM under ../shared/conformance/sboms (the ones cratrace does not read as the
# helper's CycloneDX 1.5 copies, as tests/e2e/osv_semantics.sh does) plus SBOMs of this
# machine's Python distributions and Go binaries. Prepared once, untimed.
# Timed, each run (cratrace on SQLite, a fresh store per run):
#   ct_import_match  init + advisories import + every sbom import (each matches its release) +
#                    match (full rematch) + findings --json: the whole path, summed
#   ct_match         the `cratrace match` step alone (full rematch of the loaded store)
#   helper           osv_semantics.py expect: reads the same files, evaluates, prints the pairs
# Rows (TSV bench/case/metric/value/unit): wall_s, cpu_s (user+sys of the process and its
# children, from /usr/bin/time), peak_rss_kb (largest single process), per run; then
# min/median/max and the ratios helper/cratrace of the medians. CPU time is the comparable
# number on a loaded machine (wall includes waiting for a core); loadavg is printed.
# --corpus FILE: also a larger run with FILE (e.g. the generated 30,000-record corpus of
#   `bench_feed --dir /tmp/bf-small --records 30000`, /tmp/bf-small/osv-corpus-g1-30000.jsonl.gz)
#   as the advisories, and boundary probes (the e2e test's make-test subset) added to the SBOMs;
#   --skip-real runs only that one.
# The finding sets must be equal (pairs no oracle can decide left out, as in the e2e test):
# `differences` rows, and exit 1 if a run differs.
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: bash bench/bench_osvpeer.sh BUILD_DIR [--runs N] [--corpus FILE]" >&2
  exit 2
fi
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$(cd "$1" && pwd)
shift
RUNS=3 CORPUS='' SKIP_REAL=0
while [ $# -gt 0 ]; do
  case $1 in
    --runs) RUNS=$2; shift 2 ;;
    --corpus) CORPUS=$2; shift 2 ;;
    --skip-real) SKIP_REAL=1; shift ;;
    *) echo "bench_osvpeer: unknown argument $1" >&2; exit 2 ;;
  esac
done
SHARED=${SHARED:-$ROOT/../shared}
CT=$BUILD/cratrace
HELPER=$ROOT/tests/match/osv_semantics.py
ORACLES_HOME=${ORACLES_HOME:-$HOME/.cache/cratrace-oracles}
A=$SHARED/conformance/advisories/osv
if [ ! -d "$A" ] || [ ! -d "$SHARED/conformance/sboms" ] || [ ! -f "$ORACLES_HOME/stamp" ] ||
   [ ! -x /usr/bin/time ] || [ ! -x "$CT" ]; then
  echo "bench_osvpeer: skipped (needs $A, the oracles ($ORACLES_HOME/stamp), /usr/bin/time and $CT)" >&2
  exit 0
fi
export CT_VERCMP=$SHARED/oracles/vercmp
TMP=$(mktemp -d "${TMPDIR:-/tmp}/osvpeer.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
row() { printf 'osvpeer\t%s\t%s\t%s\t%s\n' "$@"; }
note() { echo "bench_osvpeer: $*" >&2; }

# ---- inputs (untimed) ------------------------------------------------------------------------
mapfile -t OSV < <(find "$A" -name '*.jsonl.gz' | LC_ALL=C sort)
O=$SHARED/conformance/osv/tools
mapfile -t -O "${#OSV[@]}" OSV < <(ls "$SHARED"/conformance/advisories/ghsa-sample/*.json \
  "$O"/ghsa/testdata/*.osv.json "$O"/osv-linter/testdata/*.json "$O"/redhat/testdata/OSV/*.json \
  2>/dev/null | LC_ALL=C sort)
mapfile -t RAW < <(find "$SHARED/conformance/sboms" -type f \
  \( -name '*.json' -o -name '*.xml' -o -name '*.spdx' -o -name '*.sbom' \) | LC_ALL=C sort)
/usr/bin/python3 "$HELPER" local-python "$TMP/local-python.cdx.json" 2>>"$TMP/prep.log"
RAW+=("$TMP/local-python.cdx.json")
if command -v go >/dev/null; then
  godirs=()
  for d in /usr/lib/go*/bin /usr/lib/go*/pkg/tool /usr/bin /usr/local/bin /usr/local/go/bin \
           /usr/lib/google-cloud-sdk/bin "$HOME/go/bin" "$ORACLES_HOME/bin"; do
    [ -d "$d" ] && godirs+=("$d")
  done
  /usr/bin/python3 "$HELPER" local-go "$TMP/local-go.cdx.json" "${godirs[@]}" 2>>"$TMP/prep.log"
  RAW+=("$TMP/local-go.cdx.json")
fi
# the documents cratrace does not read (exit 3): the helper's CycloneDX 1.5 copy, for both sides
SBOMS=() i=0 rewritten=0
"$CT" --db "$TMP/probe.db" --quiet init >/dev/null
for f in "${RAW[@]}"; do
  i=$((i + 1))
  rc=0
  "$CT" --db "$TMP/probe.db" --quiet sbom import "$f" --product "p$i" --release 1 >/dev/null \
    2>&1 || rc=$?
  if [ "$rc" = 3 ]; then
    /usr/bin/python3 "$HELPER" rewrite "$f" "$TMP/rewrite-$i.json" 2>/dev/null
    SBOMS+=("$TMP/rewrite-$i.json")
    rewritten=$((rewritten + 1))
  else
    SBOMS+=("$f")
  fi
done
rm -f "$TMP/probe.db"
ncomp=0
for f in "${SBOMS[@]}"; do
  ncomp=$((ncomp + $(/usr/bin/python3 "$HELPER" components "$f" | awk -F'\t' '$1 != ""' | wc -l)))
done
note "$(tr '\n' ' ' <"$TMP/prep.log")"
note "${#OSV[@]} OSV files, ${#SBOMS[@]} SBOMs ($rewritten as CycloneDX 1.5 copies), $ncomp components with a purl"

printf 'bench\tcase\tmetric\tvalue\tunit\n'
row real inputs "${#OSV[@]}" osv_files
row real inputs "${#SBOMS[@]}" sboms
row real inputs "$ncomp" components_with_purl

# ---- measurement helpers ---------------------------------------------------------------------
# timed OUTVAR CMD...: runs CMD under /usr/bin/time; OUTVAR gets "wall cpu rss"
timed() {
  local var=$1 rc=0
  shift
  /usr/bin/time -f '%e %U %S %M' -o "$TMP/time" "$@" >/dev/null || rc=$?
  if [ "$rc" != 0 ]; then
    note "failed ($rc): $*"
    exit 1
  fi
  printf -v "$var" '%s' "$(awk '{printf "%.2f %.2f %d", $1, $2 + $3, $4}' "$TMP/time")"
}
add() { # add "w c r" "w c r" -> sums of wall and cpu, max of rss
  awk -v a="$1" -v b="$2" 'BEGIN{split(a,x," "); split(b,y," ");
    printf "%.2f %.2f %d", x[1]+y[1], x[2]+y[2], (x[3]>y[3]?x[3]:y[3])}'
}

# one_run CASE RUN OSV-ARRAY-NAME SBOM-ARRAY-NAME: rows for cratrace and the helper
one_run() {
  local kase=$1 run=$2 db="$TMP/run.db" tot="0 0 0" t f j=0
  local -n osv=$3 sboms=$4
  rm -f "$db"
  row "$kase" "run$run" "$(cut -d' ' -f1 /proc/loadavg)" loadavg_1m
  timed t "$CT" --db "$db" --quiet init
  tot=$(add "$tot" "$t")
  timed t "$CT" --db "$db" --quiet advisories import "${osv[@]}"
  tot=$(add "$tot" "$t")
  local imp=$t
  for f in "${sboms[@]}"; do
    j=$((j + 1))
    timed t "$CT" --db "$db" --quiet sbom import "$f" --product "sbom$j" --release 1
    tot=$(add "$tot" "$t")
  done
  timed t "$CT" --db "$db" --quiet match
  tot=$(add "$tot" "$t")
  local m=$t
  timed t sh -c '"$0" --db "$1" --quiet --json findings >"$2"' "$CT" "$db" "$TMP/findings.json"
  tot=$(add "$tot" "$t")
  timed t sh -c '/usr/bin/python3 "$0" expect --osv "$@" >"$EXPECTED" 2>"$HELPER_ERR"' \
    "$HELPER" "${osv[@]}" --sbom "${sboms[@]}" --excluded "$TMP/excluded.tsv"
  local h=$t
  for pair in "ct_import_match:$tot" "ct_advisories_import:$imp" "ct_match:$m" "helper:$h"; do
    read -r w c r <<<"${pair#*:}"
    row "$kase" "${pair%%:*}.run$run" "$w" wall_s
    row "$kase" "${pair%%:*}.run$run" "$c" cpu_s
    row "$kase" "${pair%%:*}.run$run" "$r" peak_rss_kb
    echo "${pair%%:*} $w $c $r" >>"$TMP/$kase.runs"
  done
  # the same pairs on both sides (pairs no oracle can decide left out of both)
  jq -r '.[] | .purl as $p | ((.records // [{advisory: .advisory}])[] | .advisory) as $a
         | [$p, $a] | @tsv' "$TMP/findings.json" | LC_ALL=C sort -u >"$TMP/actual.all"
  LC_ALL=C sort -u "$TMP/excluded.tsv" >"$TMP/excluded.sorted"
  LC_ALL=C comm -23 "$TMP/actual.all" "$TMP/excluded.sorted" >"$TMP/actual.tsv"
  LC_ALL=C sort -u "$EXPECTED" >"$TMP/expected.sorted"
  local diff
  diff=$(LC_ALL=C comm -3 "$TMP/expected.sorted" "$TMP/actual.tsv" | wc -l)
  row "$kase" "run$run" "$(wc -l <"$TMP/expected.sorted")" findings_helper
  row "$kase" "run$run" "$(wc -l <"$TMP/actual.tsv")" findings_cratrace
  row "$kase" "run$run" "$diff" differences
  if [ "$diff" != 0 ]; then
    note "$kase run $run: $diff pairs differ:"
    LC_ALL=C comm -3 "$TMP/expected.sorted" "$TMP/actual.tsv" | head -20 >&2
    DIFFS=1
  fi
}

# summary CASE: min/median/max per side and metric, ratios of the medians
summary() {
  local kase=$1
  awk -v k="$kase" '
    { n[$1]++; w[$1, n[$1]] = $2; c[$1, n[$1]] = $3; r[$1, n[$1]] = $4 }
    function med(a, s, m,   i, j, t, v) { for (i = 1; i <= m; i++) v[i] = a[s, i];
      for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      lo = v[1]; hi = v[m]; return (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2 }
    END {
      for (s in n) {
        mw[s] = med(w, s, n[s]); printf "osvpeer\t%s\t%s.median\t%.2f\twall_s\n", k, s, mw[s]
        printf "osvpeer\t%s\t%s.spread\t%.2f-%.2f\twall_s\n", k, s, lo, hi
        mc[s] = med(c, s, n[s]); printf "osvpeer\t%s\t%s.median\t%.2f\tcpu_s\n", k, s, mc[s]
        printf "osvpeer\t%s\t%s.spread\t%.2f-%.2f\tcpu_s\n", k, s, lo, hi
        mr = med(r, s, n[s]); printf "osvpeer\t%s\t%s.median\t%d\tpeak_rss_kb\n", k, s, mr
      }
      if (mc["ct_import_match"] > 0) {
        printf "osvpeer\t%s\tratio_helper_over_ct_import_match\t%.2f\tcpu\n", k, mc["helper"] / mc["ct_import_match"]
        printf "osvpeer\t%s\tratio_helper_over_ct_import_match\t%.2f\twall\n", k, mw["helper"] / mw["ct_import_match"]
      }
      if (mc["ct_match"] > 0) {
        printf "osvpeer\t%s\tratio_helper_over_ct_match\t%.2f\tcpu\n", k, mc["helper"] / mc["ct_match"]
        printf "osvpeer\t%s\tratio_helper_over_ct_match\t%.2f\twall\n", k, mw["helper"] / mw["ct_match"]
      }
    }' "$TMP/$kase.runs" | LC_ALL=C sort
}

DIFFS=0
export EXPECTED=$TMP/expected.tsv HELPER_ERR=$TMP/helper.err
if [ "$SKIP_REAL" = 0 ]; then
  for run in $(seq 1 "$RUNS"); do
    note "real: run $run of $RUNS"
    one_run real "$run" OSV SBOMS
  done
  note "helper: $(tr '\n' ' ' <"$HELPER_ERR" | cut -c1-600)"
  summary real
fi

if [ -n "$CORPUS" ]; then
  # shellcheck disable=SC2034 # used through one_run's namerefs
  LOSV=("$CORPUS")
  /usr/bin/python3 "$HELPER" probe "$TMP/probes.cdx.json" --sample 4 --per-package 4 \
    --distro-sample 8 "${OSV[@]}" 2>>"$TMP/prep.log"
  # shellcheck disable=SC2034
  LSBOMS=("${SBOMS[@]}" "$TMP/probes.cdx.json")
  row large inputs "$(zcat -f "$CORPUS" | wc -l)" osv_records
  row large inputs "$(/usr/bin/python3 "$HELPER" components "$TMP/probes.cdx.json" | wc -l)" probe_components
  for run in $(seq 1 "$RUNS"); do
    note "large ($CORPUS): run $run of $RUNS"
    one_run large "$run" LOSV LSBOMS
  done
  note "helper: $(tr '\n' ' ' <"$HELPER_ERR" | cut -c1-600)"
  summary large
fi
exit "$DIFFS"
