from __future__ import annotations

from typing import Any, Mapping, Optional

from .._http import KEY, READ
from .._types import PlatformContext
from ._base import Resource


class Accounts(Resource):
    """``/accounts/self``: the platform of the API key, and its settings in the key's mode."""

    def get_self(self, *, max_retries: Optional[int] = None, timeout: Optional[float] = None) -> PlatformContext:
        return self._http.request("get", "/accounts/self", safety=READ, max_retries=max_retries, timeout=timeout)

    def update_self(
        self,
        body: Mapping[str, Any],
        *,
        idempotency_key: Optional[str] = None,
        max_retries: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> PlatformContext:
        """``update_self(body={"settings": {"default_overdraft_limit": 10}})`` (or ``"unlimited"``),
        and/or ``"default_low_balance_threshold": 5`` (``None`` clears it); what the body leaves
        out stays as it is. Sends an Idempotency-Key."""
        return self._http.request(
            "patch", "/accounts/self", body=body, safety=KEY,
            idempotency_key=idempotency_key, max_retries=max_retries, timeout=timeout,
        )
