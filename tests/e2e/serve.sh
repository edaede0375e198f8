#!/usr/bin/env bash
# `cratrace serve` end to end on the demo store: every endpoint's body is byte for byte the
# CLI's --json output for the same question (several serials, --at on and next to their event
# times, an advisory with and without --at, a serial with "/", spaces and "%"), the error
# statuses (400, 401, 403, 404, 405, 413), token revocation, answers under parallel requests,
# and SIGTERM ending the server with exit 0 (in the ASan build: no leaks either).
source "$(dirname "$0")/lib.bash"
command -v curl >/dev/null || { echo "skipped: curl not installed"; exit 77; }
DB=$(fresh_db)
SERVE_PID=
trap '[ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
ct demo --dir "$WORK/demo" >/dev/null

# A unit whose serial needs escaping in a URL, with its own history.
printf 'serial,product,hardware_revision,release,customer,manufactured,state\n%s\n' \
  'SN/2024 0001%x,edge-gateway,rev-B,2.2.0,C0074,2024-01-10T08:00:00Z,in_service' >"$WORK/odd.csv"
printf 'serial,product,time,kind,from_release,to_release,detail\n%s\n%s\n' \
  'SN/2024 0001%x,edge-gateway,2024-02-01T09:00:00Z,ship,,2.1.0,shipped' \
  'SN/2024 0001%x,edge-gateway,2024-06-01T10:30:00Z,update,2.1.0,2.2.0,field update' >"$WORK/odd-events.csv"
ct units import "$WORK/odd.csv" >/dev/null
ct unit event import "$WORK/odd-events.csv" >/dev/null

ADMIN=$(ct token create ops --role admin)
ANALYST=$(ct token create alice --role analyst)
CI=$(ct token create pipeline --role ci)
UNUSED=$(ct token create spare --role support)
expect_rc "unknown role: usage error" 2 ct token create bob --role root
check "unknown role lists the roles" "1" "$(grep -c 'admin, analyst, support, auditor, ci' "$WORK/err")"
expect_rc "token name reused" 3 ct token create ops --role ci

"$CRATRACE" --db "$DB" serve --listen 127.0.0.1:0 --threads 3 --token-ttl 1 \
  >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVE_PID=$!
PORT=
for _ in $(seq 1 300); do
  PORT=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$WORK/serve.out")
  [ -n "$PORT" ] && curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
  kill -0 "$SERVE_PID" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$PORT" ]; then
  echo "FAIL: serve did not start: $(cat "$WORK/serve.err")"
  exit 1
fi
BASE="http://127.0.0.1:$PORT"
enc() { jq -rn --arg s "$1" '$s | @uri'; }

# get NAME TOKEN PATH: body to $WORK/NAME.http, status printed
get() {
  local auth=()
  [ -n "$2" ] && auth=(-H "Authorization: Bearer $2")
  curl -s "${auth[@]}" -o "$WORK/$1.http" -w '%{http_code}' "$BASE$3"
}
# same NAME TOKEN PATH CLI-ARGS...: 200 and the body equals `cratrace --json CLI-ARGS`
same() {
  local name=$1 tok=$2 path=$3 status
  shift 3
  status=$(get "$name" "$tok" "$path")
  ct --json "$@" >"$WORK/$name.cli"
  CHECKS=$((CHECKS + 1))
  if [ "$status" != 200 ] || ! cmp -s "$WORK/$name.http" "$WORK/$name.cli"; then
    echo "FAIL: $path ($status) differs from cratrace --json $*"
    diff <(head -c 600 "$WORK/$name.http") <(head -c 600 "$WORK/$name.cli") | head -6
    FAILS=$((FAILS + 1))
  fi
}
# status NAME WANT TOKEN PATH [what the error must mention]
status() {
  local got
  got=$(get "$1" "$3" "$4")
  check "$1: status of $4" "$2" "$got"
  if [ -n "${5:-}" ]; then
    check "$1: error names '$5'" "1" "$(jq -r '.error' "$WORK/$1.http" | grep -c -- "$5")"
  fi
}

backend=sqlite
[ "${CT_TEST_BACKEND:-sqlite}" = pg ] && backend=postgresql
check "healthz" "{\"ok\":true,\"store\":\"$backend\"}" "$(curl -s "$BASE/healthz")"
check "openapi is OpenAPI 3.0 with the unit path" "3.0.3 true" \
  "$(curl -s "$BASE/api/openapi.json" | jq -r '"\(.openapi) \(.paths | has("/api/v1/units/{serial}"))"')"

same products "$ANALYST" /api/v1/products product list
same tokens "$ADMIN" /api/v1/tokens token list

# Units: now and at each event time and the second before it, for the three units with the
# most events and for the serial that needs escaping.
serials=$(awk -F, 'NR > 1 { n[$1 "," $2]++ } END { for (k in n) print n[k] "," k }' "$WORK/demo/events.csv" |
          sort -t, -k1,1nr -k2,2 | sed -n 1,3p | cut -d, -f2)
serials=$(printf '%s\nSN/2024 0001%%x\n' "$serials")
i=0
while IFS= read -r serial; do
  same "unit$i" "$CI" "/api/v1/units/$(enc "$serial")" unit show "$serial"
  times=$(awk -F, -v s="$serial" 'FNR > 1 && $1 == s && n++ < 4 { print $3 }' "$WORK/demo/events.csv" "$WORK/odd-events.csv")
  for t in $times; do
    before=$(date -u -d "$t - 1 second" +%Y-%m-%dT%H:%M:%SZ)
    for at in "$t" "$before"; do
      i=$((i + 1))
      same "unit$i" "$CI" "/api/v1/units/$(enc "$serial")?at=$(enc "$at")" unit show "$serial" --at "$at"
    done
  done
  i=$((i + 1))
