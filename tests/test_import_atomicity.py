"""POST /v1/imports is one transaction: an import that makes the server fail part-way stores
nothing, even of the batches before the failure, and the same import sent again then stores
each line once."""

from api.imports import LINES_PER_COMMIT
from models import database
from tests.conftest import ON_POSTGRES
from tests.helpers import assert_problem, stored_rows
from tests.test_import import article, counts, ndjson, post, refuse_article_inserts

# One batch more than a commit holds, the last line in the second batch.
LINES = [article(number) for number in range(1, LINES_PER_COMMIT + 2)]
FAILING = LINES[-1]


def fail_on_insert(url: str) -> None:
    """Make the server fail (not refuse a conflict) when it stores an article at `url`."""
    with database.connection_context():
        if ON_POSTGRES:
            database.execute_sql(
                "CREATE FUNCTION server_fails() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN IF NEW.url = '{url}' THEN RAISE EXCEPTION 'the server fails'; END IF; "
                "RETURN NEW; END $$"
            )
            database.execute_sql(
                "CREATE TRIGGER server_fails BEFORE INSERT ON article "
                "FOR EACH ROW EXECUTE FUNCTION server_fails()"
            )
        else:
            # abs() of the smallest integer overflows: an error, not a constraint.
            database.execute_sql(
                f"CREATE TRIGGER server_fails BEFORE INSERT ON article WHEN NEW.url = '{url}' "
                "BEGIN SELECT abs(-9223372036854775808); END"
            )


def stop_failing() -> None:
    with database.connection_context():
        database.execute_sql("DROP TRIGGER server_fails" + (" ON article" if ON_POSTGRES else ""))
        if ON_POSTGRES:
            database.execute_sql("DROP FUNCTION server_fails()")


def serve_failures(app) -> None:
    """Answer an unexpected error with a 500, as a served app does, instead of raising it
    into the test."""
    app.config["PROPAGATE_EXCEPTIONS"] = False


def test_an_import_that_fails_part_way_stores_nothing(client, seeded, writer):
    serve_failures(seeded)
    fail_on_insert(FAILING["url"])
    before = stored_rows()

    response = post(client, writer, ndjson(*LINES))

    assert response.status_code >= 500
    assert_problem(response, response.status_code)
    assert stored_rows() == before


def test_the_same_import_sent_again_after_a_failure_stores_each_line_once(client, app, writer):
    serve_failures(app)
    fail_on_insert(FAILING["url"])
    assert post(client, writer, ndjson(*LINES)).status_code >= 500
    stop_failing()

    again = post(client, writer, ndjson(*LINES))

    assert again.status_code == 200, again.get_data(as_text=True)
    assert again.get_json()["summary"]["created"] == len(LINES)
    assert counts() == (len(LINES), 2 * len(LINES), 2)
    once_more = post(client, writer, ndjson(*LINES)).get_json()
    assert once_more["summary"]["unchanged"] == len(LINES)
    assert counts() == (len(LINES), 2 * len(LINES), 2)


def test_a_line_the_database_refuses_in_a_later_batch_is_refused_alone(client, app, writer):
    refuse_article_inserts(FAILING["url"])
    lines = [*LINES, article(len(LINES) + 1)]

    report = post(client, writer, ndjson(*lines)).get_json()

    statuses = [line["status"] for line in report["lines"]]
    assert statuses == ["created"] * LINES_PER_COMMIT + ["refused", "created"]
    assert report["lines"][LINES_PER_COMMIT]["problem"]["status"] == 409
    assert counts() == (len(lines) - 1, 2 * (len(lines) - 1), 2)
