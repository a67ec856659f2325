"""/v1/entities: places, groups and people under all their spellings, and claims about them."""

from flask.views import MethodView
from peewee import prefetch

from api.blueprint import Blueprint, get_or_404
from api.pagination import paginate
from models import Claim, Entity, EntityAlias
from schemas.claim import ClaimPage, ClaimQuery
from schemas.entity import EntityPage, EntityQuery, EntitySchema

blp = Blueprint(
    "entities",
    __name__,
    url_prefix="/v1/entities",
    description="Places, groups and people, with every spelling of their names.",
)


def with_spellings(query):
    return prefetch(query, EntityAlias.select().order_by(EntityAlias.id))


@blp.route("")
class Entities(MethodView):
    @blp.doc(operationId="listEntities")
    @blp.arguments(EntityQuery, location="query", as_kwargs=True)
    @blp.response(200, EntityPage)
    def get(self, limit, cursor=None, **filters):
        """List entities

        Places, groups and people, each with every spelling the outlets use.
        """
        return paginate(Entity.matching(**filters), Entity.id, limit, cursor, with_spellings)


@blp.route("/<id:entity_id>")
class EntityItem(MethodView):
    @blp.doc(operationId="getEntity")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, EntitySchema)
    def get(self, entity_id):
        """Get an entity with its aliases

        An alias in capitals (`IS`) names the entity only when written so.
        """
        return get_or_404(Entity.select(), Entity, entity_id)


@blp.route("/<id:entity_id>/claims")
class EntityClaims(MethodView):
    @blp.doc(operationId="listEntityClaims")
    @blp.arguments(ClaimQuery, location="query", as_kwargs=True)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, ClaimPage)
    def get(self, entity_id, limit, cursor=None, **filters):
        """List the claims about an entity, whichever spelling they use

        Claims that name the entity by any of its spellings, and claims annotated as being
        about it without naming it; they take every filter of `/v1/claims`.
        """
        get_or_404(Entity.select(Entity.id), Entity, entity_id)
        claims = Claim.matching(entity_id=entity_id, **filters)
        return paginate(claims, Claim.id, limit, cursor)
