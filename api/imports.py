"""/v1/imports and `claims-api import`: articles with their claims from NDJSON, one article per
line, each line stored all-or-nothing with the validation and anchoring rules of single writes.

A request to /v1/imports is one transaction: every line is read and validated first, then the
lines kept are stored in batches, each a savepoint that a line refused by the database rolls
back alone; if the server fails part-way, nothing of the request is stored. The command, whose
files have no size limit, commits batch by batch instead: a run that stops part-way keeps the
batches before, and running it again stores the rest, since a stored line is left unchanged.
"""

import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from http import HTTPStatus
from pathlib import Path

import click
from flask import current_app, request
from flask.cli import with_appcontext
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import ValidationError
from peewee import IntegrityError, SqliteDatabase
from werkzeug.exceptions import HTTPException

from api.auth import key_prefix
from api.blueprint import Blueprint
from api.problems import error_items
from api.request_body import parse_json
from api.writes import BODY_ERRORS, errors, refuse_anchor_error
from models import database
from models.bulk import ClaimNotAnchored, ConflictingArticle, Imported, Importer, LineRefused
from models.db import start_query_budget
from schemas.interchange import MAX_CLAIMS_PER_LINE, ImportLine, ImportReport

NDJSON = "application/x-ndjson"
# Lines stored together: each batch holds the (SQLite) write lock for a fraction of a second.
LINES_PER_COMMIT = 200
CLAIMS_PER_COMMIT = 4000
IMPORT_CACHE_KIB = 64 * 1024  # SQLite page cache of `claims-api import`

blp = Blueprint(
    "imports",
    __name__,
    url_prefix="/v1/imports",
    description="Bulk import of articles with their claims.",
)

import_line_schema = ImportLine()


@blp.url_value_preprocessor
def allow_import_sized_bodies(endpoint, values) -> None:
    """An import body may be larger than other bodies. Set here, before the app's
    before_request functions run, one of which refuses bodies over the limit."""
    request.max_content_length = current_app.config["IMPORT_MAX_BYTES"]


@blp.route("")
class Imports(MethodView):
    @blp.doc(
        operationId="createImport",
        requestBody={
            "required": True,
            "description": (
                "NDJSON: one JSON object per line, each an article with its claims (at most "
                f"{MAX_CLAIMS_PER_LINE}). Blank lines are skipped. At most IMPORT_MAX_LINES "
                "lines (default 1000) and IMPORT_MAX_BYTES bytes (default 16 MiB) per request: "
                "a larger body is refused with 413 and nothing is stored. Larger archives: "
                "split them, or use `claims-api import FILE`. The answer is 200 with what "
                "became of each line if any line was stored; if none was, a problem whose "
                "`errors` name each line (`line`) and where in it (`pointer`).\n\n"
                "The request is one transaction: every line is read and validated before any is "
                "stored, and if the server fails part-way (a 5xx answer), nothing of it is stored. "
                "Sending the same body again is always safe: a line already stored is reported "
                "`unchanged` and nothing is stored twice. On SQLite other writes wait while the "
                "import is written (at most `DATABASE_BUSY_TIMEOUT_MS`, then 503)."
            ),
            "content": {NDJSON: {"schema": ImportLine}},
        },
    )
    @errors(blp, *BODY_ERRORS, 413)
    @blp.response(200, ImportReport)
    def post(self):
        """Import articles with their claims, one per NDJSON line, each line all-or-nothing

        Needs an API key with the `write` scope. If any line was stored, the answer is 200 with
        a report of every line: imported, or refused with the problem a single create would
        have answered (a refused line stores nothing; the others are kept). If every line was
        refused, the answer is that problem, its `errors` naming each line. A request that
        fails part-way (5xx) stores nothing, and sending it again is safe.
        """
        if request.mimetype != NDJSON:
            abort(415, message=f"Send the lines as `Content-Type: {NDJSON}`.")
        lines = request.get_data().splitlines()
        limit = current_app.config["IMPORT_MAX_LINES"]
        if sum(1 for line in lines if line.strip()) > limit:
            abort(413, message=f"At most {limit} lines per request; split the file.")
        budget = current_app.config["QUERY_TIME_BUDGET_MS"]
        # Read and checked before the transaction, which then holds the write lock only while
        # it writes.
        batches = list(line_batches(lines))
        with database.atomic():
            outcomes = import_batches(
                batches, Importer(key_prefix()), lambda: start_query_budget(budget)
            )
            result = report(outcomes)
        if result["summary"]["refused"] == result["summary"]["lines"]:
            refuse_every_line(result["lines"])
        return result


