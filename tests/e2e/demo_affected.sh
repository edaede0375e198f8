#!/usr/bin/env bash
# The demo end to end: generate, import through the CLI, and check `affected` for several
# advisories against expectations written here, with unit and customer counts recomputed
# independently from the generated CSV files.
source "$(dirname "$0")/lib.bash"
DB=$(fresh_db)
ct demo --dir "$WORK/demo" >/dev/null

# Units of PRODUCT on RELEASE still in the field, straight from units.csv.
units_on() {
  awk -F, -v p="$1" -v r="$2" 'NR > 1 && $2 == p && $4 == r && $7 != "decommissioned" && $7 != "replaced" { n++ } END { print n + 0 }' "$WORK/demo/units.csv"
}
customers_on() { # distinct customers of units on the given product/releases ("p r1 r2 ...")
  local p=$1; shift
  awk -F, -v p="$p" -v rs="$*" 'BEGIN { split(rs, a, " "); for (i in a) want[a[i]] = 1 }
    NR > 1 && $2 == p && ($4 in want) && $7 != "decommissioned" && $7 != "replaced" && $5 != "" { c[$5] = 1 }
    END { n = 0; for (k in c) n++; print n }' "$WORK/demo/units.csv"
}

# lodash < 4.17.21 (CVE-2021-23337): only the web UI release that still ships 4.17.20.
ct --json affected GHSA-35jh-r3h4-6jhm >"$WORK/lodash.json"
check "lodash releases" "gateway-webui 1.4.0" "$(jq -r '[.releases[] | "\(.product) \(.release)"] | join(",")' "$WORK/lodash.json")"
check "lodash component" "pkg:npm/lodash@4.17.20 vers:npm/<4.17.21" "$(jq -r '.releases[0].components[0] | "\(.purl) \(.range)"' "$WORK/lodash.json")"
check "lodash units" "$(units_on gateway-webui 1.4.0)" "$(jq -r '.units_total' "$WORK/lodash.json")"
check "lodash customers" "$(customers_on gateway-webui 1.4.0)" "$(jq -r '.customers | length' "$WORK/lodash.json")"
check "lodash customer units add up" "$(jq -r '.units_total' "$WORK/lodash.json")" "$(jq -r '[.customers[].units] | add' "$WORK/lodash.json")"
check "lodash alias" "CVE-2021-23337" "$(jq -r '.aliases | join(",")' "$WORK/lodash.json")"

# Global options may also follow the command, as in "cratrace affected ID --json".
check "--json after the command" "GHSA-35jh-r3h4-6jhm 2" "$("$CRATRACE" affected GHSA-35jh-r3h4-6jhm --db "$DB" --json | jq -r '"\(.advisory) \(.aliases | length + 1)"')"

# The same advisory found by its CVE alias.
check "lookup by alias" "GHSA-35jh-r3h4-6jhm" "$(ct --json affected CVE-2021-23337 | jq -r .advisory)"

# openssl in Debian 11, fixed in 1.1.1n-0+deb11u4 (DSA-5343-1): the two gateway releases
# that still carry deb11u3; 2.2.0 and later are fixed.
ct --json affected DSA-5343-1 >"$WORK/openssl.json"
check "openssl releases" "edge-gateway 2.0.0,edge-gateway 2.1.0" "$(jq -r '[.releases[] | "\(.product) \(.release)"] | join(",")' "$WORK/openssl.json")"
check "openssl range" "vers:deb/<1.1.1n-0+deb11u4" "$(jq -r '.releases[0].components[0].range' "$WORK/openssl.json")"
check "openssl units 2.0.0" "$(units_on edge-gateway 2.0.0)" "$(jq -r '.releases[0].units' "$WORK/openssl.json")"
check "openssl units 2.1.0" "$(units_on edge-gateway 2.1.0)" "$(jq -r '.releases[1].units' "$WORK/openssl.json")"
check "openssl units total" "$(( $(units_on edge-gateway 2.0.0) + $(units_on edge-gateway 2.1.0) ))" "$(jq -r '.units_total' "$WORK/openssl.json")"
check "openssl customers" "$(customers_on edge-gateway 2.0.0 2.1.0)" "$(jq -r '.customers | length' "$WORK/openssl.json")"

# zlib with an epoch in the Debian version: 1:1.2.11.dfsg-2+deb11u1 < 1:1.2.11.dfsg-2+deb11u2.
ct --json affected DEBIAN-CVE-2022-37434 >"$WORK/zlib.json"
check "zlib releases" "edge-gateway 2.0.0" "$(jq -r '[.releases[] | "\(.product) \(.release)"] | join(",")' "$WORK/zlib.json")"

# axios: two ranges (>=0.8.1 <0.28.0, >=1.0.0 <1.6.0); 1.6.0 ships 1.5.1, 2.0.0 is fixed.
ct --json affected GHSA-wf5p-g6vw-rhxx >"$WORK/axios.json"
check "axios releases" "gateway-webui 1.4.0,gateway-webui 1.5.0,gateway-webui 1.6.0" "$(jq -r '[.releases[] | "\(.product) \(.release)"] | join(",")' "$WORK/axios.json")"

# requests >= 2.3.0, < 2.31.0 (CVE-2023-32681) in the Python agent.
ct --json affected GHSA-j8r2-6x86-q33q >"$WORK/requests.json"
check "requests releases (3.1.0 ships the fixed 2.31.0)" "cloud-agent 3.0.0" "$(jq -r '[.releases[] | "\(.product) \(.release)"] | join(",")' "$WORK/requests.json")"

# An advisory that names a package no release ships in an affected version.
ct --json affected GHSA-vh95-rmgr-6w4m >"$WORK/none.json"
check "unaffected advisory" "0 0 0" "$(jq -r '"\(.releases | length) \(.units_total) \(.customers | length)"' "$WORK/none.json")"

# Unknown advisory: bad input, exit 3.
expect_rc "unknown advisory" 3 ct affected GHSA-0000-0000-0000

# People's output names the release, the component and the range.
ct affected DSA-5343-1 >"$WORK/human.txt"
check "human output" "1" "$(grep -c 'openssl 1.1.1n-0+deb11u3  because .* is in vers:deb/<1.1.1n-0+deb11u4' "$WORK/human.txt" | head -1 | awk '{print ($1 > 0)}')"

# Re-importing the same advisories changes nothing.
ct --json advisories import "$WORK/demo/advisories.osv.jsonl" >"$WORK/reimport.json"
check "reimport unchanged" "0 9" "$(jq -r '"\(.inserted) \(.unchanged)"' "$WORK/reimport.json")"
finish
