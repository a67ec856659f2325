"""Keyset pagination: stable pages that never skip or repeat, however rows are inserted."""

from urllib.parse import urlsplit

from models import Claim, Speaker, SpeakerAlias, database
from tests.helpers import all_pages, assert_problem, error_parameters, ids


def test_default_page_is_50_and_the_last_page_has_no_cursor(client, seeded):
    page = client.get("/v1/claims").get_json()
    assert len(page["data"]) == 19
    assert page["next_cursor"] is None


def test_cursor_and_link_header_lead_to_the_next_page(client, seeded):
    first = client.get("/v1/claims?limit=5&quote_type=indirect")
    body = first.get_json()
    assert len(body["data"]) == 5 and body["next_cursor"]
    link = first.headers["Link"]
    assert link.startswith("<http://localhost/v1/claims?") and link.endswith('>; rel="next"')
    url = link[1 : link.index(">")]
    parts = urlsplit(url)
    second = client.get(f"{parts.path}?{parts.query}").get_json()
    assert ids(second)[0] > ids(body)[-1]
    assert all(claim["quote_type"] == "indirect" for claim in second["data"])
    assert "Link" not in client.get("/v1/claims?limit=100").headers


def test_pages_cover_every_item_exactly_once(client, seeded):
    every = ids(client.get("/v1/claims?limit=100").get_json())
    for limit in (1, 3, 7):
        assert [claim["id"] for claim in all_pages(client, f"/v1/claims?limit={limit}")] == every


def test_inserting_rows_between_pages_never_skips_or_repeats(client, seeded):
    speakers = client.get("/v1/speakers?limit=4").get_json()
    seen = ids(speakers)
    with database.connection_context():
        for number in range(3):  # new rows between the requests for pages
            Speaker.create(slug=f"new-{number}", name=f"New {number}", kind="person")
    cursor = speakers["next_cursor"]
    while cursor:
        page = client.get(f"/v1/speakers?limit=4&cursor={cursor}").get_json()
        seen += ids(page)
        cursor = page["next_cursor"]
    assert len(seen) == len(set(seen)) == 12 + 3
    assert seen == sorted(seen)


def test_deleting_the_row_under_the_cursor_loses_nothing_after_it(client, seeded):
    first = client.get("/v1/claims?limit=2").get_json()
    with database.connection_context():
        Claim.delete().where(Claim.id == ids(first)[-1]).execute()
    rest = client.get(f"/v1/claims?limit=100&cursor={first['next_cursor']}").get_json()
    assert len(rest["data"]) == 19 - 2


def test_speaker_pages_carry_their_aliases(client, seeded):
    with database.connection_context():
        expected = {s.id: sorted(a.alias for a in s.alias_rows) for s in Speaker.select()}
        assert SpeakerAlias.select().count() > 0
    listed = all_pages(client, "/v1/speakers?limit=5")
    assert {s["id"]: sorted(s["aliases"]) for s in listed} == expected


def test_limit_out_of_range_is_422_not_clamped(client, seeded):
    for limit in ("0", "101", "-1", "ten", "1.5"):
        body = assert_problem(client.get(f"/v1/claims?limit={limit}"), 422)
        assert error_parameters(body) == {"limit"}


def test_a_cursor_not_issued_by_the_api_is_422(client, seeded):
    for cursor in ("garbage", "eyJhZnRlciI6ICJ4In0", "e30", "%F0%9F%92%A9"):
        body = assert_problem(client.get(f"/v1/claims?cursor={cursor}"), 422)
        assert error_parameters(body) == {"cursor"}
