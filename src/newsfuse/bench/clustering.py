"""Story clustering benchmark: the online clusterer vs single-pass TF-IDF, on ECB+ and GoogleNews.

    python -m newsfuse.bench.clustering [--data ../shared/data/clustering] [--no-embed]

Each dataset is fed online, in its stream order: GoogleNews by `stream_pos_news_t` (rows
without it after, by `stream_pos_news`), ECB+ in file order. Articles are built from the
title, text, date, language and URL only; the gold `cluster_id`, `topic` and `split` are
read for scoring and nothing else. Scores come from the reference scorer `cluster_metrics.py`
that sits beside the data (pairwise P/R/F1 as Miranda et al. 2018, BCubed, NMI).

Timings: embedding (USE, docs/s) and assignment (articles/s, features and embeddings already
computed) are measured apart. Memory is the process's peak resident set (ru_maxrss), which
includes the embedding model and the data; the clusterer's own state size is printed too.

The reference system is plain single-pass clustering on TF-IDF centroids (title twice, body,
online document frequencies, cosine >= 0.2 joins the best story, else a new one), with the
same tokeniser, so the ratio between the two rows is the clusterer's own contribution.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import resource
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from types import ModuleType

import numpy as np

from newsfuse.cluster.embed import UseEmbedder, embedding_text
from newsfuse.cluster.features import ArticleFeatures, featurize, terms
from newsfuse.cluster.online import OnlineClusterer
from newsfuse.config import ClusterOptions
from newsfuse.model import Article, as_utc

DEFAULT_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "clustering"
DATASETS = ("ecbplus", "googlenews")
REFERENCE_THRESHOLD = 0.2


@dataclass(frozen=True, slots=True)
class Row:
    """One system on one dataset."""

    system: str
    scores: dict[str, float]
    articles_per_s: float


def load(folder: Path, name: str) -> tuple[list[Article], list[str]]:
    """A dataset's articles in stream order, and their gold stories (for scoring only)."""
    path = folder / f"{name}.devkit.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    if name == "googlenews":
        rows.sort(key=_googlenews_order)
    articles = [
        Article(
            id=str(r["id"]),
            source=f"{name}:{r['id']}",
            text=r.get("text") or "",
            title=r.get("title") or None,
            url=r.get("url"),
            published=_date(r.get("date")),
            language=r.get("lang"),
        )
        for r in rows
    ]
    return articles, [str(r["cluster_id"]) for r in rows]


def _googlenews_order(row: dict[str, object]) -> tuple[int, float]:
    timed = row.get("stream_pos_news_t")
    if isinstance(timed, int | float):
        return (0, float(timed))
    fallback = row.get("stream_pos_news")
    return (1, float(fallback) if isinstance(fallback, int | float) else math.inf)


