#!/usr/bin/env bash
# Fleet history end to end: an advisory imported after the fleet partly updated counts exactly
# the units that were on an affected release at the time asked, not those that had updated or
# were decommissioned; unit show --at answers at event boundaries; times with offsets are UTC.
source "$(dirname "$0")/lib.bash"
DB=$(fresh_db)

sbom() { # sbom FILE LODASH_VERSION
  printf '{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"type":"library","name":"lodash","version":"%s","purl":"pkg:npm/lodash@%s"}]}' "$2" "$2" >"$1"
}
sbom "$WORK/a.json" 4.17.20
sbom "$WORK/b.json" 4.17.21
ct product add hmi --category class-i --support-until 2030-12 >/dev/null
ct release add hmi 1.0 --sbom "$WORK/a.json" --date 2024-01-01
ct release add hmi 1.1 --sbom "$WORK/b.json" --date 2024-02-20
cat >"$WORK/customers.csv" <<'CSV'
code,name,country,email,channel
K1,"Kraftwerk Nord, GmbH",DE,sec@k1.example,email
K2,Porto Marine,PT,sec@k2.example,webhook
CSV
cat >"$WORK/units.csv" <<'CSV'
serial,product,hardware_revision,release,customer,manufactured,state
U1,hmi,rev-A,1.0,K1,2024-01-01T00:00:00Z,in_service
U2,hmi,rev-A,1.1,K1,2024-01-01T00:00:00Z,in_service
U3,hmi,rev-A,1.0,K2,2024-01-01T00:00:00Z,decommissioned
U4,hmi,rev-A,1.1,K2,2024-01-01T00:00:00Z,in_service
U5,hmi,rev-A,1.0,K2,2024-01-01T00:00:00Z,replaced
U6,hmi,rev-B,1.0,K2,2024-04-10T00:00:00Z,in_service
CSV
# Times with offsets: 2024-03-01T01:00:00+01:00 is 2024-03-01T00:00:00Z.
cat >"$WORK/events.csv" <<'CSV'
serial,product,time,kind,from_release,to_release,detail,customer,rma,other_serial,hardware_revision,result
U1,hmi,2024-01-05T00:00:00Z,ship,,1.0,,K1,,,,
U2,hmi,2024-01-05T00:00:00Z,ship,,1.0,,K1,,,,
U3,hmi,2024-01-05T00:00:00Z,ship,,1.0,,K2,,,,
U4,hmi,2024-01-05T00:00:00Z,ship,,1.0,,K1,,,,
U5,hmi,2024-01-05T00:00:00Z,ship,,1.0,,K2,,,,
U2,hmi,2024-02-25T00:00:00Z,update,1.0,1.1,OTA,,,,,failed
U2,hmi,2024-03-01T01:00:00+01:00,update,1.0,1.1,OTA,,,,,ok
U3,hmi,2024-02-15T00:00:00Z,decommission,,,,,,,,
U4,hmi,2024-04-01T00:00:00Z,transfer,,,resold,K2,,,,
U4,hmi,2024-05-01T00:00:00Z,update,1.0,1.1,OTA,,,,,
U5,hmi,2024-03-10T00:00:00Z,rma_open,,,display dead,,RMA-77,,,
U5,hmi,2024-03-20T00:00:00Z,swap,,,mainboard,,RMA-77,MB-991,rev-B,
U5,hmi,2024-03-25T00:00:00Z,rma_close,,,,,RMA-77,,,
U5,hmi,2024-04-10T00:00:00Z,replace,,,,,,U6,,
U6,hmi,2024-04-10T00:00:00Z,ship,,1.0,replacement for U5,K2,,,,
CSV
ct customers import "$WORK/customers.csv"
ct units import "$WORK/units.csv"
ct unit event import "$WORK/events.csv"

# The advisory arrives after all of that.
cat >"$WORK/osv.json" <<'OSV'
{"schema_version":"1.6.0","id":"GHSA-35jh-r3h4-6jhm","modified":"2024-06-01T00:00:00Z","published":"2021-02-15T00:00:00Z","aliases":["CVE-2021-23337"],"summary":"Command Injection in lodash","affected":[{"package":{"ecosystem":"npm","name":"lodash"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"4.17.21"}]}]}]}
OSV
ct advisories import "$WORK/osv.json"

