"""The transport: URLs, JSON, retries with backoff, problem details → exceptions.

Every request of the API is safe to repeat, so every request is retried on network
errors, timeouts, 429, 5xx and 409 ``idempotency_key_in_use`` (the TypeScript SDK's
rules, sdk/src/core/http.ts):

- ``READ``: a GET, or a POST that changes nothing (``assets.quote``,
  ``products.simulate_usage``);
- ``NATURAL``: the body carries the API's own idempotency id (each event's ``id`` for
  ``events.send_usage``, ``transaction_id`` for ``create_adjustment``);
- ``KEY``: every other write sends an ``Idempotency-Key``, a random UUID per call (or the
  caller's), the same on each retry of that call, so the server answers a retry with the
  stored first answer and does nothing twice.
"""

from __future__ import annotations

import email.utils
import http.client
import os
import random
import time
import uuid
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple, Union, cast
from urllib.parse import quote, urlencode, urlsplit

from . import _json
from ._errors import ConnectionError, api_error_for
from ._version import __version__

READ = "read"
NATURAL = "natural"
KEY = "key"

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
IN_FLIGHT_TYPE = "https://drawdown.dev/problems/idempotency_key_in_use"

DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_RETRIES = 2
DEFAULT_RETRY_DELAY = 0.5
DEFAULT_MAX_RETRY_DELAY = 30.0


class _Failure:
    """One failed attempt: the error to raise, whether to retry, and how long the server asked to wait."""

    def __init__(self, error: Exception, retryable: bool, retry_after: Optional[float] = None) -> None:
        self.error = error
        self.retryable = retryable
        self.retry_after = retry_after


class HttpClient:
    def __init__(
        self,
        *,
        api_key: Optional[str],
        base_url: Optional[str],
        timeout: float,
        max_retries: int,
        retry_delay: float,
        max_retry_delay: float,
        decimal_as_str: bool,
    ) -> None:
        if api_key is None:
            api_key = os.environ.get("DRAWDOWN_API_KEY")
        if base_url is None:
            base_url = os.environ.get("DRAWDOWN_BASE_URL")
        if not api_key:
            raise ValueError("Drawdown: api_key is required (or set DRAWDOWN_API_KEY)")
        if not base_url:
            raise ValueError("Drawdown: base_url is required (or set DRAWDOWN_BASE_URL)")
        base = base_url.rstrip("/")
        if not base.endswith("/api/v1"):
            base += "/api/v1"
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"Drawdown: base_url must be an http(s) URL, not {base_url!r}")
        self._scheme = parts.scheme
        self._host = parts.hostname
        self._port = parts.port
        self._base_path = parts.path
        self.api_base = base
        self.api_key = api_key
        self.timeout = timeout
        self.max_retries = max_retries
        self.retry_delay = retry_delay
        self.max_retry_delay = max_retry_delay
        self.decimal_as_str = decimal_as_str

    def request(
        self,
        method: str,
        path: str,
        *,
        safety: str,
        path_params: Optional[Mapping[str, Any]] = None,
        query: Optional[Mapping[str, Any]] = None,
        body: Any = None,
        idempotency_key: Optional[str] = None,
        max_retries: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> Any:
        """Sends the request, retrying when that is safe and useful; the parsed JSON answer."""
        target = self._target(path, path_params or {}, query or {})
        headers = {
            "Authorization": f"Bearer {self.api_key}",
            "Accept": "application/json",
            "User-Agent": f"drawdown-python/{__version__}",
        }
        payload: Optional[bytes] = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            payload = _json.dumps(body).encode("utf-8")
        # One key per logical call: every retry of it carries the same one.
        if safety == KEY:
            headers["Idempotency-Key"] = idempotency_key or str(uuid.uuid4())

        retries = self.max_retries if max_retries is None else max_retries
        attempt = 0
        while True:
            outcome = self._attempt(method.upper(), target, headers, payload, self.timeout if timeout is None else timeout)
            if not isinstance(outcome, _Failure):
                return outcome[0]
            if attempt >= retries or not outcome.retryable:
                raise outcome.error
            time.sleep(self._delay(attempt, outcome.retry_after))
            attempt += 1

    def _target(self, path: str, path_params: Mapping[str, Any], query: Mapping[str, Any]) -> str:
        resolved = path
        for name, value in path_params.items():
            if value is None or value == "":
                raise ValueError(f"{path}: missing path parameter {name}")
            resolved = resolved.replace("{" + name + "}", quote(str(value), safe=""))
        if "{" in resolved:
            raise ValueError(f"{path}: missing path parameter")
        pairs = [(key, _query_value(value)) for key, value in query.items() if value is not None]
        qs = urlencode(pairs)
        return f"{self._base_path}{resolved}{'?' + qs if qs else ''}"

    def _attempt(
        self, method: str, target: str, headers: Dict[str, str], payload: Optional[bytes], timeout: float
    ) -> Union[Tuple[Any], _Failure]:
        connection_class = http.client.HTTPSConnection if self._scheme == "https" else http.client.HTTPConnection
        connection = connection_class(self._host, self._port, timeout=timeout)
        try:
            connection.request(method, target, body=payload, headers=headers)
            response = connection.getresponse()
            raw = response.read()
            status = response.status
            reason = response.reason
            response_headers = {k.lower(): v for k, v in response.getheaders()}
        except (OSError, http.client.HTTPException) as cause:
            error = ConnectionError(f"{method} {self.api_base}{target[len(self._base_path):]} failed: {cause!r}")
            error.__cause__ = cause
            return _Failure(error, retryable=True)
        finally:
            connection.close()

        text = raw.decode("utf-8", errors="replace")
        if 200 <= status < 300:
            return (self._parse(text) if text else None,)
        error = api_error_for(self._problem(status, reason, text), response_headers)
        in_flight = status == 409 and error.type == IN_FLIGHT_TYPE
        return _Failure(
            error,
            retryable=in_flight or status in RETRYABLE_STATUS,
            retry_after=retry_after_seconds(response_headers.get("retry-after")),
        )

    def _parse(self, text: str) -> Any:
        try:
            return _json.loads(text, decimal_as_str=self.decimal_as_str)
        except ValueError:
            return text

    def _problem(self, status: int, reason: str, text: str) -> Dict[str, Any]:
        """The problem details of an error answer; a made-up one when a proxy answered non-JSON."""
        parsed = self._parse(text) if text else None
        if isinstance(parsed, dict):
            problem = cast(Dict[str, Any], parsed)
            if isinstance(problem.get("status"), int):
                return problem
        detail = parsed[:500] if isinstance(parsed, str) and parsed else f"The server answered {status}."
        return {"type": "about:blank", "title": reason or f"HTTP {status}", "status": status, "detail": detail}

    def _delay(self, attempt: int, retry_after: Optional[float]) -> float:
        """Exponential backoff with jitter; ``Retry-After`` (capped) when the server sent one."""
        if retry_after is not None:
            return min(retry_after, self.max_retry_delay)
        base = self.retry_delay * (2**attempt)
        return min(self.max_retry_delay, base / 2 + random.random() * (base / 2))


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(_query_value(item) for item in cast(Sequence[Any], value))
    return str(value)


def retry_after_seconds(header: Optional[str]) -> Optional[float]:
    """``Retry-After`` as delta-seconds or an HTTP date, in seconds."""
    if not header:
        return None
    value = header.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())

