"""Every write operation of the app's OpenAPI description, a new one included, meets hostile
input: JSON nested past the limit, numbers of thousands of digits, NaN, NUL, control and
format characters in each string field, other charsets, malformed If-Match, other scripts'
digits, and bodies cut short (through a live gunicorn). Each answer is a 4xx problem document,
never a 5xx, and the database is unchanged: every table's row count and checksum."""

import json
import re
from dataclasses import dataclass

import pytest

from api import create_app
from api.config import TestConfig
from api.request_body import MAX_JSON_DEPTH
from tests.helpers import assert_problem, error_pointers, stored_tables
from tests.test_request_bodies import send_cut_short

WRITE_METHODS = ("post", "put", "patch", "delete")
HOSTILE_CHARACTERS = ["\x00", "\x1b", "\x7f", "\x85", "\u2028", "\u200b", "\u202e", "\u2066",
                      "\ufeff", "\U000e0001"]  # fmt: skip
# Bodies that are no JSON this API reads (400), whatever the operation.
UNREADABLE = [
    b"[" * 10_000,
    b'{"a": ' * 10_000 + b"1" + b"}" * 10_000,
    b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1),
    b'{"name": ' + b"9" * 5000 + b"}",
    b'{"name": -1.' + b"5" * 5000 + b"e400}",
    b'{"name": NaN}',
    b'{"name": Infinity}',
]
HOSTILE_PARAMETERS = ["\x00", "\u202e1", "\uff11", "9" * 5000, "1_0"]
MALFORMED_IF_MATCH = ["abc", '"abc', '"a" "b"', "W/x", '*, "a"']


@dataclass
class Operation:
    method: str
    template: str  # the path, `{}` standing for the id
    media_type: str | None  # of the request body, if it takes one
    string_fields: list[tuple[tuple, str | None, bool]]  # (path in the body, pattern, is a list)
    query: list[str]
    needs_if_match: bool

    @property
    def path(self) -> str:
        """The path naming seeded rows (id 1 of each resource)."""
        return self.template.format(1)

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


def app_spec() -> dict:
    config = TestConfig()
    config.DATABASE_URL = "sqlite://"
    return create_app(config).extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()


def string_fields(spec: dict, schema: dict, at: tuple = (), depth: int = 0) -> list:
    """(where, pattern, is a list) of each string field of a request body schema, and of the
    objects in its arrays (a claim of an import line)."""
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    found = []
    for name, field in schema.get("properties", {}).items():
        if field.get("readOnly"):
            continue
        types = field.get("type", [])
        items = field.get("items", {})
        if "string" in types:
            found.append(((*at, name), field.get("pattern"), False))
        elif "array" in types and "string" in items.get("type", []):
            found.append(((*at, name), items.get("pattern"), True))
        elif "array" in types and "$ref" in items and depth == 0:
            found += string_fields(spec, items, (*at, name, 0), depth + 1)
    return found


def write_operations() -> list[Operation]:
    spec, operations = app_spec(), []
    for path, item in spec["paths"].items():
        for method in WRITE_METHODS:
            if method not in item:
                continue
            operation = item[method]
            parameters = operation.get("parameters", []) + item.get("parameters", [])
            content = operation.get("requestBody", {}).get("content", {})
            media_type, body = next(iter(content.items()), (None, {}))
            operations.append(
                Operation(
                    method=method,
                    template=re.sub(r"\{[a-z_]+\}", "{}", path),
                    media_type=media_type,
                    string_fields=string_fields(spec, body.get("schema", {})) if body else [],
                    query=[p["name"] for p in parameters if p.get("in") == "query"],
                    needs_if_match={"$ref": "#/components/parameters/IF_MATCH"} in parameters,
                )
            )
    return operations


OPERATIONS = write_operations()


