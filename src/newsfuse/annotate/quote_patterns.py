"""The attribution patterns: candidate quotations with their speaker and cue.

Each quoted span looks for its attribution next to it (`"…," SPEAKER CUE`, `"…," CUE
SPEAKER`, `SPEAKER CUE[,:] "…"`, `— Name` bylines). A quoted span inside a reported clause
(`X said the plan is "dead"`) makes a mixed quote; a quote-only paragraph without its own
attribution continues the previous quote. Short quoted phrases without a cue (scare quotes,
titles) are not quotes. Sentences with a reporting cue and no quotation become indirect quotes
(`X said (that) …`, `…, X said.`, `according to X, …`).

The patterns propose generously (low cue-rate thresholds); `newsfuse.annotate.quotes` keeps
what the candidate scorer finds likely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsfuse.annotate.quote_marks import QUOTE_CHARS, QuoteMark, quotation_marks
from newsfuse.annotate.quote_speakers import (
    AUX,
    TokenView,
    inline_space,
    is_quote_token,
    np_after,
    np_before,
    subject_np,
)
from newsfuse.model import QuoteKind

if TYPE_CHECKING:
    from spacy.tokens import Doc

MIN_UNCUED_WORDS = 4
"""A quoted span with no cue in its sentence needs this many words to be a quote."""
CUE_RATE = 0.1
"""A lexicon word proposes a quotation's cue when PolNeAR train has it as a cue at least this
often when it occurs (candidates are then filtered by `quote_scorer`)."""
MIXED_CUE_RATE = 0.6
"""A short quoted phrase inside a reported clause needs a cue at least this sure."""
INDIRECT_CUE_RATE = 0.05
"""The same for a cue of an indirect attribution (no quotation marks)."""
MIXED_INDIRECT_CUE_RATE = 0.1
"""The same for a reported clause that holds a quotation ("X call it a 'disaster'")."""
_SENT_END = {".", "!", "?"}


@dataclass(slots=True)
class Proposal:
    """One attribution under construction."""

    fragments: list[tuple[int, int]]
    kind: QuoteKind
    speaker: tuple[int, int]  # token span
    cue: tuple[int, int]  # token span
    rule: str = ""
    """Which pattern found it (a feature of the scorer)."""


def _sentence_bounds(v: TokenView, lo: int, hi: int) -> tuple[int, int]:
    """Tokens of the sentence around lo..hi-1, quotations kept whole, within the paragraph."""
    a = lo
    while (
        a > 0
        and not v.is_break(a - 1)
        and not (v.low[a - 1] in _SENT_END and not v.in_quote[a - 1])
    ):
        if lo - a > 60 or v.sent_start[a] and not v.in_quote[a]:
            break
        a -= 1
    b = hi
    while b < v.n and not v.is_break(b) and b - hi < 60:
        if b > hi and v.sent_start[b] and not v.in_quote[b]:
            break
        b += 1
        if v.low[b - 1] in _SENT_END and not v.in_quote[b - 1]:
            break
    return a, b


def _content_end(v: TokenView, a: int, b: int) -> int:
    """Drop trailing sentence punctuation and spaces from tokens a..b-1."""
    while b > a and (
        v.low[b - 1] in _SENT_END or v.tag[b - 1] == "_SP" or v.low[b - 1] in {",", ";", ":"}
    ):
        b -= 1
    return b


def _inner_last(v: TokenView, mark: QuoteMark) -> str:
    """The last character inside the quotation that is not a mark or a space."""
    i = mark.end - 1
    while i > mark.start and (v.text[i] in QUOTE_CHARS or v.text[i].isspace()):
        i -= 1
    return v.text[i] if i > mark.start else ""


def _is_title(v: TokenView, mark: QuoteMark, qs: int) -> bool:
    """A short quoted name ("Fox & Friends", a book or show title) or a scare quote."""
    words = re.findall(r"[\w&]+", v.text[mark.start : mark.end])
    if len(words) >= MIN_UNCUED_WORDS:
        return False
    if qs > 0 and (
        v.tag[qs - 1] in ("POS", "IN", "DT", "PRP$", "JJ") or v.low[qs - 1] in ("as", "the")
    ):
        return True
    return all(w[:1].isupper() or not w[:1].isalpha() for w in words) and len(words) > 1


def _after_close(v: TokenView, qe: int, mark: QuoteMark, qs: int) -> Proposal | None:
    """`"…," SPEAKER CUE` / `"…," CUE SPEAKER` / `"…" — Name` just after a quotation."""
    j = qe
    inner_last = _inner_last(v, mark)
    comma = inner_last in ",?!—–-…"
    while j < v.n and v.low[j] in {",", "—", "―", "–", "-"} and not v.is_break(j):
        comma = True
        if v.low[j] in {"—", "―", "–"} and j + 1 < v.n:
            sp = np_after(v, j, min(v.n, j + 12))
            if (
                sp
                and "PERSON" in {v.ent[i] for i in range(*sp)}
                and (sp[1] >= v.n or v.is_break(sp[1]) or v.low[sp[1]] in _SENT_END | {","})
            ):
                return Proposal(list(mark.fragments), QuoteKind.DIRECT, sp, (j, j + 1), "byline")
        j += 1
    if j >= v.n or v.is_break(j):
        return None
    if not comma and not (inner_last in ".?!" and v.low[j] == v.text[v.start[j] : v.end[j]]):
        return None  # '"…." He said' starts a new sentence; '"…." he said' does not
    if _is_title(v, mark, qs) and inner_last not in "?!":
        return None
    hi = j
    while (
        hi < v.n
        and hi < j + 20
        and not v.is_break(hi)
        and v.low[hi] not in _SENT_END
        and not v.in_quote[hi]
    ):
        hi += 1
    for c in range(j, min(hi, j + 12)):
        if v.cue_rate(c) < CUE_RATE:
            continue
        if c == j:
            sp = np_after(v, c, hi)
        else:
            sp = np_before(v, c, j)
            if sp is not None and any(v.tag[i].startswith("VB") for i in range(j, sp[0])):
                sp = None
        if sp is None:
            return None
        return Proposal(list(mark.fragments), QuoteKind.DIRECT, sp, (c, c + 1), "after_close")
    return None


def _before_open(
    v: TokenView, qs: int, qe: int, mark: QuoteMark, sent: tuple[int, int]
) -> Proposal | None:
    """`SPEAKER CUE[,:] "…"` (direct) or `SPEAKER CUE that … "…" …` (mixed)."""
    lo = sent[0]
    for c in range(qs - 1, max(lo, qs - 40) - 1, -1):
        if v.in_quote[c] or v.used[c]:
            return None
        if v.cue_rate(c) < CUE_RATE or v.low[c] == "according":
            continue
        sp = _cue_speaker(v, c, lo, qs)
        if sp is None:
            return None
        gap = v.low[c + 1 : qs]
        start = c + 1
        if sp[0] == c + 1:  # "Said Smith, "…""
            start = sp[1]
        if not gap or gap[-1] in {",", ":"} and len(gap) <= 7 or start >= qs - 1:
            start = qs
        end = max(_content_end(v, start, sent[1]), qe + 1)
        # an attribution after the fragment ("…, according to Yonhap") is not content
        for k in range(qe + 1, end):
            if v.low[k] == "," and k + 1 < end and v.cue_rate(k + 1) >= CUE_RATE:
                end = k
                break
            if k == qe + 1 and _inner_last(v, mark) == "," and v.cue_rate(k) >= CUE_RATE:
                end = k  # '"…," according to Yonhap'
                break
        kind = QuoteKind.DIRECT if start == qs and end == qe + 1 else QuoteKind.MIXED
        if kind is QuoteKind.MIXED and _so_called(v, qs, mark):
            return None  # "what they call a so-called 'special operation'"
        if kind is QuoteKind.MIXED and v.cue_rate(c) < MIXED_CUE_RATE and _is_title(v, mark, qs):
            return None  # "pushed the 'gun violence' narrative": a scare quote
        fragments = list(mark.fragments) if kind is QuoteKind.DIRECT else [v.span(start, end)]
        return Proposal(fragments, kind, sp, (c, c + 1), "before_open")
    return None


def _so_called(v: TokenView, qs: int, mark: QuoteMark) -> bool:
    """A short quoted phrase right after "so-called": a scare quote."""
    if _word_count(v.text[mark.start : mark.end]) >= MIN_UNCUED_WORDS:
        return False
    before = "".join(v.low[max(0, qs - 3) : qs])
    return before.endswith("so-called")


def _only_so_called(v: TokenView, f: Proposal) -> bool:
    """The content's only quoted words are a short scare quote after "so-called"."""
    quoted = [
        i
        for s, e in f.fragments
        for i in range(v.token_at(s), min(v.n, v.token_at(e - 1) + 1))
        if v.in_quote[i] and not is_quote_token(v, i)
    ]
    if not quoted or len(quoted) >= MIN_UNCUED_WORDS or quoted[-1] - quoted[0] >= MIN_UNCUED_WORDS:
        return False
    return "".join(v.low[max(0, quoted[0] - 4) : quoted[0] - 1]).endswith("so-called")


