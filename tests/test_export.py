"""Export: claim lists stream every match, unpaged, as NDJSON or CSV when asked for them."""

import csv
import io
import json

import pytest

from api.cli import main
from api.export import CSV_COLUMNS
from models import Claim, database
from tests.helpers import all_pages, assert_problem, error_parameters

NDJSON = {"Accept": "application/x-ndjson"}
CSV = {"Accept": "text/csv"}


def ndjson(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/x-ndjson"
    text = response.get_data(as_text=True)
    assert text == "" or text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    reader = csv.DictReader(io.StringIO(response.get_data(as_text=True), newline=""))
    assert tuple(reader.fieldnames) == CSV_COLUMNS
    return list(reader)


@pytest.fixture
def small_batches(seeded):
    """Exports read 4 rows per query, so the 19 seed claims take several batches."""
    seeded.config["EXPORT_BATCH_ROWS"] = 4
    return seeded


def test_ndjson_streams_every_claim_unpaged_in_id_order_as_the_json_shows_it(client, small_batches):
    every = all_pages(client, "/v1/claims?limit=7")
    streamed = ndjson(client.get("/v1/claims", headers=NDJSON))
    assert streamed == every
    assert len(streamed) == 19


def test_csv_has_a_header_and_one_row_per_claim_with_references_flattened(client, small_batches):
    every = all_pages(client, "/v1/claims")
    rows = csv_rows(client.get("/v1/claims", headers=CSV))
    assert [int(row["id"]) for row in rows] == [claim["id"] for claim in every]
    for row, claim in zip(rows, every, strict=True):
        assert row["text"] == claim["text"]  # quotes, commas and newlines survive
        assert (row["prefix"], row["suffix"]) == (claim["prefix"], claim["suffix"])
        assert int(row["start"]) == claim["start"] and int(row["end"]) == claim["end"]
        assert int(row["speaker_id"]) == claim["speaker"]["id"]
        assert row["speaker_name"] == claim["speaker"]["name"]
        assert row["article_url"] == claim["article"]["url"]
        assert row["outlet_name"] == claim["outlet"]["name"]
        assert row["via_name"] == (claim["via"]["name"] if claim["via"] else "")
        assert row["stated_on"] == (claim["stated_on"] or "")


def test_filters_apply_to_streams(client, small_batches):
    voa = client.get("/v1/outlets").get_json()["data"][1]
    expected = all_pages(client, f"/v1/claims?outlet_id={voa['id']}&quote_type=indirect")
    streamed = ndjson(
        client.get(f"/v1/claims?outlet_id={voa['id']}&quote_type=indirect", headers=NDJSON)
    )
    assert streamed == expected and len(expected) > 4
    rows = csv_rows(client.get("/v1/claims?cue=TOLD", headers=CSV))
    assert {row["cue"] for row in rows} == {"told"} and len(rows) == 2


def test_nested_claim_lists_stream_too(client, small_batches):
    for resource in ("speakers", "articles", "outlets"):
        parent = client.get(f"/v1/{resource}").get_json()["data"][0]["id"]
        url = f"/v1/{resource}/{parent}/claims"
        assert ndjson(client.get(url, headers=NDJSON)) == all_pages(client, url)
        assert len(csv_rows(client.get(url, headers=CSV))) == len(all_pages(client, url))


def test_a_cursor_starts_the_stream_after_it(client, small_batches):
    first = client.get("/v1/claims?limit=5").get_json()
    rest = ndjson(client.get(f"/v1/claims?cursor={first['next_cursor']}", headers=NDJSON))
    assert first["data"] + rest == all_pages(client, "/v1/claims")


def test_no_match_is_an_empty_stream(client, seeded):
    assert ndjson(client.get("/v1/claims?q=no-such-words", headers=NDJSON)) == []
    assert csv_rows(client.get("/v1/claims?q=no-such-words", headers=CSV)) == []


def test_json_is_the_default_and_the_clients_preference_wins(client, seeded):
    for accept in (None, "*/*", "application/json", "application/*", "text/csv;q=0.5, */*"):
        headers = {"Accept": accept} if accept else {}
        response = client.get("/v1/claims", headers=headers)
        assert response.mimetype == "application/json", accept
        assert len(response.get_json()["data"]) == 19
        assert response.headers["Vary"] == "Accept"
    preferred = client.get("/v1/claims", headers={"Accept": "text/csv;q=0.5, application/x-ndjson"})
    assert len(ndjson(preferred)) == 19


def test_a_media_type_the_list_does_not_offer_is_406(client, seeded):
    for accept in ("text/html", "application/xml", "application/ld+json"):
        body = assert_problem(client.get("/v1/claims", headers={"Accept": accept}), 406)
        assert "text/csv" in body["detail"]
    assert_problem(client.get("/v1/speakers/1/claims", headers={"Accept": "image/png"}), 406)


def test_a_stream_has_no_pages_so_limit_is_422(client, seeded):
    body = assert_problem(client.get("/v1/claims?limit=10", headers=NDJSON), 422)
    assert error_parameters(body) == {"limit"}


def test_bad_filters_are_422_whatever_the_media_type(client, seeded):
    body = assert_problem(client.get("/v1/claims?quote_type=shouted", headers=CSV), 422)
    assert error_parameters(body) == {"quote_type"}
    assert_problem(client.get("/v1/articles/31337/claims", headers=NDJSON), 404)


def test_a_finished_stream_leaves_no_connection_open(client, small_batches):
    ndjson(client.get("/v1/claims", headers=NDJSON))
    assert database.is_closed()


def test_the_stream_reads_one_batch_at_a_time_as_it_is_sent(client, small_batches):
    every = [claim["id"] for claim in all_pages(client, "/v1/claims")]
    chunks = iter(client.get("/v1/claims", headers=NDJSON).response)
    first_batch = [json.loads(line)["id"] for line in next(chunks).splitlines()]
    assert first_batch == every[:4]
    with database.connection_context():  # between two batches, a later claim goes away
        Claim.delete().where(Claim.id == every[5]).execute()
    rest = [json.loads(line)["id"] for chunk in chunks for line in chunk.splitlines()]
    assert first_batch + rest == every[:5] + every[6:]


def test_export_command_writes_what_the_api_streams(app, client, small_batches, tmp_path):
    target = tmp_path / "claims.ndjson"
    result = app.test_cli_runner().invoke(main, ["export", "quote_type=direct", "-o", str(target)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert lines == ndjson(client.get("/v1/claims?quote_type=direct", headers=NDJSON))
    as_csv = app.test_cli_runner().invoke(main, ["export", "--format", "csv", "cue=told"])
    assert as_csv.exit_code == 0, as_csv.output
    assert as_csv.output.splitlines()[0] == ",".join(CSV_COLUMNS)


def test_export_command_refuses_bad_filters(app, seeded):
    result = app.test_cli_runner().invoke(main, ["export", "quote_type=shouted"])
    assert result.exit_code == 2
    assert "quote_type" in result.output
