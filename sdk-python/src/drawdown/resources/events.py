from __future__ import annotations

from typing import Any, Iterator, Mapping, Optional

from .._http import NATURAL, READ
from .._pagination import paginate
from .._types import Page, SendUsageResponse, UsageEvent
from ._base import Resource


class Events(Resource):
    """``/events``: usage events, priced and charged in real time."""

    def send_usage(
        self, body: Mapping[str, Any], *, max_retries: Optional[int] = None, timeout: Optional[float] = None
    ) -> SendUsageResponse:
        """Sends up to 1,000 usage events; one result per event (``billed``, ``unbilled``,
        ``duplicate``, ``refused``). Idempotent by each event's ``id``: a retry after a lost
        answer reports the events as ``duplicate`` with their original fees and charges
        nothing more."""
        return self._http.request("post", "/events", body=body, safety=NATURAL, max_retries=max_retries, timeout=timeout)

    def get(
        self,
        event_id: str,
        *,
        customer_id: Optional[str] = None,
        max_retries: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> UsageEvent:
        """One event by your id; pass ``customer_id`` when two customers used the same id."""
        return self._http.request(
            "get", "/events/{id}", path_params={"id": event_id}, query={"customer_id": customer_id},
            safety=READ, max_retries=max_retries, timeout=timeout,
        )

    def list(self, *, max_retries: Optional[int] = None, timeout: Optional[float] = None, **query: Any) -> Page:
        """One page: ``list(customer_id=…, status=…, event_type=…, limit=…, offset=…)``."""
        return self._http.request("get", "/events", query=query, safety=READ, max_retries=max_retries, timeout=timeout)

    def list_all(self, *, max_retries: Optional[int] = None, timeout: Optional[float] = None, **query: Any) -> Iterator[UsageEvent]:
        return paginate(self.list, query, max_retries=max_retries, timeout=timeout)
