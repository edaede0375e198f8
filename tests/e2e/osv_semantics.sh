#!/usr/bin/env bash
# Issue 6: on real data, `cratrace match` finds exactly the (component, OSV record) pairs that
# the OSV schema's evaluation rules give. The expected set comes from tests/match/osv_semantics.py,
# which shares no code with cratrace: it reads the OSV records and SBOMs itself and compares
# versions only through the reference oracles (../shared/oracles/vercmp).
# Components: every SBOM under ../shared/conformance/sboms, an SBOM of this machine's installed
# Python distributions and one of the modules (and Go toolchain as "stdlib") in its Go binaries.
# Advisories: every OSV file under ../shared/conformance/advisories (osv/, ghsa-sample/) and the
# OSV records in the test data of ../shared/conformance/osv/tools.
# Boundary probes: components at the event versions of the records' packages (Go, PyPI,
# crates.io, Bitnami, Hackage, ...), where >= / > / == decide; for release-scoped distro
# entries ("AlmaLinux:9", "Alpine:v3.8") suffix probes: the same version in that release (or a
# point release of it), in another release and without a `distro` qualifier, where the suffix
# decides. make test uses a deterministic subset (1 package in 4, 4 versions each) and leaves
# out the AlmaLinux files; CT_OSV_SEMANTICS_FULL=1 takes every OSV file, probes every package
# and version, and 1 AlmaLinux package in 8 (minutes, not for make test).
source "$(dirname "$0")/lib.bash"
HERE=$(cd "$(dirname "$0")" && pwd)
SHARED=${CT_SHARED_DIR:-$HERE/../../../shared}
HELPER=$HERE/../match/osv_semantics.py
A=$SHARED/conformance/advisories/osv
ORACLES_HOME=${ORACLES_HOME:-$HOME/.cache/cratrace-oracles}
if [ ! -d "$A" ] || [ ! -d "$SHARED/conformance/sboms" ]; then
  echo "skipped: $SHARED/conformance (OSV data and SBOMs) is absent"
  exit 77
fi
if [ ! -f "$ORACLES_HOME/stamp" ] || [ ! -x "$SHARED/oracles/vercmp" ]; then
  echo "skipped: oracles not installed ($ORACLES_HOME/stamp missing; run $SHARED/oracles/install.sh)"
  exit 77
fi
if [ ! -x /usr/bin/python3 ]; then
  echo "skipped: /usr/bin/python3 is absent"
  exit 77
fi
export CT_VERCMP=$SHARED/oracles/vercmp
DB=$(fresh_db)

# The same files in the same order for both sides: a record ID read twice keeps the newest
# "modified" (first read on a tie), in cratrace and in the helper.
FULL=${CT_OSV_SEMANTICS_FULL:-0}
if [ "$FULL" = 1 ]; then
  mapfile -t OSV < <(find "$A" -name '*.jsonl.gz' | LC_ALL=C sort)
else
  # make test leaves out the two rpm (AlmaLinux) files: no SBOM here has an rpm component, so
  # they cannot add a finding, and they are 80% of the import time (62 s on PostgreSQL)
  mapfile -t OSV < <(find "$A" -name '*.jsonl.gz' ! -name '*almalinux*' \
    ! -name 'embedded-c-libs-subset*' | LC_ALL=C sort)
fi
# single records: GHSA samples, and the real records in the OSV schema's tool test data
O=$SHARED/conformance/osv/tools
mapfile -t -O "${#OSV[@]}" OSV < <(ls "$SHARED"/conformance/advisories/ghsa-sample/*.json \
  "$O"/ghsa/testdata/*.osv.json "$O"/osv-linter/testdata/*.json "$O"/redhat/testdata/OSV/*.json \
  2>/dev/null | LC_ALL=C sort)
mapfile -t SBOMS < <(find "$SHARED/conformance/sboms" -type f \
  \( -name '*.json' -o -name '*.xml' -o -name '*.spdx' -o -name '*.sbom' \) | LC_ALL=C sort)
# synthetic suffix probes: the ecosystem suffix forms the real data lacks (no suffix on a
# distro, Maven/Packagist repository URLs, Red Hat streams of several releases), one record
# each, and components placed in each release / repository; the same two files for both sides
if ! /usr/bin/python3 "$HELPER" suffix-synth "$WORK/suffix-synth.osv.jsonl" \
    "$WORK/suffix-synth.cdx.json" 2>"$WORK/synth.log"; then
  echo "FAIL: helper suffix-synth: $(cat "$WORK/synth.log")"
  exit 1
fi
OSV+=("$WORK/suffix-synth.osv.jsonl")
SBOMS+=("$WORK/suffix-synth.cdx.json")

# the SBOMs the helper builds, made while cratrace imports the advisories
prepare() {
  /usr/bin/python3 "$HELPER" local-python "$WORK/local-python.cdx.json"
  if command -v go >/dev/null; then
    local godirs=() d
    for d in /usr/lib/go*/bin /usr/lib/go*/pkg/tool /usr/bin /usr/local/bin /usr/local/go/bin \
             /usr/lib/google-cloud-sdk/bin "$HOME/go/bin" "$ORACLES_HOME/bin"; do
      [ -d "$d" ] && godirs+=("$d")
    done
    /usr/bin/python3 "$HELPER" local-go "$WORK/local-go.cdx.json" "${godirs[@]}"
  else
    echo "note: no go command: the SBOM of this machine's Go binaries is left out"
  fi
  if [ "$FULL" = 1 ]; then
    /usr/bin/python3 "$HELPER" probe "$WORK/probes.cdx.json" --distro-sample 8 "${OSV[@]}"
  else
    /usr/bin/python3 "$HELPER" probe "$WORK/probes.cdx.json" --sample 4 --per-package 4 "${OSV[@]}"
  fi
}
prepare >"$WORK/prepare.log" 2>&1 &
prep=$!

