"""End to end for the group-A sites: ``warta crawl`` (real Scrapy in a subprocess) against a local
mirror of each site's fixtures (its sitemap, feed or daily index -> article pages), into a real
SQLite archive. One crawl runs the sites found through sitemaps and feeds, a second one walks the
daily indexes; each site is then checked on its own. Politeness is off through ``--fast``."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from archive.demo import MirrorSite, route_key
from tests.httpserver import FaultServer

FIXTURES = Path(__file__).parent / "fixtures"
DAY = "2026-05-28"  # the day of the daily-index crawl


def expected(site: str, name: str) -> dict:
    return json.loads((FIXTURES / site / f"{name}.expected.json").read_text(encoding="utf-8"))


@dataclass
class CrawlCase:
    """A site, the URLs its mirror serves (real URL -> fixture file), and what the archive must hold."""

    site: str
    run: str  # "discovery" (robots/sitemaps/feeds) or "index" (daily index of DAY)
    routes: dict[str, str]
    pages: list[str]  # expected JSON names whose paragraphs, in order, make the stored body
    fetched: list[str]  # URLs the crawl must request exactly once (show-all forms, later pages)
    not_fetched: tuple[str, ...] = ()  # listed URLs that are not articles: never requested
    robots: str = "robots.txt"  # the site's robots.txt, served on the hosts of its routes
    name: str = ""

    @property
    def id(self) -> str:
        return self.name or self.site


DETIK = expected("detik", "detik-2024")
TRIBUN = expected("tribunnews", "tribunnews-2024")
LIPUTAN6 = expected("liputan6", "liputan6-2026")
ANTARA = expected("antaranews", "antaranews-2024")
OKEZONE_1, OKEZONE_2 = expected("okezone", "okezone-2024-p1"), expected("okezone", "okezone-2024-p2")
TEMPO = expected("tempo", "tempo-2025")
DETIK_INDEX = "https://news.detik.com/indeks?page={}&date=05%2F28%2F2026"
LIPUTAN6_INDEX = "https://www.liputan6.com/indeks/2026/05/28?page={}"

CASES = [
    CrawlCase(  # declared news sitemap -> ?single=1
        "detik",
        "discovery",
        {
            "https://news.detik.com/berita/sitemap_news.xml": "detik/sitemap_news.xml",
            DETIK["url"] + "?single=1": "detik/detik-2024.html",
        },
        ["detik-2024"],
        [DETIK["url"] + "?single=1"],
        ("https://news.detik.com/foto-news/d-7650003/galeri-foto-banjir", "https://news.detik.com/indeks"),
    ),
    CrawlCase(  # news sitemap on www -> a regional article, ?page=all
        "tribunnews",
        "discovery",
        {
            "https://www.tribunnews.com/sitemap-news.xml": "tribunnews/sitemap-news.xml",
            TRIBUN["url"]: "tribunnews/tribunnews-2024.html",
        },
        ["tribunnews-2024"],
        [TRIBUN["url"]],
        ("https://www.tribunnews.com/topic/musim-hujan",),
    ),
    CrawlCase(  # RSS feed
        "antaranews",
        "discovery",
        {
            "https://www.antaranews.com/rss/terkini.xml": "antaranews/terkini.xml",
            ANTARA["url"]: "antaranews/antaranews-2024.html",
        },
        ["antaranews-2024"],
        [ANTARA["url"]],
        ("https://www.antaranews.com/foto/4470002/gelombang-tinggi-di-pantai-selatan",),
    ),
    CrawlCase(  # robots.txt Sitemap line -> page 1 -> ?page=2, merged once
        "okezone",
        "discovery",
        {
            "https://www.okezone.com/sitemap-news.xml": "okezone/sitemap-news.xml",
            OKEZONE_1["url"]: "okezone/okezone-2024-p1.html",
            OKEZONE_2["url"]: "okezone/okezone-2024-p2.html",
        },
        ["okezone-2024-p1", "okezone-2024-p2"],
        [OKEZONE_1["url"], OKEZONE_2["url"]],
        ("https://www.okezone.com/tag/banjir",),
    ),
    CrawlCase(  # declared sitemap
        "tempo",
        "discovery",
        {
            "https://www.tempo.co/sitemap.xml": "tempo/sitemap.xml",
            TEMPO["url"]: "tempo/tempo-2025.html",
        },
        ["tempo-2025"],
        [TEMPO["url"]],
        ("https://www.tempo.co/ekonomi",),
    ),
    CrawlCase(  # daily index, two index pages -> one article (all its pages in one response)
        "liputan6",
        "index",
        {
            LIPUTAN6_INDEX.format(1): "liputan6/indeks-p1.html",
            LIPUTAN6_INDEX.format(2): "liputan6/indeks-p2.html",
            LIPUTAN6["url"]: "liputan6/liputan6-2026.html",
        },
        ["liputan6-2026"],
        [LIPUTAN6["url"], LIPUTAN6_INDEX.format(2)],
    ),
    CrawlCase(  # daily index ?page=N&date=MM%2FDD%2FYYYY (the pager's /indeks/N would lose the day)
        "detik",
        "index",
        {
            DETIK_INDEX.format(1): "detik/indeks-p1.html",
            DETIK_INDEX.format(2): "detik/indeks-p2.html",
            DETIK["url"] + "?single=1": "detik/detik-2024.html",
        },
        ["detik-2024"],
        [DETIK["url"] + "?single=1", DETIK_INDEX.format(2)],
        name="detik-daily-index",
    ),
]


def warta(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run the real ``warta`` command (the venv's console script) in a subprocess."""
    script = Path(sys.executable).with_name("warta")
    cmd = [str(script)] if script.exists() else [sys.executable, "-c", "from archive.cli import cli; cli()"]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=timeout)


