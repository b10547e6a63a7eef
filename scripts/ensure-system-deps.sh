#!/usr/bin/env bash
# Installs the system packages the tests need (redis-server, chromium, a CJK font) with apt-get when they are
# missing on Debian/Ubuntu. Elsewhere it says what to install and fails.
set -euo pipefail
missing=()
for bin in "$@"; do
  case "$bin" in
    chromium) [ -x /usr/bin/chromium ] || missing+=(chromium) ;;
    fonts-*) dpkg -s "$bin" >/dev/null 2>&1 || missing+=("$bin") ;; # CJK glyphs for Japanese screenshots
    *) command -v "$bin" >/dev/null 2>&1 || missing+=("$bin") ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing missing system packages: ${missing[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "apt-get not found: install ${missing[*]} with your package manager, then run make test again" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
