#!/usr/bin/env bash
# `sbom validate` on SPDX 2.x JSON and tag-value: exit 0 valid, 1 invalid (with the JSON
# pointer or "line N" of each error in --json), 3 unreadable; documents cratrace converts to
# SPDX validate clean.
source "$(dirname "$0")/lib.bash"
SHARED=${CT_SHARED_DIR:-$(dirname "$0")/../../../shared}
X="$SHARED/conformance/spdx/spdx-spec/examples"
T="$SHARED/conformance/spdx/tools-java/testResources"
S="$SHARED/conformance/sboms/bom-shelter/in-the-wild/cyclonedx/redis-commander-sbom-cdx.json"
if [ ! -d "$X" ] || [ ! -d "$T" ] || [ ! -f "$S" ]; then
  echo "skipped: ../shared/conformance is absent"
  exit 77
fi
export CT_SPDX_SCHEMA_DIR="$SHARED/conformance/spdx"
DB=$(fresh_db)

# valid documents
expect_rc "valid JSON 2.3" 0 ct sbom validate "$X/SPDXJSONExample-v2.3.spdx.json"
check "json report" "true spdx-json 2.3 true 0" "$(ct --json sbom validate "$X/SPDXJSONExample-v2.3.spdx.json" | jq -r '"\(.valid) \(.format) \(.spec_version) \(.schema_checked) \(.errors | length)"')"
expect_rc "valid JSON 2.2" 0 ct sbom validate "$T/SPDXJSONExample-v2.2.spdx.json"
expect_rc "valid tag-value 2.3" 0 ct sbom validate "$X/SPDXTagExample-v2.3.spdx"
check "tag-value report" "true spdx-tv 2.3" "$(ct --json sbom validate "$X/SPDXTagExample-v2.3.spdx" | jq -r '"\(.valid) \(.format) \(.spec_version)"')"

# known-bad files: exit 1 and the exact location
expect_rc "BadJSON" 1 ct sbom validate "$T/BadJSON.spdx.json"
check "BadJSON: creators is a string" "/creationInfo/creators" "$(ct --json sbom validate "$T/BadJSON.spdx.json" | jq -r '[.errors[] | select(.message | test("expected array"))][0].location')"
expect_rc "wrong version" 1 ct sbom validate "$T/SPDXWrongVersion.spdx.json"
check "wrong version location" "/spdxVersion" "$(ct --json sbom validate "$T/SPDXWrongVersion.spdx.json" | jq -r '.errors[0].location')"

# semantic errors in an otherwise valid document
jq '.relationships[0].relatedSpdxElement = "SPDXRef-gone" | .packages[0].licenseDeclared = "MIT OR"' \
  "$X/SPDXJSONExample-v2.3.spdx.json" > "$WORK/sem.spdx.json"
expect_rc "dangling ref + bad licence" 1 ct sbom validate "$WORK/sem.spdx.json"
check "semantic locations" "/packages/0/licenseDeclared /relationships/0/relatedSpdxElement" "$(ct --json sbom validate "$WORK/sem.spdx.json" | jq -r '[.errors[].location] | sort | join(" ")')"

# tag-value: "line N"
n=$(grep -n '^Relationship: SPDXRef-DOCUMENT DESCRIBES' "$X/SPDXTagExample-v2.3.spdx" | head -1 | cut -d: -f1)
sed "${n}s/DESCRIBES/DESCRIBING/" "$X/SPDXTagExample-v2.3.spdx" > "$WORK/bad.spdx"
expect_rc "bad relationship type" 1 ct sbom validate "$WORK/bad.spdx"
check "tag-value location" "line $n" "$(ct --json sbom validate "$WORK/bad.spdx" | jq -r '.errors[0].location')"
ct sbom validate "$WORK/bad.spdx" > "$WORK/text.out" || true
check "text output names the line" "1" "$(grep -c "^  line $n: \"DESCRIBING\" is not an SPDX relationship type" "$WORK/text.out")"

# unreadable file
expect_rc "missing file" 3 ct sbom validate "$WORK/nope.spdx.json"

# what cratrace writes validates
ct sbom convert "$S" "$WORK/r.spdx.json" --format spdx-json 2>/dev/null
expect_rc "converted spdx-json validates" 0 ct sbom validate "$WORK/r.spdx.json"
ct sbom convert "$S" "$WORK/r22.spdx.json" --format spdx-json --spec-version 2.2 2>/dev/null
expect_rc "converted spdx-json 2.2 validates" 0 ct sbom validate "$WORK/r22.spdx.json"
ct sbom convert "$S" "$WORK/r.spdx" --format spdx-tv 2>/dev/null
expect_rc "converted spdx-tv validates" 0 ct sbom validate "$WORK/r.spdx"
finish
