#!/usr/bin/env bash
# SBOM quality profiles through the CLI: sbom validate --profile ntia|bsi (exit 0 pass, 1 fail,
# 2 usage, 3 bad input), the --json shape (the contract's members plus "profile"), finding
# counts checked against jq over the document, and the waiver flow (sbom waive / waivers,
# validate --product/--release).
source "$(dirname "$0")/lib.bash"
SHARED=${CT_SHARED_DIR:-$(dirname "$0")/../../../shared}
S="$SHARED/conformance/sboms/bom-shelter/in-the-wild/cyclonedx/redis-commander-sbom-cdx.json"
BAD="$SHARED/conformance/cyclonedx/tools/src/test/resources/1.6/invalid-component-type-1.6.json"
if [ ! -f "$S" ] || [ ! -f "$BAD" ]; then
  echo "skipped: ../shared/conformance is absent"
  exit 77
fi
DB=$(fresh_db)

# A document written here with every field both profiles ask for.
H=$(printf 'ab%.0s' $(seq 64))
cat >"$WORK/good.cdx.json" <<EOF
{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,
 "metadata":{"timestamp":"2026-01-01T00:00:00Z",
   "authors":[{"name":"Firmware team","email":"sbom@example.org"}],
   "component":{"type":"firmware","name":"fw","version":"3.1"}},
 "components":[{"type":"library","bom-ref":"zlib","name":"zlib","version":"1.3.1",
   "purl":"pkg:generic/zlib@1.3.1","supplier":{"name":"zlib","url":["https://zlib.net"]},
   "licenses":[{"expression":"Zlib"}],"hashes":[{"alg":"SHA-512","content":"$H"}],
   "properties":[{"name":"bsi:component:filename","value":"libz.so.1"},
     {"name":"bsi:component:executable","value":"executable"},
     {"name":"bsi:component:archive","value":"no archive"},
     {"name":"bsi:component:structured","value":"unstructured"}]}],
 "dependencies":[{"ref":"zlib","dependsOn":[]}]}
EOF

# ---- exit codes and JSON shape ------------------------------------------------------------
expect_rc "complete document passes bsi" 0 ct sbom validate "$WORK/good.cdx.json" --profile bsi
expect_rc "complete document passes ntia" 0 ct sbom validate "$WORK/good.cdx.json" --profile ntia
check "json shape (contract members + profile)" "true cyclonedx-json 1.6 0 bsi true 1 15 0" \
  "$(ct --json sbom validate "$WORK/good.cdx.json" --profile bsi |
    jq -r '"\(.valid) \(.format) \(.spec_version) \(.errors|length) \(.profile.name) \(.profile.passed) \(.profile.score) \(.profile.checks) \(.profile.findings|length)"')"
check "no profile member without --profile" "null" \
  "$(ct --json sbom validate "$WORK/good.cdx.json" | jq -c '.profile')"

# drop the SHA-512 hash: bsi fails on exactly that field, ntia still passes (other ids remain)
jq 'del(.components[0].hashes)' "$WORK/good.cdx.json" >"$WORK/nohash.cdx.json"
expect_rc "missing SHA-512 fails bsi" 1 ct sbom validate "$WORK/nohash.cdx.json" --profile bsi
check "the finding" "zlib hash-sha512 SBOM-BSI20-C7 null" \
  "$(ct --json sbom validate "$WORK/nohash.cdx.json" --profile bsi |
    jq -r '.profile.findings[] | "\(.component) \(.field) \(.requirement) \(.waived)"')"
expect_rc "ntia has no SHA-512 rule" 0 ct sbom validate "$WORK/nohash.cdx.json" --profile ntia

# a real SBOM: NTIA fails; supplier findings = components without supplier.name (jq count)
expect_rc "real SBOM fails ntia" 1 ct sbom validate "$S" --profile ntia
want=$(jq '[.. | objects | select(has("components")) | .components[] | select((.supplier.name // "") == "")] | length' "$S")
ct --json sbom validate "$S" --profile ntia >"$WORK/ntia.json" || true
check "supplier findings = components without a supplier" "$want" \
  "$(jq '[.profile.findings[] | select(.field == "supplier")] | length' "$WORK/ntia.json")"
check "findings name requirement IDs" "true" \
  "$(jq '[.profile.findings[].requirement | startswith("SBOM-NTIA-")] | all' "$WORK/ntia.json")"
check "score = satisfied / checks" "true" \
  "$(jq '.profile | ((.score - (.satisfied / .checks)) | fabs) < 0.0001' "$WORK/ntia.json")"

expect_rc "invalid document fails before any profile" 1 ct sbom validate "$BAD" --profile bsi
expect_rc "unknown profile" 2 ct sbom validate "$S" --profile cisa
expect_rc "--release without --product" 2 ct sbom validate "$S" --profile ntia --release 1
expect_rc "--product without --profile" 2 ct sbom validate "$S" --product x
expect_rc "missing file" 3 ct sbom validate "$WORK/nope.json" --profile bsi
expect_rc "unknown product for waivers" 3 ct sbom validate "$S" --profile ntia --product nope