def _date(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return as_utc(when)


def embed(articles: Sequence[Article]) -> tuple[np.ndarray, float]:
    """USE embeddings of title + lead, and the docs/s it took (model load not timed)."""
    embedder = UseEmbedder()
    embedder.embed(["warm up"])
    start = time.perf_counter()
    vectors = embedder.embed([embedding_text(a.title, a.text) for a in articles])
    return vectors, len(articles) / max(time.perf_counter() - start, 1e-9)


def run_online(
    features: Sequence[ArticleFeatures], options: ClusterOptions
) -> tuple[list[str], float, int]:
    """Predicted stories (resolved after the run), articles/s, and the state's size."""
    clusterer = OnlineClusterer(options)
    start = time.perf_counter()
    placed = [clusterer.place(f).story_id for f in features]
    rate = len(features) / max(time.perf_counter() - start, 1e-9)
    return [clusterer.resolve(s) for s in placed], rate, len(clusterer.to_bytes())


def run_reference(articles: Sequence[Article]) -> tuple[list[int], float]:
    """Single-pass TF-IDF centroid clustering (see the module docstring)."""
    docs = [Counter(terms(a.title or "") * 2 + terms(a.text)) for a in articles]
    start = time.perf_counter()
    df: Counter[str] = Counter()
    centroids: list[dict[str, float]] = []
    norms: list[float] = []
    postings: dict[str, set[int]] = defaultdict(set)
    out = []
    for n, tf in enumerate(docs, start=1):
        df.update(tf.keys())
        vec = {t: (1 + math.log(c)) * math.log((n + 1) / (df[t] + 0.5)) for t, c in tf.items()}
        length = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        vec = {t: w / length for t, w in vec.items()}
        best, best_score = -1, 0.0
        for story in sorted(set().union(*(postings[t] for t in vec)) if vec else ()):
            cent = centroids[story]
            score = sum(w * cent.get(t, 0.0) for t, w in vec.items()) / norms[story]
            if score > best_score:
                best, best_score = story, score
        if best_score < REFERENCE_THRESHOLD:
            best = len(centroids)
            centroids.append({})
            norms.append(1.0)
        cent = centroids[best]
        for t, w in vec.items():
            cent[t] = cent.get(t, 0.0) + w
            postings[t].add(best)
        norms[best] = math.sqrt(sum(w * w for w in cent.values())) or 1.0
        out.append(best)
    return out, len(docs) / max(time.perf_counter() - start, 1e-9)


def load_scorer(folder: Path) -> ModuleType:
    """The reference scorer that ships with the data, imported by path."""
    path = folder / "cluster_metrics.py"
    spec = importlib.util.spec_from_file_location("cluster_metrics", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def format_rows(name: str, rows: Sequence[Row]) -> str:
    head = (
        f"{'system':28} {'pair P':>7} {'pair R':>7} {'pair F1':>7} {'B3 F1':>7} "
        f"{'NMI sq':>7} {'NMI ar':>7} {'#pred':>6} {'#gold':>6} {'art/s':>8}"
    )
    lines = [f"\n## {name}", head]
    for r in rows:
        s = r.scores
        lines.append(
            f"{r.system:28} {s['pair_P']:7.3f} {s['pair_R']:7.3f} {s['pair_F1']:7.3f} "
            f"{s['b3_F1']:7.3f} {s['nmi_sqrt']:7.3f} {s['nmi_arith']:7.3f} "
            f"{int(s['n_pred_clusters']):6d} {int(s['n_gold_clusters']):6d} "
            f"{r.articles_per_s:8.0f}"
        )
    return "\n".join(lines)


def _options_line(options: ClusterOptions) -> str:
    skip = {"enabled", "future_skew_hours", "earliest_year", "duplicate_threshold"}
    return ", ".join(
        f"{f.name}={getattr(options, f.name)}" for f in fields(options) if f.name not in skip
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--no-embed", action="store_true", help="lexical + names only")
    args = parser.parse_args(argv)
    folder = args.data.resolve()
    if not (folder / "cluster_metrics.py").is_file():
        parser.error(f"no cluster_metrics.py under {folder}")
    scorer = load_scorer(folder)
    options = ClusterOptions(embed=not args.no_embed)
    print(f"clustering benchmark: {folder}")
    print(f"options: {_options_line(options)}")
    state_sizes = {}
    for name in DATASETS:
        articles, gold = load(folder, name)
        vectors: np.ndarray | None = None
        if options.embed:
            vectors, rate = embed(articles)
            print(
                f"\n{name}: {len(articles)} articles, embedding {rate:.0f} docs/s (USE, 1 thread)"
            )
        else:
            print(f"\n{name}: {len(articles)} articles, no embedding")
        features = [
            featurize(
                a,
                embedding=None if vectors is None else vectors[i],
                time=a.published,
            )
            for i, a in enumerate(articles)
        ]
        predicted, rate, state_sizes[name] = run_online(features, options)
        rows = [Row("newsfuse online", scorer.score(gold, predicted), rate)]
        reference, ref_rate = run_reference(articles)
        rows.append(Row("single-pass TF-IDF @0.2", scorer.score(gold, reference), ref_rate))
        print(format_rows(name, rows), flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_mb = peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024
    print(f"\npeak memory: {peak_mb:.0f} MB ru_maxrss (whole process: data, USE model, both runs)")
    for name, size in state_sizes.items():
        print(f"clusterer state after {name}: {size / 1024:.0f} KiB (to_bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
