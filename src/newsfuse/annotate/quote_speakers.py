"""The token view of a parsed article and the speaker noun phrases around reporting cues.

Used by the quotation patterns (`newsfuse.annotate.quote_patterns`): spaCy docs here have tags
and entities but no dependency parse, so a speaker is the noun phrase that tag patterns find
next to a cue word. The cue lexicon (`data/cues.txt`) was counted from PolNeAR train cue spans
(`python -m newsfuse.bench.quotes --write-cues`): each word form with how often it is a cue
when it occurs.
"""

from __future__ import annotations

import bisect
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from newsfuse.annotate.quote_marks import QUOTE_CHARS

if TYPE_CHECKING:
    from spacy.tokens import Doc


# fmt: off
_PRONOUNS = {"he", "she", "i", "we", "they", "it", "you"}
_PERSON_PRONOUNS = {"he", "she", "i"}
_NP_TAGS = {"NNP", "NNPS", "NN", "NNS", "PRP", "DT", "JJ", "JJR", "JJS", "POS", "CD", "PRP$",
    "HYPH", "NFP", "VBN", "VBG"}
_HEAD_TAGS = {"NNP", "NNPS", "NN", "NNS", "PRP", "CD"}
_NP_LINKS = {"of", "for", "at", "from", "to", "in", "on", "with"}
_SKIP_BEFORE_CUE = {"RB", "MD", "RBR"}
AUX = {"has", "have", "had", "was", "were", "is", "are", "be", "been", "will", "would", "also",
    "did", "does", "do", "later", "then", "reportedly", "once", "previously", "recently",
    "repeatedly", "publicly", "often", "again", "further", "not", "n't", "just", "even"}
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


class TokenView:
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


def is_quote_token(v: TokenView, i: int) -> bool:
    return v.low[i] in QUOTE_CHARS or v.tag[i] in ("``", "''")


def inline_space(v: TokenView, i: int) -> bool:
    return v.tag[i] == "_SP" and "\n" not in v.low[i]


def np_before(v: TokenView, c: int, lo: int) -> tuple[int, int] | None:
    """The speaker noun phrase that ends just before cue token c (not before lo)."""
    k = c - 1
    while k >= lo and (v.low[k] in AUX or v.tag[k] in _SKIP_BEFORE_CUE):
        k -= 1
    if k >= lo and v.low[k] == ",":  # "Lim, the spokesperson for the ministry, said"
        j = k - 1
        while j >= lo and j > k - 16 and v.low[j] != "," and not is_quote_token(v, j):
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
        if tag in _NP_TAGS or v.ent[k] or t in {"(", ")", "&", "-"} or inline_space(v, k):
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


def np_after(v: TokenView, c: int, hi: int) -> tuple[int, int] | None:
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
                or inline_space(v, k)
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


def speaker_kind(v: TokenView, span: tuple[int, int]) -> str:
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


def subject_np(v: TokenView, a: int, c: int) -> tuple[int, int] | None:
    """The subject of the sentence a..c (for participle cues: "X did Y, saying …")."""
    starts = [a] + [i + 1 for i in range(a, c) if v.low[i] == ","]
    for s in starts[:3]:
        while s < c and v.tag[s] in ("CC", "RB"):
            s += 1
        sp = np_after(v, s - 1, c)
        if (
            sp is not None
            and sp[1] < c
            and (v.tag[sp[1]].startswith(("VB", "MD", "RB")) or v.low[sp[1]] == ",")
        ):
            return sp
    return None