def _cue_speaker(v: TokenView, c: int, lo: int, hi: int) -> tuple[int, int] | None:
    """The speaker of cue c: the phrase before it, a participle's subject, or after it."""
    if v.tag[c] == "VBG" or v.low[c].endswith("ing"):
        if c > lo and v.low[c - 1] == ",":
            return subject_np(v, lo, c - 1)
        return np_before(v, c, lo)
    sp = np_before(v, c, lo)
    if sp is None and (c == lo or v.low[c - 1] in {",", ":"}):
        sp = np_after(v, c, hi)  # "Said Smith, …" / "…, said Smith"
    return sp


def _colon_intro(v: TokenView, qs: int, mark: QuoteMark) -> Proposal | None:
    """`Here's Clinton in 1992: "…"` / `Stated Stone:` ¶ `"…"`: a colon with no cue."""
    k = qs - 1
    while k >= 0 and (v.is_break(k) or inline_space(v, k)):
        k -= 1
    if k < 0 or v.low[k] != ":" or _word_count(v.text[mark.start : mark.end]) < MIN_UNCUED_WORDS:
        return None
    a = k
    while a > 0 and not v.is_break(a - 1) and not (v.sent_start[a] and not v.in_quote[a]):
        a -= 1
    for c in range(k - 1, a - 1, -1):
        if v.cue_rate(c) >= CUE_RATE and not v.used[c]:
            sp = _cue_speaker(v, c, a, k)
            if sp is not None:
                return Proposal(list(mark.fragments), QuoteKind.DIRECT, sp, (c, c + 1), "colon_cue")
    sp = subject_np(v, a, k) or np_before(v, k, a)
    if sp is None:
        return None
    return Proposal(list(mark.fragments), QuoteKind.DIRECT, sp, (k, k + 1), "colon")


