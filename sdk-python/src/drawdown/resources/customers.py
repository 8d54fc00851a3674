from __future__ import annotations

from typing import Any, Iterator, Mapping, Optional

from .._http import KEY, READ
from .._pagination import paginate
from .._types import Customer, Page
from ._base import Resource


class Customers(Resource):
    """``/customers``."""

    def create(
        self,
        body: Mapping[str, Any],
        *,
        idempotency_key: Optional[str] = None,
        max_retries: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> Customer:
        """Creates a customer (and its subscriptions). Sends an Idempotency-Key."""
        return self._http.request(
            "post", "/customers", body=body, safety=KEY,
            idempotency_key=idempotency_key, max_retries=max_retries, timeout=timeout,
        )

    def get(self, customer_id: str, *, max_retries: Optional[int] = None, timeout: Optional[float] = None) -> Customer:
        return self._http.request(
            "get", "/customers/{id}", path_params={"id": customer_id}, safety=READ,
            max_retries=max_retries, timeout=timeout,
        )

    def list(self, *, max_retries: Optional[int] = None, timeout: Optional[float] = None, **query: Any) -> Page:
        """One page, newest first: ``list(external_id=…, email=…, limit=…, offset=…)``."""
        return self._http.request("get", "/customers", query=query, safety=READ, max_retries=max_retries, timeout=timeout)

    def list_all(self, *, max_retries: Optional[int] = None, timeout: Optional[float] = None, **query: Any) -> Iterator[Customer]:
        """Every customer matching ``query``, page after page: ``for c in client.customers.list_all(): …``."""
        return paginate(self.list, query, max_retries=max_retries, timeout=timeout)
