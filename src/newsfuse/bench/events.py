"""Event coding benchmark (`python -m newsfuse.bench.events`).

Prints macro-F1, accuracy and sentences/s for each task, by k-fold cross-validation over the
dev data (the shipped pipeline of `newsfuse.train.events`, `DEFAULT`, is retrained inside
each fold; the extra training sets only ever join the training folds):

1. PLOVER type given the sentence and its actors, on zsp_plv (15 types; target macro-F1 ≥ 0.83);
2. 5-way CAMEO quad-plus class on conflibert_cameo (target macro-F1 ≥ 0.80);
3. source and target actor of conflibert_cameo sentences chosen by
   `newsfuse.annotate.event_actors` (exact and overlap match against the gold spans);
4. speed of `EventModel.predict` (the shipped model) in one process.

A TF-IDF + logistic regression baseline (word 1-2 grams, sublinear tf, C=10) is computed in
the same folds.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from newsfuse.train.events import (
    DATASETS,
    DEFAULT,
    DEFAULT_DATA,
    DEV,
    Embeddings,
    accuracy,
    cross_validate,
    folds,
    label_of,
    load_all,
    macro_f1,
)

TARGETS = {"plover": 0.83, "quad": 0.80}
REFERENCES = {
    "plover": "reference (issue 6, test half): zero-shot large NLI 0.821, TF-IDF + LR 0.658",
    "quad": "reference (issue 6, test half): TF-IDF + LR 0.62",
}
SPEED_TARGET = 200.0


@dataclass(frozen=True, slots=True)
class ActorScore:
    """Source or target actor accuracy over the sentences whose gold has that role."""

    n: int
    exact: int
    overlap: int

    def line(self, role: str) -> str:
        if not self.n:
            return f"{role}: no gold"
        return (
            f"{role:6s} n={self.n:4d}  exact {self.exact / self.n:.3f}  "
            f"overlap {self.overlap / self.n:.3f}"
        )


def spans_overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def score_actors(pairs: Sequence[tuple[tuple[int, int] | None, tuple[int, int]]]) -> ActorScore:
    """(predicted, gold) span pairs -> counts of exact and overlapping matches."""
    exact = sum(1 for p, g in pairs if p == g)
    over = sum(1 for p, g in pairs if spans_overlap(p, g))
    return ActorScore(len(pairs), exact, over)


def gold_actor(record: dict, roles: tuple[str, ...]) -> tuple[int, int] | None:
    for a in record.get("actors") or []:
        if a["role"] in roles and a.get("start") is not None:
            return int(a["start"]), int(a["end"])
    return None


def actor_benchmark(data: Path) -> tuple[ActorScore, ActorScore, float]:
    """Source/target scores over every conflibert_cameo row with gold actor spans."""
    from newsfuse.annotate.event_actors import choose_actors
    from newsfuse.annotate.nlp import english

    path = data / DATASETS["conflibert_cameo"]["file"]
    records = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    records = [r for r in records if r.get("actors")]
    t = time.perf_counter()
    docs = list(english().pipe((r["text"] for r in records), batch_size=64))
    rate = len(docs) / (time.perf_counter() - t)
    src, tgt = [], []
    for r, doc in zip(records, docs, strict=True):
        guess = choose_actors(doc)
        if (g := gold_actor(r, ("source", "reciprocal"))) is not None:
            src.append((guess.source, g))
        if (g := gold_actor(r, ("target",))) is not None:
            tgt.append((guess.target, g))
    return score_actors(src), score_actors(tgt), rate


def tfidf_baseline(sets: dict, head: str, k: int) -> tuple[float, float]:
    """TF-IDF + logistic regression on the sentence alone, same folds as the model."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    dev = [e for e in sets[DEV[head]] if label_of(e, head) is not None]
    gold = [label_of(e, head) or "" for e in dev]
    pred = [""] * len(dev)
    for train_idx, test_idx in folds(gold, k):
        vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
        x = vec.fit_transform([dev[i].text for i in train_idx])
        model = LogisticRegression(C=10.0, max_iter=3000, random_state=0)
        model.fit(x, [gold[i] for i in train_idx])
        for i, p in zip(
            test_idx, model.predict(vec.transform([dev[i].text for i in test_idx])), strict=True
        ):
            pred[i] = p
    return macro_f1(gold, pred), accuracy(gold, pred)


def speed(
    texts: Sequence[str], sources: Sequence[str | None], targets: Sequence[str | None]
) -> tuple[float, float]:
    """Load seconds and sentences/s of the shipped model's `predict` (after a warm-up)."""
    from newsfuse.annotate.event_model import EventModel

    model = EventModel()
    t = time.perf_counter()
    model.predict(texts[:4], sources[:4], targets[:4])
    load = time.perf_counter() - t
    t = time.perf_counter()
    model.predict(texts, sources, targets)
    return load, len(texts) / (time.perf_counter() - t)


def verdict(value: float, target: float) -> str:
    return "met" if value >= target else "MISSED"


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args(argv)
    sets = load_all(args.data)
    embed = Embeddings()
    print(f"pipeline: {DEFAULT.name} (C={DEFAULT.c}), {args.folds}-fold CV, seed 0")
    for head, task in (
        ("plover", "PLOVER type | sentence+actors, zsp_plv"),
        ("quad", "5-way quad, conflibert_cameo"),
    ):
        t = time.perf_counter()
        r = cross_validate(sets, head, DEFAULT, embed, args.folds)
        secs = time.perf_counter() - t
        base_f1, base_acc = tfidf_baseline(sets, head, args.folds)
        print(f"\n[{task}] n={len(r.gold)}")
        print(
            f"  model      macro-F1 {r.macro_f1:.3f}  accuracy {r.accuracy:.3f}  "
            f"target {TARGETS[head]:.2f}: {verdict(r.macro_f1, TARGETS[head])}"
        )
        print(f"  TF-IDF+LR  macro-F1 {base_f1:.3f}  accuracy {base_acc:.3f}  (same folds)")
        print(f"  {REFERENCES[head]}")
        print(f"  CV wall time {secs:.0f} s (features + fit + predict, {args.folds} folds)")
    src, tgt, rate = actor_benchmark(args.data)
    print("\n[actors | conflibert_cameo gold spans, event_actors.choose_actors]")
    print("  " + src.line("source"))
    print("  " + tgt.line("target"))
    print(f"  spaCy parse {rate:.0f} sentences/s")
    zsp = sets["zsp_plv"]
    texts = [e.text for e in zsp]
    load, rate = speed(texts, [e.source for e in zsp], [e.target for e in zsp])
    print(f"\n[speed | EventModel.predict on {len(texts)} zsp_plv sentences, one process]")
    print(
        f"  load {load:.2f} s, {rate:.0f} sentences/s  "
        f"target {SPEED_TARGET:.0f}/s on 2 cores: {verdict(rate, SPEED_TARGET)}"
    )


if __name__ == "__main__":
    main()