def _word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _quoted(v: TokenView, marks: list[QuoteMark]) -> list[Proposal]:
    """Direct and mixed quotes around each quotation mark span."""
    found: list[Proposal] = []
    for mark in marks:
        for s, e in mark.fragments:
            for i in range(v.token_at(s), min(v.n, v.token_at(e - 1) + 1)):
                v.in_quote[i] = True
    last: Proposal | None = None
    for mark in marks:
        qs = v.token_at(mark.start)
        qe = min(v.n, v.token_at(mark.end - 1) + 1)  # one past the closing mark's token
        if qs >= v.n or v.used[qs]:
            continue
        sent = _sentence_bounds(v, qs, qe)
        inner = v.text[mark.start + 1 : mark.end - 1]
        f = (
            _after_close(v, qe, mark, qs)
            or _before_open(v, qs, qe - 1, mark, sent)
            or _colon_intro(v, qs, mark)
        )
        if (
            f is None
            and last is not None
            and _continues(v, last, mark, qs)
            and _word_count(inner) >= 2
        ):
            last.fragments.extend(mark.fragments)
            for i in range(qs, qe):
                v.used[i] = True
            _mark_sentence_end(v, qe)
            continue
        if f is None:
            continue
        if f.kind is QuoteKind.DIRECT and _word_count(inner) < MIN_UNCUED_WORDS:
            # a short quoted phrase right by a cue ("he called it 'a disgrace'") is mixed
            closing = v.text[mark.end - 2 : mark.end - 1]
            if f.cue[0] < qs and closing not in ",?!":
                f.kind = QuoteKind.MIXED
        for lo, hi in (f.speaker, f.cue):
            for i in range(lo, hi):
                v.used[i] = True
        for s, e in f.fragments:
            for i in range(v.token_at(s), min(v.n, v.token_at(e - 1) + 1)):
                v.used[i] = True
        _mark_sentence_end(v, max(f.cue[1], f.speaker[1], qe))
        found.append(f)
        last = f
    return found


