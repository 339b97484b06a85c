#!/usr/bin/env bash
# Installs Debian's chromium for the real-browser tests when it is missing.
# Set SAMENSPEL_CHROMIUM to use a chromium binary installed elsewhere.
set -euo pipefail
if [[ -n "${SAMENSPEL_CHROMIUM:-}" ]] || command -v chromium >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [[ "$(id -u)" != "0" ]]; then
  SUDO="sudo"
fi
echo "Installing chromium for the browser tests (Debian package)..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
