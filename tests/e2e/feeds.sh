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
# KEV and EPSS: counts equal the records; an advisory is joined to them by ID or alias.
kev_n=$(jq '.vulnerabilities | length' "$SHARED/conformance/kev/known_exploited_vulnerabilities.json")
check "kev count" "$kev_n" "$(ct --json advisories import --format kev "$SHARED/conformance/kev/known_exploited_vulnerabilities.json" | jq -r .records)"
epss_n=$(gzip -dc "$A/epss/epss-first-api-via-emba.csv.gz" | grep -c .)
check "epss count" "$epss_n" "$(ct --json advisories import --format epss "$A/epss/epss-first-api-via-emba.csv.gz" | jq -r .records)"
kev_cve=$(jq -r '.vulnerabilities[0].cveID' "$SHARED/conformance/kev/known_exploited_vulnerabilities.json")
kev_added=$(jq -r '.vulnerabilities[0].dateAdded' "$SHARED/conformance/kev/known_exploited_vulnerabilities.json")
printf '{"id":"TEST-KEV-1","modified":"2024-01-01T00:00:00Z","aliases":["%s"],"summary":"x","severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],"affected":[]}\n' "$kev_cve" >"$WORK/kev-osv.json"
ct advisories import "$WORK/kev-osv.json" >/dev/null
check "kev via alias" "$kev_added" "$(ct --json affected TEST-KEV-1 | jq -r .kev.date_added)"
want_epss=$(gzip -dc "$A/epss/epss-first-api-via-emba.csv.gz" | grep "^$kev_cve;" | cut -d';' -f2)
check "epss via alias" "$(printf '%.6f' "$want_epss")" "$(ct --json affected TEST-KEV-1 | jq -r '.epss' | xargs printf '%.6f')"
check "severity rated from the CVSS vector" "Critical cvss 9.8" "$(ct --json affected TEST-KEV-1 | jq -r '"\(.severity) \(.severity_source) \(.cvss_score)"')"
# NVD API 2.0 pages and CSAF documents are detected too; counts as in the files.
nvd_n=$(ls "$A"/nvd-sample/cves/*.json | wc -l)
check "nvd cves" "$nvd_n" "$(ct --json advisories import "$A/nvd-sample/cves" | jq -r .records)"
csaf_n=$(gzip -dc "$A/csaf-real/cisa/cisa-csaf-ot-it-all.jsonl.gz" | jq -c '.vulnerabilities | length' | awk '{s += $1} END {print s}')
check "csaf vulnerabilities" "$csaf_n" "$(ct --json advisories import "$A/csaf-real/cisa/cisa-csaf-ot-it-all.jsonl.gz" | jq -r .records)"
expect_rc "unsupported format" 3 ct advisories import --format nvd "$A/cve5-sample"
finish
