"""The spider's pieces: the mirror rewrite, page merging, and the "follow_pages" strategy crawled
in-process (AsyncCrawlerRunner without a Twisted reactor, as the stack notes describe)."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path

import pytest

from scraper.middlewares import from_mirror, to_mirror
from scraper.spiders.base import days_between, merge_pages, parse_day
from tests.conftest import KOMPAS_FIXTURES
from tests.httpserver import MULTIPAGE_URL, kompas_server

ROOT = "http://127.0.0.1:8765"


@pytest.mark.parametrize(
    "real",
    [
        "https://www.kompas.com/robots.txt",
        "https://megapolitan.kompas.com/read/2024/11/14/13000061/x?page=all",
        "https://indeks.kompas.com/?site=all&date=2024-11-14&page=2",
    ],
)
def test_mirror_rewrite_round_trips(real: str) -> None:
    mirrored = to_mirror(real, ROOT)
    assert mirrored.startswith(ROOT + "/")
    assert from_mirror(mirrored, ROOT) == real


def test_mirror_rewrite_shapes() -> None:
    assert to_mirror("https://www.kompas.com/a/b?x=1", ROOT) == f"{ROOT}/www.kompas.com/a/b?x=1"
    assert to_mirror(f"{ROOT}/www.kompas.com/a", ROOT) == f"{ROOT}/www.kompas.com/a"  # already mirrored
    assert from_mirror("https://elsewhere.id/a", ROOT) == "https://elsewhere.id/a"


def test_dates() -> None:
    assert [d.isoformat() for d in days_between(parse_day("2024-11-30"), parse_day("2024-12-01"))] == [
        "2024-11-30",
        "2024-12-01",
    ]
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_day("14/11/2024")
    with pytest.raises(ValueError, match="before"):
        days_between(parse_day("2024-11-02"), parse_day("2024-11-01"))


def test_merge_pages_equals_the_show_all_page() -> None:
    from scraper.extract import extract_article

    def parse(name: str):
        meta = json.loads((KOMPAS_FIXTURES / "expected" / f"{name}.json").read_text(encoding="utf-8"))
        return extract_article(meta["url"], (KOMPAS_FIXTURES / f"{name}.html").read_bytes())

    merged = merge_pages([parse("multipage-p1"), parse("multipage-p2")])
    whole = parse("multipage-all")
    assert merged.paragraphs == whole.paragraphs
    assert merged.related == whole.related
    assert merged.pagination is None
    assert merged.canonical_url == whole.canonical_url


async def test_follow_pages_strategy_fetches_every_page_and_yields_once(tmp_path: Path) -> None:
    from archive.runner import build_settings, crawl_in_process
    from scraper.sites import get_site
    from scraper.spiders.base import NewsSpider

    # Kompas as if it had no show-all view (Okezone's case): fetch ?page=N while a next page exists.
    site = dataclasses.replace(get_site("kompas"), multipage="follow_pages", show_all_params={})
    settings = build_settings(tmp_path / "archive.db", fast=True, extra_settings={"TWISTED_REACTOR_ENABLED": False})
    with kompas_server() as server:
        crawler = await crawl_in_process(settings, NewsSpider, site=site, root=server.root)
        hits = server.requested()
    stats = crawler.stats.get_stats()
    assert stats["finish_reason"] == "finished"
    path = MULTIPAGE_URL.split("://", 1)[1]
    assert hits.count(path) == 1 and hits.count(path + "?page=2") == 1
    assert path + "?page=all" not in hits
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        (body,) = conn.execute("SELECT body FROM articles WHERE canonical_url = ?", (MULTIPAGE_URL,)).fetchone()
    whole = json.loads((KOMPAS_FIXTURES / "expected" / "multipage-all.json").read_text(encoding="utf-8"))
    assert body == "\n\n".join(whole["paragraphs"])


async def crawl_in_process(server: object, db: Path, **spider_args: object) -> tuple[dict, list[str]]:
    """One real crawl of the kompas spider in this process (no reactor): (stats, server hits)."""
    from archive.runner import build_settings, crawl_in_process
    from scraper.spiders.kompas import KompasSpider

    settings = build_settings(db, fast=True, extra_settings={"TWISTED_REACTOR_ENABLED": False})
    crawler = await crawl_in_process(settings, KompasSpider, root=server.root, **spider_args)  # type: ignore[attr-defined]
    return crawler.stats.get_stats(), server.requested()  # type: ignore[attr-defined]


async def test_redirects_on_the_mirror_stay_on_the_real_hosts(tmp_path: Path) -> None:
    from tests.httpserver import SEED_URL, Fault

    with kompas_server() as server:
        # The show-all URL answers 301 to the plain article URL (as a mirror path): the spider
        # follows it, and the archive sees only real kompas.com URLs.
        server.faults[SEED_URL.split("://")[1] + "?page=all"] = Fault(redirect_to=SEED_URL)
        server.faults[MULTIPAGE_URL.split("://")[1] + "?page=all"] = Fault(redirect_loop=True)
        stats, hits = await crawl_in_process(server, tmp_path / "a.db")
    assert stats["finish_reason"] == "finished"
    assert SEED_URL.split("://")[1] in hits
    with sqlite3.connect(tmp_path / "a.db") as conn:
        urls = {u for u, in conn.execute("SELECT url FROM articles")}
    assert SEED_URL in urls
    assert all(u.startswith("https://") and "127.0.0.1" not in u for u in urls)
    assert MULTIPAGE_URL not in {u.split("?")[0] for u in urls}  # the redirect loop gave up
    assert not [h for h in hits if "127.0.0.1" in h]
    assert stats["warta/failed/redirect_loop"] == 1


async def test_the_mirror_is_never_fetched_through_the_real_hosts_proxy(tmp_path: Path, monkeypatch) -> None:
    from tests.httpserver import SEED_URL

    # A proxy for the real hosts (HttpProxyMiddleware reads it from the environment) that accepts
    # nothing: the mirror is local, so the download handler drops the proxy and the crawl works.
    for name in ("https_proxy", "http_proxy", "HTTPS_PROXY", "HTTP_PROXY"):
        monkeypatch.setenv(name, "http://user:secret@127.0.0.1:9")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    with kompas_server() as server:
        stats, hits = await crawl_in_process(server, tmp_path / "a.db")
    assert stats["finish_reason"] == "finished"
    assert SEED_URL.split("://")[1] + "?page=all" in hits
    with sqlite3.connect(tmp_path / "a.db") as conn:
        assert SEED_URL in {u for u, in conn.execute("SELECT canonical_url FROM articles")}


def test_fault_hooks_answer_as_configured() -> None:
    import urllib.error
    import urllib.request

    from tests.httpserver import SEED_URL, Fault

    path = SEED_URL.split("://")[1]
    with kompas_server() as server:
        server.faults[path + "?page=all"] = Fault(truncate=100)
        server.faults[path] = Fault(status=429, times=1)
        server.faults["www.kompas.com/sitemap-news.xml"] = Fault(reset=True)
        with urllib.request.urlopen(f"{server.root}/{path}?page=all", timeout=10) as r:  # noqa: S310
            with pytest.raises(Exception):  # noqa: B017 - http.client's IncompleteRead
                r.read()
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(f"{server.root}/{path}", timeout=10)  # noqa: S310
        assert err.value.code == 429
        err.value.close()
        with urllib.request.urlopen(f"{server.root}/{path}", timeout=10) as r:  # noqa: S310 - only once
            assert r.status == 200
        with pytest.raises((ConnectionError, urllib.error.URLError, OSError)):
            urllib.request.urlopen(f"{server.root}/www.kompas.com/sitemap-news.xml", timeout=10)  # noqa: S310


def test_extraction_workers_start_with_the_pool_not_on_the_first_article() -> None:
    import time

    from scraper.workers import ExtractPool

    pool = ExtractPool(2)
    try:
        # No article submitted: both workers are started (and import the parsers) right away.
        processes = pool._pool._processes  # type: ignore[union-attr]
        assert len(processes) == 2
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not all(p.is_alive() for p in processes.values()):
            time.sleep(0.05)
        assert all(p.is_alive() for p in processes.values())
    finally:
        pool.close()
