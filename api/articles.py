"""/v1/articles: the published texts that claims are anchored in."""

from flask.views import MethodView

from api.blueprint import Blueprint, get_or_404
from api.pagination import paginate
from models import Article, Claim
from schemas.article import ArticlePage, ArticleQuery, ArticleSchema
from schemas.claim import ClaimPage, ClaimQuery

blp = Blueprint("articles", __name__, url_prefix="/v1/articles", description="News articles.")


@blp.route("")
class Articles(MethodView):
    @blp.doc(operationId="listArticles")
    @blp.arguments(ArticleQuery, location="query", as_kwargs=True)
    @blp.response(200, ArticlePage)
    def get(self, limit, cursor=None, **filters):
        """List articles"""
        return paginate(Article.matching(**filters), Article.id, limit, cursor)


@blp.route("/<id:article_id>")
class ArticleItem(MethodView):
    @blp.doc(operationId="getArticle")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, ArticleSchema)
    def get(self, article_id):
        """Get an article with its body"""
        return get_or_404(Article.matching(), Article, article_id)


@blp.route("/<id:article_id>/claims")
class ArticleClaims(MethodView):
    @blp.doc(operationId="listArticleClaims")
    @blp.arguments(ClaimQuery(exclude=("article_id",)), location="query", as_kwargs=True)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, ClaimPage)
    def get(self, article_id, limit, cursor=None, **filters):
        """List the claims anchored in an article"""
        get_or_404(Article.select(Article.id), Article, article_id)
        return paginate(Claim.matching(article_id=article_id, **filters), Claim.id, limit, cursor)
