"""The one entry point from (url, html) to an :class:`Article`: decode, sanity-check, dispatch.

Pages go to the site profile that owns the URL (``scraper.sites.site_for_url``) and otherwise
to the generic extractor. Nothing here raises anything but :class:`NotAnArticle`.
"""

from __future__ import annotations

from scraper.html import MAX_BYTES, XML_ROOTS, check_html, check_not_xml, parse_tree
from scraper.model import Article, NotAnArticle
from scraper.sites import site_for_url
from scraper.text import decode_html

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
            return site.parse(url, html)
        # Late: trafilatura is a heavy import, needed only for a page of a site without a profile.
        from scraper.generic import extract_generic

        return extract_generic(url, html)
    except NotAnArticle:
        raise
    except RecursionError:
        raise NotAnArticle("parse_error", "markup nested too deeply") from None
    except Exception as exc:  # noqa: BLE001 - a parser bug on odd markup must skip the page, not stop a crawl
        raise NotAnArticle("parse_error", f"{type(exc).__name__}: {exc}") from exc
