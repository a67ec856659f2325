"""Values that look valid and are not: a trailing line break after a pattern, digits of other
scripts, format characters hidden in names, a malformed If-Match. Each is a 4xx problem and
changes nothing; the documented patterns say so."""

import re
import sys
import unicodedata

import pytest
from marshmallow import ValidationError, fields

from schemas.body import (
    FORMAT_RANGES,
    LINE_PATTERN,
    PROSE_PATTERN,
    QUOTED_PATTERN,
    VERBATIM_PATTERN,
    Line,
    Prose,
    Quoted,
    Verbatim,
    WriteSchema,
)
from tests.helpers import assert_problem, error_parameters, error_pointers, stored_tables

# Zero-width space, joiner and non-joiner, right-to-left override and isolate, byte order mark,
# soft hyphen, a tag character (beyond the BMP): all Unicode format characters (Cf).
FORMAT_CHARACTERS = ["\u200b", "\u200d", "\u200c", "\u202e", "\u2067", "\ufeff", "\u00ad",
                     "\U000e0041"]  # fmt: skip


@pytest.mark.parametrize(
    ("resource", "field", "value"),
    [
        ("outlets", "slug", "demo\n"),
        ("outlets", "country", "US\n"),
        ("outlets", "language", "en\n"),
        ("speakers", "slug", "demo\n"),
        ("speakers", "wikidata_id", "Q42\n"),
    ],
)
def test_a_pattern_refuses_a_trailing_line_break(client, writer, seeded, resource, field, value):
    before = stored_tables()
    base = {"name": "Trailing Break", **({"kind": "person"} if resource == "speakers" else {})}
    response = client.post(f"/v1/{resource}", json={**base, field: value}, headers=writer)
    assert error_pointers(assert_problem(response, 422)) == {f"#/{field}"}
    etag = client.get(f"/v1/{resource}/1").headers["ETag"]
    response = client.patch(
        f"/v1/{resource}/1", json={field: value}, headers={**writer, "If-Match": etag}
    )
    assert error_pointers(assert_problem(response, 422)) == {f"#/{field}"}
    assert stored_tables() == before


# Fullwidth one, Arabic-Indic one, Devanagari one, a mathematical bold one.
OTHER_DIGITS = ["%EF%BC%91", "%D9%A1", "%E0%A5%A7", "%F0%9D%9F%8F"]


@pytest.mark.parametrize("digit", OTHER_DIGITS)
def test_an_id_in_a_path_takes_only_ascii_digits(client, seeded, writer, digit):
    assert client.get("/v1/claims/1").status_code == 200
    assert_problem(client.get(f"/v1/claims/{digit}"), 404)
    assert_problem(client.get(f"/v1/speakers/{digit}/claims"), 404)
    before = stored_tables()
    assert_problem(client.delete(f"/v1/claims/{digit}", headers={**writer, "If-Match": "*"}), 404)
    assert stored_tables() == before


@pytest.mark.parametrize("value", [*OTHER_DIGITS, "%205", "5%20", "1_0", "%2B5", "5.0"])
def test_an_integer_query_parameter_takes_only_ascii_digits(client, seeded, value):
    assert client.get("/v1/claims?limit=5").status_code == 200
    assert error_parameters(assert_problem(client.get(f"/v1/claims?limit={value}"), 422)) == {
        "limit"
    }
    response = client.get(f"/v1/claims?speaker_id={value}")
    assert error_parameters(assert_problem(response, 422)) == {"speaker_id"}


STRING_FIELDS = [
    ("outlets", "name"),
    ("speakers", "name"),
    ("speakers", "description"),
    ("speakers", "aliases"),
    ("articles", "headline"),
    ("articles", "section"),
    ("articles", "bylines"),
    ("articles", "published_on_note"),
    ("articles", "url"),
    ("claims", "cue"),
    ("claims", "stated_on_note"),
]


@pytest.mark.parametrize(("resource", "field"), STRING_FIELDS)
def test_text_fields_refuse_format_and_control_characters(client, writer, seeded, resource, field):
    etag = client.get(f"/v1/{resource}/1").headers["ETag"]
    before = stored_tables()
    for character in [*FORMAT_CHARACTERS, "\x00", "\x1b", "\x85"]:
        value = f"https://example.org/a{character}" if field == "url" else f"Hid{character}den"
        response = client.patch(
            f"/v1/{resource}/1",
            json={field: [value] if field in ("aliases", "bylines") else value},
            headers={**writer, "If-Match": etag},
        )
        problem = assert_problem(response, 422)
        assert {pointer.split("/")[1] for pointer in error_pointers(problem)} == {field}
    assert stored_tables() == before


