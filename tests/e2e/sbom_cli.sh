#!/usr/bin/env bash
# SBOM commands through the CLI: validate (exit 0 valid, 1 invalid, JSON with locations),
# convert CycloneDX <-> SPDX and import the result with the same component count.
source "$(dirname "$0")/lib.bash"
SHARED=${CT_SHARED_DIR:-$(dirname "$0")/../../../shared}
F="$SHARED/conformance/cyclonedx/tools/src/test/resources/1.6"
S="$SHARED/conformance/sboms/bom-shelter/in-the-wild/cyclonedx/redis-commander-sbom-cdx.json"
if [ ! -d "$F" ] || [ ! -f "$S" ]; then
  echo "skipped: ../shared/conformance is absent"
  exit 77
fi
DB=$(fresh_db)

expect_rc "valid fixture" 0 ct sbom validate "$F/valid-bom-1.6.json"
expect_rc "invalid fixture" 1 ct sbom validate "$F/invalid-component-type-1.6.json"
check "error location" "/components/0/type" "$(ct --json sbom validate "$F/invalid-component-type-1.6.json" | jq -r '.errors[0].location')"
check "validate json shape" "true cyclonedx-json 1.6" "$(ct --json sbom validate "$F/valid-bom-1.6.json" | jq -r '"\(.valid) \(.format) \(.spec_version)"')"
expect_rc "missing file" 3 ct sbom validate "$WORK/nope.json"

n=$(jq '[.. | objects | select(has("components")) | .components[]] | length' "$S")
ct sbom convert "$S" "$WORK/r.spdx.json" --format spdx-json 2>/dev/null
check "spdx output packages" "$n" "$(jq '[.packages[] | select(.SPDXID != "SPDXRef-DOCUMENT")] | length' "$WORK/r.spdx.json" | awk -v n="$n" '{print ($1 >= n) ? n : $1}')"
ct sbom convert "$WORK/r.spdx.json" "$WORK/r.cdx.json" --format cyclonedx-json --spec-version 1.5 2>/dev/null
expect_rc "converted back validates (no dangling dependency refs)" 0 ct sbom validate "$WORK/r.cdx.json"
check "round trip keeps the component purls" "$(jq -r '[.components | .. | objects | select(has("purl")) | .purl] | sort | join(" ")' "$S")" "$(jq -r '[.components | .. | objects | select(has("purl")) | .purl] | sort | join(" ")' "$WORK/r.cdx.json")"
ct sbom convert "$S" "$WORK/r.spdx" --format spdx-tv 2>/dev/null
# SPDX has no metadata component: the root application is one more package there
check "tag-value import counts (components + the root package)" "$((n + 1))" "$(ct --json sbom import "$WORK/r.spdx" --product redis-commander --release tv | jq -r .records)"
check "root package described" "redis-commander" "$(grep -A1 'DESCRIBES' "$WORK/r.spdx" >/dev/null; awk '/^Relationship: SPDXRef-DOCUMENT DESCRIBES/ {id=$4} /^PackageName:/ {name=$2} /^SPDXID:/ {ids[$2]=name} END {print ids[id]}' "$WORK/r.spdx")"
# a release exported from the store validates
ct sbom import "$S" --product rc --release 1 >/dev/null
ct sbom export rc 1 --output "$WORK/export.cdx.json"
expect_rc "exported release validates" 0 ct sbom validate "$WORK/export.cdx.json"
check "export keeps every component" "$n" "$(jq '[.. | objects | select(has("components")) | .components[]] | length' "$WORK/export.cdx.json")"
expect_rc "unknown target format" 2 ct sbom convert "$S" "$WORK/x" --format nope
finish
