"""Verifies the ``Drawdown-Signature`` header of a webhook delivery.

``t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">``, keyed with the endpoint's whole
secret (``whsec_…``) as UTF-8: the same rules as the server (lib/webhooks/signature.ts)
and the TypeScript SDK. Any one of several ``v1`` entries may match (secret rotation),
``t`` must be within ``tolerance`` seconds of now, and the comparison is constant-time.
The ``Credyt-Signature`` header every delivery also carries (``t=…,v0=…``, the same HMAC)
verifies the same way.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from typing import List, Optional, Union

SIGNATURE_HEADER = "Drawdown-Signature"
CREDYT_SIGNATURE_HEADER = "Credyt-Signature"
DEFAULT_TOLERANCE = 300

_TIMESTAMP = re.compile(r"^\d{1,12}$")
_SIGNATURE = re.compile(r"^[0-9a-f]{64}$")


def verify_signature(
    payload: Union[str, bytes],
    header: Optional[str],
    secret: str,
    tolerance: int = DEFAULT_TOLERANCE,
    *,
    now: Optional[float] = None,
) -> bool:
    """True when ``header`` signs exactly ``payload`` (the raw request body as received,
    before JSON parsing) with ``secret``, made within ``tolerance`` seconds of ``now``."""
    if not header or not secret:
        return False
    timestamp: Optional[int] = None
    signatures: List[str] = []
    for part in header.split(","):
        key, sep, value = part.partition("=")
        if not sep:
            continue
        key, value = key.strip(), value.strip()
        if key == "t" and _TIMESTAMP.match(value):
            timestamp = int(value)
        elif key in ("v1", "v0") and _SIGNATURE.match(value):
            signatures.append(value)
    if timestamp is None or not signatures:
        return False
    current = int(time.time() if now is None else now)
    if abs(current - timestamp) > tolerance:
        return False
    body = payload.encode("utf-8") if isinstance(payload, str) else bytes(payload)
    expected = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode("ascii") + body, hashlib.sha256).hexdigest()
    # Check every entry (no early exit on the first mismatch) in constant time each.
    matched = False
    for signature in signatures:
        matched = hmac.compare_digest(expected, signature) or matched
    return matched
