"""POST /v1/extractions and `claims-api extract`: proposed attributions of a text or a stored
article, computed and never stored, within the size and time limits of one extraction."""

import json
import urllib.request

import pytest

from api.cli import main as claims_api
from models import Article, Outlet, Proposal, Speaker, database
from tests.helpers import assert_problem, error_pointers, stored_rows

VOA_URL = "urn:claims-api:seed:001_6a3fc99cb0af5862"
KHASHAN = (
    "the recapture of Boukamal represents a major victory for regional power-broker and ally Iran",
    "Now the Iraqis and Syrians have connected [at Boukamal], it means that the road has become "
    "wide open from Tehran to Beirut, and that represents a major victory for Iran in the Middle "
    "East.",
    "Saudi Arabia and Israel are likely to be upset by the key strategic victory of Iran in the "
    "region and that both will be worried about Tehran moving weapons along its newly won "
    "corridor to the Mediterranean Sea",
)
SHAABAN = (
    "Turkish forces are on Syrian soil 'illegally,' in the same way that American forces are on "
    "our soil illegally."
)
# A text of our own: a direct quote with a post-posed cue, then an indirect one.
TEXT = (
    'The harbour will reopen on Monday. "The repairs are finished," said Ana Ruiz, the port '
    "director.\n\nRuiz added that ferries would run every hour."
)


def seeded_ids() -> dict[str, int]:
    with database.connection_context():
        return {
            "voa": Article.get(Article.url == VOA_URL).id,
            "khashan": Speaker.get(Speaker.slug == "hilal-khashan").id,
            "shaaban": Speaker.get(Speaker.slug == "bouthaina-shaaban").id,
            "al-mayadeen": Outlet.get(Outlet.slug == "al-mayadeen").id,
        }


def proposals_of(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["data"]


def assert_spans_of(text: str, proposal: dict) -> None:
    """Every span of a proposal is the text at its offsets."""
    assert text[proposal["start"] : proposal["end"]] == proposal["text"]
    for part in ("cue", "source"):
        span = proposal[part]
        assert text[span["start"] : span["end"]] == span["text"]


def test_the_seed_article_gives_khashans_statements_with_his_id_and_shaabans_via_al_mayadeen(
    client, seeded
):
    ids = seeded_ids()
    proposals = proposals_of(client.post("/v1/extractions", json={"article_id": ids["voa"]}))
    by_text = {proposal["text"]: proposal for proposal in proposals}
    for text in KHASHAN:
        assert by_text[text]["speaker"]["id"] == ids["khashan"]
    shaaban = by_text[SHAABAN]
    assert shaaban["speaker"]["id"] == ids["shaaban"]
    assert shaaban["via"] == {"id": ids["al-mayadeen"], "name": "Al Mayadeen"}
    with database.connection_context():
        body = Article.get_by_id(ids["voa"]).body
    for proposal in proposals:
        assert_spans_of(body, proposal)


def test_a_text_gives_proposals_shaped_like_claims_with_offsets_into_it(client, app):
    proposals = proposals_of(client.post("/v1/extractions", json={"text": TEXT}))
    assert [proposal["text"] for proposal in proposals] == [
        "The repairs are finished",
        "ferries would run every hour",
    ]
    for proposal in proposals:
        assert proposal.keys() == {
            *("text", "start", "end", "quote_type", "cue", "source"),
            *("speaker", "via", "confidence"),
        }
        assert_spans_of(TEXT, proposal)
        assert 0 <= proposal["confidence"] <= 1
        assert proposal["speaker"] == {"id": None, "name": "Ana Ruiz", "kind": "person"}
    assert [proposal["quote_type"] for proposal in proposals] == ["direct", "indirect"]


def test_extraction_stores_nothing(client, seeded):
    before = stored_rows()
    proposals_of(client.post("/v1/extractions", json={"article_id": seeded_ids()["voa"]}))
    proposals_of(client.post("/v1/extractions", json={"text": TEXT}))
    assert stored_rows() == before


def test_extraction_needs_no_key_but_a_key_sent_must_be_valid(client, app):
    assert client.post("/v1/extractions", json={"text": TEXT}).status_code == 200
    refused = client.post(
        "/v1/extractions", json={"text": TEXT}, headers={"Authorization": "Bearer ck_nonsense"}
    )
    assert_problem(refused, 401)


def test_extraction_needs_a_read_key_when_reads_do(app_with, issue_key):
    client = app_with(REQUIRE_AUTH_FOR_READS=True).test_client()
    assert_problem(client.post("/v1/extractions", json={"text": TEXT}), 401)
    reader = {"Authorization": f"Bearer {issue_key('read')}"}
    assert client.post("/v1/extractions", json={"text": TEXT}, headers=reader).status_code == 200


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "a quote\x00"])
def test_empty_blank_or_control_character_text_is_422(client, app, text):
    problem = assert_problem(client.post("/v1/extractions", json={"text": text}), 422)
    assert error_pointers(problem) == {"#/text"}


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({}, "#/text"),
        ({"text": TEXT, "article_id": 1}, "#/article_id"),
        ({"text": TEXT, "speaker_id": 1}, "#/speaker_id"),
        ({"article_id": "1"}, "#/article_id"),
        ({"text": 3}, "#/text"),
    ],
)
def test_neither_both_unknown_or_mistyped_fields_are_422(client, app, body, pointer):
    problem = assert_problem(client.post("/v1/extractions", json=body), 422)
    assert pointer in error_pointers(problem)


