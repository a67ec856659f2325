"""/v1/claims/{id}/related: the same assertion in other outlets, contradictions, elaborations,
updates; and suggestions of claims that may be related."""

from functools import partial

from flask.views import MethodView

from api.blueprint import Blueprint, get_or_404
from api.pagination import paginate, paginate_by_position
from models import Claim, ClaimRelation
from models.relation import related_claims, relations_of, suggest_relations
from schemas.relation import RelatedClaimPage, RelatedQuery, SuggestionPage, SuggestionQuery

blp = Blueprint(
    "relations",
    __name__,
    url_prefix="/v1/claims",
    description="Relations between claims, within and across outlets.",
)


@blp.route("/<id:claim_id>/related")
class RelatedClaims(MethodView):
    @blp.doc(operationId="listRelatedClaims")
    @blp.arguments(RelatedQuery, location="query", as_kwargs=True)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, RelatedClaimPage)
    def get(self, claim_id, limit, cursor=None):
        """List the claims related to a claim, and how

        `relation` reads from the listed claim: it `updates` the claim asked about, or is
        `updated_by` it; `same_assertion` and `contradicts` go both ways.
        """
        get_or_404(Claim.select(Claim.id), Claim, claim_id)
        load = partial(related_claims, claim_id)
        return paginate(relations_of(claim_id), ClaimRelation.id, limit, cursor, load)


@blp.route("/<id:claim_id>/related/suggestions")
class RelationSuggestions(MethodView):
    @blp.doc(operationId="listRelationSuggestions")
    @blp.arguments(SuggestionQuery, location="query", as_kwargs=True)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, SuggestionPage)
    def get(self, claim_id, limit, cursor=None):
        """Suggest claims not yet related to a claim: similar words, shared entities

        Ranked by `score`: the Jaccard index of the content words of the two texts, plus 0.25
        for each entity both claims are about.
        """
        claim = get_or_404(Claim.with_attribution(), Claim, claim_id)
        suggestions = suggest_relations(claim)
        return paginate_by_position(
            lambda offset, count: suggestions[offset : offset + count], limit, cursor
        )
