"""Relations between claims: the same assertion carried by several outlets, a contradiction,
an elaboration, a later update; and suggestions for claims not yet related."""

from dataclasses import dataclass

from peewee import CharField, Check, ForeignKeyField

from models.base import BaseModel, one_of
from models.claim import Claim
from models.entity import Entity
from models.mention import ClaimMention
from models.search import AnyOf, SearchEntry, Words, engine
from models.tokens import words

RELATION_TYPES = ("same_assertion", "contradicts", "elaborates", "updates")
SYMMETRIC = ("same_assertion", "contradicts")
# How a directed relation reads from its target: "A updates B" is "B updated_by A".
INVERSE = {"elaborates": "elaborated_by", "updates": "updated_by"}
RELATION_NAMES = (*RELATION_TYPES, *INVERSE.values())


class SelfRelation(ValueError):
    def __init__(self, claim_id: int):
        super().__init__(f"claim {claim_id} cannot be related to itself")


class ClaimRelation(BaseModel):
    """`source` <type> `target`: "A updates B" (A is the later statement), "A elaborates B"; a
    symmetric relation is stored once, from the lower claim id."""

    source = ForeignKeyField(Claim, backref="relations_from", on_delete="CASCADE")
    target = ForeignKeyField(Claim, backref="relations_to", on_delete="CASCADE")
    type = CharField(max_length=16, constraints=[one_of("type", RELATION_TYPES)])

    class Meta:
        table_name = "claim_relation"
        indexes = ((("source", "target"), True),)
        constraints = [Check("source_id <> target_id")]

    def save(self, *args, **kwargs):
        if self.source_id == self.target_id:
            raise SelfRelation(self.source_id)
        self.source_id, self.target_id = oriented(self.source_id, self.target_id, self.type)
        return super().save(*args, **kwargs)

    def name_from(self, claim_id: int) -> str:
        """The relation as read from claim `claim_id`, one end of it."""
        return self.type if claim_id == self.source_id else INVERSE.get(self.type, self.type)

    def other_end(self, claim_id: int) -> int:
        return self.target_id if claim_id == self.source_id else self.source_id


def oriented(source, target, type: str) -> tuple:
    """The ends of a relation as stored: a symmetric one from the lower claim id."""
    if type in SYMMETRIC and _id(source) > _id(target):
        return target, source
    return source, target


def _id(claim) -> int:
    return claim if isinstance(claim, int) else claim.id


@dataclass
class Related:
    """A claim related to another: `id` is the relation's, `relation` reads from the other."""

    id: int
    relation: str
    claim: Claim


def relations_of(claim_id: int):
    """The relations with claim `claim_id` at either end."""
    return ClaimRelation.select().where(
        (ClaimRelation.source == claim_id) | (ClaimRelation.target == claim_id)
    )


def related_claims(claim_id: int, relations) -> list[Related]:
    """`relations` of claim `claim_id`, each with the claim at its other end, attributed."""
    relations = list(relations)
    others = [relation.other_end(claim_id) for relation in relations]
    claims = {claim.id: claim for claim in Claim.with_attribution().where(Claim.id.in_(others))}
    return [
        Related(relation.id, relation.name_from(claim_id), claims[other])
        for relation, other in zip(relations, others, strict=True)
        if other in claims  # not deleted since the relations were read
    ]


def assertions(claim_ids) -> list[list[int]]:
    """`claim_ids` grouped into assertions: claims linked, directly or through others, by
    `same_assertion`; a claim without such a link is an assertion of its own. Each group is
    sorted, and the groups are in the order of their first claim."""
    claim_ids = sorted(set(claim_ids))
    leader = {claim_id: claim_id for claim_id in claim_ids}

    def find(claim_id):
        while leader[claim_id] != claim_id:
            leader[claim_id] = leader[leader[claim_id]]
            claim_id = leader[claim_id]
        return claim_id

    links = ClaimRelation.select(ClaimRelation.source, ClaimRelation.target).where(
        (ClaimRelation.type == "same_assertion")
        & ClaimRelation.source.in_(claim_ids)
        & ClaimRelation.target.in_(claim_ids)
    )
    for link in links:
        first, second = sorted((find(link.source_id), find(link.target_id)))
        leader[second] = first
    groups: dict[int, list[int]] = {}
    for claim_id in claim_ids:
        groups.setdefault(find(claim_id), []).append(claim_id)
    return sorted(groups.values())


