#!/usr/bin/env bash
# One advisory identity across sources, each source's record kept (issue 6, docs/feeds.md
# "Identity"), on real records from ../shared/conformance/advisories:
# - CVE-2024-4542 from CVE JSON 5 (cve5-sample) and from NVD (nvd-sample): two records of one
#   identity, each with its own source, origin and summary; re-importing one source touches
#   only that record;
# - PYSEC-2023-212 (OSV, aliases CVE-2023-45803 and a GHSA ID) and NVD's CVE-2023-45803: one
#   identity found by any of the IDs; findings --explain names the record that matched;
# - AlmaLinux ALSA-2025:1671 and ALSA-2025:1673 list CVE-2024-7264 as OSV "related": kept as
#   relations, never joining identities;
# - import counts equal the records in the files.
source "$(dirname "$0")/lib.bash"
SHARED=${CT_SHARED_DIR:-$(dirname "$0")/../../../shared}
A="$SHARED/conformance/advisories"
if [ ! -f "$A/cve5-sample/CVE-2024-4542.json" ] || [ ! -f "$A/osv/almalinux/osv-almalinux.jsonl.gz" ] ||
   [ ! -f "$A/osv/pypa-advisory-database/osv-pypi.jsonl.gz" ]; then
  echo "skipped: $A (cve5-sample, nvd-sample, osv almalinux/pypi) is absent"
  exit 77
fi
DB=$(fresh_db)
CVE5="$A/cve5-sample/CVE-2024-4542.json"
NVD="$A/nvd-sample/cves/CVE-2024-4542.json"

# the same ID from two sources: two records, neither overwrites the other
check "cve5 record inserted" "1 1" "$(ct --json advisories import "$CVE5" | jq -r '"\(.records) \(.inserted)"')"
check "nvd record of the same ID inserted, not an update" "1 1 0" "$(ct --json advisories import "$NVD" | jq -r '"\(.records) \(.inserted) \(.updated)"')"
ct --json advisories show CVE-2024-4542 >"$WORK/show.json"
check "one identity, two records" "CVE-2024-4542 2" "$(jq -r '"\(.advisory) \(.records | length)"' "$WORK/show.json")"
check "each record with its source and origin" "cve5 $CVE5|nvd $NVD" "$(jq -r '[.records[] | "\(.source) \(.origin)"] | join("|")' "$WORK/show.json")"
check "the CVE 5 record keeps its own summary" "$(jq -r '.containers.cna.rejectedReasons[0].value // .containers.cna.descriptions[0].value' "$CVE5")" "$(jq -r '.records[] | select(.source == "cve5") | .summary' "$WORK/show.json")"
check "the NVD record keeps its own summary" "$(jq -r '[.descriptions[] | select(.lang == "en")][0].value' "$NVD")" "$(jq -r '.records[] | select(.source == "nvd") | .summary' "$WORK/show.json")"
check "both rejected records are withdrawn" "2" "$(jq -r '[.records[] | select(.withdrawn != null)] | length' "$WORK/show.json")"
check "affected --json lists both records with their origin" "cve5 $CVE5|nvd $NVD" "$(ct --json affected CVE-2024-4542 | jq -r '[.records[] | "\(.source) \(.origin)"] | join("|")')"
check "the text form names both sources" "2" "$(ct advisories show CVE-2024-4542 | grep -c '^  record CVE-2024-4542 from \(cve5\|nvd\) (')"
# re-import of one source updates (here: leaves) only that source's record
check "re-import of the NVD record is unchanged" "0 0 1" "$(ct --json advisories import "$NVD" | jq -r '"\(.inserted) \(.updated) \(.unchanged)"')"
jq '.lastModified = "2030-01-01T00:00:00.000"' "$NVD" >"$WORK/nvd-newer.json"
check "a newer NVD record updates one record" "0 1" "$(ct --json advisories import "$WORK/nvd-newer.json" | jq -r '"\(.inserted) \(.updated)"')"
ct --json advisories show CVE-2024-4542 >"$WORK/show2.json"
check "only the NVD record changed" "cve5 $CVE5|nvd $WORK/nvd-newer.json" "$(jq -r '[.records[] | "\(.source) \(.origin)"] | join("|")' "$WORK/show2.json")"
check "the CVE 5 record is as before" "$(jq -c '.records[] | select(.source == "cve5")' "$WORK/show.json")" "$(jq -c '.records[] | select(.source == "cve5")' "$WORK/show2.json")"

