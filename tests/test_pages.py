"""/read: the reading pages as HTML. Every stored text is escaped, a strict
Content-Security-Policy allows only the app's own assets, unknown ids are HTML 404s, and the
pages show what the JSON says (the browser tests check them as rendered)."""

import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path

from api.pages import CONTENT_SECURITY_POLICY
from models import Article, Claim, Outlet, Speaker, database
from tests.helpers import assert_problem

ROOT = Path(__file__).resolve().parent.parent


class Page(HTMLParser):
    """The elements of a page: tag, attributes and text inside, each highlight's text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.open: list[tuple[str, dict, list[str]]] = []
        self.texts: dict[int, str] = {}  # element index: its text content
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag not in ("meta", "link", "br", "img", "input"):
            self.open.append((tag, len(self.elements) - 1, []))

    def handle_endtag(self, tag):
        name, index, parts = self.open.pop()
        assert name == tag, f"</{tag}> closes <{name}>"
        self.texts[index] = "".join(parts)
        if self.open:
            self.open[-1][2].append(self.texts[index])

    def handle_data(self, data):
        if self.open:
            self.open[-1][2].append(data)

    def find(self, tag: str, **attributes) -> list[tuple[dict, str]]:
        """Elements `tag` whose attributes include these (`class_` for class, as a word)."""
        found = []
        for index, (name, attrs) in enumerate(self.elements):
            if name != tag:
                continue
            wanted = {key.rstrip("_"): value for key, value in attributes.items()}
            classes = (attrs.get("class") or "").split()
            if all(
                (value in classes) if key == "class" else attrs.get(key) == value
                for key, value in wanted.items()
            ):
                found.append((attrs, self.texts.get(index, "")))
        return found


def page(client, path: str, status: int = 200) -> Page:
    response = client.get(path)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.content_type == "text/html; charset=utf-8"
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    return Page(response.get_data(as_text=True))


def highlights(parsed: Page) -> dict[int, str]:
    """Each claim's highlighted text: its parts' text, without text nested in its own parts."""
    texts: dict[int, str] = {}
    for attrs, text in parsed.find("mark", class_="claim"):
        if "data-claim" in attrs and attrs.get("tabindex") == "0":
            texts[int(attrs["data-claim"])] = text
    return texts


def test_the_voa_article_highlights_khashans_three_statements_and_shaabans(client, seeded):
    parsed = page(client, "/read/articles/2")
    notes = {attrs["data-claim"]: text for attrs, text in parsed.find("li", class_="note")}
    with database.connection_context():
        article = Article.get(Article.id == 2)
        claims = {claim.id: claim for claim in article.claims}
    assert highlights(parsed) == {claim_id: claim.text for claim_id, claim in claims.items()}
    by_speaker = {}
    for claim in claims.values():
        by_speaker.setdefault(claim.speaker.name, []).append(claim)
    assert len(by_speaker["Hilal Khashan"]) == 3 and len(by_speaker["Bouthaina Shaaban"]) == 1
    (shaaban,) = by_speaker["Bouthaina Shaaban"]
    assert "Al Mayadeen" in notes[str(shaaban.id)]  # via
    assert "said" in notes[str(shaaban.id)] and "direct" in notes[str(shaaban.id)]
    legend = " ".join(text for _, text in parsed.find("ul", class_="legend"))
    assert re.search(r"Hilal Khashan\s+3: 1 direct, 2 indirect", legend)
    assert parsed.find("a", href=f"/v1/claims/{shaaban.id}")


def test_quote_types_are_told_apart_without_colour(client, seeded):
    parsed = page(client, "/read/articles/2")
    for attrs, _ in parsed.find("mark", class_="claim"):
        classes = attrs["class"].split()
        (quote_type,) = {"direct", "indirect", "mixed"} & set(classes)
        assert attrs["data-label"].endswith(f" {quote_type}")  # a text label, not only colour
    css = (ROOT / "api/pages/static/pages.css").read_text(encoding="utf-8")
    for quote_type, style in (("direct", "solid"), ("indirect", "dotted"), ("mixed", "dashed")):
        assert f".claim.{quote_type} {{ text-decoration: underline {style}" in css


def test_overlapping_claims_each_highlight_exactly_their_span(client, seeded):
    with database.connection_context():
        article = Article.create(
            outlet=Outlet.get(Outlet.slug == "voa"),
            url="urn:test:overlaps",
            headline="Overlaps",
            body="One said alpha beta gamma delta, and so on.",
        )
        khashan = Speaker.get(Speaker.slug == "hilal-khashan")
        shaaban = Speaker.get(Speaker.slug == "bouthaina-shaaban")
        spans = [
            Claim.create_anchored(article, "alpha beta gamma", speaker=khashan,
                                  quote_type="indirect"),
            Claim.create_anchored(article, "beta gamma delta", speaker=shaaban,
                                  quote_type="direct"),
            Claim.create_anchored(article, "gamma", speaker=khashan, quote_type="mixed"),
        ]  # fmt: skip
    parsed = page(client, f"/read/articles/{article.id}")
    # The claim that crosses another is cut in parts; all parts together make its span.
    parts: dict[int, str] = {}
    for attrs, text in parsed.find("mark", class_="claim"):
        parts[int(attrs["data-claim"])] = parts.get(int(attrs["data-claim"]), "") + text
    assert {claim.id: claim.text for claim in spans} == parts
    (body,) = parsed.find("div", id="body")
    assert body[1] == article.body


def test_stored_text_is_escaped_on_every_page(client, seeded):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    with database.connection_context():
        outlet = Outlet.create(slug="hostile", name=hostile)
        article = Article.create(
            outlet=outlet,
            url="urn:test:hostile",
            headline=hostile,
            body=f"Text {hostile} more.",
            published_on_note=hostile,
        )
        speaker = Speaker.create(slug="hostile", name=hostile, kind="person", description=hostile)
        Claim.create_anchored(article, hostile, speaker=speaker, quote_type="direct",
                              cue=hostile, stated_on_note=hostile)  # fmt: skip
    for path in (f"/read/articles/{article.id}", f"/read/speakers/{speaker.id}", "/read"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(" in html


def test_pages_hold_no_inline_script_or_style(client, seeded):
    for path in ("/read", "/read/articles/1", "/read/events/1", "/read/speakers/1"):
        parsed = page(client, path)
        scripts = parsed.find("script")
        assert [attrs["src"] for attrs, _ in scripts] == ["/read/static/pages.js"]
        assert all(text == "" for _, text in scripts)
        assert not [attrs for _, attrs in parsed.elements if "style" in attrs]
        assert not parsed.find("style")
        assert [attrs["href"] for attrs, _ in parsed.find("link")] == ["/read/static/pages.css"]
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY


def test_the_event_page_aligns_cgtn_and_voa_with_time_aware_omissions(client, seeded):
    parsed = page(client, "/read/events/1")
    columns = [text for _, text in parsed.find("th", scope="col")]
    assert columns[-2:] == ["CGTN", "Voice of America"]
    with database.connection_context():
        announced = [
            Claim.get(Claim.text == text).id for text in ("victory", "it took the ISIL stronghold")
        ] + [Claim.get(Claim.text.startswith("they have recaptured")).id]
        second = Claim.get(Claim.text.startswith("it took the city of Al-Bukamal")).id
    ((shared, shared_text),) = parsed.find("tr", class_="shared")
    assert shared["data-assertion"] == str(min(announced))
    assert "2017-11-09" in shared_text
    rows = {
        attrs["data-assertion"]: text
        for attrs, text in parsed.find("tr")
        if "data-assertion" in attrs
    }
    second_row = rows[str(second)]
    assert "2017-11-19" in second_row and "made after this report" in second_row
    verdicts = [attrs["data-reason"] for attrs, _ in parsed.find("p", class_="verdict")]
    assert "after_report" in verdicts and "omitted" in verdicts
    assert parsed.find("div", class_="probable")
    timeline = [text for _, text in parsed.find("li") if "inferred" in text]
    assert len(timeline) == 2  # "victory" and VOA's "they have recaptured", from the 9 November


def test_the_speaker_page_shows_each_statement_in_its_articles_words(client, seeded):
    with database.connection_context():
        army = Speaker.get(Speaker.slug == "syrian-army")
        claims = list(army.claims)
    parsed = page(client, f"/read/speakers/{army.id}")
    figures = parsed.find("figure", class_="in-context")
    assert len(figures) == len(claims) == 3
    sections = [text for _, text in parsed.find("h2")]
    assert sections == ["In CGTN", "In Voice of America"]
    for claim in claims:
        ((attrs, text),) = [
            item for item in parsed.find("mark") if item[0]["data-claim"] == str(claim.id)
        ]
        assert text == claim.text
        (context,) = [text for attrs, text in figures if attrs["data-claim"] == str(claim.id)]
        assert claim.prefix[-10:] in context and claim.suffix[:10] in context


def test_unknown_ids_are_html_404_pages_and_the_api_keeps_problems(client, seeded):
    for path in ("/read/articles/999", "/read/articles/0", "/read/articles/x",
                 "/read/events/99999999999", "/read/speakers/-1", "/read/elsewhere"):  # fmt: skip
        parsed = page(client, path, status=404)
        assert [text for _, text in parsed.find("h1")] == ["Not found"]
    assert_problem(client.get("/v1/articles/999"), 404)
    assert_problem(client.get("/nowhere"), 404)


def test_a_deleted_article_is_a_404_page(client, seeded):
    with database.connection_context():
        article = Article.get(Article.id == 1)
        Claim.delete().where(Claim.article == article).execute()
        article.delete_instance()
    page(client, "/read/articles/1", status=404)


def test_the_reference_and_the_index_link_to_the_reading_pages(client, seeded):
    description = client.get("/openapi.json").get_json()["info"]["description"]
    assert "[reading pages](/read)" in description
    parsed = page(client, "/read")
    links = {attrs["href"] for attrs, _ in parsed.find("a")}
    assert {"/read/events/1", "/read/articles/1", "/read/articles/2"} <= links
    assert any(link.startswith("/read/speakers/") for link in links)


def test_the_pages_are_outside_the_openapi_description(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    assert not [path for path in paths if path == "/read" or path.startswith("/read/")]


def test_an_installed_package_holds_the_templates_and_assets(client):
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert "api.pages" in setuptools["packages"]
    patterns = setuptools["package-data"]["api.pages"]
    folder = ROOT / "api" / "pages"
    files = {path.relative_to(folder) for path in folder.rglob("*") if path.is_file()}
    shipped = {path for path in files if any(path.match(pattern) for pattern in patterns)}
    assert files - shipped == {
        path for path in files if path.suffix == ".py" or "__pycache__" in path.parts
    }
    for asset in ("pages.css", "pages.js"):
        response = client.get(f"/read/static/{asset}")
        assert response.status_code == 200 and response.data


REVIEWED_BODY = (
    'The mayor spoke on Monday. "We will rebuild the bridge by spring," said Maria Lopez, the '
    'mayor of the town.\n"Nobody will be left behind," Lopez told reporters on Tuesday.\nJohn '
    "Carter, a local engineer, said the river had risen faster than anyone expected."
)


def article_with_proposals(client, writer, body: str = REVIEWED_BODY) -> tuple[dict, list]:
    """A new article of `body` (through the API) and the proposals of one extractor run."""
    response = client.post(
        "/v1/articles",
        json={"outlet_id": 1, "url": "https://example.org/review", "headline": "Review",
              "body": body},
        headers=writer,
    )  # fmt: skip
    assert response.status_code == 201, response.get_data(as_text=True)
    article = response.get_json()
    run = client.post(f"/v1/articles/{article['id']}/proposals", headers=writer)
    assert run.status_code == 200, run.get_data(as_text=True)
    return article, run.get_json()["data"]


def proposal_marks(parsed: Page) -> dict[int, str]:
    """Each proposal's marked text, its parts joined."""
    texts: dict[int, str] = {}
    for attrs, text in parsed.find("mark", class_="proposal"):
        proposal_id = int(attrs["data-proposal"])
        texts[proposal_id] = texts.get(proposal_id, "") + text
    return texts


