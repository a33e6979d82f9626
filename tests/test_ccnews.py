"""warta import --cc-news against a local mirror of CC-NEWS: path lists, WARC files, interruption, resume."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from archive.db import open_archive
from tests.warcgen import Page, saved_pages, write_warc


class Mirror:
    """A ThreadingHTTPServer on 127.0.0.1 serving files; ``cut`` maps a path to how many times its
    body is cut off half-way (Content-Length announced, connection closed)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cut: dict[str, int] = {}
        self.requests: list[str] = []
        mirror = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                path = self.path.lstrip("/")
                mirror.requests.append(path)
                file = mirror.root / path
                if not file.is_file():
                    self.send_error(404)
                    return
                data = file.read_bytes()
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if mirror.cut.get(path, 0) > 0:
                    mirror.cut[path] -= 1
                    self.wfile.write(data[: len(data) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def mirror(tmp_path: Path) -> Iterator[Mirror]:
    """Two months of CC-NEWS: 2024/11 with two WARC files, 2024/12 with one."""
    root = tmp_path / "mirror"
    pages = [p for p in saved_pages() if "indeks" not in p.url]
    months = {"2024/11": [pages[0:8], pages[8:16]], "2024/12": [pages[16:]]}
    for month, chunks in months.items():
        folder = root / "crawl-data" / "CC-NEWS" / month
        folder.mkdir(parents=True)
        paths = []
        for n, chunk in enumerate(chunks):
            name = f"CC-NEWS-{month.replace('/', '')}01000000-{n:05d}.warc.gz"
            other = Page("https://www.bbc.co.uk/news/world-1", b"<html><title>BBC</title><p>x</p></html>")
            write_warc(folder / name, [*chunk, other])
            paths.append(f"crawl-data/CC-NEWS/{month}/{name}")
        (folder / "warc.paths.gz").write_bytes(gzip.compress(("\n".join(paths) + "\n").encode()))
    server = Mirror(root)
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


def _run(db: Path, mirror: Mirror, *extra: str) -> subprocess.CompletedProcess[str]:
    warta = Path(sys.executable).with_name("warta")
    return subprocess.run(
        [str(warta), "import", "--db", str(db), "--cc-news", "--since", "2024-11", "--until", "2024-12",
         "--base", mirror.base, "--json", *extra],
        capture_output=True, text=True, timeout=180,
    )


def test_backfill_interrupted_then_resumed(tmp_path: Path, mirror: Mirror) -> None:
    db_path = tmp_path / "a.db"
    second = "crawl-data/CC-NEWS/2024/11/CC-NEWS-20241101000000-00001.warc.gz"
    mirror.cut[second] = 5  # more cuts than retries: this run cannot read it
    out = _run(db_path, mirror, "--retries", "1", "--timeout", "5")
    assert out.returncode == 1, out.stderr
    assert second in out.stderr.splitlines()[-1]
    counts = json.loads(out.stdout.strip().splitlines()[-1])
    assert counts["files"] == {"listed": 3, "done_before": 0, "done": 2, "damaged": 0, "failed": 1}
    assert counts["skipped"]["other_host"] >= 2
    db = open_archive(db_path)
    status = dict(db.execute("SELECT source, status FROM imported_files").fetchall())
    assert status[second] == "failed" and sorted(status.values()) == ["done", "done", "failed"]
    got = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert 16 <= got < 24  # the first and third files, and what was read of the second before the cut

    # The network is back: a second run reads only the failed file, from its start.
    mirror.cut.clear()
    mirror.requests.clear()
    out = _run(db_path, mirror)
    assert out.returncode == 0, out.stderr
    counts = json.loads(out.stdout.strip().splitlines()[-1])
    assert counts["files"] == {"listed": 3, "done_before": 2, "done": 1, "damaged": 0, "failed": 0}
    assert [p for p in mirror.requests if p.endswith(".warc.gz")] == [second]
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 24
    assert {r[0] for r in db.execute("SELECT status FROM imported_files")} == {"done"}
    # The WARC-Date of the records is the fetch time.
    assert db.execute("SELECT DISTINCT first_seen FROM articles").fetchall() == [("2024-11-14T03:00:00+00:00",)]

    # Nothing left: a third run fetches only the path lists.
    mirror.requests.clear()
    out = _run(db_path, mirror)
    assert out.returncode == 0 and all(p.endswith("warc.paths.gz") for p in mirror.requests)


def test_a_killed_backfill_resumes(tmp_path: Path, mirror: Mirror) -> None:
    # A file left 'running' (the process died) is read again.
    db_path = tmp_path / "a.db"
    assert _run(db_path, mirror, "--max-files", "1").returncode == 0
    db = open_archive(db_path)
    first = db.execute("SELECT source FROM imported_files").fetchone()[0]
    with db.conn:
        db.conn.execute("UPDATE imported_files SET status = 'running' WHERE source = ?", (first,))
    mirror.requests.clear()
    out = _run(db_path, mirror)
    assert out.returncode == 0, out.stderr
    assert first in mirror.requests
    assert json.loads(out.stdout.strip().splitlines()[-1])["files"]["done"] == 3
    row = db.execute("SELECT status, attempts FROM imported_files WHERE source = ?", (first,)).fetchone()
    assert row == ("done", 2)


def test_a_month_without_a_path_list(tmp_path: Path, mirror: Mirror) -> None:
    warta = Path(sys.executable).with_name("warta")
    out = subprocess.run(
        [str(warta), "import", "--db", str(tmp_path / "a.db"), "--cc-news", "--since", "2025-01", "--until",
         "2025-01", "--base", mirror.base, "--retries", "0"],
        capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 1 and "HTTP 404" in out.stderr
