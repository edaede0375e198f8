#!/usr/bin/env bash
# Distro awareness through the CLI, on the real distro data under ../shared: `advisories import`
# recognises Alpine secdb YAML, Wolfi secdb JSON, the Debian tracker JSON and the DSA list by
# content; record counts equal the records in the files (counted here with jq / awk); rejected
# entries are listed with file, line and reason. An SBOM with deb/apk purls (written here):
# release-scoped findings, a patched package not vulnerable, and a finding from another source
# on a package Debian fixed carries the tracker's verdict in `findings --explain`.
source "$(dirname "$0")/lib.bash"
SHARED=${CT_SHARED_DIR:-$(dirname "$0")/../../../shared}
D="$SHARED/conformance/advisories/distro"
if [ ! -d "$D/alpine-secdb" ] || [ ! -f "$D/vunnel-fixtures/debian/debian.json" ]; then
  echo "skipped: $D is absent"
  exit 77
fi
DB=$(fresh_db)
ct init >/dev/null 2>&1 || true

# Debian tracker: one record per ID that has a releases object (jq), the other one rejected
"$CRATRACE" --db "$DB" --json advisories import "$D/vunnel-fixtures/debian/debian.json" >"$WORK/deb.json" 2>"$WORK/deb.err"
check "tracker records = IDs with releases" \
  "$(jq '[.[] | to_entries[] | select(.value.releases | type == "object") | .key] | unique | length' "$D/vunnel-fixtures/debian/debian.json")" \
  "$(jq .records "$WORK/deb.json")"
check "tracker rejects listed with location and reason" \
  "$(jq '[.[] | to_entries[] | select(.value.releases | type != "object")] | length' "$D/vunnel-fixtures/debian/debian.json")" \
  "$(grep -c 'rejected .*debian.json#/.*: .*no releases object' "$WORK/deb.err")"
check "tracker rejects counted in --json" "$(grep -c 'rejected ' "$WORK/deb.err")" "$(jq .rejected "$WORK/deb.json")"

# DSA list: one record per "[date] DSA-..." line
"$CRATRACE" --db "$DB" --json advisories import "$D/vunnel-fixtures/debian/DSA" >"$WORK/dsa.json"
check "DSA records = header lines" "$(grep -c '^\[' "$D/vunnel-fixtures/debian/DSA")" "$(jq .records "$WORK/dsa.json")"

# Wolfi secdb JSON: one record per identifier
"$CRATRACE" --db "$DB" --json advisories import "$D/vunnel-fixtures/wolfi/security.json" >"$WORK/wolfi.json"
check "Wolfi records = distinct identifiers" \
  "$(jq '[.packages[].pkg.secfixes // {} | .[] | .[]] | unique | length' "$D/vunnel-fixtures/wolfi/security.json")" \
  "$(jq .records "$WORK/wolfi.json")"