def test_pending_proposals_are_marked_apart_from_claims_with_their_guesses(client, seeded, writer):
    article, proposals = article_with_proposals(client, writer)
    assert len(proposals) == 3
    parsed = page(client, f"/read/articles/{article['id']}")
    assert proposal_marks(parsed) == {p["id"]: p["text"] for p in proposals}
    assert all(article["body"][p["start"] : p["end"]] == p["text"] for p in proposals)
    assert highlights(parsed) == {}  # a proposal is no claim
    for attrs, _ in parsed.find("mark", class_="proposal"):
        assert attrs["data-label"] == "proposed" and "claim" not in attrs["class"].split()
    notes = {int(attrs["data-proposal"]): text for attrs, text in parsed.find("li")
             if "data-proposal" in attrs}  # fmt: skip
    carter = next(p for p in proposals if p["speaker"]["name"] == "John Carter")
    note = " ".join(notes[carter["id"]].split())
    assert "proposed John Carter" in note and "indirect" in note and "said" in note
    assert f"{carter['confidence']:.2f}" in note and carter["text"] in note
    (body,) = parsed.find("div", id="body")
    assert body[1] == article["body"]


def test_a_proposal_crossing_a_claim_leaves_the_claims_highlight_exact(client, seeded, writer):
    article, proposals = article_with_proposals(client, writer)
    lopez = next(p for p in proposals if p["text"] == "Nobody will be left behind")
    # A claim from inside the proposal to past its end: each cuts the other.
    response = client.post(
        "/v1/claims",
        json={"article_id": article["id"], "text": "left behind,\" Lopez told reporters",
              "speaker_id": 1, "quote_type": "mixed"},
        headers=writer,
    )  # fmt: skip
    assert response.status_code == 201, response.get_data(as_text=True)
    claim = response.get_json()
    parsed = page(client, f"/read/articles/{article['id']}")
    parts: dict[int, str] = {}
    for attrs, text in parsed.find("mark", class_="claim"):
        parts[int(attrs["data-claim"])] = parts.get(int(attrs["data-claim"]), "") + text
    assert parts == {claim["id"]: claim["text"]}
    assert proposal_marks(parsed)[lopez["id"]] == lopez["text"]
    (body,) = parsed.find("div", id="body")
    assert body[1] == article["body"]


