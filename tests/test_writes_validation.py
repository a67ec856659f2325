"""Every write refuses malformed input with a 4xx problem document that points at the
offending field, and changes nothing."""

import re

import pytest
from marshmallow import ValidationError

from schemas.body import LINE_PATTERN, PROSE_PATTERN, VERBATIM_PATTERN, Line, Prose, Verbatim
from tests.helpers import assert_problem, stored_rows

VALID = {
    "outlets": {"name": "Example News", "homepage": "https://example.org", "country": "GB"},
    "articles": {
        "outlet_id": 1,
        "url": "https://example.org/a",
        "headline": "A headline",
        "published_on": "2017-11-09",
        "body": "Someone said something.",
    },
    "speakers": {"name": "Someone", "kind": "person", "aliases": ["S."]},
    "claims": {"article_id": 2, "speaker_id": 1, "text": "to be upset", "quote_type": "direct"},
}

# Read-only and unknown fields, refused by every resource.
COMMON = [
    ("id", 5),
    ("created_at", "2020-01-01T00:00:00Z"),
    ("updated_at", "2020-01-01T00:00:00Z"),
    ("version", 2),
    ("nickname", "x"),
]
# (field, a value it must refuse): wrong types, nulls, empty, blank, padded, too long,
# control characters, malformed URLs, dates, enums and references.
BAD_FIELDS = {
    "outlets": [
        ("name", 123),
        ("name", None),
        ("name", ""),
        ("name", "   "),
        ("name", " padded"),
        ("name", "x" * 201),
        ("name", "nul\u0000byte"),
        ("name", "two\nlines"),
        ("name", "lone \ud800 surrogate"),
        ("slug", "Not A Slug"),
        ("slug", "x" * 65),
        ("homepage", "not a url"),
        ("homepage", "ftp://example.org/"),
        ("homepage", "https://" + "x" * 2000 + ".org"),
        ("homepage", ["https://example.org"]),
        ("country", "gb"),
        ("country", "GBR"),
        ("language", "english!"),
        ("ownership", "owned"),
        *COMMON,
    ],
    "articles": [
        ("outlet_id", "1"),
        ("outlet_id", 1.5),
        ("outlet_id", True),
        ("outlet_id", 0),
        ("outlet_id", 2**40),
        ("outlet_id", None),
        ("url", "example.org/a"),
        ("url", ""),
        ("headline", "x" * 501),
        ("headline", {"text": "A headline"}),
        ("section", ""),
        ("bylines", "A. Writer"),
        ("bylines", [1]),
        ("bylines", [""]),
        ("bylines", ["x"] * 51),
        ("published_on", "2017-13-01"),
        ("published_on", "yesterday"),
        ("published_on", 20171109),
        ("published_on_note", "\u0007"),
        ("body", ""),
        ("body", " \n\t"),
        ("body", "x" * 200_001),
        ("body", "a\u0000b"),
        ("body", None),
        ("body_sha256", "0" * 64),
        ("outlet", {"id": 1}),
        *COMMON,
    ],
    "speakers": [
        ("name", None),
        ("name", False),
        ("kind", "robot"),
        ("kind", None),
        ("kind", ""),
        ("description", 5),
        ("description", "trailing "),
        ("aliases", "S."),
        ("aliases", [""]),
        ("aliases", [None]),
        ("aliases", ["x" * 201]),
        ("aliases", ["a", "a"]),
        ("wikidata_id", "42"),
        *COMMON,
    ],
    "claims": [
        ("article_id", None),
        ("article_id", "2"),
        ("speaker_id", [1]),
        ("speaker_id", -1),
        ("text", ""),
        ("text", 42),
        ("text", "x" * 10_001),
        ("text", " to be upset"),
        ("start", -1),
        ("start", 1.5),
        ("start", "0"),
        ("end", True),
        ("quote_type", "verbatim"),
        ("quote_type", None),
        ("cue", "said\t"),
        ("cue", "x" * 65),
        ("stated_on", "2017-11-09T10:00:00"),
        ("stated_on_note", ""),
        ("via_outlet_id", 0),
        ("prefix", "x"),
        ("suffix", "x"),
        ("outlet", 1),
        ("outlet_id", 1),
        ("speaker", {"id": 1}),
        *COMMON,
    ],
}
# Bodies that are not a JSON object of fields, sent as raw bytes with a content type.
BAD_BODIES = [
    (b'{"name": ', "application/json", 400),
    (b'{"name": "\xff\xfe"}', "application/json", 400),
    (b"\xef\xbb", "application/json", 400),
    (b'{"name": "x"}', "text/plain", 415),
    (b"name=x", "application/x-www-form-urlencoded", 415),
    (b'{"name": "x"}', None, 415),
    (b"[]", "application/json", 422),
    (b"null", "application/json", 422),
    (b'"name"', "application/json", 422),
    (b"", "application/json", 400),
]
RESOURCES = list(VALID)


