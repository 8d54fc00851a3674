from __future__ import annotations

from typing import Any, Dict, Optional

from .._http import READ
from .._types import Stats as StatsAnswer
from ._base import Resource


class Stats(Resource):
    """Revenue, costs, margin, event counts (and top-ups) for a period: ``from_``/``to`` are
    UTC days (``YYYY-MM-DD``, both included; default this month), ``interval`` adds a series,
    ``currency`` (a reporting currency) adds ``reporting``."""

    def _get(self, path: str, path_params: Optional[Dict[str, str]], from_: Optional[str], to: Optional[str], interval: Optional[str],
             currency: Optional[str], max_retries: Optional[int], timeout: Optional[float]) -> StatsAnswer:
        query: Dict[str, Any] = {"from": from_, "to": to, "interval": interval, "currency": currency}
        return self._http.request(
            "get", path, path_params=path_params, query={k: v for k, v in query.items() if v is not None}, safety=READ,
            max_retries=max_retries, timeout=timeout,
        )

    def platform(self, *, from_: Optional[str] = None, to: Optional[str] = None, interval: Optional[str] = None,
                 currency: Optional[str] = None,
                 max_retries: Optional[int] = None, timeout: Optional[float] = None) -> StatsAnswer:
        """All customers of the platform."""
        return self._get("/stats", None, from_, to, interval, currency, max_retries, timeout)

    def customer(self, customer_id: str, *, from_: Optional[str] = None, to: Optional[str] = None, interval: Optional[str] = None,
                 currency: Optional[str] = None,
                 max_retries: Optional[int] = None, timeout: Optional[float] = None) -> StatsAnswer:
        return self._get("/customers/{id}/stats", {"id": customer_id}, from_, to, interval, currency, max_retries, timeout)

    def product(self, product_id: str, *, from_: Optional[str] = None, to: Optional[str] = None, interval: Optional[str] = None,
                 currency: Optional[str] = None,
                max_retries: Optional[int] = None, timeout: Optional[float] = None) -> StatsAnswer:
        """The events a product priced: its fees, and those events' costs."""
        return self._get("/products/{id}/stats", {"id": product_id}, from_, to, interval, currency, max_retries, timeout)

    def vendor(self, vendor_id: str, *, from_: Optional[str] = None, to: Optional[str] = None, interval: Optional[str] = None,
                 currency: Optional[str] = None,
               max_retries: Optional[int] = None, timeout: Optional[float] = None) -> StatsAnswer:
        """A vendor's costs, and the revenue of the events that carried them."""
        return self._get("/vendors/{id}/stats", {"id": vendor_id}, from_, to, interval, currency, max_retries, timeout)
