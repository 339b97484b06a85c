#!/usr/bin/env bash
# Installs Debian's chromium for the real-browser tests when it is missing, saying so first.
# Set SAMENSPEL_CHROMIUM to use a chromium binary installed elsewhere. Never asks for a password:
# without root or password-less sudo it stops and prints the command to run.
set -euo pipefail
if [[ -n "${SAMENSPEL_CHROMIUM:-}" ]] || command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [[ "$(id -u)" == "0" ]]; then
  SUDO=()
elif sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  echo "The browser tests need Debian's chromium. Install it with:" >&2
  echo "  sudo apt-get update && sudo apt-get install chromium" >&2
  echo "or set SAMENSPEL_CHROMIUM to a chromium binary." >&2
  exit 1
fi
echo "Installing Debian's chromium for the browser tests: ${SUDO[*]:-} apt-get install chromium"
"${SUDO[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -q --no-install-recommends chromium
