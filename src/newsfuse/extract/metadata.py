"""Page metadata from HTML: title, outlet, authors, canonical URL, language, date strings.

Sources, strongest first: JSON-LD (schema.org Article types), OpenGraph/Twitter/Dublin Core
<meta> tags, then page structure (<h1>, <title>, bylines, the URL's host).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import py3langid
from courlan import normalize_url
from lxml.html import HtmlElement

_WS = re.compile(r"\s+")
_ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "blogposting",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "liveblogposting",
        "socialmediaposting",
        "scholarlyarticle",
        "techarticle",
        "report",
        "webpage",
    }
)
_BYLINE_XPATH = (
    "//*[@rel='author' or @itemprop='author' or contains(@class, 'byline')"
    " or contains(@class, 'author-name') or contains(@class, 'article-author')]"
)
_BY_PREFIX = re.compile(r"^\s*(?:by|von|par|por|di|door)\s*[:\-]?\s+", re.IGNORECASE)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|\band\b|&|\bund\b|\bet\b|\by\b)\s*")
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—:»·]\s+")


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """What the page says about itself; None/empty where it says nothing."""

    title: str | None = None
    outlet: str | None = None
    authors: tuple[str, ...] = ()
    canonical_url: str | None = None
    language: str | None = None
    published: str | None = None
    """The raw publication date string from JSON-LD or <meta>, parsed by `dates`."""
    is_article: bool = False
    """The page declares itself an article (og:type, schema.org Article/NewsArticle/...)."""


def _clean(text: object) -> str | None:
    if not isinstance(text, str):
        return None
    text = _WS.sub(" ", text).strip()
    return text or None


def meta_tags(tree: HtmlElement) -> dict[str, str]:
    """<meta> content by lower-cased property/name/itemprop/http-equiv; first one wins."""
    tags: dict[str, str] = {}
    for node in tree.iter("meta"):
        key = node.get("property") or node.get("name") or node.get("itemprop")
        key = key or node.get("http-equiv")
        content = _clean(node.get("content"))
        if key and content:
            tags.setdefault(key.strip().lower(), content)
    return tags


def _jsonld_objects(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue  # broken JSON-LD is common; the <meta> tags usually say the same
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                if isinstance(item.get("@graph"), list):
                    stack.extend(reversed(item["@graph"]))
                yield item


def jsonld_article(tree: HtmlElement) -> dict[str, Any]:
    """The first schema.org article-like object in the page's JSON-LD, or {}."""
    fallback: dict[str, Any] = {}
    for obj in _jsonld_objects(tree):
        names = _ld_types(obj)
        if names & _ARTICLE_TYPES:
            if "webpage" not in names:
                return obj
            fallback = fallback or obj
    return fallback


def _ld_types(obj: Mapping[str, Any]) -> set[str]:
    types = obj.get("@type")
    return {
        t.lower() for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)
    }


def declares_article(ld: Mapping[str, Any], meta: Mapping[str, str]) -> bool:
    """True when the page says it is an article; a generic WebPage does not count."""
    if meta.get("og:type", "").lower() in ("article", "blog", "blogposting"):
        return True
    return bool(_ld_types(ld) & (_ARTICLE_TYPES - {"webpage"}))


def _names(value: object) -> list[str]:
    """Person/organisation names from a JSON-LD value (str, dict, or list of them)."""
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    if isinstance(value, dict):
        return _names(value.get("name"))
    name = _clean(value)
    return [name] if name and not name.startswith(("http://", "https://")) else []


def clean_author(text: str) -> list[str]:
    """'By Jane Doe and John Roe' → ['Jane Doe', 'John Roe']."""
    text = _BY_PREFIX.sub("", _WS.sub(" ", text).strip())
    names = [n.strip(" .,;") for n in _AUTHOR_SPLIT.split(text)]
    return [n for n in names if 2 <= len(n) <= 60 and not n.startswith("http")]


