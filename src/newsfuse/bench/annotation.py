"""Annotation throughput: articles/s for the whole annotate stage, and what each part costs.

    python -m newsfuse.bench.annotation [--data ../shared/data/quotes/polnear/documents_dev.jsonl]
                                        [--limit 84] [--processes 1 2]

Reads article texts from a JSONL file with `text` (and optionally `publication_date`), by
default PolNeAR dev (news articles of about 800 words), one record per article. Prints:
- each spaCy component's share (tok2vec, tagger, senter, attribute_ruler, ner), measured by
  running the components one after the other over the same batch;
- our own parts: entities + places, quotes, dates, events (ms per article);
- end to end `Annotator.annotate` with 1 and 2 worker processes, in articles/s (wall).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from newsfuse.model import Article

DEFAULT_DATA = Path("../shared/data/quotes/polnear/documents_dev.jsonl")
TARGET_ARTICLES_PER_S = 20.0


def load_articles(path: Path, limit: int) -> list[Article]:
    """One article per distinct `article` key (PolNeAR has one record per annotator)."""
    seen: set[str] = set()
    out: list[Article] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            key = str(record.get("article") or record.get("id") or len(out))
            if key in seen or not record.get("text"):
                continue
            seen.add(key)
            published = _date(record.get("publication_date"))
            out.append(
                Article(
                    id=f"bench{len(out):05d}",
                    source=str(path),
                    text=record["text"],
                    title=record.get("title"),
                    published=published,
                    language="en",
                )
            )
            if len(out) >= limit:
                break
    return out


def _date(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value[:10]).replace(tzinfo=UTC)
    except ValueError:
        return None


def component_costs(texts: Sequence[str], batch_size: int = 32) -> dict[str, float]:
    """Seconds each spaCy component takes over the texts (tokenizer included)."""
    from newsfuse.annotate.nlp import english

    nlp = english()
    costs: dict[str, float] = {}
    t0 = time.perf_counter()
    docs = [nlp.make_doc(t) for t in texts]
    costs["tokenizer"] = time.perf_counter() - t0
    for name, proc in nlp.pipeline:
        t0 = time.perf_counter()
        docs = (
            list(proc.pipe(docs, batch_size=batch_size))
            if hasattr(proc, "pipe")
            else [proc(d) for d in docs]
        )
        costs[name] = time.perf_counter() - t0
    return costs


def our_costs(articles: Sequence[Article]) -> dict[str, float]:
    """Seconds our own annotators take over the articles, given spaCy's docs."""
    from newsfuse.annotate import dates, entities, events, places, quotes
    from newsfuse.annotate.actors import Gazetteer
    from newsfuse.annotate.event_model import EventModel
    from newsfuse.annotate.nlp import english

    nlp = english()
    gazetteer = Gazetteer.default()
    model = EventModel.default()
    model.predict(["Warm-up: Ruritania met Freedonia."])
    docs = list(nlp.pipe((a.text for a in articles), batch_size=32))
    costs = {"entities+places": 0.0, "quotes": 0.0, "dates": 0.0, "events": 0.0}
    for article, doc in zip(articles, docs, strict=True):
        t0 = time.perf_counter()
        anchor = dates.infer_anchor(article.text, article.published, None, None, article.captions)
        found_dates = dates.find_dates(article.text, anchor)
        t1 = time.perf_counter()
        resolver = entities.EntityResolver(gazetteer, anchor.day)
        resolver.add(doc)
        found_places = places.find_places(resolver.found(), gazetteer)
        t2 = time.perf_counter()
        quotes.find_quotes(doc)
        t3 = time.perf_counter()
        sentences = [(s.start_char, s.end_char) for s in doc.sents]
        events.code_events(
            article.text, sentences, resolver.mentions(), found_dates, found_places, model
        )
        t4 = time.perf_counter()
        costs["dates"] += t1 - t0
        costs["entities+places"] += t2 - t1
        costs["quotes"] += t3 - t2
        costs["events"] += t4 - t3
    return costs


def end_to_end(articles: Sequence[Article], processes: int) -> float:
    """Articles/s of `Annotator.annotate` over all articles (wall clock, workers started)."""
    from newsfuse.annotate.annotator import Annotator
    from newsfuse.config import AnnotateOptions

    options = replace(AnnotateOptions(), n_process=processes)
    with Annotator(options) as annotator:
        # load the models (and start the worker processes) outside the timing
        annotator.annotate(articles[: options.batch_size * processes])
        t0 = time.perf_counter()
        results = annotator.annotate(articles)
        elapsed = time.perf_counter() - t0
    failed = sum(1 for r in results if r.status != "annotated")
    if failed:
        print(f"  ({failed} articles not annotated)")
    return len(articles) / elapsed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=84)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"no data at {args.data}", file=sys.stderr)
        return 2
    articles = load_articles(args.data, args.limit)
    words = sum(len(a.text.split()) for a in articles) / max(1, len(articles))
    print(f"{len(articles)} articles from {args.data}, {words:.0f} words on average\n")

    from newsfuse.annotate.nlp import english, model_version

    english()
    costs = component_costs([a.text for a in articles])
    ours = our_costs(articles)
    total = sum(costs.values()) + sum(ours.values())
    print(f"cost per article, one process ({model_version()}):")
    print(f"  {'part':<18}{'ms/article':>12}{'share':>8}")
    for name, seconds in [*costs.items(), *ours.items()]:
        ms = 1000 * seconds / len(articles)
        print(f"  {name:<18}{ms:>12.1f}{seconds / total:>8.0%}")
    print(f"  {'total':<18}{1000 * total / len(articles):>12.1f}")
    print(f"  => {len(articles) / total:.1f} articles/s on one core\n")

    print("end to end (Annotator.annotate, wall clock):")
    for processes in args.processes:
        rate = end_to_end(articles, processes)
        mark = "met" if rate >= TARGET_ARTICLES_PER_S else "MISSED"
        print(
            f"  {processes} process(es): {rate:.1f} articles/s  "
            f"(target {TARGET_ARTICLES_PER_S:.0f} on 2 cores: {mark})"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (this process): {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