# Words that say little about what a statement asserts; left out of its similarity.
FUNCTION_WORDS = frozenset(
    words(
        """a about after all also an and any are as at be been being but by can could did do does
    for from had has have he her his how i if in into is it its may might more most no not now
    of on only or other our out over own s said says she should so some such than that the
    their them then there these they this those to told under up was we were what when where
    which while who will with would you"""
    )
)
SIMILAR_WORDS_SOUGHT = 12  # words of a claim used to find candidates
CANDIDATES = 500  # most candidates scored for one claim
ENTITY_WEIGHT = 0.25  # score added per entity two claims are both about


@dataclass
class Suggestion:
    """A claim that may be related to another: `score` = `similarity` (Jaccard index of their
    content words, 0 to 1) + 0.25 per entity both are about."""

    id: int
    score: float
    similarity: float
    shared_entities: list[Entity]
    claim: Claim


def content_words(text: str) -> set[str]:
    return {word.lower() for word in words(text)} - FUNCTION_WORDS


def suggest_relations(claim: Claim) -> list[Suggestion]:
    """Claims not yet related to `claim` that may be, best first: those that share content
    words or entities with it, ranked by word similarity plus shared entities."""
    own_words = content_words(claim.text)
    own_entities = {row.entity_id for row in claim.mentions}
    related = {relation.other_end(claim.id) for relation in relations_of(claim.id)}
    about_the_same = ClaimMention.select(ClaimMention.claim).where(
        ClaimMention.entity.in_(list(own_entities))
    )
    candidates = {row.claim_id for row in about_the_same.limit(CANDIDATES)}
    sought = sorted(own_words, key=lambda word: (-len(word), word))[:SIMILAR_WORDS_SOUGHT]
    if sought:
        tree = AnyOf(tuple(Words((word,)) for word in sought))
        matching = (
            SearchEntry.select(SearchEntry.ref)
            .where(engine().condition(tree) & (SearchEntry.kind == "claim"))
            .limit(CANDIDATES)
        )
        candidates |= {row.ref for row in matching}
    candidates -= related | {claim.id}
    if not candidates:
        return []
    entities_of: dict[int, set[int]] = {}
    for row in ClaimMention.select().where(ClaimMention.claim.in_(list(candidates))):
        entities_of.setdefault(row.claim_id, set()).add(row.entity_id)
    entities = {
        entity.id: entity for entity in Entity.select().where(Entity.id.in_(list(own_entities)))
    }
    suggestions = []
    for other in Claim.with_attribution().where(Claim.id.in_(list(candidates))):
        found = scored(own_words, own_entities, other, entities_of.get(other.id, set()), entities)
        if found is not None:
            suggestions.append(found)
    return sorted(suggestions, key=lambda suggestion: (-suggestion.score, suggestion.id))


def scored(
    own_words: set[str], own_entities: set[int], other: Claim, other_entities: set[int], entities
) -> Suggestion | None:
    """`other` suggested for a claim of these content words and entities (`entities`: id to
    Entity, for those), or None if the two share nothing."""
    other_words = content_words(other.text)
    union = own_words | other_words
    similarity = len(own_words & other_words) / len(union) if union else 0.0
    shared = sorted(own_entities & other_entities)
    score = similarity + ENTITY_WEIGHT * len(shared)
    if score <= 0:
        return None
    shared_entities = [entities[entity_id] for entity_id in shared]
    return Suggestion(other.id, round(score, 4), round(similarity, 4), shared_entities, other)
