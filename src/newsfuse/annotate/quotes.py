"""Who said what: direct, mixed and indirect quotations with speaker and cue spans.

Works on a spaCy `Doc` from `newsfuse.annotate.nlp.english()`, which has sentences, tags and
entities but no dependency parse, so attribution is found with patterns over tags:

1. Quotation marks are paired per paragraph (straight, curly, single, guillemets, „…“);
   a paragraph left open continues into the next one that opens with a mark, for at most
   `MAX_QUOTE_PARAGRAPHS`; an unclosed mark ends at its paragraph's end.
2. Each quoted span looks for its attribution next to it (`"…," SPEAKER CUE`, `"…," CUE
   SPEAKER`, `SPEAKER CUE[,:] "…"`, `— Name` bylines). A quoted span inside a reported clause
   (`X said the plan is "dead"`) makes a mixed quote; a quote-only paragraph without its own
   attribution continues the previous quote. Short quoted phrases without a cue (scare
   quotes, titles) are not quotes.
3. Sentences with a reporting cue and no quotation become indirect quotes (`X said (that) …`,
   `…, X said.`, `according to X, …`).

4. The patterns propose generously (low cue-rate thresholds); `quote_scorer` keeps the
   candidates its logistic regression (trained on PolNeAR train by `python -m
   newsfuse.train.quotes`) finds likely, and of two with mostly the same content the likelier.

The cue lexicon (`data/cues.txt`) was counted from PolNeAR train cue spans
(`python -m newsfuse.bench.quotes --write-cues`): each word form with how often it is a cue
when it occurs.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from newsfuse.annotate.quote_scorer import (
    Candidate,
    QuoteScorer,
    candidate_features,
    paragraph_starts,
    quote_scorer,
    suppress_overlaps,
)
from newsfuse.model import Quote, QuoteKind

if TYPE_CHECKING:
    from spacy.tokens import Doc

PRODUCED_BY = "newsfuse.quotes.v1"

MAX_QUOTE_PARAGRAPHS = 4
"""A quotation left open continues over at most this many paragraphs."""
MAX_QUOTE_CHARS = 3000
"""An unclosed quotation mark never opens more than this many characters."""
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

_DOUBLE_OPEN = "“„«"
_DOUBLE_CLOSE = "”»"
_QUOTE_CHARS = set("\"'“”„«»‘’‹›")
_OPEN_BEFORE = set(" \t\n([{—–-/:;")
_CLOSE_AFTER = set(" \t\n)]}.,;:!?—–-/…")
_ELISIONS = re.compile(r"['‘’](?:\d0s|em\b|til\b|tis\b|twas\b|n\b|cause\b|round\b)", re.I)

# fmt: off
_PRONOUNS = {"he", "she", "i", "we", "they", "it", "you"}
_PERSON_PRONOUNS = {"he", "she", "i"}
_NP_TAGS = {"NNP", "NNPS", "NN", "NNS", "PRP", "DT", "JJ", "JJR", "JJS", "POS", "CD", "PRP$",
    "HYPH", "NFP", "VBN", "VBG"}
_HEAD_TAGS = {"NNP", "NNPS", "NN", "NNS", "PRP", "CD"}
_NP_LINKS = {"of", "for", "at", "from", "to", "in", "on", "with"}
_SKIP_BEFORE_CUE = {"RB", "MD", "RBR"}
_AUX = {"has", "have", "had", "was", "were", "is", "are", "be", "been", "will", "would", "also",
    "did", "does", "do", "later", "then", "reportedly", "once", "previously", "recently",
    "repeatedly", "publicly", "often", "again", "further", "not", "n't", "just", "even"}
_SENT_END = {".", "!", "?"}
_NAMING = {"called", "named", "known", "dubbed", "titled", "labeled", "labelled", "styled"}
_OUTLET_WORDS = {"news", "agency", "times", "post", "journal", "press", "herald", "tribune",
    "gazette", "telegraph", "guardian", "reuters", "newspaper", "daily", "radio", "television",
    "tv", "broadcaster", "network", "magazine", "wire", "report", "outlet", "paper", "channel",
    "cnn", "bbc", "afp", "ap", "yonhap", "kcna", "xinhua", "tass", "kyodo", "nhk", "politico",
    "bloomberg", "axios", "ria", "interfax", "nbc", "abc", "cbs", "fox", "msnbc", "npr",
    "breitbart", "economist", "independent", "observer", "mirror", "sun", "express", "chronicle",
    "globe", "inquirer", "examiner", "standard", "star", "week", "newsweek", "hill", "vox",
    "huffpost", "buzzfeed", "al jazeera", "rodong", "sinmun", "chosun", "joongang", "hankyoreh",
    "ilbo", "pravda", "izvestia", "kommersant", "vedomosti"}
_OUTLET_NAMES = {"yonhap", "reuters", "ap", "afp", "kcna", "xinhua", "tass", "kyodo", "nhk",
    "cnn", "bbc", "politico", "bloomberg", "axios", "interfax", "nbc", "abc", "cbs", "msnbc",
    "npr", "breitbart", "newsweek", "vox", "huffpost", "buzzfeed", "ria novosti",
    "the associated press", "associated press", "al jazeera", "the post", "the times",
    "the journal", "the newspaper", "the paper", "the agency", "the news agency", "the outlet",
    "the broadcaster", "the report", "rodong sinmun", "the daily", "state media",
    "state television"}
_ROLE_NOUNS = {"minister", "diplomat", "spokesperson", "spokesman", "spokeswoman", "official",
    "officials", "president", "leader", "chief", "secretary", "ambassador", "envoy", "adviser",
    "advisor", "aide", "senator", "sen.", "rep.", "representative", "governor", "mayor",
    "general", "commander", "director", "analyst", "expert", "professor", "researcher",
    "lawmaker", "legislator", "premier", "chancellor", "king", "queen", "prince", "chairman",
    "chairwoman", "chair", "ceo", "founder", "candidate", "nominee", "manager", "strategist",
    "source", "sources", "witness", "resident", "man", "woman", "officer", "police", "judge",
    "lawyer", "attorney", "prosecutor", "activist", "member", "head", "deputy", "vice", "pastor",
    "father", "mother", "voter", "voters", "supporter", "supporters", "critic", "critics",
    "people", "colleague", "friend", "economist", "scholar", "historian", "author", "reporter",
    "correspondent", "editor", "columnist", "host", "narrator", "pope", "emperor", "dictator",
    "clerk", "worker", "student", "teacher", "doctor"}
# fmt: on


@dataclass(slots=True)
class _Mark:
    """A paired quotation: its fragments (character spans including the marks)."""

    fragments: list[tuple[int, int]]
    closed: bool = True

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]


@dataclass(slots=True)
class _Found:
    """One attribution under construction."""

    fragments: list[tuple[int, int]]
    kind: QuoteKind
    speaker: tuple[int, int]  # token span
    cue: tuple[int, int]  # token span
    rule: str = ""
    """Which pattern found it (a feature of the scorer)."""


# ---------------------------------------------------------------- lexicon


@lru_cache(maxsize=1)
def cue_lexicon() -> dict[str, float]:
    """Cue word form -> how often PolNeAR train annotates it as a cue when it occurs."""
    text = resources.files("newsfuse.annotate").joinpath("data/cues.txt").read_text("utf-8")
    rates: dict[str, float] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, _count, rate = line.split("\t")
        rates[word] = float(rate)
    return rates


# ---------------------------------------------------------------- quotation marks


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _double_role(text: str, i: int, opener: str | None) -> str:
    """'open', 'close' or 'either' for the double quotation mark at `i`."""
    ch = text[i]
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if ch in _DOUBLE_OPEN:
        if ch == "“" and opener == "„":
            return "close"
        if ch == "“" and opener is not None and (nxt in _CLOSE_AFTER or nxt in _QUOTE_CHARS):
            return "close"  # “…“ typed twice
        return "open"
    if ch in _DOUBLE_CLOSE:
        if opener is None and prev in _OPEN_BEFORE and nxt not in _CLOSE_AFTER:
            return "open"  # ”…” typed twice
        return "close"
    if prev in _OPEN_BEFORE and nxt not in _CLOSE_AFTER:
        return "open"
    if nxt in _CLOSE_AFTER and prev not in _OPEN_BEFORE:
        return "close"
    return "either"


def _pair_doubles(text: str, para: tuple[int, int]) -> tuple[list[_Mark], int | None]:
    """Top-level double-quoted spans of one paragraph; the start of one left open."""
    marks: list[_Mark] = []
    stack: list[tuple[int, str]] = []
    for i in range(para[0], para[1]):
        ch = text[i]
        if ch not in '"“”„«»':
            continue
        role = _double_role(text, i, stack[-1][1] if stack else None)
        if role == "either":
            role = "close" if stack else "open"
        if role == "open" and not (ch == '"' and stack and stack[-1][1] == '"'):
            stack.append((i, ch))
        elif stack:
            start = stack.pop()[0]
            if not stack:
                marks.append(_Mark([(start, i + 1)]))
    return marks, (stack[0][0] if stack else None)


def _pair_singles(text: str, para: tuple[int, int], taken: list[_Mark]) -> list[_Mark]:
    """Single-quoted spans outside double quotes; apostrophes and elisions are skipped."""
    inside = [(m.start, m.end) for m in taken]
    marks: list[_Mark] = []
    open_at: int | None = None
    for i in range(para[0], para[1]):
        ch = text[i]
        if ch not in "'‘’‹›" or any(s <= i < e for s, e in inside):
            continue
        prev = text[i - 1] if i > 0 else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        if open_at is None:
            if (
                ch in "'‘‹"
                and prev in _OPEN_BEFORE
                and nxt.isalnum()
                and not _ELISIONS.match(text, i)
            ):
                open_at = i
        elif ch in "'’›" and (nxt in _CLOSE_AFTER or nxt in _QUOTE_CHARS) and prev not in " \t":
            if prev == "s" and nxt == " " and i + 2 < len(text) and text[i + 2].isalpha():
                continue  # plural possessive: "leaders' plans"
            marks.append(_Mark([(open_at, i + 1)]))
            open_at = None
    return marks


def quotation_marks(text: str) -> list[_Mark]:
    """Top-level quoted spans of `text`, marks included, in order."""
    paras = _paragraphs(text)
    out: list[_Mark] = []
    carry: _Mark | None = None
    carried = 0
    for n, para in enumerate(paras):
        marks, open_at = _pair_doubles(text, para)
        starts_open = text[para[0]] in '"“„«‘'
        if carry is not None:
            if starts_open and carried < MAX_QUOTE_PARAGRAPHS:
                first = marks[0] if marks and marks[0].start == para[0] else None
                if first is not None:  # the continuation closes in this paragraph
                    carry.fragments.append(first.fragments[0])
                    out.append(carry)
                    marks = marks[1:]
                    carry = None
                elif open_at == para[0]:  # still open: carries on
                    carry.fragments.append(para)
                    carried += 1
                    open_at = None
                else:
                    out.append(carry)
                    carry = None
            else:
                carry.closed = False
                out.append(carry)
                carry = None
        out.extend(marks)
        if open_at is not None and carry is None:
            frag_end = min(para[1], open_at + MAX_QUOTE_CHARS)
            nxt_open = n + 1 < len(paras) and text[paras[n + 1][0]] in '"“„«'
            carry = _Mark([(open_at, frag_end)], closed=False)
            carried = 1
            if not nxt_open or frag_end < para[1]:
                out.append(carry)
                carry = None
        singles = _pair_singles(text, para, marks + ([carry] if carry else []))
        out.extend(singles)
    if carry is not None:
        out.append(carry)
    out.sort(key=lambda m: m.start)
    return out


# ---------------------------------------------------------------- token view


class _View:
    """Token arrays of a `Doc` and where paragraphs and quotation marks fall."""

    def __init__(self, doc: Doc) -> None:
        self.text = doc.text
        self.low = [t.lower_ for t in doc]
        self.tag = [t.tag_ for t in doc]
        self.ent = [t.ent_type_ for t in doc]
        self.start = [t.idx for t in doc]
        self.end = [t.idx + len(t.text) for t in doc]
        self.n = len(self.low)
        self.sent_start = [bool(t.is_sent_start) for t in doc]
        self.space = [t.is_space or "\n" in t.whitespace_ for t in doc]
        self.in_quote = [False] * self.n
        self.used = [False] * self.n

    def token_at(self, char: int) -> int:
        """The first token that ends after `char`."""
        return bisect.bisect_right(self.end, char)

    def span(self, lo: int, hi: int) -> tuple[int, int]:
        """Characters of tokens lo..hi-1."""
        return self.start[lo], self.end[hi - 1]

    def is_break(self, i: int) -> bool:
        """A paragraph break token."""
        return "\n" in self.low[i]

    def cue_rate(self, i: int) -> float:
        """How likely token i is a reporting cue (0 when it is not one)."""
        word, tag = self.low[i], self.tag[i]
        if word == "according" and i + 1 < self.n and self.low[i + 1] == "to":
            return 1.0
        rate = cue_lexicon().get(word, 0.0)
        if not rate:
            return 0.0
        if (
            word in _NAMING
            and i > 0
            and (
                self.low[i - 1] in ("so", "-") or tag == "VBN" and self.tag[i - 1].startswith("NN")
            )
        ):
            return 0.0  # "so-called", "a website called …": naming, not reporting
        if tag.startswith("VB"):
            return rate
        if tag == "NN" and word.endswith("ing") and rate >= 0.6:
            return rate  # "highlighting" mis-tagged as a noun
        return 0.0


def _is_quote_token(v: _View, i: int) -> bool:
    return v.low[i] in _QUOTE_CHARS or v.tag[i] in ("``", "''")


def _inline_space(v: _View, i: int) -> bool:
    return v.tag[i] == "_SP" and "\n" not in v.low[i]


def _np_before(v: _View, c: int, lo: int) -> tuple[int, int] | None:
    """The speaker noun phrase that ends just before cue token c (not before lo)."""
    k = c - 1
    while k >= lo and (v.low[k] in _AUX or v.tag[k] in _SKIP_BEFORE_CUE):
        k -= 1
    if k >= lo and v.low[k] == ",":  # "Lim, the spokesperson for the ministry, said"
        j = k - 1
        while j >= lo and j > k - 16 and v.low[j] != "," and not _is_quote_token(v, j):
            j -= 1
        if j >= lo and v.low[j] == "," and j < k - 1:
            k = j - 1
        else:
            return None
    if k < lo:
        return None
    if v.tag[k] == "PRP":
        return (k, k + 1) if v.low[k] in _PRONOUNS else None
    end = k + 1
    while k >= lo and k > end - 14:
        t, tag = v.low[k], v.tag[k]
        if tag in _NP_TAGS or v.ent[k] or t in {"(", ")", "&", "-"} or _inline_space(v, k):
            if tag == "PRP" and k < end - 1:
                break
            k -= 1
        elif (
            t in _NP_LINKS
            and k - 1 >= lo
            and v.tag[k - 1] in _HEAD_TAGS
            and v.tag[k + 1] in _NP_TAGS
        ):
            k -= 1
        else:
            break
    start = k + 1
    while start < end and (
        v.tag[start] in {"POS", "HYPH", "VBN", "VBG", ")"} or v.low[start] in _NP_LINKS
    ):
        start += 1
    if start >= end or not any(v.tag[i] in _HEAD_TAGS for i in range(start, end)):
        return None
    return start, end


def _np_after(v: _View, c: int, hi: int) -> tuple[int, int] | None:
    """The speaker noun phrase that starts just after token c (before hi)."""
    k = c + 1
    if k < hi and v.tag[k] == "PRP":
        return (k, k + 1) if v.low[k] in _PRONOUNS else None
    start = k
    while k < hi and k < start + 12:
        t, tag = v.low[k], v.tag[k]
        if (
            (
                tag in _NP_TAGS
                and tag not in {"VBN", "VBG"}
                or v.ent[k]
                or (t in {"(", ")"} and k > start)
                or _inline_space(v, k)
            )
            or t in _NP_LINKS
            and k > start
            and v.tag[k - 1] in _HEAD_TAGS
            and k + 1 < hi
            and v.tag[k + 1] in _NP_TAGS
        ):
            k += 1
        else:
            break
    while k > start and (v.low[k - 1] in _NP_LINKS or v.tag[k - 1] in {"POS", "DT", "("}):
        k -= 1
    if k <= start or not any(v.tag[i] in _HEAD_TAGS for i in range(start, k)):
        return None
    return start, k


def speaker_kind(v: _View, span: tuple[int, int]) -> str:
    """person | organisation | country | outlet | unknown for a speaker token span."""
    words = v.low[span[0] : span[1]]
    text = " ".join(words)
    ents = {v.ent[i] for i in range(*span)} - {""}
    if text in _OUTLET_NAMES or (words and words[-1] in _OUTLET_NAMES):
        return "outlet"
    if "ORG" in ents and any(w in _OUTLET_WORDS for w in words):
        return "outlet"
    if len(words) == 1 and words[0] in _PERSON_PRONOUNS:
        return "person"
    if "PERSON" in ents:
        return "person"
    heads = [
        w for w, i in zip(words, range(*span), strict=True) if v.tag[i] in ("NN", "NNS", "NNP")
    ]
    if heads and heads[-1] in _ROLE_NOUNS:
        return "person"
    if "ORG" in ents:
        return "organisation"
    if "GPE" in ents:
        return "country"
    if any(w in _OUTLET_WORDS for w in words[-1:]) and words[0] in ("the", "a"):
        return "outlet"
    return "unknown"


# ---------------------------------------------------------------- attribution


def _sentence_bounds(v: _View, lo: int, hi: int) -> tuple[int, int]:
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


def _content_end(v: _View, a: int, b: int) -> int:
    """Drop trailing sentence punctuation and spaces from tokens a..b-1."""
    while b > a and (
        v.low[b - 1] in _SENT_END or v.tag[b - 1] == "_SP" or v.low[b - 1] in {",", ";", ":"}
    ):
        b -= 1
    return b


def _inner_last(v: _View, mark: _Mark) -> str:
    """The last character inside the quotation that is not a mark or a space."""
    i = mark.end - 1
    while i > mark.start and (v.text[i] in _QUOTE_CHARS or v.text[i].isspace()):
        i -= 1
    return v.text[i] if i > mark.start else ""


def _is_title(v: _View, mark: _Mark, qs: int) -> bool:
    """A short quoted name ("Fox & Friends", a book or show title) or a scare quote."""
    words = re.findall(r"[\w&]+", v.text[mark.start : mark.end])
    if len(words) >= MIN_UNCUED_WORDS:
        return False
    if qs > 0 and (
        v.tag[qs - 1] in ("POS", "IN", "DT", "PRP$", "JJ") or v.low[qs - 1] in ("as", "the")
    ):
        return True
    return all(w[:1].isupper() or not w[:1].isalpha() for w in words) and len(words) > 1


def _subject_np(v: _View, a: int, c: int) -> tuple[int, int] | None:
    """The subject of the sentence a..c (for participle cues: "X did Y, saying …")."""
    starts = [a] + [i + 1 for i in range(a, c) if v.low[i] == ","]
    for s in starts[:3]:
        while s < c and v.tag[s] in ("CC", "RB"):
            s += 1
        sp = _np_after(v, s - 1, c)
        if (
            sp is not None
            and sp[1] < c
            and (v.tag[sp[1]].startswith(("VB", "MD", "RB")) or v.low[sp[1]] == ",")
        ):
            return sp
    return None


def _after_close(v: _View, qe: int, mark: _Mark, qs: int) -> _Found | None:
    """`"…," SPEAKER CUE` / `"…," CUE SPEAKER` / `"…" — Name` just after a quotation."""
    j = qe
    inner_last = _inner_last(v, mark)
    comma = inner_last in ",?!—–-…"
    while j < v.n and v.low[j] in {",", "—", "―", "–", "-"} and not v.is_break(j):
        comma = True
        if v.low[j] in {"—", "―", "–"} and j + 1 < v.n:
            sp = _np_after(v, j, min(v.n, j + 12))
            if (
                sp
                and "PERSON" in {v.ent[i] for i in range(*sp)}
                and (sp[1] >= v.n or v.is_break(sp[1]) or v.low[sp[1]] in _SENT_END | {","})
            ):
                return _Found(list(mark.fragments), QuoteKind.DIRECT, sp, (j, j + 1), "byline")
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
            sp = _np_after(v, c, hi)
        else:
            sp = _np_before(v, c, j)
            if sp is not None and any(v.tag[i].startswith("VB") for i in range(j, sp[0])):
                sp = None
        if sp is None:
            return None
        return _Found(list(mark.fragments), QuoteKind.DIRECT, sp, (c, c + 1), "after_close")
    return None


def _before_open(v: _View, qs: int, qe: int, mark: _Mark, sent: tuple[int, int]) -> _Found | None:
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
        return _Found(fragments, kind, sp, (c, c + 1), "before_open")
    return None


def _so_called(v: _View, qs: int, mark: _Mark) -> bool:
    """A short quoted phrase right after "so-called": a scare quote."""
    if _word_count(v.text[mark.start : mark.end]) >= MIN_UNCUED_WORDS:
        return False
    before = "".join(v.low[max(0, qs - 3) : qs])
    return before.endswith("so-called")


def _only_so_called(v: _View, f: _Found) -> bool:
    """The content's only quoted words are a short scare quote after "so-called"."""
    quoted = [
        i
        for s, e in f.fragments
        for i in range(v.token_at(s), min(v.n, v.token_at(e - 1) + 1))
        if v.in_quote[i] and not _is_quote_token(v, i)
    ]
    if not quoted or len(quoted) >= MIN_UNCUED_WORDS or quoted[-1] - quoted[0] >= MIN_UNCUED_WORDS:
        return False
    return "".join(v.low[max(0, quoted[0] - 4) : quoted[0] - 1]).endswith("so-called")