# ---- waivers ------------------------------------------------------------------------------
ct sbom import "$S" --product rc --release 1 >/dev/null
ct sbom import "$S" --product rc --release 2 >/dev/null
expect_rc "waive: unknown field" 2 ct sbom waive --product rc --profile ntia --field hash-sha512 --reason x
expect_rc "waive: no reason" 2 ct sbom waive --product rc --profile ntia --field supplier
expect_rc "waive: unknown release" 3 ct sbom waive --product rc --release 9 --profile ntia --field supplier --reason x --by qa
expect_rc "waive supplier (product-wide)" 0 ct sbom waive --product rc --profile ntia --field supplier --reason "npm registry has no supplier data" --by qa
expect_rc "waive author (release 1 only)" 0 ct sbom waive --product rc --release 1 --profile ntia --field author --reason "tool-generated SBOM" --by qa
expect_rc "release 1: every failure waived" 0 ct sbom validate "$S" --profile ntia --product rc --release 1
expect_rc "release 2: the author gap is not waived" 1 ct sbom validate "$S" --profile ntia --product rc --release 2
expect_rc "without --product nothing is waived" 1 ct sbom validate "$S" --profile ntia
ct --json sbom validate "$S" --profile ntia --product rc --release 1 >"$WORK/w.json"
check "waived count = the failures before" \
  "$(jq '.profile.failed' "$WORK/ntia.json")" "$(jq '.profile.waived' "$WORK/w.json")"
check "waived findings show reason, who, when" "npm registry has no supplier data|qa|true" \
  "$(jq -r '[.profile.findings[] | select(.field == "supplier")][0].waived | "\(.reason)|\(.by)|\(.at | test("^[0-9]{4}-"))"' "$WORK/w.json")"
check "score unchanged by waivers" "$(jq '.profile.score' "$WORK/ntia.json")" "$(jq '.profile.score' "$WORK/w.json")"
check "waivers listing" "2 null 1" \
  "$(ct --json sbom waivers --product rc | jq -r '"\(length) \(.[0].release) \(.[1].release)"')"
check "waivers for release 2" "1" "$(ct --json sbom waivers --product rc --release 2 | jq length)"

# a component waiver by purl covers that one component
ct --json sbom validate "$S" --profile bsi >"$WORK/bsi.json" || true
p=$(jq -r '[.profile.findings[] | select(.field == "hash-sha512" and .purl != null)][0].purl' "$WORK/bsi.json")
expect_rc "waive one component (bsi, by purl)" 0 ct sbom waive --product rc --profile bsi --field hash-sha512 --component "$p" --reason "fetched from git" --by qa
ct --json sbom validate "$S" --profile bsi --product rc >"$WORK/b.json" || true
check "one bsi finding waived, for that purl" "1 $p" \
  "$(jq -r '[.profile.findings[] | select(.waived != null)] | "\(length) \(.[0].purl)"' "$WORK/b.json")"
id=$(ct --json sbom waivers --product rc --profile bsi | jq '.[0].id')
expect_rc "remove a waiver" 0 ct sbom waivers --remove "$id"
expect_rc "remove it again" 3 ct sbom waivers --remove "$id"
check "gone" "0" "$(ct --json sbom waivers --product rc --profile bsi | jq length)"
# ---- malformed 1 MB input through --profile (valprof: the file is mapped and the profile reads
# the validator's tape): the exit code, the location and the output are those of plain validate
jq '.components as $c | .components = [range(0; 2) as $k | $c[] | del(.components) |
    ."bom-ref" = ((."bom-ref" // .name) + "-\($k)")] | del(.dependencies)' "$S" >"$WORK/big.cdx.json"
check "the input is over 1 MB" "true" "$([ "$(wc -c <"$WORK/big.cdx.json")" -gt 1000000 ] && echo true)"
expect_rc "the whole 1 MB document is valid (and fails bsi)" 1 ct sbom validate "$WORK/big.cdx.json" --profile bsi
check "the whole 1 MB document is valid" "true" "$(ct --json sbom validate "$WORK/big.cdx.json" | jq .valid)"
head -c 1000000 "$WORK/big.cdx.json" >"$WORK/cut.cdx.json"
# where the input ends: line = newlines + 1, column = bytes on the last line + 1
at="$(( $(wc -l <"$WORK/cut.cdx.json") + 1 )):$(( $(tail -n 1 "$WORK/cut.cdx.json" | wc -c) + 1 ))"
expect_rc "truncated 1 MB JSON, --profile bsi: invalid" 1 ct sbom validate "$WORK/cut.cdx.json" --profile bsi
check "truncated JSON: the location of its end" "$at unexpected end of JSON input null" \
  "$(ct --json sbom validate "$WORK/cut.cdx.json" --profile bsi | jq -r '"\(.errors[0].location) \(.errors[0].message) \(.profile)"')"
check "truncated JSON: --profile prints what validate prints" \
  "$(ct sbom validate "$WORK/cut.cdx.json")" "$(ct sbom validate "$WORK/cut.cdx.json" --profile ntia)"
ct sbom convert "$WORK/big.cdx.json" "$WORK/big.cdx.xml" --format cyclonedx-xml 2>/dev/null
head -c $(( $(wc -c <"$WORK/big.cdx.xml") / 2 )) "$WORK/big.cdx.xml" >"$WORK/cut.cdx.xml"
expect_rc "truncated XML, --profile ntia: invalid" 1 ct sbom validate "$WORK/cut.cdx.xml" --profile ntia
check "truncated XML: the line of its end" "line $(( $(wc -l <"$WORK/cut.cdx.xml") + 1 )) null" \
  "$(ct --json sbom validate "$WORK/cut.cdx.xml" --profile ntia | jq -r '"\(.errors[0].location) \(.profile)"')"
expect_rc "missing 1 MB file, --profile: bad input" 3 ct sbom validate "$WORK/cut.cdx.missing" --profile bsi
finish
