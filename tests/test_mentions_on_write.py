"""Every write path links a claim to the entities its text names, under any spelling."""

import json

from tests.helpers import all_pages

BODY = "The governor said Abu Kamal was calm. The governor said the river was high."


def entity_claims(client, name: str) -> list[str]:
    (entity,) = client.get(f"/v1/entities?name={name}").get_json()["data"]
    return [claim["text"] for claim in all_pages(client, f"/v1/entities/{entity['id']}/claims")]


def new_article(client, writer) -> dict:
    outlet = client.post("/v1/outlets", json={"name": "River Post"}, headers=writer).get_json()
    article = {"outlet_id": outlet["id"], "url": "https://river.example/1", "headline": "Calm"}
    return client.post("/v1/articles", json={**article, "body": BODY}, headers=writer).get_json()


def new_claim(client, writer, text: str):
    """A claim of a new speaker in a new article whose body holds `text`."""
    article = new_article(client, writer)
    speaker = client.post(
        "/v1/speakers", json={"name": "The Governor", "kind": "person"}, headers=writer
    ).get_json()
    claim = {"article_id": article["id"], "speaker_id": speaker["id"], "quote_type": "indirect"}
    created = client.post("/v1/claims", json={**claim, "text": text}, headers=writer)
    assert created.status_code == 201, created.get_json()
    return created


def test_a_created_claim_is_linked_to_the_places_it_names(client, writer, seeded):
    new_claim(client, writer, "Abu Kamal was calm")
    assert "Abu Kamal was calm" in entity_claims(client, "Boukamal")


def test_changing_the_text_moves_the_links_with_it(client, writer, seeded):
    created = new_claim(client, writer, "Abu Kamal was calm")
    assert "Abu Kamal was calm" in entity_claims(client, "Boukamal")
    changed = client.patch(
        f"/v1/claims/{created.get_json()['id']}",
        json={"text": "the river was high"},
        headers={**writer, "If-Match": created.headers["ETag"]},
    )
    assert changed.status_code == 200, changed.get_json()
    assert "the river was high" not in entity_claims(client, "Boukamal")
    assert "Abu Kamal was calm" not in entity_claims(client, "Boukamal")


def test_imported_claims_are_linked_too(client, writer, seeded):
    line = {
        "outlet": {"name": "River Post", "slug": "river-post"},
        "url": "https://river.example/2",
        "headline": "Calm again",
        "body": BODY,
        "claims": [
            {
                "speaker": {"name": "The Governor", "kind": "person"},
                "text": "Abu Kamal was calm",
                "quote_type": "indirect",
                "cue": "said",
            }
        ],
    }
    response = client.post(
        "/v1/imports",
        data=json.dumps(line) + "\n",
        headers={**writer, "Content-Type": "application/x-ndjson"},
    )
    assert response.status_code in (200, 201), response.get_json()
    assert "Abu Kamal was calm" in entity_claims(client, "Boukamal")
