#!/usr/bin/env bash
# Installs Debian's Chromium for the dashboard's end-to-end test (test/dashboard/), which drives it
# with playwright-core (no browser download from npm). Idempotent: does nothing when
# /usr/bin/chromium is already there. Needs root or sudo and apt-get.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "install-browser: /usr/bin/chromium is already installed ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown'))." >&2
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: apt-get not found; install Chromium at /usr/bin/chromium with your package manager." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-browser: run as root (or install sudo) to install chromium with apt-get." >&2
    exit 1
  fi
  SUDO="sudo"
fi
echo "install-browser: installing chromium (apt-get)…" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
/usr/bin/chromium --version >&2