def _mark_sentence_end(v: TokenView, i: int) -> None:
    """Mark the attribution's trailing words up to the sentence end as used."""
    k = i
    while k < v.n and k < i + 12 and not v.is_break(k) and not v.in_quote[k]:
        if v.low[k] == ",":
            break
        v.used[k] = True
        if v.low[k] in _SENT_END:
            break
        k += 1


def _continues(v: TokenView, last: Proposal, mark: QuoteMark, qs: int) -> bool:
    """True when nothing but attribution words lie between the last quote and this one."""
    last_end = last.fragments[-1][1]
    if last_end > mark.start:
        return False
    between = range(v.token_at(last_end), qs)
    if len(between) > 40:
        return False
    paragraphs = v.text.count("\n\n", last_end, mark.start) + v.text.count(
        "\n", last_end, mark.start
    )
    if paragraphs > 4:
        return False
    return all(
        v.used[i] or v.is_break(i) or v.low[i] in _SENT_END | {",", "—"} or v.in_quote[i]
        for i in between
    )


ONE_PER_SENTENCE = True
"""Propose at most one indirect attribution per sentence."""
MIN_CONTENT = 1
"""An indirect attribution's content has at least this many tokens."""


def _indirect(v: TokenView, sents: list[tuple[int, int]]) -> list[Proposal]:
    """`X said (that) …`, `…, X said.`, `according to X, …` in sentences not yet used."""
    found: list[Proposal] = []
    for a, b in sents:
        b = _content_end(v, a, b)
        headline = _headline_colon(v, a, b)
        if headline is not None:
            found.append(headline)
            continue
        for c in range(a, b):
            if v.used[c] or v.in_quote[c] or v.cue_rate(c) < INDIRECT_CUE_RATE:
                continue
            f = _indirect_at(v, c, a, b)
            if f is None:
                continue
            if any(
                v.in_quote[i]
                for s, e in f.fragments
                for i in range(v.token_at(s), v.token_at(e - 1) + 1)
            ):
                if v.cue_rate(c) < MIXED_INDIRECT_CUE_RATE:
                    continue  # a quotation needs a surer cue
                if not _only_so_called(v, f):
                    f.kind = QuoteKind.MIXED
            for lo, hi in (f.speaker, f.cue):
                for i in range(lo, hi):
                    v.used[i] = True
            found.append(f)
            if ONE_PER_SENTENCE:
                break  # nested attributions cost more precision than they add
    return found


