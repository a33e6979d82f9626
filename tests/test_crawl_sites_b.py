"""End to end for the group-B profiles: one real ``warta crawl`` (Scrapy in a subprocess) of seven sites
against a local mirror of their fixtures (news sitemaps, RSS feeds -> article pages), into a real SQLite
archive; then one check per site of what the archive holds."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from archive.demo import MirrorSite, route_key
from tests.conftest import PAGES
from tests.httpserver import FaultServer

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(frozen=True)
class SiteCase:
    """A site of the crawl: its mirrored routes and the article files the archive must hold."""

    name: str
    routes: dict[str, Path]
    articles: tuple[Path, ...]  # expected JSONs, one per archived article (first page of a multi-page one)
    pages: tuple[Path, ...] = ()  # expected JSONs of later pages, merged into the first


def _url(expected: Path) -> str:
    return json.loads(expected.read_text(encoding="utf-8"))["url"]


def _cases() -> list[SiteCase]:
    f = FIXTURES
    suara = _url(f / "suara" / "article.expected.json")
    cnbc = _url(f / "cnbcindonesia" / "article.expected.json")
    mi = sorted((PAGES / "mediaindonesia").glob("*.expected.json"))
    return [
        SiteCase("suara", {"https://www.suara.com/sitemap.xml": f / "suara" / "sitemap-news.xml",
                           suara + "?page=all": f / "suara" / "article.html"},
                 (f / "suara" / "article.expected.json",)),
        SiteCase("merdeka", {"https://www.merdeka.com/rss/": f / "merdeka" / "feed.xml",
                             "https://www.merdeka.com/sitemap.xml": f / "merdeka" / "sitemap.xml",
                             "https://www.merdeka.com/peristiwa/sitemap.xml": f / "merdeka" / "sitemap-peristiwa.xml",
                             _url(f / "merdeka" / "article.expected.json"): f / "merdeka" / "article.html"},
                 (f / "merdeka" / "article.expected.json",)),
        SiteCase("republika", {"https://www.republika.co.id/rss": f / "republika" / "feed.xml",
                               _url(f / "republika" / "article.expected.json"): f / "republika" / "article.html"},
                 (f / "republika" / "article.expected.json",)),
        SiteCase("mediaindonesia", {"https://mediaindonesia.com/sitemap.xml": f / "mediaindonesia" / "sitemap.xml",
                                    "https://mediaindonesia.com/sitemap-news.xml":
                                        f / "mediaindonesia" / "sitemap-news.xml",
                                    **{_url(e): e.with_name(e.name.replace(".expected.json", ".html")) for e in mi}},
                 tuple(mi)),
        SiteCase("cnnindonesia", {"https://www.cnnindonesia.com/rss": f / "cnnindonesia" / "feed.xml",
                                  _url(f / "cnnindonesia" / "article.expected.json"):
                                      f / "cnnindonesia" / "article.html"},
                 (f / "cnnindonesia" / "article.expected.json",)),
        SiteCase("cnbcindonesia", {"https://www.cnbcindonesia.com/rss": f / "cnbcindonesia" / "feed.xml",
                                   cnbc: f / "cnbcindonesia" / "article.html",
                                   cnbc + "/2": f / "cnbcindonesia" / "article-p2.html"},
                 (f / "cnbcindonesia" / "article.expected.json",),
                 (f / "cnbcindonesia" / "article-p2.expected.json",)),
        SiteCase("sindonews", {"https://www.sindonews.com/feed": f / "sindonews" / "feed.xml",
                               "https://nasional.sindonews.com/sitemap-news.xml": f / "sindonews" / "sitemap-news.xml",
                               _url(f / "sindonews" / "article-all.expected.json"): f / "sindonews" / "article-all.html"},
                 (f / "sindonews" / "article-all.expected.json",)),
    ]


CASES = _cases()


def warta(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run the real ``warta`` command (the venv's console script) in a subprocess."""
    script = Path(sys.executable).with_name("warta")
    cmd = [str(script)] if script.exists() else [sys.executable, "-c", "from archive.cli import cli; cli()"]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], subprocess.CompletedProcess[str]]:
    """One crawl of every group-B site; returns the archive, the requested route keys and the process."""
    tmp = tmp_path_factory.mktemp("crawl_b")
    robots = tmp / "robots.txt"
    robots.write_text("User-agent: *\nDisallow: /search\n", encoding="utf-8")
    routes = {route_key(url): path for case in CASES for url, path in case.routes.items()}
    server = FaultServer(MirrorSite(routes=routes, default_robots=robots))
    db = tmp / "archive.db"
    with server:
        result = warta("crawl", *(c.name for c in CASES), "--root", server.root, "--db", str(db), "--fast")
        requested = server.requested()
    return db, requested, result


