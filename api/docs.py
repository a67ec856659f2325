"""The contract as YAML, and the reference page's assets, served by the app itself; the page
(`/docs`, rendered by flask-smorest) gets a strict Content-Security-Policy."""

import base64
import hashlib
import re
from importlib.util import find_spec
from pathlib import Path

import yaml
from flask import Blueprint, Response, current_app, request, send_from_directory

# swagger-ui-py ships Swagger UI 5 (which renders OpenAPI 3.1); we only serve its files.
SWAGGER_UI_ASSETS = Path(find_spec("swagger_ui").origin).parent / "static"

blp = Blueprint("docs", __name__)
READING_PAGES = (
    "\n\nTo look rather than read JSON: the [reading pages](/read) show each article with its "
    "statements highlighted, each event's outlets side by side and each speaker's statements "
    "in context (HTML, not described here)."
)


def link_reading_pages(api) -> None:
    """End the description that /docs shows with a link to the reading pages."""
    info = api.spec.options.get("info", {})  # the configuration's own dict: not changed
    api.spec.options["info"] = {**info, "description": info.get("description", "") + READING_PAGES}


DOCS_PAGE_ENDPOINT = "api-docs.openapi_swagger_ui"
INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)
# Everything from this origin, nothing inline but the page's own start-up script (allowed by
# its hash), no plugins, frames, forms or base URL. Swagger UI's icons are data: images.
DOCS_POLICY = (
    "default-src 'none'; script-src 'self' {scripts}; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


def openapi_yaml(api) -> str:
    """The OpenAPI description as YAML, as `flask openapi write --format yaml` writes it."""
    return yaml.dump(api.spec.to_dict())


@blp.get("/openapi.yaml")
def openapi_document():
    api = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
    return Response(openapi_yaml(api), mimetype="application/yaml")


@blp.get("/docs/assets/<path:filename>")
def docs_asset(filename):
    return send_from_directory(SWAGGER_UI_ASSETS, filename)


@blp.after_app_request
def docs_page_policy(response: Response) -> Response:
    """The Content-Security-Policy of the /docs page, naming its inline script by hash."""
    if request.endpoint != DOCS_PAGE_ENDPOINT or response.status_code != 200:
        return response
    scripts = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in INLINE_SCRIPT.findall(response.get_data())
    )
    response.headers["Content-Security-Policy"] = DOCS_POLICY.format(scripts=scripts)
    return response
