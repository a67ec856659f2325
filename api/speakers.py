"""/v1/speakers: the people, organisations and groups statements are attributed to."""

from flask.views import MethodView
from peewee import prefetch

from api.auth import key_prefix
from api.blueprint import Blueprint, get_or_404
from api.export import STREAMED_LIST_DOC, claims_page_or_stream
from api.idempotency import PARAMETER as IDEMPOTENCY_KEY
from api.idempotency import idempotent
from api.pagination import paginate
from api.writes import (
    BODY_ERRORS,
    LOCATION,
    created,
    errors,
    locked,
    refuse_duplicate,
    refuse_in_use,
    revision_history,
    write_transaction,
)
from models import InUse, Speaker, SpeakerAlias
from schemas.claim import ClaimPage, ClaimQuery
from schemas.revision import RevisionPage, RevisionQuery
from schemas.speaker import (
    SpeakerCreate,
    SpeakerPage,
    SpeakerPatch,
    SpeakerQuery,
    SpeakerSchema,
)

blp = Blueprint("speakers", __name__, url_prefix="/v1/speakers", description="Speakers.")


def with_aliases(query):
    return prefetch(query, SpeakerAlias.select().order_by(SpeakerAlias.id))


@blp.route("")
class Speakers(MethodView):
    @blp.doc(operationId="listSpeakers")
    @blp.arguments(SpeakerQuery, location="query", as_kwargs=True)
    @blp.response(200, SpeakerPage)
    def get(self, limit, cursor=None, **filters):
        """List speakers

        `name` matches any part of the name or of an alias, ignoring case. Pages by keyset:
        pass `next_cursor` back as `cursor` (also given in the `Link: rel=next` header)
        until it is null. Unknown query parameters are a 422, so typos never go unnoticed.
        """
        return paginate(Speaker.matching(**filters), Speaker.id, limit, cursor, with_aliases)

    @idempotent
    @blp.doc(operationId="createSpeaker", parameters=[IDEMPOTENCY_KEY])
    @blp.etag
    @blp.arguments(SpeakerCreate)
    @errors(blp, *BODY_ERRORS)
    @blp.response(201, SpeakerSchema, headers=LOCATION)
    def post(self, data):
        """Create a speaker

        The slug is derived from the name when not given and must be unique (409). Needs an
        API key with the `write` scope. The answer is 201 with the new speaker, its
        `Location` and `ETag`. Send an `Idempotency-Key` to make a retry safe.
        """
        with write_transaction():
            refuse_duplicate(Speaker, "slug", data["slug"])
            speaker = Speaker.create(key_prefix(), **data)
        speaker = get_or_404(Speaker.select(), Speaker, speaker.id)
        return created(speaker, "speakers.SpeakerItem", speaker_id=speaker.id)


@blp.route("/<id:speaker_id>")
class SpeakerItem(MethodView):
    @blp.doc(operationId="getSpeaker")
    @blp.etag
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, SpeakerSchema)
    def get(self, speaker_id):
        """Get a speaker

        The `ETag` identifies this version: send it as `If-None-Match` to get 304 when
        nothing changed, and as `If-Match` to change or delete the speaker.
        """
        return get_or_404(Speaker.select(), Speaker, speaker_id)

    @blp.doc(operationId="updateSpeaker")
    @blp.etag
    @blp.arguments(SpeakerPatch)
    @errors(blp, 404, *BODY_ERRORS)
    @blp.response(200, SpeakerSchema)
    def patch(self, data, speaker_id):
        """Change a speaker; `aliases`, if given, replaces the list

        Needs an API key with the `write` scope and `If-Match` with the current `ETag` (428
        without it, 412 if someone changed it since); only the fields given change, and the
        answer carries the new `ETag`.
        """
        with write_transaction():
            speaker = locked(Speaker, speaker_id)
            blp.check_etag(speaker, SpeakerSchema)
            refuse_duplicate(Speaker, "slug", data.get("slug"), speaker_id)
            speaker.save_changes(key_prefix(), **data)
        return get_or_404(Speaker.select(), Speaker, speaker_id)

    @blp.doc(operationId="deleteSpeaker")
    @blp.etag
    @errors(blp, 404, 409)
    @blp.response(204)
    def delete(self, speaker_id):
        """Delete a speaker to whom no claim is attributed

        A speaker with claims is a 409. Needs an API key with the `write` scope and `If-
        Match` with the current `ETag` (428 without it, 412 if it changed since). The answer
        is 204 with no body.
        """
        with write_transaction():
            speaker = locked(Speaker, speaker_id)
            blp.check_etag(speaker, SpeakerSchema)
            try:
                speaker.refuse_delete_if_held()
            except InUse as error:
                refuse_in_use(error, "Delete or reattribute the claims first.")
            speaker.delete_instance(key_prefix())


@blp.route("/<id:speaker_id>/revisions")
class SpeakerRevisions(MethodView):
    @blp.doc(operationId="listSpeakerRevisions")
    @blp.arguments(RevisionQuery, location="query", as_kwargs=True)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, RevisionPage)
    def get(self, speaker_id, limit, cursor=None):
        """List the changes made to a speaker, oldest first

        Each revision says who changed what (field, old and new value) and when; paged like
        every list.
        """
        return revision_history(Speaker, speaker_id, limit, cursor)


@blp.route("/<id:speaker_id>/claims")
class SpeakerClaims(MethodView):
    @blp.doc(operationId="listSpeakerClaims", **STREAMED_LIST_DOC)
    @blp.arguments(ClaimQuery(exclude=("speaker_id",)), location="query", as_kwargs=True)
    @blp.alt_response(406, response="NOT_ACCEPTABLE")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, ClaimPage)
    def get(self, speaker_id, limit, cursor=None, **filters):
        """List a speaker's claims

        404 if there is no such speaker. Pages by keyset: pass `next_cursor` back as
        `cursor` (also given in the `Link: rel=next` header) until it is null. Unknown query
        parameters are a 422, so typos never go unnoticed.
        """
        get_or_404(Speaker.select(Speaker.id), Speaker, speaker_id)
        return claims_page_or_stream(limit, cursor, speaker_id=speaker_id, **filters)
