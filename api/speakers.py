"""/v1/speakers: the people, organisations and groups statements are attributed to."""

from flask.views import MethodView
from peewee import prefetch

from api.blueprint import Blueprint, get_or_404
from api.pagination import paginate
from models import Claim, Speaker, SpeakerAlias
from schemas.claim import ClaimPage, ClaimQuery
from schemas.speaker import SpeakerPage, SpeakerQuery, SpeakerSchema

blp = Blueprint("speakers", __name__, url_prefix="/v1/speakers", description="Speakers.")


def with_aliases(query):
    return prefetch(query, SpeakerAlias.select().order_by(SpeakerAlias.id))


@blp.route("")
class Speakers(MethodView):
    @blp.doc(operationId="listSpeakers")
    @blp.arguments(SpeakerQuery, location="query", as_kwargs=True)
    @blp.response(200, SpeakerPage)
    def get(self, limit, cursor=None, **filters):
        """List speakers"""
        return paginate(Speaker.matching(**filters), Speaker.id, limit, cursor, with_aliases)


@blp.route("/<id:speaker_id>")
class SpeakerItem(MethodView):
    @blp.doc(operationId="getSpeaker")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, SpeakerSchema)
    def get(self, speaker_id):
        """Get a speaker"""
        return get_or_404(Speaker.select(), Speaker, speaker_id)


@blp.route("/<id:speaker_id>/claims")
class SpeakerClaims(MethodView):
    @blp.doc(operationId="listSpeakerClaims")
    @blp.arguments(ClaimQuery(exclude=("speaker_id",)), location="query", as_kwargs=True)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, ClaimPage)
    def get(self, speaker_id, limit, cursor=None, **filters):
        """List a speaker's claims"""
        get_or_404(Speaker.select(Speaker.id), Speaker, speaker_id)
        return paginate(Claim.matching(speaker_id=speaker_id, **filters), Claim.id, limit, cursor)
