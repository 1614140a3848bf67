#!/usr/bin/env bash
# Installs the Debian tools the test suite uses: ffmpeg, sox, espeak-ng and bzip2 for test audio and
# archives, chromium for the browser tests (driven by playwright-core, never a downloaded browser) and a
# CJK font so the Chinese pages in the test screenshots are readable,
# only when one is missing. Needs root and apt-get; otherwise it says what to install.
set -euo pipefail
missing=()
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v sox >/dev/null 2>&1 || missing+=(sox)
command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
command -v bzip2 >/dev/null 2>&1 || missing+=(bzip2)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list 2>/dev/null | grep -qi 'wqy-zenhei' || missing+=(fonts-wqy-zenhei)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing test tools: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "The tests need: ${missing[*]}. Install them (e.g. sudo apt-get install ${missing[*]}) and run again." >&2
  exit 1
fi
