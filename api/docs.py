"""The contract as YAML, and the reference page's assets, served by the app itself."""

from importlib.util import find_spec
from pathlib import Path

import yaml
from flask import Blueprint, Response, current_app, send_from_directory

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
