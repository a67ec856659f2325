"""/v1/articles: the published texts that claims are anchored in."""

from flask.views import MethodView

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
    referenced,
    refuse_duplicate,
    refuse_foreign_claims,
    refuse_in_use,
    refuse_unanchorable,
    revision_history,
    write_transaction,
)
from models import Article, InUse, NotItsClaims, Outlet, Unanchorable
from schemas.article import (
    ArticleCreate,
    ArticleDeleteQuery,
    ArticlePage,
    ArticlePatch,
    ArticleQuery,
    ArticleSchema,
)
from schemas.claim import ClaimPage, ClaimQuery
from schemas.revision import RevisionPage, RevisionQuery

CORRECTION_EXAMPLES = {
    "correction": {
        "summary": "Correct a body and the claim that quotes the corrected words",
        "value": {
            "body": "The minister said the bridge would reopen in June.",
            "claims": [{"id": 42, "text": "the bridge would reopen in June"}],
        },
    },
    "fields": {"summary": "Change other fields", "value": {"section": "World Today"}},
}

blp = Blueprint("articles", __name__, url_prefix="/v1/articles", description="News articles.")


@blp.route("")
class Articles(MethodView):
    @blp.doc(operationId="listArticles")
    @blp.arguments(ArticleQuery, location="query", as_kwargs=True)
    @blp.response(200, ArticlePage)
    def get(self, limit, cursor=None, **filters):
        """List articles

        Pages by keyset: pass `next_cursor` back as `cursor` (also given in the `Link:
        rel=next` header) until it is null. Unknown query parameters are a 422, so typos
        never go unnoticed.
        """
        return paginate(Article.matching(**filters), Article.id, limit, cursor)

    @idempotent
    @blp.doc(operationId="createArticle", parameters=[IDEMPOTENCY_KEY])
    @blp.etag
    @blp.arguments(ArticleCreate)
    @errors(blp, *BODY_ERRORS)
    @blp.response(201, ArticleSchema, headers=LOCATION)
    def post(self, data):
        """Create an article

        The `url` must be unique (409); the body is stored verbatim, as published, and
        claims index into it by code point. Needs an API key with the `write` scope. The
        answer is 201 with the new article, its `Location` and `ETag`. Send an `Idempotency-
        Key` to make a retry safe.
        """
        with write_transaction():
            data["outlet"] = referenced(Outlet, data.pop("outlet_id"), "outlet_id")
            refuse_duplicate(Article, "url", data["url"])
            article = Article.create(key_prefix(), **data)
        article = get_or_404(Article.matching(), Article, article.id)
        return created(article, "articles.ArticleItem", article_id=article.id)


@blp.route("/<id:article_id>")
class ArticleItem(MethodView):
    @blp.doc(operationId="getArticle")
    @blp.etag
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, ArticleSchema)
    def get(self, article_id):
        """Get an article with its body

        The `ETag` identifies this version: send it as `If-None-Match` to get 304 when
        nothing changed, and as `If-Match` to change or delete it.
        """
        return get_or_404(Article.matching(), Article, article_id)

    @blp.doc(operationId="updateArticle")
    @blp.etag
    @blp.arguments(ArticlePatch, examples=CORRECTION_EXAMPLES)
    @errors(blp, 404, *BODY_ERRORS)
    @blp.response(200, ArticleSchema)
    def patch(self, data, article_id):
        """Change or correct an article

        A corrected body moves its claims with their text, or is refused with 409, listing
        the claims, if any can no longer be placed. When the correction changes the words a
        claim quotes, list that claim in `claims` with its new `text` (or `start` and `end`):
        it keeps its id, relations and history and gets a revision; every other claim moves
        as before. All or nothing: a listed claim that cannot be anchored (422, pointing at
        its entry), or that is not a claim of this article (422), changes nothing. Needs an
        API key with the `write` scope and `If-Match` with the current `ETag` (428 without
        it, 412 if someone changed it since); only the fields given change, and the answer
        carries the new `ETag`.
        """
        with write_transaction():
            article = locked(Article, article_id)
            blp.check_etag(get_or_404(Article.matching(), Article, article_id), ArticleSchema)
            if "outlet_id" in data:
                data["outlet"] = referenced(Outlet, data.pop("outlet_id"), "outlet_id")
            refuse_duplicate(Article, "url", data.get("url"), article_id)
            corrections = data.pop("claims", [])
            listed = {claim["id"]: index for index, claim in enumerate(corrections)}
            corrected = {claim.pop("id"): claim for claim in corrections}
            try:
                article.revise(key_prefix(), corrected, **data)
            except NotItsClaims as error:
                refuse_foreign_claims(error, listed)
            except Unanchorable as error:
                refuse_unanchorable(error, listed)
        return get_or_404(Article.matching(), Article, article_id)

    @blp.doc(operationId="deleteArticle")
    @blp.etag
    @blp.arguments(ArticleDeleteQuery, location="query", as_kwargs=True)
    @errors(blp, 404, 409, 422)
    @blp.response(204)
    def delete(self, article_id, cascade):
        """Delete an article

        An article with claims is a 409 unless `cascade=true`, which deletes its claims too.
        Needs an API key with the `write` scope and `If-Match` with the current `ETag` (428
        without it, 412 if it changed since). The answer is 204 with no body.
        """
        with write_transaction():
            article = locked(Article, article_id)
            blp.check_etag(get_or_404(Article.matching(), Article, article_id), ArticleSchema)
            if cascade:
                article.delete_with_claims(key_prefix())
                return
            try:
                article.refuse_delete_if_held()
            except InUse as error:
                refuse_in_use(error, "Send `cascade=true` to delete its claims with it.")
            article.delete_instance(key_prefix())


@blp.route("/<id:article_id>/revisions")
class ArticleRevisions(MethodView):
    @blp.doc(operationId="listArticleRevisions")
    @blp.arguments(RevisionQuery, location="query", as_kwargs=True)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, RevisionPage)
    def get(self, article_id, limit, cursor=None):
        """List the changes made to an article, oldest first

        Each revision says who changed what (field, old and new value) and when; paged like
        every list.
        """
        return revision_history(Article, article_id, limit, cursor)


@blp.route("/<id:article_id>/claims")
class ArticleClaims(MethodView):
    @blp.doc(operationId="listArticleClaims", **STREAMED_LIST_DOC)
    @blp.arguments(ClaimQuery(exclude=("article_id",)), location="query", as_kwargs=True)
    @blp.alt_response(406, response="NOT_ACCEPTABLE")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, ClaimPage)
    def get(self, article_id, limit, cursor=None, **filters):
        """List the claims anchored in an article

        404 if there is no such article. Pages by keyset: pass `next_cursor` back as
        `cursor` (also given in the `Link: rel=next` header) until it is null. Unknown query
        parameters are a 422, so typos never go unnoticed.
        """
        get_or_404(Article.select(Article.id), Article, article_id)
        return claims_page_or_stream(limit, cursor, article_id=article_id, **filters)
