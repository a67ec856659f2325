"""/v1/search: one query over claim texts, article headlines and bodies, and speaker names."""

from flask.views import MethodView

from api.blueprint import Blueprint
from api.pagination import paginate_by_position
from models import Article, Claim, Outlet
from models.search import KINDS, search
from schemas.search import SearchPage, SearchQuery

blp = Blueprint(
    "search",
    __name__,
    url_prefix="/v1/search",
    description="Full-text search over claims, articles and speakers, across spellings.",
)


@blp.route("")
class Search(MethodView):
    @blp.doc(operationId="searchAll")
    @blp.arguments(SearchQuery, location="query", as_kwargs=True)
    @blp.response(200, SearchPage)
    def get(self, q, limit, cursor=None, kind=None):
        """Search claims, articles and speakers; best hits first, matches marked

        One ranked list of claims (their text), articles (headline and body) and speakers
        (name and aliases). A word or phrase that spells an entity also finds its other
        spellings and the claims about it; `entities` says which. Pages follow the ranking.
        """
        widened_to = []

        def fetch(offset, count):
            hits, entities = search(q, kind or KINDS, offset, count)
            widened_to.extend(entities)
            return attributed(hits)

        page, headers = paginate_by_position(fetch, limit, cursor)
        return {**page, "entities": widened_to}, headers


def attributed(hits):
    """`hits` with the outlet of each claim and article, and the speaker of each claim."""
    claims = {
        claim.id: claim
        for claim in Claim.with_attribution().where(
            Claim.id.in_([hit.id for hit in hits if hit.kind == "claim"])
        )
    }
    articles = {
        article.id: article
        for article in Article.select(Article, Outlet)
        .join(Outlet)
        .where(Article.id.in_([hit.id for hit in hits if hit.kind == "article"]))
    }
    for hit in hits:
        if hit.kind == "claim" and hit.id in claims:
            hit.outlet, hit.speaker = claims[hit.id].outlet, claims[hit.id].speaker
        elif hit.kind == "article" and hit.id in articles:
            hit.outlet = articles[hit.id].outlet
    # A claim or article deleted since the search leaves its hit behind.
    rows = {"claim": claims, "article": articles}
    return [hit for hit in hits if hit.kind not in rows or hit.id in rows[hit.kind]]
