"""Every list filter is served by an index in id order (migration 0005), on both databases."""

import pytest

from models import Article, Claim, Speaker, database
from tests.conftest import ON_POSTGRES

# (the query a filtered list page runs, the index that must serve it)
FILTERED_PAGES = {
    "claims by speaker": (lambda: Claim.matching(speaker_id=1), "claim_speaker_id_id"),
    "claims by article": (lambda: Claim.matching(article_id=1), "claim_article_id_id"),
    "claims by quote type": (lambda: Claim.matching(quote_type="direct"), "claim_quote_type_id"),
    "claims by cue": (lambda: Claim.matching(cue="Told"), "claim_lower_cue_id"),
    "articles by outlet": (lambda: Article.matching(outlet_id=1), "article_outlet_id_id"),
    "speakers by kind": (lambda: Speaker.matching(kind="person"), "speaker_kind_id"),
}


def plan(query) -> str:
    sql, params = query.sql()
    if ON_POSTGRES:
        with database.atomic():
            # Tables this small are cheaper to scan: ask whether the index can serve the query.
            database.execute_sql("SET LOCAL enable_seqscan = off")
            rows = database.execute_sql(f"EXPLAIN {sql}", params).fetchall()
        return "\n".join(row[0] for row in rows)
    rows = database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    return "\n".join(row[-1] for row in rows)


@pytest.mark.parametrize("page", FILTERED_PAGES)
def test_filtered_pages_read_their_index(seeded, page):
    query, index = FILTERED_PAGES[page]
    model = query().model
    with database.connection_context():
        assert index in plan(query().order_by(model.id).limit(51))