def mirror_for(cases: list[CrawlCase]) -> MirrorSite:
    """Every case's routes, and each site's robots.txt on the hosts its URLs live on."""
    routes: dict[str, Path] = {}
    for case in cases:
        for url, file in case.routes.items():
            routes[route_key(url)] = FIXTURES / file
            host = url.split("/", 3)[2]
            routes.setdefault(route_key(f"https://{host}/robots.txt"), FIXTURES / case.site / case.robots)
    return MirrorSite(routes=routes, default_robots=FIXTURES / "detik" / "robots.txt")


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Both crawls, run once for the module: {run: {"db", "hits", "result"}}."""
    done: dict[str, dict[str, Any]] = {}
    for run, extra in (("discovery", []), ("index", ["--date", DAY])):
        cases = [c for c in CASES if c.run == run]
        sites = list(dict.fromkeys(c.site for c in cases))
        db = tmp_path_factory.mktemp(run) / "archive.db"
        with FaultServer(mirror_for(cases)) as server:
            result = warta("crawl", *sites, "--root", server.root, "--db", str(db), "--fast", *extra)
            done[run] = {"db": db, "hits": server.requested(), "result": result}
    return done


def rows(db: Path, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_site_crawls_its_fixtures_into_the_archive(case: CrawlCase, crawls: dict[str, dict[str, Any]]) -> None:
    run = crawls[case.run]
    assert run["result"].returncode == 0, run["result"].stderr[-3000:]
    db, hits = run["db"], run["hits"]

    pages = [expected(case.site, name) for name in case.pages]
    stored = rows(
        db, "SELECT id, canonical_url, title, body, authors, published, parser FROM articles WHERE site = ?", case.site
    )
    assert len(stored) == 1, stored
    article_id, canonical, title, body, authors, published, parser = stored[0]
    assert (canonical, title) == (pages[0]["canonical_url"], pages[0]["title"])
    assert body == "\n\n".join(p for page in pages for p in page["paragraphs"])
    assert json.loads(authors) == pages[0]["authors"] and published == pages[0]["published"]
    assert parser and parser.startswith(case.site + "/")
    related = [r[0] for r in rows(db, "SELECT url FROM related WHERE article_id = ? ORDER BY position", article_id)]
    assert related == [r["url"] for page in pages for r in page["related"]]
    for url in case.fetched:  # each page fetched once, in the form the profile asks for
        assert hits.count(route_key(url)) == 1, (url, hits)
    for url in case.not_fetched:  # galleries, tag, topic and section pages are never requested
        assert not [h for h in hits if h.split("?")[0] == route_key(url)], (url, hits)
