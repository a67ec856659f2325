"""Which entities each claim is about: detected from the spellings in its text, or annotated
where the text refers to an entity without naming it ("it took the ISIL stronghold")."""

from peewee import CharField, ForeignKeyField

from models.base import Table, one_of
from models.claim import Claim
from models.entity import Entity, detect_mentions

MENTION_SOURCES = ("detected", "annotated")


class ClaimMention(Table):
    claim = ForeignKeyField(Claim, backref="mentions", on_delete="CASCADE")
    entity = ForeignKeyField(Entity, backref="mentions", on_delete="CASCADE")
    source = CharField(max_length=9, constraints=[one_of("source", MENTION_SOURCES)])

    class Meta:
        table_name = "claim_mention"
        indexes = ((("claim", "entity"), True),)


def link_mentions(claim: Claim) -> bool:
    """Bring `claim`'s detected mentions in line with its text; annotated ones are kept.
    Call after every write of a claim's text. Returns whether any link changed."""
    named = {entity.id for entity in detect_mentions(claim.text)}
    linked = {row.entity_id: row.source for row in claim.mentions}
    stale = [
        entity for entity, source in linked.items() if source == "detected" and entity not in named
    ]
    new = [
        {"claim": claim, "entity": entity, "source": "detected"} for entity in named - set(linked)
    ]
    if stale:
        ClaimMention.delete().where(
            (ClaimMention.claim == claim) & ClaimMention.entity.in_(stale)
        ).execute()
    if new:
        ClaimMention.insert_many(new).execute()
    return bool(stale or new)


def annotate_mention(claim: Claim, entity: Entity) -> bool:
    """Record that `claim` is about `entity` though it may not name it; returns whether this
    changed anything."""
    row = ClaimMention.get_or_none(claim=claim, entity=entity)
    if row is None:
        ClaimMention.create(claim=claim, entity=entity, source="annotated")
        return True
    if row.source != "annotated":
        row.source = "annotated"
        row.save()
        return True
    return False
