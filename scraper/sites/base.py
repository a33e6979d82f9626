"""What a site profile declares: domains, article URLs, discovery, multi-page strategy, parsers.

A site module (``scraper/sites/kompas.py``, ...) builds one :class:`Site` and registers it in
``scraper.sites.SITES``. Spiders read the declaration; they never hard-code a site.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

if TYPE_CHECKING:
    from scraper.model import Article

#: How a multi-page article is fetched once, whole.
#: - "show_all": the site renders every page with a query parameter (``?page=all``, ``?single=1``)
#: - "follow_pages": no show-all view; fetch ``?page=N`` while a next page exists and merge in order
#: - "single_response": every page is already in the first response (Liputan6)
#: - "none": articles are single pages
Multipage = Literal["show_all", "follow_pages", "single_response", "none"]


@dataclass(frozen=True)
class Discovery:
    """Where a site's article URLs are found."""

    #: Sitemap or sitemap-index URLs; ``Sitemap:`` lines of robots.txt are added by the spider.
    sitemaps: tuple[str, ...] = ()
    #: A child of a sitemap index is a Google News sitemap when its URL contains one of these.
    news_sitemap_markers: tuple[str, ...] = ("news",)
    #: RSS/Atom feed URLs.
    feeds: tuple[str, ...] = ()
    #: Daily index page, formatted with ``date`` (a datetime.date) and ``page`` (1-based), e.g.
    #: ``"https://indeks.kompas.com/?site=all&date={date:%Y-%m-%d}&page={page}"``.
    daily_index: str | None = None


class ParserVersion(Protocol):
    """A layout version as a :class:`Site` holds it: a ``scraper.sites.parser.Parser`` subclass.

    Named structurally, so that this declaration module needs nothing of the parser kit (which
    imports the whole core) and no import circle joins the two.
    """

    def __init__(self, site: Site, page: Any) -> None: ...

    @classmethod
    def detect(cls, page: Any) -> bool: ...

    def parse(self) -> Article: ...


@dataclass
class Site:
    """A news site: everything the spiders and ``extract`` need to know about it."""

    name: str
    #: Registrable domains; any host equal to or under one of them belongs to the site.
    domains: tuple[str, ...]
    #: Matches the full URL of an article (scheme and host included, query and fragment excluded).
    article_url: re.Pattern[str]
    discovery: Discovery = field(default_factory=Discovery)
    multipage: Multipage = "none"
    #: For "show_all": the query parameters that render the whole article.
    show_all_params: dict[str, str] = field(default_factory=dict)
    #: The parser versions (``scraper.sites.parser.Parser`` subclasses), newest first; the newest is
    #: the fallback for pages no version detects. With versions, ``parse`` runs them.
    parsers: tuple[type[ParserVersion], ...] = ()
    #: index_links(url, html) -> (article URLs in page order, next index page URL or None).
    index_links: Callable[[str, str | bytes], tuple[list[str], str | None]] | None = None
    #: Default time zone offset of naive visible dates on this site.
    default_offset: str = "+07:00"
    #: The language of the site's articles (a parser may say otherwise per page, e.g. en.tempo.co).
    language: str = "id"

    def parse(self, url: str, html: str | bytes) -> Article:
        """The article of a page: loaded once, run by the first version that detects its layout, else
        the newest; raises scraper.model.NotAnArticle."""
        from scraper.dates import aware  # late, like the page kit
        from scraper.sites.common import load_page  # late: the page kit imports the whole core

        page = load_page(url, html)
        version = next((p for p in self.parsers if p.detect(page)), self.parsers[0])
        article = version(self, page).parse()
        # The one catch-all (issue 12 §3: "never a naive timestamp in the archive or the export"): a date no
        # version gave a zone is the site's wall clock. Aware values are kept as the version chose them.
        article.published = aware(article.published, self.default_offset)
        article.modified = aware(article.modified, self.default_offset)
        return article

    def owns(self, url: str) -> bool:
        """True when the URL's host is one of the site's domains or a subdomain of one."""
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.domains)

    def is_article_url(self, url: str) -> bool:
        parts = urlsplit(url)
        bare = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        return self.owns(url) and bool(self.article_url.match(bare))

    def show_all_url(self, url: str) -> str:
        """The URL that renders the whole article, for the "show_all" strategy (else ``url``)."""
        if self.multipage != "show_all" or not self.show_all_params:
            return url
        parts = urlsplit(url)
        query = [(k, v) for k, v in parse_qsl(parts.query) if k not in self.show_all_params]
        query += list(self.show_all_params.items())
        return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))

    def daily_index_url(self, day: date, page: int = 1) -> str | None:
        if not self.discovery.daily_index:
            return None
        return self.discovery.daily_index.format(date=day, page=page)