def test_a_proposal_of_a_claims_very_span_sits_inside_the_claims_highlight(client, seeded, writer):
    article, proposals = article_with_proposals(client, writer)
    carter = next(p for p in proposals if p["speaker"]["name"] == "John Carter")
    response = client.post(
        "/v1/claims",
        json={"article_id": article["id"], "text": carter["text"], "speaker_id": 1,
              "quote_type": "indirect"},
        headers=writer,
    )  # fmt: skip
    claim = response.get_json()
    parsed = page(client, f"/read/articles/{article['id']}")
    assert highlights(parsed) == {claim["id"]: carter["text"]}
    assert proposal_marks(parsed)[carter["id"]] == carter["text"]
    html = client.get(f"/read/articles/{article['id']}").get_data(as_text=True)
    assert f'data-claim="{claim["id"]}"' in html.split(f'data-proposal="{carter["id"]}"')[0]


def test_reviewed_proposals_leave_the_page_and_review_says_it_needs_javascript(
    client, seeded, writer
):
    article, proposals = article_with_proposals(client, writer)
    parsed = page(client, f"/read/articles/{article['id']}")
    (needs,) = parsed.find("p", class_="needs-script")
    assert "needs JavaScript" in needs[1]
    controls = parsed.find("div", class_="review-controls")
    assert len(controls) == 3 and all("hidden" in attrs for attrs, _ in controls)
    assert not parsed.find("button", class_="run-extractor")
    for proposal in proposals[:2]:
        assert (
            client.post(f"/v1/proposals/{proposal['id']}/reject", headers=writer).status_code == 200
        )
    accepted = client.post(f"/v1/proposals/{proposals[2]['id']}/accept", headers=writer)
    assert accepted.status_code == 201
    parsed = page(client, f"/read/articles/{article['id']}")
    assert proposal_marks(parsed) == {}
    assert highlights(parsed) == {accepted.get_json()["id"]: proposals[2]["text"]}
    (run,) = parsed.find("p", class_="review-controls")
    assert "hidden" in run[0] and "Run the extractor" in run[1]


def test_a_proposal_holding_a_script_is_shown_as_text(client, seeded, writer):
    body = REVIEWED_BODY.replace(
        "We will", "<script>alert(1)</script><img src=x onerror=alert(2)> We will"
    )
    article, proposals = article_with_proposals(client, writer, body)
    hostile = next(p for p in proposals if "<script>" in p["text"])
    html = client.get(f"/read/articles/{article['id']}").get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert proposal_marks(Page(html))[hostile["id"]] == hostile["text"]
