"""End to end: ``warta crawl kompas`` (real Scrapy in a subprocess) against a local server serving the
shared Kompas fixtures, into a real SQLite archive. Politeness is off through settings (``--fast``)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import cli
from tests.conftest import KOMPAS_FIXTURES
from tests.httpserver import (
    ARTICLE_URLS,
    MULTIPAGE_URL,
    SEED_URL,
    UPDATED_URL,
    Fault,
    FaultServer,
    kompas_server,
)

AMP_URL = SEED_URL.replace("https://www.kompas.com/", "https://amp.kompas.com/")
UTM_URL = SEED_URL + "?utm_source=whatsapp&utm_medium=share"
#: An article-shaped URL that serves the index page: fetched, then skipped as not an article.
NOT_ARTICLE_URL = "https://www.kompas.com/tren/read/2024/11/14/999999999/bukan-artikel"
VIDEO_URL = "https://video.kompas.com/watch/1560317/suasana-latihan-timnas-indonesia-di-stadion-utama-gbk"


def expected(name: str) -> dict:
    return json.loads((KOMPAS_FIXTURES / "expected" / f"{name}.json").read_text(encoding="utf-8"))


def warta(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the real ``warta`` command (the venv's console script) in a subprocess."""
    script = Path(sys.executable).with_name("warta")
    cmd = [str(script)] if script.exists() else [sys.executable, "-c", "from archive.cli import cli; cli()"]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=timeout)


