"""Clustering at scale: a synthetic stream of a million articles through the online clusterer.

    python -m newsfuse.bench.clustering_scale [--n 1000000] [--data ../shared/data/clustering]

The stream is built here from real texts (the ECB+ articles and the GoogleNews headlines),
repeated and perturbed: each synthetic event takes a base text, gives it event-specific names
and numbers, and is reported 1-8 times, each report with sentences dropped and words swapped.
Time runs forward at `--per-day` articles a day, so the clusterer's window retires old stories
as a real stream would. Base texts are dealt from a shuffled deck, so one comes back as a new
event only after the whole deck (about 4,300 events, some 19 days at the default rate), past
the 14-day window: a base text's return is a different event, as in the real stream.

Embedding cost is measured on the base texts and stated separately; the stream's embeddings
are the base text's vector plus noise, so a million articles do not need a million encoder
passes. Features (terms, names) are computed for every article, in chunks, and timed apart
from assignment, which is the figure the target is about (>= 1,000 assignments/s once
features are computed, peak memory <= 2 GB). Peak memory is the process's maximum resident
set size (ru_maxrss), which includes the embedding model and Python itself.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from newsfuse.cluster.embed import UseEmbedder, embedding_text
from newsfuse.cluster.features import ArticleFeatures, featurize
from newsfuse.cluster.online import OnlineClusterer
from newsfuse.config import ClusterOptions
from newsfuse.model import Article

DEFAULT_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "clustering"
START = datetime(2020, 1, 1, tzinfo=UTC)
_SYLLABLES = ("ka", "ro", "mi", "tu", "sel", "var", "den", "ol", "bri", "zan", "tor", "el")


@dataclass(frozen=True, slots=True)
class Base:
    title: str
    sentences: tuple[str, ...]
    embedding: np.ndarray


@dataclass(frozen=True, slots=True)
class Synthetic:
    article: Article
    event: int
    embedding: np.ndarray


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(3)).capitalize()


def _event_text(base: Base, rng: random.Random) -> tuple[str, list[str]]:
    """An event's own version of a base text: its names and numbers replace the base's."""
    names = [_name(rng) for _ in range(3)]
    number = str(rng.randint(2, 9999))
    title = f"{base.title} in {names[0]}"
    sentences = [
        f"{s} {names[i % 3]} officials said {number}." if i % 3 == 0 else s
        for i, s in enumerate(base.sentences)
    ]
    return title, sentences


def _report(sentences: list[str], rng: random.Random) -> str:
    """One outlet's copy: about a fifth of the sentences dropped, a few words swapped."""
    kept = [s for s in sentences if rng.random() > 0.2] or sentences[:1]
    words = " ".join(kept).split(" ")
    for _ in range(max(1, len(words) // 50)):
        i, j = rng.randrange(len(words)), rng.randrange(len(words))
        words[i], words[j] = words[j], words[i]
    return " ".join(words)


def stream(bases: list[Base], n: int, per_day: float, seed: int) -> Iterator[Synthetic]:
    """`n` articles in time order: events open at a steady rate, each reported 1-8 times."""
    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    seconds_per_article = 86400.0 / per_day
    open_events: list[tuple[int, Base, str, list[str], int]] = []
    deck: list[Base] = []
    event = 0
    for i in range(n):
        now = START + timedelta(seconds=i * seconds_per_article)
        if not open_events or rng.random() < 0.25:
            if not deck:
                deck = bases[:]
                rng.shuffle(deck)
            base = deck.pop()
            title, sentences = _event_text(base, rng)
            open_events.append((event, base, title, sentences, rng.randint(1, 8)))
            event += 1
        slot = rng.randrange(len(open_events))
        number, base, title, sentences, left = open_events[slot]
        if left <= 1:
            open_events.pop(slot)
        else:
            open_events[slot] = (number, base, title, sentences, left - 1)
        vector = base.embedding + noise.normal(0, 0.02, base.embedding.shape).astype(np.float32)
        vector /= np.linalg.norm(vector)
        article = Article(
            id=f"{i:012d}",
            source=f"synthetic:{i}",
            text=_report(sentences, rng),
            title=title,
            outlet=f"Outlet {rng.randrange(200)}",
            published=now,
            fetched_at=now,
        )
        yield Synthetic(article, number, vector)


def load_bases(data: Path, embed: bool) -> tuple[list[Base], float]:
    rows = [
        json.loads(line)
        for name in ("ecbplus.devkit.jsonl", "googlenews.devkit.jsonl")
        for line in (data / name).open(encoding="utf-8")
    ]
    texts = [embedding_text(r["title"], r["text"]) for r in rows]
    rate = 0.0
    if embed:
        started = time.perf_counter()
        vectors = UseEmbedder().embed(texts)
        rate = len(texts) / (time.perf_counter() - started)
    else:
        vectors = np.random.default_rng(0).normal(size=(len(rows), 512)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    bases = [
        Base(r["title"], tuple(s for s in r["text"].split("\n") if s.strip()), vectors[i])
        for i, r in enumerate(rows)
    ]
    return bases, rate


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="articles in the stream")
    parser.add_argument("--per-day", type=float, default=1000.0, help="articles a day")
    parser.add_argument("--chunk", type=int, default=10_000, help="features computed per chunk")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--no-embed", action="store_true", help="no embedding model at all")
    args = parser.parse_args(argv)
    if not (args.data / "ecbplus.devkit.jsonl").is_file():
        print(f"no ECB+ data under {args.data}", file=sys.stderr)
        return 2

    bases, embed_rate = load_bases(args.data, embed=not args.no_embed)
    clusterer = OnlineClusterer(ClusterOptions(embed=not args.no_embed))
    feature_s = assign_s = 0.0
    events: Counter[int] = Counter()
    joint: Counter[tuple[int, str]] = Counter()
    done = 0
    chunk: list[Synthetic] = []
    report_every = max(args.n // 10, args.chunk)

    def place(batch: list[Synthetic]) -> None:
        nonlocal feature_s, assign_s, done
        started = time.perf_counter()
        feats: list[ArticleFeatures] = [
            featurize(
                s.article,
                embedding=None if args.no_embed else s.embedding,
                time=s.article.published,
            )
            for s in batch
        ]
        feature_s += time.perf_counter() - started
        started = time.perf_counter()
        placed = [clusterer.place(f) for f in feats]
        assign_s += time.perf_counter() - started
        for s, p in zip(batch, placed, strict=True):
            events[s.event] += 1
            joint[(s.event, p.story_id)] += 1
        done += len(batch)
        if done % report_every < len(batch):
            print(
                f"  {done:>9,} articles: {done / assign_s:,.0f} assignments/s, "
                f"features {done / feature_s:,.0f}/s, peak {_peak_mb():,.0f} MB",
                flush=True,
            )

    for synthetic in stream(bases, args.n, args.per_day, args.seed):
        chunk.append(synthetic)
        if len(chunk) >= args.chunk:
            place(chunk)
            chunk = []
    if chunk:
        place(chunk)

    # Merges rename stories; score by the surviving ids.
    resolved: Counter[tuple[int, str]] = Counter()
    for (event, story), count in joint.items():
        resolved[(event, clusterer.resolve(story))] += count
    story_sizes: Counter[str] = Counter()
    for (_, story), count in resolved.items():
        story_sizes[story] += count

    print(
        f"synthetic stream: {done:,} articles, {len(events):,} events, "
        f"{len(story_sizes):,} stories, {args.per_day:,.0f} articles/day"
    )
    print(f"{'assignment':<22}{done / assign_s:>12,.0f} articles/s  ({assign_s:,.0f} s)")
    print(f"{'features (terms)':<22}{done / feature_s:>12,.0f} articles/s  ({feature_s:,.0f} s)")
    if embed_rate:
        print(f"{'embedding (USE, 1 thr)':<22}{embed_rate:>12,.0f} texts/s  (title + lead)")
    print(f"{'peak memory (maxrss)':<22}{_peak_mb():>12,.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
