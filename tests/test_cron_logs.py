"""``warta crawl`` output under cron and on a terminal: a quiet log file that survives logrotate (move and
copytruncate), one line on failure, progress only on a terminal (crawl and export); incremental runs
(known URLs, sitemap lastmod, --refresh).

Real ``warta`` subprocesses against a generated site on 127.0.0.1 (tests/sitegen.py), politeness off.
"""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
import threading
from pathlib import Path

from archive.cron import EXIT_FAILED, EXIT_OK
from tests.httpserver import Fault
from tests.sitegen import (
    article_key,
    crawl_args,
    crawl_env,
    rows,
    run,
    runs,
    site_server,
    wait_for,
    warta_command,
    write_site,
)


def crawl_args_no_server(tmp_path: Path) -> list[str]:
    return [*warta_command(), "crawl", "kompas", "--root", "http://127.0.0.1:9", "--db", str(tmp_path / "x.db")]


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
    assert all(
        line[:4].isdigit() for line in text.splitlines() if line.strip() and not line.startswith((" ", "{", "}", "'"))
    )
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
    assert re.match(r"kompas: \d+ pages, 3 articles, ", last)  # the last update, at the close


def test_export_progress_on_a_terminal_only(tmp_path: Path) -> None:
    from archive.db import open_archive, save_articles
    from tests.archive_factory import make_article

    db = tmp_path / "archive.db"
    archive = open_archive(db)
    save_articles(archive, [make_article(n) for n in range(4)])
    archive.close()
    code, tty = run_with_tty_stderr([*warta_command(), "export", "--db", str(db), "-o", str(tmp_path / "a.csv")])
    piped = run([*warta_command(), "export", "--db", str(db), "-o", str(tmp_path / "b.csv")])
    assert code == 0 and "\rexported: 4" in tty and "rows/s" in tty
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

        write_site(site_dir, 3, lastmod="2024-11-14T10:00:00+07:00")  # unchanged: only --refresh fetches
        server.hits.clear()
        assert run(crawl_args(server, db, "--refresh")).returncode == EXIT_OK and articles_fetched(server) == 3
    assert rows(db, "SELECT count(*), count(DISTINCT canonical_url) FROM articles")[0] == (3, 3)
    assert [r["status"] for r in runs(db)] == ["finished"] * 4
