#!/usr/bin/env bash
# Advisory identity and triage through the CLI, on real records: GO-2023-1627 (Go vulndb, OSV,
# aliases CVE-2023-27561 and a GHSA ID) and CVE-2023-27561 (CISA Vulnrichment, CVE JSON 5).
# One identity (primary CVE ID, both records with their origin), one finding per component;
# `vex set` by any alias; `findings --state`; the statement carries over to the next release
# while runc's version is unchanged and not after it changes; a withdrawn record retracts.
source "$(dirname "$0")/lib.bash"
SHARED=${CT_SHARED_DIR:-$(dirname "$0")/../../../shared}
A="$SHARED/conformance/advisories"
if [ ! -f "$A/osv/go-vulndb/osv-go.jsonl.gz" ] || [ ! -f "$A/cve5/cve5-vulnrichment.jsonl.gz" ]; then
  echo "skipped: $A (osv-go, cve5-vulnrichment) is absent"
  exit 77
fi
DB=$(fresh_db)
zcat "$A/osv/go-vulndb/osv-go.jsonl.gz" | grep -F '"id":"GO-2023-1627"' >"$WORK/go.json"
zcat "$A/cve5/cve5-vulnrichment.jsonl.gz" | grep -F '"cveId":"CVE-2023-27561"' >"$WORK/cve.json"
ghsa=$(jq -r '[.aliases[] | select(startswith("GHSA-"))][0]' "$WORK/go.json")
cve=$(jq -r '[.aliases[] | select(startswith("CVE-"))][0]' "$WORK/go.json")
check "the pair is real" "CVE-2023-27561" "$cve"
check "the CVE record is the alias" "$cve" "$(jq -r .cveMetadata.cveId "$WORK/cve.json")"

sbom() { # sbom VERSION RUNC_VERSION
  printf '{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"metadata":{"component":{"type":"firmware","name":"edge","version":"%s"}},"components":[{"type":"library","name":"github.com/opencontainers/runc","version":"%s","purl":"pkg:golang/github.com/opencontainers/runc@%s"}]}\n' "$1" "$2" "$2" >"$WORK/edge-$1.json"
  echo "$WORK/edge-$1.json"
}

ct release add edge 1.0 --sbom "$(sbom 1.0 v1.1.4)" >/dev/null
ct advisories import "$WORK/cve.json" >/dev/null
ct advisories import "$WORK/go.json" >/dev/null
ct --json findings >"$WORK/f.json"
check "one finding per component and identity" "1" "$(jq length "$WORK/f.json")"
check "primary ID is the CVE" "$cve" "$(jq -r '.[0].advisory' "$WORK/f.json")"
check "aliases: GHSA and GO" "$ghsa GO-2023-1627" "$(jq -r '.[0].aliases | sort | join(" ")' "$WORK/f.json")"
check "the record that produced it, with origin" "GO-2023-1627 osv $WORK/go.json" "$(jq -r '.[0].records[] | "\(.advisory) \(.source) \(.origin)"' "$WORK/f.json")"
check "range and rule from the Go record" "$(jq -r '.[0].records[0] | "\(.range) \(.rule)"' "$WORK/f.json")" "$(jq -r '.[0] | "\(.range) \(.rule)"' "$WORK/f.json")"
check "affected by GHSA: both source records" "$cve cve5 osv" "$(ct --json affected "$ghsa" | jq -r '"\(.advisory) \([.records[].source] | sort | join(" "))"')"
check "explain names the record and its source" "1" "$(ct findings --explain | grep -c "record     GO-2023-1627 from osv")"

# triage by the GHSA alias, then releases 1.1 (same runc) and 1.2 (runc changed)
expect_rc "vex set" 0 ct vex set edge 1.0 "$ghsa" --state not_affected --justification vulnerable_code_not_in_execute_path --by e2e
check "vex set output" "edge 1.0: $cve is not_affected (vulnerable_code_not_in_execute_path), by e2e (1 finding)" "$(cat "$WORK/out")"
ct release add edge 1.1 --sbom "$(sbom 1.1 v1.1.4)" >/dev/null
ct release add edge 1.2 --sbom "$(sbom 1.2 v1.1.3)" >/dev/null
ct --json findings --product edge >"$WORK/f.json"
check "states per release" "1.0 not_affected null,1.1 not_affected 1.0,1.2 in_triage null" "$(jq -r '[.[] | "\(.release) \(.state) \(.triage.inherited_from)"] | join(",")' "$WORK/f.json")"
check "who and justification kept" "e2e vulnerable_code_not_in_execute_path" "$(jq -r '.[1] | "\(.triage.by) \(.justification)"' "$WORK/f.json")"
check "--state not_affected" "1.0 1.1" "$(ct --json findings --state not_affected | jq -r '[.[].release] | join(" ")')"
check "--state in_triage" "1.2" "$(ct --json findings --state in_triage | jq -r '[.[].release] | join(" ")')"
check "--product filter" "0" "$(ct --json findings --product nosuch | jq length)"
check "explain says inherited" "1" "$(ct findings --explain --product edge | grep -c "inherited from release 1.0")"
# an own statement on 1.1 wins over the inherited one
ct vex set edge 1.1 GO-2023-1627 --state affected --note "reachable in 1.1" --by e2e >/dev/null
check "own statement on 1.1" "1.0 not_affected,1.1 affected,1.2 in_triage" "$(ct --json findings | jq -r '[.[] | "\(.release) \(.state)"] | join(",")')"
# a full rematch keeps the triage
ct match >/dev/null
check "triage survives rematch" "1.0 not_affected,1.1 affected,1.2 in_triage" "$(ct --json findings | jq -r '[.[] | "\(.release) \(.state)"] | join(",")')"

# usage and input errors
expect_rc "bad state" 2 ct vex set edge 1.0 "$cve" --state exploitable --by e2e
expect_rc "justification without not_affected" 2 ct vex set edge 1.0 "$cve" --state affected --justification component_not_present --by e2e
expect_rc "not_affected needs a reason" 2 ct vex set edge 1.0 "$cve" --state not_affected --by e2e
expect_rc "bad findings state" 2 ct findings --state bogus
expect_rc "unknown advisory" 3 ct vex set edge 1.0 GHSA-0000-0000-0000 --state affected --by e2e
expect_rc "unknown release" 3 ct vex set edge 9.9 "$cve" --state affected --by e2e
expect_rc "unknown component" 3 ct vex set edge 1.0 "$cve" --state affected --component pkg:golang/nope@1 --by e2e

# the Go record withdrawn (newer modified): its findings are retracted, the identity stays
jq -c '.withdrawn = "2025-02-01T00:00:00Z" | .modified = "2025-02-01T00:00:00Z"' "$WORK/go.json" >"$WORK/go-withdrawn.json"
ct advisories import "$WORK/go-withdrawn.json" >/dev/null
check "withdrawn retracts findings" "0" "$(ct --json findings | jq length)"
check "withdrawn record kept" "GO-2023-1627 2025-02-01T00:00:00Z" "$(ct --json affected "$cve" | jq -r '.records[] | select(.source == "osv") | "\(.id) \(.withdrawn)"')"
finish
