"""kompas.com: everything comes from the site profile (scraper.sites.kompas)."""

from __future__ import annotations

from scraper.spiders.base import NewsSpider


class KompasSpider(NewsSpider):
    """``scrapy crawl kompas``: robots -> news sitemaps, or ``-a date=YYYY-MM-DD`` for the daily index."""

    name = "kompas"
    site_name = "kompas"
