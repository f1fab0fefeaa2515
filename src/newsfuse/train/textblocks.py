"""Train the flattened-page line classifier shipped as extract/models/textblocks.json.

    python -m newsfuse.train.textblocks --data ../shared/data/extraction/dev

Labels come from aligning each page line (`ID.page.txt`) to the gold body (`ID.gold.txt`) by
token sequence matching: a line is "article" when most of its tokens align. Datasets without a
gold body (trafilatura's snippet-only set) are skipped. `--holdout NAME` trains without one
dataset, for leave-one-dataset-out figures. Needs scikit-learn (a dev dependency only); the
output is plain JSON that text.py reads with no third-party code.
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from newsfuse.extract import textfeatures as tf

STOPLIST_LANGUAGES = (
    "English",
    "German",
    "French",
    "Spanish",
    "Italian",
    "Portuguese",
    "Dutch",
    "Polish",
    "Russian",
    "Czech",
    "Slovak",
    "Swedish",
    "Danish",
    "Norwegian_Bokmal",
    "Finnish",
    "Hungarian",
    "Turkish",
    "Ukrainian",
    "Greek",
    "Romanian",
    "Indonesian",
    "Croatian",
    "Serbian",
    "Bulgarian",
    "Catalan",
    "Slovenian",
    "Lithuanian",
    "Latvian",
    "Estonian",
    "Vietnamese",
    "Malay",
    "Tagalog",
)
STOPWORDS_PER_LANGUAGE = 100
_TOKEN = re.compile(r"\w+")
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "extract" / "models" / "textblocks.json"


@dataclass(frozen=True, slots=True)
class LabelledPage:
    dataset: str
    page_id: str
    lines: tuple[tf.PageLine, ...]
    labels: tuple[float, ...]
    """Share of each line's tokens aligned to the gold body."""
    gold: str


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


def bag_prf(pred: str, gold: str) -> tuple[float, float, float]:
    """Bag-of-tokens precision, recall, F1 (ScrapingHub's definition, case-folded tokens)."""
    p, g = Counter(tokens(pred)), Counter(tokens(gold))
    tp = sum((p & g).values())
    n_pred, n_gold = sum(p.values()), sum(g.values())
    if not n_pred and not n_gold:
        return 1.0, 1.0, 1.0
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return precision, recall, f1


def multilingual_stopwords() -> list[str]:
    """The most frequent words of each justext stoplist (BSD-2-Clause), merged."""
    import justext  # type: ignore[import-untyped]  # noqa: PLC0415 - dev-time only

    root = Path(justext.__file__).parent / "stoplists"
    words: set[str] = set()
    for lang in STOPLIST_LANGUAGES:
        lines = (root / f"{lang}.txt").read_text(encoding="utf-8").split()
        words.update(w.casefold() for w in lines[:STOPWORDS_PER_LANGUAGE])
    return sorted(words)


def align_labels(lines: Sequence[tf.PageLine], gold: str) -> list[float]:
    """Share of each line's tokens matched, in order, to the gold body's tokens."""
    line_tokens = [tokens(line.text) for line in lines]
    flat: list[str] = []
    owner: list[int] = []
    for i, toks in enumerate(line_tokens):
        flat.extend(toks)
        owner.extend([i] * len(toks))
    gold_tokens = tokens(gold)
    matcher = difflib.SequenceMatcher(None, flat, gold_tokens, autojunk=False)
    hits = [0] * len(lines)
    for a, _, size in matcher.get_matching_blocks():
        # Matches of one or two tokens are chance unless they cover a whole short line.
        if size < 3 and not (size and size == len(line_tokens[owner[a]])):
            continue
        for k in range(size):
            hits[owner[a + k]] += 1
    return [h / len(t) if t else 0.0 for h, t in zip(hits, line_tokens, strict=True)]


def load_pages(data: Path) -> list[LabelledPage]:
    pages: list[LabelledPage] = []
    for folder in sorted(p for p in data.iterdir() if p.is_dir()):
        for page_path in sorted(folder.glob("*.page.txt")):
            page_id = page_path.name.removesuffix(".page.txt")
            gold_path = folder / f"{page_id}.gold.txt"
            if not gold_path.exists():
                continue
            gold = gold_path.read_text(encoding="utf-8")
            lines = tuple(tf.split_page(page_path.read_text(encoding="utf-8")))
            if not lines:
                continue
            labels = tuple(align_labels(lines, gold))
            pages.append(LabelledPage(folder.name, page_id, lines, labels, gold))
    return pages


def stage1_rows(page: LabelledPage, stopwords: frozenset[str]) -> list[list[float]]:
    local = tf.page_features(page.lines, stopwords)
    return [a + list(b) for a, b in zip(local, tf.context_features(local), strict=True)]


