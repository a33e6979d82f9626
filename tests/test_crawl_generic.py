"""The generic spider archives a local site it has never seen (no profile), through its robots.txt
sitemaps, news sitemap and the RSS feed its home page announces (real Scrapy, subprocess)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from archive.demo import MirrorSite
from tests.conftest import KOMPAS_FIXTURES
from tests.httpserver import FaultServer
from tests.test_crawl_kompas import warta

HOST = "berita.contoh.id"
ORIGIN = f"https://{HOST}"
ARTICLES = {
    "/2024/11/14/ukraina-dapat-gambaran-bantuan": "seed-article",
    "/2024/11/14/pemkot-bogor-siagakan-pompa-air": "multipage-all",
}


def article_page(path: str, fixture: str) -> str:
    """A plain news page (JSON-LD + og + <article>) carrying a fixture's real paragraphs."""
    data = json.loads((KOMPAS_FIXTURES / "expected" / f"{fixture}.json").read_text(encoding="utf-8"))
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": data["title"],
        "datePublished": data["published"],
        "author": [{"@type": "Person", "name": "Redaksi Contoh"}],
    }
    paragraphs = "\n".join(f"<p>{p}</p>" for p in data["paragraphs"])
    return f"""<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>{data['title']} - Berita Contoh</title>
<link rel="canonical" href="{ORIGIN}{path}">
<meta property="og:title" content="{data['title']}">
<meta property="og:type" content="article">
<script type="application/ld+json">{json.dumps(ld)}</script>
</head><body><header><nav><a href="/">Beranda</a> <a href="/tag/banjir">Banjir</a></nav></header>
<main><article><h1>{data['title']}</h1>
<div class="content">{paragraphs}</div></article></main>
<footer>Hak cipta Berita Contoh</footer></body></html>"""


def build_site(tree: Path) -> MirrorSite:
    root = tree / HOST
    root.mkdir(parents=True)
    for path, fixture in ARTICLES.items():
        file = root / path.lstrip("/")
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(article_page(path, fixture), encoding="utf-8")
    first, second = ARTICLES
    (root / "robots.txt").write_text(
        f"User-agent: *\nDisallow: /cari\n\nSitemap: {ORIGIN}/sitemap_index.xml\n", encoding="utf-8"
    )
    (root / "sitemap_index.xml").write_text(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{ORIGIN}/sitemap-news.xml</loc></sitemap>"
        f"<sitemap><loc>{ORIGIN}/sitemap-pages.xml</loc></sitemap></sitemapindex>",
        encoding="utf-8",
    )
    (root / "sitemap-news.xml").write_text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"<url><loc>{ORIGIN}{first}</loc><news:news><news:publication_date>2024-11-14T08:30:00+07:00"
        "</news:publication_date></news:news></url>"
        f"<url><loc>{ORIGIN}/tag/banjir</loc></url>"
        f"<url><loc>{ORIGIN}/tentang-kami</loc></url>"
        f"<url><loc>{ORIGIN}/cari?q=banjir</loc></url></urlset>",
        encoding="utf-8",
    )
    # Not an article whatever the extractor's thresholds: an image behind an HTML-looking URL.
    (root / "tentang-kami").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (root / "rss.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Berita Contoh</title>'
        f"<item><title>Dua</title><link>{ORIGIN}{second}</link></item>"
        f"<item><title>Satu</title><link>{ORIGIN}{first}?utm_source=rss</link></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    (root / "index.html").write_text(
        '<html><head><title>Berita Contoh</title><link rel="alternate" type="application/rss+xml" '
        'href="/rss.xml"></head><body><h1>Berita Contoh</h1></body></html>',
        encoding="utf-8",
    )
    return MirrorSite(tree=tree)


def test_generic_spider_archives_an_unknown_site(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with FaultServer(build_site(tmp_path / "site")) as server:
        result = warta("crawl", "--url", ORIGIN, "--root", server.root, "--db", str(db), "--fast")
        hits = server.requested()
    assert result.returncode == 0, result.stderr[-3000:]
    with sqlite3.connect(db) as conn:
        stored = dict(conn.execute("SELECT canonical_url, site FROM articles").fetchall())
        aliases = {u for u, in conn.execute("SELECT url FROM aliases")}
        (stats,) = conn.execute("SELECT stats FROM crawl_runs").fetchone()
    assert stored == {ORIGIN + path: HOST for path in ARTICLES}
    first = next(iter(ARTICLES))
    assert ORIGIN + first + "?utm_source=rss" in aliases  # found again through the feed
    assert f"{HOST}/rss.xml" in hits and f"{HOST}/sitemap-news.xml" in hits
    assert f"{HOST}/sitemap-pages.xml" not in hits  # a news sitemap exists: the others wait
    assert not [h for h in hits if "/cari" in h or "/tag/" in h]  # robots.txt and listing pages
    assert hits.count(f"{HOST}{first}") == 1
    summary = json.loads(stats)
    # /tag/banjir and /cari?q=... are listing URLs; /tentang-kami was fetched and is no page of text.
    assert summary["skipped_reasons"] == {"not_article_url": 2, "not_html": 1}