def refuse_every_line(outcomes: list[dict]) -> None:
    """When no line was stored, the request failed as a whole: a problem listing each line's
    errors (its status if all lines share one, else 422)."""
    if not outcomes:
        abort(422, message="The body holds no lines.")
    statuses = {outcome["problem"]["status"] for outcome in outcomes}
    items = []
    for outcome in outcomes:
        problem = outcome["problem"]
        for item in problem.get("errors") or [{"pointer": "#", "detail": problem["detail"]}]:
            items.append({"line": outcome["line"], **item})
    abort(
        statuses.pop() if len(statuses) == 1 else 422,
        message=f"No line was stored: all {len(outcomes)} were refused; `errors` says why.",
        errors=items,
    )


class LineProblem(Exception):
    """A line that is not a valid import line: (status, detail[, error items])."""


NumberedLines = list[tuple[int, "dict | LineProblem"]]  # (line number, the line or its problem)


def line_batches(lines: Iterable[bytes]) -> Iterator[NumberedLines]:
    """The non-blank lines, numbered and read (or refused), in the batches that are stored
    together: LINES_PER_COMMIT lines, or fewer once they hold CLAIMS_PER_COMMIT claims."""
    batch, claims = [], 0
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            line = parsed(raw)
            claims += len(line["claims"])
        except LineProblem as problem:
            line = problem
        batch.append((number, line))
        if len(batch) == LINES_PER_COMMIT or claims >= CLAIMS_PER_COMMIT:
            yield batch
            batch, claims = [], 0
    if batch:
        yield batch


def import_batches(
    batches: Iterable[NumberedLines], importer: Importer, before_batch=None
) -> Iterator[dict]:
    """Apply every batch, in order; yield what became of each line. Each batch is stored in a
    transaction (a savepoint, inside the caller's), which a refused line leaves no trace in."""
    for batch in batches:
        yield from batch_outcomes(batch, importer, before_batch)


def batch_outcomes(batch: NumberedLines, importer: Importer, before=None) -> list[dict]:
    """What became of each (number, line) of `batch`, the valid lines stored together."""
    lines = {number: line for number, line in batch if not isinstance(line, LineProblem)}
    results = []
    if lines:
        if before:
            before()
        try:
            with database.atomic():
                results = importer.apply(list(lines.values()))
        except IntegrityError:
            # Rows stored meanwhile by another writer: each line alone, to refuse only those.
            results = [applied_alone(line, importer) for line in lines.values()]
    outcomes = dict(zip(lines, results, strict=True))
    return [
        refused(number, *line.args)
        if isinstance(line, LineProblem)
        else outcome_of(number, outcomes[number])
        for number, line in batch
    ]


def parsed(raw: bytes) -> dict:
    """The import line `raw` holds, validated; raises LineProblem if it holds none."""
    try:
        document = parse_json(raw)
    except ValueError as error:
        raise LineProblem(400, f"The line is not JSON: {error}.") from None
    if not isinstance(document, dict):
        raise LineProblem(400, "The line is not a JSON object.")
    try:
        return import_line_schema.load(document)
    except ValidationError as error:
        items = error_items({"json": error.messages})
        raise LineProblem(422, "The line is not valid; `errors` says where.", items) from None


def applied_alone(line: dict, importer: Importer) -> Imported | LineRefused | IntegrityError:
    """`line` applied in a transaction of its own; the IntegrityError if the database
    refused it."""
    try:
        with database.atomic():
            return importer.apply([line])[0]
    except IntegrityError as error:
        return error


