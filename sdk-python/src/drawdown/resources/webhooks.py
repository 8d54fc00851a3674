from __future__ import annotations

from typing import Any, Iterator, Mapping, Optional, Union

from .._http import KEY, READ
from .._pagination import paginate
from .._types import Page, WebhookEndpoint, WebhookEndpointCreated, WebhookEndpointDeleted, WebhookEndpointDetail
from ..webhook_signature import DEFAULT_TOLERANCE
from ..webhook_signature import verify_signature as _verify_signature
from ._base import Resource


class Webhooks(Resource):
    """``/webhooks``: outbound webhook endpoints, and checking the deliveries' signatures."""

    def create(
        self,
        body: Mapping[str, Any],
        *,
        idempotency_key: Optional[str] = None,
        max_retries: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> WebhookEndpointCreated:
        """Registers an endpoint; the answer holds its signing ``secret``, shown only here. Sends an Idempotency-Key."""
        return self._http.request(
            "post", "/webhooks", body=body, safety=KEY,
            idempotency_key=idempotency_key, max_retries=max_retries, timeout=timeout,
        )

    def get(self, endpoint_id: str, *, max_retries: Optional[int] = None, timeout: Optional[float] = None) -> WebhookEndpointDetail:
        """An endpoint with its latest deliveries and their attempts."""
        return self._http.request(
            "get", "/webhooks/{id}", path_params={"id": endpoint_id}, safety=READ, max_retries=max_retries, timeout=timeout
        )

    def list(self, *, max_retries: Optional[int] = None, timeout: Optional[float] = None, **query: Any) -> Page:
        return self._http.request("get", "/webhooks", query=query, safety=READ, max_retries=max_retries, timeout=timeout)

    def list_all(
        self, *, max_retries: Optional[int] = None, timeout: Optional[float] = None, **query: Any
    ) -> Iterator[WebhookEndpoint]:
        return paginate(self.list, query, max_retries=max_retries, timeout=timeout)

    def delete(
        self,
        endpoint_id: str,
        *,
        idempotency_key: Optional[str] = None,
        max_retries: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> WebhookEndpointDeleted:
        """Deletes an endpoint and its delivery log. Sends an Idempotency-Key."""
        return self._http.request(
            "delete", "/webhooks/{id}", path_params={"id": endpoint_id}, safety=KEY,
            idempotency_key=idempotency_key, max_retries=max_retries, timeout=timeout,
        )

    @staticmethod
    def verify_signature(
        payload: Union[str, bytes],
        header: Optional[str],
        secret: str,
        tolerance: int = DEFAULT_TOLERANCE,
        *,
        now: Optional[float] = None,
    ) -> bool:
        """True when ``header`` (the ``Drawdown-Signature`` request header) signs exactly
        ``payload`` (the raw body as received, before JSON parsing) with the endpoint's
        ``secret``, within ``tolerance`` seconds (300)."""
        return _verify_signature(payload, header, secret, tolerance, now=now)
