#!/usr/bin/env bash
# sbom diff between two stored releases of a real SBOM (harp) with the real Go vulnerability
# database: the newer release upgrades golang.org/x/text past GO-2022-1059 and downgrades
# gogo/protobuf into GO-2021-0053; the vulnerability delta must match the findings. Then
# sbom merge of three real SBOMs (validated with the CycloneDX oracle when it is installed).
source "$(dirname "$0")/lib.bash"
SHARED=${CT_SHARED_DIR:-$(dirname "$0")/../../../shared}
W="$SHARED/conformance/sboms/bom-shelter/in-the-wild/cyclonedx"
A="$W/harp-darwin-amd64.sbom.json"
OSV="$SHARED/conformance/advisories/osv/go-vulndb/osv-go.jsonl.gz"
if [ ! -f "$A" ] || [ ! -f "$OSV" ]; then
  echo "skipped: ../shared/conformance is absent"
  exit 77
fi
DB=$(fresh_db)
NOW=2025-01-01T00:00:00Z

bump() { # bump NAME FROM TO: the component's version and purl
  jq --arg n "$1" --arg f "$2" --arg t "$3" \
    'walk(if type == "object" and .name? == $n and .version? == $f
          then .version = $t | .purl |= sub("@" + $f; "@" + $t) else . end)'
}
bump golang.org/x/text v0.3.7 v0.3.8 <"$A" | bump github.com/gogo/protobuf v1.3.2 v1.3.1 >"$WORK/b.json"

# the Go advisories that name a module of this SBOM (the rest cannot match; keeps the test fast)
jq -r '[.. | objects | select(has("purl")) | .name] | unique | .[]' "$A" >"$WORK/names"
zcat "$OSV" | jq -c --rawfile n "$WORK/names" '($n | split("\n")) as $names
  | select([.affected[]?.package.name] | any(. as $p | $names | index($p)))' >"$WORK/osv.jsonl"
ct advisories import "$WORK/osv.jsonl" >/dev/null
ct sbom import "$A" --product harp --release 1.0 >/dev/null
ct sbom import "$WORK/b.json" --product harp --release 1.1 >/dev/null

ct --json sbom diff harp@1.0 harp@1.1 >"$WORK/d.json"
check "component summary" "0 0 1 1 0" \
  "$(jq -r '.summary | "\(.added) \(.removed) \(.upgraded) \(.downgraded) \(.changed)"' "$WORK/d.json")"
check "upgrade" "upgraded v0.3.7 v0.3.8 golang" \
  "$(jq -r '.components[] | select(.name == "golang.org/x/text") | "\(.change) \(.from.version) \(.to.version) \(.scheme)"' "$WORK/d.json")"
check "downgrade" "downgraded v1.3.2 v1.3.1" \
  "$(jq -r '.components[] | select(.name == "github.com/gogo/protobuf") | "\(.change) \(.from.version) \(.to.version)"' "$WORK/d.json")"
check "GO-2022-1059 fixed" "GO-2022-1059" \
  "$(jq -r '.vulnerabilities.fixed[] | select(.advisory == "GO-2022-1059") | .advisory' "$WORK/d.json")"
check "GO-2022-1059 was on x/text" "pkg:golang/golang.org/x/text@v0.3.7?type=module" \
  "$(jq -r '.vulnerabilities.fixed[] | select(.advisory == "GO-2022-1059") | .from | join(" ")' "$WORK/d.json")"
check "GO-2021-0053 introduced" "GO-2021-0053" \
  "$(jq -r '.vulnerabilities.introduced[] | select(.advisory == "GO-2021-0053") | .advisory' "$WORK/d.json")"