aff() { ct --json affected GHSA-35jh-r3h4-6jhm ${1:+--at "$1"} | jq -r '"\(.units_total) \([.customers[] | "\(.id)=\(.units)"] | join(","))"'; }
# now: U1 (K1) and U6 (K2) on 1.0; U2, U4 updated; U3 decommissioned; U5 replaced
check "affected now" "2 K1=1,K2=1" "$(aff)"
# 2024-02-20: U1 U2 U4 (K1) and U5 (K2) on 1.0; U3 already decommissioned; U6 not made yet
check "affected 2024-02-20" "4 K1=3,K2=1" "$(aff 2024-02-20T00:00:00Z)"
# one second before U2's successful update (the failed attempt on 02-25 changed nothing)
check "affected just before U2 updates" "4 K1=3,K2=1" "$(aff 2024-02-29T23:59:59Z)"
# at the instant of the update (given as +01:00 in the CSV) U2 is on 1.1
check "affected at U2's update" "3 K1=2,K2=1" "$(aff 2024-03-01T00:00:00Z)"
# U4 transferred to K2 on 04-01, still on 1.0 until 05-01; U5 in RMA still in the field
check "affected 2024-04-05" "3 K2=2,K1=1" "$(aff 2024-04-05T00:00:00Z)"
# U5 replaced by U6 at 04-10: the replacement counts, the replaced unit does not
check "affected 2024-04-10" "3 K2=2,K1=1" "$(aff 2024-04-10T00:00:00Z)"
check "affected 2024-05-01" "2 K1=1,K2=1" "$(aff 2024-05-01T00:00:00Z)"

show() { ct --json unit show "$1" --at "$2" | jq -r '"\(.release) \(.customer) \(.state) \(.hardware_revision)"'; }
check "U5 before RMA (shipped, never updated)" "1.0 K2 shipped rev-A" "$(show U5 2024-03-09T23:59:59Z)"
check "U5 in RMA" "1.0 K2 in_rma rev-A" "$(show U5 2024-03-10T00:00:00Z)"
check "U5 after the board swap" "1.0 K2 in_rma rev-B" "$(show U5 2024-03-20T00:00:00Z)"
check "U5 back" "1.0 K2 in_service rev-B" "$(show U5 2024-03-25T00:00:00Z)"
check "U5 replaced" "1.0 K2 replaced rev-B" "$(show U5 2024-04-10T00:00:00Z)"
check "U4 before transfer" "1.0 K1 shipped rev-A" "$(show U4 2024-03-31T23:59:59-00:00)"
check "U4 after transfer (local time +02:00)" "1.0 K2 shipped rev-A" "$(show U4 2024-04-01T02:00:00+02:00)"
check "U2 now" "1.1 K1 in_service rev-A" "$(show U2 2025-01-01T00:00:00Z)"
check "U1 before shipping" "1.0 null in_stock rev-A" "$(show U1 2024-01-02T00:00:00Z)"
check "U2 events up to 02-26" "ship,update" "$(ct --json unit show U2 --at 2024-02-26T00:00:00Z | jq -r '[.events[].kind] | join(",")')"
check "U5 replaced by" "U6" "$(ct --json unit show U5 | jq -r '.events[] | select(.kind == "replace") | .other_serial')"
expect_rc "before manufacture" 3 ct unit show U6 --at 2024-01-01T00:00:00Z
expect_rc "unknown serial" 3 ct unit show NOPE