def test_the_battery_covers_every_write_and_import():
    names = {str(operation) for operation in OPERATIONS}
    assert {"POST /v1/imports", "POST /v1/outlets", "PATCH /v1/claims/1"} <= names
    assert "DELETE /v1/speakers/1" in names
    assert all(o.needs_if_match for o in OPERATIONS if o.method in ("patch", "put", "delete"))
    assert any(where == ("claims", 0, "cue") for o in OPERATIONS for where, _, _ in o.string_fields)


def encoded(operation: Operation, document) -> bytes:
    """`document` as the operation's body: JSON, or one NDJSON line."""
    text = document if isinstance(document, bytes) else json.dumps(document).encode()
    return text + b"\n" if operation.media_type == "application/x-ndjson" else text


def nest(where: tuple, value):
    """The body `{where[0]: {...: value}}`, with lists where `where` holds an index."""
    for key in reversed(where):
        value = [value] if isinstance(key, int) else {key: value}
    return value


def assert_refused(response, status: int | None = None, *, case) -> dict:
    assert response.status_code < 500, (case, response.get_data(as_text=True)[:300])
    assert 400 <= response.status_code < 500, (case, response.status_code)
    return assert_problem(response, status or response.status_code)


@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_a_write_refuses_hostile_input_with_a_problem_and_changes_nothing(
    client, writer, seeded, operation
):
    headers = dict(writer)
    if operation.needs_if_match:
        headers["If-Match"] = client.get(operation.path).headers["ETag"]
    send = getattr(client, operation.method)
    before = stored_tables()

    if operation.media_type:
        body_headers = {**headers, "Content-Type": operation.media_type}
        for body in UNREADABLE:
            response = send(operation.path, data=encoded(operation, body), headers=body_headers)
            assert_refused(response, 400, case=body[:40])
        for where, pattern, is_list in operation.string_fields:
            for character in HOSTILE_CHARACTERS:
                value = f"Hid{character}den"
                if pattern and re.fullmatch(pattern, value):
                    continue  # documented as accepted: an article body, a claim's text
                document = nest(where, [value] if is_list else value)
                case = (where, character)
                response = send(
                    operation.path, data=encoded(operation, document), headers=body_headers
                )
                problem = assert_refused(response, 422, case=case)
                pointer = "#/" + "/".join(map(str, where))
                assert any(p.startswith(pointer) for p in error_pointers(problem)), (case, problem)

    media_type = operation.media_type or "application/json"
    for charset in ("latin-1", "utf-16", "windows-1252"):
        response = send(
            operation.path,
            data=encoded(operation, '{"name": "Caf\u00e9"}'.encode("latin-1")),
            headers={**headers, "Content-Type": f"{media_type}; charset={charset}"},
        )
        assert_refused(response, 415, case=charset)

    for name in operation.query:
        for value in HOSTILE_PARAMETERS:
            response = send(operation.path, query_string={name: value}, headers=headers)
            assert_refused(response, 422, case=(name, value))

    if operation.needs_if_match:
        for if_match in MALFORMED_IF_MATCH:
            response = send(operation.path, headers={**headers, "If-Match": if_match})
            assert_refused(response, 400, case=if_match)

    if "{}" in operation.template:
        for digit in ("%EF%BC%91", "%D9%A1"):  # fullwidth and Arabic-Indic one
            response = send(operation.template.format(digit), headers=headers)
            assert_refused(response, 404, case=digit)

    assert stored_tables() == before


def test_every_write_cut_short_is_400_and_changes_nothing(gunicorn, client, writer, seeded):
    base, _ = gunicorn()
    before = stored_tables()
    for operation in OPERATIONS:
        headers = dict(writer)
        if operation.needs_if_match:
            headers["If-Match"] = client.get(operation.path).headers["ETag"]
        headers["Content-Type"] = operation.media_type or "application/json"
        body = encoded(operation, {"name": "Cut Short"})
        status, problem = send_cut_short(
            base, operation.path, headers, body, len(body) + 100, operation.method.upper()
        )
        assert status == 400, (str(operation), problem)
        assert problem["status"] == 400 and problem["instance"] == operation.path
    assert stored_tables() == before
