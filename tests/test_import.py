"""Bulk import: NDJSON lines of articles with their claims, each line all-or-nothing, with the
rules of single writes; a re-run creates nothing."""

import json

import pytest

from api.cli import main
from models import Article, Claim, Revision, Speaker, database
from tests.conftest import ON_POSTGRES
from tests.helpers import all_pages, assert_problem

NDJSON = "application/x-ndjson"
BODY = (
    "The minister said the border crossing would reopen on Monday. Officials told reporters "
    "that the talks had failed. The minister said the border crossing would reopen on Monday."
)


def article(number: int = 1, **fields) -> dict:
    """An import line: a new article with two claims, its outlet and speakers new as well."""
    return {
        "outlet": {"name": "Border Post", "slug": "border-post", "country": "LB"},
        "url": f"https://border-post.example/news/{number}",
        "headline": f"Crossing to reopen ({number})",
        "body": BODY,
        "claims": [
            {
                "speaker": {"name": "The Minister", "kind": "person"},
                "text": "the border crossing would reopen on Monday",
                "start": BODY.index("the border"),
                "quote_type": "indirect",
                "cue": "said",
            },
            {
                "speaker": {"name": "Officials", "slug": "officials", "kind": "group"},
                "text": "the talks had failed",
                "quote_type": "indirect",
                "cue": "told",
            },
        ],
        **fields,
    }