def _cue_speaker(v: _View, c: int, lo: int, hi: int) -> tuple[int, int] | None:
    """The speaker of cue c: the phrase before it, a participle's subject, or after it."""
    if v.tag[c] == "VBG" or v.low[c].endswith("ing"):
        if c > lo and v.low[c - 1] == ",":
            return _subject_np(v, lo, c - 1)
        return _np_before(v, c, lo)
    sp = _np_before(v, c, lo)
    if sp is None and (c == lo or v.low[c - 1] in {",", ":"}):
        sp = _np_after(v, c, hi)  # "Said Smith, …" / "…, said Smith"
    return sp


def _colon_intro(v: _View, qs: int, mark: _Mark) -> _Found | None:
    """`Here's Clinton in 1992: "…"` / `Stated Stone:` ¶ `"…"`: a colon with no cue."""
    k = qs - 1
    while k >= 0 and (v.is_break(k) or _inline_space(v, k)):
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
                return _Found(list(mark.fragments), QuoteKind.DIRECT, sp, (c, c + 1), "colon_cue")
    sp = _subject_np(v, a, k) or _np_before(v, k, a)
    if sp is None:
        return None
    return _Found(list(mark.fragments), QuoteKind.DIRECT, sp, (k, k + 1), "colon")


def _word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _quoted(v: _View, marks: list[_Mark]) -> list[_Found]:
    """Direct and mixed quotes around each quotation mark span."""
    found: list[_Found] = []
    for mark in marks:
        for s, e in mark.fragments:
            for i in range(v.token_at(s), min(v.n, v.token_at(e - 1) + 1)):
                v.in_quote[i] = True
    last: _Found | None = None
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


