from __future__ import annotations

from typing import Any, Mapping, Optional

from .._http import KEY
from .._types import BillingPortalSession
from ._base import Resource


class BillingPortal(Resource):
    """``/billing-portal/sessions``."""

    def create_session(
        self,
        body: Mapping[str, Any],
        *,
        idempotency_key: Optional[str] = None,
        max_retries: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> BillingPortalSession:
        """A single-use sign-in link (10 minutes) to the customer's billing portal:
        ``create_session(body={"customer_id": …, "return_url": …})``. Sends an Idempotency-Key."""
        return self._http.request(
            "post", "/billing-portal/sessions", body=body, safety=KEY,
            idempotency_key=idempotency_key, max_retries=max_retries, timeout=timeout,
        )

    # The TypeScript SDK's name (createPortalSession).
    create_portal_session = create_session