def ndjson(*lines) -> bytes:
    return "".join(
        (line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines
    ).encode()


def post(client, writer, body: bytes):
    return client.post("/v1/imports", data=body, headers={**writer, "Content-Type": NDJSON})


def counts() -> tuple[int, int, int]:
    with database.connection_context():
        return Article.select().count(), Claim.select().count(), Speaker.select().count()


def test_each_line_creates_an_article_with_its_claims(client, app, writer):
    response = post(client, writer, ndjson(article(1), article(2)))
    assert response.status_code == 200, response.get_data(as_text=True)
    report = response.get_json()
    assert [line["status"] for line in report["lines"]] == ["created", "created"]
    first = report["lines"][0]
    assert first["line"] == 1 and first["article_created"] and first["claims_created"] == 2
    assert report["summary"] == {
        "lines": 2,
        "created": 2,
        "unchanged": 0,
        "refused": 0,
        "articles_created": 2,
        "claims_created": 4,
    }
    claims = all_pages(client, f"/v1/articles/{first['article_id']}/claims")
    assert [(claim["start"], claim["text"]) for claim in claims] == [
        (BODY.index("the border"), "the border crossing would reopen on Monday"),
        (BODY.index("the talks"), "the talks had failed"),
    ]
    assert claims[0]["speaker"]["name"] == "The Minister"
    assert claims[0]["outlet"]["name"] == "Border Post"
    assert counts() == (2, 4, 2)  # outlets and speakers given in full are created once


def test_outlets_and_speakers_can_be_named_by_id_or_slug(client, app, writer):
    post(client, writer, ndjson(article(1)))
    officials = client.get("/v1/speakers?name=Officials").get_json()["data"][0]
    line = article(2, outlet="border-post")
    line["claims"][0]["speaker"] = "the-minister"
    line["claims"][1]["speaker"] = officials["id"]
    report = post(client, writer, ndjson(line)).get_json()
    assert report["lines"][0]["claims_created"] == 2
    assert counts() == (2, 4, 2)


def test_a_rerun_of_the_same_file_creates_nothing(client, app, writer):
    body = ndjson(article(1), article(2))
    post(client, writer, body)
    again = post(client, writer, body).get_json()
    assert [line["status"] for line in again["lines"]] == ["unchanged", "unchanged"]
    assert again["lines"][0]["claims_unchanged"] == 2
    assert again["summary"]["claims_created"] == again["summary"]["articles_created"] == 0
    assert counts() == (2, 4, 2)


def test_a_line_with_new_claims_for_a_stored_article_adds_only_those(client, app, writer):
    post(client, writer, ndjson(article(1)))
    line = article(1)
    line["claims"].append(
        {"speaker": "officials", "text": "The minister said", "start": 0, "quote_type": "direct"}
    )
    outcome = post(client, writer, ndjson(line)).get_json()["lines"][0]
    assert outcome["status"] == "created" and not outcome["article_created"]
    assert (outcome["claims_created"], outcome["claims_unchanged"]) == (1, 2)


def test_a_refused_line_stores_nothing_and_says_where_and_why(client, app, writer):
    ambiguous = article(2)
    ambiguous["claims"][0].pop("start")  # the sentence occurs twice in the body
    response = post(client, writer, ndjson(article(1), ambiguous, article(3)))
    lines = response.get_json()["lines"]
    assert [line["status"] for line in lines] == ["created", "refused", "created"]
    problem = lines[1]["problem"]
    assert lines[1]["line"] == 2 and problem["status"] == 422
    assert problem["errors"][0]["pointer"] == "#/claims/0/text"
    assert problem["errors"][0]["offsets"] == [BODY.index("the border"), BODY.rindex("the border")]
    assert "article_id" not in lines[1]
    with database.connection_context():
        assert not Article.select().where(Article.url == ambiguous["url"]).exists()
    assert counts() == (2, 4, 2)


def test_a_refused_line_creates_nothing_that_later_lines_could_name(client, app, writer):
    refused = article(1)
    refused["claims"][1]["text"] = "words nobody wrote"  # after both speakers, given in full
    naming = article(2)
    naming["claims"][0]["speaker"] = "the-minister"
    lines = post(client, writer, ndjson(refused, naming, article(3))).get_json()["lines"]
    assert [line["status"] for line in lines] == ["refused", "refused", "created"]
    assert lines[1]["problem"]["errors"][0]["pointer"] == "#/claims/0/speaker"
    assert counts() == (1, 2, 2)


def test_lines_of_one_body_may_give_claims_to_the_same_article(client, app, writer):
    first = article(1)
    first["claims"].pop()
    lines = post(client, writer, ndjson(first, article(1))).get_json()["lines"]
    assert [line["article_created"] for line in lines] == [True, False]
    assert [(line["claims_created"], line["claims_unchanged"]) for line in lines] == [
        (1, 0),
        (1, 1),
    ]
    assert lines[0]["article_id"] == lines[1]["article_id"]
    assert counts() == (1, 2, 2)


def refuse_article_inserts(url: str) -> None:
    """Make the database refuse to store an article at `url`, as a unique index refuses a row
    that another writer stored meanwhile."""
    with database.connection_context():
        if ON_POSTGRES:
            database.execute_sql(
                "CREATE FUNCTION stored_meanwhile() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN IF NEW.url = '{url}' THEN RAISE unique_violation; END IF; "
                "RETURN NEW; END $$"
            )
            database.execute_sql(
                "CREATE TRIGGER stored_meanwhile BEFORE INSERT ON article "
                "FOR EACH ROW EXECUTE FUNCTION stored_meanwhile()"
            )
        else:
            database.execute_sql(
                f"CREATE TRIGGER stored_meanwhile BEFORE INSERT ON article WHEN NEW.url = '{url}' "
                "BEGIN SELECT RAISE(ABORT, 'stored meanwhile'); END"
            )


def test_a_line_the_database_refuses_is_refused_alone(client, app, writer):
    refuse_article_inserts(article(2)["url"])
    lines = post(client, writer, ndjson(article(1), article(2), article(3))).get_json()["lines"]
    assert [line["status"] for line in lines] == ["created", "refused", "created"]
    assert lines[1]["problem"]["status"] == 409
    assert counts() == (2, 4, 2)


def test_every_rule_of_single_writes_applies(client, app, writer):
    not_in_body = article(1)
    not_in_body["claims"][1]["text"] = "the talks went well"
    bad_fields = article(2, url="ftp://example.org/a", outlet_id=1)
    bad_fields["claims"][0]["quote_type"] = "shouted"
    unknown_speaker = article(3)
    unknown_speaker["claims"][1]["speaker"] = "nobody-we-know"
    body = ndjson(not_in_body, bad_fields, unknown_speaker, article(4))
    lines = post(client, writer, body).get_json()["lines"]
    problems = [line["problem"] for line in lines[:3]]
    assert [problem["status"] for problem in problems] == [422, 422, 422]
    assert {error["pointer"] for error in problems[0]["errors"]} == {"#/claims/1/text"}
    assert {error["pointer"] for error in problems[1]["errors"]} == {
        "#/url",
        "#/outlet_id",
        "#/claims/0/quote_type",
    }
    assert problems[2]["errors"] == [
        {"pointer": "#/claims/1/speaker", "detail": "No speaker has the slug 'nobody-we-know'."}
    ]
    assert lines[3]["status"] == "created"
    assert counts() == (1, 2, 2)


def test_when_every_line_is_refused_the_answer_is_a_problem_naming_each_line(client, app, writer):
    not_in_body = article(1)
    not_in_body["claims"][1]["text"] = "the talks went well"
    response = post(client, writer, ndjson(not_in_body, "[]", article(2, headline="")))
    body = assert_problem(response, 422)
    assert [(error["line"], error["pointer"]) for error in body["errors"]] == [
        (1, "#/claims/1/text"),
        (2, "#"),
        (3, "#/headline"),
    ]
    assert counts() == (0, 0, 0)
    conflict = article(1, body=BODY + " More.")
    post(client, writer, ndjson(article(1)))
    assert_problem(post(client, writer, ndjson(conflict)), 409)
    assert_problem(post(client, writer, b"\n\n"), 422)


def test_lines_that_are_not_json_objects_are_refused_alone(client, app, writer):
    body = ndjson("{not json", "[1, 2]", "", article(1))
    lines = post(client, writer, body).get_json()["lines"]
    assert [(line["line"], line["status"]) for line in lines] == [
        (1, "refused"),
        (2, "refused"),
        (4, "created"),  # blank lines are skipped but counted
    ]
    assert lines[0]["problem"]["status"] == lines[1]["problem"]["status"] == 400


def test_a_stored_url_with_another_body_is_a_conflict(client, app, writer):
    post(client, writer, ndjson(article(1)))
    changed = article(1, body=BODY + " More text.")
    lines = post(client, writer, ndjson(changed, article(2))).get_json()["lines"]
    problem = lines[0]["problem"]
    assert problem["status"] == 409
    assert problem["errors"][0]["pointer"] == "#/url"
    with database.connection_context():
        assert Article.get(Article.url == changed["url"]).body == BODY


def test_imported_claims_have_their_creation_in_the_history(client, app, writer):
    report = post(client, writer, ndjson(article(1))).get_json()
    claim = all_pages(client, f"/v1/articles/{report['lines'][0]['article_id']}/claims")[0]
    with database.connection_context():
        (revision,) = Revision.of("claim", claim["id"])
    assert revision.action == "create" and revision.version == 1
    assert revision.changes["text"] == {"before": None, "after": claim["text"]}
    assert revision.api_key_prefix == writer["Authorization"].split()[1][3:11]


def test_imported_rows_have_the_creation_revisions_of_single_writes(client, app, writer):
    line = article(1, bylines=["A. Reporter"], published_on="2024-05-01")
    line["claims"][1]["speaker"]["aliases"] = ["The officials", "Officialdom"]
    report = post(client, writer, ndjson(line)).get_json()
    with database.connection_context():
        stored = Article.get_by_id(report["lines"][0]["article_id"])
        for row in [stored, *stored.claims, *Speaker.select()]:
            (revision,) = Revision.of(type(row).__name__.lower(), row.id)
            assert (revision.action, revision.version) == ("create", 1)
            assert revision.changes == {
                name: {"before": None, "after": value}
                for name, value in row.snapshot().items()
                if value is not None
            }
        officials = Speaker.get(Speaker.slug == "officials")
        (revision,) = Revision.of("speaker", officials.id)
    assert revision.changes["aliases"]["after"] == ["The officials", "Officialdom"]


def test_import_needs_a_write_key(client, app, issue_key):
    assert_problem(post(client, {}, ndjson(article(1))), 401)
    reader = {"Authorization": f"Bearer {issue_key('read')}"}
    assert_problem(post(client, reader, ndjson(article(1))), 403)
    assert counts() == (0, 0, 0)


def test_the_body_must_be_ndjson(client, app, writer):
    response = client.post("/v1/imports", json=article(1), headers=writer)
    assert_problem(response, 415)


def test_too_many_lines_or_bytes_is_413_and_stores_nothing(client, app, writer):
    app.config["IMPORT_MAX_LINES"] = 2
    assert_problem(post(client, writer, ndjson(article(1), article(2), article(3))), 413)
    app.config["IMPORT_MAX_BYTES"] = 1000
    assert_problem(post(client, writer, ndjson(article(1), article(2))), 413)
    assert counts() == (0, 0, 0)


def test_imports_have_their_own_body_limit(client, app, writer):
    app.config["MAX_CONTENT_LENGTH"] = 500  # what other requests may send
    response = post(client, writer, ndjson(article(1), article(2)))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["summary"]["articles_created"] == 2


@pytest.fixture
def archive(tmp_path):
    path = tmp_path / "archive.ndjson"
    refused = article(2)
    refused["claims"][1]["text"] = "words nobody wrote"
    path.write_bytes(ndjson(article(1), refused, article(3)))
    return path


def test_import_command_applies_the_same_rules_and_reports_refused_lines(app, archive, tmp_path):
    report = tmp_path / "report.ndjson"
    result = app.test_cli_runner().invoke(main, ["import", str(archive), "--report", str(report)])
    assert result.exit_code == 1
    assert "line 2 refused" in result.stderr and "#/claims/1/text" in result.stderr
    assert "3 lines, 2 created, 0 unchanged, 1 refused" in result.stdout
    outcomes = [json.loads(line) for line in report.read_text().splitlines()]
    assert [outcome["status"] for outcome in outcomes] == ["created", "refused", "created"]
    assert counts() == (2, 4, 2)


def test_import_command_rerun_creates_nothing(app, archive):
    runner = app.test_cli_runner()
    runner.invoke(main, ["import", str(archive)])
    again = runner.invoke(main, ["import", str(archive)])
    assert "0 created, 2 unchanged, 1 refused, 0 articles created, 0 claims created" in (
        again.stdout
    )
    assert counts() == (2, 4, 2)


def test_imported_claims_are_linked_to_the_entities_they_name(client, seeded, writer):
    line = article(1, body="The minister said Boukamal had fallen. Officials told us nothing.")
    line["claims"] = [
        {"speaker": "officials", "text": "nothing", "quote_type": "indirect"},
        {"speaker": {"name": "The Minister", "kind": "person"}, "text": "Boukamal had fallen"},
    ]
    line["claims"][0]["speaker"] = {"name": "Officials", "slug": "officials", "kind": "group"}
    line["claims"][1]["quote_type"] = "indirect"
    post(client, writer, ndjson(line))
    with database.connection_context():
        claim = Claim.get(Claim.text == "Boukamal had fallen")
        assert [mention.entity.slug for mention in claim.mentions] == ["abu-kamal"]
        assert not Claim.get(Claim.text == "nothing").mentions.exists()
