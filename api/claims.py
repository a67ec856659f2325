"""/v1/claims: attributed statements, each with its speaker, article, outlet and exact span."""

from flask.views import MethodView

from api.blueprint import Blueprint, get_or_404
from api.pagination import paginate
from models import Claim
from schemas.claim import ClaimPage, ClaimQuery, ClaimSchema

blp = Blueprint("claims", __name__, url_prefix="/v1/claims", description="Attributed statements.")


@blp.route("")
class Claims(MethodView):
    @blp.doc(operationId="listClaims")
    @blp.arguments(ClaimQuery, location="query", as_kwargs=True)
    @blp.response(200, ClaimPage)
    def get(self, limit, cursor=None, **filters):
        """List claims"""
        return paginate(Claim.matching(**filters), Claim.id, limit, cursor)


@blp.route("/<id:claim_id>")
class ClaimItem(MethodView):
    @blp.doc(operationId="getClaim")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, ClaimSchema)
    def get(self, claim_id):
        """Get a claim with its whole attribution"""
        return get_or_404(Claim.with_attribution(), Claim, claim_id)
