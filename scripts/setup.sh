#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for Airlock: the system packages the sandbox needs
# (bubblewrap, socat; python3-requests for the network tests if the system python lacks it), then
# npm ci and the build, which also compiles the zero-copy network helper when gcc is present.
# Safe to run again: it installs only what is missing.
#   --with-browser   also install Debian's Chromium (for the dashboard's end-to-end test)
set -euo pipefail
cd "$(dirname "$0")/.."
with_browser=0
for arg in "$@"; do
  case "$arg" in
    --with-browser) with_browser=1 ;;
    -h|--help) sed -n '2,6p' "$0" | sed -e 's/^# //' -e 's/^#//'; exit 0 ;;
    *) echo "setup: unknown option $arg (try --help)" >&2; exit 2 ;;
  esac
done

need=()
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
command -v socat >/dev/null 2>&1 || need+=(socat)
command -v curl >/dev/null 2>&1 || need+=(curl)
[ -x /usr/bin/python3 ] || need+=(python3)
# The network tests drive real clients, Python requests among them: Debian's package when the
# python3 on PATH is the system one and lacks it.
if [ "$(command -v python3 || true)" = /usr/bin/python3 ] && ! /usr/bin/python3 -c 'import requests' >/dev/null 2>&1; then
  need+=(python3-requests)
fi
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "setup: missing ${need[*]}; install them with your package manager (as root)." >&2
    exit 1
  fi
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing ${need[*]} (apt-get)…" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ "$with_browser" = 1 ] && [ -x scripts/install-browser.sh ]; then
  bash scripts/install-browser.sh
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci…" >&2
  npm ci --no-audit --no-fund >&2
else
  npm run --silent build >&2
fi
# The build above compiles it already; this says why when it could not (no gcc: socat fallback).
node scripts/build-native.mjs
