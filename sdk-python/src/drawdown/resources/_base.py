from __future__ import annotations

from .._http import HttpClient


class Resource:
    """A group of the API's operations sharing one transport.

    Every method takes keyword-only ``max_retries`` and ``timeout`` (seconds, per
    attempt); writes that send an ``Idempotency-Key`` also take ``idempotency_key`` (by
    default a random UUID per call, reused by its retries: pass your own, e.g. an order
    id, to make a call safe to repeat across processes; keys are kept 24 hours).
    """

    def __init__(self, http: HttpClient) -> None:
        self._http = http
