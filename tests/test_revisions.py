"""History: every change to a claim, article or speaker is kept, with what changed and who."""

from tests.helpers import all_pages, assert_problem


def if_match(client, writer, url):
    return {**writer, "If-Match": client.get(url).headers["ETag"]}


def test_a_claims_history_shows_each_change_before_and_after(client, writer, seeded, app):
    created = client.post(
        "/v1/claims",
        json={"article_id": 2, "speaker_id": 1, "text": "to be upset", "quote_type": "indirect"},
        headers=writer,
    )
    url = created.headers["Location"]
    client.patch(
        url, json={"cue": "said", "quote_type": "indirect"}, headers=if_match(client, writer, url)
    )
    client.patch(url, json={"cue": "noted"}, headers=if_match(client, writer, url))

    revisions = all_pages(client, f"{url}/revisions")

    assert [(r["version"], r["action"]) for r in revisions] == [
        (1, "create"),
        (2, "update"),
        (3, "update"),
    ]
    created_fields = revisions[0]["changes"]
    assert created_fields["text"] == {"before": None, "after": "to be upset"}
    assert created_fields["article_id"] == {"before": None, "after": 2}
    assert revisions[1]["changes"] == {"cue": {"before": None, "after": "said"}}
    assert revisions[2]["changes"] == {"cue": {"before": "said", "after": "noted"}}
    assert all(r["at"] and r["by"] == key_prefix(app) for r in revisions)


def key_prefix(app) -> str:
    from models import ApiKey, database

    with database.connection_context():
        return ApiKey.get().prefix


def test_a_change_that_changes_nothing_is_not_a_revision(client, writer, seeded):
    url = "/v1/speakers/1"
    before = client.get(url).get_json()
    response = client.patch(
        url, json={"kind": before["kind"]}, headers=if_match(client, writer, url)
    )
    assert response.status_code == 200
    (loaded,) = all_pages(client, f"{url}/revisions")
    assert loaded["action"] == "create"
    assert response.headers["ETag"] == client.get(url).headers["ETag"]


def test_a_body_correction_records_the_article_and_every_claim_it_moved(client, writer, seeded):
    url = "/v1/articles/2"
    article = client.get(url).get_json()
    corrected = "Updated.\n\n" + article["body"]
    assert (
        client.patch(
            url, json={"body": corrected}, headers=if_match(client, writer, url)
        ).status_code
        == 200
    )

    loaded, revision = all_pages(client, f"{url}/revisions")
    assert (loaded["action"], loaded["by"]) == ("create", None)  # by the seed loader
    assert revision["changes"]["body"] == {"before": article["body"], "after": corrected}
    claims = all_pages(client, f"{url}/claims")
    for claim in claims:
        _, moved = all_pages(client, f"/v1/claims/{claim['id']}/revisions")
        assert set(moved["changes"]) == {"start", "end"}
        assert moved["changes"]["start"]["after"] - moved["changes"]["start"]["before"] == 10


def test_a_speakers_alias_change_is_recorded(client, writer, seeded):
    url = "/v1/speakers/1"
    aliases = client.get(url).get_json()["aliases"]
    client.patch(
        url, json={"aliases": [*aliases, "Prof. Khashan"]}, headers=if_match(client, writer, url)
    )
    _, revision = all_pages(client, f"{url}/revisions")
    assert revision["changes"] == {
        "aliases": {"before": aliases, "after": [*aliases, "Prof. Khashan"]}
    }


def test_the_history_of_a_deleted_resource_remains(client, writer):
    created = client.post("/v1/speakers", json={"name": "Gone", "kind": "person"}, headers=writer)
    url = created.headers["Location"]
    client.delete(url, headers={**writer, "If-Match": created.headers["ETag"]})
    revisions = all_pages(client, f"{url}/revisions")
    assert [r["action"] for r in revisions] == ["create", "delete"]
    assert revisions[1]["changes"]["name"] == {"before": "Gone", "after": None}


def test_history_of_something_that_never_existed_is_404(client, seeded):
    for resource in ("claims", "articles", "speakers"):
        assert_problem(client.get(f"/v1/{resource}/424242/revisions"), 404)


def test_history_is_paginated_and_rejects_unknown_parameters(client, writer, seeded):
    url = "/v1/claims/1"
    for cue in ("a", "b", "c"):
        client.patch(url, json={"cue": cue}, headers=if_match(client, writer, url))
    assert len(all_pages(client, f"{url}/revisions?limit=2")) == 4  # loaded, then 3 changes
    assert_problem(client.get(f"{url}/revisions?limt=2"), 422)