def patch_headers(client, writer, resource):
    return {**writer, "If-Match": client.get(f"/v1/{resource}/1").headers["ETag"]}


def assert_refused(response, field, value):
    """A 422 whose every error points at `field` (or into it, e.g. `#/bylines/0`)."""
    case = f"{field}={value!r:.80}"
    body = assert_problem(response, 422)
    pointers = {error.get("pointer", "").split("/")[1] for error in body["errors"]}
    assert pointers == {field}, f"{case}: {str(body['errors']):.300}"
    assert all(error["detail"] for error in body["errors"])


@pytest.mark.parametrize("resource", RESOURCES)
def test_create_refuses_each_malformed_field(client, writer, seeded, resource):
    before = stored_rows()
    for field, value in BAD_FIELDS[resource]:
        body = {**VALID[resource], field: value}
        response = client.post(f"/v1/{resource}", json=body, headers=writer)
        assert_refused(response, field, value)
    assert stored_rows() == before


@pytest.mark.parametrize("resource", RESOURCES)
def test_patch_refuses_each_malformed_field(client, writer, seeded, resource):
    headers = patch_headers(client, writer, resource)
    before = stored_rows()
    for field, value in BAD_FIELDS[resource]:
        response = client.patch(f"/v1/{resource}/1", json={field: value}, headers=headers)
        assert_refused(response, field, value)
    assert stored_rows() == before


@pytest.mark.parametrize("resource", RESOURCES)
def test_create_refuses_missing_required_fields_naming_each(client, writer, seeded, resource):
    body = assert_problem(client.post(f"/v1/{resource}", json={}, headers=writer), 422)
    required = {
        "outlets": {"name"},
        "articles": {"outlet_id", "url", "headline", "body"},
        "speakers": {"name", "kind"},
        "claims": {"article_id", "speaker_id", "quote_type"},
    }[resource]
    assert {error["pointer"] for error in body["errors"]} == {f"#/{name}" for name in required}


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("method", ["post", "patch"])
def test_bodies_that_are_not_a_json_object_are_refused(client, writer, seeded, resource, method):
    url, headers = f"/v1/{resource}", dict(writer)
    if method == "patch":
        url, headers = f"{url}/1", patch_headers(client, writer, resource)
    before = stored_rows()
    for data, content_type, status in BAD_BODIES:
        if content_type:
            headers["Content-Type"] = content_type
        else:
            headers.pop("Content-Type", None)
        response = getattr(client, method)(url, data=data, headers=headers)
        assert_problem(response, status)
    assert stored_rows() == before


@pytest.mark.parametrize("resource", RESOURCES)
def test_an_empty_patch_changes_nothing(client, writer, seeded, resource):
    headers = patch_headers(client, writer, resource)
    before = stored_rows()
    response = client.patch(f"/v1/{resource}/1", json={}, headers=headers)
    assert response.status_code == 200
    assert response.headers["ETag"] == headers["If-Match"]
    assert stored_rows() == before


@pytest.mark.parametrize(
    ("field", "pattern"),
    [(Line(9), LINE_PATTERN), (Prose(9), PROSE_PATTERN), (Verbatim(9), VERBATIM_PATTERN)],
)
def test_the_documented_text_patterns_say_what_the_validators_do(field, pattern):
    samples = ["a", "a b", " a", "a ", "a\tb", "a\nb", "\na\n", "a\x00", "a\x85b", "\u00a0x"]
    samples += ["   ", "\u2028", "x\u2029y", "\u00a6", "caf\u00e9", "\U0001f600", "a\rb", "\x7f"]
    for sample in samples:
        try:
            field.deserialize(sample)
            accepted = True
        except ValidationError:
            accepted = False
        assert accepted == bool(re.fullmatch(pattern, sample)), repr(sample)


def test_read_only_fields_say_why_they_are_refused(client, writer, seeded):
    body = assert_problem(
        client.post("/v1/claims", json={**VALID["claims"], "id": 7, "prefix": "x"}, headers=writer),
        422,
    )
    details = {error["pointer"]: error["detail"] for error in body["errors"]}
    assert details["#/id"].startswith("Read-only.")
    assert details["#/prefix"].startswith("Read-only.")
    unknown = assert_problem(
        client.post("/v1/claims", json={**VALID["claims"], "speakr_id": 1}, headers=writer), 422
    )
    assert unknown["errors"] == [{"pointer": "#/speakr_id", "detail": "Unknown field."}]


def test_a_valid_body_with_a_json_charset_is_accepted(client, writer, seeded):
    response = client.post(
        "/v1/outlets",
        data='{"name": "Ünïcode News"}'.encode(),
        headers={**writer, "Content-Type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["slug"] == "unicode-news"
