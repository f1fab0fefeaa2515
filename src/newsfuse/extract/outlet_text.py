"""The outlet a flattened page names for itself, where it has no URL or metadata.

A flattened page keeps the site's own words about itself: a staff bio ("X is a reporter for
the Kyiv Independent"), a possessive byline ("the Valdoria Post's labour correspondent"), a
copyright line ("© 2025 Kestrel Daily"), a house photo credit ("© Lantern Review/Field Desk").
Each match is a vote; bios weigh most. Photo agencies are never the outlet.
"""

from __future__ import annotations

import re
from collections import Counter

# A name: capitalised words, with "of", "and", "&" allowed between them ("Voice of America").
# Words stay on one line and never cross a full stop ("Northgate Times. He writes").
_NAME = r"(?:The[ \t]+)?[A-Z][\w'’&-]*(?:[ \t]+(?:of[ \t]+|and[ \t]+|&[ \t]+)?[A-Z][\w'’&-]*){0,4}"
_ROLE = (
    r"(?:reporter|correspondent|editor|writer|journalist|columnist|contributor|producer"
    r"|photographer|analyst|commentator|presenter|anchor)s?"
)

_BIO = re.compile(
    rf"\b(?:is|was|has been|joined)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){{0,4}}?{_ROLE}"
    rf"(?:\s+and\s+[\w-]+)?\s+(?:for|at|of|with)\s+(?:the\s+)?(?P<name>{_NAME})"
)
_POSSESSIVE = re.compile(
    rf"\b(?:is|was)\s+(?:the\s+)?(?P<name>{_NAME})['’]s\s+(?:[\w-]+\s+){{0,5}}?{_ROLE}\b"
)
_COPYRIGHT = re.compile(
    rf"(?:©|\(c\)|Copyright)\s*(?:©\s*)?(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?\s+)"
    rf"(?P<name>{_NAME})"
)
_CREDIT = re.compile(rf"©\s*(?P<name>{_NAME})\s*(?:/|$)", re.MULTILINE)

_AGENCIES = frozenset(
    name.casefold()
    for name in (
        "Getty Images",
        "Getty",
        "AP",
        "Associated Press",
        "AP Photo",
        "Reuters",
        "AFP",
        "EPA",
        "EPA-EFE",
        "Shutterstock",
        "Alamy",
        "iStock",
        "Pool",
        "Bloomberg",
        "Xinhua",
        "Anadolu",
        "Anadolu Agency",
        "Sipa",
        "Sipa USA",
        "Wikimedia Commons",
        "Unsplash",
        "Kyodo",
        "Kyodo News",
        "Yonhap",
        "TASS",
        "Sputnik",
        "DPA",
        "Imago",
        "PA",
        "PA Images",
    )
)
_WEIGHTS = ((_BIO, 3), (_POSSESSIVE, 3), (_COPYRIGHT, 2), (_CREDIT, 1))
_TRAILING_JOINERS = re.compile(r"\s+(?:of|and|&)$")


def _clean(name: str) -> str | None:
    name = _TRAILING_JOINERS.sub("", re.sub(r"\s+", " ", name)).strip(" .'’-")
    core = name.removeprefix("The ")
    if len(core) < 3 or core.casefold() in _AGENCIES or core.split()[0].casefold() in _AGENCIES:
        return None
    return name


def outlet_from_text(text: str) -> str | None:
    """The outlet the page names for itself most strongly, or None."""
    votes: Counter[str] = Counter()
    spelled: dict[str, str] = {}
    for pattern, weight in _WEIGHTS:
        for match in pattern.finditer(text):
            name = _clean(match.group("name"))
            if name is None:
                continue
            key = name.removeprefix("The ").casefold()
            votes[key] += weight
            # Prefer the spelling with "The" when the page itself capitalises it so.
            if key not in spelled or name.startswith("The "):
                spelled[key] = name
    if not votes:
        return None
    best, _ = max(votes.items(), key=lambda kv: (kv[1], -len(kv[0])))
    return spelled[best]
