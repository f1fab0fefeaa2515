"""One key per outlet, so that a story's outlet count counts each outlet once.

Pages name their outlet in different ways: "The Lantern Review", "Lantern Review",
"LANTERN REVIEW", or only through their address (lanternreview.example). The key is

- from the outlet name: NFKC, case-folded, everything that is not a letter or digit removed,
  then a leading "the" dropped ("lanternreview"); a name that is itself a host name
  ("LanternReview.com") is read as one;
- else from the page's URL (or a source that is a URL): the registered domain without its
  public suffix, "www."/"m."/"amp." and any other subdomain, collapsed the same way
  ("lanternreview", "guardian" for amp.theguardian.com), so that it meets the name key where
  the outlet's domain spells its name. On blog and newsletter platforms (substack.com,
  github.io, ...) the tenant is the outlet, so the key is the whole host
  ("valdoriawatch.substack.com");
- else "source:" + the source, so that an article whose outlet is unknown counts as an
  outlet of its own rather than merging with other unknowns (all articles read from stdin
  share the source "stdin", and so one key).

Names cannot be told apart beyond their spelling: two different papers both called "The
Times" share a key, and "The New York Times" and nytimes.com do not.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from courlan import extract_domain

_NOT_ALNUM = re.compile(r"[\W_]+")
_WS = re.compile(r"\s+")
_HOSTLIKE = re.compile(r"(?:[a-z0-9-]{2,}\.)+[a-z]{2,}", re.ASCII)
"""A name that is a host name ("lanternreview.com"); labels of two or more characters, so
that an abbreviation like "u.s.news" stays a name."""
_HOST = re.compile(r"[\w-]+(?:\.[\w-]+)*")

PLATFORM_DOMAINS = frozenset(
    {
        "substack.com",
        "medium.com",
        "wordpress.com",
        "blogspot.com",
        "tumblr.com",
        "github.io",
        "ghost.io",
        "beehiiv.com",
        "wixsite.com",
        "weebly.com",
        "livejournal.com",
        "over-blog.com",
        "typepad.com",
        "hashnode.dev",
    }
)
"""Registered domains that host many independent publications, one per subdomain."""

_SOURCE_PREFIX = "source:"


def _nfkc(text: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def _name_key(name: str) -> str:
    folded = _nfkc(name).casefold()
    if _HOSTLIKE.fullmatch(folded):
        return _host_key(folded) or ""
    return _collapse(folded)


def _collapse(text: str) -> str:
    """Letters and digits only, then one leading "the" dropped (with two or more left).

    The same rule on names and domain labels, so "The Guardian" and theguardian.com meet;
    a name that merely starts with "the" ("Theatre Weekly") loses it too, on both sides alike.
    """
    key = _NOT_ALNUM.sub("", text)
    return key[3:] if key.startswith("the") and len(key) >= 5 else key


def _hostname(url: str) -> str | None:
    """The host of a URL, lower-cased, without port or trailing dot; None when there is none."""
    text = url.strip()
    if "://" not in text:
        text = "//" + text  # a bare host ("lanternreview.example/x") still parses
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    host = (host or "").rstrip(".")
    return host if _HOST.fullmatch(host) else None


def _is_bare(host: str) -> bool:
    """An IP address or a single-label host ("localhost"): nothing to strip."""
    return "." not in host or ":" in host or host.replace(".", "").isdigit()


def _registered_domain(host: str) -> str:
    """The registered domain by the public suffix list (via courlan), or the last two labels
    when the suffix is unknown (".example", ".internal")."""
    if _is_bare(host):
        return host
    url = f"http://{host}/"
    return extract_domain(url) or extract_domain(url, fast=True) or host


def _on_platform(host: str) -> bool:
    return any(host == p or host.endswith("." + p) for p in PLATFORM_DOMAINS)


def _host_key(host_or_url: str) -> str | None:
    host = _hostname(host_or_url)
    if host is None:
        return None
    if _is_bare(host):
        return host
    if _on_platform(host):
        return host.removeprefix("www.")
    domain = _registered_domain(host)
    return _collapse(domain.split(".", 1)[0]) or None


def _is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def outlet_key(outlet: str | None, url: str | None, source: str) -> str:
    """The key an outlet is counted by (see the module docstring); never empty."""
    name_key = _name_key(outlet) if outlet else ""
    if name_key:
        return name_key
    for address in (url, source if _is_url(source) else None):
        host_key = _host_key(address) if address else None
        if host_key:
            return host_key
    return _SOURCE_PREFIX + source


def outlet_display(outlet: str | None, url: str | None, source: str) -> str:
    """How an outlet is shown: its name as given, else its registered domain, else the source."""
    if outlet and _name_key(outlet):
        return _nfkc(outlet)
    for address in (url, source if _is_url(source) else None):
        host = _hostname(address) if address else None
        if host:
            return host.removeprefix("www.") if _on_platform(host) else _registered_domain(host)
    tail = source.rstrip("/").rsplit("/", 1)[-1] or source
    return f"unknown ({tail})"
