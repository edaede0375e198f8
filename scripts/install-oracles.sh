#!/usr/bin/env bash
# Install the reference oracles of ../shared/oracles (dpkg, librpm, packaging, Maven, Go, the
# CycloneDX/SPDX/CSAF validators) that the differential tests compare cratrace against.
# Idempotent (about 1 s when up to date). The oracles' own install.sh uses apt and npm only.
# When ../shared/oracles is absent, or its install fails, the oracle tests are reported as
# skipped by ctest (exit 77) with a message naming what is missing; this script says so here.
set -uo pipefail
cd "$(dirname "$0")/.."
ORACLES=${CT_SHARED_DIR:-../shared}/oracles
if [ ! -x "$ORACLES/install.sh" ]; then
  echo "install-oracles: $ORACLES/install.sh is absent: differential tests will be skipped" >&2
  exit 0
fi
LOG=$(mktemp /tmp/cratrace-oracles-install.XXXXXX)
if ! "$ORACLES/install.sh" >"$LOG" 2>&1; then
  echo "install-oracles: $ORACLES/install.sh failed (log: $LOG):" >&2
  tail -n 15 "$LOG" >&2
  echo "install-oracles: differential tests will be skipped" >&2
  exit 0
fi
echo "install-oracles: $(tail -n 1 "$LOG")"
rm -f "$LOG"