ct init >/dev/null
for f in "${OSV[@]}"; do # one file per call: the same order as the helper reads them
  expect_rc "advisories import $f" 0 ct advisories import "$f"
done
if ! wait "$prep"; then
  echo "FAIL: helper: $(cat "$WORK/prepare.log")"
  exit 1
fi
cat "$WORK/prepare.log"
for f in local-go local-python probes; do
  [ -f "$WORK/$f.cdx.json" ] && SBOMS+=("$WORK/$f.cdx.json")
done

# expected set, computed while cratrace imports the SBOMs and matches
/usr/bin/python3 "$HELPER" expect --osv "${OSV[@]}" --sbom "${SBOMS[@]}" \
  --excluded "$WORK/excluded.tsv" >"$WORK/expected.tsv" 2>"$WORK/helper.err" &
helper=$!

i=0 rewritten=0
for f in "${SBOMS[@]}"; do
  i=$((i + 1))
  rc=0
  ct sbom import "$f" --product "sbom$i" --release 1 >/dev/null 2>"$WORK/sbom.err" || rc=$?
  if [ "$rc" = 3 ]; then
    # a document cratrace does not read (CycloneDX 1.1-1.3, trailing junk, no specVersion):
    # the same components, as the helper reads them, in CycloneDX 1.5
    echo "note: read as a CycloneDX 1.5 copy: $(head -c 300 "$WORK/sbom.err")"
    /usr/bin/python3 "$HELPER" rewrite "$f" "$WORK/rewrite-$i.json" 2>/dev/null
    rewritten=$((rewritten + 1))
    rc=0
    ct sbom import "$WORK/rewrite-$i.json" --product "sbom$i" --release 1 >/dev/null \
      2>"$WORK/sbom.err" || rc=$?
  fi
  CHECKS=$((CHECKS + 1))
  if [ "$rc" != 0 ]; then
    echo "FAIL: sbom import $f: exit $rc: $(cat "$WORK/sbom.err")"
    FAILS=$((FAILS + 1))
  fi
done
expect_rc "match" 0 ct match
ct --json findings >"$WORK/findings.json"
# one row per (component purl, OSV record id); with identity merging a finding lists the
# records it came from in "records"
jq -r '.[] | .purl as $p | ((.records // [{advisory: .advisory}])[] | .advisory) as $a
       | [$p, $a] | @tsv' "$WORK/findings.json" | LC_ALL=C sort -u >"$WORK/actual.all"

if ! wait "$helper"; then
  echo "FAIL: helper: $(cat "$WORK/helper.err")"
  exit 1
fi
cat "$WORK/helper.err"
LC_ALL=C sort -u "$WORK/expected.tsv" >"$WORK/expected.sorted"
# pairs whose range no oracle can order (e.g. Hackage) are left out of the comparison
LC_ALL=C sort -u "$WORK/excluded.tsv" >"$WORK/excluded.sorted"
LC_ALL=C comm -23 "$WORK/actual.all" "$WORK/excluded.sorted" >"$WORK/actual.tsv"
echo "${#SBOMS[@]} SBOMs ($rewritten rewritten as CycloneDX 1.5), ${#OSV[@]} OSV files;" \
  "expected $(wc -l <"$WORK/expected.sorted") pairs, cratrace $(wc -l <"$WORK/actual.tsv")" \
  "($(($(wc -l <"$WORK/actual.all") - $(wc -l <"$WORK/actual.tsv"))) of its pairs left out as undecidable)"
CHECKS=$((CHECKS + 1))
if [ ! -s "$WORK/expected.sorted" ]; then
  echo "FAIL: the helper expects no finding at all: nothing was compared"
  FAILS=$((FAILS + 1))
fi
only_ct=$(LC_ALL=C comm -13 "$WORK/expected.sorted" "$WORK/actual.tsv")
only_osv=$(LC_ALL=C comm -23 "$WORK/expected.sorted" "$WORK/actual.tsv")
check "pairs cratrace finds that OSV semantics do not give" "" "$only_ct"
check "pairs OSV semantics give that cratrace misses" "" "$only_osv"
finish
