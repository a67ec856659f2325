"""Score the extractor on the annotated dev set and time it, by hand (not in CI).

    .venv/bin/python bench/extraction.py            # per article and overall; speed; memory
    .venv/bin/python bench/extraction.py --verbose  # also each miss and false alarm

The dev set is bench/extraction_dev.yaml: the two seed articles, whose gold claims are read from
seeds/annotations.yaml, and articles of ../shared/corpora/news-2019 listed in its dev-ids.txt,
annotated by ../shared/docs/ATTRIBUTION-GUIDE.md as offsets, speaker, type and the sha256 of the
span (never the text: it is read from ../shared here, and the hash catches drift). Scoring is
extraction.scoring, the guide's rule. Results and the command: bench/EXTRACTION.md."""

import argparse
import hashlib
import json
import resource
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extraction import Directory, Known, extract  # noqa: E402
from extraction.scoring import Attribution, Score, score  # noqa: E402

DEV = ROOT / "bench" / "extraction_dev.yaml"
SEEDS = ROOT / "seeds" / "annotations.yaml"
CORPUS = ROOT.parent / "shared" / "corpora" / "news-2019" / "articles.jsonl"
SPEED_ROUNDS = 5
WORDS_PER_ARTICLE = 700


def sha256(s: str) -> str:
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


def seed_directory(seeds: dict) -> Directory:
    """The Directory a fresh `make serve` database holds: the seed speakers and outlets."""
    speakers = tuple(
        Known(i, s["name"], s["kind"], (s["name"], *(s.get("aliases") or [])))
        for i, s in enumerate(seeds["speakers"], 1)
    )
    outlets = tuple(
        Known(i, o["name"], "outlet", (o["name"],)) for i, o in enumerate(seeds["outlets"], 1)
    )
    return Directory(speakers, outlets)


def seed_articles(seeds: dict) -> list[tuple[str, str, list[Attribution]]]:
    """(name, body, gold) for each seed article; gold from its seeded claims."""
    names = {s["slug"]: s for s in seeds["speakers"]}
    result = []
    for article in seeds["articles"]:
        body = (ROOT / "seeds" / article["body"]).read_text(encoding="utf-8")
        gold = []
        for claim in seeds["claims"]:
            if claim["article"] != article["key"]:
                continue
            start = body.index(claim["text"])
            speaker = names[claim["speaker"]]
            mentions = tuple(speaker.get("aliases") or ())
            gold.append(
                Attribution(
                    start,
                    start + len(claim["text"]),
                    speaker["name"],
                    claim["quote_type"],
                    mentions,
                )
            )
        result.append((f"seed:{article['key']}", body, gold))
    return result


def corpus_articles(dev: dict) -> list[tuple[str, str, list[Attribution]]]:
    """(name, body, gold) for each annotated corpus article; refuses drifted annotations."""
    wanted = {a["id"]: a for a in dev["articles"]}
    bodies = {}
    with CORPUS.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row["id"] in wanted:
                bodies[row["id"]] = row["body"]
    result = []
    for article_id, article in wanted.items():
        body = bodies[article_id]
        gold = []
        for a in article["attributions"] or []:
            span = body[a["start"] : a["end"]]
            if sha256(span) != a["sha256"]:
                sys.exit(f"{article_id}: the span at {a['start']}:{a['end']} has drifted")
            gold.append(
                Attribution(
                    a["start"], a["end"], a["speaker"], a["type"], tuple(a.get("mentions") or ())
                )
            )
        result.append((article_id[:12], body, gold))
    return result


def proposed(body: str, directory: Directory) -> list[Attribution]:
    return [
        Attribution(p.content.start, p.content.end, p.speaker.name, p.quote_type)
        for p in extract(body, directory)
    ]


def report(name: str, s: Score) -> str:
    return (
        f"| {name} | {s.gold} | {s.proposed} | {s.matched} | {s.recall:.2f} | {s.precision:.2f} "
        f"| {s.f1:.2f} | {s.exact_rate:.2f} | {s.speaker_accuracy:.2f} | {s.type_accuracy:.2f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print misses and false alarms")
    args = parser.parse_args()
    seeds = yaml.safe_load(SEEDS.read_text(encoding="utf-8"))
    dev = yaml.safe_load(DEV.read_text(encoding="utf-8"))
    directory = seed_directory(seeds)
    articles = seed_articles(seeds) + corpus_articles(dev)

    print(
        "| article | gold | proposed | matched | recall | precision | F1 | exact span "
        "| speaker | type |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    total = Score()
    for name, body, gold in articles:
        mine = proposed(body, directory)
        s = score(body, gold, mine)
        total = total + s
        print(report(name, s))
        if args.verbose:
            _explain(body, gold, mine, s)
    print(report("**overall**", total))

    words = sum(len(body.split()) for _, body, _ in articles)
    began = time.process_time()
    for _ in range(SPEED_ROUNDS):
        for _, body, _ in articles:
            extract(body, directory)
    elapsed = time.process_time() - began
    rate = SPEED_ROUNDS * words / WORDS_PER_ARTICLE / elapsed
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\nspeed: {rate:.0f} articles/s of {WORDS_PER_ARTICLE} words of CPU time on one core "
        f"({SPEED_ROUNDS} rounds over {len(articles)} articles, {words} words); "
        f"peak memory {peak:.0f} MB"
    )


def _explain(body: str, gold: list[Attribution], mine: list[Attribution], s: Score) -> None:
    matched_gold = {g for g, _ in s.pairs}
    matched_mine = {p for _, p in s.pairs}
    for gi, pi in s.pairs:
        g, p = gold[gi], mine[pi]
        print(
            f"    = {g.quote_type}/{p.quote_type} {g.speaker!r}/{p.speaker!r} "
            f"{g.start}:{g.end}/{p.start}:{p.end}"
        )
    for gi, g in enumerate(gold):
        if gi not in matched_gold:
            print(f"    - missed {g.quote_type} {g.speaker!r}: {body[g.start : g.end][:80]!r}")
    for pi, p in enumerate(mine):
        if pi not in matched_mine:
            print(f"    + extra {p.quote_type} {p.speaker!r}: {body[p.start : p.end][:80]!r}")


if __name__ == "__main__":
    main()