@dataclass(frozen=True, slots=True)
class TrainOptions:
    positive_at: float = 0.5
    """A line is "article" when at least this share of its tokens aligns to the gold."""
    region_threshold: float = 0.5
    """Stage-1 score that opens the densest-region feature of stage 2."""
    c: float = 1.0
    """Inverse L2 strength of both logistic regressions."""
    weighting: str = "share"
    """Per-line sample weight: "none", "log" (log1p of tokens) or "share" (token share, so
    every page weighs the same and long lines weigh more, as in the page-averaged F1)."""
    folds: int = 5
    """Stage 2 learns from out-of-fold stage-1 scores, as it sees them at run time."""


@dataclass(frozen=True, slots=True)
class Selection:
    """Line-selection thresholds, chosen on dev data (see text.select_body)."""

    keep_threshold: float = 0.5
    inner_threshold: float = 0.2
    pivot: float = 0.3


def _weights(page: LabelledPage, weighting: str) -> list[float]:
    counts = [len(tokens(line.text)) for line in page.lines]
    if weighting == "log":
        return [math.log1p(c) + 0.1 for c in counts]
    if weighting == "share":
        total = sum(counts) or 1
        return [len(counts) * (c + 1) / (total + len(counts)) for c in counts]
    return [1.0] * len(counts)


def _fit_stage(
    rows: Sequence[list[list[float]]],
    labels: Sequence[list[int]],
    weights: Sequence[list[float]],
    pages: Sequence[int],
    c: float,
) -> dict[str, Any]:
    """Standardised L2 logistic regression on the lines of the given pages, as JSON."""
    import numpy as np  # noqa: PLC0415 - dev-only dependencies
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]  # noqa: PLC0415

    x = np.array([r for i in pages for r in rows[i]], dtype=float)
    y = np.array([v for i in pages for v in labels[i]])
    w = np.array([v for i in pages for v in weights[i]], dtype=float)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    clf = LogisticRegression(C=c, max_iter=3000)
    clf.fit((x - mean) / scale, y, sample_weight=w)
    return {
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "coef": [round(float(v), 6) for v in clf.coef_[0]],
        "intercept": round(float(clf.intercept_[0]), 6),
    }


def train(
    pages: Sequence[LabelledPage], stopwords: list[str], opts: TrainOptions
) -> dict[str, Any]:
    """Both stages' weights; stage 2 is fitted on out-of-fold stage-1 scores."""
    from newsfuse.extract.text import LogisticStage  # noqa: PLC0415

    stops = frozenset(stopwords)
    rows1 = [stage1_rows(p, stops) for p in pages]
    labels = [[1 if lab >= opts.positive_at else 0 for lab in p.labels] for p in pages]
    weights = [_weights(p, opts.weighting) for p in pages]
    p1_oof: list[list[float]] = [[] for _ in pages]
    for k in range(opts.folds):
        fit_on = [i for i in range(len(pages)) if i % opts.folds != k]
        stage = LogisticStage.from_json(_fit_stage(rows1, labels, weights, fit_on, opts.c))
        for i in range(k, len(pages), opts.folds):
            p1_oof[i] = [stage.score(r) for r in rows1[i]]
    everything = range(len(pages))
    stage1 = _fit_stage(rows1, labels, weights, everything, opts.c)
    rows2 = []
    for i in everything:
        log_words = [r[0] for r in rows1[i]]
        extra = tf.stage2_features(p1_oof[i], log_words, opts.region_threshold)
        rows2.append([a + b for a, b in zip(rows1[i], extra, strict=True)])
    stage2 = _fit_stage(rows2, labels, weights, everything, opts.c)
    return {"stage1": stage1, "stage2": stage2, "region_threshold": opts.region_threshold}


def build_model(
    pages: Sequence[LabelledPage], opts: TrainOptions, selection: Selection
) -> dict[str, Any]:
    stopwords = multilingual_stopwords()
    model = train(pages, stopwords, opts)
    datasets = sorted({p.dataset for p in pages})
    return {
        "name": "newsfuse.textblocks",
        "version": 1,
        "trained_on": {
            "datasets": datasets,
            "pages": len(pages),
            "lines": sum(len(p.lines) for p in pages),
            "licence": "research benchmark data, see ../shared/data/README.md",
            "stopwords": "first words of justext stoplists (BSD-2-Clause), "
            + ", ".join(STOPLIST_LANGUAGES),
        },
        "features": {
            "stage1": list(tf.LOCAL_FEATURES + tf.CONTEXT_FEATURES),
            "stage2": list(tf.LOCAL_FEATURES + tf.CONTEXT_FEATURES + tf.STAGE2_FEATURES),
        },
        "options": asdict(opts),
        **asdict(selection),
        **model,
        "stopwords": stopwords,
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="extraction/dev folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--holdout", action="append", default=[], help="dataset to leave out")
    args = parser.parse_args(argv)
    pages = [p for p in load_pages(args.data) if p.dataset not in args.holdout]
    model = build_model(pages, TrainOptions(), Selection())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, ensure_ascii=False, sort_keys=True) + "\n", "utf-8")
    print(f"wrote {args.out} from {len(pages)} pages ({model['trained_on']['lines']} lines)")


if __name__ == "__main__":
    main()
