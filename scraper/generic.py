"""Fallback extraction for pages of sites without a profile: trafilatura finds the body, the shared
metadata reader and cleaning do the rest. Minimal on purpose: a hook another helper will grow."""

from __future__ import annotations

from urllib.parse import urlsplit

import trafilatura
from bs4 import BeautifulSoup

from scraper.cleaning import DEFAULT_RULES, clean_body
from scraper.dates import parse_date
from scraper.extract import parse_tree
from scraper.metadata import read_metadata
from scraper.model import Article, NotAnArticle
from scraper.text import normalize_ws
from scraper.urls import canonicalize

# trafilatura's XML vocabulary -> the HTML the shared cleaning walks.
_RENAME = {"head": "h2", "item": "li", "list": "ul", "ref": "a", "quote": "blockquote", "hi": "span", "lb": "br"}


def _body_soup(tree: object, url: str) -> BeautifulSoup | None:
    """The main text as HTML-like bs4 markup (links kept so "Baca juga" lines can be lifted)."""
    xml = trafilatura.extract(
        tree, url=url, output_format="xml", include_links=True, include_comments=False,
        include_tables=False, include_images=False, favor_precision=True,
    )
    if not xml:
        return None
    soup = BeautifulSoup(xml, "lxml")
    for el in soup.find_all(list(_RENAME)):
        if el.name == "ref":
            el["href"] = el.get("target", "")
        el.name = _RENAME[el.name]
    return soup.find("main") or soup


def extract_generic(url: str, html: str | bytes) -> Article:
    """Extract an article from any news page (no site profile)."""
    tree = parse_tree(html)
    meta = read_metadata(tree)
    title = normalize_ws(meta.headline or meta.title_tag or "")
    if not title:
        raise NotAnArticle("no_title")
    body = _body_soup(tree, url)
    cleaned = clean_body(body, DEFAULT_RULES, base_url=url) if body is not None else None
    if cleaned is None or not cleaned.paragraphs:
        raise NotAnArticle("no_body")
    published = parse_date(meta.date_published)
    modified = parse_date(meta.date_modified)
    return Article(
        url=url,
        canonical_url=canonicalize(meta.canonical or url, base=url),
        site=(urlsplit(url).hostname or "").lower().removeprefix("www."),
        title=title,
        paragraphs=cleaned.paragraphs,
        description=meta.description,
        authors=meta.authors,
        published=published,
        modified=modified if modified != published else None,
        section=meta.section,
        tags=meta.keywords,
        lead_image=meta.image,
        language=meta.language,
        related=cleaned.related,
        parser="generic/trafilatura",
    )
