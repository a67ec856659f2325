"""/v1/claims: attributed statements, each with its speaker, article, outlet and exact span."""

from flask import Response, jsonify
from flask.views import MethodView

from api.auth import key_prefix
from api.blueprint import Blueprint, get_or_404, not_found
from api.export import JSON, STREAMED_LIST_DOC, claims_page_or_stream, negotiate
from api.idempotency import PARAMETER as IDEMPOTENCY_KEY
from api.idempotency import idempotent
from api.urls import public_url
from api.writes import (
    BODY_ERRORS,
    LOCATION,
    created,
    errors,
    locked,
    referenced,
    refuse_anchor_error,
    refuse_in_use,
    refuse_moved_body,
    revision_history,
    write_transaction,
)
from models import AnchorError, Article, BodyMoved, Claim, InUse, Outlet, Speaker
from schemas.claim import (
    ClaimCreate,
    ClaimPage,
    ClaimPatch,
    ClaimQuery,
    ClaimSchema,
    claim_document,
)
from schemas.interchange import (
    ANNOTATION_MEDIA_TYPE,
    JSON_LD,
    Links,
    SchemaOrgClaim,
    WebAnnotation,
)
from schemas.revision import RevisionPage, RevisionQuery

blp = Blueprint("claims", __name__, url_prefix="/v1/claims", description="Attributed statements.")


@blp.route("")
class Claims(MethodView):
    @blp.doc(operationId="listClaims", **STREAMED_LIST_DOC)
    @blp.arguments(ClaimQuery, location="query", as_kwargs=True)
    @blp.alt_response(406, response="NOT_ACCEPTABLE")
    @blp.response(200, ClaimPage)
    def get(self, limit, cursor=None, **filters):
        """List claims, or export every match as NDJSON or CSV

        With `Accept: application/json` (the default) a page of claims; with
        `application/x-ndjson` or `text/csv` every matching claim, streamed. Pages by
        keyset: pass `next_cursor` back as `cursor` (also given in the `Link: rel=next`
        header) until it is null. Unknown query parameters are a 422, so typos never go
        unnoticed.
        """
        return claims_page_or_stream(limit, cursor, **filters)

    @idempotent
    @blp.doc(operationId="createClaim", parameters=[IDEMPOTENCY_KEY])
    @blp.etag
    @blp.arguments(ClaimCreate)
    @errors(blp, *BODY_ERRORS)
    @blp.response(201, ClaimSchema, headers=LOCATION)
    def post(self, data):
        """Create a claim, anchored by its text (or its span) in an article

        The text must stand verbatim in the article's body: give `start` (and `end`) when it
        occurs more than once. A text the body does not hold is a 422 pointing at it.
        Anchoring by `text` is the safe default; a claim given by `start` and `end` should
        name the body they were read in by its `body_sha256` (from the article): if the body
        has changed since, the answer is 409 and nothing is stored. Needs an API key with
        the `write` scope. The answer is 201 with the new claim, its `Location` and `ETag`.
        Send an `Idempotency-Key` to make a retry safe.
        """
        with write_transaction():
            # The article is locked so that its body cannot change under the new claim.
            article = referenced(Article, data.pop("article_id"), "article_id", lock=True)
            fields = claim_references(data)
            try:
                claim = Claim.create_anchored(article, by=key_prefix(), **fields)
            except BodyMoved as error:
                refuse_moved_body(error)
            except AnchorError as error:
                refuse_anchor_error(error)
        claim = get_or_404(Claim.with_attribution(), Claim, claim.id)
        return created(claim, "claims.ClaimItem", claim_id=claim.id)


