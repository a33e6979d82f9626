"""End to end for the profiles of issue 12 (KLY hosts and the new outlets): ``warta crawl`` (real Scrapy in
a subprocess) against a local mirror of each site's fixtures: robots.txt -> its ``Sitemap:`` news sitemap
-> the article, into a real SQLite archive. One crawl runs every site; each is then checked on its own.
The tag page listed beside each article is never requested (not an article URL)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from archive.demo import MirrorSite, route_key
from scraper.sites import get_site
from tests.httpserver import FaultServer
from tests.test_crawl_sites_a import warta

FIXTURES = Path(__file__).parent / "fixtures"
#: site -> the article fixture its sitemap lists.
SITES = {
    "fimela": "fimela-kly2020", "bola": "bola-kly2020", "dream": "dream-kly2020", "kapanlagi": "kapanlagi-kly2020",
    "kumparan": "kumparan-2024", "idntimes": "idntimes-2024", "tirto": "tirto-2024", "jpnn": "jpnn-2024",
    "viva": "viva-2024", "inews": "inews-2024", "grid": "grid-2024", "bisnis": "bisnis-2024",
    "katadata": "katadata-2024", "beritasatu": "beritasatu-2024", "jawapos": "jawapos-2023",
    "pikiranrakyat": "pikiranrakyat-2024",
}
SHOW_ALL = {"viva", "grid", "jawapos"}  # fetched as ?page=all


def expected(site: str) -> dict[str, Any]:
    return json.loads((FIXTURES / site / f"{SITES[site]}.expected.json").read_text(encoding="utf-8"))


def fetched_url(site: str) -> str:
    return expected(site)["url"] + ("?page=all" if site in SHOW_ALL else "")


def mirror() -> MirrorSite:
    routes: dict[str, Path] = {}
    for site, page in SITES.items():
        host = expected(site)["url"].split("/", 3)[2]
        domain = get_site(site).domains[0]
        for robots_host in {host, domain, f"www.{domain}"}:  # the spider reads robots.txt of the site's own host
            routes[route_key(f"https://{robots_host}/robots.txt")] = FIXTURES / site / "robots.txt"
        routes[route_key(f"https://{host}/sitemap-news.xml")] = FIXTURES / site / "sitemap-news.xml"
        routes[route_key(fetched_url(site))] = FIXTURES / site / f"{page}.html"
    routes[route_key("https://kumparan.com/sitemap.xml")] = FIXTURES / "kumparan" / "sitemap-news.xml"  # declared
    return MirrorSite(routes=routes, default_robots=FIXTURES / "detik" / "robots.txt")


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = tmp_path_factory.mktemp("outlets") / "archive.db"
    with FaultServer(mirror()) as server:
        result = warta("crawl", *SITES, "--root", server.root, "--db", str(db), "--fast", timeout=300)
        return {"db": db, "hits": server.requested(), "result": result}


@pytest.mark.parametrize("site", list(SITES))
def test_outlet_crawls_its_sitemap_into_the_archive(site: str, crawl: dict[str, Any]) -> None:
    assert crawl["result"].returncode == 0, crawl["result"].stderr[-3000:]
    page = expected(site)
    with sqlite3.connect(crawl["db"]) as conn:
        stored = conn.execute(
            "SELECT canonical_url, title, body, authors, published, parser FROM articles WHERE site = ?", (site,)
        ).fetchall()
    assert len(stored) == 1, stored
    canonical, title, body, authors, published, parser = stored[0]
    assert (canonical, title, published) == (page["canonical_url"], page["title"], page["published"])
    assert body == "\n\n".join(page["paragraphs"])
    assert json.loads(authors) == page["authors"] and parser == page["parser"]
    hits = crawl["hits"]
    assert hits.count(route_key(fetched_url(site))) == 1, hits
    host = page["url"].split("/", 3)[2]
    assert route_key(f"https://{host}/tag/bus-sekolah") not in hits