# Alpine v3.9 main YAML: one record per identifier (first CVE/XSA/GHSA token of an entry) whose
# fix version is valid; entries without one are rejected with their line (counted with awk)
Y="$D/alpine-secdb/v3.9/main.yaml"
"$CRATRACE" --db "$DB" --json advisories import "$Y" >"$WORK/alp.json" 2>"$WORK/alp.err"
awk_counts=$(awk '
  function ident(t) { return t ~ /^(CVE-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]+|XSA-[0-9]+|GHSA-[a-zA-Z0-9-]+)$/ }
  { sub(/#.*/, ""); sub(/[ \t\r]+$/, "") }
  /^  - pkg:$/ { fix = 0 }
  /^ +secfixes:$/ { fix = 1; next }
  fix && /^ +[^- ][^ ]*:$/ { v = $1; sub(/:$/, "", v); gsub(/"/, "", v); next }
  fix && /^ +- / {
    id = ""; for (i = 2; i <= NF && id == ""; i++) if (ident($i)) id = $i
    if (id == "") { noid++; next }
    if (v != "0" && v !~ /^[0-9]+(\.[0-9]+)*[a-z]?(_(alpha|beta|pre|rc|cvs|svn|git|hg|p)[0-9]*)*(-r[0-9]+)?$/) { badver++; next }
    seen[id] = 1
  }
  END { n = 0; for (k in seen) n++; print n, noid + badver }' "$Y")
check "Alpine records / rejects = awk count" "$awk_counts" "$(jq -r .records "$WORK/alp.json") $(grep -c "rejected $Y:[0-9]*: " "$WORK/alp.err")"
check "Alpine rejects counted in --json" "$(grep -c "rejected $Y:[0-9]*: " "$WORK/alp.err")" "$(jq .rejected "$WORK/alp.json")"
# --format names the reader explicitly (secdb and debian are aliases of distro)
DB2=$(fresh_db)
"$CRATRACE" --db "$DB2" --quiet init >/dev/null 2>&1 || true
"$CRATRACE" --db "$DB2" --json advisories import --format secdb "$Y" >"$WORK/alp2.json" 2>/dev/null
check "--format secdb reads the same records" "$(jq .records "$WORK/alp.json")" "$(jq .records "$WORK/alp2.json")"

# another source's coarse record for Debian 9 (prototypejs fixed in 1.7.2)
printf '{"id":"CVE-2008-7220","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"Debian:9","name":"prototypejs"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.7.2"}]}]}]}\n' >"$WORK/up.json"
ct advisories import "$WORK/up.json"

cat >"$WORK/sbom.json" <<'EOF'
{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,
 "metadata":{"component":{"type":"firmware","name":"gw","version":"1.0"}},
 "components":[
  {"type":"library","name":"libjs-prototype","version":"1.7.1-3","purl":"pkg:deb/debian/libjs-prototype@1.7.1-3?arch=all&distro=debian-9&upstream=prototypejs"},
  {"type":"library","name":"libjs-prototype","version":"1.5.0-1","purl":"pkg:deb/debian/libjs-prototype@1.5.0-1?distro=debian-10&upstream=prototypejs"},
  {"type":"library","name":"libjs-prototype","version":"1.5.0-1","purl":"pkg:deb/debian/libjs-prototype@1.5.0-1?distro=trixie&upstream=prototypejs"},
  {"type":"library","name":"busybox","version":"1.29.3-r9","purl":"pkg:apk/alpine/busybox@1.29.3-r9?distro=alpine-3.9.4"},
  {"type":"library","name":"busybox","version":"1.29.3-r10","purl":"pkg:apk/alpine/busybox@1.29.3-r10?distro=alpine-3.9.4"},
  {"type":"library","name":"busybox","version":"1.29.3-r9","purl":"pkg:apk/alpine/busybox@1.29.3-r9"}
 ]}
EOF
ct sbom import "$WORK/sbom.json"
ct --json findings >"$WORK/f.json"
check "findings: release-scoped, patched and unqualified packages not matched" \
  "1.29.3-r9 alpine-3.9.4 ALPINE-v3.9-main-CVE-2018-20679 in_triage
1.29.3-r9 alpine-3.9.4 ALPINE-v3.9-main-CVE-2019-5747 in_triage
1.5.0-1 debian-10 CVE-2008-7220 in_triage
1.7.1-3 debian-9 CVE-2008-7220 fixed" \
  "$(jq -r '.[] | "\(.version) \(.purl | capture("distro=(?<d>[^&]+)").d) \(.advisory) \(.state)"' "$WORK/f.json" | sort)"
ct findings --explain >"$WORK/explain.txt"
check "explain names the tracker's verdict" "1" "$(grep -c 'state      fixed, stated by distro:debian-tracker' "$WORK/explain.txt")"
check "explain names the tracker record and range" "1" "$(grep -c 'note       fixed: deb/debian/prototypejs?distro=debian-9 1.7.1-3 by the distribution for CVE-2008-7220: debian-tracker record DEBIAN-CVE-2008-7220 (.*debian.json) range vers:deb/<1.6.0.2-1' "$WORK/explain.txt")"
expect_rc "match keeps the answer" 0 ct match
check "after match: same states" "$(jq -r '.[] | "\(.purl) \(.state)"' "$WORK/f.json" | sort)" "$(ct --json findings | jq -r '.[] | "\(.purl) \(.state)"' | sort)"

# The distribution's own record (OSV form) is withdrawn, then names another package: the import
# itself withdraws the verdict it supported (no `match`), and `match` agrees.
DB=$(fresh_db)
ct init >/dev/null 2>&1 || true
ct advisories import "$WORK/up.json"
ct sbom import "$WORK/sbom.json"
deb_record() { # deb_record MODIFIED WITHDRAWN-OR-EMPTY PACKAGE
  printf '{"id":"DEBIAN-CVE-2008-7220","aliases":["CVE-2008-7220"],"modified":"%s",%s"affected":[{"package":{"ecosystem":"Debian:9","name":"%s"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.6.0.2-1"}]}]}]}\n' \
    "$1" "${2:+\"withdrawn\":\"$2\",}" "$3" >"$WORK/deb-osv.json"
  ct advisories import "$WORK/deb-osv.json"
}
state9() { ct --json findings | jq -r '.[] | select(.purl | test("distro=debian-9")) | "\(.advisory) \(.state)"'; }
deb_record 2024-02-01T00:00:00Z "" prototypejs
check "distro record: debian-9 fixed on import" "CVE-2008-7220 fixed" "$(state9)"
deb_record 2024-03-01T00:00:00Z 2024-03-01T00:00:00Z prototypejs
check "withdrawn on re-import: verdict gone without match" "CVE-2008-7220 in_triage" "$(state9)"
expect_rc "match after withdrawal" 0 ct match
check "after match: still open" "CVE-2008-7220 in_triage" "$(state9)"
deb_record 2024-04-01T00:00:00Z "" prototypejs
check "back: fixed again on import" "CVE-2008-7220 fixed" "$(state9)"
deb_record 2024-05-01T00:00:00Z "" prototypejs-other
check "names another package: verdict gone without match" "CVE-2008-7220 in_triage" "$(state9)"
expect_rc "match after the change" 0 ct match
check "after match: still open" "CVE-2008-7220 in_triage" "$(state9)"
finish
