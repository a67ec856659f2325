"""RFC 9457 problem documents: the one shape of every 4xx and 5xx answer."""

from http import HTTPStatus

import flask_smorest
from flask import current_app, jsonify, request
from flask_smorest.utils import prepare_response
from peewee import InterfaceError, OperationalError, PeeweeException
from werkzeug.exceptions import HTTPException

from schemas.common import ProblemSchema

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem(status: int, detail: str, errors: list[dict] | None = None, headers=None):
    """A problem response for `status`, about the current request."""
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.content_type = PROBLEM_CONTENT_TYPE
    response.headers.extend(headers or {})
    return response


def error_items(messages: dict) -> list[dict]:
    """webargs/marshmallow messages -> `[{"pointer"|"parameter": ..., "detail": ...}]`."""
    items = []
    for location, tree in messages.items():
        for path, detail in _leaves(tree, ()):
            if location == "json":
                pointer = "/".join(part.replace("~", "~0").replace("/", "~1") for part in path)
                items.append({"pointer": f"#/{pointer}" if pointer else "#", "detail": detail})
            else:
                items.append({"parameter": path[0] if path else location, "detail": detail})
    return items


def _leaves(tree, path):
    if isinstance(tree, dict):
        for key, subtree in tree.items():
            yield from _leaves(subtree, path if key == "_schema" else (*path, str(key)))
    elif isinstance(tree, list):
        for entry in tree:
            yield from _leaves(entry, path)
    else:
        yield path, str(tree)


def database_unavailable(error: PeeweeException):
    current_app.logger.warning("database unavailable: %s", error)
    return problem(
        503, "The database is unavailable; try again shortly.", headers={"Retry-After": "1"}
    )


class ClaimsApi(flask_smorest.Api):
    """flask-smorest's Api, answering and documenting every error as a problem document."""

    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error: HTTPException):
        if error.code >= 500:
            current_app.logger.exception("failed: %s %s", request.method, request.path)
            detail = "The server failed to answer this request; the failure has been logged."
        else:
            detail = error.description
        data = getattr(error, "data", None) or {}
        errors = error_items(data["messages"]) if "messages" in data else None
        if errors:
            detail = "The request is not valid; `errors` says where."
        # Keep headers the exception carries (Allow on 405), not its HTML content type.
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        headers += list((data.get("headers") or {}).items())
        return problem(error.code, data.get("message", detail), errors, headers)

    def _register_error_handlers(self):
        super()._register_error_handlers()
        # A locked or unreachable database is a passing condition, not a bug in the request.
        self._app.register_error_handler(OperationalError, database_unavailable)
        self._app.register_error_handler(InterfaceError, database_unavailable)

    def _register_responses(self):
        # As flask-smorest does, but with the problem media type on error responses.
        for status in HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)
