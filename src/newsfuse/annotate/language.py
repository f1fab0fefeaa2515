"""Which language an article is annotated as.

Annotating German as English gives nonsense entities and quotes, so the text itself decides:
a page may declare `lang="en"` on a German body. The declared language is used only when the
text is too short to judge.
"""

from __future__ import annotations

from newsfuse.extract.metadata import detect_language
from newsfuse.model import Article


def article_language(article: Article) -> str | None:
    """ISO 639-1 code of the body's language; the declared one for very short bodies."""
    detected = detect_language(article.text)
    if detected:
        return detected
    return article.language.split("-")[0].lower() if article.language else None
