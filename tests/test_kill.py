"""Nothing lost when a crawl is stopped: SIGTERM/SIGINT (graceful, exit 143/130, run recorded as
interrupted), SIGKILL (committed articles intact, integrity_check ok, the next run completes what is
missing without duplicates, the dead run marked), and ``--jobdir`` resuming a stopped crawl.

Real ``warta crawl`` subprocesses against a generated site whose articles answer slowly, one at a
time, in small archive batches, so the signal lands mid-crawl.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import pytest

from archive.cron import EXIT_OK, EXIT_SIGINT, EXIT_SIGTERM, lock_path
from tests.httpserver import Fault, FaultServer
from tests.sitegen import (
    article_count,
    article_key,
    article_url,
    crawl_args,
    crawl_env,
    rows,
    runs,
    site_server,
    wait_for,
    write_site,
)

N = 10
SLOW = ("--set", "CONCURRENT_REQUESTS=1", "--set", "WARTA_BATCH_SIZE=2")


def slow_site(tmp_path: Path) -> FaultServer:
    routes, robots = write_site(tmp_path / "site", N)
    server = site_server(routes, robots)
    for i in range(N):
        server.faults[article_key(i)] = Fault(delay=0.25)
    return server


def start(server: FaultServer, db: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        crawl_args(server, db, *SLOW, *extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=crawl_env(),
    )


def served_articles(server: FaultServer) -> set[str]:
    """Canonical URLs of the articles the server answered with a page."""
    keys = {h.key for h in server.hits if h.status == 200}
    return {article_url(i) for i in range(N) if article_key(i) in keys}


def archived(db: Path) -> dict[str, tuple]:
    return {r[0]: r[1:] for r in rows(db, "SELECT canonical_url, id, content_hash, body FROM articles")}


def assert_no_duplicates(db: Path) -> None:
    assert rows(db, "SELECT count(*) - count(DISTINCT canonical_url) FROM articles")[0][0] == 0
    assert rows(db, "SELECT count(*) - count(DISTINCT url) FROM aliases")[0][0] == 0
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, EXIT_SIGTERM), (signal.SIGINT, EXIT_SIGINT)])
def test_a_signal_stops_the_crawl_gracefully_and_keeps_every_fetched_article(
    tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    db = tmp_path / "archive.db"
    with slow_site(tmp_path) as server:
        proc = start(server, db)
        try:
            wait_for(lambda: article_count(db) >= 2)
            proc.send_signal(sig)
        finally:
            out, err = proc.communicate(timeout=120)
        assert proc.returncode == code, err[-3000:]
        assert err.strip().splitlines()[-1].startswith("Error: crawl interrupted")
        # Graceful: what was fetched before the stop (in flight included) went through the pipeline.
        served = served_articles(server)
        assert set(archived(db)) == served and 2 <= len(served) < N
        (run,) = runs(db)
        assert (run["status"], run["finish_reason"], run["exit_code"]) == ("interrupted", "shutdown", code)
        assert run["articles_new"] == len(served)
        assert json.loads(run["stats"])["signal"] == sig.name

        if sig == signal.SIGTERM:  # the next run completes what is missing, fetching only that
            server.hits.clear()
            again = subprocess.run(crawl_args(server, db), capture_output=True, text=True, timeout=120)
            assert again.returncode == EXIT_OK, again.stderr[-3000:]
            assert served_articles(server) == {article_url(i) for i in range(N)} - served
            assert len(archived(db)) == N
            assert_no_duplicates(db)


def test_sigkill_loses_no_committed_article_and_the_next_run_completes(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with slow_site(tmp_path) as server:
        proc = start(server, db, "--set", "WARTA_HEARTBEAT_SECONDS=0.2")
        try:
            wait_for(lambda: article_count(db) >= 4)
            wait_for(lambda: runs(db)[0]["pages_fetched"] > 0)  # the heartbeat
            before = archived(db)  # committed (a separate connection sees only commits)
            proc.kill()
        finally:
            proc.communicate(timeout=60)
        assert proc.returncode == -signal.SIGKILL
        assert rows(db, "PRAGMA integrity_check") == [("ok",)]
        after = archived(db)
        lost = [url for url, row in before.items() if after.get(url) != row]
        print(f"\nSIGKILL after {len(before)} committed articles: {len(lost)} lost, integrity ok")
        assert lost == []  # rows lost after SIGKILL: 0
        (dead,) = runs(db)
        assert dead["status"] == "running"  # what a killed run leaves; the next run corrects it
        assert dead["pages_fetched"] > 0 and dead["articles_new"] >= 4  # how far it got
        assert lock_path(db).exists()  # the lock file stays; the kernel released the lock itself

        again = subprocess.run(crawl_args(server, db), capture_output=True, text=True, timeout=120)
    assert again.returncode == EXIT_OK, again.stderr[-3000:]
    first, second = runs(db)
    assert (first["status"], first["finish_reason"]) == ("killed", "process_gone")
    assert second["status"] == "finished"
    final = archived(db)
    assert len(final) == N
    assert all(final[url] == row for url, row in after.items())  # kept as committed, not rewritten
    assert second["articles_new"] == N - len(after)
    assert_no_duplicates(db)


def test_jobdir_resumes_a_stopped_crawl_from_its_queue(tmp_path: Path) -> None:
    db, jobdir = tmp_path / "archive.db", tmp_path / "job"
    with slow_site(tmp_path) as server:
        proc = start(server, db, "--jobdir", str(jobdir))
        try:
            wait_for(lambda: article_count(db) >= 2)
            proc.send_signal(signal.SIGTERM)
        finally:
            _, err = proc.communicate(timeout=120)
        assert proc.returncode == EXIT_SIGTERM, err[-3000:]
        first = set(archived(db))
        assert (jobdir / "requests.queue").is_dir()

        server.hits.clear()
        resumed = subprocess.run(
            crawl_args(server, db, "--jobdir", str(jobdir)),
            capture_output=True,
            text=True,
            timeout=120,
            env=crawl_env(),
        )
        assert resumed.returncode == EXIT_OK, resumed.stderr[-3000:]
        # The queue came from the job directory: the sitemap was not read again, and every
        # article the first run had not reached was fetched.
        assert "www.kompas.com/sitemap.xml" not in server.requested()
        assert served_articles(server) == {article_url(i) for i in range(N)} - first
    assert len(archived(db)) == N
    assert_no_duplicates(db)
    assert [r["status"] for r in runs(db)] == ["interrupted", "finished"]
    assert os.path.isdir(jobdir)
