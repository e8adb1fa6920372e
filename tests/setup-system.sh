#!/usr/bin/env bash
# System packages the browser tests need on Debian: Chromium with its Chinese locale, and a
# CJK font so that Chinese text renders in pages, screenshots and PDFs. Safe to run again.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# The browser's own Chinese (date and file pickers), as villagers' phones show them.
[ -e /usr/lib/chromium/locales/zh-CN.pak ] || need+=(chromium-l10n)
# grep reads to the end: with -q it would stop at the first match, fc-list would die of SIGPIPE,
# and pipefail would report the font missing.
fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || need+=(fonts-noto-cjk)
if [ ${#need[@]} -eq 0 ]; then
  echo "setup-system: chromium, chromium-l10n and fonts-noto-cjk already present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup-system: installing ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" fontconfig >/dev/null
echo "setup-system: done"
