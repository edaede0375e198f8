#!/usr/bin/env bash
# Advisory feeds through the CLI: OSV and CVE JSON 5 detected per file or directory, counts
# equal to the records in the files, rejected CVE records kept as withdrawn, re-import idempotent.
source "$(dirname "$0")/lib.bash"
SHARED=${CT_SHARED_DIR:-$(dirname "$0")/../../../shared}
A="$SHARED/conformance/advisories"
if [ ! -d "$A/cve5-sample" ]; then
  echo "skipped: $A is absent"
  exit 77
fi
DB=$(fresh_db)

n_files=$(ls "$A"/cve5-sample/CVE-*.json | wc -l)
check "cve5 directory detected and counted" "$n_files $n_files" "$(ct --json advisories import "$A/cve5-sample" | jq -r '"\(.records) \(.inserted)"')"
check "cve5 re-import unchanged" "0 $n_files" "$(ct --json advisories import "$A/cve5-sample" | jq -r '"\(.inserted) \(.unchanged)"')"
rejected=$(grep -c 'state:REJECTED' "$A/cve5-sample/INDEX.tsv")
check "rejected records are withdrawn" "$rejected" "$(for f in $(grep 'state:REJECTED' "$A/cve5-sample/INDEX.tsv" | cut -f1); do ct --json affected "${f%.json}" | jq -r 'select(.withdrawn != null) | .advisory'; done | wc -l | tr -d ' ')"
check "source recorded" "cve5" "$(ct --json affected CVE-2024-25704 | jq -r .source)"

lines=$(zcat "$A/osv/go-vulndb/osv-go.jsonl.gz" | grep -c .)
check "osv jsonl.gz counted" "$lines" "$(ct --json advisories import "$A/osv/go-vulndb/osv-go.jsonl.gz" | jq -r .records)"
# a GO- record is found by its GHSA alias
ghsa=$(zcat "$A/osv/go-vulndb/osv-go.jsonl.gz" | sed -n 1p | jq -r '[.aliases[] | select(startswith("GHSA-"))][0]')
id=$(zcat "$A/osv/go-vulndb/osv-go.jsonl.gz" | sed -n 1p | jq -r .id)
check "alias lookup" "$id" "$(ct --json affected "$ghsa" | jq -r .advisory)"
expect_rc "unsupported format" 3 ct advisories import --format nvd "$A/cve5-sample"
finish
