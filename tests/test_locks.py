"""One writer per archive *file*, whatever name reaches it (issue 11 §4), and no run on a damaged one.

The lock is the archive file's own: a second ``warta crawl`` through a symlink or a hard link of a
held archive exits 3 naming the holder, and fetches nothing. A run starts with ``PRAGMA
quick_check``: on a damaged archive it is one line, exit 2, and nothing is written.
Real ``warta`` subprocesses (bounded by tests.sitegen.run's timeout) against 127.0.0.1.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from collections.abc import Iterator

import pytest

from archive.cron import EXIT_LOCKED, EXIT_USAGE, ArchiveLock, LockHeld
from archive.db import open_archive
from tests.httpserver import Fault, FaultServer
from tests.sitegen import crawl_args, crawl_env, run, site_server, wait_for, write_site


@pytest.fixture
def site(tmp_path: Path) -> Iterator[FaultServer]:
    routes, robots = write_site(tmp_path / "site", 3)
    with site_server(routes, robots) as server:
        yield server


def other_name(db: Path, how: str) -> Path:
    """Another name of the archive file: a symlink (in another directory) or a hard link."""
    other = db.parent / "elsewhere" / "other.db"
    other.parent.mkdir(exist_ok=True)
    if how == "symlink":
        other.symlink_to(db)
    else:
        os.link(db, other)
    return other


@pytest.mark.parametrize("how", ["symlink", "hardlink"])
def test_a_lock_through_another_name_of_the_file_is_the_same_lock(tmp_path: Path, how: str) -> None:
    db = tmp_path / "archive.db"
    open_archive(db).close()
    other = other_name(db, how)
    with ArchiveLock(db):
        with pytest.raises(LockHeld, match=f"pid {os.getpid()}"):
            ArchiveLock(other).acquire()
    with ArchiveLock(other):  # released: free again, by either name
        with pytest.raises(LockHeld):
            ArchiveLock(db).acquire()


HOLD = """
import sys, time
from pathlib import Path
from archive.cron import ArchiveLock
lock = ArchiveLock(Path(sys.argv[1]))
lock.acquire(what="holder process")
print("held", flush=True)
time.sleep(60)
"""


@pytest.mark.parametrize("how", ["symlink", "hardlink"])
def test_a_second_crawl_through_a_symlink_or_hard_link_exits_3(tmp_path: Path, site: FaultServer, how: str) -> None:
    db = tmp_path / "archive.db"
    open_archive(db).close()
    other = other_name(db, how)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)], stdout=subprocess.PIPE, text=True, env=crawl_env()
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        second = run(crawl_args(site, other))
    finally:
        holder.kill()
        holder.wait(timeout=10)
        if holder.stdout is not None:
            holder.stdout.close()
    assert second.returncode == EXIT_LOCKED, second.stderr
    line = second.stderr.strip()
    assert len(line.splitlines()) == 1 and "another crawl holds the lock" in line and f"pid {holder.pid}" in line
    assert site.requested() == []
    # Killed (-9 included): the kernel released it, the next run through either name goes ahead.
    assert run(crawl_args(site, other)).returncode == 0


def test_two_crawls_through_a_hard_link_never_run_together(tmp_path: Path, site: FaultServer) -> None:
    db = tmp_path / "archive.db"
    open_archive(db).close()
    other = other_name(db, "hardlink")
    site.faults["www.kompas.com/tren/read"] = Fault(delay=3)  # the first run is busy fetching articles
    first = subprocess.Popen(crawl_args(site, db), stderr=subprocess.PIPE, text=True, env=crawl_env())
    try:
        wait_for(lambda: len(site.requested()) > 0)
        second = run(crawl_args(site, other))
        _, err = first.communicate(timeout=120)
    finally:
        if first.poll() is None:
            first.kill()
            first.communicate()
    assert second.returncode == EXIT_LOCKED
    assert first.returncode == 0, err
    assert open_archive(db).execute("PRAGMA quick_check").fetchone()[0] == "ok"


def damage(db: Path, how: str) -> None:
    """Garbage over the archive's pages: all but the first two ("pages"), or only the last one
    ("last page": the schema still reads, only a check of the pages finds it)."""
    size = db.stat().st_size
    page = open_archive(db).execute("PRAGMA page_size").fetchone()[0]
    start = page * 2 if how == "pages" else size - page
    with open(db, "r+b") as f:
        f.seek(start)
        f.write(b"\xde\xad\xbe\xef" * ((size - start) // 4))


@pytest.mark.parametrize("how", ["pages", "last page"])
def test_a_crawl_on_a_damaged_archive_is_one_line_exit_2_and_writes_nothing(
    tmp_path: Path, site: FaultServer, how: str
) -> None:
    db = tmp_path / "archive.db"
    assert run(crawl_args(site, db)).returncode == 0
    conn = open_archive(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    damage(db, how)
    before = db.read_bytes()
    result = run(crawl_args(site, db))
    assert result.returncode == EXIT_USAGE, result.stderr
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1 and "Traceback" not in line, line
    assert str(db) in line and ".recover" in line
    assert db.read_bytes() == before