def _mark_sentence_end(v: _View, i: int) -> None:
    """Mark the attribution's trailing words up to the sentence end as used."""
    k = i
    while k < v.n and k < i + 12 and not v.is_break(k) and not v.in_quote[k]:
        if v.low[k] == ",":
            break
        v.used[k] = True
        if v.low[k] in _SENT_END:
            break
        k += 1


def _continues(v: _View, last: _Found, mark: _Mark, qs: int) -> bool:
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


def _indirect(v: _View, sents: list[tuple[int, int]]) -> list[_Found]:
    """`X said (that) …`, `…, X said.`, `according to X, …` in sentences not yet used."""
    found: list[_Found] = []
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


def _headline_colon(v: _View, a: int, b: int) -> _Found | None:
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
    sp = _np_after(v, a - 1, k)
    if sp is None or sp != (a, k) or not {"PERSON", "ORG"} & {v.ent[i] for i in range(a, k)}:
        return None
    if any(v.in_quote[i] for i in range(k + 1, b)):
        return None
    for i in range(a, k + 1):
        v.used[i] = True
    return _Found([v.span(k + 1, b)], QuoteKind.INDIRECT, sp, (k, k + 1), "headline")


def _indirect_at(v: _View, c: int, a: int, b: int) -> _Found | None:
    """An indirect attribution around cue token c in the sentence a..b-1."""
    if v.low[c] == "according":
        sp = _np_after(v, c + 1, b)
        if sp is None:
            return None
        if c == a or c - a <= 3 and v.tag[a] in ("RB", "CC", "IN"):
            k = sp[1]
            while k < b and v.low[k] != ",":
                k += 1
            start = k + 1
            if b - start < 3:
                return None
            return _Found([v.span(start, b)], QuoteKind.INDIRECT, sp, (c, c + 2), "according_front")
        if c > a and v.low[c - 1] == "," and c - 1 - a >= 3:
            return _Found([v.span(a, c - 1)], QuoteKind.INDIRECT, sp, (c, c + 2), "according_back")
        return None
    sp = _np_before(v, c, a)
    if sp is not None:
        pre = sp[0]
        while pre > a and v.low[pre - 1] in _AUX:
            pre -= 1
        # "…, X said." : content before
        if pre - 1 > a + 2 and v.low[pre - 1] == "," and b - c <= 8:
            return _Found(
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
            obj = _np_after(v, c, b)
            if obj is not None:
                start = obj[1]
        if b - start < MIN_CONTENT:
            return None
        return _Found([v.span(start, b)], QuoteKind.INDIRECT, sp, (c, c + 1), "content_after")
    # "…, said X."
    if c - 1 > a + 2 and v.low[c - 1] == "," and v.tag[c] in ("VBD", "VBZ", "VBP"):
        sp = _np_after(v, c, b)
        if sp is not None and b - sp[1] <= 6:
            return _Found([v.span(a, c - 1)], QuoteKind.INDIRECT, sp, (c, c + 1), "said_speaker")
    return None


def _sentences(v: _View, doc: Doc) -> list[tuple[int, int]]:
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


def _to_quote(v: _View, f: _Found) -> Quote:
    text = v.text
    frags = tuple(sorted(f.fragments))
    start, end = frags[0][0], frags[-1][1]
    sp_start, sp_end = v.span(*f.speaker)
    cue_start, cue_end = v.span(*f.cue)
    return Quote(
        start=start,
        end=end,
        content=text[start:end],
        kind=f.kind,
        speaker=text[sp_start:sp_end],
        speaker_start=sp_start,
        speaker_end=sp_end,
        speaker_kind=speaker_kind(v, f.speaker),
        cue=text[cue_start:cue_end],
        cue_start=cue_start,
        cue_end=cue_end,
        fragments=frags,
        produced_by=PRODUCED_BY,
    )


def propose(doc: Doc) -> tuple[_View, list[_Found]]:
    """Every attribution candidate the patterns find in `doc`, before scoring."""
    v = _View(doc)
    marks = quotation_marks(doc.text)
    found = _quoted(v, marks)
    found.extend(_indirect(v, _sentences(v, doc)))
    return v, [f for f in found if f.fragments]


def as_candidate(v: _View, f: _Found) -> Candidate:
    """The scorer's view of a proposed attribution."""
    return Candidate(
        kind=str(f.kind),
        rule=f.rule,
        fragments=tuple(sorted(f.fragments)),
        speaker=f.speaker,
        cue=f.cue,
        speaker_kind=speaker_kind(v, f.speaker),
    )


def find_quotes(doc: Doc, scorer: QuoteScorer | None = None) -> list[Quote]:
    """Direct, mixed and indirect quotations of `doc`, ordered by where their content starts.

    Candidates from the patterns are kept when `scorer` (default: the shipped model) gives them
    at least its threshold; of two kept candidates with mostly the same content, the more
    probable stays.
    """
    if not doc.text.strip() or len(doc) == 0:
        return []
    scorer = scorer or quote_scorer()
    v, found = propose(doc)
    starts = paragraph_starts(v.text)
    scored: list[tuple[float, tuple[tuple[int, int], ...]]] = []
    kept: list[_Found] = []
    for f in found:
        c = as_candidate(v, f)
        p = scorer.probability(c, candidate_features(v, c, starts))
        if p >= scorer.threshold(c):
            scored.append((p, c.fragments))
            kept.append(f)
    quotes = [_to_quote(v, kept[i]) for i in suppress_overlaps(scored)]
    quotes.sort(key=lambda q: (q.start, q.end))
    return quotes
