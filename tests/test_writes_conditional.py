"""No lost updates: strong ETags, 304 for an unchanged item, If-Match required on changes."""

import pytest

from tests.helpers import assert_problem, stored_rows

ITEMS = ["/v1/outlets/1", "/v1/articles/1", "/v1/speakers/1", "/v1/claims/1"]
CHANGES = {
    "/v1/outlets/1": {"country": "HK"},
    "/v1/articles/1": {"section": "World"},
    "/v1/speakers/1": {"description": "A professor"},
    "/v1/claims/1": {"cue": "stated"},
}


@pytest.mark.parametrize("url", ITEMS)
def test_items_carry_a_strong_etag_and_answer_304_when_unchanged(client, seeded, url):
    response = client.get(url)
    etag = response.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert client.get(url).headers["ETag"] == etag  # stable

    not_modified = client.get(url, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.get_data() == b""
    assert not_modified.headers["ETag"] == etag
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


@pytest.mark.parametrize("url", ITEMS)
def test_a_change_without_if_match_is_428_and_changes_nothing(client, writer, seeded, url):
    before = stored_rows()
    assert_problem(client.patch(url, json=CHANGES[url], headers=writer), 428)
    assert_problem(client.delete(url, headers=writer), 428)
    assert stored_rows() == before


@pytest.mark.parametrize("url", ITEMS)
def test_a_change_with_a_stale_etag_is_412_and_changes_nothing(client, writer, seeded, url):
    stale = client.get(url).headers["ETag"]
    first = client.patch(url, json=CHANGES[url], headers={**writer, "If-Match": stale})
    assert first.status_code == 200, first.get_json()
    before = stored_rows()

    second = client.patch(url, json=CHANGES[url], headers={**writer, "If-Match": stale})
    assert_problem(second, 412)
    assert_problem(client.delete(url, headers={**writer, "If-Match": stale}), 412)
    assert stored_rows() == before


def test_the_etag_of_a_change_is_the_one_get_shows_and_allows_the_next_change(
    client, writer, seeded
):
    etag = client.get("/v1/claims/1").headers["ETag"]
    first = client.patch("/v1/claims/1", json={"cue": "a"}, headers={**writer, "If-Match": etag})
    assert first.headers["ETag"] == client.get("/v1/claims/1").headers["ETag"] != etag
    second = client.patch(
        "/v1/claims/1", json={"cue": "b"}, headers={**writer, "If-Match": first.headers["ETag"]}
    )
    assert second.status_code == 200
    assert second.get_json()["cue"] == "b"


def test_a_create_answers_with_the_etag_of_the_new_item(client, writer):
    created = client.post("/v1/outlets", json={"name": "Example"}, headers=writer)
    assert created.headers["ETag"] == client.get(created.headers["Location"]).headers["ETag"]
