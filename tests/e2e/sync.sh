#!/usr/bin/env bash
# `advisories source` and `advisories sync` through the CLI against the test HTTP server
# (ct_http_fixture_server, next to the cratrace binary) serving real OSV data from ../shared
# copied into a temp dir: import, 304, re-import after a change, and failures (500s, timeout,
# corrupt gzip, wrong checksum) that exit non-zero and leave the store as it was.
source "$(dirname "$0")/lib.bash"
SHARED=${CT_SHARED_DIR:-$(dirname "$0")/../../../shared}
OSV="$SHARED/conformance/advisories/osv/haskell-hsec/osv-hackage.jsonl.gz"
SERVER="$(dirname "$CRATRACE")/ct_http_fixture_server"
if [ ! -f "$OSV" ]; then
  echo "skipped: $OSV is absent"
  exit 77
fi
if [ ! -x "$SERVER" ]; then
  echo "skipped: $SERVER not built (libmicrohttpd missing)"
  exit 77
fi
DB=$(fresh_db)

mkdir "$WORK/www"
zcat "$OSV" >"$WORK/all.jsonl"
head -n 20 "$WORK/all.jsonl" >"$WORK/www/feed.jsonl"
cp "$OSV" "$WORK/www/feed.jsonl.gz"
(cd "$WORK/www" && sha256sum feed.jsonl.gz >feed.jsonl.gz.sha256)
"$SERVER" "$WORK/www" "$WORK/requests.log" 0 >"$WORK/port" &
SPID=$!
trap 'kill $SPID 2>/dev/null; wait $SPID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
BASE="http://127.0.0.1:$(cat "$WORK/port")"

expect_rc "sync without sources is a usage error" 2 ct advisories sync
check "sync without sources says so" 1 "$(grep -c 'no feed sources configured' "$WORK/err")"
expect_rc "non-http URL refused" 2 ct advisories source add x "file:///etc/passwd"
expect_rc "unknown format refused" 2 ct advisories source add x "$BASE/feed.jsonl" --format rss
expect_rc "source add" 0 ct advisories source add hsec "$BASE/feed.jsonl" --format osv
expect_rc "duplicate source" 3 ct advisories source add hsec "$BASE/feed.jsonl"
check "source list" "hsec osv never" "$(ct --json advisories source list | jq -r '.[] | "\(.name) \(.format) \(.last_sync // "never")"')"

first=$(ct --json advisories sync)
check "first sync imports the file" "updated 20 20" "$(echo "$first" | jq -r '.[0] | "\(.result) \(.records) \(.inserted)"')"
check "sha256 of the download" "$(sha256sum <"$WORK/www/feed.jsonl" | cut -d' ' -f1)" "$(echo "$first" | jq -r '.[0].sha256')"
check "second sync: 304" "not-modified 0" "$(ct --json advisories sync hsec | jq -r '.[0] | "\(.result) \(.records)"')"
check "server answered 304" 1 "$(grep -c '^GET /feed.jsonl 304' "$WORK/requests.log")"
id1=$(head -n 1 "$WORK/all.jsonl" | jq -r .id)
check "imported advisory answers" "$id1" "$(ct --json affected "$id1" | jq -r .advisory)"
check "provenance is the feed URL" "$BASE/feed.jsonl" "$(ct --json affected "$id1" | jq -r '.records[0].origin')"

# the state every failure below must leave untouched
state() { ct --json overview | jq -c .counts; ct --json affected "$id1"; ct --json advisories source list | jq -c '.[] | select(.name == "hsec")'; }
before=$(state)
expect_rc "unknown source" 3 ct advisories sync --retries 1 --backoff-ms 10 bad500
check "unknown source is bad input" 1 "$(grep -c "no feed source named 'bad500'" "$WORK/err")"
ct advisories source add bad500 "$BASE/feed.jsonl?fail=100"
expect_rc "500s: network error" 4 ct --json advisories sync bad500 --retries 1 --backoff-ms 10
check "500 reported with the URL" 1 "$(grep -c 'fail=100.*HTTP status 500 (after 2 attempts)' "$WORK/err")"
check "failed sync reports its attempts" "failed 2 0" "$(jq -r '.[0] | "\(.result) \(.attempts) \(.records)"' "$WORK/out")"
check "server saw those attempts" 2 "$(grep -c '^GET /feed.jsonl?fail=100 500' "$WORK/requests.log")"
ct advisories source add slow "$BASE/feed.jsonl?delay=3000"
expect_rc "timeout: network error" 4 ct advisories sync slow --timeout 1 --retries 0
ct advisories source add badgz "$BASE/feed.jsonl.gz?corrupt=1"
expect_rc "corrupt gzip: bad input" 3 ct --json advisories sync badgz
check "import failure: downloaded once, nothing imported" "failed 1 0" "$(jq -r '.[0] | "\(.result) \(.attempts) \(.records)"' "$WORK/out")"
check "corrupt gzip named" 1 "$(grep -c 'bad gzip data' "$WORK/err")"
ct advisories source add badsum "$BASE/feed.jsonl.gz" --sha256-url "$BASE/feed.jsonl.gz.sha256?wrong=1"
expect_rc "wrong checksum: bad input" 3 ct advisories sync badsum
ct advisories source add big "$BASE/feed.jsonl.gz"
expect_rc "over --max-bytes: bad input" 3 ct advisories sync big --max-bytes 1000
check "store unchanged after failures" "$before" "$(state)"
check "failures recorded on their sources" "bad500 failed|badgz failed|badsum failed|big failed|slow failed" \
  "$(ct --json advisories source list | jq -r '[.[] | select(.name != "hsec") | "\(.name) \(.last_result)"] | join("|")')"

# a changed file is re-imported; the gzip source with its published checksum works
cp "$WORK/all.jsonl" "$WORK/www/feed.jsonl"
n=$(grep -c . "$WORK/all.jsonl")
check "modified file re-imported" "updated $n $((n - 20)) 20" "$(ct --json advisories sync hsec | jq -r '.[0] | "\(.result) \(.records) \(.inserted) \(.unchanged)"')"
ct advisories source remove badsum
ct advisories source add gz "$BASE/feed.jsonl.gz" --sha256-url "$BASE/feed.jsonl.gz.sha256"
check "gzip + checksum" "updated $n" "$(ct --json advisories sync gz | jq -r '.[0] | "\(.result) \(.records)"')"
# sync of all sources: the failing ones fail, the others report, exit code is the worst
expect_rc "sync all with failures" 4 ct advisories sync --retries 0 --timeout 1 --max-bytes 1000000
expect_rc "remove unknown" 3 ct advisories source remove nosuch
finish
