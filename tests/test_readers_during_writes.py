"""A reader closing its connection never costs a writer its commits.

SQLite's locks on a database file are POSIX record locks, which a process loses on *every* descriptor
of the file when it closes *any* one of them. A crawl holds several connections (pipeline, heartbeat,
captures); if opening one more had read the file's header through Python, the others' locks would be
gone, and a reader (Datasette, `sqlite3`, a test polling) closing its last connection would believe it
was the last user, checkpoint and delete the WAL the crawl still writes to: every later commit lost,
the crawl exiting 0. Seen as a crawl storing 4 of 10 articles while a reader polled.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from archive.db import open_archive

READER = (
    "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('SELECT count(*) FROM t').fetchone(); c.close()"
)


def test_opening_the_archive_again_keeps_the_open_connections_commits(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    writer = open_archive(path)
    writer.execute("CREATE TABLE t (x)")
    open_archive(path).close()  # one more connection of the same process, as a crawl's heartbeat opens
    for value in (1, 2):
        subprocess.run([sys.executable, "-c", READER, str(path)], check=True, timeout=30)  # a reader comes and goes
        writer.execute("INSERT INTO t VALUES (?)", (value,))
    with sqlite3.connect(path) as fresh:
        assert fresh.execute("SELECT count(*) FROM t").fetchone()[0] == 2
