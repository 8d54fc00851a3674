from __future__ import annotations

from typing import Any, Iterator, Mapping, Optional

from .._http import KEY, READ
from .._pagination import paginate
from .._types import ApiKey, ApiKeyCreated, Page
from ._base import Resource


class ApiKeys(Resource):
    """``/api-keys``: the platform's own API keys, of the client's key's mode. Rotate by
    creating a key, deploying it, then revoking the old one."""

    def create(
        self,
        body: Optional[Mapping[str, Any]] = None,
        *,
        idempotency_key: Optional[str] = None,
        max_retries: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> ApiKeyCreated:
        """Creates a key of the calling key's mode; the answer holds its ``secret``, shown
        only here. Sends an Idempotency-Key: when a retry follows a lost answer the server
        never re-sends the secret, and this raises a 409 ``ConflictError`` whose
        ``problem["key_id"]`` names the key made (revoke it and create another)."""
        return self._http.request(
            "post", "/api-keys", body=dict(body or {}), safety=KEY,
            idempotency_key=idempotency_key, max_retries=max_retries, timeout=timeout,
        )

    def get(self, key_id: str, *, max_retries: Optional[int] = None, timeout: Optional[float] = None) -> ApiKey:
        """A key (never its secret)."""
        return self._http.request(
            "get", "/api-keys/{id}", path_params={"id": key_id}, safety=READ, max_retries=max_retries, timeout=timeout
        )

    def list(self, *, max_retries: Optional[int] = None, timeout: Optional[float] = None, **query: Any) -> Page:
        """The mode's keys, newest first, revoked ones included."""
        return self._http.request("get", "/api-keys", query=query, safety=READ, max_retries=max_retries, timeout=timeout)

    def list_all(self, *, max_retries: Optional[int] = None, timeout: Optional[float] = None, **query: Any) -> Iterator[ApiKey]:
        return paginate(self.list, query, max_retries=max_retries, timeout=timeout)

    def revoke(
        self,
        key_id: str,
        *,
        idempotency_key: Optional[str] = None,
        max_retries: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> ApiKey:
        """Revokes a key: refused from the next request on. Sends an Idempotency-Key."""
        return self._http.request(
            "delete", "/api-keys/{id}", path_params={"id": key_id}, safety=KEY,
            idempotency_key=idempotency_key, max_retries=max_retries, timeout=timeout,
        )
