"""The one entry point from (url, html) to an :class:`Article`: decode, sanity-check, dispatch.

Pages go to the site profile that owns the URL (``scraper.sites.site_for_url``) and otherwise
to the generic extractor. Nothing here raises anything but :class:`NotAnArticle`.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scraper.html import MAX_BYTES, XML_ROOTS, check_html, check_not_xml, parse_tree
from scraper.model import Article, NotAnArticle
from scraper.sites import Site, site_for_url
from scraper.text import decode_html
from scraper.urls import canonicalize, registrable_domain

# parse_tree and the checks live in scraper.html; re-exported for the callers that import them from here.
__all__ = ["MAX_BYTES", "XML_ROOTS", "check_html", "check_not_xml", "extract_article", "parse_tree"]


def extract_article(url: str, html: str | bytes, *, encoding: str | None = None) -> Article:
    """Extract the article of one page.

    Args:
        url: the URL the page was fetched from (selects the site profile).
        html: the response body, bytes (decoded best-effort) or text.
        encoding: the charset label of the HTTP headers, when there is one (``scraper.text.declared_charset``);
            not a guess such as Scrapy's ``response.encoding`` for an unlabelled page.

    Raises:
        NotAnArticle: with a reason from ``scraper.model.SKIP_REASONS``.
    """
    check_html(html)
    if isinstance(html, bytes):
        html = decode_html(html, encoding)
    check_not_xml(html)
    site = site_for_url(url)
    try:
        if site is not None:
            return check_identity(site.parse(url, html), url, site)
        # Late: trafilatura is a heavy import, needed only for a page of a site without a profile.
        from scraper.generic import extract_generic

        return check_identity(extract_generic(url, html), url, None)
    except NotAnArticle:
        raise
    except RecursionError:
        raise NotAnArticle("parse_error", "markup nested too deeply") from None
    except Exception as exc:  # noqa: BLE001 - a parser bug on odd markup must skip the page, not stop a crawl
        raise NotAnArticle("parse_error", f"{type(exc).__name__}: {exc}") from exc


# Path shapes of the pages that are not one article on a site without a profile: the home page, tag,
# topic, category, search, index, archive, author and feed pages (first path segment).
_NOT_ARTICLE_PATH = re.compile(
    r"^/(?:index\.(?:html?|php))?$|^/(?:tags?|topics?|topik|kategori|category|categories|labels?|search|cari"
    r"|pencarian|indeks|index|arsip|archives?|authors?|penulis|feed|rss)(?:[/.]|$)",
    re.I,
)


def canonical_problem(canonical: str, url: str, site: Site | None) -> str | None:
    """Why the page's declared canonical cannot be its identity (None: it can).

    It must be an http(s) URL of the site the page was fetched from, and an article URL of it: by
    the profile's own article pattern, or (no profile) of the same registrable host and not the
    home page or a tag/category/search/index page.
    """
    parts = urlsplit(canonical)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return "not an http(s) URL"
    if site is not None:
        if not site.owns(canonical):
            return "another site"
        return None if site.is_article_url(canonical) else "not an article URL of the site"
    if registrable_domain(parts.hostname) != registrable_domain(urlsplit(url).hostname or ""):
        return "another site"
    if _NOT_ARTICLE_PATH.search(parts.path or "/"):
        return "not an article URL (home, tag, category, search or index page)"
    return None


def check_identity(article: Article, url: str, site: Site | None) -> Article:
    """The one decision of an article's identity: its canonical when acceptable, else the fetched URL.

    A refused canonical (another site: a syndicated copy; the home page; a tag page; ``javascript:``)
    would make another page's identity this article's, so the canonicalised fetched URL is the
    identity and the refused value is kept in ``rejected_canonical``. Whether an accepted canonical
    collides with another archived article is the archive's decision (``archive.db.save_articles``).
    """
    declared = article.canonical_url
    fetched = canonicalize(url)
    if declared == fetched or not fetched.startswith(("https://", "http://")):
        return article  # the fetched URL itself (or a file:// page of `warta extract`): nothing to decide
    if canonical_problem(declared, url, site) is not None:
        article.rejected_canonical = declared
        article.canonical_url = fetched
    return article