def _headline_colon(v: TokenView, a: int, b: int) -> Proposal | None:
    """`Hillary: Benghazi Mother 'Wrong' to Call Me a Liar`: a name, a colon, what they said."""
    if a > 0 and not v.is_break(a - 1):
        return None
    for k in range(a + 1, min(b, a + 7)):
        if v.low[k] == ":":
            break
    else:
        return None
    if b - k < 4 or any(v.used[i] for i in range(a, b)):
        return None
    sp = np_after(v, a - 1, k)
    if sp is None or sp != (a, k) or not {"PERSON", "ORG"} & {v.ent[i] for i in range(a, k)}:
        return None
    if any(v.in_quote[i] for i in range(k + 1, b)):
        return None
    for i in range(a, k + 1):
        v.used[i] = True
    return Proposal([v.span(k + 1, b)], QuoteKind.INDIRECT, sp, (k, k + 1), "headline")


def _indirect_at(v: TokenView, c: int, a: int, b: int) -> Proposal | None:
    """An indirect attribution around cue token c in the sentence a..b-1."""
    if v.low[c] == "according":
        sp = np_after(v, c + 1, b)
        if sp is None:
            return None
        if c == a or c - a <= 3 and v.tag[a] in ("RB", "CC", "IN"):
            k = sp[1]
            while k < b and v.low[k] != ",":
                k += 1
            start = k + 1
            if b - start < 3:
                return None
            return Proposal(
                [v.span(start, b)], QuoteKind.INDIRECT, sp, (c, c + 2), "according_front"
            )
        if c > a and v.low[c - 1] == "," and c - 1 - a >= 3:
            return Proposal(
                [v.span(a, c - 1)], QuoteKind.INDIRECT, sp, (c, c + 2), "according_back"
            )
        return None
    sp = np_before(v, c, a)
    if sp is not None:
        pre = sp[0]
        while pre > a and v.low[pre - 1] in AUX:
            pre -= 1
        # "…, X said." : content before
        if pre - 1 > a + 2 and v.low[pre - 1] == "," and b - c <= 8:
            return Proposal(
                [v.span(a, pre - 1)], QuoteKind.INDIRECT, sp, (c, c + 1), "content_before"
            )
        # "X said (that) …"
        start = c + 1
        look = v.low[start : min(b, start + 6)]
        if "that" in look:
            start += look.index("that")
        elif start < b and v.low[c] in (
            "told",
            "tells",
            "telling",
            "asked",
            "urged",
            "warned",
            "assured",
        ):
            obj = np_after(v, c, b)
            if obj is not None:
                start = obj[1]
        if b - start < MIN_CONTENT:
            return None
        return Proposal([v.span(start, b)], QuoteKind.INDIRECT, sp, (c, c + 1), "content_after")
    # "…, said X."
    if c - 1 > a + 2 and v.low[c - 1] == "," and v.tag[c] in ("VBD", "VBZ", "VBP"):
        sp = np_after(v, c, b)
        if sp is not None and b - sp[1] <= 6:
            return Proposal([v.span(a, c - 1)], QuoteKind.INDIRECT, sp, (c, c + 1), "said_speaker")
    return None


def _sentences(v: TokenView, doc: Doc) -> list[tuple[int, int]]:
    """spaCy sentences, cut at paragraph breaks."""
    spans: list[tuple[int, int]] = []
    for s in doc.sents:
        a = s.start
        for i in range(s.start, s.end):
            if v.is_break(i):
                if i > a:
                    spans.append((a, i))
                a = i + 1
        if s.end > a:
            spans.append((a, s.end))
    return spans


def propose(doc: Doc) -> tuple[TokenView, list[Proposal]]:
    """Every attribution candidate the patterns find in `doc`, before scoring."""
    v = TokenView(doc)
    marks = quotation_marks(doc.text)
    found = _quoted(v, marks)
    found.extend(_indirect(v, _sentences(v, doc)))
    return v, [f for f in found if f.fragments]
