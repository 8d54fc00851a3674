"""Everything the SDK raises is a :class:`DrawdownError`.

An error answer of the API raises an :class:`APIError` subclass chosen by status, carrying
the RFC 9457 problem details; a request that never got an answer (network failure,
timeout, after the retries) raises :class:`ConnectionError`.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, cast

from ._types import FieldError


class DrawdownError(Exception):
    """Base of every SDK error. ``status`` is None when no answer was received."""

    status: Optional[int] = None
    type: Optional[str] = None
    title: Optional[str] = None
    detail: Optional[str] = None
    request_id: Optional[str] = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.errors: List[FieldError] = []
        self.problem: Dict[str, Any] = {}
        self.headers: Dict[str, str] = {}

    @property
    def code(self) -> Optional[str]:
        """The last path segment of ``type``: ``validation_error``, ``insufficient_funds``, …"""
        if not self.type:
            return None
        return self.type.rsplit("/", 1)[-1]


class APIError(DrawdownError):
    """The API answered with an error (problem details in ``problem``)."""

    def __init__(self, problem: Mapping[str, Any], headers: Mapping[str, str]) -> None:
        status = int(problem.get("status", 0))
        title = str(problem.get("title", ""))
        detail = str(problem.get("detail", ""))
        super().__init__(f"{status} {title}: {detail}")
        self.status = status
        self.type = str(problem.get("type", "about:blank"))
        self.title = title
        self.detail = detail
        raw_errors = problem.get("errors")
        self.errors = list(cast(List[FieldError], raw_errors)) if isinstance(raw_errors, list) else []
        request_id = problem.get("request_id")
        self.request_id = request_id if isinstance(request_id, str) else None
        # The whole body, including fields beyond the standard ones (e.g. existing_id, key_id).
        self.problem = dict(problem)
        # Lower-cased header names: error.headers["retry-after"].
        self.headers = {k.lower(): v for k, v in headers.items()}


class BadRequestError(APIError):
    """400: the body is not JSON."""


class AuthenticationError(APIError):
    """401: missing, unknown or revoked API key."""


class NotFoundError(APIError):
    """404: no such resource (also another platform's id)."""


class ConflictError(APIError):
    """409: an idempotency conflict or a duplicate (e.g. ``external_id``)."""


class ValidationError(APIError):
    """422: validation failed; ``errors`` names the fields. Also ``code == "insufficient_funds"``."""


class RateLimitError(APIError):
    """429: rate limited (after the SDK's retries)."""


class ServerError(APIError):
    """5xx (after the SDK's retries)."""


class ConnectionError(DrawdownError):  # noqa: A001 - drawdown.ConnectionError, as documented
    """No answer: network failure or timeout, after the SDK's retries."""


_BY_STATUS = {
    400: BadRequestError,
    401: AuthenticationError,
    404: NotFoundError,
    409: ConflictError,
    422: ValidationError,
    429: RateLimitError,
}


def api_error_for(problem: Mapping[str, Any], headers: Mapping[str, str]) -> APIError:
    status = int(problem.get("status", 0))
    error_class = _BY_STATUS.get(status) or (ServerError if status >= 500 else APIError)
    return error_class(problem, headers)