def test_an_article_body_and_a_claim_quoting_it_keep_their_format_characters(
    client, writer, seeded
):
    # Persian writes some words with a zero-width non-joiner; a quote keeps it.
    quoted = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \u202bsoon\u202c"
    body = f"The minister said: {quoted}. Nothing else."
    article = client.post(
        "/v1/articles",
        json={"outlet_id": 1, "url": "https://example.org/fa", "headline": "Fa", "body": body},
        headers=writer,
    )
    assert article.status_code == 201, article.get_json()
    assert article.get_json()["body"] == body
    claim = client.post(
        "/v1/claims",
        json={
            "article_id": article.get_json()["id"],
            "speaker_id": 1,
            "text": quoted,
            "quote_type": "direct",
        },
        headers=writer,
    )
    assert claim.status_code == 201, claim.get_json()
    assert claim.get_json()["text"] == quoted


def test_a_new_string_field_gets_the_character_rule_without_asking():
    class Note(WriteSchema):
        remark = fields.String()
        tags = fields.List(fields.String())

    schema = Note()
    assert schema.load({"remark": "plain", "tags": ["a"]}) == {"remark": "plain", "tags": ["a"]}
    for character in ["\x00", "\n", *FORMAT_CHARACTERS]:
        with pytest.raises(ValidationError) as refused:
            schema.load({"remark": f"a{character}b", "tags": [f"a{character}b"]})
        assert set(refused.value.messages) == {"remark", "tags"}


def test_the_format_characters_are_every_character_unicode_calls_format():
    listed = {point for low, high in FORMAT_RANGES for point in range(low, high + 1)}
    known = {
        point for point in range(sys.maxunicode + 1) if unicodedata.category(chr(point)) == "Cf"
    }
    assert known <= listed, f"Unicode {unicodedata.unidata_version} adds {known - listed}"
    assert all(unicodedata.category(chr(point)) in ("Cf", "Cn") for point in listed)


@pytest.mark.parametrize(
    ("field", "pattern"),
    [
        (Line(9), LINE_PATTERN),
        (Prose(9), PROSE_PATTERN),
        (Quoted(9), QUOTED_PATTERN),
        (Verbatim(9), VERBATIM_PATTERN),
    ],
)
def test_the_documented_text_patterns_say_which_characters_are_refused(field, pattern):
    samples = [f"a{character}b" for character in FORMAT_CHARACTERS]
    samples += [f"{character}a" for character in FORMAT_CHARACTERS]
    samples += ["a\x00b", "a\nb", "a\x9fb", "\u0645\u06cc\u200c\u062e", "a\n", "\U0001f600"]
    for sample in samples:
        accepted = accepts(field, sample)
        if max(map(ord, sample)) > 0xFFFF and not accepted:
            # The patterns name the BMP's format characters only (for validators without
            # ECMA-262's u flag); the API refuses the others too.
            assert unicodedata.category(max(sample)) == "Cf", repr(sample)
            continue
        assert accepted == bool(re.fullmatch(pattern, sample)), repr(sample)


def accepts(field, value: str) -> bool:
    try:
        field.deserialize(value)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize(
    "if_match", ["abc", '"abc', 'abc"', '"a" "b"', '"a",', "W/abc", '"a\\"b"', "**", '* , "a"']
)
def test_a_malformed_if_match_is_400_not_412(client, writer, seeded, if_match):
    before = stored_tables()
    for method, url, body in (
        ("patch", "/v1/speakers/1", {"description": "Changed"}),
        ("delete", "/v1/claims/1", None),
    ):
        response = getattr(client, method)(url, json=body, headers={**writer, "If-Match": if_match})
        problem = assert_problem(response, 400)
        assert error_parameters(problem) == {"If-Match"}
    assert stored_tables() == before


def test_an_unquoted_current_etag_is_400_and_the_quoted_one_applies(client, writer, seeded):
    etag = client.get("/v1/speakers/1").headers["ETag"]
    headers = {**writer, "If-Match": etag.strip('"')}
    body = {"description": "Changed"}
    assert_problem(client.patch("/v1/speakers/1", json=body, headers=headers), 400)
    stale = {**writer, "If-Match": '"0000", W/' + etag}  # well formed, none current (W/: weak)
    assert_problem(client.patch("/v1/speakers/1", json=body, headers=stale), 412)
    current = {**writer, "If-Match": f'"0000", {etag}'}
    assert client.patch("/v1/speakers/1", json=body, headers=current).status_code == 200