def outcome_of(number: int, result: Imported | LineRefused | IntegrityError) -> dict:
    """What became of a line: what it created, or the problem that refused it."""
    if isinstance(result, ClaimNotAnchored):
        return refused_anchor(number, result)
    if isinstance(result, ConflictingArticle):
        return refused(number, 409, str(result), [pointed(result)])
    if isinstance(result, LineRefused):
        return refused(number, 422, str(result), [pointed(result)])
    if isinstance(result, IntegrityError):
        detail = "The line conflicts with data stored meanwhile; nothing of it was stored."
        return refused(number, 409, detail)
    created = result.article_created or result.claims_created
    outcome = {
        "line": number,
        "status": "created" if created else "unchanged",
        "article_id": result.article_id,
        "article_created": result.article_created,
        "claims_created": result.claims_created,
        "claims_unchanged": result.claims_unchanged,
    }
    if result.proposals_pending is not None:
        outcome["proposals_pending"] = result.proposals_pending
    return outcome


def refused(number: int, status: int, detail: str, items: list | None = None) -> dict:
    """A refused line's outcome: an RFC 9457 problem about the line."""
    problem = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if items:
        problem["errors"] = items
    return {"line": number, "status": "refused", "problem": problem}


def pointed(refusal: LineRefused) -> dict:
    """The error item of a refusal: where in the line, and why."""
    return {"pointer": refusal.pointer, "detail": str(refusal)}


def refused_anchor(number: int, refusal: ClaimNotAnchored) -> dict:
    """The problem a single create would answer for this claim, pointing into the line."""
    try:
        refuse_anchor_error(refusal.error)
    except HTTPException as answer:
        items = [
            {**item, "pointer": item["pointer"].replace("#/", f"{refusal.pointer}/", 1)}
            for item in answer.data["errors"]
        ]
        return refused(number, answer.code, answer.data["message"], items)


SUMMARY_KEYS = ("lines", "created", "unchanged", "refused", "articles_created", "claims_created")


def tally(summary: Counter, outcome: dict) -> None:
    """Count one line's outcome into `summary`."""
    summary["lines"] += 1
    summary[outcome["status"]] += 1
    summary["articles_created"] += outcome.get("article_created", False)
    summary["claims_created"] += outcome.get("claims_created", 0)


def report(outcomes: Iterable[dict]) -> dict:
    """The lines' outcomes, and their totals."""
    lines, summary = [], Counter()
    for outcome in outcomes:
        lines.append(outcome)
        tally(summary, outcome)
    return {"lines": lines, "summary": {key: summary[key] for key in SUMMARY_KEYS}}


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--report",
    "report_file",
    type=click.File("w", encoding="utf-8"),
    help="Write what became of every line to this file, one JSON object per line.",
)
@with_appcontext
def import_command(file: Path, report_file):
    """Import an NDJSON file of articles with their claims, as POST /v1/imports does but
    without its size limits, committing batch by batch. Each line is stored all-or-nothing; a
    second run creates nothing, and completes a run that stopped part-way. Refused lines are
    listed on stderr; exits with status 1 if there were any."""
    summary = Counter()
    with (
        database.connection_context(),
        file.open("rb") as source,
        click.progressbar(
            length=file.stat().st_size, label=f"importing {file.name}", file=sys.stderr
        ) as progress,
    ):
        if isinstance(database.obj, SqliteDatabase):
            # Room for the index pages that an import adds to all over (those by speaker, by
            # date): SQLite's default cache of 2 MB would read them again for every batch.
            database.obj.pragma("cache_size", -IMPORT_CACHE_KIB)

        def read() -> Iterator[bytes]:
            for raw in source:
                progress.update(len(raw))
                yield raw

        for outcome in import_batches(line_batches(read()), Importer()):
            tally(summary, outcome)
            if report_file:
                report_file.write(json.dumps(outcome) + "\n")
            if outcome["status"] == "refused":
                problem = outcome["problem"]
                where = "; ".join(
                    f"{e['pointer']}: {e['detail']}" for e in problem.get("errors", [])
                )
                click.echo(
                    f"\nline {outcome['line']} refused: {problem['detail']} {where}", err=True
                )
    click.echo(", ".join(f"{summary[key]} {key.replace('_', ' ')}" for key in SUMMARY_KEYS))
    if summary["refused"]:
        raise SystemExit(1)
