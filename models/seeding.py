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
from models.outlet import Outlet
from models.speaker import Speaker, SpeakerAlias


class SeedError(ValueError):
    """The seed files contradict themselves or the articles; nothing was loaded."""


def load_seeds(directory: Path) -> Counter:
    """Load `directory`/annotations.yaml in one transaction; count what was created/updated."""
    annotations = yaml.safe_load((directory / "annotations.yaml").read_text(encoding="utf-8"))
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
