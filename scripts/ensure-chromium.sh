#!/usr/bin/env bash
# The Playwright suite drives Debian's Chromium (playwright.config.ts): `npx playwright
# install` cannot download browsers on these machines. Install it when it is missing and
# we may (root, or passwordless sudo); otherwise say exactly what to run.
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
echo "Chromium is missing at /usr/bin/chromium: installing Debian's chromium package" >&2
if [ "$(id -u)" -eq 0 ]; then sudo_cmd=""
elif sudo -n true 2>/dev/null; then sudo_cmd="sudo"
else
  echo "Run: sudo apt-get update && sudo apt-get install -y chromium   (then npm test again)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo_cmd apt-get update
$sudo_cmd apt-get install -y --no-install-recommends chromium
