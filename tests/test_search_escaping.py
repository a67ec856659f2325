"""Search titles and snippets are HTML: stored text comes back escaped, and the only tags are
the `<mark>`s the search engine put around the matches."""

import html
import re

import pytest

SCRIPTED_HEADLINE = "<script>alert('headline')</script> <mark>Zanzibar</mark> & co"
SCRIPTED_BODY = (
    'Intro <img src=x onerror=alert(1)> then "Zanzibar" said <mark>nothing</mark>. '
    "Private markers \ue000 \ue001 \ue002 stay text. Zanzibar<b onmouseover=alert(2)>x</b>"
)
SCRIPTED_CLAIM = "Zanzibar<b onmouseover=alert(2)>x</b>"
SCRIPTED_SPEAKER = "Zanzibar <svg onload=alert(3)>"
TAG = re.compile(r"<[^>]*>")


@pytest.fixture
def scripted(client, writer):
    """An article, a claim and a speaker whose stored texts hold markup and marker lookalikes."""
    outlet = client.post("/v1/outlets", json={"name": "Scripted Times"}, headers=writer)
    speaker = client.post(
        "/v1/speakers", json={"name": SCRIPTED_SPEAKER, "kind": "person"}, headers=writer
    )
    article = client.post(
        "/v1/articles",
        json={
            "outlet_id": outlet.get_json()["id"],
            "url": "https://example.org/scripted",
            "headline": SCRIPTED_HEADLINE,
            "body": SCRIPTED_BODY,
        },
        headers=writer,
    )
    claim = client.post(
        "/v1/claims",
        json={
            "article_id": article.get_json()["id"],
            "speaker_id": speaker.get_json()["id"],
            "text": SCRIPTED_CLAIM,
            "quote_type": "indirect",
        },
        headers=writer,
    )
    assert [r.status_code for r in (outlet, speaker, article, claim)] == [201] * 4
    return {
        "article": article.get_json()["id"],
        "claim": claim.get_json()["id"],
        "speaker": speaker.get_json()["id"],
    }


def search_hits(client, query: str) -> dict[str, dict]:
    response = client.get(f"/v1/search?q={query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return {hit["kind"]: hit for hit in response.get_json()["data"]}


def as_text(marked: str) -> str:
    """What a browser shows of a title or snippet: its marks gone, its references resolved."""
    assert TAG.sub("", marked) == marked.replace("<mark>", "").replace("</mark>", "")
    return html.unescape(marked.replace("<mark>", "").replace("</mark>", ""))


def test_stored_markup_comes_back_escaped_with_only_the_engines_marks_as_tags(client, scripted):
    hits = search_hits(client, "Zanzibar")
    assert {kind: hit["id"] for kind, hit in hits.items()} == scripted
    for hit in hits.values():
        for marked in filter(None, (hit["title"], hit["snippet"])):
            assert set(TAG.findall(marked)) == {"<mark>", "</mark>"}, marked
            assert marked.count("<mark>") == marked.count("<mark>Zanzibar</mark>"), marked
    article = hits["article"]
    assert article["title"] == (
        "&lt;script&gt;alert(&#x27;headline&#x27;)&lt;/script&gt; "
        "&lt;mark&gt;<mark>Zanzibar</mark>&lt;/mark&gt; &amp; co"
    )
    assert as_text(article["title"]) == SCRIPTED_HEADLINE
    snippet = article["snippet"]
    assert "&lt;img src=x onerror=alert(1)&gt; then &quot;<mark>Zanzibar</mark>&quot;" in snippet
    assert hits["claim"]["title"] is None
    assert hits["claim"]["snippet"].startswith("<mark>Zanzibar</mark>")
    assert as_text(hits["speaker"]["title"]) == SCRIPTED_SPEAKER


def test_characters_like_the_engines_markers_stay_text(client, scripted):
    (article,) = search_hits(client, "Private").values()
    assert article["title"] is None or "<mark>" not in article["title"]
    assert article["snippet"].count("<mark>") == 1
    assert "<mark>Private</mark> markers \ue000 \ue001 \ue002 stay text" in article["snippet"]
