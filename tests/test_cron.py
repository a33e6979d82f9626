"""``warta crawl`` under cron: the archive lock, exit codes, crawl_runs records, log file and rotation,
progress only on a terminal, incremental runs (known URLs, sitemap lastmod, --refresh).

Real ``warta`` subprocesses against a generated site on 127.0.0.1 (tests/sitegen.py), politeness off.
"""

from __future__ import annotations

import json
import os
import pty
import shutil
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest

from archive.cron import EXIT_FAILED, EXIT_LOCKED, EXIT_OK, EXIT_USAGE, ArchiveLock, LogWatch, verdict
from tests.httpserver import Fault
from tests.sitegen import (
    article_html,
    article_key,
    article_url,
    crawl_args,
    crawl_env,
    site_server,
    warta_command,
    write_site,
)


def run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=120, env=crawl_env(), **kwargs)  # type: ignore[call-overload]


def run_together(*commands: list[str]) -> list[subprocess.CompletedProcess[str]]:
    """Run independent crawls side by side (each on its own archive): the file stays fast."""
    procs = [
        subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=crawl_env())
        for c in commands
    ]
    done = []
    for cmd, proc in zip(commands, procs):
        out, err = proc.communicate(timeout=120)
        done.append(subprocess.CompletedProcess(cmd, proc.returncode, out, err))
    return done


def rows(db: Path, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def runs(db: Path) -> list[dict]:
    """The crawl_runs rows ([] while the archive is still being created)."""
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in conn.execute("SELECT * FROM crawl_runs ORDER BY id")]
        except sqlite3.OperationalError:
            return []


