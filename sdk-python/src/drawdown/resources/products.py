from __future__ import annotations

from typing import Any, Iterator, Mapping, Optional, Union

from .._http import KEY, READ
from .._pagination import paginate
from .._types import Page, Product, ProductSummary, ProductVersion, SimulatedUsage
from ._base import Resource


class Products(Resource):
    """``/products``: versioned prices. Price ``dimensions`` are keyed by your event ``data`` fields."""

    def create(
        self,
        body: Mapping[str, Any],
        *,
        idempotency_key: Optional[str] = None,
        max_retries: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> ProductVersion:
        """Creates a product with version 1 of its prices. Sends an Idempotency-Key."""
        return self._http.request(
            "post", "/products", body=body, safety=KEY,
            idempotency_key=idempotency_key, max_retries=max_retries, timeout=timeout,
        )

    def get(self, product_id: str, *, max_retries: Optional[int] = None, timeout: Optional[float] = None) -> Product:
        """A product with all its versions."""
        return self._http.request(
            "get", "/products/{id}", path_params={"id": product_id}, safety=READ, max_retries=max_retries, timeout=timeout
        )

    def list(self, *, max_retries: Optional[int] = None, timeout: Optional[float] = None, **query: Any) -> Page:
        return self._http.request("get", "/products", query=query, safety=READ, max_retries=max_retries, timeout=timeout)

    def list_all(
        self, *, max_retries: Optional[int] = None, timeout: Optional[float] = None, **query: Any
    ) -> Iterator[ProductSummary]:
        return paginate(self.list, query, max_retries=max_retries, timeout=timeout)

    def create_version(
        self,
        product_id: str,
        body: Mapping[str, Any],
        *,
        idempotency_key: Optional[str] = None,
        max_retries: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> ProductVersion:
        """Adds a version with new prices. Sends an Idempotency-Key."""
        return self._http.request(
            "post", "/products/{id}", path_params={"id": product_id}, body=body, safety=KEY,
            idempotency_key=idempotency_key, max_retries=max_retries, timeout=timeout,
        )

    def update_version(
        self,
        product_id: str,
        version: Union[int, str],
        body: Mapping[str, Any],
        *,
        idempotency_key: Optional[str] = None,
        max_retries: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> ProductVersion:
        """Publishes a version and/or makes it the default. Sends an Idempotency-Key."""
        return self._http.request(
            "patch", "/products/{id}/{version}", path_params={"id": product_id, "version": version}, body=body,
            safety=KEY, idempotency_key=idempotency_key, max_retries=max_retries, timeout=timeout,
        )

    def simulate_usage(
        self,
        product_id: str,
        version: Union[int, str],
        body: Mapping[str, Any],
        *,
        max_retries: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> SimulatedUsage:
        """The fees these events would incur on this version; charges nothing."""
        return self._http.request(
            "post", "/products/{id}/{version}/simulate-usage", path_params={"id": product_id, "version": version},
            body=body, safety=READ, max_retries=max_retries, timeout=timeout,
        )
