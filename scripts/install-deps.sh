#!/usr/bin/env bash
# Install what cratrace needs to build, test and run on Debian 12.
# Idempotent and non-interactive: installs only the packages that are missing.
set -euo pipefail

pkgs=(
  build-essential cmake pkg-config
  libjson-c-dev libsqlite3-dev sqlite3 zlib1g-dev libxml2-dev libcurl4-openssl-dev libsodium-dev
  libpq-dev postgresql postgresql-contrib
  libcmocka-dev jq libmicrohttpd-dev libyaml-dev
  clang libclang-rt-14-dev
)

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#pkgs[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