def _dedupe(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def find_authors(
    tree: HtmlElement, ld: Mapping[str, Any], meta: Mapping[str, str]
) -> tuple[str, ...]:
    authors = _names(ld.get("author"))
    if not authors:
        for key in ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author"):
            if key in meta and not meta[key].startswith("http"):
                authors = clean_author(meta[key])
                break
    if not authors:
        for node in tree.xpath(_BYLINE_XPATH)[:3]:
            text = _clean(node.text_content())
            if text and len(text) <= 100:
                authors = clean_author(text)
                if authors:
                    break
    return _dedupe([a for name in authors for a in clean_author(name)])


def outlet_from_host(url: str | None) -> str | None:
    """A readable outlet name from a URL host: 'www.kyivindependent.com' → 'kyivindependent.com'."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    for prefix in ("www.", "m.", "amp.", "mobile."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
            break
    return host or None


def find_outlet(ld: Mapping[str, Any], meta: Mapping[str, str], url: str | None) -> str | None:
    candidates = [
        meta.get("og:site_name"),
        *_names(ld.get("publisher"))[:1],
        meta.get("application-name"),
        meta.get("twitter:site", "").lstrip("@") or None,
    ]
    for candidate in candidates:
        if candidate:
            return candidate
    return None  # the caller falls back to record hints, then to the URL's host


def _strip_outlet(title: str, outlet: str | None) -> str:
    """'Big story | The Daily Example' → 'Big story' (only a trailing/leading site name)."""
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    if outlet and outlet.lower() in parts[-1].lower():
        return " - ".join(parts[:-1])
    if outlet and outlet.lower() in parts[0].lower():
        return " - ".join(parts[1:])
    return title


def find_title(
    tree: HtmlElement, ld: Mapping[str, Any], meta: Mapping[str, str], outlet: str | None
) -> str | None:
    for candidate in (ld.get("headline"), meta.get("og:title"), meta.get("twitter:title")):
        title = _clean(candidate)
        if title:
            return _strip_outlet(title, outlet)
    h1s = tree.xpath("//h1")
    if len(h1s) == 1:
        title = _clean(h1s[0].text_content())
        if title:
            return title
    titles = tree.xpath("//title")
    title = _clean(titles[0].text_content()) if titles else None
    return _strip_outlet(title, outlet) if title else None


def normalise_url(url: str | None, base: str | None = None) -> str | None:
    """Absolute, lower-case host, no fragment, no tracking parameters; None if not http(s)."""
    if not url:
        return None
    url = urljoin(base, url.strip()) if base else url.strip()
    if not url.lower().startswith(("http://", "https://")):
        return None
    try:
        return normalize_url(url, strict=True)
    except ValueError:
        return None


def find_canonical(tree: HtmlElement, meta: Mapping[str, str], url: str | None) -> str | None:
    for node in tree.xpath("//link[@href]"):
        if "canonical" in (node.get("rel") or "").lower().split():
            found = normalise_url(node.get("href"), url)
            if found:
                return found
    return normalise_url(meta.get("og:url"), url) or normalise_url(url)


def iso_language(code: str | None) -> str | None:
    """'en-GB', 'en_US', 'EN' → 'en'; None if it is not a two/three-letter code."""
    if not code:
        return None
    primary = re.split(r"[-_,;\s]", code.strip().lower(), maxsplit=1)[0]
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


def declared_language(
    tree: HtmlElement, meta: Mapping[str, str], ld: Mapping[str, Any], headers: Mapping[str, str]
) -> str | None:
    in_lang = ld.get("inLanguage")
    for code in (
        tree.get("lang"),
        tree.get("xml:lang"),
        meta.get("og:locale"),
        in_lang if isinstance(in_lang, str) else None,
        meta.get("content-language"),
        headers.get("content-language"),
    ):
        lang = iso_language(code)
        if lang:
            return lang
    return None


def detect_language(text: str) -> str | None:
    """py3langid on (a slice of) the body; None for text too short to judge."""
    if len(text) < 40:
        return None
    lang, _ = py3langid.classify(text[:3000])
    return str(lang)


_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "publishdate",
    "pubdate",
    "date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
)


def published_string(ld: Mapping[str, Any], meta: Mapping[str, str]) -> str | None:
    for value in (ld.get("datePublished"), ld.get("dateCreated")):
        if _clean(value):
            return _clean(value)
    for key in _PUBLISHED_META:
        if key in meta:
            return meta[key]
    return None


def read_metadata(
    tree: HtmlElement, url: str | None, headers: Mapping[str, str] | None = None
) -> PageMetadata:
    """Everything the page declares about itself, in one pass over its head."""
    meta = meta_tags(tree)
    ld = jsonld_article(tree)
    outlet = find_outlet(ld, meta, url)
    return PageMetadata(
        title=find_title(tree, ld, meta, outlet),
        outlet=outlet,
        authors=find_authors(tree, ld, meta),
        canonical_url=find_canonical(tree, meta, url),
        language=declared_language(tree, meta, ld, headers or {}),
        published=published_string(ld, meta),
        is_article=declares_article(ld, meta),
    )
