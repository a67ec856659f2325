"""Content negotiation for claim lists: a JSON page by default, or, for `application/x-ndjson`
and `text/csv`, every match streamed in id order in constant memory.

A stream holds a server thread as long as the client reads, so exports have a budget of their
own beside the rate limit (which counts one export as one request): each takes an export slot
from the machine's counters (api/counters.py, shared by every worker), at most
EXPORT_CONCURRENCY at once per key or address and EXPORT_MACHINE_CONCURRENCY in all (429 with
Retry-After beyond); and a client without a key may export at most EXPORT_ANONYMOUS_MAX_ROWS
claims at once (401 beyond: send a key, or narrow the filters).
"""

import csv
import io
import json
import sqlite3
from collections.abc import Iterable, Iterator

import click
from flask import Response, current_app, jsonify, request
from flask.cli import with_appcontext
from flask_smorest import abort
from marshmallow import ValidationError

from api.auth import REALM, current_key
from api.config import Config
from api.pagination import next_link
from models import Claim, database
from models.bulk import attributed_batches
from models.db import start_query_budget
from schemas.claim import ClaimQuery, ClaimSchema, claim_document
from schemas.common import encode_cursor
from schemas.interchange import CSV_COLUMNS, ClaimCsvRow

# A slot outlives a process that dies holding it by this long; a live export renews it per batch.
EXPORT_LEASE_SECONDS = 120
EXPORT_RETRY_SECONDS = 5
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
                " Exports have a budget "
                "of their own: a client (key, or address without one) may run "
                f"{Config.EXPORT_CONCURRENCY} at once, and the server "
                f"{Config.EXPORT_MACHINE_CONCURRENCY} in all by default; another is a 429 "
                "with `Retry-After`. Without a key, an export may match at most "
                f"{Config.EXPORT_ANONYMOUS_MAX_ROWS:,} claims by default; more is a 401: send a "
                "key, or narrow the filters."
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
    check_anonymous_export_size(query, cursor)
    slots, slot = take_export_slot()
    try:
        batches = attributed_batches(query, current_app.config["EXPORT_BATCH_ROWS"], after=cursor)
        response = stream(
            batches,
            RENDERERS[media_type],
            media_type,
            lambda: slots.renew_slot(slot, EXPORT_LEASE_SECONDS),
        )
    except BaseException:
        slots.release_slot(slot)
        raise
    response.call_on_close(lambda: slots.release_slot(slot))  # finished, failed or cut off
    return response


def check_anonymous_export_size(query, cursor: int | None) -> None:
    """401 if the client has no key and the export would hold more than
    EXPORT_ANONYMOUS_MAX_ROWS claims."""
    if current_key() is not None:
        return
    most = current_app.config["EXPORT_ANONYMOUS_MAX_ROWS"]
    if cursor is not None:
        query = query.where(Claim.id > cursor)
    beyond = query.select(Claim.id).order_by(Claim.id).offset(most).limit(1)
    if beyond.first() is not None:
        abort(
            401,
            message=f"This export matches more than {most} claims, the most a client without "
            "an API key may export at once: send `Authorization: Bearer <key>`, or narrow the "
            "filters (e.g. `since` and `until`).",
            headers={"WWW-Authenticate": REALM},
        )


def take_export_slot():
    """(the machine's counters, a slot taken in them) for this client's export, or a 429
    problem when the client or the machine runs as many exports as it may (503 if the
    counters file fails)."""
    config, key = current_app.config, current_key()
    holder = f"key:{key.prefix}" if key else f"address:{request.remote_addr}"
    slots = current_app.extensions["machine_counters"]
    per_client, in_all = config["EXPORT_CONCURRENCY"], config["EXPORT_MACHINE_CONCURRENCY"]
    try:
        slot = slots.take_slot(holder, per_client, in_all, EXPORT_LEASE_SECONDS)
    except sqlite3.Error as error:
        current_app.logger.error("export slots: the counters file failed (%s)", error)
        abort(503, message="Exports are unavailable for a moment; try again shortly.",
              headers={"Retry-After": "1"})  # fmt: skip
    if slot is None:
        abort(
            429,
            message=f"Too many exports at once: a client may run {per_client} and the server "
            f"{in_all} in all; retry when one has finished (see Retry-After).",
            headers={"Retry-After": str(EXPORT_RETRY_SECONDS)},
        )
    return slots, slot


def stream(batches: Iterator[list], render, media_type: str, on_batch=lambda: None) -> Response:
    """A response that renders `batches` as they are read, calling `on_batch` before each."""
    budget = current_app.config["QUERY_TIME_BUDGET_MS"]
    # Read the first batch now, while a failing database can still be answered with a problem.
    first = next(batches, [])

    def budgeted() -> Iterator[list]:
        yield first
        while True:
            on_batch()
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
