"""``warta demo --no-serve`` twice (real subprocesses): the demo site is crawled into an archive, and
the second run stores nothing new. Also the demo server's query-aware routing."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from archive.demo import DEMO_SITE, demo_server

SEED = "www.kompas.com/global/read/2024/11/14/083000170/rangkuman-hari-ke-995-serangan-rusia-ke-ukraina--ukraina-dapat-gambaran"


def warta(*args: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("warta")
    cmd = [str(script)] if script.exists() else [sys.executable, "-c", "from archive.cli import cli; cli()"]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=120)


def counts(stdout: str) -> dict[str, int]:
    """The numbers of the summary's ``stored`` and ``aliases`` lines."""
    stored = re.search(r"new (\d+), updated (\d+), unchanged (\d+)", stdout)
    aliases = re.search(r"aliases\s+(\d+)", stdout)
    assert stored and aliases, stdout
    new, updated, unchanged = map(int, stored.groups())
    return {"new": new, "updated": updated, "unchanged": unchanged, "aliases": int(aliases.group(1))}


def test_demo_twice_second_run_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    first = warta("demo", "--no-serve", "--db", str(db))
    assert first.returncode == 0, first.stderr[-3000:]
    assert counts(first.stdout) == {"new": 3, "updated": 0, "unchanged": 0, "aliases": 5}
    assert "not_article_url 1" in first.stdout  # the video link of the video news sitemap

    second = warta("demo", "--no-serve", "--db", str(db))
    assert second.returncode == 0, second.stderr[-3000:]
    assert counts(second.stdout) == {"new": 0, "updated": 0, "unchanged": 3, "aliases": 0}

    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
        aliases = {u for u, in conn.execute("SELECT url FROM aliases")}
        runs = conn.execute("SELECT status FROM crawl_runs ORDER BY id").fetchall()
    assert "https://amp." + SEED.split(".", 1)[1] in aliases
    assert any("utm_source=demo" in a for a in aliases)
    assert runs == [("finished",), ("finished",)]


def test_demo_site_is_small() -> None:
    size = sum(p.stat().st_size for p in DEMO_SITE.rglob("*") if p.is_file())
    assert size < 1_000_000


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own 127.0.0.1 server
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def test_demo_server_routes_by_host_path_and_query() -> None:
    with demo_server() as server:
        root = server.root
        status, page_all = fetch(f"{root}/megapolitan.kompas.com/read/2024/11/14/13000061/hadapi-puncak-musim-hujan-pemkot-bogor-siagakan-120-pompa-air-di-titik-rawan?page=all")
        status2, page2 = fetch(f"{root}/megapolitan.kompas.com/read/2024/11/14/13000061/hadapi-puncak-musim-hujan-pemkot-bogor-siagakan-120-pompa-air-di-titik-rawan?page=2")
        assert (status, status2) == (200, 200) and page_all != page2
        assert fetch(f"{root}/{SEED}?page=all")[0] == 200
        assert fetch(f"{root}/{SEED}?page=3")[0] == 404  # an unknown query is not the page
        assert fetch(f"{root}/www.kompas.com/sitemap.xml")[0] == 200
        assert fetch(f"{root}/nasional.kompas.com/robots.txt")[0] == 200  # every host has robots.txt
        assert fetch(f"{root}/www.kompas.com/../../../etc/passwd")[0] == 404
        assert fetch(f"{root}/www.kompas.com/nothing-here")[0] == 404


def test_demo_takes_the_archive_lock_as_crawl_does(tmp_path: Path) -> None:
    from archive.cron import EXIT_LOCKED, ArchiveLock

    db = tmp_path / "demo.db"
    with ArchiveLock(db):
        locked = warta("demo", "--no-serve", "--db", str(db))
    assert locked.returncode == EXIT_LOCKED, locked.stderr[-2000:]
    assert "another crawl holds the lock" in locked.stderr and "Traceback" not in locked.stderr
