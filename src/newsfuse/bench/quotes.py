"""Quotation and attribution benchmark on PolNeAR dev (`python -m newsfuse.bench.quotes`).

One annotator per article (the first record of each `article`). Gold and predicted spans are
lists of content fragments (character spans into the article text). Matching is one-to-one:
candidate pairs are taken greedily by descending character overlap, and a pair counts under

- `any`: the fragments overlap by at least one character;
- `half`: the overlap is at least half of the shorter side's length.

Direct+mixed gold are the attributions whose `quote_kind` is direct or mixed; predictions are
the quotes of kind direct or mixed. A matched pair has the correct speaker when the predicted
speaker span overlaps a gold source fragment (or both have none). "With speaker" figures count
a true positive only when the speaker is also correct: the target is recall >= 0.85 at
precision >= 0.95. All attributions (any kind, beliefs and "according to" included) against
all predicted quotes give the overlap F1 (target >= 0.75) and a word-level F1 over the union
of content characters.

It also prints the trade-off of the candidate scorer's `quoted` threshold (see
`newsfuse.annotate.quote_scorer`, trained by `python -m newsfuse.train.quotes`).

`--write-cues` recounts the cue lexicon `newsfuse/annotate/data/cues.txt` from PolNeAR train.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

Spans = tuple[tuple[int, int], ...]

DEFAULT_DATA = Path("../shared/data/quotes/polnear")
REFERENCE = (
    "reference (issue 5): textacy's direct-quotation extractor with spaCy small reaches "
    "about 0.54 recall at 0.98 precision on direct quotations"
)
RULES = ("any", "half")


@dataclass(frozen=True, slots=True)
class Attribution:
    """A gold or predicted attribution reduced to what scoring needs."""

    content: Spans
    speaker: Spans = ()
    kind: str = "indirect"


@dataclass(frozen=True, slots=True)
class PRF:
    """Counts and the precision/recall/F1 they give."""

    tp: int
    n_pred: int
    n_gold: int

    @property
    def precision(self) -> float:
        return self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: PRF) -> PRF:
        return PRF(self.tp + other.tp, self.n_pred + other.n_pred, self.n_gold + other.n_gold)

    def line(self) -> str:
        return (
            f"P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}  "
            f"(tp {self.tp}, pred {self.n_pred}, gold {self.n_gold})"
        )


def span_length(spans: Spans) -> int:
    return sum(e - s for s, e in spans)


def overlap(a: Spans, b: Spans) -> int:
    """Characters shared by two fragment lists."""
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def matches(pred: Spans, gold: Spans, rule: str) -> bool:
    """Whether two content spans match under `rule` (`any` or `half`)."""
    shared = overlap(pred, gold)
    if rule == "any":
        return shared > 0
    shorter = min(span_length(pred), span_length(gold))
    return shared > 0 and shared * 2 >= shorter


def match_pairs(
    preds: Sequence[Attribution], golds: Sequence[Attribution], rule: str
) -> list[tuple[int, int]]:
    """One-to-one (pred index, gold index) pairs, greedily by descending overlap."""
    candidates = [
        (overlap(p.content, g.content), i, j)
        for i, p in enumerate(preds)
        for j, g in enumerate(golds)
        if matches(p.content, g.content, rule)
    ]
    candidates.sort(key=lambda x: (-x[0], x[1], x[2]))
    seen_p: set[int] = set()
    seen_g: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in seen_p and j not in seen_g:
            seen_p.add(i)
            seen_g.add(j)
            pairs.append((i, j))
    return pairs


def speaker_correct(pred: Attribution, gold: Attribution) -> bool:
    """The predicted speaker overlaps a gold source fragment (or neither has one)."""
    if not gold.speaker:
        return not pred.speaker
    return overlap(pred.speaker, gold.speaker) > 0


@dataclass(frozen=True, slots=True)
class DocScore:
    """One article's counts: overlap matches, and matches with the correct speaker."""

    matched: PRF
    with_speaker: PRF


