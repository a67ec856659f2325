"""/v1/outlets: publishers, and the outlets through which statements were relayed."""

from flask.views import MethodView

from api.blueprint import Blueprint, get_or_404
from api.pagination import paginate
from models import Article, Claim, Outlet
from schemas.article import ArticlePage, ArticleQuery
from schemas.claim import ClaimPage, ClaimQuery
from schemas.outlet import OutletPage, OutletQuery, OutletSchema

blp = Blueprint("outlets", __name__, url_prefix="/v1/outlets", description="News outlets.")


@blp.route("")
class Outlets(MethodView):
    @blp.doc(operationId="listOutlets")
    @blp.arguments(OutletQuery, location="query", as_kwargs=True)
    @blp.response(200, OutletPage)
    def get(self, limit, cursor=None):
        """List outlets"""
        return paginate(Outlet.select(), Outlet.id, limit, cursor)


@blp.route("/<id:outlet_id>")
class OutletItem(MethodView):
    @blp.doc(operationId="getOutlet")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, OutletSchema)
    def get(self, outlet_id):
        """Get an outlet"""
        return get_or_404(Outlet.select(), Outlet, outlet_id)


@blp.route("/<id:outlet_id>/articles")
class OutletArticles(MethodView):
    @blp.doc(operationId="listOutletArticles")
    @blp.arguments(ArticleQuery(exclude=("outlet_id",)), location="query", as_kwargs=True)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, ArticlePage)
    def get(self, outlet_id, limit, cursor=None, **filters):
        """List the articles an outlet published"""
        get_or_404(Outlet.select(), Outlet, outlet_id)
        return paginate(Article.matching(outlet_id=outlet_id, **filters), Article.id, limit, cursor)


@blp.route("/<id:outlet_id>/claims")
class OutletClaims(MethodView):
    @blp.doc(operationId="listOutletClaims")
    @blp.arguments(ClaimQuery(exclude=("outlet_id",)), location="query", as_kwargs=True)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, ClaimPage)
    def get(self, outlet_id, limit, cursor=None, **filters):
        """List the claims in an outlet's articles"""
        get_or_404(Outlet.select(), Outlet, outlet_id)
        return paginate(Claim.matching(outlet_id=outlet_id, **filters), Claim.id, limit, cursor)
