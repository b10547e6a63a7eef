#!/usr/bin/env bash
# Installs the web UI's Node packages when node_modules is missing or older than the lock file.
# Browsers are never downloaded: the end-to-end test drives the system's /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")/../web"
stamp=node_modules/.package-lock.json
if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ]; then
  exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "npm not found: install Node.js 20+ first" >&2; exit 1; }
npm ci --no-audit --no-fund