done <<<"$serials"
check "unit checks ran" "1" "$(( i >= 12 ))"
# A "+hh:mm" offset must be sent as %2B ("+" is a space in a query), with the product given.
same unit_offset "$CI" "/api/v1/units/$(enc 'SN/2024 0001%x')?at=2024-06-01T12%3A30%3A00%2B02%3A00&product=edge-gateway" \
  unit show 'SN/2024 0001%x' --at 2024-06-01T12:30:00+02:00 --product edge-gateway
check "the odd serial decodes" "SN/2024 0001%x 2.2.0" "$(jq -r '"\(.serial) \(.release)"' "$WORK/unit_offset.http")"

# Advisories: with and without --at (before and after the gateway's 2.0.0 units shipped).
for adv in DSA-5343-1 GHSA-35jh-r3h4-6jhm CVE-2021-23337 GHSA-vh95-rmgr-6w4m; do
  same "adv_$adv" "$ANALYST" "/api/v1/advisories/$(enc "$adv")/affected" affected "$adv"
  for at in 2024-01-01T00:00:00Z 2024-09-01T00:00:00Z; do
    same "adv_${adv}_$at" "$ANALYST" "/api/v1/advisories/$(enc "$adv")/affected?at=$at" affected "$adv" --at "$at"
  done
done
check "the openssl advisory counts units" "1" "$(jq -r '(.units_total > 0)' "$WORK/adv_DSA-5343-1.http" | grep -c true)"

# Errors.
status e_noauth 401 "" /api/v1/products "Authorization"
status e_badtok 401 "ct_not-a-token" /api/v1/products "unknown or revoked"
status e_role 403 "$ANALYST" /api/v1/tokens "role"
status e_unit 404 "$CI" "/api/v1/units/$(enc 'NO SUCH/UNIT')" "NO SUCH/UNIT"
status e_adv 404 "$CI" /api/v1/advisories/GHSA-0000-0000-0000/affected "GHSA-0000-0000-0000"
status e_path 404 "$CI" /api/v1/sboms "no such path"
status e_at 400 "$CI" "/api/v1/units/$(enc 'SN/2024 0001%x')?at=yesterday" "ISO 8601"
status e_param 400 "$CI" "/api/v1/advisories/DSA-5343-1/affected?since=2024" "expected: at"
status e_utf8 400 "$CI" "/api/v1/units/%FF%FE" "UTF-8"
status e_nul 400 "$CI" "/api/v1/units/a%00b" "NUL"
status e_sql 404 "$CI" "/api/v1/units/$(enc "x' OR '1'='1")" "no unit with serial 'x' OR '1'='1'"
status e_long 414 "$CI" "/api/v1/units/$(head -c 5000 /dev/zero | tr '\0' a)"
check "e_method: POST" "405" "$(curl -s -o "$WORK/e_method.http" -w '%{http_code}' -X POST -H "Authorization: Bearer $CI" "$BASE/api/v1/products")"
check "e_body: a body is refused" "413" "$(curl -s -o /dev/null -w '%{http_code}' -X GET --data-binary 'x=1' -H "Authorization: Bearer $CI" "$BASE/api/v1/products")"
check "error bodies are JSON" "true" "$(jq -r 'has("error")' "$WORK/e_method.http")"
check "server still answers after hostile requests" "200" "$(get after "$CI" /api/v1/products)"

# Parallel requests over several connections: every answer is still the CLI's.
ct --json unit show 'SN/2024 0001%x' --at 2024-03-01T00:00:00Z >"$WORK/par.cli"
seq 1 24 | xargs -P 6 -I{} curl -s -H "Authorization: Bearer $CI" -o "$WORK/par{}.http" \
  "$BASE/api/v1/units/$(enc 'SN/2024 0001%x')?at=2024-03-01T00%3A00%3A00Z"
for k in $(seq 1 24); do
  cmp -s "$WORK/par$k.http" "$WORK/par.cli" || { echo "FAIL: parallel answer $k differs"; FAILS=$((FAILS + 1)); }
  CHECKS=$((CHECKS + 1))
done

# Revocation: a token never used is refused at once; a used one after the token TTL (1 s).
ct token revoke spare
status revoked_unused 401 "$UNUSED" /api/v1/products "unknown or revoked"
check "used token works" "200" "$(get pre_revoke "$CI" /api/v1/products)"
ct token revoke pipeline
sleep 1.2
status revoked_used 401 "$CI" /api/v1/products "unknown or revoked"
expect_rc "revoke twice" 3 ct token revoke pipeline
check "token list shows the revocation" "pipeline spare" "$(ct --json token list | jq -r '[.[] | select(.revoked != null) | .name] | join(" ")')"
check "the store holds no token" "0" "$(ct --json token list | grep -c -- "${ADMIN#ct_}" || true)"

# SIGTERM: a clean stop, exit 0.
kill -TERM "$SERVE_PID"
rc=0
wait "$SERVE_PID" || rc=$?
SERVE_PID=
check "serve exits 0 on SIGTERM" "0" "$rc"
check "serve says it stopped" "1" "$(grep -c 'stopped (SIGTERM)' "$WORK/serve.err")"
if [ "$rc" != 0 ]; then cat "$WORK/serve.err"; fi
expect_rc "bad listen address" 2 ct serve --listen localhost
finish