def test_an_unknown_article_is_422_pointing_at_article_id(client, seeded):
    problem = assert_problem(client.post("/v1/extractions", json={"article_id": 999}), 422)
    assert error_pointers(problem) == {"#/article_id"}


def test_malformed_json_is_400_and_another_content_type_415(client, app):
    assert_problem(client.post("/v1/extractions", data="{", content_type="application/json"), 400)
    assert_problem(client.post("/v1/extractions", data=TEXT, content_type="text/plain"), 415)


def test_a_text_over_the_limit_is_413_and_changes_nothing(app_with, seeded):
    client = app_with(EXTRACTION_MAX_CHARACTERS=len(TEXT) - 1).test_client()
    before = stored_rows()
    problem = assert_problem(client.post("/v1/extractions", json={"text": TEXT}), 413)
    assert f"{len(TEXT)} code points" in problem["detail"]
    assert stored_rows() == before


def test_the_limit_counts_code_points_not_bytes(app_with, app):
    text = "Ana Ruiz said: “Über alles ist fertig.”"
    assert len(text.encode()) > len(text)
    client = app_with(EXTRACTION_MAX_CHARACTERS=len(text)).test_client()
    assert client.post("/v1/extractions", json={"text": text}).status_code == 200


def test_an_article_over_the_limit_is_422_pointing_at_article_id(app_with, seeded):
    client = app_with(EXTRACTION_MAX_CHARACTERS=100).test_client()
    body = {"article_id": seeded_ids()["voa"]}
    problem = assert_problem(client.post("/v1/extractions", json=body), 422)
    assert error_pointers(problem) == {"#/article_id"}


def test_an_extraction_over_its_time_budget_is_503(app_with, app):
    client = app_with(EXTRACTION_TIME_BUDGET_MS=1).test_client()
    long_text = "\n\n".join(f'"Part {n} is done," Ana Ruiz said.' for n in range(4000))
    response = client.post("/v1/extractions", json={"text": long_text})
    problem = assert_problem(response, 503)
    assert "1 ms" in problem["detail"]
    assert response.headers["Retry-After"]


def test_the_spec_documents_extraction_as_a_read_with_its_errors(client, app):
    operation = client.get("/openapi.json").get_json()["paths"]["/v1/extractions"]["post"]
    assert operation["security"] == [{}, {"bearerAuth": []}]
    assert {"400", "401", "413", "415", "422", "429", "503"} <= operation["responses"].keys()


def test_the_seed_article_is_extracted_over_http_by_a_live_server(gunicorn, seeded):
    base, _ = gunicorn()
    ids = seeded_ids()
    request = urllib.request.Request(
        f"{base}/v1/extractions",
        data=json.dumps({"article_id": ids["voa"]}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        proposals = json.load(response)["data"]
    speakers = {proposal["text"]: proposal["speaker"]["id"] for proposal in proposals}
    assert all(speakers[text] == ids["khashan"] for text in KHASHAN)


def test_the_cli_prints_a_files_proposals_as_ndjson(app, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(TEXT, encoding="utf-8")
    from_file = app.test_cli_runner().invoke(claims_api, ["extract", str(path)])
    from_stdin = app.test_cli_runner().invoke(claims_api, ["extract", "-"], input=TEXT)
    assert from_file.exit_code == 0, from_file.output
    assert from_stdin.output == from_file.output
    lines = [json.loads(line) for line in from_file.output.splitlines()]
    assert [line["text"] for line in lines] == [
        "The repairs are finished",
        "ferries would run every hour",
    ]
    for line in lines:
        assert_spans_of(TEXT, line)


def test_the_cli_prints_an_articles_proposals_and_stores_them_only_when_asked(seeded):
    with database.connection_context():
        outlet = Outlet.get(Outlet.slug == "voa")
        stored_article = Article.create(
            outlet=outlet, url="https://example.org/h", headline="H", body=TEXT
        )
    runner = seeded.test_cli_runner()
    article = ["extract", "--article", str(stored_article.id)]
    printed = runner.invoke(claims_api, article)
    assert printed.exit_code == 0, printed.output
    with database.connection_context():
        assert not Proposal.select().exists()
    stored = runner.invoke(claims_api, [*article, "--store"])
    again = runner.invoke(claims_api, [*article, "--store"])
    assert stored.exit_code == again.exit_code == 0
    lines = [json.loads(line) for line in stored.output.splitlines()]
    assert [line["text"] for line in lines] == [
        json.loads(line)["text"] for line in printed.output.splitlines()
    ]
    assert lines and {line["status"] for line in lines} == {"pending"}
    assert again.output == stored.output  # the same proposals, stored once
    with database.connection_context():
        assert Proposal.select().count() == len(lines)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([], "give a FILE"),
        (["-", "--article", "1"], "give a FILE"),
        (["-", "--store"], "--store"),
        (["--article", "999"], "no article with id 999"),
    ],
)
def test_the_cli_refuses_what_it_cannot_do(seeded, arguments, message):
    result = seeded.test_cli_runner().invoke(claims_api, ["extract", *arguments], input="")
    assert result.exit_code != 0
    assert message in result.output
