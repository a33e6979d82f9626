"""Crawl health per site (issue 11 §1): a site that is empty, blocked or degraded fails the run
loudly (exit 4, ``failed_runs``, a line saying what to do) instead of ending "finished", exit 0.

Real ``warta crawl`` subprocesses against generated sites on 127.0.0.1 (tests/sitegen.py); the
degraded rule and the challenge-page families are checked on the functions themselves.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from archive.cron import EXIT_FAILED, EXIT_OK, EXIT_SITE, verdict
from scraper.challenges import challenge_kind
from tests.httpserver import Fault
from tests.sitegen import article_key, article_url, crawl_args, rows, run, runs, site_server, write_site

CLOUDFLARE = b"""<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="refresh" content="390"></head><body><div class="main-wrapper" role="main">
<noscript>Enable JavaScript and cookies to continue</noscript>
<script src="/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=8"></script></div></body></html>"""


def site_rows(db: Path, run_id: int) -> dict[str, dict]:
    return {
        site: {"verdict": v, "reason": reason, "counts": json.loads(counts)}
        for site, v, reason, counts in rows(
            db, "SELECT site, verdict, reason, counts FROM crawl_sites WHERE run_id = ? ORDER BY site", run_id
        )
    }


def failed_runs(db: Path) -> list[dict]:
    import asyncio

    from archive.serve import make_datasette

    async def get() -> list[dict]:
        ds = make_datasette(db)
        await ds.invoke_startup()
        response = await ds.client.get("/archive/failed_runs.json?_shape=objects")
        assert response.status_code == 200, response.text[:500]
        return response.json()["rows"]

    return asyncio.run(get())


def test_a_site_whose_discovery_404s_is_empty_and_fails_the_run(tmp_path: Path) -> None:
    routes, robots = write_site(tmp_path / "site", 3)
    db = tmp_path / "archive.db"
    with site_server(routes, robots) as server:
        server.faults["www.kompas.com/sitemap"] = Fault(status=404)
        result = run(crawl_args(server, db))
    assert result.returncode == EXIT_SITE, result.stderr[-2000:]
    (r,) = runs(db)
    assert r["status"] == "failed" and r["exit_code"] == EXIT_SITE
    site = site_rows(db, r["id"])["kompas"]
    assert site["verdict"] == "empty" and "sitemap.xml" in site["reason"]
    assert site["counts"]["discovery_failed"] >= 1 and site["counts"]["discovery_fetched"] == 0
    assert "kompas: empty" in result.stdout + result.stderr
    assert "discovery URLs failed" in result.stdout + result.stderr
    (failed,) = failed_runs(db)
    assert failed["id"] == r["id"] and "kompas: empty" in failed["unhealthy_sites"]


def test_a_backfill_whose_index_pages_404_is_empty(tmp_path: Path) -> None:
    routes, robots = write_site(tmp_path / "site", 2)
    db = tmp_path / "archive.db"
    with site_server(routes, robots) as server:
        result = run(crawl_args(server, db, "--since", "2024-11-13", "--until", "2024-11-14"))
    assert result.returncode == EXIT_SITE, result.stderr[-2000:]
    (r,) = runs(db)
    assert site_rows(db, r["id"])["kompas"]["verdict"] == "empty"


@pytest.mark.parametrize("fault", [Fault(status=403), Fault(body=CLOUDFLARE)], ids=["403", "challenge"])
def test_a_site_that_blocks_us_is_blocked_and_fails_the_run(tmp_path: Path, fault: Fault) -> None:
    routes, robots = write_site(tmp_path / "site", 3)
    db = tmp_path / "archive.db"
    with site_server(routes, robots) as server:
        server.faults["www.kompas.com/"] = fault  # every URL of the site
        result = run(crawl_args(server, db))
    assert result.returncode == EXIT_SITE, result.stderr[-2000:]
    (r,) = runs(db)
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == 0
    site = site_rows(db, r["id"])["kompas"]
    assert site["verdict"] == "blocked", site
    assert "DOWNLOAD_DELAY" in result.stdout + result.stderr
    assert [f["id"] for f in failed_runs(db)] == [r["id"]]


def test_a_challenge_page_is_never_archived_as_an_article(tmp_path: Path) -> None:
    routes, robots = write_site(tmp_path / "site", 4)
    db = tmp_path / "archive.db"
    with site_server(routes, robots) as server:
        server.faults[article_key(0)] = Fault(body=CLOUDFLARE)
        result = run(crawl_args(server, db))
    assert result.returncode == EXIT_OK, result.stderr[-2000:]  # one page in four: not a blocked site
    assert article_url(0) not in {u for (u,) in rows(db, "SELECT canonical_url FROM articles")}
    (r,) = runs(db)
    assert json.loads(r["skipped_reasons"]).get("challenge") == 1


def test_a_multi_site_run_records_and_prints_each_site(tmp_path: Path) -> None:
    routes, robots = write_site(tmp_path / "site", 3)
    db = tmp_path / "archive.db"
    with site_server(routes, robots) as server:
        # The generic site has no sitemap on the mirror: its discovery fails.
        result = run([*crawl_args(server, db), "--url", "https://www.contoh-berita.id"])
    assert result.returncode == EXIT_SITE, result.stderr[-2000:]
    (r,) = runs(db)
    sites = site_rows(db, r["id"])
    assert sites["kompas"]["verdict"] == "ok" and sites["kompas"]["counts"]["articles_new"] == 3
    assert sites["contoh-berita.id"]["verdict"] == "empty"
    out = result.stdout + result.stderr
    assert "kompas: ok" in out and "contoh-berita.id: empty" in out


def test_dropped_pages_leave_their_reason(tmp_path: Path) -> None:
    routes, robots = write_site(tmp_path / "site", 4)
    db = tmp_path / "archive.db"
    bomb = gzip.compress(b"<html>" + b" " * 3_000_000 + b"</html>")
    with site_server(routes, robots) as server:
        server.faults[article_key(0)] = Fault(body=bomb, encoding="gzip")
        server.faults[article_key(1)] = Fault(redirect_to="https://elsewhere.example/page")
        result = run(crawl_args(server, db, "--set", "DOWNLOAD_MAXSIZE=1000000", "--set", "DOWNLOAD_WARNSIZE=500000"))
    assert result.returncode == EXIT_OK, result.stderr[-2000:]
    (r,) = runs(db)
    counts = site_rows(db, r["id"])["kompas"]["counts"]
    assert counts["not_fetched"].get("too_large") == 1, counts
    assert counts["not_fetched"].get("offsite_redirect") == 1, counts
    assert json.loads(r["stats"])["not_fetched"].get("too_large") == 1


def test_a_full_archive_stops_the_crawl(tmp_path: Path) -> None:
    routes, robots = write_site(tmp_path / "site", 60)
    db = tmp_path / "archive.db"
    pipelines = json.dumps({"tests.cron_helpers.FullDiskPipeline": 300})
    with site_server(routes, robots) as server:
        result = run(
            crawl_args(server, db, "--set", f"ITEM_PIPELINES={pipelines}", "--set", "WARTA_BATCH_SIZE=5",
                       "--set", "CONCURRENT_REQUESTS=2")
        )
        fetched = len([h for h in server.hits if h.key.endswith("page=all")])
    assert result.returncode == EXIT_FAILED, result.stderr[-2000:]
    (r,) = runs(db)
    assert r["finish_reason"] == "archive_unwritable"
    assert "archive_unwritable" in result.stderr
    assert fetched < 40  # it stopped downloading instead of fetching every remaining page


# ------------------------------------------------------------------------------ the rules themselves


def test_challenge_families_are_recognised_and_articles_are_not() -> None:
    assert challenge_kind(CLOUDFLARE) == "cloudflare"
    assert challenge_kind(b"<html><head><title>Attention Required! | Cloudflare</title></head><body>x</body></html>") == "cloudflare"
    assert challenge_kind(b"<html><title>DDoS-Guard</title><body>Checking your browser before accessing</body></html>") == "ddos-guard"
    assert challenge_kind(b"<html><title>Sucuri WebSite Firewall - Access Denied</title></html>") == "sucuri"
    assert challenge_kind(
        b"<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD><BODY><H1>Access Denied</H1>You don't have permission"
        b" to access this server.<P>Reference&#32;&#35;18&#46;2f</BODY></HTML>"
    ) == "akamai"
    assert challenge_kind(
        b'<html><body><form><div class="g-recaptcha" data-sitekey="x"></div></form></body></html>'
    ) == "captcha"
    assert challenge_kind(b"<html><body><p>Please enable JavaScript to view this page.</p></body></html>") == "js_shell"
    article = Path(__file__).parent / "fixtures" / "kompas" / "seed-article.html"
    assert challenge_kind(article.read_bytes()) is None
    long_text = b"<html><body>" + b"<p>Just a moment... kata warga, sambil menunggu.</p>" * 200 + b"</body></html>"
    assert challenge_kind(long_text) is None


def ok_stats(**extra: object) -> dict:
    return {
        "finish_reason": "finished",
        "downloader/response_count": 40,
        "downloader/response_status_count/200": 40,
        "warta/pages/sitemap": 1,
        "warta/discovered": 30,
        "warta/articles/yielded": 30,
        "warta/articles/dated": 30,
        "warta/articles/body_chars_median": 3000,
        **extra,
    }


def test_degraded_compares_a_site_with_its_recent_runs() -> None:
    from archive.cron import site_counts

    history = {"kompas": [site_counts(ok_stats()) for _ in range(5)]}
    assert verdict({"kompas": ok_stats()}, history=history).exit_code == EXIT_OK
    no_dates = verdict({"kompas": ok_stats(**{"warta/articles/dated": 2})}, history=history)
    assert no_dates.exit_code == EXIT_SITE and no_dates.sites["kompas"].verdict == "degraded"
    assert "date" in no_dates.sites["kompas"].reason
    short = verdict({"kompas": ok_stats(**{"warta/articles/body_chars_median": 400})}, history=history)
    assert short.sites["kompas"].verdict == "degraded" and "body" in short.sites["kompas"].reason
    broken = verdict({"kompas": ok_stats(**{"warta/skipped/parse_error": 25})}, history=history)
    assert broken.sites["kompas"].verdict == "degraded"
    # Too little history: no comparison.
    assert verdict({"kompas": ok_stats(**{"warta/articles/dated": 2})}, history={"kompas": history["kompas"][:1]}).exit_code == EXIT_OK


def test_the_migration_adds_crawl_sites_and_incomplete(tmp_path: Path) -> None:
    import sqlite3

    from archive.db import MIGRATIONS, SCHEMA_VERSION, open_archive

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for script in MIGRATIONS[:4]:  # an archive as the code before this change made it
        conn.executescript(script)
    conn.execute("PRAGMA user_version = 4")
    conn.close()
    db = open_archive(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert "incomplete" in db["articles"].columns_dict and "incomplete" in db["articles_by_date"].columns_dict
    assert {"run_id", "site", "verdict", "reason", "counts"} <= set(db["crawl_sites"].columns_dict)
    db.close()