def crawl(server: FaultServer, db: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return warta("crawl", "kompas", "--root", server.root, "--db", str(db), "--fast", *extra)


def rows(db: Path, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def last_run(db: Path) -> dict:
    status, stats = rows(db, "SELECT status, stats FROM crawl_runs ORDER BY id DESC LIMIT 1")[0]
    return {"status": status, **json.loads(stats)}


def article_hits(server: FaultServer) -> list[str]:
    return [k for k in server.requested() if "/read/" in k]


def key(url: str) -> str:
    return url.split("://", 1)[1]


@pytest.fixture
def extra_sitemap(tmp_path: Path) -> tuple[Path, Path]:
    """robots.txt with one more Sitemap line, and that sitemap: amp, utm, video and non-article URLs."""
    robots = tmp_path / "robots.txt"
    robots.write_text(
        (KOMPAS_FIXTURES / "robots.txt").read_text(encoding="utf-8")
        + "Sitemap: https://www.kompas.com/sitemap-extra.xml\n",
        encoding="utf-8",
    )
    urls = [AMP_URL, UTM_URL, "http://www.kompas.com" + SEED_URL[len("https://www.kompas.com") :], NOT_ARTICLE_URL, VIDEO_URL]
    sitemap = tmp_path / "sitemap-extra.xml"
    sitemap.write_text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<url><loc>{u.replace('&', '&amp;')}</loc></url>" for u in urls)
        + "</urlset>",
        encoding="utf-8",
    )
    return robots, sitemap


# processes=1: pages are extracted in a worker process (scraper/workers.py); the archive, the skip
# reasons (NotAnArticle crossing the process boundary) and the counts must be the same.
@pytest.mark.parametrize("processes", ["0", "1"])
def test_sitemap_crawl_archives_each_article_once(
    tmp_path: Path, extra_sitemap: tuple[Path, Path], processes: str
) -> None:
    robots, sitemap = extra_sitemap
    db = tmp_path / "archive.db"
    routes = {
        "https://www.kompas.com/sitemap-extra.xml": sitemap,
        NOT_ARTICLE_URL + "?page=all": KOMPAS_FIXTURES / "indeks.html",
    }
    with kompas_server(routes, robots=robots) as server:
        # With a log file and no terminal the command prints nothing on success (cron), so the
        # worker run is checked in its log and the inline run in its printed summary.
        workers = ("--processes", "1", "--log-file", str(tmp_path / "crawl.log")) if processes == "1" else ()
        result = crawl(server, db, *workers)
    assert result.returncode == 0, result.stderr[-3000:]
    if workers:
        assert "Extracting articles in 1 worker process" in (tmp_path / "crawl.log").read_text(encoding="utf-8")
    else:
        assert "stored     new 3" in result.stdout

    # Exactly the three fixture articles, once each (the 11 other news-sitemap URLs are 404s).
    canonical = [r[0] for r in rows(db, "SELECT canonical_url FROM articles ORDER BY canonical_url")]
    assert canonical == sorted(ARTICLE_URLS)

    # The two-page article once, with the paragraphs of both pages in order.
    (body,) = rows(db, "SELECT body FROM articles WHERE canonical_url = ?", MULTIPAGE_URL)[0]
    p1, p2 = expected("multipage-p1")["paragraphs"], expected("multipage-p2")["paragraphs"]
    positions = [body.find(p) for p in p1 + p2]
    assert -1 not in positions and positions == sorted(positions)

    # amp and utm URLs were met in a sitemap: recorded as aliases of the seed, never fetched.
    (seed_id,) = rows(db, "SELECT id FROM articles WHERE canonical_url = ?", SEED_URL)[0]
    aliases = {url for url, in rows(db, "SELECT url FROM aliases WHERE article_id = ?", seed_id)}
    assert {AMP_URL, UTM_URL} <= aliases

    hits = article_hits(server)
    for url in ARTICLE_URLS:  # each article requested once, in its show-all form
        assert hits.count(key(url) + "?page=all") == 1
        assert key(url) not in hits
    assert not [h for h in hits if "utm_" in h or h.startswith("amp.")]
    # robots.txt rules (tracking parameters, search, comments) were never broken.
    assert not [h for h in server.requested() if "utm_source" in h or "/search/" in h or "/komentar/" in h]
    assert VIDEO_URL.split("://")[1] not in server.requested()
    # robots.txt is downloaded once per host (its Sitemap: line above came from Scrapy's copy).
    robots_hits = [h for h in server.requested() if h.endswith("/robots.txt")]
    assert robots_hits.count("www.kompas.com/robots.txt") == 1
    assert len(robots_hits) == len(set(robots_hits))

    run = last_run(db)
    assert run["status"] == "finished"
    assert run["articles_new"] == 3
    assert run["skipped_reasons"]["not_article_page"] == 1  # the index page under an article URL
    assert run["skipped_reasons"]["not_article_url"] >= 1  # the video link
    assert run["not_fetched"] == {"http_404": 11}


def test_robots_disallowed_urls_are_never_requested(tmp_path: Path) -> None:
    robots = tmp_path / "robots.txt"
    robots.write_text(
        "User-agent: *\nDisallow: /tren/\n\nSitemap: https://www.kompas.com/sitemap.xml\n", encoding="utf-8"
    )
    db = tmp_path / "archive.db"
    with kompas_server(robots=robots) as server:
        result = crawl(server, db)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not [h for h in server.requested() if h.startswith("www.kompas.com/tren/")]
    canonical = {r[0] for r in rows(db, "SELECT canonical_url FROM articles")}
    assert canonical == set(ARTICLE_URLS) - {UPDATED_URL}
    run = last_run(db)
    assert run["robots_forbidden"] >= 2  # the updated article and the other /tren/ sitemap entry
    assert run["not_fetched"]["robots"] >= 2


def test_date_walks_the_daily_index_then_next_run_fetches_nothing_known(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with kompas_server() as server:
        first = crawl(server, db, "--date", "2024-11-14")
        assert first.returncode == 0, first.stderr[-3000:]
        requested = server.requested()
        assert "indeks.kompas.com/?date=2024-11-14&page=1&site=all" in requested
        assert "indeks.kompas.com/?date=2024-11-14&page=2&site=all" in requested  # the next page (404 here)
        assert not [k for k in requested if "sitemap" in k]  # a backfill reads the index only
        assert {r[0] for r in rows(db, "SELECT canonical_url FROM articles")} == set(ARTICLE_URLS)
        assert last_run(db)["not_fetched"] == {"http_404": 16}  # 19 indexed articles - 3 fixtures

        server.hits.clear()
        second = crawl(server, db, "--date", "2024-11-14")
        assert second.returncode == 0, second.stderr[-3000:]
        assert not [k for k in article_hits(server) if "page=all" in k and any(key(u) in k for u in ARTICLE_URLS)]
        assert last_run(db)["known_not_refetched"] == 3

    assert rows(db, "SELECT count(*) FROM articles")[0][0] == 3


def test_a_transient_503_is_retried(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with kompas_server() as server:
        server.faults[key(SEED_URL) + "?page=all"] = Fault(status=503, times=1)
        result = crawl(server, db)
    assert result.returncode == 0, result.stderr[-3000:]
    assert rows(db, "SELECT count(*) FROM articles WHERE canonical_url = ?", SEED_URL)[0][0] == 1
    assert server.requested().count(key(SEED_URL) + "?page=all") == 2


def test_unreachable_site_fails_the_crawl(tmp_path: Path) -> None:
    with kompas_server() as server:
        root = server.root
    # The server is gone: nothing can be fetched, and the exit status says so.
    result = warta("crawl", "kompas", "--root", root, "--db", str(tmp_path / "a.db"), "--fast")
    assert result.returncode == 1
    # The crawl's own log (stderr) may show the connection errors; the verdict is one last line.
    assert result.stderr.strip().splitlines()[-1].startswith("Error: crawl failed:")
    assert "nothing fetched" in result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["crawl", "nosuchsite"], "unknown site 'nosuchsite'"),
        (["crawl", "kompas", "--date", "2024-13-01"], "--date must be a date like 2024-11-14"),
        (["crawl", "kompas", "--until", "2024-11-01"], "--until needs --since"),
        (["crawl", "kompas", "--date", "2024-11-01", "--since", "2024-11-01"], "not both"),
    ],
)
def test_usage_errors_are_one_line_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, [*args, "--db", str(tmp_path / "a.db")])
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "a.db").exists()
