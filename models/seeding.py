"""Loading the annotated seed articles (`seeds/annotations.yaml`) into the database.

Loading is idempotent: rows are matched by their natural keys (slugs, article URL, a claim's
article, speaker and span) and only changed values are written, so a second run changes nothing.
"""

from collections import Counter
from pathlib import Path

import yaml

from models.article import AnchorError, Article
from models.claim import Claim
from models.db import database
from models.entity import Entity, EntityAlias
from models.event import Event, EventArticle, EventEntity
from models.mention import annotate_mention, link_mentions
from models.outlet import Outlet
from models.relation import ClaimRelation, oriented
from models.speaker import Speaker, SpeakerAlias

# libyaml's safe loader where PyYAML was built with it: ten times faster than the pure one.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SeedError(ValueError):
    """The seed files contradict themselves or the articles; nothing was loaded."""


def load_seeds(directory: Path) -> Counter:
    """Load `directory`/annotations.yaml in one transaction; count what was created/updated."""
    text = (directory / "annotations.yaml").read_text(encoding="utf-8")
    annotations = yaml.load(text, Loader=SAFE_LOADER)
    counts = Counter()
    with database.atomic():
        outlets = {
            entry["slug"]: _upsert(Outlet, counts, {"slug": entry["slug"]}, entry)
            for entry in annotations["outlets"]
        }
        articles = {}
        for entry in annotations["articles"]:
            fields = {key: value for key, value in entry.items() if key not in ("key", "body")}
            fields["outlet"] = outlets[entry["outlet"]]
            fields["body"] = (directory / entry["body"]).read_text(encoding="utf-8")
            articles[entry["key"]] = _upsert(Article, counts, {"url": entry["url"]}, fields)
        speakers = {}
        for entry in annotations["speakers"]:
            fields = {key: value for key, value in entry.items() if key != "aliases"}
            speaker = _upsert(Speaker, counts, {"slug": entry["slug"]}, fields)
            for alias in entry.get("aliases", []):
                _, created = SpeakerAlias.get_or_create(speaker=speaker, alias=alias)
                counts["alias created"] += created
            speakers[entry["slug"]] = speaker
        for number, entry in enumerate(annotations["claims"], start=1):
            _load_claim(number, entry, articles, speakers, outlets, counts)
        _load_entities_events_relations(annotations, articles, counts)
    return counts


def _load_claim(number, entry, articles, speakers, outlets, counts) -> None:
    article, speaker = articles[entry["article"]], speakers[entry["speaker"]]
    try:
        claim = Claim.anchored(article, entry["text"], entry.get("start"), speaker=speaker)
    except AnchorError as error:
        raise SeedError(
            f"claim {number} ({entry['speaker']}, {entry['article']}): {error}"
        ) from None
    fields = {
        "quote_type": entry["quote_type"],
        "cue": entry.get("cue"),
        "via": outlets[entry["via"]] if entry.get("via") else None,
        "stated_on": entry.get("stated_on"),
        "stated_on_note": entry.get("stated_on_note"),
    }
    key = {"article": article, "speaker": speaker, "start": claim.start, "end": claim.end}
    _upsert(Claim, counts, key, {"text": claim.text, **fields})


def _upsert(model, counts: Counter, key: dict, fields: dict):
    """The row matching `key`, created from `fields` or brought up to date with them."""
    conditions = [getattr(model, name) == value for name, value in key.items()]
    row = model.get_or_none(*conditions)
    name = model.__name__.lower()
    if row is None:
        counts[f"{name} created"] += 1
        return model.create(**{**fields, **key})
    counts[f"{name} updated"] += row.save_changes(**fields)
    return row


def _load_entities_events_relations(annotations, articles, counts: Counter) -> None:
    """Entities with their spellings, which claims are about them, events and relations."""
    entities = {}
    for entry in annotations.get("entities", []):
        fields = {key: value for key, value in entry.items() if key != "aliases"}
        entity = _upsert(Entity, counts, {"slug": entry["slug"]}, fields)
        for alias in [entity.name, *entry.get("aliases", [])]:
            _, created = EntityAlias.get_or_create(entity=entity, alias=alias)
            counts["entity alias created"] += created
        entities[entry["slug"]] = entity
    for claim in Claim.select():
        counts["claim mentions detected"] += link_mentions(claim)
    for entry in annotations.get("mentions", []):
        claim = _claim_named(entry["claim"], articles, "mention")
        for slug in entry["entities"]:
            counts["claim mention annotated"] += annotate_mention(claim, _entity(entities, slug))
    for entry in annotations.get("events", []):
        fields = {key: value for key, value in entry.items() if key not in ("articles", "entities")}
        event = _upsert(Event, counts, {"slug": entry["slug"]}, fields)
        for key in entry.get("articles", []):
            article = articles.get(key) or _unknown("article", key)
            _, created = EventArticle.get_or_create(event=event, article=article)
            counts["event article linked"] += created
        for slug in entry.get("entities", []):
            _, created = EventEntity.get_or_create(event=event, entity=_entity(entities, slug))
            counts["event entity linked"] += created
    for number, entry in enumerate(annotations.get("relations", []), start=1):
        what = f"relation {number} ({entry['type']})"
        source, target = oriented(
            _claim_named(entry["source"], articles, what),
            _claim_named(entry["target"], articles, what),
            entry["type"],
        )
        key = {"source": source, "target": target}
        _upsert(ClaimRelation, counts, key, {"type": entry["type"]})


def _claim_named(reference: dict, articles: dict, what: str) -> Claim:
    """The one claim of the article `reference["article"]` whose text is `reference["text"]`."""
    article = articles.get(reference["article"]) or _unknown("article", reference["article"])
    found = list(
        Claim.select().where((Claim.article == article) & (Claim.text == reference["text"]))
    )
    if len(found) != 1:
        raise SeedError(
            f"{what}: {len(found)} claims of article {reference['article']!r} have the text "
            f"{reference['text']!r}; exactly one must"
        )
    return found[0]


def _entity(entities: dict, slug: str) -> Entity:
    return entities.get(slug) or _unknown("entity", slug)


def _unknown(what: str, key: str):
    raise SeedError(f"there is no {what} {key!r} in the seeds")
