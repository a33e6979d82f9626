"""Readers during a crawl: plain sqlite3 connections SELECTing in a loop, one holding long read
transactions, and Datasette (through its own client) read the archive while a real ``warta crawl``
subprocess writes to it in many small commits. No reader error ("database is locked" or any
other), and the crawl does not fail because of them (WAL + busy timeout).
"""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

from archive.cron import EXIT_OK
from archive.serve import make_datasette
from tests.httpserver import Fault
from tests.sitegen import article_count, article_key, crawl_args, crawl_env, runs, site_server, wait_for, write_site

N = 24


class Readers:
    """Reader threads counting their reads and errors until stopped."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.stop = threading.Event()
        self.reads = {"select": 0, "long_tx": 0, "datasette": 0}
        self.errors: list[str] = []
        self.seen_counts: list[int] = []
        self.threads = [
            threading.Thread(target=self.selects, daemon=True),
            threading.Thread(target=self.long_transactions, daemon=True),
            threading.Thread(target=self.datasette, daemon=True),
        ]

    def selects(self) -> None:
        # A short timeout: a reader that had to wait for the writer would show up as an error.
        conn = sqlite3.connect(self.db, timeout=0.5)
        while not self.stop.is_set():
            try:
                (count,) = conn.execute("SELECT count(*) FROM articles").fetchone()
                conn.execute("SELECT id, title, body FROM articles ORDER BY id DESC LIMIT 5").fetchall()
                conn.execute("SELECT * FROM crawl_runs").fetchall()
                conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'jembatan' LIMIT 5").fetchall()
                self.seen_counts.append(count)
                self.reads["select"] += 1
            except sqlite3.Error as exc:
                self.errors.append(f"select: {exc}")
            time.sleep(0.01)
        conn.close()

    def long_transactions(self) -> None:
        # A reader that keeps a snapshot open for a while: the writer must not fail on it.
        conn = sqlite3.connect(self.db, timeout=0.5, isolation_level=None)
        while not self.stop.is_set():
            try:
                conn.execute("BEGIN")
                conn.execute("SELECT count(*) FROM articles").fetchone()
                time.sleep(0.3)
                conn.execute("SELECT count(*) FROM aliases").fetchone()
                conn.execute("COMMIT")
                self.reads["long_tx"] += 1
            except sqlite3.Error as exc:
                self.errors.append(f"long transaction: {exc}")
        conn.close()

    def datasette(self) -> None:
        async def loop() -> None:
            ds = make_datasette(self.db)
            await ds.invoke_startup()
            name = self.db.stem
            while not self.stop.is_set():
                for path in (
                    f"/{name}/articles.json?_size=5",
                    f"/{name}/crawl_runs",
                    f"/{name}?sql=select+count(*)+from+articles",
                ):
                    response = await ds.client.get(path)
                    if response.status_code != 200 or "locked" in response.text:
                        self.errors.append(f"datasette {path}: {response.status_code}")
                    self.reads["datasette"] += 1
                await asyncio.sleep(0.02)

        try:
            asyncio.run(loop())
        except Exception as exc:  # counted, not raised in the thread
            self.errors.append(f"datasette: {exc!r}")

    def __enter__(self) -> "Readers":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)


def test_readers_never_fail_and_never_fail_the_crawl(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    routes, robots = write_site(tmp_path / "site", N)
    with site_server(routes, robots) as server:
        for i in range(N):
            server.faults[article_key(i)] = Fault(delay=0.1)
        proc = subprocess.Popen(
            # One article per transaction: as many commits as possible under the readers.
            crawl_args(server, db, "--set", "WARTA_BATCH_SIZE=1", "--set", "CONCURRENT_REQUESTS=2"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=crawl_env(),
        )
        try:
            wait_for(lambda: db.exists() and bool(runs(db)))
            with Readers(db) as readers:
                wait_for(lambda: proc.poll() is not None, timeout=120)
        finally:
            out, err = proc.communicate(timeout=60)
    assert proc.returncode == EXIT_OK, err[-3000:]
    assert article_count(db) == N
    print(f"\nreaders during the crawl: {readers.reads} reads, {len(readers.errors)} errors")
    assert readers.errors == []  # reader errors during the crawl: 0
    assert readers.reads["select"] > 20 and readers.reads["long_tx"] > 2 and readers.reads["datasette"] > 5
    # The readers saw the archive grow while the crawl ran (they read during it, not after).
    assert len(set(readers.seen_counts)) > 2
    assert runs(db)[-1]["status"] == "finished"
