"""A request body is read whole or not at all, as UTF-8, into JSON of bounded depth and number
size: anything else is a 4xx problem document and changes nothing."""

import json
import socket
from urllib.parse import urlsplit

import pytest

from api.request_body import MAX_JSON_DEPTH, MAX_NUMBER_LENGTH
from tests.helpers import assert_problem, stored_tables

NDJSON = "application/x-ndjson"
OUTLET = {"name": "Half Sent News", "country": "GB"}
BODY = "The minister said the crossing would reopen. Officials said the talks had failed."


def import_line(number: int) -> dict:
    """An import line: a new article of a stored outlet, with one claim of a stored speaker."""
    return {
        "outlet": 1,
        "url": f"https://half-sent.example/{number}",
        "headline": f"Crossing to reopen ({number})",
        "body": BODY,
        "claims": [{"speaker": 1, "text": "the talks had failed", "quote_type": "indirect"}],
    }


def ndjson(*lines: dict) -> bytes:
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


def send_cut_short(base: str, path: str, headers: dict, body: bytes, declared: int, method="POST"):
    """Send `body` over a raw socket declaring `Content-Length: declared` (more), then
    half-close, as a client does whose upload broke off; returns the status and JSON answer."""
    address = urlsplit(base)
    fields = {"Host": address.netloc, "Content-Length": declared, "Connection": "close", **headers}
    head = "".join(f"{name}: {value}\r\n" for name, value in fields.items())
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        connection.sendall(f"{method} {path} HTTP/1.1\r\n{head}\r\n".encode() + body)
        connection.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    status_line, _, content = answer.partition(b"\r\n\r\n")
    return int(status_line.split()[1]), json.loads(content) if content else None


def test_a_json_write_cut_short_is_400_and_stores_nothing(gunicorn, seeded, writer):
    base, _ = gunicorn()
    headers = {**writer, "Content-Type": "application/json"}
    body = json.dumps(OUTLET).encode()  # whole JSON: only the declared length tells it is cut
    before = stored_tables()
    status, problem = send_cut_short(base, "/v1/outlets", headers, body, len(body) + 20)
    assert status == 400, problem
    assert problem["status"] == 400
    assert f"after {len(body)} of the {len(body) + 20} bytes" in problem["detail"]
    status, problem = send_cut_short(base, "/v1/outlets", headers, body[:10], len(body))
    assert status == 400, problem
    assert stored_tables() == before
    status, created = send_cut_short(base, "/v1/outlets", headers, body, len(body))
    assert status == 201, created  # the same request sent whole is applied


def test_an_import_cut_short_is_400_and_stores_no_line(gunicorn, seeded, writer):
    base, _ = gunicorn()
    headers = {**writer, "Content-Type": NDJSON}
    ten_lines = ndjson(*(import_line(number) for number in range(1, 11)))
    five_lines = ndjson(*(import_line(number) for number in range(1, 6)))
    before = stored_tables()
    status, problem = send_cut_short(base, "/v1/imports", headers, five_lines, len(ten_lines))
    assert status == 400, problem
    assert stored_tables() == before
    status, report = send_cut_short(base, "/v1/imports", headers, ten_lines, len(ten_lines))
    assert status == 200, report
    assert report["summary"]["created"] == 10


def test_a_delete_cut_short_deletes_nothing(gunicorn, seeded, writer, client):
    base, _ = gunicorn()
    headers = {**writer, "If-Match": client.get("/v1/claims/1").headers["ETag"]}
    before = stored_tables()
    status, problem = send_cut_short(base, "/v1/claims/1", headers, b"{}", 20, "DELETE")
    assert status == 400, problem
    assert stored_tables() == before


