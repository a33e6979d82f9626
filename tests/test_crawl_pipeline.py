"""ArchivePipeline on a real SQLite archive: batches, counts in the crawl stats, aliases, and no loss
of a committed batch when the crawl dies before closing. Also the incremental-crawl hook."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from archive.crawling import ArchivedFilter, ArchivePipeline
from archive.db import open_archive, save_articles
from scraper.extract import extract_article
from scraper.spiders.base import NewsSpider
from tests.conftest import KOMPAS_FIXTURES
from tests.httpserver import MULTIPAGE_URL, SEED_URL, UPDATED_URL


def item(name: str, url: str) -> dict[str, Any]:
    article = extract_article(url, (KOMPAS_FIXTURES / f"{name}.html").read_bytes())
    d = article.to_dict()
    d.pop("pagination", None)
    return d


@pytest.fixture
def items() -> list[dict[str, Any]]:
    return [
        item("seed-article", SEED_URL + "?page=all"),
        item("multipage-all", MULTIPAGE_URL + "?page=all"),
        item("updated-article", UPDATED_URL + "?page=all"),
    ]


def pipeline(db: Path, batch_size: int) -> ArchivePipeline:
    crawler = get_crawler(NewsSpider, {"WARTA_DB": str(db), "WARTA_BATCH_SIZE": batch_size})
    crawler.stats.open_spider()
    pipe = ArchivePipeline.from_crawler(crawler)
    pipe.open_spider()
    return pipe


def count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]


def test_batches_are_committed_as_they_fill(tmp_path: Path, items: list[dict[str, Any]]) -> None:
    db = tmp_path / "archive.db"
    pipe = pipeline(db, batch_size=2)
    for it in items:
        pipe.process_item(it)
    # The crawl dies here (no close_spider): the full batch is in the archive, only the open one is not.
    assert count(db) == 2
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    pipe.close_spider()
    assert count(db) == 3
    stats = pipe.crawler.stats
    assert stats.get_value("warta/articles/new") == 3
    assert stats.get_value("warta/articles/aliases") == 3  # the three ?page=all URLs


def test_rerun_counts_unchanged_and_records_discovered_aliases(tmp_path: Path, items: list[dict[str, Any]]) -> None:
    db = tmp_path / "archive.db"
    first = pipeline(db, batch_size=50)
    for it in items:
        first.process_item(it)
    first.close_spider()

    second = pipeline(db, batch_size=50)
    amp = SEED_URL.replace("://www.", "://amp.")
    second.process_item({**items[0], "discovered_urls": [amp]})
    second.process_item({"warta_alias_of": SEED_URL, "url": SEED_URL + "?utm_source=x"})  # found late
    second.process_item({"warta_alias_of": "https://www.kompas.com/never/yielded", "url": "https://x.id/a"})
    second.close_spider()
    stats = second.crawler.stats
    assert stats.get_value("warta/articles/unchanged") == 1
    assert stats.get_value("warta/articles/new") is None
    assert stats.get_value("warta/articles/aliases") == 2
    assert stats.get_value("warta/aliases/unrecorded") == 1
    with sqlite3.connect(db) as conn:
        aliases = {u for u, in conn.execute("SELECT url FROM aliases")}
    assert {amp, SEED_URL + "?utm_source=x"} <= aliases
    assert count(db) == 3


def test_incremental_hook_skips_known_unless_the_sitemap_says_newer(tmp_path: Path, items: list[dict[str, Any]]) -> None:
    db = open_archive(tmp_path / "archive.db")
    seen = datetime(2024, 11, 15, 12, 0, tzinfo=timezone.utc)
    save_articles(db, items[:1], seen_at=seen.isoformat())
    # The "already archived" check is the archive's spider middleware (archive.crawling.ArchivedFilter).
    crawler = get_crawler(NewsSpider, {"WARTA_DB": str(tmp_path / "archive.db")})
    known = ArchivedFilter(crawler, db)
    assert known.is_known(SEED_URL, None)
    assert known.is_known(SEED_URL, (seen - timedelta(hours=1)).isoformat())
    assert not known.is_known(SEED_URL, (seen + timedelta(hours=1)).isoformat())
    assert not known.is_known(SEED_URL, "2024-11-15T20:00:00")  # naive lastmod read as WIB: 13:00 UTC
    assert known.is_known(SEED_URL, "not a date")
    assert not known.is_known(MULTIPAGE_URL, None)
    no_archive = get_crawler(NewsSpider, {"WARTA_DB": str(tmp_path / "missing.db")})
    assert not ArchivedFilter(no_archive).is_known(SEED_URL, None)  # no archive opened
    db.close()


def test_the_filter_drops_only_known_article_requests(tmp_path: Path, items: list[dict[str, Any]]) -> None:
    db = open_archive(tmp_path / "archive.db")
    save_articles(db, items[:1])
    crawler = get_crawler(NewsSpider, {"WARTA_DB": str(tmp_path / "archive.db")})
    crawler.stats.open_spider()
    spider = NewsSpider(site="kompas")
    known = ArchivedFilter(crawler, db)
    # The spider marks article requests; the filter drops the known one and lets the rest through.
    out = list(spider.follow(SEED_URL)) + list(spider.follow(MULTIPAGE_URL))
    assert [r.meta["warta_canonical"] for r in out if known.keep(r)] == [MULTIPAGE_URL]
    assert crawler.stats.get_value("warta/known") == 1
    assert known.keep({"canonical_url": SEED_URL})  # items pass
    db.close()


def test_spider_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        NewsSpider(site="kompas", date="14-11-2024")
    with pytest.raises(ValueError, match="not both"):
        NewsSpider(site="kompas", date="2024-11-14", since="2024-11-01")
    with pytest.raises(KeyError, match="unknown site"):
        NewsSpider(site="nosuchsite")
    spider = NewsSpider(site="kompas", since="2024-11-01", until="2024-11-03")
    assert len(spider.days) == 3 and not spider.use_sitemaps
    assert dataclasses.is_dataclass(spider.site)


def test_every_profile_gets_a_spider_without_a_file() -> None:
    from scrapy.settings import Settings
    from scrapy.spiderloader import SpiderLoader

    from scraper.sites import SITES, get_site

    get_site("kompas")  # loads the registry
    assert len(SITES) > 1
    for name, site in SITES.items():
        spider = NewsSpider(site=name)
        assert spider.allowed_domains == list(site.domains)
        assert spider.use_sitemaps and not spider.days
    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    assert {"site", "kompas", "generic"} <= set(SpiderLoader.from_settings(settings).list())


def test_the_archive_addon_switches_the_archive_on_through_settings(tmp_path: Path) -> None:
    from scrapy.settings import Settings

    from archive.crawling import ARCHIVE_SETTINGS, ArchiveAddon, RunHeartbeat
    from archive.runner import build_settings

    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    assert "WARTA_DB" not in settings and not settings.getdict("ITEM_PIPELINES")  # the scraper alone
    ArchiveAddon().update_settings(settings)
    assert settings.getdict("ITEM_PIPELINES") == {ArchivePipeline: 300}
    assert ArchivedFilter in settings.getdict("SPIDER_MIDDLEWARES")
    assert RunHeartbeat in settings.getdict("EXTENSIONS")
    assert settings["WARTA_EXTRACT_EXTRAS"] == "archive.crawling.story_fingerprint"
    assert {name: settings[name] for name in ARCHIVE_SETTINGS} == {k: v[0] for k, v in ARCHIVE_SETTINGS.items()}
    # The runner's settings name the add-on; a --set still beats its defaults.
    built = build_settings(tmp_path / "a.db", overrides=("WARTA_BATCH_SIZE=7",))
    assert "archive.crawling.ArchiveAddon" in built.getdict("ADDONS")
    ArchiveAddon().update_settings(built)
    assert built.getint("WARTA_BATCH_SIZE") == 7 and built["WARTA_DB"] == str(tmp_path / "a.db")
