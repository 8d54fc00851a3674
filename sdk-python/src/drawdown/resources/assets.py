from __future__ import annotations

from typing import Any, Iterator, Mapping, Optional

from .._http import KEY, READ
from .._pagination import paginate
from .._types import Asset, AssetQuote, Page
from ._base import Resource


class Assets(Resource):
    """``/assets``: custom units (``TOK``, ``CREDIT``) and their fiat rates."""

    def create(
        self,
        body: Mapping[str, Any],
        *,
        idempotency_key: Optional[str] = None,
        max_retries: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> Asset:
        """Sends an Idempotency-Key."""
        return self._http.request(
            "post", "/assets", body=body, safety=KEY,
            idempotency_key=idempotency_key, max_retries=max_retries, timeout=timeout,
        )

    def get(self, code: str, *, max_retries: Optional[int] = None, timeout: Optional[float] = None) -> Asset:
        """A custom asset or a built-in fiat currency (``USD``)."""
        return self._http.request(
            "get", "/assets/{code}", path_params={"code": code}, safety=READ, max_retries=max_retries, timeout=timeout
        )

    def list(self, *, max_retries: Optional[int] = None, timeout: Optional[float] = None, **query: Any) -> Page:
        """Custom assets only (fiat currencies are built in)."""
        return self._http.request("get", "/assets", query=query, safety=READ, max_retries=max_retries, timeout=timeout)

    def list_all(self, *, max_retries: Optional[int] = None, timeout: Optional[float] = None, **query: Any) -> Iterator[Asset]:
        return paginate(self.list, query, max_retries=max_retries, timeout=timeout)

    def quote(
        self, code: str, body: Mapping[str, Any], *, max_retries: Optional[int] = None, timeout: Optional[float] = None
    ) -> AssetQuote:
        """Units a fiat ``amount`` buys, or the amount to pay for ``units``; changes nothing."""
        return self._http.request(
            "post", "/assets/{code}/quote", path_params={"code": code}, body=body, safety=READ,
            max_retries=max_retries, timeout=timeout,
        )
