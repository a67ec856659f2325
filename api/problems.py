"""RFC 9457 problem documents: the one shape of every 4xx and 5xx answer."""

import re
from http import HTTPStatus

import flask_smorest
from flask import current_app, g, jsonify, request
from flask_smorest.utils import prepare_response
from peewee import InterfaceError, OperationalError, PeeweeException
from werkzeug.exceptions import HTTPException

from models.db import is_query_timeout
from schemas.common import ProblemSchema

PROBLEM_CONTENT_TYPE = "application/problem+json"
# RFC 9110 If-Match / If-None-Match: `*`, or quoted entity tags separated by commas.
ENTITY_TAGS = r'^(\*|(W/)?"[!#-~]*"( *, *(W/)?"[!#-~]*")*)$'


def problem(status: int, detail: str, errors: list[dict] | None = None, headers=None):
    """A problem response for `status`, about the current request."""
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.path,
        "request_id": g.get("request_id"),
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
    if is_query_timeout(error):
        budget = current_app.config["QUERY_TIME_BUDGET_MS"]
        detail = (
            f"The query ran longer than its budget of {budget} ms and was stopped; "
            "narrow the filters or ask for fewer items."
        )
    else:
        current_app.logger.warning("database unavailable: %s", error)
        detail = "The database is unavailable; try again shortly."
    return problem(503, detail, headers={"Retry-After": "1"})


def header(description: str) -> dict:
    return {"description": description, "schema": {"type": "string"}}


# The headers that come with these statuses, as the spec should show them.
PROBLEM_HEADERS = {
    HTTPStatus.UNAUTHORIZED: {
        "WWW-Authenticate": header('`Bearer realm="claims-api"`, with `error` if a key was sent.')
    },
    HTTPStatus.FORBIDDEN: {
        "WWW-Authenticate": header('`Bearer ... error="insufficient_scope", scope="write"`.')
    },
    HTTPStatus.TOO_MANY_REQUESTS: {
        "Retry-After": header("Seconds until the client's budget is renewed."),
        "RateLimit": header('IETF draft: `"<policy>";r=<remaining>;t=<seconds to reset>`.'),
        "RateLimit-Policy": header('IETF draft: `"<policy>";q=<quota>;w=<window seconds>`.'),
    },
    HTTPStatus.SERVICE_UNAVAILABLE: {"Retry-After": header("Seconds to wait before retrying.")},
}


def link_created_resources(paths: dict) -> None:
    """OpenAPI links from each 201 to the GET, PATCH and DELETE of the resource it created: the
    item (`.../{id}`) whose GET answers the same schema, so that generated clients and stateful
    fuzzers can chain the calls (an accepted proposal's 201 links to the claim it made)."""
    items = {}  # the schema a GET of one item answers -> (its path's operations, its id)
    for item_path, operations in paths.items():
        match = re.fullmatch(r"[^{}]*/\{(\w+)\}", item_path)
        schema = json_schema_of(operations.get("get", {}), "200")
        if match and schema:
            items.setdefault(schema, (operations, match[1]))
    for item in paths.values():
        created = item.get("post", {}).get("responses", {}).get("201")
        if created is None or json_schema_of(item["post"], "201") not in items:
            continue
        operations, id_name = items[json_schema_of(item["post"], "201")]
        for method in ("get", "patch", "delete"):
            if method not in operations:
                continue
            operation_id = operations[method]["operationId"]
            parameters = {id_name: "$response.body#/id"}
            if method != "get":
                parameters["header.If-Match"] = "$response.header.ETag"
            created.setdefault("links", {})[operation_id[0].upper() + operation_id[1:]] = {
                "operationId": operation_id,
                "parameters": parameters,
            }


def json_schema_of(operation: dict, status: str) -> str | None:
    """The `$ref` of the JSON schema that `operation` answers with `status`, if any."""
    response = operation.get("responses", {}).get(status, {})
    return response.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")


def nullable_enum(converter, field, ret: dict, **kwargs) -> dict:
    """An enum that allows null, as `anyOf: [the enum, null]` rather than one enum holding null:
    generated clients then make one type of the values instead of several."""
    if None in ret.get("enum", ()) and isinstance(ret.get("type"), list):
        values = [value for value in ret.pop("enum") if value is not None]
        (value_type,) = [name for name in ret.pop("type") if name != "null"]
        ret["anyOf"] = [{"type": value_type, "enum": values}, {"type": "null"}]
    return {}


class ClaimsApi(flask_smorest.Api):
    """flask-smorest's Api, answering and documenting every error as a problem document."""

    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error: HTTPException):
        if error.code == 304:  # Not Modified has no body, so it is no problem document
            return error.get_response()
        if error.code >= 500:
            current_app.logger.exception("failed: %s %s", request.method, request.path)
            detail = "The server failed to answer this request; the failure has been logged."
        else:
            detail = error.description
        data = getattr(error, "data", None) or {}
        errors = error_items(data["messages"]) if "messages" in data else data.get("errors")
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

    def _init_spec(self, **kwargs):
        super()._init_spec(**kwargs)
        self.ma_plugin.converter.add_attribute_function(nullable_enum)

    def register_blueprint(self, blp, **options):
        super().register_blueprint(blp, **options)
        link_created_resources(self.spec._paths)

    def _register_etag_headers(self):
        # As flask-smorest does, but saying what a tag looks like and what a mismatch answers.
        entity_tags = {"type": "string", "pattern": ENTITY_TAGS, "example": '"3f2a9c1e"'}
        self.spec.components.parameter(
            "IF_NONE_MATCH",
            "header",
            {
                "name": "If-None-Match",
                "description": "The ETag of the copy you hold: 304 Not Modified if it is current "
                "(any other value gets the resource).",
                "schema": {"type": "string", "example": '"3f2a9c1e"'},
            },
            lazy=True,
        )
        self.spec.components.parameter(
            "IF_MATCH",
            "header",
            {
                "name": "If-Match",
                "description": "The ETag of the version you change, from its GET or last write "
                "(or `*`): 412 Precondition Failed if it is no longer current, 400 if it is not "
                "`*` or quoted ETags.",
                "required": True,
                "schema": entity_tags,
            },
            lazy=True,
        )
        self.spec.components.header(
            "ETAG",
            {"description": "Strong tag of this version of the resource.", "schema": entity_tags},
            lazy=True,
        )

    def _register_pagination_header(self):
        """None: lists page by a keyset cursor in the body, not flask-smorest's X-Pagination."""

    def _register_responses(self):
        # As flask-smorest does, but with the problem media type on error responses.
        for status in HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            if status in PROBLEM_HEADERS:
                response["headers"] = PROBLEM_HEADERS[status]
            prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)
