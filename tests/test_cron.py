"""``warta crawl`` under cron: the archive lock, exit codes read from the crawl (not from Scrapy), the
crawl_runs record of every run, and crawl health in Datasette. (Logs, progress and incremental runs:
test_cron_logs.py.)

Real ``warta`` subprocesses against a generated site on 127.0.0.1 (tests/sitegen.py), politeness off.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Iterator

import pytest

from archive.cron import EXIT_FAILED, EXIT_LOCKED, EXIT_OK, EXIT_USAGE, ArchiveLock, LogWatch, verdict
from tests.httpserver import Fault, FaultServer
from tests.sitegen import (
    article_html,
    article_key,
    article_url,
    crawl_args,
    article_count,
    run,
    run_together,
    runs,
    site_server,
    wait_for,
    warta_command,
    write_site,
)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[FaultServer]:
    routes, robots = write_site(tmp_path / "site", 4)
    with site_server(routes, robots) as server:
        yield server


# ------------------------------------------------------------------------------ the lock


def test_a_held_lock_exits_3_at_once_and_leaves_the_holder_alone(tmp_path: Path, site: FaultServer) -> None:
    db = tmp_path / "archive.db"
    holder = ArchiveLock(db)
    holder.acquire(what="test holder")
    try:
        result = run(crawl_args(site, db))
    finally:
        holder.release()
    assert result.returncode == EXIT_LOCKED
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1 and "Traceback" not in line
    assert "another crawl holds the lock" in line and f"pid {os.getpid()}" in line
    assert result.stdout == ""
    assert site.requested() == []  # nothing was fetched
    (locked,) = runs(db)
    assert locked["status"] == "locked" and locked["exit_code"] == EXIT_LOCKED
    assert article_count(db) == 0


def test_two_overlapping_crawls_one_runs_the_other_exits_3(tmp_path: Path, site: FaultServer) -> None:
    db = tmp_path / "archive.db"
    for i in range(4):
        site.faults[article_key(i)] = Fault(delay=1.0)  # one at a time: the first run lasts ~4 s
    first = subprocess.Popen(
        crawl_args(site, db, "--set", "CONCURRENT_REQUESTS=1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: db.exists() and any(r["status"] == "running" for r in runs(db)))  # it holds the lock
        second = run(crawl_args(site, db))
        assert second.returncode == EXIT_LOCKED
        assert "another crawl holds the lock" in second.stderr and f"pid {first.pid}" in second.stderr
        assert first.poll() is None  # left alone
    finally:
        out, err = first.communicate(timeout=120)
    assert first.returncode == EXIT_OK, err[-2000:]
    assert article_count(db) == 4
    assert sorted(r["status"] for r in runs(db)) == ["finished", "locked"]


# ------------------------------------------------------------------------------ exit codes and crawl_runs


def test_a_clean_run_exits_0_and_records_everything(tmp_path: Path, site: FaultServer) -> None:
    db = tmp_path / "archive.db"
    result = run(crawl_args(site, db))
    assert result.returncode == EXIT_OK, result.stderr[-2000:]
    (r,) = runs(db)
    assert r["status"] == "finished" and r["finish_reason"] == "finished" and r["exit_code"] == 0
    assert r["started"] <= r["finished"]
    assert r["pages_fetched"] >= 6  # robots.txt x2 (ours and the middleware's), sitemap, 4 articles
    assert (r["articles_new"], r["updated"], r["unchanged"]) == (4, 0, 0)
    assert json.loads(r["http_status"])["200"] >= 6
    assert json.loads(r["skipped_reasons"]) == {}
    assert r["errors"] == 0
    assert r["pid"] != os.getpid() and r["pid"] > 0
    assert json.loads(r["spiders"]) == ["kompas"]
    # No terminal: no progress line (the summary goes to stdout, the log to stderr).
    assert "\r" not in result.stdout + result.stderr and "pages/s" not in result.stderr
    assert "stored     new 4" in result.stdout


def test_finish_reason_other_than_finished_exits_1(tmp_path: Path, site: FaultServer) -> None:
    db = tmp_path / "archive.db"
    result = run(crawl_args(site, db, "--set", "CLOSESPIDER_PAGECOUNT=2"))
    assert result.returncode == EXIT_FAILED
    assert result.stderr.strip().splitlines()[-1].startswith("Error: crawl failed: kompas: finish reason")
    (r,) = runs(db)
    assert (r["status"], r["finish_reason"], r["exit_code"]) == ("failed", "closespider_pagecount", 1)


def test_errors_over_max_errors_exit_1_under_it_exit_0(tmp_path: Path) -> None:
    # Article 1 explodes in a (test-only) item pipeline: a real error logged by Scrapy.
    routes, robots = write_site(
        tmp_path / "site", 3, pages={article_url(10): article_html(10, title="Gudang meledak di Cilincing")}
    )
    pipelines = json.dumps({"tests.cron_helpers.ExplodingPipeline": 100, "archive.crawling.ArchivePipeline": 300})
    with site_server(routes, robots) as server:
        strict, tolerant = run_together(
            crawl_args(server, tmp_path / "a.db", "--set", f"ITEM_PIPELINES={pipelines}"),
            crawl_args(server, tmp_path / "b.db", "--set", f"ITEM_PIPELINES={pipelines}", "--max-errors", "1"),
        )
    assert strict.returncode == EXIT_FAILED
    assert "1 errors logged, more than --max-errors 0" in strict.stderr
    assert tolerant.returncode == EXIT_OK, tolerant.stderr[-2000:]
    for name in ("a.db", "b.db"):
        (r,) = runs(tmp_path / name)
        assert r["errors"] == 1 and json.loads(r["stats"])["spider_errors"] == 1
        assert r["articles_new"] == 3  # the other articles were stored
    assert runs(tmp_path / "a.db")[0]["status"] == "failed"
    assert runs(tmp_path / "b.db")[0]["status"] == "finished"


def test_fetch_failures_alone_do_not_fail_the_run_but_an_all_5xx_site_does(tmp_path: Path) -> None:
    routes, robots = write_site(tmp_path / "site", 3)
    with site_server(routes, robots) as server:
        server.faults[article_key(0)] = Fault(status=500)  # one article never comes back
        some = run(crawl_args(server, tmp_path / "a.db"))
    routes, robots = write_site(tmp_path / "down", 3)
    with site_server(routes, robots) as server:
        server.faults["www.kompas.com/"] = Fault(status=503)  # every answer a 503
        down = run(crawl_args(server, tmp_path / "b.db"))
    assert some.returncode == EXIT_OK, some.stderr[-2000:]
    (r,) = runs(tmp_path / "a.db")
    assert r["articles_new"] == 2 and json.loads(r["stats"])["not_fetched"] == {"http_500": 1}
    assert down.returncode == EXIT_FAILED
    assert "site unreachable: all" in down.stderr
    assert runs(tmp_path / "b.db")[0]["status"] == "failed"


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--db", "/nonexistent-dir/archive.db"], "directory /nonexistent-dir does not exist"),
        (["--log-file", "/nonexistent-dir/crawl.log"], "cannot write the log file"),
        (["--max-errors", "-1"], "Invalid value for '--max-errors'"),
    ],
)
def test_unusable_paths_and_bad_options_exit_2(tmp_path: Path, extra: list[str], message: str) -> None:
    from click.testing import CliRunner

    from archive.cli import cli

    # In-process: these fail before any crawl starts (no reactor is involved).
    result = CliRunner().invoke(cli, [*crawl_args_no_server(tmp_path)[len(warta_command()) :], *extra])
    assert result.exit_code == EXIT_USAGE
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) <= 4  # click adds a "Usage:" hint to its own errors


def crawl_args_no_server(tmp_path: Path) -> list[str]:
    return [*warta_command(), "crawl", "kompas", "--root", "http://127.0.0.1:9", "--db", str(tmp_path / "x.db")]


def test_verdict_reads_stats_not_scrapys_exit_status() -> None:
    ok = {"finish_reason": "finished", "downloader/response_count": 3, "downloader/response_status_count/200": 3}
    assert verdict({"kompas": ok}).exit_code == EXIT_OK
    assert verdict({"kompas": {**ok, "finish_reason": "closespider_errorcount"}}).exit_code == EXIT_FAILED
    refused = {"finish_reason": "finished", "downloader/exception_type_count/twisted.ConnectionRefusedError": 2}
    failed = verdict({"kompas": refused})
    assert failed.exit_code == EXIT_FAILED and "ConnectionRefusedError 2" in failed.problems[0]
    watch = LogWatch()
    watch.signal_name = "SIGTERM"
    assert verdict({"kompas": {**ok, "finish_reason": "shutdown"}}, watch).exit_code == 143
    watch.signal_name = "SIGINT"
    assert verdict({"kompas": {**ok, "finish_reason": "shutdown"}}, watch).exit_code == 130
    assert verdict({}).exit_code == EXIT_FAILED


# ------------------------------------------------------------------------------ crawl health in Datasette


def test_crawl_health_canned_queries(tmp_path: Path) -> None:
    import asyncio

    from archive.db import close_stale_runs, finish_run, open_archive, start_run
    from archive.serve import make_datasette

    db_path = tmp_path / "archive.db"
    db = open_archive(db_path)
    stats = {"pages_fetched": 7, "skipped_reasons": {"not_html": 1}, "http_status": {"200": 7}, "errors": 0}
    for status, code in (("finished", 0), ("interrupted", 143), ("locked", 3), ("failed", 1)):
        finish_run(db, start_run(db, ["kompas"], {}), status=status, finish_reason=status, stats=stats, exit_code=code)
    dead = start_run(db, ["kompas"], {})
    db.execute("UPDATE crawl_runs SET pid = 999999999 WHERE id = ?", [dead])  # a pid that cannot exist
    assert close_stale_runs(db) == [dead]
    old = start_run(db, ["kompas"], {})
    finish_run(db, old, status="failed", finish_reason="finished", stats={}, exit_code=1)
    db.execute("UPDATE crawl_runs SET started = datetime('now', '-30 days') WHERE id = ?", [old])
    db.close()

    async def get(path: str) -> list[dict]:
        ds = make_datasette(db_path)
        await ds.invoke_startup()
        response = await ds.client.get(path)
        assert response.status_code == 200, response.text[:500]
        return response.json()["rows"]

    all_runs = asyncio.run(get("/archive/crawl_runs.json?_shape=objects"))
    assert len(all_runs) == 6
    first = all_runs[-1]
    assert first["pages_fetched"] == 7 and json.loads(first["skipped_reasons"]) == {"not_html": 1}
    assert {"exit_code", "log_file", "pid", "http_status", "finish_reason"} <= set(first)
    recent = asyncio.run(get("/archive/failed_runs.json?_shape=objects"))
    assert [(r["status"], r["exit_code"]) for r in recent] == [
        ("killed", None),
        ("failed", 1),
        ("locked", 3),
        ("interrupted", 143),
    ]
    month = asyncio.run(get("/archive/failed_runs.json?_shape=objects&days=60"))
    assert len(month) == 5  # the 30-day-old failure too