def rows(db: Path, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def test_crawl_succeeds(crawled: tuple[Path, list[str], subprocess.CompletedProcess[str]]) -> None:
    db, _, result = crawled
    assert result.returncode == 0, result.stderr[-3000:]
    sites = {s for (s,) in rows(db, "SELECT DISTINCT site FROM articles")}
    assert sites == {c.name for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_site_archived_from_its_fixtures(
    case: SiteCase, crawled: tuple[Path, list[str], subprocess.CompletedProcess[str]]
) -> None:
    db, requested, _ = crawled
    expected = [json.loads(p.read_text(encoding="utf-8")) for p in case.articles]
    later = [json.loads(p.read_text(encoding="utf-8")) for p in case.pages]
    stored = rows(db, "SELECT canonical_url, title, body, published, authors FROM articles WHERE site = ?", case.name)
    assert len(stored) == len(expected), stored
    by_title = {title: (canonical, body, published, json.loads(authors))
                for canonical, title, body, published, authors in stored}
    for exp in expected:
        canonical, body, published, authors = by_title[exp["title"]]
        # The body is the expected paragraphs in order (and, for a multi-page article, those of its later pages).
        paragraphs = exp["paragraphs"] + [p for page in later for p in page["paragraphs"]]
        assert body == "\n\n".join(paragraphs)
        assert published == exp["published"] and authors == exp["authors"]
        assert canonical.startswith("https://") and "utm_" not in canonical and not canonical.endswith("/2")
        (related,) = rows(db, "SELECT count(*) FROM related r JOIN articles a ON a.id = r.article_id "
                              "WHERE a.canonical_url = ?", canonical)[0]
        assert related == len(exp["related"]) + sum(len(page["related"]) for page in later)
        # Each article page fetched once, however many feeds and sitemaps listed it.
        article_keys = [k for k in requested if k.startswith(route_key(canonical))]
        assert len(article_keys) == 1 + len(later), article_keys


def test_daily_index_crawl(tmp_path: Path) -> None:
    """``warta crawl --date``: the daily index pages of SINDOnews and Republika lead to their articles."""
    f = FIXTURES
    sindo = json.loads((f / "sindonews" / "article-all.expected.json").read_text(encoding="utf-8"))
    repub = json.loads((f / "republika" / "article.expected.json").read_text(encoding="utf-8"))
    routes = {
        "https://www.sindonews.com/indeks/0/0?t=2024-11-14": f / "sindonews" / "indeks.html",
        sindo["url"]: f / "sindonews" / "article-all.html",
        "https://republika.co.id/index/0/2024/11/14": f / "republika" / "indeks.html",
        repub["url"]: f / "republika" / "article.html",
    }
    robots = tmp_path / "robots.txt"
    robots.write_text("User-agent: *\nDisallow: /search\n", encoding="utf-8")
    server = FaultServer(MirrorSite(routes={route_key(u): p for u, p in routes.items()}, default_robots=robots))
    db = tmp_path / "archive.db"
    with server:
        result = warta("crawl", "sindonews", "republika", "--date", "2024-11-14", "--root", server.root,
                       "--db", str(db), "--fast")
        requested = server.requested()
    assert result.returncode == 0, result.stderr[-3000:]
    stored = {(site, title) for site, title in rows(db, "SELECT site, title FROM articles")}
    assert stored == {("sindonews", sindo["title"]), ("republika", repub["title"])}
    # The index's next page was followed (404 here), its video link was never fetched.
    assert "www.sindonews.com/indeks/0/20?t=2024-11-14" in requested
    assert not [k for k in requested if k.startswith("video.sindonews.com")]
