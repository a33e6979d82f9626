"""Page metadata read once from an lxml tree: JSON-LD, meta tags, canonical, og:*, amphtml, lang.

Site parsers read metadata first and visible markup second; this module is the "first".
Broken JSON-LD is tolerated (ignored block by block), since CMS templates often emit it with
raw newlines or trailing commas.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from scraper.text import normalize_ws

ARTICLE_TYPES = frozenset(
    {"newsarticle", "article", "reportagenews", "blogposting", "analysisnewsarticle",
     "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "liveblogposting", "socialmediaposting"}
)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _load_json(text: str) -> Any:
    """json.loads that forgives control characters and trailing commas; None when hopeless."""
    text = text.strip().removeprefix("<!--").removesuffix("-->").strip().rstrip(";")
    for attempt in (text, _TRAILING_COMMA.sub(r"\1", _CONTROL.sub(" ", text))):
        try:
            return json.loads(attempt, strict=False)
        except ValueError:
            continue
    return None


def _flatten(node: Any) -> list[dict[str, Any]]:
    """Every JSON-LD object in a block: lists and ``@graph`` unfolded."""
    out: list[dict[str, Any]] = []
    if isinstance(node, list):
        for item in node:
            out.extend(_flatten(item))
    elif isinstance(node, dict):
        out.append(node)
        if "@graph" in node:
            out.extend(_flatten(node["@graph"]))
    return out


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type")
    values = t if isinstance(t, list) else [t]
    return {str(v).lower().rsplit("/", 1)[-1] for v in values if v}


def _names(value: Any) -> list[str]:
    """Person/Organization names from a JSON-LD author-like value (dict, list or string)."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, list):
            name = name[0] if name else None
        if isinstance(name, str) and normalize_ws(name):
            names.append(normalize_ws(name))
    return names


def _first_str(value: Any, key: str = "url") -> str | None:
    """A string from a JSON-LD value that may be a string, an object with ``key``, or a list."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get(key) or value.get("@id")
    return normalize_ws(value) or None if isinstance(value, str) else None


@dataclass
class PageMeta:
    """What a page's head says about it. Accessors return None / [] when absent."""

    meta: dict[str, str] = field(default_factory=dict)  # lower-cased name/property/itemprop -> content
    jsonld: list[dict[str, Any]] = field(default_factory=list)  # every JSON-LD object
    article: dict[str, Any] = field(default_factory=dict)  # the first article-typed JSON-LD object
    links: dict[str, str] = field(default_factory=dict)  # rel -> href (canonical, amphtml, ...)
    lang: str | None = None
    title_tag: str | None = None

    def get(self, *names: str) -> str | None:
        """First non-empty meta content among ``names`` (case-insensitive)."""
        for name in names:
            value = normalize_ws(self.meta.get(name.lower()))  # normalised on read: most are never read
            if value:
                return value
        return None

    @property
    def canonical(self) -> str | None:
        return self.links.get("canonical") or self.get("og:url")

    @property
    def amphtml(self) -> str | None:
        return self.links.get("amphtml")

    @property
    def headline(self) -> str | None:
        value = self.article.get("headline") or self.article.get("name")
        return normalize_ws(value) if isinstance(value, str) and value.strip() else self.get("og:title")

    @property
    def description(self) -> str | None:
        value = self.get("og:description", "description")
        if not value and isinstance(self.article.get("description"), str):
            value = self.article["description"]
        return normalize_ws(value) or None

    @property
    def date_published(self) -> str | None:
        value = self.article.get("datePublished")
        return value if isinstance(value, str) and value.strip() else self.get("article:published_time")

    @property
    def date_modified(self) -> str | None:
        value = self.article.get("dateModified")
        return value if isinstance(value, str) and value.strip() else self.get("article:modified_time")

    @property
    def authors(self) -> list[str]:
        return _names(self.article.get("author"))

    @property
    def keywords(self) -> list[str]:
        value = self.article.get("keywords") or self.get("news_keywords", "keywords")
        items = value if isinstance(value, list) else str(value or "").split(",")
        return [k for k in (normalize_ws(str(i)) for i in items) if k]

    @property
    def section(self) -> str | None:
        value = self.article.get("articleSection")
        if isinstance(value, list):
            value = value[0] if value else None
        return normalize_ws(value) or None if isinstance(value, str) else self.get("article:section")

    @property
    def image(self) -> str | None:
        return self.get("og:image", "og:image:url", "twitter:image") or _first_str(self.article.get("image"))

    @property
    def language(self) -> str | None:
        value = self.lang or self.get("language", "content-language", "og:locale") or self.article.get("inLanguage")
        return normalize_ws(str(value)).replace("_", "-").lower() or None if value else None


def read_metadata(tree: Any) -> PageMeta:
    """Read every head signal from an lxml document tree in one pass over its meta/link/script nodes."""
    pm = PageMeta()
    lang = tree.get("lang") if tree.tag == "html" else None
    if lang is None:
        found = tree.xpath("//html/@lang")
        lang = found[0] if found else None
    pm.lang = normalize_ws(lang) or None if lang else None
    for el in tree.iter("meta", "link", "script", "title"):
        tag = el.tag
        if tag == "meta":
            key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
            content = el.get("content")
            if key and content and not content.isspace():
                pm.meta.setdefault(key.strip().lower(), content)
        elif tag == "link":
            href = el.get("href")
            for rel in (el.get("rel") or "").lower().split():
                if href and rel in ("canonical", "amphtml", "alternate", "next", "prev"):
                    pm.links.setdefault(rel, href.strip())
        elif tag == "script":
            if (el.get("type") or "").strip().lower() == "application/ld+json" and el.text:
                pm.jsonld.extend(_flatten(_load_json(el.text)))
        elif tag == "title" and pm.title_tag is None:
            pm.title_tag = normalize_ws(el.text_content()) or None
    for obj in pm.jsonld:
        if _types(obj) & ARTICLE_TYPES:
            pm.article = obj
            break
    return pm