def score_doc(preds: Sequence[Attribution], golds: Sequence[Attribution], rule: str) -> DocScore:
    """Overlap P/R counts of `preds` against `golds`, plain and requiring the speaker."""
    pairs = match_pairs(preds, golds, rule)
    good = sum(1 for i, j in pairs if speaker_correct(preds[i], golds[j]))
    return DocScore(PRF(len(pairs), len(preds), len(golds)), PRF(good, len(preds), len(golds)))


_WORD = re.compile(r"\w+")


def word_positions(text: str, spans: Iterable[Spans]) -> set[int]:
    """Start offsets of the words of `text` that lie inside any of the spans."""
    covered = sorted((s, e) for frag in spans for s, e in frag)
    out: set[int] = set()
    for s, e in covered:
        out.update(m.start() for m in _WORD.finditer(text, s, e) if m.end() <= e)
    return out


def word_prf(text: str, preds: Sequence[Attribution], golds: Sequence[Attribution]) -> PRF:
    """Word-level counts over the union of predicted and of gold content."""
    p = word_positions(text, (a.content for a in preds))
    g = word_positions(text, (a.content for a in golds))
    return PRF(len(p & g), len(p), len(g))


def direct_or_mixed(items: Iterable[Attribution]) -> list[Attribution]:
    return [a for a in items if a.kind in ("direct", "mixed")]


# ---------------------------------------------------------------- data


def _spans(fragments: list[dict]) -> Spans:
    return tuple(sorted((f["start"], f["end"]) for f in fragments))


def gold_attributions(record: dict) -> list[Attribution]:
    """A PolNeAR record's attributions (every type counts)."""
    return [
        Attribution(_spans(a["content"]), _spans(a["source"]), a.get("quote_kind") or "indirect")
        for a in record["attributions"]
        if a["content"]
    ]


def load_records(path: Path, limit: int | None = None) -> list[dict]:
    """The first record of each article, in file order."""
    seen: set[str] = set()
    out: list[dict] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if record["article"] in seen:
                continue
            seen.add(record["article"])
            out.append(record)
            if limit is not None and len(out) >= limit:
                break
    return out


def predicted_attributions(quotes: Iterable) -> list[Attribution]:
    out = []
    for q in quotes:
        speaker = ((q.speaker_start, q.speaker_end),) if q.speaker_start is not None else ()
        out.append(Attribution(tuple(q.fragments) or ((q.start, q.end),), speaker, str(q.kind)))
    return out


# ---------------------------------------------------------------- cue lexicon

