"""NewsSpider: discovery and requests for any site profile. Parsing lives in scraper.extract.

Discovery, in priority order: the site's declared sitemaps and the ``Sitemap:`` lines of the
robots.txt files Scrapy reads anyway (RobotsTxtMiddleware, one download per host) -> sitemap
indexes -> Google News sitemaps (other children only with ``-a full_sitemaps=1``) -> feeds; or, with
``-a date=YYYY-MM-DD`` / ``-a since=... -a until=...``, the site's daily index pages.
Every article URL is requested once, in its show-all form, deduplicated on the canonical URL.

Articles the archive already holds are not the spider's business: it marks each article's request
(``meta["warta_canonical"]``, ``meta["warta_lastmod"]``) and the archive's add-on drops the known ones.

Arguments (``-a``): ``site`` (profile name, for the generic ``site`` spider), ``root`` (local mirror,
see scraper.middlewares), ``date``, ``since``, ``until``, ``full_sitemaps``, ``refresh`` (fetch
known articles again; read by the archive's filter),
``max_index_pages``, ``sitemaps`` (also read the sitemaps when a date is given).
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, TypeVar

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError

from scraper.challenges import challenge_kind
from scraper.middlewares import TruncatedResponse
from scraper.model import Article, NotAnArticle, Related
from scraper.sitemaps import SitemapError, is_news_sitemap, parse_sitemap, robots_sitemaps
from scraper.sites import Site, get_site
from scraper.text import declared_charset

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.python.failure import Failure

#: What a sitemap or feed reader returns (read_listing passes it through).
_Listing = TypeVar("_Listing")

#: Request priorities: discovery first, so that every variant URL of an article (amp, utm...) is
#: seen before the article itself is fetched and can be recorded as its alias.
PRIORITY_SITEMAP = 20
PRIORITY_INDEX = 20
PRIORITY_FEED = 20
PRIORITY_PAGE = 5  # the next page of a follow_pages article: finish started articles first
PRIORITY_ARTICLE = 0

#: How many failed discovery URLs the stats keep (``warta/discovery/failed_urls``) for the verdict's message.
MAX_FAILED_URLS_KEPT = 5

#: Bounds on walks a broken site could make endless.
MAX_ARTICLE_PAGES = 50
DEFAULT_MAX_INDEX_PAGES = 100
WIB = timezone(timedelta(hours=7))


def truthy(value: Any) -> bool:
    """Spider arguments arrive as strings: ``-a refresh=1``/``true``/``yes``."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def parse_day(value: str, name: str = "date") -> date:
    """A ``YYYY-MM-DD`` spider argument; ValueError with a clear message otherwise."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{name} must be YYYY-MM-DD, got {value!r}") from None


def days_between(since: date, until: date) -> list[date]:
    """Every day from ``since`` to ``until`` inclusive."""
    if until < since:
        raise ValueError(f"until ({until}) is before since ({since})")
    return [since + timedelta(days=n) for n in range((until - since).days + 1)]


def merge_pages(pages: list[Article]) -> Article:
    """One article from its pages in order: page 1's fields, every page's paragraphs and related."""
    first = pages[0]
    paragraphs = [p for page in pages for p in page.paragraphs]
    related: list[Related] = []
    seen: set[str] = set()
    for page in pages:
        for link in page.related:
            if link.url not in seen:
                seen.add(link.url)
                related.append(link)
    return dataclasses.replace(first, paragraphs=paragraphs, related=related, pagination=None)


class NewsSpider(scrapy.Spider):
    """One spider for every site profile: ``scrapy crawl site -a site=<name>``."""

    name = "site"
    #: Subclasses fix their profile (``KompasSpider.site_name = "kompas"``).
    site_name: str | None = None

    def __init__(
        self,
        site: str | Site | None = None,
        root: str | None = None,
        date: str | None = None,
        since: str | None = None,
        until: str | None = None,
        full_sitemaps: str | bool = False,
        refresh: str | bool = False,
        max_index_pages: str | int = DEFAULT_MAX_INDEX_PAGES,
        sitemaps: str | bool | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.site: Site = site if isinstance(site, Site) else self.load_site(site or self.site_name)
        self.allowed_domains = list(self.site.domains)
        self.root = root.rstrip("/") if root else None
        self.full_sitemaps = truthy(full_sitemaps)
        self.refresh = truthy(refresh)
        self.max_index_pages = int(max_index_pages)
        self.days = self._days(date, since, until)
        # A date walks the daily index only (a backfill need not re-read today's sitemaps), unless
        # ``-a sitemaps=1`` asks for both (the offline demo does).
        self.use_sitemaps = truthy(sitemaps) if sitemaps is not None else not self.days
        self._requested: set[str] = set()  # canonical URLs requested (or known) in this run
        self._yielded: set[str] = set()
        self._variants: dict[str, set[str]] = {}  # canonical URL -> other URLs it was found under
        self._sitemaps_seen: set[str] = set()
        self._extract_pool: Any = None  # scraper.workers.ExtractPool, made when the crawl starts
        self._body_lengths: list[int] = []  # of the articles yielded: their median goes into the stats

    @staticmethod
    def load_site(name: str | None) -> Site:
        """The registered profile ``name``; KeyError names the known ones."""
        if not name:
            raise ValueError("no site given: use -a site=<profile name>")
        return get_site(name)

    @staticmethod
    def _days(day: str | None, since: str | None, until: str | None) -> list[date]:
        """The days whose index pages to walk (none: discover through sitemaps and feeds)."""
        if day and (since or until):
            raise ValueError("give either date or since/until, not both")
        if day:
            return [parse_day(day)]
        if since or until:
            if not since:
                raise ValueError("until needs since")
            last = parse_day(until, "until") if until else datetime.now(WIB).date()
            return days_between(parse_day(since, "since"), last)
        return []

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # robots.txt is fetched once per host, by RobotsTxtMiddleware; its Sitemap: lines reach
        # the spider through this signal instead of a second download.
        crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        # A redirect off the site is dropped by Scrapy's offsite check as it is scheduled, and no
        # errback hears of it: the spider looks at the same moment and counts it.
        crawler.signals.connect(spider.request_scheduled, signal=signals.request_scheduled)
        if spider.root:
            # Settings are still mutable here (Scrapy applies them after creating the spider).
            crawler.settings.set("WARTA_ROOT", spider.root, priority="spider")
        return spider

    def request(self, url: str, **kwargs: Any) -> scrapy.Request:
        """A request in the site's download slot: politeness (delay, concurrency, AutoThrottle)
        applies to the whole site, not per host; Kompas alone has a dozen subdomains."""
        meta = {"download_slot": self.site.name, **kwargs.pop("meta", {})}
        return scrapy.Request(url, meta=meta, **kwargs)

    # ---------------------------------------------------------------- stats and logging

    def inc(self, key: str, count: int = 1) -> None:
        """Add to a crawl stat (a spider built outside a crawl, as in unit tests, has none)."""
        stats = getattr(getattr(self, "crawler", None), "stats", None)
        if count and stats is not None:
            stats.inc_value(key, count)

    def skip(self, url: str, reason: str, detail: str = "") -> None:
        """Count a page that is not an article under its reason, and say so at INFO."""
        self.inc("warta/skipped")
        self.inc(f"warta/skipped/{reason}")
        self.logger.info("Skipped %s: %s%s", url, reason, f" ({detail})" if detail else "")

    def closed(self, reason: str) -> None:
        """Record the median body length (crawl health), stop the worker pool."""
        if self._body_lengths:
            import statistics

            stats = getattr(getattr(self, "crawler", None), "stats", None)
            if stats is not None:
                stats.set_value("warta/articles/body_chars_median", int(statistics.median(self._body_lengths)))
        if self._extract_pool is not None:
            self._extract_pool.close()

    # ---------------------------------------------------------------- discovery

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """Daily index pages for the given days, then the declared sitemaps and feeds.

        The first request to a host makes RobotsTxtMiddleware read its robots.txt; the sitemaps
        it lists are added then (:meth:`robots_parsed`).
        """
        self.extract_pool()  # its workers start while robots.txt and the sitemaps are read
        for request in self.index_requests():
            yield request
        if not self.use_sitemaps:
            return
        for request in self.sitemap_requests(list(self.site.discovery.sitemaps)):
            yield request
        if not self.site.discovery.sitemaps:
            # Nothing declared: robots.txt is where the sitemaps are; read it ourselves.
            for request in self.robots_requests():
                yield request
        for feed in self.site.discovery.feeds:
            yield self.request(feed, callback=self.parse_feed, errback=self.discovery_failed, priority=PRIORITY_FEED)

    def index_requests(self) -> Iterator[scrapy.Request]:
        """Page 1 of the daily index of each day."""
        for day in self.days:
            url = self.site.daily_index_url(day, 1)
            if url is None:
                raise ValueError(f"site {self.site.name} has no daily index; crawl without a date")
            yield self.request(
                url,
                callback=self.parse_index,
                errback=self.discovery_failed,
                priority=PRIORITY_INDEX,
                cb_kwargs={"page": 1},
            )

    def robots_hosts(self) -> list[str]:
        """Origins whose robots.txt may list sitemaps: those of the feeds, else www.<domain>."""
        origins = {"/".join(url.split("/", 3)[:3]): None for url in self.site.discovery.feeds if "://" in url}
        return list(origins) or [f"https://www.{self.site.domains[0]}"]

    def robots_requests(self) -> Iterator[scrapy.Request]:
        """robots.txt of each origin, read for its ``Sitemap:`` lines."""
        for origin in self.robots_hosts():
            yield self.request(
                f"{origin}/robots.txt",
                callback=self.parse_robots,
                errback=self.robots_failed,
                priority=PRIORITY_SITEMAP,
                meta={"dont_obey_robotstxt": True},  # RobotsTxtMiddleware reads its own copy
            )

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        """The sitemaps of this site that a robots.txt lists."""
        self.inc("warta/pages/robots")
        if self.challenged(response):
            self.count_discovery_failure(response.url, "challenge")
            return
        self.inc("warta/discovery/fetched")
        yield from self.sitemap_requests([u for u in robots_sitemaps(response.body) if self.site.owns(u)])

    def robots_failed(self, failure: Failure) -> None:
        """No robots.txt (404) or an unreachable one: the feeds may still give articles."""
        self.logger.info("No usable robots.txt at %s: %s", request_of(failure).url, failure.value)
        self.discovery_failed(failure)

    def discovery_failed(self, failure: Failure) -> None:
        """A sitemap, feed, index page or robots.txt we read for URLs could not be fetched."""
        self.count_discovery_failure(request_of(failure).url, failure_reason(failure))

    def count_discovery_failure(self, url: str, reason: str) -> None:
        """Count a discovery URL that gave nothing, keeping the first few for the verdict's message."""
        self.inc("warta/discovery/failed")
        self.inc(f"warta/discovery/failed/{reason}")
        stats = getattr(getattr(self, "crawler", None), "stats", None)
        if stats is not None:
            kept = list(stats.get_value("warta/discovery/failed_urls") or [])
            if len(kept) < MAX_FAILED_URLS_KEPT:
                stats.set_value("warta/discovery/failed_urls", [*kept, f"{url} ({reason})"])
        self.logger.warning("Discovery URL failed: %s (%s)", url, reason)

    def request_scheduled(self, request: scrapy.Request) -> None:
        """Count a redirect to another site as not fetched ``offsite_redirect``: Scrapy's offsite
        check drops it right after this signal, silently (``offsite/filtered`` only)."""
        if not request.meta.get("redirect_urls") or request.dont_filter or request.meta.get("allow_offsite"):
            return
        if self.site.owns(request.url):
            return
        self.inc("warta/failed")
        self.inc("warta/failed/offsite_redirect")
        self.logger.info("Not fetched %s: offsite_redirect to %s", request.meta["redirect_urls"][0], request.url)

    def challenged(self, response: Response) -> bool:
        """Is this an anti-bot challenge page (marked by the ResponseCheckMiddleware, or seen here)?
        Skipped as ``challenge``: never read as a listing, never archived as an article."""
        meta = getattr(response, "meta", None) if getattr(response, "request", None) is not None else None
        family = (meta or {}).get("warta_challenge") or challenge_kind(response.body)
        if family:
            self.skip(response.url, "challenge", family)
        return bool(family)

    def robots_parsed(self, robotparser: Any, request: scrapy.Request) -> None:
        """A host's robots.txt was read: crawl the sitemaps of this site it lists."""
        if not self.use_sitemaps:
            return
        self.inc("warta/pages/robots")
        listed = list(getattr(getattr(robotparser, "rp", None), "sitemaps", ()) or ())
        for sitemap in self.sitemap_requests([u for u in listed if self.site.owns(u)]):
            assert self.crawler.engine is not None
            self.crawler.engine.crawl(sitemap)

    def sitemap_requests(self, urls: list[str]) -> Iterator[scrapy.Request]:
        """Each sitemap once per run."""
        for url in urls:
            if url in self._sitemaps_seen:
                continue
            self._sitemaps_seen.add(url)
            yield self.request(
                url, callback=self.parse_sitemap, errback=self.discovery_failed, priority=PRIORITY_SITEMAP
            )

    def read_listing(self, response: Response, kind: str, reader: Callable[[bytes], _Listing]) -> _Listing | None:
        """A sitemap or feed read by ``reader``, counted as a ``kind`` page; None (counted, logged) if unreadable."""
        self.inc(f"warta/pages/{kind}")
        if self.challenged(response):
            self.count_discovery_failure(response.url, "challenge")
            return None
        try:
            listing = reader(response.body)
        except SitemapError as exc:
            self.inc(f"warta/{kind}s/unreadable")
            self.logger.warning("Unreadable %s %s: %s", kind, response.url, exc)
            self.count_discovery_failure(response.url, "unreadable")
            return None
        self.inc("warta/discovery/fetched")
        return listing

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request | dict[str, Any]]:
        """An index: its wanted children; a urlset: its article URLs."""
        sitemap = self.read_listing(response, "sitemap", parse_sitemap)
        if sitemap is None:
            return
        if sitemap.kind == "index":
            children = [c.url for c in sitemap.entries if self.site.owns(c.url)]
            wanted = self.wanted_children(children)
            self.inc("warta/sitemaps/children_not_followed", len(children) - len(wanted))
            yield from self.sitemap_requests(wanted)
            return
        for entry in sitemap.entries:
            yield from self.follow(entry.url, lastmod=entry.lastmod or entry.publication_date)

    def wanted_children(self, children: list[str]) -> list[str]:
        """Children of a sitemap index to follow: the news sitemaps, or all with ``full_sitemaps``."""
        if self.full_sitemaps:
            return children
        return [c for c in children if is_news_sitemap(c, self.site.discovery.news_sitemap_markers)]

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request | dict[str, Any]]:
        """The article URLs of an RSS/Atom feed."""
        from scraper.feeds import parse_feed

        entries = self.read_listing(response, "feed", parse_feed)
        if entries is None:
            return
        for entry in entries:
            yield from self.follow(entry.url, lastmod=entry.lastmod)

    def parse_index(self, response: Response, page: int) -> Iterator[scrapy.Request | dict[str, Any]]:
        """The article URLs of a daily index page, and its next page (bounded)."""
        self.inc("warta/pages/index")
        if self.challenged(response):
            self.count_discovery_failure(response.url, "challenge")
            return
        if self.site.index_links is None:
            self.logger.warning("Site %s cannot read its index pages", self.site.name)
            return
        try:
            urls, next_url = self.site.index_links(response.url, response.body)
        except NotAnArticle as exc:  # an index page the parser does not recognise
            self.skip(response.url, exc.reason, exc.detail)
            self.count_discovery_failure(response.url, "unreadable")
            return
        except Exception as exc:  # a parser bug must not stop the crawl; it is logged as an error
            self.logger.error("Index parser crashed on %s: %r", response.url, exc, exc_info=True)
            self.skip(response.url, "parse_error", repr(exc))
            self.count_discovery_failure(response.url, "parse_error")
            return
        self.inc("warta/discovery/fetched")
        for url in urls:
            yield from self.follow(url)
        if next_url and page < self.max_index_pages:
            yield self.request(
                next_url,
                callback=self.parse_index,
                errback=self.discovery_failed,
                priority=PRIORITY_INDEX,
                cb_kwargs={"page": page + 1},
            )
        elif next_url:
            self.inc("warta/index/page_limit")

    # ---------------------------------------------------------------- articles

    def follow(self, url: str, *, lastmod: str | None = None) -> Iterator[scrapy.Request | dict[str, Any]]:
        """Request an article URL once, in its show-all form, unless it is known or not an article."""
        from scraper.urls import canonicalize

        self.inc("warta/discovered")
        if not self.site.is_article_url(url):
            # Counted as a skip (video, tag, index links...), but only logged at DEBUG: a sitemap
            # can list thousands of them.
            self.inc("warta/skipped")
            self.inc("warta/skipped/not_article_url")
            self.logger.debug("Skipped %s: not_article_url", url)
            return
        canonical = canonicalize(url)
        variant = url.split("#", 1)[0]
        if variant != canonical:
            if canonical in self._yielded:
                # Found after its article was yielded: the pipeline records it as an alias.
                self.inc("warta/aliases/found_late")
                yield {"warta_alias_of": canonical, "url": variant}
            else:
                self._variants.setdefault(canonical, set()).add(variant)
        if canonical in self._requested:
            return
        self._requested.add(canonical)
        yield self.article_request(canonical, lastmod)

    def article_request(self, canonical: str, lastmod: str | None = None) -> scrapy.Request:
        """The one request for an article: its show-all URL, fingerprinted on the canonical URL.

        ``warta_canonical`` and ``warta_lastmod`` mark it as an article's first request: a spider
        middleware of the archive (``archive.crawling.ArchivedFilter``, switched on through
        settings) drops it when the archive holds the article and ``refresh`` is off.
        """
        return self.request(
            self.site.show_all_url(canonical),
            callback=self.parse_article,
            errback=self.article_failed,
            priority=PRIORITY_ARTICLE,
            meta={"warta_key": canonical, "warta_canonical": canonical, "warta_lastmod": lastmod},
        )

    async def parse_article(self, response: Response) -> AsyncIterator[scrapy.Request | dict[str, Any]]:
        """Extract the article; for "follow_pages", fetch the next page first and yield once."""
        self.inc("warta/pages/article")
        if self.challenged(response):
            if response.meta.get("warta_pages"):  # a later page: keep the pages read, marked incomplete
                yield self.incomplete_item(response.meta)
            return
        try:
            article, extras = await self.extract(response)
        except NotAnArticle as exc:
            self.skip(response.url, exc.reason, exc.detail)
            return
        pages: list[Article] = [*response.meta.get("warta_pages", []), article]
        if self.site.multipage == "follow_pages":
            next_url = (article.pagination or {}).get("next")
            if next_url and len(pages) < MAX_ARTICLE_PAGES:
                yield self.next_page_request(response, next_url, pages)
                return
            if next_url:  # the page cap: more pages exist than we read
                yield self.incomplete_item({**response.meta, "warta_pages": pages})
                return
        item = self.article_item(response.meta.get("warta_canonical"), merge_pages(pages))
        if len(pages) == 1:  # extras describe this page; a merged article is another body
            item.update(extras)
        yield item

    async def extract(self, response: Response) -> tuple[Article, dict[str, Any]]:
        """The parser (a pure function of url + html), inline or in a worker process
        (``WARTA_EXTRACT_PROCESSES``), and the extra item fields a worker computed
        (``WARTA_EXTRACT_EXTRAS``); any crash in it counts as a parse error."""
        try:
            # The page's label only: response.encoding guesses (charset_normalizer) when there is none.
            return await self.extract_pool().extract(
                response.url, response.body, declared_charset(response.headers.get(b"Content-Type"), response.body)
            )
        except NotAnArticle:
            raise
        except Exception as exc:  # a parser bug must not stop the crawl; it is logged as an error
            self.logger.error("Parser crashed on %s: %r", response.url, exc, exc_info=True)
            raise NotAnArticle("parse_error", repr(exc)) from exc

    def extract_pool(self) -> Any:
        """The ``scraper.workers.ExtractPool`` of this crawl (made once)."""
        if self._extract_pool is None:
            from scraper.workers import ExtractPool

            self._extract_pool = ExtractPool(
                self.settings.getint("WARTA_EXTRACT_PROCESSES"), self.settings.get("WARTA_EXTRACT_EXTRAS")
            )
            if self._extract_pool.processes:
                self.logger.info("Extracting articles in %d worker process(es)", self._extract_pool.processes)
        return self._extract_pool

    def next_page_request(self, response: Response, next_url: str, pages: list[Article]) -> scrapy.Request:
        """The next page of a "follow_pages" article, carrying the pages read so far."""
        canonical = response.meta.get("warta_canonical")
        return self.request(
            next_url,
            callback=self.parse_article,
            errback=self.page_failed,
            priority=PRIORITY_PAGE,
            meta={
                "warta_key": f"{canonical}#page={len(pages) + 1}",
                "warta_canonical": canonical,
                "warta_pages": pages,
            },
        )

    def page_failed(self, failure: Failure) -> Iterator[dict[str, Any]]:
        """A later page failed after its retries: keep what the earlier pages gave rather than lose
        the article, marked ``incomplete`` (the archive fetches it again next run)."""
        self.article_failed(failure)
        yield self.incomplete_item(request_of(failure).meta)

    def incomplete_item(self, meta: dict[str, Any]) -> dict[str, Any]:
        """The item of a multi-page article from the pages read so far, marked ``incomplete``."""
        self.inc("warta/multipage/incomplete")
        item = self.article_item(meta.get("warta_canonical"), merge_pages(meta["warta_pages"]))
        item["incomplete"] = True
        return item

    def article_item(self, requested: str | None, article: Article) -> dict[str, Any]:
        """The item for the pipeline: ``Article.to_dict()`` plus the other URLs it was found under."""
        item = article.to_dict()
        item.pop("pagination", None)
        variants: set[str] = set()
        for key in {requested, article.canonical_url} - {None}:
            self._yielded.add(key)  # type: ignore[arg-type]
            variants |= self._variants.pop(key, set())  # type: ignore[arg-type]
        variants -= {article.canonical_url, article.url}
        if variants:
            item["discovered_urls"] = sorted(variants)
        self.inc("warta/articles/yielded")
        if article.published:
            self.inc("warta/articles/dated")
        self._body_lengths.append(len(item.get("body") or ""))
        return item

    def article_failed(self, failure: Failure) -> None:
        """Count an article that could not be fetched, by why (a truncated one is already counted
        as skipped ``truncated`` by the ResponseCheckMiddleware)."""
        reason = failure_reason(failure)
        if failure.check(TruncatedResponse):
            self.logger.info("Not stored %s: %s", request_of(failure).url, failure.value)
            return
        if reason == "truncated":  # a Content-Length or chunked cut Scrapy raised on, after its retries
            self.inc("warta/skipped")
            self.inc("warta/skipped/truncated")
            self.logger.info("Not stored %s: truncated (%s)", request_of(failure).url, type(failure.value).__name__)
            return
        self.inc("warta/failed")
        self.inc(f"warta/failed/{reason}")
        self.logger.info("Not fetched %s: %s", request_of(failure).url, reason)


