"""Walking a list page by page (the TypeScript SDK's ``paginate``)."""

from __future__ import annotations

from typing import Any, Callable, Iterator, Mapping

from ._types import Page


def paginate(fetch_page: Callable[..., Page], query: Mapping[str, Any], *args: Any, **options: Any) -> Iterator[Any]:
    """Every item from ``offset`` on: ``fetch_page(*args, limit=…, offset=…, **query, **options)``
    page after page (``limit`` per page, 100 by default) until ``total_count`` is reached
    or a page comes back empty. Lists are newest first and paged by offset, so an item
    created while iterating can shift a page: an item may then be seen twice (never
    skipped for that reason)."""
    params = dict(query)
    limit = params.pop("limit", None) or 100
    offset = params.pop("offset", None) or 0
    while True:
        page = fetch_page(*args, limit=limit, offset=offset, **params, **options)
        items = page["items"]
        yield from items
        offset += len(items)
        if not items or offset >= page["total_count"]:
            return
