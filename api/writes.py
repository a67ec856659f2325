"""What every write shares: one transaction, locked rows, references checked, domain errors
answered with the status that fits, and the history of a resource.

A write runs in one transaction (BEGIN IMMEDIATE on SQLite, so it holds the write lock from its
first read). The row it changes is read with SELECT ... FOR UPDATE (a no-op on SQLite), so the
If-Match check and the change cannot be separated by another writer. (A version-guarded
UPDATE would do the same for one row, but a corrected article body moves many claims: locking
what is read is the one rule that covers both.)
"""

from contextlib import contextmanager
from http import HTTPStatus

from flask import url_for
from flask_smorest import abort
from peewee import IntegrityError

from api.pagination import paginate
from api.urls import public_url
from models import (
    AmbiguousText,
    AnchorError,
    BodyMoved,
    InUse,
    NotItsClaims,
    Revision,
    SpanOutsideBody,
    TextNotInBody,
    Unanchorable,
    database,
)

# Documented on every create: where the new resource lives.
LOCATION = {
    "Location": {
        "description": "The new resource's absolute URL, on the server's configured public URL "
        "(never on the `Host` the request named).",
        "schema": {"type": "string", "format": "uri"},
    }
}


@contextmanager
def write_transaction():
    """One write. A constraint our checks could not foresee (a concurrent writer stored the
    same slug, or deleted a referenced row, after the checks ran) is a 409, not a 500."""
    try:
        with database.atomic():
            yield
    except IntegrityError:
        abort(
            409,
            message="The change conflicts with data stored meanwhile "
            "(a duplicate, or a reference deleted); read the resources again and retry.",
        )


def name_of(model) -> str:
    return model.__name__.lower()


def for_update(query):
    """`query` locking the rows it reads until the transaction ends. SQLite has no row locks
    and needs none: BEGIN IMMEDIATE already holds its one write lock."""
    return query.for_update() if database.for_update else query


def locked(model, id: int):
    """The row with this id, locked until the transaction ends, or a 404."""
    row = for_update(model.select().where(model.id == id)).get_or_none()
    if row is None:
        abort(404, message=f"There is no {name_of(model)} with id {id}.")
    return row


def referenced(model, id: int | None, field: str, lock: bool = False):
    """The row a request body refers to by `field`, or a 422 pointing at that field."""
    if id is None:
        return None
    query = model.select().where(model.id == id)
    row = (for_update(query) if lock else query).get_or_none()
    if row is None:
        abort(
            422,
            message=f"`{field}` refers to no stored {name_of(model)}.",
            errors=[{"pointer": f"#/{field}", "detail": f"No {name_of(model)} has id {id}."}],
        )
    return row


def refuse_duplicate(model, field: str, value, id: int | None = None) -> None:
    """A 409 pointing at `field` if another row already has this unique value."""
    if value is None:
        return
    query = model.select(model.id).where(getattr(model, field) == value)
    if id is not None:
        query = query.where(model.id != id)
    other = query.first()
    if other is not None:
        abort(
            409,
            message=f"Another {name_of(model)} already has this {field}.",
            errors=[
                {"pointer": f"#/{field}", "detail": f"Already used by {name_of(model)} {other.id}."}
            ],
        )


def anchor_problem_item(error: AnchorError, at: str = "#") -> dict:
    """The error item of a claim that cannot be anchored, pointing at the field (under `at`,
    the claim in the request) that says why."""
    if isinstance(error, SpanOutsideBody):
        field = "start" if error.start < 0 else "end"
        return {"pointer": f"{at}/{field}", "detail": str(error)}
    item = {"pointer": f"{at}/text", "detail": str(error)}
    if isinstance(error, AmbiguousText):
        item.update(ambiguity(error))
    elif isinstance(error, TextNotInBody) and error.start is not None:
        item["pointer"] = f"{at}/start"
    return item


def ambiguity(error: AmbiguousText) -> dict:
    """What a problem item says of a text that occurs more than once: the first offsets (not
    all: an answer stays small however often the text occurs) and how many there are."""
    return {"offsets": error.first_offsets, "occurrences": len(error.offsets)}


def refuse_anchor_error(error: AnchorError):
    """A 422 saying which field of a claim cannot be anchored, and why."""
    message = (
        str(error)
        if isinstance(error, SpanOutsideBody)
        else f"The claim cannot be anchored: {error}."
    )
    abort(422, message=message, errors=[anchor_problem_item(error)])


def refuse_moved_body(error: BodyMoved):
    """A 409 saying that the article's body is no longer the one the client read."""
    abort(
        409,
        message=f"Nothing was stored: {error}. Read the article again and anchor the claim "
        "in its current body (by `text`, or by offsets with its new `body_sha256`).",
        errors=[
            {"pointer": "#/body_sha256", "detail": f"The body is now {error.article.body_sha256}."}
        ],
    )


def refuse_unanchorable(error: Unanchorable, listed: dict[int, int] | None = None):
    """A 409 listing every claim a new article body would leave without a single place, or a
    422 if any of them is one of the request's `claims` (`listed`: claim id -> index), whose
    item then points at that entry of the request."""
    listed = listed or {}
    errors = []
    for claim, reason in error.misplaced:
        if claim.id in listed:
            item = anchor_problem_item(reason, f"#/claims/{listed[claim.id]}")
        else:
            item = {"pointer": "#/body", "detail": str(reason)}
            if isinstance(reason, AmbiguousText):
                item.update(ambiguity(reason))
        errors.append({**item, "claim_id": claim.id, "detail": f"Claim {claim.id}: {reason}."})
    abort(
        422 if listed.keys() & {claim.id for claim, _ in error.misplaced} else 409,
        message=f"The new body was not stored: {len(errors)} claim(s) could no longer be "
        "anchored unambiguously. Correct the claims, or the body, and try again.",
        errors=errors,
    )


def refuse_foreign_claims(error: NotItsClaims, listed: dict[int, int]):
    """A 422 pointing at each of the request's `claims` that is not a claim of the article."""
    abort(
        422,
        message=f"Nothing was changed: {error}.",
        errors=[
            {
                "pointer": f"#/claims/{listed[id]}/id",
                "detail": f"Claim {id} is not a claim of this article.",
            }
            for id in error.claim_ids
        ],
    )


def refuse_in_use(error: InUse, remedy: str = ""):
    """A 409 saying what still refers to the row that was to be deleted."""
    abort(409, message=f"Not deleted: {error}. {remedy}".strip())


def created(item, endpoint: str, **values):
    """A create's answer: the new item and its Location."""
    return item, {"Location": public_url(url_for(endpoint, **values))}


def revision_history(model, id: int, limit: int, cursor: int | None):
    """A page of a resource's revisions, oldest first; 404 if it never existed."""
    revisions = Revision.of(name_of(model), id)
    if not model.select().where(model.id == id).exists() and not revisions.exists():
        abort(404, message=f"There is no {name_of(model)} with id {id}.")
    return paginate(revisions, Revision.id, limit, cursor)


def errors(blp, *statuses: int):
    """Document that a view can answer these error statuses (with a problem document)."""

    def decorate(view):
        for status in statuses:
            view = blp.alt_response(status, response=HTTPStatus(status).name)(view)
        return view

    return decorate


# What every create and change can answer besides success (the 503 of a database that stays
# locked, like 401/403/413/429, is documented for every operation by api.blueprint).
BODY_ERRORS = (400, 409, 415, 422)