def wait_for(predicate, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    """Poll until ``predicate()`` is true (a bound on a hang, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.05)


def article_count(db: Path) -> int:
    try:
        return rows(db, "SELECT count(*) FROM articles")[0][0]
    except sqlite3.OperationalError:  # not created yet
        return 0


@pytest.fixture
def site(tmp_path: Path):  # type: ignore[no-untyped-def]
    routes, robots = write_site(tmp_path / "site", 4)
    with site_server(routes, robots) as server:
        yield server


# ------------------------------------------------------------------------------ the lock


def test_a_held_lock_exits_3_at_once_and_leaves_the_holder_alone(tmp_path: Path, site) -> None:  # type: ignore[no-untyped-def]
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


def test_two_overlapping_crawls_one_runs_the_other_exits_3(tmp_path: Path, site) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "archive.db"
    for i in range(4):
        site.faults[article_key(i)] = Fault(delay=1.0)  # one at a time: the first run lasts ~4 s
    first = subprocess.Popen(
        crawl_args(site, db, "--set", "CONCURRENT_REQUESTS=1"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
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


def test_a_clean_run_exits_0_and_records_everything(tmp_path: Path, site) -> None:  # type: ignore[no-untyped-def]
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


def test_finish_reason_other_than_finished_exits_1(tmp_path: Path, site) -> None:  # type: ignore[no-untyped-def]
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
    pipelines = json.dumps({"tests.cron_helpers.ExplodingPipeline": 100, "scraper.pipelines.ArchivePipeline": 300})
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


# ------------------------------------------------------------------------------ logs and output


def test_log_file_quiet_under_cron_and_survives_rotation(tmp_path: Path) -> None:
    db, log = tmp_path / "archive.db", tmp_path / "crawl.log"
    routes, robots = write_site(tmp_path / "site", 6)
    with site_server(routes, robots) as server:
        for i in range(6):
            server.faults[article_key(i)] = Fault(delay=0.4)
        proc = subprocess.Popen(
            crawl_args(server, db, "--log-file", str(log), "--set", "CONCURRENT_REQUESTS=1"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=crawl_env(),
        )
        try:
            wait_for(lambda: log.exists() and "started" in log.read_text())
            os.rename(log, tmp_path / "crawl.log.1")  # logrotate's default: move, then the program recreates
            wait_for(lambda: sum("/read/" in k for k in server.requested()) >= 2)
            wait_for(lambda: log.exists())
            shutil.copyfile(log, tmp_path / "crawl.log.2")  # copytruncate
            with open(log, "r+") as f:
                f.truncate(0)
        finally:
            out, err = proc.communicate(timeout=120)
    assert proc.returncode == EXIT_OK, err[-2000:]
    assert out == "" and err == ""  # quiet: no terminal, a log file, a clean run
    rotated = (tmp_path / "crawl.log.1").read_text(encoding="utf-8")
    assert "Crawl run 1 started: kompas" in rotated
    current = log.read_bytes()
    assert b"\0" not in current  # appended after the truncation, not at the old offset (no hole)
    text = current.decode("utf-8")
    assert "Crawl run 1: crawl finished (exit 0): fetched" in text
    assert all(line[:4].isdigit() for line in text.splitlines() if line.strip() and not line.startswith((" ", "{", "}", "'")))
    assert runs(db)[0]["log_file"] == str(log)


def test_failure_under_cron_prints_one_line(tmp_path: Path) -> None:
    log = tmp_path / "crawl.log"
    result = run([*crawl_args_no_server(tmp_path), "--fast", "--log-file", str(log)])
    assert result.returncode == EXIT_FAILED
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("Error: crawl failed: kompas: nothing fetched (site unreachable")
    assert "crawl failed (exit 1)" in log.read_text()


def run_with_tty_stderr(args: list[str]) -> tuple[int, str]:
    """Run with stderr on a pseudo-terminal (as in an interactive shell); its exit status and output."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=slave, env=crawl_env())
    os.close(slave)
    chunks: list[bytes] = []

    def read() -> None:
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO: the other side closed
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    proc.communicate(timeout=120)
    reader.join(timeout=10)
    os.close(master)
    return proc.returncode, b"".join(chunks).decode("utf-8", "replace")


def test_progress_on_a_terminal_only(tmp_path: Path) -> None:
    # (No progress without a terminal: test_a_clean_run_exits_0_and_records_everything.)
    routes, robots = write_site(tmp_path / "site", 3)
    with site_server(routes, robots) as server:
        for i in range(3):
            server.faults[article_key(i)] = Fault(delay=0.3)
        interval = "WARTA_PROGRESS_INTERVAL=0.2"
        code, tty = run_with_tty_stderr(crawl_args(server, tmp_path / "a.db", "--set", interval))
    assert code == EXIT_OK, tty[-2000:]
    assert "\rkompas: " in tty and "pages/s" in tty and "queued, ETA" in tty
    last = [line for line in tty.replace("\r", "\n").splitlines() if line.strip()][-1]
    assert last.startswith("kompas: 6 pages, 3 articles")  # the last update, at the close


def test_export_progress_on_a_terminal_only(tmp_path: Path) -> None:
    from archive.db import open_archive, save_articles
    from tests.archive_factory import make_article

    db = tmp_path / "archive.db"
    archive = open_archive(db)
    save_articles(archive, [make_article(n) for n in range(4)])
    archive.close()
    code, tty = run_with_tty_stderr([*warta_command(), "export", "--db", str(db), "-o", str(tmp_path / "a.csv")])
    piped = run([*warta_command(), "export", "--db", str(db), "-o", str(tmp_path / "b.csv")])
    assert code == 0 and "\rexported: 4 rows" in tty
    assert piped.returncode == 0 and "\r" not in piped.stderr and "rows/s" not in piped.stderr


# ------------------------------------------------------------------------------ incremental


def test_incremental_known_urls_lastmod_and_refresh(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    site_dir = tmp_path / "site"

    def articles_fetched(server) -> int:  # type: ignore[no-untyped-def]
        return sum("/read/" in k for k in server.requested())

    routes, robots = write_site(site_dir, 3, lastmod="2024-11-14T10:00:00+07:00")
    with site_server(routes, robots) as server:
        assert run(crawl_args(server, db)).returncode == EXIT_OK
        assert articles_fetched(server) == 3
        server.hits.clear()
        again = run(crawl_args(server, db))  # lastmod older than last_seen: nothing fetched
        assert again.returncode == EXIT_OK and articles_fetched(server) == 0
        assert json.loads(runs(db)[-1]["stats"])["known_not_refetched"] == 3

        write_site(site_dir, 3, lastmod="2099-01-01T00:00:00+07:00")  # the sitemap says: changed since
        server.hits.clear()
        assert run(crawl_args(server, db)).returncode == EXIT_OK
        assert articles_fetched(server) == 3
        assert runs(db)[-1]["unchanged"] == 3

        write_site(site_dir, 3)  # no lastmod: only --refresh fetches again
        server.hits.clear()
        assert run(crawl_args(server, db)).returncode == EXIT_OK and articles_fetched(server) == 0
        assert run(crawl_args(server, db, "--refresh")).returncode == EXIT_OK and articles_fetched(server) == 3
    assert rows(db, "SELECT count(*), count(DISTINCT canonical_url) FROM articles")[0] == (3, 3)
    assert [r["status"] for r in runs(db)] == ["finished"] * 5


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
