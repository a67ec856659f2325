"""Proposals: the extractor run on a stored article, its findings kept for a person to accept
(making a claim, through the same anchored write as `POST /v1/claims`) or reject.

A proposal can be reviewed once, while pending: accepting or rejecting it again, or reviewing
one made stale by a correction of its article's body, is a 409 that changes nothing.
"""

from flask.views import MethodView
from flask_smorest import abort
from marshmallow import ValidationError

from api.auth import key_prefix
from api.blueprint import Blueprint, StrictParser, get_or_404
from api.extractions import propose
from api.idempotency import PARAMETER as IDEMPOTENCY_KEY
from api.idempotency import idempotent
from api.pagination import paginate
from api.problems import error_items
from api.writes import (
    BODY_ERRORS,
    LOCATION,
    created,
    errors,
    locked,
    referenced,
    refuse_anchor_error,
    write_transaction,
)
from models import AnchorError, Article, Claim, NotReviewable, Outlet, Proposal, Speaker
from schemas.claim import ClaimCreate, ClaimSchema
from schemas.proposal import (
    ProposalAccept,
    ProposalPage,
    ProposalQuery,
    ProposalRun,
    ProposalSchema,
)
from schemas.speaker import SpeakerCreate


class CorrectionsParser(StrictParser):
    """As StrictParser, but a request with no body at all asks for no corrections."""

    def load_json(self, req, schema):
        if not req.get_data(cache=True) and not req.mimetype:
            return {}
        return super().load_json(req, schema)


class ProposalsBlueprint(Blueprint):
    ARGUMENTS_PARSER = CorrectionsParser(unknown=Blueprint.ARGUMENTS_PARSER.unknown)


blp = ProposalsBlueprint(
    "proposals",
    __name__,
    url_prefix="/v1",
    description="Attributions the extractor proposed in stored articles, for review.",
)
create_claim = ClaimCreate()
create_speaker = SpeakerCreate()
SPAN = {"text", "start", "end"}
SPEAKER = {"speaker_id", "speaker"}


@blp.route("/articles/<id:article_id>/proposals")
class ArticleProposals(MethodView):
    @blp.doc(operationId="proposeArticleClaims")
    @errors(blp, 404, 409, 422)
    @blp.response(200, ProposalRun)
    def post(self, article_id):
        """Run the extractor on an article and keep its proposals for review

        The answer lists what the extractor proposes in the article's current body, each as
        stored: new proposals are `pending`; what an earlier run already proposed (the same
        span and speaker in the same body) keeps its id and status, so running it again
        stores nothing twice. A span that a claim already holds is not proposed again.
        Needs an API key with the `write` scope. An extraction that runs longer than
        EXTRACTION_TIME_BUDGET_MS is stopped with a 503; 409 if the body changed while it
        ran.
        """
        article = get_or_404(Article.select(), Article, article_id)
        found = propose(article.body, article=True)
        with write_transaction():
            current = locked(Article, article_id)
            if current.body_sha256 != article.body_sha256:
                abort(409, message="The article's body changed while it was read; run it again.")
            return {"data": Proposal.record_run(current, found)}

    @blp.doc(operationId="listArticleProposals")
    @blp.arguments(ProposalQuery(exclude=("article_id",)), location="query", as_kwargs=True)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, ProposalPage)
    def get(self, article_id, limit, cursor=None, **filters):
        """List the proposals kept for an article

        Filter by `status`. 404 if there is no such article. Pages by keyset: pass
        `next_cursor` back as `cursor` until it is null.
        """
        get_or_404(Article.select(Article.id), Article, article_id)
        proposals = Proposal.matching(article_id=article_id, **filters)
        return paginate(proposals, Proposal.id, limit, cursor)


@blp.route("/proposals")
class Proposals(MethodView):
    @blp.doc(operationId="listProposals")
    @blp.arguments(ProposalQuery, location="query", as_kwargs=True)
    @blp.response(200, ProposalPage)
    def get(self, limit, cursor=None, **filters):
        """List the proposals kept for review, e.g. every pending one

        Filter by `status` and `article_id`. Pages by keyset: pass `next_cursor` back as
        `cursor` (also given in the `Link: rel=next` header) until it is null.
        """
        return paginate(Proposal.matching(**filters), Proposal.id, limit, cursor)


@blp.route("/proposals/<id:proposal_id>")
class ProposalItem(MethodView):
    @blp.doc(operationId="getProposal")
    @blp.etag
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, ProposalSchema)
    def get(self, proposal_id):
        """Get a proposal

        What the extractor proposed (spans into the article's body as it was then), its
        status, and the claim it became once accepted. The `ETag` identifies this version.
        """
        return get_or_404(Proposal.matching(), Proposal, proposal_id)