# the delta, computed here from the findings of each release
ct --json findings --product harp >"$WORK/f.json"
adv() { jq -r --arg r "$1" '[.[] | select(.release == $r and .state != "not_affected" and .state != "fixed")
        | (.advisory, (.records // [])[].advisory) | select(. != null and . != "")] | unique | .[]' "$WORK/f.json"; }
adv 1.0 >"$WORK/a1"
adv 1.1 >"$WORK/a2"
check "some findings in 1.0" "yes" "$([ "$(wc -l <"$WORK/a1")" -gt 10 ] && echo yes || echo no)"
check "fixed = 1.0 - 1.1" "$(comm -23 "$WORK/a1" "$WORK/a2" | tr '\n' ' ')" \
  "$(jq -r '[.vulnerabilities.fixed[].advisory] | sort | .[]' "$WORK/d.json" | tr '\n' ' ')"
check "introduced = 1.1 - 1.0" "$(comm -13 "$WORK/a1" "$WORK/a2" | tr '\n' ' ')" \
  "$(jq -r '[.vulnerabilities.introduced[].advisory] | sort | .[]' "$WORK/d.json" | tr '\n' ' ')"
check "still open = both" "$(comm -12 "$WORK/a1" "$WORK/a2" | tr '\n' ' ')" \
  "$(jq -r '[.vulnerabilities.still_open[].advisory] | sort | .[]' "$WORK/d.json" | tr '\n' ' ')"

# people's table
ct sbom diff harp@1.0 harp@1.1 >"$WORK/d.txt"
check "table: vulnerability line" "1" "$(grep -c '^vulnerabilities: [0-9]* fixed, 1 introduced' "$WORK/d.txt")"
check "table: fixed row" "1" "$(grep -c '^fixed  *GO-2022-1059 ' "$WORK/d.txt")"

# files (no store needed, no vulnerability delta) and mixed formats give the same components
ct --json sbom diff "$A" "$WORK/b.json" >"$WORK/df.json"
check "files: same component delta" "$(jq -c '.summary, .components' "$WORK/d.json")" \
  "$(jq -c '.summary, .components' "$WORK/df.json")"
check "files: no vulnerability delta" "null" "$(jq -c .vulnerabilities "$WORK/df.json")"
ct sbom convert "$A" "$WORK/a.spdx.json" --format spdx-json 2>/dev/null
ct --json sbom diff "$WORK/a.spdx.json" harp@1.1 >"$WORK/dx.json"
check "spdx vs stored release: versions" "1 1 0" \
  "$(jq -r '.summary | "\(.upgraded) \(.downgraded) \(.changed)"' "$WORK/dx.json")"

# bad input: exit 3, the file or release named
expect_rc "missing file" 3 ct sbom diff "$WORK/nope.json" "$A"
check "missing file named" "1" "$(grep -c 'nope.json' "$WORK/err")"
expect_rc "unknown release" 3 ct sbom diff harp@1.0 harp@9.9
check "unknown release named" "1" "$(grep -c 'harp@9.9' "$WORK/err")"
printf '{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":1}]}' >"$WORK/bad.json"
expect_rc "malformed SBOM" 3 ct sbom diff "$WORK/bad.json" "$A"
check "malformed SBOM located" "1" "$(grep -c 'bad.json.*/components/0/name' "$WORK/err")"
expect_rc "diff needs two arguments" 2 ct sbom diff "$A"

# merge: three real SBOMs under one root
K="$W/kawipiko-sbom-cdx.json"
R="$W/redis-commander-sbom-cdx.json"
ct --now "$NOW" --json sbom merge -o "$WORK/fw.cdx.json" --name fw --version 2.0 "$A" "$K" "$R" \
  >"$WORK/m.json" 2>"$WORK/m.err"
check "merge: output components = reported" "$(jq -r .components "$WORK/m.json")" \
  "$(jq '[.. | objects | select(has("components")) | .components[]] | length' "$WORK/fw.cdx.json")"
check "merge: root" "fw 2.0" "$(jq -r '.metadata.component | "\(.name) \(.version)"' "$WORK/fw.cdx.json")"
check "merge: root depends on the three part roots" \
  "github.com/elastic/harp github.com/volution/kawipiko redis-commander" \
  "$(jq -r '. as $d | [.dependencies[] | select(.ref == "fw@2.0") | .dependsOn[] as $r
          | $d.components[] | select(."bom-ref" == $r) | .name] | sort | join(" ")' "$WORK/fw.cdx.json")"
check "merge: no duplicate purl" "0" \
  "$(jq -r '[.. | objects | select(has("purl")) | .purl] | group_by(.) | map(select(length > 1)) | length' "$WORK/fw.cdx.json")"
check "merge: every dependency ref resolves" "0" \
  "$(jq -r '([.. | objects | select(has("bom-ref")) | ."bom-ref"]) as $refs
          | [.dependencies[] | .ref, .dependsOn[] | select(. as $x | $refs | index($x) | not)] | length' "$WORK/fw.cdx.json")"
expect_rc "merged output validates" 0 ct sbom validate "$WORK/fw.cdx.json"
ct --now "$NOW" sbom merge -o "$WORK/fw2.cdx.json" --name fw --version 2.0 "$A" "$K" "$R" 2>/dev/null
check "merge: deterministic" "$(sha256sum <"$WORK/fw.cdx.json")" "$(sha256sum <"$WORK/fw2.cdx.json")"
if [ -f "$HOME/.cache/cratrace-oracles/stamp" ]; then
  check "cdx-validate oracle" "OK $WORK/fw.cdx.json" "$("$SHARED/oracles/cdx-validate" "$WORK/fw.cdx.json" 2>&1 | tail -n 1)"
else
  echo "note: CycloneDX oracle not installed; merged output checked by cratrace only"
fi
ct --now "$NOW" sbom merge -o "$WORK/fw.spdx.json" --name fw --version 2.0 --format spdx-json "$A" "$K" 2>/dev/null
check "merge: spdx root described" "fw" \
  "$(jq -r '.relationships[] | select(.relationshipType == "DESCRIBES") | .relatedSpdxElement as $r | $r' "$WORK/fw.spdx.json" \
     | while read -r r; do jq -r --arg r "$r" '.packages[] | select(.SPDXID == $r) | .name' "$WORK/fw.spdx.json"; done)"
expect_rc "merge: bad part" 3 ct sbom merge -o "$WORK/x.json" --name fw "$A" "$WORK/bad.json"
check "merge: nothing written on bad input" "absent" "$([ -e "$WORK/x.json" ] && echo present || echo absent)"
expect_rc "merge: no name" 2 ct sbom merge -o "$WORK/x.json" "$A"
finish
