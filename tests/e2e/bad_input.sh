#!/usr/bin/env bash
# Bad input gets exit 3, a message naming the file and the place, and changes nothing.
source "$(dirname "$0")/lib.bash"
DB=$(fresh_db)
ct demo --dir "$WORK/demo" >/dev/null
ct --json overview | jq -c .counts >"$WORK/before.json"

unchanged() {
  check "$1: store unchanged" "$(cat "$WORK/before.json")" "$(ct --json overview | jq -c .counts)"
}
stderr_has() {
  CHECKS=$((CHECKS + 1))
  if ! grep -q -- "$2" "$WORK/err"; then
    echo "FAIL: $1: stderr lacks [$2]: $(cat "$WORK/err")"
    FAILS=$((FAILS + 1))
  fi
}
valid_sbom='{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"type":"library","name":"a","version":"1","purl":"pkg:npm/a@1"}]}'

# Malformed JSON: line and column of the error.
printf '{"bomFormat": "CycloneDX",\n "specVersion": "1.5",\n "components": [ {"type": "library" "name": "x"} ]}\n' >"$WORK/malformed.json"
expect_rc "malformed JSON" 3 ct sbom import "$WORK/malformed.json" --product p --release 1
stderr_has "malformed JSON" "malformed.json:3:"
unchanged "malformed JSON"

# Wrong type: a JSON pointer to the field.
echo '{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"type":"library","name":"a","purl":42}]}' >"$WORK/type.json"
expect_rc "wrong type" 3 ct sbom import "$WORK/type.json" --product p --release 1
stderr_has "wrong type" "/components/0/purl: expected a string"
unchanged "wrong type"

# Unknown specVersion.
echo '{"bomFormat":"CycloneDX","specVersion":"9.9","components":[]}' >"$WORK/spec.json"
expect_rc "unknown specVersion" 3 ct sbom import "$WORK/spec.json" --product p --release 1
stderr_has "unknown specVersion" "/specVersion: unsupported CycloneDX specVersion"
unchanged "unknown specVersion"

# A bad component deep inside a valid-looking SBOM: nothing of that release is kept.
printf '{"bomFormat":"CycloneDX","specVersion":"1.6","components":[%s,{"type":"library"}]}' \
  '{"type":"library","name":"ok","version":"1","purl":"pkg:npm/ok@1"}' >"$WORK/partial.json"
expect_rc "component without name" 3 ct sbom import "$WORK/partial.json" --product p --release 1
stderr_has "component without name" "/components/1: component has no \"name\""
unchanged "component without name"

# Duplicate serial numbers in one units file.
{ echo "serial,product,hardware_revision,release,customer,manufactured,state"
  echo "X-1,edge-gateway,rev-A,2.0.0,C0001,2024-01-01T00:00:00Z,in_service"
  echo "X-2,edge-gateway,rev-A,2.0.0,C0001,2024-01-01T00:00:00Z,in_service"
  echo "X-1,edge-gateway,rev-A,2.1.0,C0002,2024-01-01T00:00:00Z,in_service"; } >"$WORK/dup.csv"
expect_rc "duplicate serial" 3 ct units import "$WORK/dup.csv"
stderr_has "duplicate serial" "dup.csv:4:1: duplicate serial number 'X-1'"
unchanged "duplicate serial"

# A unit pointing at a release that does not exist.
{ echo "serial,product,release,customer"
  echo "Y-1,edge-gateway,2.0.0,C0001"
  echo "Y-2,edge-gateway,9.9.9,C0001"; } >"$WORK/norelease.csv"
expect_rc "missing release" 3 ct units import "$WORK/norelease.csv"
stderr_has "missing release" "norelease.csv:3:1: unit points at a missing release '9.9.9'"
unchanged "missing release"

# Malformed OSV in JSON lines: the line is named, and the earlier good lines are not kept.
{ head -n 2 "$WORK/demo/advisories.osv.jsonl" | sed 's/"GHSA-/"TEST-GHSA-/g'
  echo '{"id": "BROKEN-1", "modified": "2024-01-01T00:00:00Z", "affected": [ }'; } >"$WORK/bad.jsonl"
expect_rc "malformed OSV line" 3 ct advisories import "$WORK/bad.jsonl"
stderr_has "malformed OSV line" "bad.jsonl:3:"
unchanged "malformed OSV line"

# A path that does not exist.
expect_rc "missing path" 3 ct sbom import "$WORK/nope.json" --product p --release 1
stderr_has "missing path" "nope.json"
expect_rc "missing advisories path" 3 ct advisories import "$WORK/nope-dir"
unchanged "missing path"

# A 2 GB single line (sparse file): refused at the size limit, not read into memory whole.
truncate -s 2G "$WORK/huge.jsonl"
expect_rc "2 GB line" 3 ct advisories import "$WORK/huge.jsonl"
stderr_has "2 GB line" "huge.jsonl"
rm -f "$WORK/huge.jsonl"
unchanged "2 GB line"

# Injection attempts are data, not SQL.
echo "$valid_sbom" >"$WORK/ok.json"
ct sbom import "$WORK/ok.json" --product "x'); DROP TABLE unit; --" --release "1" >/dev/null
check "injection product stored verbatim" "1" "$(ct --json product list | jq -r '.[].name' | grep -cxF "x'); DROP TABLE unit; --")"
check "units survive" "5000" "$(ct --json overview | jq -r .counts.units)"

# Usage errors are exit 2.
expect_rc "unknown command" 2 ct frobnicate
expect_rc "missing argument" 2 ct affected
finish