@blp.route("/proposals/<id:proposal_id>/accept")
class ProposalAcceptance(MethodView):
    @idempotent
    @blp.doc(operationId="acceptProposal", parameters=[IDEMPOTENCY_KEY])
    @blp.etag
    @blp.arguments(ProposalAccept, required=False)
    @errors(blp, 404, *BODY_ERRORS)
    @blp.response(201, ClaimSchema, headers=LOCATION)
    def post(self, corrections, proposal_id):
        """Accept a proposal, with any corrections: it becomes a claim

        The claim is made as `POST /v1/claims` makes one (anchored in the article, with its
        revision and mentions) from the proposal's fields and the corrections sent, which
        replace them: `speaker_id`, or a new `speaker` to create, a span (`text`, or `start`
        and `end`), `quote_type`, `cue`, `via_outlet_id`, `stated_on`. With no body (or
        `{}`) the proposal is taken as it is, creating its proposed speaker if it names no
        stored one. A `via` that names no stored outlet is left off the claim. 409 if the
        proposal is not pending (accepted, rejected or stale) or the claim exists already;
        422 if the result is not a valid claim. Needs an API key with the `write` scope. The
        answer is 201 with the claim, its `Location` and `ETag`.
        """
        with write_transaction():
            # The article before the proposal, in the order an article correction locks them.
            reference = Proposal.select(Proposal.id, Proposal.article)
            article = locked(Article, get_or_404(reference, Proposal, proposal_id).article_id)
            proposal = locked(Proposal, proposal_id)
            refuse_unless_reviewable(proposal)
            fields = claim_fields(proposal, corrections)
            try:
                text, span = article.locate(fields.pop("text", None), *span_of(fields))
            except AnchorError as error:
                refuse_anchor_error(error)
            speaker = speaker_of(proposal, corrections)
            refuse_existing_claim(article, speaker, span)
            via = referenced(Outlet, fields.pop("via_outlet_id"), "via_outlet_id")
            claim = Claim.create_anchored(
                article,
                text,
                span.start,
                span.end,
                key_prefix(),
                speaker=speaker,
                via=via,
                **fields,
            )
            proposal.review("accepted", claim)
        claim = get_or_404(Claim.with_attribution(), Claim, claim.id)
        return created(claim, "claims.ClaimItem", claim_id=claim.id)


@blp.route("/proposals/<id:proposal_id>/reject")
class ProposalRejection(MethodView):
    @blp.doc(operationId="rejectProposal")
    @errors(blp, 404, 409)
    @blp.response(200, ProposalSchema)
    def post(self, proposal_id):
        """Reject a proposal

        409 if it is not pending (accepted, rejected or stale). Needs an API key with the
        `write` scope. The answer is the proposal, now `rejected`.
        """
        with write_transaction():
            proposal = locked(Proposal, proposal_id)
            refuse_unless_reviewable(proposal)
            proposal.review("rejected")
        return get_or_404(Proposal.matching(), Proposal, proposal_id)


def refuse_unless_reviewable(proposal: Proposal) -> None:
    """A 409 if the proposal has been reviewed, or made stale, already."""
    try:
        proposal.check_reviewable()
    except NotReviewable as error:
        abort(409, message=f"Nothing changed: {error}.")


def claim_fields(proposal: Proposal, corrections: dict) -> dict:
    """The claim's fields but its speaker: the proposal's, replaced by the corrections (a span
    corrected replaces the proposed span whole); a 422 naming the fields to correct if they
    would not make a claim that `POST /v1/claims` accepts."""
    fields = {
        "text": proposal.text,
        "start": proposal.start,
        "end": proposal.end,
        "quote_type": proposal.quote_type,
        "cue": proposal.cue_text,
        "via_outlet_id": proposal.resolved_via_id,
    }
    if corrections.keys() & SPAN:
        fields = {name: value for name, value in fields.items() if name not in SPAN}
    fields.update((name, value) for name, value in corrections.items() if name not in SPEAKER)
    problems = create_claim.validate(
        {**fields, "article_id": proposal.article_id}, partial=("speaker_id",)
    )
    if problems:
        abort(
            422,
            message="The proposal, with the corrections sent, is not a valid claim; "
            "correct the fields `errors` names.",
            errors=error_items({"json": problems}),
        )
    return fields


def span_of(fields: dict) -> tuple[int | None, int | None]:
    """`start` and `end`, taken out of `fields` (None where not given)."""
    return fields.pop("start", None), fields.pop("end", None)


def speaker_of(proposal: Proposal, corrections: dict) -> Speaker:
    """Who the claim is attributed to: the corrected speaker, else the proposed one: the stored
    speaker it was resolved to or whose name or alias it now is (accepting an earlier proposal
    of a run may have created it), else created from the proposal's name and kind."""
    if "speaker_id" in corrections:
        return referenced(Speaker, corrections["speaker_id"], "speaker_id")
    if "speaker" not in corrections:
        if proposal.resolved_speaker_id is not None:
            return referenced(Speaker, proposal.resolved_speaker_id, "speaker_id")
        if (named := Speaker.called(proposal.speaker_name)) is not None:
            return named
    new = corrections.get("speaker") or {
        "name": proposal.speaker_name,
        "kind": proposal.speaker_kind,
    }
    try:
        data = create_speaker.load(new)
    except ValidationError as error:
        abort(
            422,
            message="The proposed speaker cannot be created: give `speaker_id`, or a "
            "`speaker` to create.",
            errors=error_items({"json": {"speaker": error.messages}}),
        )
    same_slug = Speaker.get_or_none(Speaker.slug == data["slug"])
    if same_slug is not None:
        abort(
            409,
            message=f"Speaker {same_slug.id} ({same_slug.name}) already has the slug "
            f"{data['slug']!r}; give `speaker_id: {same_slug.id}` to attribute it to them.",
            errors=[{"pointer": "#/speaker/name", "detail": "A stored speaker has this slug."}],
        )
    return Speaker.create(key_prefix(), **data)


def refuse_existing_claim(article: Article, speaker: Speaker, span) -> None:
    """A 409 if the claim this would make is stored already."""
    existing = Claim.get_or_none(
        (Claim.article == article)
        & (Claim.speaker == speaker)
        & (Claim.start == span.start)
        & (Claim.end == span.end)
    )
    if existing is not None:
        abort(
            409,
            message=f"Claim {existing.id} already attributes this span to speaker "
            f"{speaker.id}; reject the proposal instead.",
        )
