"""Train the quotation candidate scorer (`python -m newsfuse.train.quotes`).

Reads PolNeAR v1.0 train (`../shared/data/quotes/polnear/documents_train.jsonl`, the first
annotator of each article, read in place and never copied), runs the quotation patterns of
`newsfuse.annotate.quotes` on every article, labels each candidate against the gold attributions
and fits one logistic regression per group with scikit-learn (a dev dependency):

- `quoted` (direct and mixed): positive when a gold direct/mixed attribution overlaps the content
  and its source overlaps the predicted speaker;
- `indirect`: positive when any gold attribution's content overlaps the content.

The articles after the first `--fit` are held out: each group's threshold is chosen there
(`indirect`: the best held-out F1 over all attributions; `quoted`: the best held-out F1 of
direct+mixed with correct speaker; of a flat top the lowest threshold; with
`--quoted-precision` instead the lowest threshold whose held-out precision with correct speaker
reaches it), then the model is refitted on all of train with those thresholds and written to
`newsfuse/annotate/data/quote_scorer.json` with its provenance and held-out figures.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from newsfuse.annotate.quote_scorer import (
    OVERLAP_SHARE,
    GroupModel,
    QuoteScorer,
    candidate_features,
    group_of,
    paragraph_starts,
    suppress_overlaps,
)
from newsfuse.bench.quotes import (
    PRF,
    Attribution,
    direct_or_mixed,
    gold_attributions,
    load_records,
    overlap,
    score_doc,
    speaker_correct,
)

DEFAULT_DATA = Path("../shared/data/quotes/polnear")
OUT = Path(__file__).resolve().parent.parent / "annotate" / "data" / "quote_scorer.json"
SOURCE = {
    "dataset": "PolNeAR v1.0 (Newell, Margolin and Ruths 2018), train split",
    "file": "quotes/polnear/documents_train.jsonl",
    "licence": "as distributed in ../shared/data, licence not stated",
    "records": "first annotator of each article",
}
GROUPS = ("quoted", "indirect")


@dataclass(slots=True)
class Example:
    """One candidate: its article, group, features, label and what scoring needs."""

    doc: int
    group: str
    features: dict[str, float]
    label: bool
    attribution: Attribution


def candidate_examples(records: Sequence[dict], docs: Sequence) -> list[Example]:
    """Every candidate of every article with its features and gold label."""
    from newsfuse.annotate.quotes import as_candidate, propose

    out: list[Example] = []
    for n, (record, doc) in enumerate(zip(records, docs, strict=True)):
        golds = gold_attributions(record)
        v, found = propose(doc)
        starts = paragraph_starts(v.text)
        for f in found:
            c = as_candidate(v, f)
            sp = v.span(*f.speaker)
            pred = Attribution(c.fragments, (sp,), c.kind)
            group = group_of(c.kind)
            if group == "quoted":
                label = any(
                    overlap(pred.content, g.content) > 0 and speaker_correct(pred, g)
                    for g in direct_or_mixed(golds)
                )
            else:
                label = any(overlap(pred.content, g.content) > 0 for g in golds)
            out.append(Example(n, group, candidate_features(v, c, starts), label, pred))
    return out


def fit_group(examples: Sequence[Example], c: float) -> dict[str, float]:
    """Logistic regression weights by feature name ("bias" holds the intercept)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    x = vec.fit_transform([e.features for e in examples])
    y = [e.label for e in examples]
    model = LogisticRegression(C=c, max_iter=2000, fit_intercept=False)
    model.fit(x, y)
    weights = {
        name: round(float(w), 5)
        for name, w in zip(vec.get_feature_names_out(), model.coef_[0], strict=True)
        if abs(w) >= 1e-4
    }
    return weights


def evaluate(
    records: Sequence[dict],
    examples: Sequence[Example],
    scorer: QuoteScorer,
    doc_ids: range,
    share: float = OVERLAP_SHARE,
) -> dict[str, PRF]:
    """The benchmark's counts over `doc_ids` for the candidates `scorer` keeps."""
    scored: dict[int, list[tuple[float, Attribution]]] = {n: [] for n in doc_ids}
    for e in examples:
        if e.doc in scored:
            model = scorer.groups[e.group]
            p = model.probability(e.features)
            if p >= model.threshold:
                scored[e.doc].append((p, e.attribution))
    by_doc: dict[int, list[Attribution]] = {}
    for n, items in scored.items():
        keep = suppress_overlaps([(p, a.content) for p, a in items], share)
        by_doc[n] = [items[i][1] for i in keep]
    dm = spk = all_ = PRF(0, 0, 0)
    for n in doc_ids:
        golds, preds = gold_attributions(records[n]), by_doc[n]
        s = score_doc(direct_or_mixed(preds), direct_or_mixed(golds), "any")
        dm, spk = dm + s.matched, spk + s.with_speaker
        all_ = all_ + score_doc(preds, golds, "any").matched
    return {"direct_mixed": dm, "direct_mixed_speaker": spk, "all": all_}