SEED_CUES = [
    "said",
    "says",
    "say",
    "saying",
    "told",
    "tells",
    "tell",
    "telling",
    "added",
    "adds",
    "adding",
    "noted",
    "notes",
    "noting",
    "stated",
    "states",
    "warned",
    "warns",
    "warning",
    "claimed",
    "claims",
    "claiming",
    "argued",
    "argues",
    "arguing",
    "explained",
    "explains",
    "insisted",
    "insists",
    "acknowledged",
    "acknowledges",
    "announced",
    "announces",
    "wrote",
    "writes",
    "tweeted",
    "tweets",
    "responded",
    "responds",
    "asked",
    "asks",
    "urged",
    "urges",
    "underscored",
    "underscores",
    "highlighted",
    "highlights",
    "highlighting",
    "stressed",
    "stresses",
    "stressing",
    "emphasised",
    "emphasized",
    "emphasizes",
    "emphasises",
    "emphasizing",
    "believes",
    "believe",
    "thinks",
    "think",
    "reported",
    "reports",
    "confirmed",
    "confirms",
    "denied",
    "denies",
    "declared",
    "declares",
    "replied",
    "replies",
    "recalled",
    "recalls",
    "suggested",
    "suggests",
    "predicted",
    "vowed",
    "pledged",
    "promised",
    "admitted",
    "conceded",
    "contended",
    "maintained",
    "observed",
    "remarked",
    "commented",
    "reiterated",
    "reaffirmed",
    "cautioned",
    "complained",
    "lamented",
    "estimated",
    "disclosed",
    "revealed",
    "alleged",
    "accused",
    "criticized",
    "criticised",
    "described",
    "dismissed",
    "rejected",
    "blasted",
    "slammed",
    "praised",
    "mentioned",
    "indicated",
    "continued",
    "concluded",
    "countered",
    "charged",
    "hinted",
    "quipped",
    "stating",
]
SEED_RATE = 0.5
_STOP = set(
    [
        "to",
        "has",
        "of",
        "a",
        "on",
        "about",
        "is",
        "for",
        "in",
        "the",
        "have",
        "was",
        "also",
        "are",
        "not",
        "with",
        "s",
        "t",
        "out",
        "had",
        "been",
        "as",
        "at",
        "an",
        "by",
        "his",
        "against",
        "were",
        "would",
        "did",
        "be",
        "will",
        "it",
        "and",
        "up",
        "that",
        "from",
        "more",
        "over",
        "now",
        "back",
        "no",
        "first",
        "her",
        "still",
        "like",
        "just",
        "even",
        "could",
        "their",
        "don",
        "last",
        "this",
        "so",
        "can",
        "off",
        "then",
        "long",
        "week",
        "all",
        "one",
        "new",
        "may",
        "most",
        "both",
        "into",
        "only",
        "much",
        "well",
        "some",
        "him",
        "its",
        "since",
        "after",
        "during",
        "under",
        "must",
        "far",
        "being",
        "do",
        "re",
        "ve",
        "ll",
        "m",
        "d",
        "didn",
        "doesn",
        "isn",
        "wasn",
        "aren",
        "won",
    ]
)


def count_cues(records: Iterable[dict]) -> dict[str, tuple[int, float]]:
    """Word form -> (times in a cue span, share of its occurrences that are in a cue span)."""
    total: Counter[str] = Counter()
    cue: Counter[str] = Counter()
    for record in records:
        text = record["text"]
        for m in _WORD.finditer(text):
            total[m.group().lower()] += 1
        starts: set[int] = set()
        for a in record["attributions"]:
            for f in a["cue"]:
                starts.update(m.start() for m in _WORD.finditer(text, f["start"], f["end"]))
        for s in starts:
            word = _WORD.match(text, s)
            if word:
                cue[word.group().lower()] += 1
    return {w: (cue[w], cue[w] / total[w]) for w in cue if total[w]}


def cue_lines(
    counts: dict[str, tuple[int, float]], min_count: int = 3, min_rate: float = 0.1
) -> Iterator[str]:
    """The lines of cues.txt: word, count, rate; seeds get at least SEED_RATE."""
    rows: dict[str, tuple[int, float]] = {}
    for w, (n, rate) in counts.items():
        if n >= min_count and rate >= min_rate and w.isalpha() and w not in _STOP:
            rows[w] = (n, rate)
    for w in SEED_CUES:
        n, rate = rows.get(w, counts.get(w, (0, 0.0)))
        rows[w] = (n, max(rate, SEED_RATE))
    yield "# word\tcount in PolNeAR train cue spans\tshare of its occurrences inside a cue span"
    for w in sorted(rows, key=lambda w: (-rows[w][0], w)):
        yield f"{w}\t{rows[w][0]}\t{rows[w][1]:.3f}"


# ---------------------------------------------------------------- run


