"""Pages that end before they should are never archived as complete (issue 11 §1).

- a 200 without Content-Length whose connection closes half-way (nothing at the HTTP level says
  the page is short: Twisted flags it ``partial`` and hands the half page on), a Content-Length
  mismatch and a chunked stream cut mid-way: retried, then skipped as ``truncated``, never stored,
  never "known", so the next run fetches them again;
- a re-fetch whose body is far shorter than the archived one does not overwrite it;
- a multi-page article whose later page fails is stored marked ``incomplete`` and fetched again.

Real ``warta crawl`` subprocesses (Twisted's HTTP/1.1 client, as in production) against a raw-socket
fault on 127.0.0.1; the multi-page case in-process like tests/test_crawl_spider.py.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path

from archive.cron import EXIT_OK
from tests.httpserver import Fault
from tests.sitegen import (
    article_html,
    article_key,
    article_url,
    crawl_args,
    paragraphs_of,
    rows,
    run,
    runs,
    site_server,
    write_site,
)

N = 6


def complete_bodies(db: Path) -> int:
    """Archived articles whose body has all four paragraphs of their generated page."""
    count = 0
    for url, body in rows(db, "SELECT canonical_url, body FROM articles"):
        i = int(url.rsplit("-", 1)[1])
        count += body == "\n\n".join(paragraphs_of(i))
    return count


def test_pages_cut_without_content_length_are_never_stored_and_are_fetched_next_run(tmp_path: Path) -> None:
    routes, robots = write_site(tmp_path / "site", N)
    db = tmp_path / "archive.db"
    with site_server(routes, robots) as server:
        for i in range(N):
            server.faults[article_key(i)] = Fault(cut=0.5)  # every attempt: half a page, then close
        first = run(crawl_args(server, db))
        served_cut = len([h for h in server.hits if h.key.endswith("page=all")])
        server.faults.clear()
        second = run(crawl_args(server, db))
    print(f"\nserved truncated: {served_cut} responses for {N} pages; stored after run 1: {rows(db, 'SELECT count(*) FROM articles')[0][0]}")
    assert first.returncode == EXIT_OK, first.stderr[-2000:]
    r1, r2 = runs(db)
    assert r1["articles_new"] == 0  # not one half page stored
    assert json.loads(r1["skipped_reasons"]).get("truncated") == N
    assert served_cut > N  # each was retried before it was given up
    (site,) = rows(db, "SELECT counts FROM crawl_sites WHERE run_id = ?", r1["id"])
    assert json.loads(site[0])["skipped"]["truncated"] == N
    # Not marked known: the next run fetches every one of them, whole.
    assert second.returncode == EXIT_OK, second.stderr[-2000:]
    assert r2["articles_new"] == N and complete_bodies(db) == N


def test_content_length_and_chunked_cuts_are_skipped_as_truncated(tmp_path: Path) -> None:
    routes, robots = write_site(tmp_path / "site", 4)
    db = tmp_path / "archive.db"
    with site_server(routes, robots) as server:
        server.faults[article_key(0)] = Fault(truncate=300)  # Content-Length says more than is sent
        server.faults[article_key(1)] = Fault(chunked_cut=0.5)  # no final 0-length chunk
        server.faults[article_key(2)] = Fault(cut=0.5, times=1)  # once: the retry gets it whole
        result = run(crawl_args(server, db))
    assert result.returncode == EXIT_OK, result.stderr[-2000:]
    stored = {u for (u,) in rows(db, "SELECT canonical_url FROM articles")}
    assert stored == {article_url(2), article_url(3)}
    assert complete_bodies(db) == 2
    (r,) = runs(db)
    assert json.loads(r["skipped_reasons"]).get("truncated") == 2


def test_a_refetch_far_shorter_than_the_archived_article_does_not_overwrite_it(tmp_path: Path) -> None:
    routes, robots = write_site(tmp_path / "site", 2)
    db = tmp_path / "archive.db"
    with site_server(routes, robots) as server:
        assert run(crawl_args(server, db)).returncode == EXIT_OK
        # The same URL now answers a whole, well-formed page with one short paragraph left.
        short = tmp_path / "short.html"
        short.write_text(article_html(0, paragraphs=["Paragraf pendek."]), encoding="utf-8")
        server.site.routes[article_key(0)] = short
        result = run(crawl_args(server, db, "--refresh"))
    assert result.returncode == EXIT_OK, result.stderr[-2000:]
    assert complete_bodies(db) == 2  # the archived body is kept
    r = runs(db)[-1]
    assert json.loads(r["skipped_reasons"]).get("shorter_than_archived") == 1


async def test_a_multipage_article_missing_a_page_is_stored_incomplete_and_fetched_again(tmp_path: Path) -> None:
    from archive.runner import build_settings, crawl_in_process
    from scraper.sites import get_site
    from scraper.spiders.base import NewsSpider
    from tests.httpserver import MULTIPAGE_URL, kompas_server

    site = dataclasses.replace(get_site("kompas"), multipage="follow_pages", show_all_params={})
    db = tmp_path / "archive.db"
    page2 = MULTIPAGE_URL.split("://", 1)[1] + "?page=2"

    async def crawl(fail: bool) -> tuple[dict, list[str]]:
        settings = build_settings(db, fast=True, extra_settings={"TWISTED_REACTOR_ENABLED": False})
        with kompas_server() as server:
            if fail:
                server.faults[page2] = Fault(status=500)
            crawler = await crawl_in_process(settings, NewsSpider, site=site, root=server.root)
            return crawler.stats.get_stats(), server.requested()

    stats, hits = await crawl(fail=True)
    assert hits.count(page2) >= 2  # retried before giving up
    assert stats["warta/multipage/incomplete"] == 1
    with sqlite3.connect(db) as conn:
        (incomplete,) = conn.execute("SELECT incomplete FROM articles WHERE canonical_url = ?", (MULTIPAGE_URL,)).fetchone()
    assert incomplete == 1
    stats, hits = await crawl(fail=False)  # not "already archived": fetched again, now whole
    assert stats.get("warta/refetch/incomplete") == 1
    with sqlite3.connect(db) as conn:
        (incomplete, body) = conn.execute(
            "SELECT incomplete, body FROM articles WHERE canonical_url = ?", (MULTIPAGE_URL,)
        ).fetchone()
    whole = json.loads((Path(__file__).parent / "fixtures" / "kompas" / "expected" / "multipage-all.json").read_text())
    assert incomplete == 0 and body == "\n\n".join(whole["paragraphs"])


def test_incomplete_is_an_export_column(tmp_path: Path) -> None:
    import csv
    import io

    from archive.db import open_archive, save_articles
    from archive.export import export_csv

    db = open_archive(tmp_path / "a.db")
    record = {"canonical_url": article_url(1), "site": "kompas", "title": "T", "body": "satu dua", "incomplete": True}
    save_articles(db, [record])
    out = io.StringIO()
    export_csv(db, out)
    (row,) = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["incomplete"] == "1"
