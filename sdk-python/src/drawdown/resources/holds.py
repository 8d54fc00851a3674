from __future__ import annotations

import threading
from types import TracebackType
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Sequence, Type

from .._errors import DrawdownError
from .._http import KEY, NATURAL, READ
from .._pagination import paginate
from .._types import Hold, HoldCapture, Page
from ._base import Resource

DEFAULT_TTL_SECONDS = 900


class Holds(Resource):
    """``/customers/{id}/wallet/holds``: authorizations. A hold reserves funds (an
    ``amount`` in an ``asset``, or what an ``estimate`` usage event would cost) before
    expensive work runs; capture charges what the work really cost and releases the rest."""

    def create(
        self, customer_id: str, body: Mapping[str, Any], *, max_retries: Optional[int] = None, timeout: Optional[float] = None
    ) -> Hold:
        """Reserves funds; raises an ``APIError`` with status 402 and ``code ==
        "insufficient_funds"`` (the shortfall in its ``problem``) when the available
        balance plus overdraft does not cover it. Idempotent by the body's ``id``: a retry
        with the same body answers the same hold."""
        return self._http.request(
            "post", "/customers/{id}/wallet/holds", path_params={"id": customer_id}, body=body,
            safety=NATURAL, max_retries=max_retries, timeout=timeout,
        )

    def get(self, customer_id: str, hold_id: str, *, max_retries: Optional[int] = None, timeout: Optional[float] = None) -> Hold:
        """One hold; a hold past its ``expires_at`` reads as ``expired`` even before the expiry job ran."""
        return self._http.request(
            "get", "/customers/{id}/wallet/holds/{hold_id}", path_params={"id": customer_id, "hold_id": hold_id},
            safety=READ, max_retries=max_retries, timeout=timeout,
        )

    def list(self, customer_id: str, *, max_retries: Optional[int] = None, timeout: Optional[float] = None, **query: Any) -> Page:
        """One page of the customer's holds, newest first: ``list(customer_id, status="held", limit=…, offset=…)``."""
        return self._http.request(
            "get", "/customers/{id}/wallet/holds", path_params={"id": customer_id}, query=query,
            safety=READ, max_retries=max_retries, timeout=timeout,
        )

    def list_all(self, customer_id: str, *, max_retries: Optional[int] = None, timeout: Optional[float] = None, **query: Any) -> Iterator[Hold]:
        return paginate(self.list, query, customer_id, max_retries=max_retries, timeout=timeout)

    def capture(
        self,
        customer_id: str,
        hold_id: str,
        events: Sequence[Mapping[str, Any]] = (),
        *,
        idempotency_key: Optional[str] = None,
        max_retries: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> HoldCapture:
        """Charges the usage events (priced as ``send_usage`` would) from the hold first,
        then from the balance within overdraft, closes the hold and releases the rest.
        Sends an Idempotency-Key, so a retry after a lost answer gets the first answer."""
        return self._action("capture", customer_id, hold_id, {"events": list(events)}, idempotency_key, max_retries, timeout)

    def extend(
        self,
        customer_id: str,
        hold_id: str,
        *,
        ttl_seconds: Optional[int] = None,
        expires_at: Optional[str] = None,
        idempotency_key: Optional[str] = None,
        max_retries: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> Hold:
        """Moves the expiry (``ttl_seconds`` from now, or ``expires_at``), at most 24 h after creation."""
        body: Dict[str, Any] = {}
        if ttl_seconds is not None:
            body["ttl_seconds"] = ttl_seconds
        if expires_at is not None:
            body["expires_at"] = expires_at
        return self._action("extend", customer_id, hold_id, body, idempotency_key, max_retries, timeout)

    def release(
        self,
        customer_id: str,
        hold_id: str,
        *,
        idempotency_key: Optional[str] = None,
        max_retries: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> Hold:
        """Closes the hold and gives its funds back; 409 (``ConflictError``) once it is captured."""
        return self._action("release", customer_id, hold_id, None, idempotency_key, max_retries, timeout)

    def session(
        self,
        customer_id: str,
        body: Mapping[str, Any],
        *,
        extend_every: Optional[float] = None,
        extend_ttl_seconds: Optional[int] = None,
    ) -> HoldSession:
        """A context manager around a hold: created on entry, extended every
        ``extend_every`` seconds (default: half its time to live) while the block runs,
        then the events appended to ``session.events`` are captured when the block ends, or
        the hold is released when it raises::

            with client.holds.session(customer_id, {"id": request_id, "estimate": {...}}, extend_every=30) as session:
                for chunk in stream(cancel=session.cancelled):
                    ...
                session.events.append({"id": request_id, "event_type": "chat", "occurred_at": now(), "data": {...}})
            print(session.result["hold"]["status"])  # "captured"
        """
        return HoldSession(self, customer_id, body, extend_every=extend_every, extend_ttl_seconds=extend_ttl_seconds)

    def run(
        self,
        customer_id: str,
        body: Mapping[str, Any],
        work: Callable[[Hold, threading.Event], Optional[Sequence[Mapping[str, Any]]]],
        *,
        extend_every: Optional[float] = None,
        extend_ttl_seconds: Optional[int] = None,
    ) -> HoldCapture:
        """Runs ``work(hold, cancelled)`` inside a hold (see ``session``) and captures the
        events it returns; if it raises, the hold is released and the error re-raised.
        ``cancelled`` is set when the hold could not be extended (stop the work then)."""
        with self.session(customer_id, body, extend_every=extend_every, extend_ttl_seconds=extend_ttl_seconds) as session:
            session.events.extend(work(session.hold, session.cancelled) or ())
        assert session.result is not None
        return session.result

    def _action(
        self,
        action: str,
        customer_id: str,
        hold_id: str,
        body: Any,
        idempotency_key: Optional[str],
        max_retries: Optional[int],
        timeout: Optional[float],
    ) -> Any:
        return self._http.request(
            "post", "/customers/{id}/wallet/holds/{hold_id}/" + action, path_params={"id": customer_id, "hold_id": hold_id},
            body=body, safety=KEY, idempotency_key=idempotency_key, max_retries=max_retries, timeout=timeout,
        )


class HoldSession:
    """One hold kept open while a block of work runs (``Holds.session``)."""

    def __init__(
        self,
        holds: Holds,
        customer_id: str,
        body: Mapping[str, Any],
        *,
        extend_every: Optional[float],
        extend_ttl_seconds: Optional[int],
    ) -> None:
        self._holds = holds
        self._customer_id = customer_id
        self._body = body
        ttl = body.get("ttl_seconds")
        self._ttl: int = extend_ttl_seconds if extend_ttl_seconds is not None else (ttl if isinstance(ttl, int) else DEFAULT_TTL_SECONDS)
        self._every: float = extend_every if extend_every is not None else self._ttl / 2
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self._hold_id = ""
        self.hold: Hold = {}
        """The open hold (its ``id`` is what usage events sent meanwhile carry as ``hold_id``)."""
        self.events: List[Mapping[str, Any]] = []
        """Usage events captured when the block ends."""
        self.cancelled = threading.Event()
        """Set when an extension failed (the hold may be gone): stop the work."""
        self.extend_error: Optional[DrawdownError] = None
        self.result: Optional[HoldCapture] = None
        """The capture's answer, once the block ended without an error."""

    def __enter__(self) -> HoldSession:
        self.hold = self._holds.create(self._customer_id, self._body)
        self._hold_id = str(self.hold.get("id"))
        self._thread = threading.Thread(target=self._heartbeat, name=f"drawdown-hold-{self._hold_id}", daemon=True)
        self._thread.start()
        return self

    def _heartbeat(self) -> None:
        while not self._stop.wait(self._every):
            try:
                self._holds.extend(self._customer_id, self._hold_id, ttl_seconds=self._ttl)
            except DrawdownError as error:
                self.extend_error = error
                self.cancelled.set()
                return

    def _stop_heartbeat(self) -> None:
        self._stop.set()
        # The extension in flight finishes first, so none lands on a closed hold.
        if self._thread is not None:
            self._thread.join()

    def __exit__(
        self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException], traceback: Optional[TracebackType]
    ) -> None:
        self._stop_heartbeat()
        if exc is None:
            self.result = self._holds.capture(self._customer_id, self._hold_id, self.events)
            return
        # Best effort: the hold may already be closed (expired); the block's error is what counts.
        try:
            self._holds.release(self._customer_id, self._hold_id)
        except DrawdownError:
            pass
