from __future__ import annotations

from typing import Any, Iterator, Mapping, Optional

from .._http import KEY, READ
from .._pagination import paginate
from .._types import Page, TopUp, TopUpCreated
from ._base import Resource


class TopUps(Resource):
    """``/top-ups``: Stripe Checkout top-ups."""

    def initiate(
        self,
        body: Mapping[str, Any],
        *,
        idempotency_key: Optional[str] = None,
        max_retries: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> TopUpCreated:
        """Starts a top-up; send the customer to ``redirect_url``. Sends an Idempotency-Key,
        so a retried call never creates a second top-up."""
        return self._http.request(
            "post", "/top-ups", body=body, safety=KEY,
            idempotency_key=idempotency_key, max_retries=max_retries, timeout=timeout,
        )

    def get(self, top_up_id: str, *, max_retries: Optional[int] = None, timeout: Optional[float] = None) -> TopUp:
        return self._http.request(
            "get", "/top-ups/{id}", path_params={"id": top_up_id}, safety=READ, max_retries=max_retries, timeout=timeout
        )

    def list(self, *, max_retries: Optional[int] = None, timeout: Optional[float] = None, **query: Any) -> Page:
        """One page: ``list(customer_id=…, status=…, limit=…, offset=…)``."""
        return self._http.request("get", "/top-ups", query=query, safety=READ, max_retries=max_retries, timeout=timeout)

    def list_all(self, *, max_retries: Optional[int] = None, timeout: Optional[float] = None, **query: Any) -> Iterator[TopUp]:
        return paginate(self.list, query, max_retries=max_retries, timeout=timeout)