def request_of(failure: Failure) -> scrapy.Request:
    """The request an errback's failure is about (Scrapy sets ``failure.request``; Twisted does not declare it)."""
    return failure.request  # type: ignore[attr-defined]


def failure_reason(failure: Failure) -> str:
    """Why a request failed, as a short stat name (``http_404``, ``robots``, ``offsite_redirect``,
    ``too_large``, ``truncated``...)."""
    from scrapy.exceptions import DownloadCancelledError, ResponseDataLossError

    if failure.check(HttpError):
        return f"http_{failure.value.response.status}"  # type: ignore[union-attr]  # HttpError has one
    if failure.check(TruncatedResponse, ResponseDataLossError):
        return "truncated"
    if failure.check(DownloadCancelledError):
        message = str(failure.value).lower()
        return "too_large" if "size" in message else "cancelled"
    if failure.check(IgnoreRequest):
        message = str(failure.value).lower()
        if "robots" in message:
            return "robots"
        if "offsite" in message:
            return "offsite_redirect"
        if "max size" in message or "larger than" in message or "size" in message:
            return "too_large"  # a decompression bomb (HttpCompressionMiddleware) or DOWNLOAD_MAXSIZE
        return "redirect_loop" if "redirect" in message else "ignored"
    return type(failure.value).__name__
