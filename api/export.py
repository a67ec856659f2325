"""Content negotiation for claim lists: a JSON page by default, or, for `application/x-ndjson`
and `text/csv`, every match streamed in id order in constant memory."""

import csv
import io
import json
from collections.abc import Iterable, Iterator

import click
from flask import Response, current_app, jsonify, request
from flask.cli import with_appcontext
from flask_smorest import abort
from marshmallow import ValidationError

from api.pagination import next_link
from models import Claim, database
from models.bulk import attributed_batches
from models.db import start_query_budget
from schemas.claim import ClaimQuery, ClaimSchema, claim_document
from schemas.common import encode_cursor
from schemas.interchange import CSV_COLUMNS, ClaimCsvRow

JSON, NDJSON, CSV = "application/json", "application/x-ndjson", "text/csv"
LIST_MEDIA_TYPES = (JSON, NDJSON, CSV)

# Added to a claim list's documentation: the streamed alternatives to the JSON page.
STREAMED_LIST_DOC = {
    "responses": {
        200: {
            "description": (
                "A page as JSON; or, with `Accept: application/x-ndjson` or `text/csv`, every "
                "match in id order, unpaged and streamed (`cursor` starts after it, `limit` is "
                "refused). NDJSON lines are the claims exactly as JSON shows them. CSV columns: "
                + ", ".join(CSV_COLUMNS)
                + ". So that no spreadsheet runs a cell as a formula (OWASP's CSV injection), "
                "a CSV text cell that would begin with `=`, `+`, `-`, `@`, a tab or a carriage "
                "return is written with a `'` in front; every other cell holds the exact text."
            ),
            "content": {
                NDJSON: {"schema": ClaimSchema},
                CSV: {"schema": {"type": "string", "contentMediaType": CSV}},
            },
        }
    }
}


def negotiate(offered: tuple[str, ...]) -> str:
    """The media type to answer in: the client's best choice among `offered` (the first if it
    states no preference), or a 406 problem if it accepts none of them."""
    accept = request.accept_mimetypes
    if not accept.provided:
        return offered[0]
    chosen = accept.best_match(offered)
    if chosen is None:
        abort(406, message=f"This resource is available as {', '.join(offered)}.")
    return chosen


def claims_page_or_stream(limit: int, cursor: int | None, **filters):
    """A list view's answer for the claims passing `filters` (those of `Claim.matching`), in
    the media type the client asked for."""
    media_type = negotiate(LIST_MEDIA_TYPES)
    if media_type == JSON:
        rows = Claim.attributed_rows(after=cursor, limit=limit + 1, **filters)
        page = [claim_document(row) for row in rows[:limit]]
        next_cursor = encode_cursor(page[-1]["id"]) if len(rows) > limit else None
        # Already the documents ClaimPage describes: answered as they are, not dumped again.
        body = jsonify({"data": page, "next_cursor": next_cursor})
        return body, {**next_link(next_cursor), "Vary": "Accept"}
    if "limit" in request.args:
        abort(422, messages={"query": {"limit": ["A stream has no pages: leave out `limit`."]}})
    query = Claim.matching(**filters)
    batches = attributed_batches(query, current_app.config["EXPORT_BATCH_ROWS"], after=cursor)
    return stream(batches, RENDERERS[media_type], media_type)


def stream(batches: Iterator[list], render, media_type: str) -> Response:
    """A response that renders `batches` as they are read."""
    budget = current_app.config["QUERY_TIME_BUDGET_MS"]
    # Read the first batch now, while a failing database can still be answered with a problem.
    first = next(batches, [])

    def budgeted() -> Iterator[list]:
        yield first
        while True:
            start_query_budget(budget)  # each batch may take what a whole request may
            batch = next(batches, None)
            if batch is None:
                return
            yield batch

    def body() -> Iterator[str]:
        # The request's connection is closed at teardown, before the body is sent.
        with database.connection_context():
            yield from render(budgeted())

    return Response(body(), mimetype=media_type, headers={"Vary": "Accept"})


def ndjson_lines(batches: Iterable[list]) -> Iterator[str]:
    """One JSON claim per line, as `GET /v1/claims/{id}` shows it."""
    schema = ClaimSchema(many=True)
    for batch in batches:
        yield "".join(json.dumps(claim, ensure_ascii=False) + "\n" for claim in schema.dump(batch))


# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    """`value` as a CSV cell that no spreadsheet runs: text beginning with a formula character
    gets a leading `'` (OWASP's advice, shown as text by spreadsheets); other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(batches: Iterable[list]) -> Iterator[str]:
    """A header row, then one RFC 4180 row per claim, its cells safe for spreadsheets."""
    schema, buffer = ClaimCsvRow(many=True), io.StringIO()
    writer = csv.DictWriter(buffer, CSV_COLUMNS)
    writer.writeheader()
    for batch in batches:
        writer.writerows(
            {column: spreadsheet_cell(value) for column, value in row.items()}
            for row in schema.dump(batch)
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


RENDERERS = {NDJSON: ndjson_lines, CSV: csv_lines}


@click.command("export")
@with_appcontext
@click.argument("filters", nargs=-1, metavar="[NAME=VALUE]...")
@click.option("--format", "kind", type=click.Choice(["ndjson", "csv"]), default="ndjson")
@click.option("--output", "-o", type=click.File("w", encoding="utf-8", lazy=True), default="-")
def export_command(filters: tuple[str, ...], kind: str, output):
    """Write every claim matching the filters (named as GET /v1/claims names them) as NDJSON or
    CSV, e.g. `claims-api export speaker_id=3 quote_type=direct --format csv -o claims.csv`."""
    pairs = dict(part.partition("=")[::2] for part in filters)
    try:
        chosen = ClaimQuery(exclude=("limit", "cursor")).load(pairs)
    except ValidationError as error:
        raise click.BadParameter(json.dumps(error.messages), param_hint="filters") from None
    render = RENDERERS[NDJSON if kind == "ndjson" else CSV]
    with database.connection_context():
        for chunk in render(attributed_batches(Claim.matching(**chosen))):
            output.write(chunk)