def curve(
    records: Sequence[dict],
    examples: Sequence[Example],
    weights: dict[str, dict[str, float]],
    doc_ids: range,
    group: str,
    thresholds: Sequence[float],
    fixed: dict[str, float],
) -> list[tuple[float, dict[str, PRF]]]:
    """Held-out counts for each threshold of `group`, the other groups at `fixed`."""
    rows = []
    for t in thresholds:
        th = dict(fixed, **{group: t})
        scorer = QuoteScorer({g: GroupModel(weights[g], th[g]) for g in GROUPS})
        rows.append((t, evaluate(records, examples, scorer, doc_ids)))
    return rows


PLATEAU = 0.001
"""Thresholds whose held-out F1 is within this of the best count as equally good; the lowest
(the one with most recall) is taken."""


def _plateau_start(rows: Sequence[tuple[float, dict[str, PRF]]], measure: str) -> float:
    best = max(r[measure].f1 for _, r in rows)
    return min(t for t, r in rows if r[measure].f1 >= best - PLATEAU)


def _figures(res: dict[str, PRF]) -> dict[str, float]:
    return {
        f"{k}_{m}": round(getattr(v, m), 4)
        for k, v in res.items()
        for m in ("precision", "recall", "f1")
    }


def parse(records: Sequence[dict], cache: Path | None) -> list:
    """spaCy docs of the records (from `cache`, a DocBin, when it exists)."""
    from spacy.tokens import DocBin

    from newsfuse.annotate.nlp import english

    nlp = english()
    if cache is not None and cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if len(docs) == len(records):
            return docs
    docs = list(nlp.pipe((r["text"] for r in records), batch_size=32))
    if cache is not None:
        db = DocBin(store_user_data=False)
        for d in docs:
            db.add(d)
        db.to_disk(cache)
    return docs


def train(
    data: Path, fit: int, c: float, quoted_precision: float | None, cache: Path | None
) -> dict:
    """The model file's content: weights, thresholds, provenance and held-out figures."""
    records = load_records(data / "documents_train.jsonl")
    docs = parse(records, cache)
    examples = candidate_examples(records, docs)
    held = range(fit, len(records))
    part = [e for e in examples if e.doc < fit]
    weights = {g: fit_group([e for e in part if e.group == g], c) for g in GROUPS}
    grid = [round(0.05 * i, 2) for i in range(0, 20)]
    ind_rows = curve(records, examples, weights, held, "indirect", grid, {"quoted": 0.0})
    t_ind = _plateau_start(ind_rows, "all")
    q_rows = curve(records, examples, weights, held, "quoted", grid, {"indirect": t_ind})
    ok = [
        r
        for r in q_rows
        if quoted_precision is not None
        and r[1]["direct_mixed_speaker"].precision >= quoted_precision
    ]
    t_q = ok[0][0] if ok else _plateau_start(q_rows, "direct_mixed_speaker")
    thresholds = {"quoted": t_q, "indirect": t_ind}
    final = {g: fit_group([e for e in examples if e.group == g], c) for g in GROUPS}
    return {
        "about": "newsfuse quotation candidate scorer; see newsfuse.annotate.quote_scorer",
        "trained_on": dict(SOURCE, articles=len(records), fit_articles=fit),
        "c": c,
        "held_out": {
            "articles": f"train[{fit}:{len(records)}]",
            "at_thresholds": _figures(dict(q_rows)[t_q]),
            "indirect_curve": [
                {"threshold": t, "all_f1": round(r["all"].f1, 4)} for t, r in ind_rows
            ],
            "quoted_curve": [
                {
                    "threshold": t,
                    **_figures({"dm_speaker": r["direct_mixed_speaker"]}),
                    "all_f1": round(r["all"].f1, 4),
                }
                for t, r in q_rows
            ],
        },
        "groups": {g: {"threshold": thresholds[g], "weights": final[g]} for g in GROUPS},
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--fit", type=int, default=640, help="articles to fit on before held-out")
    parser.add_argument("--c", type=float, default=1.0, help="inverse L2 regularisation")
    parser.add_argument(
        "--quoted-precision",
        type=float,
        default=None,
        help="quoted threshold: the lowest reaching this held-out precision with speaker "
        "(default: the best held-out F1 with speaker)",
    )
    parser.add_argument("--cache", type=Path, default=None, help="DocBin cache of parsed train")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    model = train(args.data, args.fit, args.c, args.quoted_precision, args.cache)
    args.out.write_text(json.dumps(model, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(model["held_out"]["at_thresholds"], indent=1))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
