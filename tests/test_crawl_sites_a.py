"""End to end, one crawl per site of group A: ``warta crawl <site>`` (real Scrapy in a subprocess)
against a local mirror of the site's fixtures (its sitemap, feed or daily index -> article pages),
into a real SQLite archive. Politeness is off through ``--fast``."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from archive.demo import MirrorSite, route_key
from tests.httpserver import FaultServer

FIXTURES = Path(__file__).parent / "fixtures"


def expected(site: str, name: str) -> dict:
    return json.loads((FIXTURES / site / f"{name}.expected.json").read_text(encoding="utf-8"))


@dataclass
class CrawlCase:
    """A site, the URLs its mirror serves (real URL -> fixture file), and what the archive must hold."""

    site: str
    routes: dict[str, str]
    pages: list[str]  # expected JSON names whose paragraphs, in order, make the stored body
    fetched: list[str]  # URLs the crawl must request exactly once (the show-all / page forms)
    args: list[str] = field(default_factory=list)
    name: str = ""  # test id when a site has several cases


DETIK = expected("detik", "detik-2024")
TRIBUN = expected("tribunnews", "tribunnews-2024")
LIPUTAN6 = expected("liputan6", "liputan6-2026")
ANTARA = expected("antaranews", "antaranews-2024")
OKEZONE_1, OKEZONE_2 = expected("okezone", "okezone-2024-p1"), expected("okezone", "okezone-2024-p2")
TEMPO = expected("tempo", "tempo-2025")

CASES = [
    CrawlCase(  # news sitemap -> ?single=1
        "detik",
        {
            "https://news.detik.com/berita/sitemap_news.xml": "detik/sitemap_news.xml",
            DETIK["url"] + "?single=1": "detik/detik-2024.html",
        },
        ["detik-2024"],
        [DETIK["url"] + "?single=1"],
    ),
    CrawlCase(  # daily index: ?page=N&date=MM%2FDD%2FYYYY (the pager's /indeks/N would lose the day)
        "detik",
        {
            "https://news.detik.com/indeks?page=1&date=11%2F14%2F2024": "detik/indeks-p1.html",
            "https://news.detik.com/indeks?page=2&date=11%2F14%2F2024": "detik/indeks-p2.html",
            DETIK["url"] + "?single=1": "detik/detik-2024.html",
        },
        ["detik-2024"],
        [DETIK["url"] + "?single=1", "https://news.detik.com/indeks?page=2&date=11%2F14%2F2024"],
        ["--date", "2024-11-14"],
        name="detik-daily-index",
    ),
    CrawlCase(  # news sitemap on www -> regional article, ?page=all
        "tribunnews",
        {
            "https://www.tribunnews.com/sitemap-news.xml": "tribunnews/sitemap-news.xml",
            TRIBUN["url"]: "tribunnews/tribunnews-2024.html",
        },
        ["tribunnews-2024"],
        [TRIBUN["url"]],
    ),
    CrawlCase(  # daily index, two index pages -> one article (all its pages in one response)
        "liputan6",
        {
            "https://www.liputan6.com/indeks/2026/05/28?page=1": "liputan6/indeks-p1.html",
            "https://www.liputan6.com/indeks/2026/05/28?page=2": "liputan6/indeks-p2.html",
            LIPUTAN6["url"]: "liputan6/liputan6-2026.html",
        },
        ["liputan6-2026"],
        [LIPUTAN6["url"], "https://www.liputan6.com/indeks/2026/05/28?page=2"],
        ["--date", "2026-05-28"],
    ),
    CrawlCase(  # RSS feed
        "antaranews",
        {
            "https://www.antaranews.com/rss/terkini.xml": "antaranews/terkini.xml",
            ANTARA["url"]: "antaranews/antaranews-2024.html",
        },
        ["antaranews-2024"],
        [ANTARA["url"]],
    ),
    CrawlCase(  # robots.txt Sitemap line -> page 1 -> ?page=2, merged once
        "okezone",
        {
            "https://www.okezone.com/sitemap-news.xml": "okezone/sitemap-news.xml",
            OKEZONE_1["url"]: "okezone/okezone-2024-p1.html",
            OKEZONE_2["url"]: "okezone/okezone-2024-p2.html",
        },
        ["okezone-2024-p1", "okezone-2024-p2"],
        [OKEZONE_1["url"], OKEZONE_2["url"]],
    ),
    CrawlCase(  # sitemap
        "tempo",
        {
            "https://www.tempo.co/sitemap.xml": "tempo/sitemap.xml",
            TEMPO["url"]: "tempo/tempo-2025.html",
        },
        ["tempo-2025"],
        [TEMPO["url"]],
    ),
]


def warta(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the real ``warta`` command (the venv's console script) in a subprocess."""
    script = Path(sys.executable).with_name("warta")
    cmd = [str(script)] if script.exists() else [sys.executable, "-c", "from archive.cli import cli; cli()"]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=timeout)


def rows(db: Path, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.mark.parametrize("case", CASES, ids=[c.name or c.site for c in CASES])
def test_site_crawls_its_fixtures_into_the_archive(case: CrawlCase, tmp_path: Path) -> None:
    routes = {route_key(url): FIXTURES / file for url, file in case.routes.items()}
    mirror = MirrorSite(routes=routes, default_robots=FIXTURES / case.site / "robots.txt")
    db = tmp_path / "archive.db"
    with FaultServer(mirror) as server:
        result = warta("crawl", case.site, "--root", server.root, "--db", str(db), "--fast", *case.args)
        hits = server.requested()
    assert result.returncode == 0, result.stderr[-3000:]

    pages = [expected(case.site, name) for name in case.pages]
    stored = rows(db, "SELECT canonical_url, site, title, body, authors, published, parser FROM articles")
    assert len(stored) == 1, stored
    canonical, site, title, body, authors, published, parser = stored[0]
    assert (canonical, site, title) == (pages[0]["canonical_url"], case.site, pages[0]["title"])
    assert body == "\n\n".join(p for page in pages for p in page["paragraphs"])
    assert json.loads(authors) == pages[0]["authors"] and published == pages[0]["published"]
    assert parser and parser.startswith(case.site + "/")
    related = [r[0] for r in rows(db, "SELECT url FROM related ORDER BY position")]
    assert related == [r["url"] for page in pages for r in page["related"]]
    for url in case.fetched:  # each page fetched once, in the form the profile asks for
        assert hits.count(route_key(url)) == 1, (url, hits)
