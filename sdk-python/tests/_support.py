"""Shared pieces of the Python SDK's tests.

The live tests talk to the real app: ``sdk-python/python-sdk.int.test.ts`` (run by
``npm test``) starts the API's route handlers over HTTP on the suite's throwaway
PostgreSQL, creates a platform and two customers subscribed to the "chat" product, and
runs these tests with:

- ``DRAWDOWN_BASE_URL``, ``DRAWDOWN_API_KEY``: the app and a test-mode key;
- ``DRAWDOWN_TEST_CUSTOMER_ID``: the customer the seed's snippets use instead of
  ``cust_473cr1y0ghbyc3m1yfbwvn3nxx`` (ids are global to the database);
- ``DRAWDOWN_TEST_BROKE_CUSTOMER_ID``: a subscribed customer without credits (its usage
  is refused, which makes an ``event.refused`` webhook);
- ``DRAWDOWN_TEST_DISPATCH_URL``: POST it (``?endpoint=…``) to run the webhook dispatcher
  once for that endpoint.

Without them the live tests are skipped (the offline ones still run).
"""

from __future__ import annotations

import http.client
import http.server
import json
import os
import socket
import sys
import threading
import time
import unittest
import uuid
from typing import Any, Callable, Dict, List, Optional, Tuple
from urllib.parse import urlsplit

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src"))

import drawdown  # noqa: E402

SEED_CUSTOMER = "cust_473cr1y0ghbyc3m1yfbwvn3nxx"


def env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise unittest.SkipTest(f"{name} is not set: run through sdk-python/python-sdk.int.test.ts (npm test)")
    return value


def client(**options: Any) -> drawdown.Drawdown:
    """A client of the live app with short retry delays (the tests' own waits stay small)."""
    settings: Dict[str, Any] = {"api_key": env("DRAWDOWN_API_KEY"), "base_url": env("DRAWDOWN_BASE_URL"), "retry_delay": 0.01}
    settings.update(options)
    return drawdown.Drawdown(**settings)


def new_id() -> str:
    return str(uuid.uuid4())


def new_customer(api: drawdown.Drawdown, **body: Any) -> str:
    created = api.customers.create(body={"email": f"{new_id()}@example.test", **body})
    return created["id"]


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def dispatch_webhooks(endpoint_id: str) -> Dict[str, Any]:
    """Runs the app's webhook dispatcher once for one endpoint (fan out the outbox, send
    that endpoint's due deliveries)."""
    url = urlsplit(env("DRAWDOWN_TEST_DISPATCH_URL"))
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        connection.request("POST", f"{url.path or '/'}?endpoint={endpoint_id}")
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise AssertionError(f"dispatch answered {response.status}: {body!r}")
        result: Dict[str, Any] = json.loads(body)
        return result
    finally:
        connection.close()


class _Server:
    """A threading HTTP server on 127.0.0.1 with a random port, stopped by ``close()``."""

    def __init__(self, handler: Callable[[http.server.BaseHTTPRequestHandler], None]) -> None:
        outer_handle = handler

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
                pass

            def _handle(self) -> None:
                outer_handle(self)

            do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _handle

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def read_body(request: http.server.BaseHTTPRequestHandler) -> bytes:
    length = int(request.headers.get("Content-Length") or 0)
    return request.rfile.read(length) if length else b""


class Attempt:
    def __init__(self, method: str, path: str, idempotency_key: Optional[str]) -> None:
        self.method = method
        self.path = path
        self.idempotency_key = idempotency_key
        self.at = time.monotonic()
        self.upstream_status: Optional[int] = None
        self.replayed: Optional[bool] = None


class CuttingProxy(_Server):
    """Forwards to the app; per request, an action from ``script(...)``:
    ``"drop-after-answer"`` sends the request on, waits for the app's whole answer, then
    closes the client's connection without a byte (the server did the work, the client
    never heard); ``"forward"`` (the default once the script is used up) relays it."""

    def __init__(self, upstream: str) -> None:
        target = urlsplit(upstream)
        self.attempts: List[Attempt] = []
        self._actions: List[str] = []
        self._lock = threading.Lock()

        def handle(request: http.server.BaseHTTPRequestHandler) -> None:
            body = read_body(request)
            with self._lock:
                action = self._actions.pop(0) if self._actions else "forward"
                attempt = Attempt(request.command, request.path, request.headers.get("Idempotency-Key"))
                self.attempts.append(attempt)
            headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host", "connection")}
            upstream_connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            try:
                upstream_connection.request(request.command, request.path, body=body or None, headers=headers)
                answer = upstream_connection.getresponse()
                answer_body = answer.read()
                attempt.upstream_status = answer.status
                attempt.replayed = answer.getheader("Idempotent-Replayed") == "true"
                answer_headers: List[Tuple[str, str]] = answer.getheaders()
            finally:
                upstream_connection.close()
            if action == "drop-after-answer":
                request.close_connection = True
                request.connection.shutdown(socket.SHUT_RDWR)
                return
            request.send_response(answer.status)
            for name, value in answer_headers:
                if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                    request.send_header(name, value)
            request.send_header("Content-Length", str(len(answer_body)))
            request.send_header("Connection", "close")
            request.end_headers()
            request.wfile.write(answer_body)

        super().__init__(handle)

    def script(self, *actions: str) -> None:
        with self._lock:
            self._actions = list(actions)
            self.attempts.clear()


class StubServer(_Server):
    """Answers each request with the next scripted ``(status, headers, body)``; records
    ``(time, method, path, headers)`` of every request."""

    def __init__(self) -> None:
        self.answers: List[Tuple[int, Dict[str, str], Any]] = []
        self.requests: List[Tuple[float, str, str, Dict[str, str]]] = []
        self._lock = threading.Lock()

        def handle(request: http.server.BaseHTTPRequestHandler) -> None:
            read_body(request)
            with self._lock:
                self.requests.append((time.monotonic(), request.command, request.path, dict(request.headers.items())))
                status, headers, body = self.answers.pop(0) if self.answers else (200, {}, {"ok": True})
            text = body if isinstance(body, str) else json.dumps(body)
            payload = text.encode("utf-8")
            request.send_response(status)
            content_type = "application/problem+json" if status >= 400 else "application/json"
            request.send_header("Content-Type", headers.pop("Content-Type", content_type))
            for name, value in headers.items():
                request.send_header(name, value)
            request.send_header("Content-Length", str(len(payload)))
            request.end_headers()
            request.wfile.write(payload)

        super().__init__(handle)


class WebhookReceiver(_Server):
    """Records every delivery: the raw body bytes and the headers."""

    def __init__(self) -> None:
        self.received: List[Tuple[bytes, Dict[str, str]]] = []

        def handle(request: http.server.BaseHTTPRequestHandler) -> None:
            body = read_body(request)
            self.received.append((body, {k.lower(): v for k, v in request.headers.items()}))
            request.send_response(200)
            request.send_header("Content-Length", "0")
            request.end_headers()

        super().__init__(handle)


def problem(status: int, code: str, detail: str = "test") -> Dict[str, Any]:
    return {"type": f"https://drawdown.dev/problems/{code}", "title": code, "status": status, "detail": detail}
