"""Keyset pagination: pages in id order, resumed after the last id seen.

Rows inserted between two requests sort after the cursor or before it, never into the middle
of what was already served, so pages never repeat or skip an item.
"""

from flask import request, url_for

from schemas.common import encode_cursor


def paginate(query, key, limit: int, cursor: int | None = None, load=list):
    """One page of `query` in `key` order, as (envelope, headers) for a list response."""
    if cursor is not None:
        query = query.where(key > cursor)
    rows = list(load(query.order_by(key).limit(limit + 1)))
    page, has_more = rows[:limit], len(rows) > limit
    next_cursor = encode_cursor(page[-1].id) if has_more else None
    headers = {}
    if next_cursor:
        args = {**request.args.to_dict(), **request.view_args, "cursor": next_cursor}
        headers["Link"] = f'<{url_for(request.endpoint, _external=True, **args)}>; rel="next"'
    return {"data": page, "next_cursor": next_cursor}, headers
