"""/v1/outlets: publishers, and the outlets through which statements were relayed."""

from flask.views import MethodView

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
    write_transaction,
)
from models import Article, InUse, Outlet
from schemas.article import ArticlePage, ArticleQuery
from schemas.claim import ClaimPage, ClaimQuery
from schemas.outlet import OutletCreate, OutletPage, OutletPatch, OutletQuery, OutletSchema

blp = Blueprint("outlets", __name__, url_prefix="/v1/outlets", description="News outlets.")


@blp.route("")
class Outlets(MethodView):
    @blp.doc(operationId="listOutlets")
    @blp.arguments(OutletQuery, location="query", as_kwargs=True)
    @blp.response(200, OutletPage)
    def get(self, limit, cursor=None):
        """List outlets

        Pages by keyset: pass `next_cursor` back as `cursor` (also given in the `Link:
        rel=next` header) until it is null. Unknown query parameters are a 422, so typos
        never go unnoticed.
        """
        return paginate(Outlet.select(), Outlet.id, limit, cursor)

    @idempotent
    @blp.doc(operationId="createOutlet", parameters=[IDEMPOTENCY_KEY])
    @blp.etag
    @blp.arguments(OutletCreate)
    @errors(blp, *BODY_ERRORS)
    @blp.response(201, OutletSchema, headers=LOCATION)
    def post(self, data):
        """Create an outlet

        The slug is derived from the name when not given and must be unique (409). Needs an
        API key with the `write` scope. The answer is 201 with the new outlet, its
        `Location` and `ETag`. Send an `Idempotency-Key` to make a retry safe.
        """
        with write_transaction():
            refuse_duplicate(Outlet, "slug", data["slug"])
            outlet = Outlet.create(**data)
        outlet = get_or_404(Outlet.select(), Outlet, outlet.id)  # as stored, as GET shows it
        return created(outlet, "outlets.OutletItem", outlet_id=outlet.id)


@blp.route("/<id:outlet_id>")
class OutletItem(MethodView):
    @blp.doc(operationId="getOutlet")
    @blp.etag
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, OutletSchema)
    def get(self, outlet_id):
        """Get an outlet

        The `ETag` identifies this version: send it as `If-None-Match` to get 304 when
        nothing changed, and as `If-Match` to change or delete it.
        """
        return get_or_404(Outlet.select(), Outlet, outlet_id)

    @blp.doc(operationId="updateOutlet")
    @blp.etag
    @blp.arguments(OutletPatch)
    @errors(blp, 404, *BODY_ERRORS)
    @blp.response(200, OutletSchema)
    def patch(self, data, outlet_id):
        """Change an outlet

        Needs an API key with the `write` scope and `If-Match` with the current `ETag` (428
        without it, 412 if someone changed it since); only the fields given change, and the
        answer carries the new `ETag`.
        """
        with write_transaction():
            outlet = locked(Outlet, outlet_id)
            blp.check_etag(outlet, OutletSchema)
            refuse_duplicate(Outlet, "slug", data.get("slug"), outlet_id)
            outlet.save_changes(**data)
        return get_or_404(Outlet.select(), Outlet, outlet_id)

    @blp.doc(operationId="deleteOutlet")
    @blp.etag
    @errors(blp, 404, 409)
    @blp.response(204)
    def delete(self, outlet_id):
        """Delete an outlet that no article or claim refers to

        An outlet that still has articles, or relayed a claim, is a 409. Needs an API key
        with the `write` scope and `If-Match` with the current `ETag` (428 without it, 412
        if it changed since). The answer is 204 with no body.
        """
        with write_transaction():
            outlet = locked(Outlet, outlet_id)
            blp.check_etag(outlet, OutletSchema)
            try:
                outlet.refuse_delete_if_held()
            except InUse as error:
                refuse_in_use(error, "Delete or move its articles and claims first.")
            outlet.delete_instance()


@blp.route("/<id:outlet_id>/articles")
class OutletArticles(MethodView):
    @blp.doc(operationId="listOutletArticles")
    @blp.arguments(ArticleQuery(exclude=("outlet_id",)), location="query", as_kwargs=True)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, ArticlePage)
    def get(self, outlet_id, limit, cursor=None, **filters):
        """List the articles an outlet published

        404 if there is no such outlet. Pages by keyset: pass `next_cursor` back as `cursor`
        (also given in the `Link: rel=next` header) until it is null. Unknown query
        parameters are a 422, so typos never go unnoticed.
        """
        get_or_404(Outlet.select(), Outlet, outlet_id)
        return paginate(Article.matching(outlet_id=outlet_id, **filters), Article.id, limit, cursor)


@blp.route("/<id:outlet_id>/claims")
class OutletClaims(MethodView):
    @blp.doc(operationId="listOutletClaims", **STREAMED_LIST_DOC)
    @blp.arguments(ClaimQuery(exclude=("outlet_id",)), location="query", as_kwargs=True)
    @blp.alt_response(406, response="NOT_ACCEPTABLE")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, ClaimPage)
    def get(self, outlet_id, limit, cursor=None, **filters):
        """List the claims in an outlet's articles

        404 if there is no such outlet. Pages by keyset: pass `next_cursor` back as `cursor`
        (also given in the `Link: rel=next` header) until it is null. Unknown query
        parameters are a 422, so typos never go unnoticed.
        """
        get_or_404(Outlet.select(), Outlet, outlet_id)
        return claims_page_or_stream(limit, cursor, outlet_id=outlet_id, **filters)