# Parameter sets (NAME@VERSION plus a content hash): unit show gives the set in effect at --at,
# and each param_change the set it replaced and the new one. A change at an instant counts from
# that instant; a change that names no set changes nothing.
cat >"$WORK/params.csv" <<'CSV'
serial,product,time,kind,param_set,param_hash
U1,hmi,2024-02-01T00:00:00Z,param_change,grid-limits@1,sha256:1111
U1,hmi,2024-03-15T00:00:00Z,param_change,grid-limits@2,sha256:2222
U1,hmi,2024-03-20T00:00:00Z,param_change,,
U2,hmi,2024-02-01T00:00:00Z,param_change,grid-limits@1,
CSV
check "param import" "4" "$(ct --json unit event import "$WORK/params.csv" | jq -r .inserted)"
pset() { ct --json unit show "$1" ${2:+--at "$2"} | jq -r 'if .param_set == null then "null" else "\(.param_set.name)@\(.param_set.version) \(.param_set.content_hash)" end'; }
check "U1 param set before any change" "null" "$(pset U1 2024-01-31T23:59:59Z)"
check "U1 param set at the first change" "grid-limits@1 sha256:1111" "$(pset U1 2024-02-01T00:00:00Z)"
check "U1 param set after the second change" "grid-limits@2 sha256:2222" "$(pset U1 2024-03-15T00:00:00Z)"
check "U1 param set now (empty change keeps it)" "grid-limits@2 sha256:2222" "$(pset U1)"
check "U2 shares the set (same hash)" "grid-limits@1 sha256:1111" "$(pset U2)"
check "U1 release and state unchanged by params (shipped, never updated)" "1.0 K1 shipped rev-A" "$(show U1 2024-03-16T00:00:00Z)"
check "U1 param changes from/to" "null>grid-limits@1:sha256:1111,grid-limits@1>grid-limits@2:sha256:2222,-" \
  "$(ct --json unit show U1 | jq -r '[.events[] | select(.kind == "param_change") | if has("param_set_to") then "\(.param_set_from)>\(.param_set_to):\(.param_hash)" else "-" end] | join(",")')"
check "U1 param changes up to 03-01" "1" "$(ct --json unit show U1 --at 2024-03-01T00:00:00Z | jq -r '[.events[] | select(.kind == "param_change")] | length')"
ct unit show U1 >"$WORK/u1.txt"
check "human: parameter set line" "  parameter set      grid-limits@2  sha256:2222" "$(grep 'parameter set' "$WORK/u1.txt")"
check "human: param change line" "1" "$(grep -c 'param_change  grid-limits@1 -> grid-limits@2' "$WORK/u1.txt")"
check "human: no set before" "  parameter set      -" "$(ct unit show U1 --at 2024-01-10T00:00:00Z | grep 'parameter set')"
check "affected unchanged by param changes" "2 K1=1,K2=1" "$(aff)"
check "affected 2024-02-20 unchanged by param changes" "4 K1=3,K2=1" "$(aff 2024-02-20T00:00:00Z)"

# Rollout: 1.0 carries the vulnerable lodash; U1 and U6 are on it, U2 and U4 on 1.1.
ct --json rollout hmi >"$WORK/rollout.json"
check "rollout per release" "1.0=2/1,1.1=2/0" "$(jq -r '[.releases[] | "\(.release)=\(.units)/\(.advisories_open)"] | join(",")' "$WORK/rollout.json")"
check "rollout totals" "4 2 2 2030-12-31" "$(jq -r '"\(.units_in_field) \(.units_on_vulnerable_releases) \(.units_behind_latest) \(.support_until)"' "$WORK/rollout.json")"
check "product show" "hmi class-i 2030-12-31 2" "$(ct --json product show hmi | jq -r '"\(.product) \(.category) \(.support_until) \(.releases | length)"')"
# A customer sees its units: U4 went to K2 with the transfer.
check "customer K1 units" "U1@1.0,U2@1.1" "$(ct --json customers show K1 | jq -r '[.units[] | "\(.serial)@\(.release)"] | join(",")')"
check "customer K2 units (with their state)" "U3@1.0:decommissioned,U4@1.1:in_service,U5@1.0:replaced,U6@1.0:shipped" "$(ct --json customers show K2 | jq -r '[.units[] | "\(.serial)@\(.release):\(.state)"] | join(",")')"
check "customer name with comma" "Kraftwerk Nord, GmbH" "$(ct --json customers show K1 | jq -r .name)"

# Re-importing the same events changes nothing.
check "event re-import" "0" "$(ct --json unit event import "$WORK/events.csv" | jq -r .inserted)"
check "affected unchanged after re-import" "2 K1=1,K2=1" "$(aff)"
finish