def nested(depth: int) -> str:
    """A JSON object whose `name` holds arrays nested so that the whole is `depth` deep."""
    return '{"name": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}"


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("[" * 10_000, "levels deep"),
        ("[" * 10_000 + "]" * 10_000, "levels deep"),
        ('{"a":' * 10_000 + "1" + "}" * 10_000, "levels deep"),
        (nested(MAX_JSON_DEPTH + 1), "levels deep"),
        ('{"name": "x", "country": ' + "9" * 5000 + "}", "characters long"),
        ('{"name": "x", "country": 1.' + "5" * 5000 + "}", "characters long"),
        ('{"name": "x", "country": NaN}', "NaN"),
        ('{"name": "x", "country": -Infinity}', "Infinity"),
    ],
)
def test_json_beyond_the_parser_limits_is_400_on_a_write(client, writer, seeded, body, said):
    before = stored_tables()
    etag = client.get("/v1/outlets/1").headers["ETag"]
    for method, url, headers in (
        ("post", "/v1/outlets", writer),
        ("patch", "/v1/outlets/1", {**writer, "If-Match": etag}),
        ("post", "/v1/outlets", {**writer, "Idempotency-Key": "deep-1"}),
    ):
        response = getattr(client, method)(
            url, data=body, headers={**headers, "Content-Type": "application/json"}
        )
        problem = assert_problem(response, 400)
        assert said in problem["detail"], problem
    assert stored_tables() == before


def test_json_at_the_parser_limits_is_read_and_validated(client, writer, seeded):
    deepest = client.post(
        "/v1/outlets", data=nested(MAX_JSON_DEPTH), headers=writer, content_type="application/json"
    )
    assert_problem(deepest, 422)  # read, then refused by the schema: `name` is no string
    longest = "1" + "0" * (MAX_NUMBER_LENGTH - 3) + ".0"
    response = client.post(
        "/v1/claims",
        data=f'{{"article_id": 2, "speaker_id": 1, "start": {longest}, "quote_type": "direct"}}',
        headers=writer,
        content_type="application/json",
    )
    problem = assert_problem(response, 422)
    assert "#/start" in {error["pointer"] for error in problem["errors"]}


@pytest.mark.parametrize(
    "line",
    [
        "[" * 10_000,
        '{"outlet": 1, "url": ' + "7" * 5000 + "}",
        '{"outlet": NaN}',
    ],
)
def test_an_import_line_beyond_the_parser_limits_is_refused_alone(client, writer, seeded, line):
    body = ndjson(import_line(1)) + line.encode() + b"\n" + ndjson(import_line(2))
    response = client.post("/v1/imports", data=body, headers={**writer, "Content-Type": NDJSON})
    assert response.status_code == 200, response.get_data(as_text=True)
    outcomes = response.get_json()["lines"]
    assert [outcome["status"] for outcome in outcomes] == ["created", "refused", "created"]
    assert outcomes[1]["problem"]["status"] == 400


def test_an_import_of_only_overdeep_lines_is_400_and_stores_nothing(client, writer, seeded):
    before = stored_tables()
    body = b"[" * 10_000 + b"\n" + b"{" * 5000 + b"\n"
    response = client.post("/v1/imports", data=body, headers={**writer, "Content-Type": NDJSON})
    problem = assert_problem(response, 400)
    assert [error["line"] for error in problem["errors"]] == [1, 2]
    assert stored_tables() == before


@pytest.mark.parametrize("charset", ["latin-1", "ISO-8859-1", "utf-16", "us-ascii"])
def test_a_body_in_another_charset_than_utf_8_is_415(client, writer, seeded, charset):
    before = stored_tables()
    outlet = json.dumps({"name": "Caf\u00e9 News"}, ensure_ascii=False)
    encoded = outlet.encode("latin-1" if charset != "utf-16" else "utf-16")
    line = json.dumps(import_line(1), ensure_ascii=False).encode("latin-1")
    for url, content_type, body in (
        ("/v1/outlets", "application/json", encoded),
        ("/v1/imports", NDJSON, line),
    ):
        response = client.post(
            url, data=body, headers={**writer, "Content-Type": f"{content_type}; charset={charset}"}
        )
        problem = assert_problem(response, 415)
        assert charset in problem["detail"]
    assert stored_tables() == before


def test_a_body_declared_utf_8_in_any_spelling_is_read(client, writer, seeded):
    for number, charset in enumerate(("utf-8", "UTF-8", "utf8")):
        response = client.post(
            "/v1/outlets",
            data=json.dumps({"name": f"Caf\u00e9 {number}"}, ensure_ascii=False).encode(),
            headers={**writer, "Content-Type": f"application/json; charset={charset}"},
        )
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["name"] == f"Caf\u00e9 {number}"
