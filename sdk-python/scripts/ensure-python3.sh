#!/usr/bin/env bash
# The Python SDK's tests (sdk-python/python-sdk.int.test.ts, part of `npm test`) need a
# python3 of 3.9 or later, and nothing else: the SDK and its tests use the standard
# library only. Install Debian's python3 when it is missing and we may (root, or
# passwordless sudo); otherwise say exactly what to run.
set -euo pipefail
if command -v python3 >/dev/null 2>&1 && python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)'; then
  exit 0
fi
echo "python3 (3.9 or later) is missing: installing Debian's python3 package" >&2
if [ "$(id -u)" -eq 0 ]; then sudo_cmd=""
elif sudo -n true 2>/dev/null; then sudo_cmd="sudo"
else
  echo "Run: sudo apt-get update && sudo apt-get install -y python3   (then npm test again)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo_cmd apt-get update
$sudo_cmd apt-get install -y --no-install-recommends python3
