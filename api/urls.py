"""Absolute URLs in answers (Location, Link, JSON-LD ids) are built here, on the configured
PUBLIC_URL: never on the request's Host header, which any client can set to any name."""

from flask import current_app


def public_url(path: str) -> str:
    """The absolute URL at which clients reach `path`, a path of this API as `url_for` gives
    it (`/v1/claims/3`, with any SCRIPT_NAME prefix)."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + path