@blp.route("/<id:claim_id>")
class ClaimItem(MethodView):
    @blp.doc(
        operationId="getClaim",
        responses={200: {"content": {JSON_LD: {"schema": SchemaOrgClaim}}}},
    )
    @blp.etag
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(406, response="NOT_ACCEPTABLE")
    @blp.response(200, ClaimSchema)
    def get(self, claim_id):
        """Get a claim with its whole attribution (as schema.org JSON-LD on request)

        `Accept: application/ld+json` answers a schema.org `Claim`. The `ETag` identifies
        this version: send it as `If-None-Match` to get 304 when nothing changed, and as
        `If-Match` to change or delete it.
        """
        media_type = negotiate((JSON, JSON_LD))
        rows = Claim.attributed_rows(claim_id=claim_id)
        if not rows:
            not_found(Claim, claim_id)
        document = claim_document(rows[0])
        if media_type == JSON_LD:
            blp.set_etag([document, JSON_LD])  # another representation
            claim = get_or_404(Claim.with_attribution(), Claim, claim_id)
            return linked_data(SchemaOrgClaim(), claim, JSON_LD)
        blp.set_etag(document)  # the same ETag as ClaimSchema's dump: it is that document
        # Already the document ClaimSchema describes: answered as it is, not dumped again.
        return jsonify(document), {"Vary": "Accept"}

    @blp.doc(operationId="updateClaim")
    @blp.etag
    @blp.arguments(ClaimPatch)
    @errors(blp, 404, *BODY_ERRORS)
    @blp.response(200, ClaimSchema)
    def patch(self, data, claim_id):
        """Change a claim; a new article, text or span anchors it afresh

        A new span should come with the `body_sha256` of the article it was read in (409,
        changing nothing, if that body has changed since). Needs an API key with the `write`
        scope and `If-Match` with the current `ETag` (428 without it, 412 if someone changed
        it since); only the fields given change, and the answer carries the new `ETag`.
        """
        with write_transaction():
            # Articles before claims, in the order an article correction locks them.
            current = get_or_404(Claim.select(Claim.id, Claim.article), Claim, claim_id)
            locked(Article, current.article_id)
            claim = locked(Claim, claim_id)
            blp.check_etag(Claim.with_attribution().where(Claim.id == claim_id).get(), ClaimSchema)
            if "article_id" in data:
                article_id = data.pop("article_id")
                data["article"] = referenced(Article, article_id, "article_id", lock=True)
            try:
                claim.revise(key_prefix(), **claim_references(data))
            except BodyMoved as error:
                refuse_moved_body(error)
            except AnchorError as error:
                refuse_anchor_error(error)
        return get_or_404(Claim.with_attribution(), Claim, claim_id)

    @blp.doc(operationId="deleteClaim")
    @blp.etag
    @errors(blp, 404, 409)
    @blp.response(204)
    def delete(self, claim_id):
        """Delete a claim

        Needs an API key with the `write` scope and `If-Match` with the current `ETag` (428
        without it, 412 if it changed since). The answer is 204 with no body.
        """
        with write_transaction():
            claim = locked(Claim, claim_id)
            blp.check_etag(Claim.with_attribution().where(Claim.id == claim_id).get(), ClaimSchema)
            try:
                claim.refuse_delete_if_held()
            except InUse as error:
                refuse_in_use(error, "Delete what refers to it first.")
            claim.delete_instance(key_prefix())


@blp.route("/<id:claim_id>/revisions")
class ClaimRevisions(MethodView):
    @blp.doc(operationId="listClaimRevisions")
    @blp.arguments(RevisionQuery, location="query", as_kwargs=True)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, RevisionPage)
    def get(self, claim_id, limit, cursor=None):
        """List the changes made to a claim, oldest first

        Each revision says who changed what (field, old and new value) and when; paged like
        every list.
        """
        return revision_history(Claim, claim_id, limit, cursor)


def claim_references(data: dict) -> dict:
    """The request's `speaker_id` and `via_outlet_id`, if given, as the rows they name."""
    if "speaker_id" in data:
        data["speaker"] = referenced(Speaker, data.pop("speaker_id"), "speaker_id")
    if "via_outlet_id" in data:
        data["via"] = referenced(Outlet, data.pop("via_outlet_id"), "via_outlet_id")
    return data


@blp.route("/<id:claim_id>/annotation")
class ClaimAnnotation(MethodView):
    @blp.doc(operationId="getClaimAnnotation")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(406, response="NOT_ACCEPTABLE")
    @blp.response(200, WebAnnotation, content_type=ANNOTATION_MEDIA_TYPE)
    def get(self, claim_id):
        """Get a claim's span as a W3C Web Annotation of its article

        The annotation's target selects the claim's text in the article by position and by
        quote, with the characters around it (`prefix`, `suffix`).
        """
        plain = negotiate((ANNOTATION_MEDIA_TYPE, JSON_LD, JSON)) == JSON
        claim = get_or_404(Claim.with_attribution(), Claim, claim_id)
        return linked_data(WebAnnotation(), claim, JSON if plain else ANNOTATION_MEDIA_TYPE)


def linked_data(schema, claim: Claim, media_type: str) -> Response:
    """`claim` dumped by a linked-data schema whose ids are URLs of this API."""
    with Links({"public_url": public_url}):
        body = schema.dump(claim)
    response = jsonify(body)
    response.content_type = media_type
    response.vary.add("Accept")
    return response
