from __future__ import annotations

from typing import Any, Iterator, Mapping, Optional

from .._http import KEY, READ
from .._pagination import paginate
from .._types import Page, Vendor
from ._base import Resource


class Vendors(Resource):
    """``/vendors``: the vendors behind your products, which usage events' ``costs`` name."""

    def create(
        self,
        body: Mapping[str, Any],
        *,
        idempotency_key: Optional[str] = None,
        max_retries: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> Vendor:
        """Creates a vendor; a used ``external_id`` raises ConflictError (409). Sends an Idempotency-Key."""
        return self._http.request(
            "post", "/vendors", body=body, safety=KEY,
            idempotency_key=idempotency_key, max_retries=max_retries, timeout=timeout,
        )

    def get(self, vendor_id: str, *, max_retries: Optional[int] = None, timeout: Optional[float] = None) -> Vendor:
        return self._http.request(
            "get", "/vendors/{id}", path_params={"id": vendor_id}, safety=READ, max_retries=max_retries, timeout=timeout
        )

    def list(self, *, max_retries: Optional[int] = None, timeout: Optional[float] = None, **query: Any) -> Page:
        """One page, newest first: ``list(external_id=…, limit=…, offset=…)``."""
        return self._http.request("get", "/vendors", query=query, safety=READ, max_retries=max_retries, timeout=timeout)

    def list_all(self, *, max_retries: Optional[int] = None, timeout: Optional[float] = None, **query: Any) -> Iterator[Vendor]:
        return paginate(self.list, query, max_retries=max_retries, timeout=timeout)