# OSV + NVD: one identity by CVE and GHSA; findings name the record that matched
zcat "$A/osv/pypa-advisory-database/osv-pypi.jsonl.gz" | grep -F '"id":"PYSEC-2023-212"' >"$WORK/pysec.json"
ghsa=$(jq -r '[.aliases[] | select(startswith("GHSA-"))][0]' "$WORK/pysec.json")
ct advisories import "$WORK/pysec.json" "$A/nvd-sample/cves/CVE-2023-45803.json" >/dev/null
ct --json advisories show "$ghsa" >"$WORK/u.json"
check "GHSA alias finds the CVE identity" "CVE-2023-45803" "$(jq -r .advisory "$WORK/u.json")"
check "records of both sources" "CVE-2023-45803 nvd|PYSEC-2023-212 osv" "$(jq -r '[.records[] | "\(.id) \(.source)"] | sort | join("|")' "$WORK/u.json")"
check "severity source is one of the records" "1" "$(jq -r '.severity_record.source as $s | [.records[] | select(.source == $s)] | length | if . > 0 then 1 else 0 end' "$WORK/u.json")"
printf '{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"metadata":{"component":{"type":"firmware","name":"gw","version":"1.0"}},"components":[{"type":"library","name":"urllib3","version":"2.0.6","purl":"pkg:pypi/urllib3@2.0.6"}]}\n' >"$WORK/gw.json"
ct release add gw 1.0 --sbom "$WORK/gw.json" >/dev/null
ct --json findings --product gw >"$WORK/f.json"
check "one finding, under the primary ID" "1 CVE-2023-45803" "$(jq -r '"\(length) \(.[0].advisory)"' "$WORK/f.json")"
check "the finding names the OSV record that matched" "PYSEC-2023-212 osv $WORK/pysec.json" "$(jq -r '.[0].records[] | "\(.advisory) \(.source) \(.origin)"' "$WORK/f.json")"
check "explain prints it" "1" "$(ct findings --product gw --explain | grep -c "record     PYSEC-2023-212 from osv ($WORK/pysec.json)")"

# AlmaLinux "related" is a relation, not an alias
zcat "$A/osv/almalinux/osv-almalinux.jsonl.gz" | grep -F -e '"id":"ALSA-2025:1671"' -e '"id":"ALSA-2025:1673"' >"$WORK/alsa.jsonl"
check "both ALSA records relate CVE-2024-7264" "2" "$(jq -r 'select(.related | index("CVE-2024-7264")) | .id' "$WORK/alsa.jsonl" | wc -l | tr -d ' ')"
ct advisories import "$WORK/alsa.jsonl" "$A/nvd-sample/cves/CVE-2024-7264.json" >/dev/null
ct --json advisories show ALSA-2025:1671 >"$WORK/alsa-show.json"
check "the ALSA record stays its own identity" "ALSA-2025:1671 1 0" "$(jq -r '"\(.advisory) \(.records | length) \(.aliases | length)"' "$WORK/alsa-show.json")"
check "its related IDs are kept as in the file" "$(jq -r 'select(.id == "ALSA-2025:1671") | .related | sort | join(" ")' "$WORK/alsa.jsonl")" "$(jq -r '.records[0].related | join(" ")' "$WORK/alsa-show.json")"
check "the CVE is not merged into the ALSA records" "CVE-2024-7264 1" "$(ct --json advisories show CVE-2024-7264 | jq -r '"\(.advisory) \(.records | length)"')"
check "the CVE shows who relates to it" "ALSA-2025:1671 ALSA-2025:1673" "$(ct --json advisories show CVE-2024-7264 | jq -r '[.related_by[].id] | join(" ")')"

# counts equal the records in the files (AlmaLinux: IDs repeated across releases count each time)
lines=$(zcat "$A/osv/almalinux/osv-almalinux.jsonl.gz" | grep -c .)
check "almalinux counted" "$lines" "$(ct --json advisories import "$A/osv/almalinux/osv-almalinux.jsonl.gz" | jq -r .records)"
expect_rc "unknown ID" 3 ct advisories show CVE-1999-99999
finish
