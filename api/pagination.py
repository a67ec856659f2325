"""Keyset pagination: pages in id order, resumed after the last id seen.

Rows inserted between two requests sort after the cursor or before it, never into the middle
of what was already served, so pages never repeat or skip an item.
"""

from flask import request, url_for

from api.urls import public_url
from schemas.common import encode_cursor


def paginate(query, key, limit: int, cursor: int | None = None, load=list):
    """One page of `query` in `key` order, as (envelope, headers) for a list response."""
    if cursor is not None:
        query = query.where(key > cursor)
    rows = list(load(query.order_by(key).limit(limit + 1)))
    page, has_more = rows[:limit], len(rows) > limit
    next_cursor = encode_cursor(page[-1].id) if has_more else None
    return {"data": page, "next_cursor": next_cursor}, next_link(next_cursor)


def paginate_by_position(fetch, limit: int, cursor: int | None = None):
    """One page of an order that is not by id (relevance, date), as (envelope, headers):
    `fetch(offset, count)` gives the items; the cursor holds how many came before. Rows
    written between two requests can shift such an order by as many places."""
    offset = cursor or 0
    rows = list(fetch(offset, limit + 1))
    page, has_more = rows[:limit], len(rows) > limit
    next_cursor = encode_cursor(offset + limit) if has_more else None
    return {"data": page, "next_cursor": next_cursor}, next_link(next_cursor)


def next_link(next_cursor: str | None) -> dict:
    """The `Link: <...>; rel="next"` header of a page that has a next one."""
    if not next_cursor:
        return {}
    # flat=False keeps repeated parameters (`kind=claim&kind=article`).
    args = {**request.args.to_dict(flat=False), **request.view_args, "cursor": next_cursor}
    return {"Link": f'<{public_url(url_for(request.endpoint, **args))}>; rel="next"'}
