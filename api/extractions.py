"""/v1/extractions: the attributions the extractor proposes in a text or a stored article.

Nothing is stored (proposals kept for review are api/proposals.py), so calling it needs only
what a read needs (api/auth.py). What one extraction may read and take is bounded:
EXTRACTION_MAX_CHARACTERS (413 for a longer text) and EXTRACTION_TIME_BUDGET_MS (503).
"""

import time

from flask import current_app
from flask.views import MethodView
from flask_smorest import abort

import extraction
from api.blueprint import Blueprint
from api.writes import errors, referenced
from models import Article
from models.db import start_query_budget
from models.proposal import directory
from schemas.extraction import ExtractionRequest, ExtractionResult

blp = Blueprint(
    "extractions",
    __name__,
    url_prefix="/v1/extractions",
    description="Attributions proposed by the extractor, computed and not stored.",
)


@blp.route("")
class Extractions(MethodView):
    @blp.doc(operationId="extractAttributions")
    @blp.arguments(ExtractionRequest)
    @errors(blp, 400, 415, 422)
    @blp.response(200, ExtractionResult)
    def post(self, data):
        """Propose the attributions in a text, or in a stored article; nothing is stored

        Send `{"text": ...}` or `{"article_id": N}` (offsets are then into the article's
        body). Each proposal is shaped like a claim, with its cue and source mention as
        spans, the speaker resolved to a stored speaker (by name or alias) where one matches
        and proposed (`id: null`) where none does, the relaying outlet (`via`) and a
        confidence. Needs no API key unless reads do. A text longer than
        EXTRACTION_MAX_CHARACTERS code points is a 413; an extraction that runs longer than
        EXTRACTION_TIME_BUDGET_MS is stopped with a 503; an unknown `article_id` is a 422.
        """
        if "article_id" in data:
            article = referenced(Article, data["article_id"], "article_id")
            return {"data": propose(article.body, article=True, pointer="#/article_id")}
        return {"data": propose(data["text"])}


def propose(
    text: str, article: bool = False, pointer: str | None = None
) -> list[extraction.Proposal]:
    """What the extractor finds in `text`, a text sent or (`article`) a stored article's body,
    chosen by the body field `pointer` names, if any; within the limits of one extraction."""
    limit = current_app.config["EXTRACTION_MAX_CHARACTERS"]
    if len(text) > limit:
        too_long = f"{len(text)} code points, more than the {limit} one extraction reads"
        if not article:
            abort(413, message=f"The text has {too_long}; send it in parts.")
        detail = f"The article's body has {too_long}."
        items = [{"pointer": pointer, "detail": detail}] if pointer else None
        abort(422, message=detail, errors=items)
    budget_ms = current_app.config["EXTRACTION_TIME_BUDGET_MS"]
    known = directory()
    try:
        found = extraction.extract(text, known, deadline=time.monotonic() + budget_ms / 1000)
    except extraction.TimeBudgetExceeded:
        abort(
            503,
            message=f"The extraction ran longer than its budget of {budget_ms} ms and was "
            "stopped; send a shorter text.",
            headers={"Retry-After": "1"},
        )
    # The queries that follow get a budget of their own (SQLite's counts from the request).
    start_query_budget(current_app.config["QUERY_TIME_BUDGET_MS"])
    return found