def run(data: Path, split: str, limit: int | None) -> None:
    from newsfuse.annotate.nlp import english
    from newsfuse.annotate.quotes import find_quotes

    records = load_records(data / f"documents_{split}.jsonl", limit)
    nlp = english()
    texts = [r["text"] for r in records]
    nlp("warm up")
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts))
    t_nlp = time.perf_counter() - t0
    t0 = time.perf_counter()
    predicted = [find_quotes(doc) for doc in docs]
    t_quotes = time.perf_counter() - t0
    n_sents = sum(1 for doc in docs for _ in doc.sents)

    print(f"PolNeAR {split}: {len(records)} articles (first annotator each), {n_sents} sentences")
    for rule in RULES:
        dm = all_ = dm_spk = PRF(0, 0, 0)
        for record, quotes in zip(records, predicted, strict=True):
            golds, preds = gold_attributions(record), predicted_attributions(quotes)
            s = score_doc(direct_or_mixed(preds), direct_or_mixed(golds), rule)
            dm, dm_spk = dm + s.matched, dm_spk + s.with_speaker
            all_ = all_ + score_doc(preds, golds, rule).matched
        share = dm_spk.tp / dm.tp if dm.tp else 0.0
        print(f"\nmatching rule '{rule}'")
        print(f"  direct+mixed quotes            {dm.line()}")
        print(f"  direct+mixed, speaker share    {share:.3f} of matched have the correct speaker")
        print(f"  direct+mixed with speaker      {dm_spk.line()}   target R>=0.85 at P>=0.95")
        print(f"  all attributions (incl. indir) {all_.line()}   target F1>=0.75")
    words = PRF(0, 0, 0)
    for record, quotes in zip(records, predicted, strict=True):
        words = words + word_prf(
            record["text"], predicted_attributions(quotes), gold_attributions(record)
        )
    print(f"\nall attributions, word level     {words.line()}")
    print_quoted_curve(records, docs)
    kinds = Counter(str(q.kind) for qs in predicted for q in qs)
    print(f"predicted kinds: {dict(kinds)}")
    n = len(records)
    print(
        f"\nspaCy + quotes: {n_sents / (t_nlp + t_quotes):.0f} sentences/s, "
        f"{n / (t_nlp + t_quotes):.1f} articles/s (one process)"
    )
    print(
        f"quotes alone:   {n_sents / t_quotes:.0f} sentences/s, {n / t_quotes:.1f} articles/s, "
        f"{1000 * t_quotes / n:.2f} ms/article"
    )
    print(f"\n{REFERENCE}")


CURVE_THRESHOLDS = (0.0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)


def print_quoted_curve(records: Sequence[dict], docs: Sequence) -> None:
    """Direct+mixed with correct speaker at other thresholds of the scorer's `quoted` group."""
    from newsfuse.annotate.quote_scorer import GroupModel, QuoteScorer, quote_scorer
    from newsfuse.annotate.quotes import find_quotes

    shipped = quote_scorer()
    quoted = shipped.groups["quoted"]
    print(f"\ndirect+mixed with speaker by 'quoted' threshold (shipped {quoted.threshold}):")
    for t in CURVE_THRESHOLDS:
        scorer = QuoteScorer(dict(shipped.groups, quoted=GroupModel(quoted.weights, t)))
        spk = all_ = PRF(0, 0, 0)
        for record, doc in zip(records, docs, strict=True):
            golds = gold_attributions(record)
            preds = predicted_attributions(find_quotes(doc, scorer))
            spk = (
                spk + score_doc(direct_or_mixed(preds), direct_or_mixed(golds), "any").with_speaker
            )
            all_ = all_ + score_doc(preds, golds, "any").matched
        print(f"  t={t:.2f}  {spk.line()}  all F1 {all_.f1:.3f}")


def write_cues(data: Path) -> Path:
    out = Path(__file__).resolve().parent.parent / "annotate" / "data" / "cues.txt"
    counts = count_cues(load_records(data / "documents_train.jsonl"))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(cue_lines(counts)) + "\n", encoding="utf-8")
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument(
        "--write-cues", action="store_true", help="recount data/cues.txt from train"
    )
    args = parser.parse_args(argv)
    if args.write_cues:
        print(f"wrote {write_cues(args.data)}")
        return
    run(args.data, args.split, args.limit)


if __name__ == "__main__":
    main()
