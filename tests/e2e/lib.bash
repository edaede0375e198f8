# Shared helpers for end-to-end tests (sourced). $1 of the test script is the cratrace binary.
# CT_TEST_BACKEND=sqlite|pg selects the store; pg needs CT_TEST_PG_DSN (else the test skips).
set -euo pipefail
CRATRACE=$1
WORK=$(mktemp -d /tmp/cratrace-e2e.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
FAILS=0
CHECKS=0

fresh_db() {
  if [ "${CT_TEST_BACKEND:-sqlite}" = pg ]; then
    if [ -z "${CT_TEST_PG_DSN:-}" ]; then
      echo "skipped: CT_TEST_PG_DSN not set"
      exit 77
    fi
    local schema="e2e_$$_$RANDOM"
    psql -q "$CT_TEST_PG_DSN" -c "CREATE SCHEMA $schema" >/dev/null
    echo "${CT_TEST_PG_DSN}?options=-csearch_path%3D$schema"
  else
    echo "$WORK/test-$RANDOM.db"
  fi
}

ct() { "$CRATRACE" --db "$DB" --quiet "$@"; }

check() { # check DESCRIPTION EXPECTED ACTUAL
  CHECKS=$((CHECKS + 1))
  if [ "$2" != "$3" ]; then
    echo "FAIL: $1: expected [$2], got [$3]"
    FAILS=$((FAILS + 1))
  fi
}

expect_rc() { # expect_rc DESCRIPTION RC COMMAND...
  local want=$2 rc=0
  shift 2
  "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
  CHECKS=$((CHECKS + 1))
  if [ "$rc" != "$want" ]; then
    echo "FAIL: $*: exit $rc, expected $want; stderr: $(cat "$WORK/err")"
    FAILS=$((FAILS + 1))
  fi
}

finish() {
  echo "$((CHECKS - FAILS)) passed, $FAILS failed"
  [ "$FAILS" -eq 0 ]
}
