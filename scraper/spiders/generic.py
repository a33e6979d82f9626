"""GenericSpider: any news site without a profile (``scrapy crawl generic -a url=https://example.com``).

Discovery as for a profiled site: robots.txt ``Sitemap:`` lines (and ``/sitemap.xml``), Google News
sitemaps first, and the RSS/Atom feeds the home page announces (``<link rel="alternate">``). Every
URL of the site found there is a candidate; an article is a page whose extraction succeeds
(``scraper.extract`` falls back to the generic extractor), the rest is skipped with its reason.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from lxml import html as lxml_html

from scraper.sites.base import Discovery, Site
from scraper.spiders.base import PRIORITY_FEED, PRIORITY_SITEMAP, NewsSpider

#: Paths that are never articles on any news site (home, listings, media, feeds, search).
NOT_ARTICLE_PATH = re.compile(
    r"^/?$|/(?:tag|tags|topik|topic|kategori|category|author|penulis|search|cari|indeks|index)(?:/|$)"
    r"|\.(?:jpe?g|png|gif|webp|svg|pdf|mp4|mp3|xml|rss|css|js)$|/(?:feed|rss)/?$",
    re.I,
)
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


def site_for(url: str) -> Site:
    """An ad-hoc profile for the site of ``url``: its registrable host, sitemap and any page URL."""
    parts = urlsplit(url if "://" in url else f"https://{url}")
    if not parts.hostname:
        raise ValueError(f"not a site URL: {url!r}")
    host = parts.hostname.lower()
    domain = host.removeprefix("www.")
    origin = f"{parts.scheme or 'https'}://{parts.netloc}"
    return Site(
        name=domain,  # the generic extractor names articles after the host without www.
        domains=(domain,),
        article_url=re.compile(r"^https?://[^/]+/(?!\s*$).+"),
        discovery=Discovery(sitemaps=(f"{origin}/sitemap.xml",)),
    )


class GenericSpider(NewsSpider):
    """``-a url=https://example.com``: sitemaps and feeds of a site without a profile."""

    name = "generic"

    def __init__(self, url: str | None = None, **kwargs: Any) -> None:
        if not url:
            raise ValueError("the generic spider needs -a url=https://<site>")
        self.home = url if "://" in url else f"https://{url}"
        super().__init__(site=site_for(self.home), **kwargs)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        async for request in super().start():
            yield request
        # The home page announces the site's feeds.
        yield self.request(
            self.home,
            callback=self.parse_home,
            errback=self.discovery_failed,
            priority=PRIORITY_SITEMAP,
            dont_filter=True,
        )

    def parse_home(self, response: Any) -> Iterator[scrapy.Request]:
        self.inc("warta/pages/home")
        if self.challenged(response):
            self.count_discovery_failure(response.url, "challenge")
            return
        self.inc("warta/discovery/fetched")
        try:
            tree = lxml_html.fromstring(response.body)
        except (ValueError, TypeError, lxml_html.etree.ParserError):
            return
        for link in tree.xpath("//link[@rel='alternate'][@href]"):
            if (link.get("type") or "").lower() in FEED_TYPES:
                feed = urljoin(response.url, link.get("href").strip())
                if self.site.owns(feed):
                    yield self.request(
                        feed, callback=self.parse_feed, errback=self.discovery_failed, priority=PRIORITY_FEED
                    )

    def wanted_children(self, children: list[str]) -> list[str]:
        """Without a profile, follow every child when no child looks like a news sitemap."""
        news = super().wanted_children(children)
        return news or children

    def follow(self, url: str, *, lastmod: str | None = None) -> Iterator[scrapy.Request | dict[str, Any]]:
        if NOT_ARTICLE_PATH.search(urlsplit(url).path):
            self.inc("warta/skipped")
            self.inc("warta/skipped/not_article_url")
            return
        yield from super().follow(url, lastmod=lastmod)
