"""What every resource blueprint shares: strict argument parsing, preconditions, item look-up
by id."""

import re
from http import HTTPStatus

import flask_smorest
import marshmallow as ma
from flask import Response, request
from flask_smorest import abort
from flask_smorest.exceptions import NotModified
from flask_smorest.utils import deepupdate
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.routing import IntegerConverter

from api.auth import BEARER_SCHEME, PUBLIC_BLUEPRINTS, required_scope
from api.problems import ENTITY_TAGS
from api.request_body import WRITE_METHODS, UnreadableJson, parse_json
from schemas.common import MAX_ID


class StrictParser(FlaskParser):
    """Reads a request body only if it says it is JSON: anything else is a 415, not a body
    silently read as empty; an empty body is a 400, as are malformed JSON, bytes that are not
    UTF-8 and JSON beyond the limits of api.request_body."""

    def load_json(self, req, schema):
        if not is_json_request(req):
            abort(
                415,
                message="The body must be JSON, sent with `Content-Type: application/json`.",
            )
        data = req.get_data(cache=True)
        if not data:
            abort(400, message="The body is empty; send a JSON object.")
        try:
            return parse_json(data)
        except UnreadableJson as error:
            abort(400, message=f"The body is not JSON that this API reads: {error}.")


class Blueprint(flask_smorest.Blueprint):
    """A flask-smorest blueprint whose arguments reject unknown fields and query parameters,
    so that a typo (`?speakr_id=3`) is a 422, not a silently unfiltered list."""

    ARGUMENTS_PARSER = StrictParser(unknown=ma.RAISE)
    IF_MATCH = re.compile(ENTITY_TAGS)

    def _check_precondition(self):
        # flask-smorest takes what it cannot parse as no tag, and so answers 412 (or 428).
        given = request.headers.get("If-Match", "")
        needed = request.method in self.METHODS_NEEDING_CHECK_ETAG
        if needed and given.strip() and not self.IF_MATCH.fullmatch(given):
            abort(
                400,
                message='`If-Match` must be `*` or quoted ETags (`"3f2a9c1e"`), '
                "separated by commas.",
                errors=[{"parameter": "If-Match", "detail": "Not a list of entity tags."}],
            )
        super()._check_precondition()

    def _check_not_modified(self, etag):
        # flask-smorest's 304 carries no ETag; a 304 must carry the one a 200 would have.
        try:
            super()._check_not_modified(etag)
        except NotModified:
            not_modified = Response(status=304, headers={"ETag": f'"{etag}"'})
            raise NotModified(response=not_modified) from None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._prepare_doc_cbks.append(self._prepare_access_doc)

    def arguments(self, schema, *args, **kwargs):
        # An instance made once: given a class, webargs makes a new schema for every request.
        return super().arguments(schema() if isinstance(schema, type) else schema, *args, **kwargs)

    def _prepare_access_doc(self, doc, doc_info, *, app, method, **kwargs):
        """Document what api.auth and the limits enforce: who may call each operation, and
        the 400, 401, 403, 413, 415, 429 and 503 answers it can give."""
        if self.name in PUBLIC_BLUEPRINTS:
            return doc
        scope = required_scope(method.upper(), self.name, app)
        statuses = [401, 429, 503]  # 503: the database is away, or the query over budget
        access = {}
        if scope is None:
            access["security"] = [{}, {BEARER_SCHEME: []}]  # anyone; a key sent must be valid
        else:
            # Scope lists are for OAuth 2 schemes; an API key's scope is stated beside.
            access = {"security": [{BEARER_SCHEME: []}], "x-required-scope": scope}
            statuses.append(403)
        if method.upper() in WRITE_METHODS:
            # A body cut short or a malformed If-Match (400), too large (413), not UTF-8 (415).
            statuses += [400, 413, 415]
        responses = {status: HTTPStatus(status).name for status in statuses}
        return deepupdate(doc, {**access, "responses": responses})


class IdConverter(IntegerConverter):
    """`<id:...>` in a route: a positive id in PostgreSQL's integer range, in ASCII digits
    (others are 404; `\\d` would also take other scripts' digits, which int() reads)."""

    regex = "[0-9]+"

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=MAX_ID)


def get_or_404(query, model, id: int):
    """The row of `query` with this id, or a 404 problem naming what was looked for."""
    item = query.where(model.id == id).get_or_none()
    if item is None:
        not_found(model, id)
    return item


def not_found(model, id: int):
    """Answer a 404 problem naming what was looked for."""
    abort(404, message=f"There is no {model.__name__.lower()} with id {id}.")
