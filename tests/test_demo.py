"""``warta demo --no-serve`` twice (real subprocesses): the demo site is crawled into an archive, and
the second run stores nothing new. Also the demo server's query-aware routing."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from archive.cron import EXIT_SITE
from archive.demo import DEMO_SITE, EDITED_URL, demo_server

SEED = "www.kompas.com/global/read/2024/11/14/083000170/rangkuman-hari-ke-995-serangan-rusia-ke-ukraina--ukraina-dapat-gambaran"


def warta(*args: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("warta")
    cmd = [str(script)] if script.exists() else [sys.executable, "-c", "from archive.cli import cli; cli()"]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=120)


def crawls(stdout: str) -> list[dict]:
    """Each numbered crawl of the demo's output: its heading, exit code and ``stored``/``aliases`` numbers."""
    found = []
    for block in re.split(r"\n(?=\d+\. )", stdout)[1:]:
        head = re.match(r"\d+\. (.*): crawl (\w+) \(exit (\d+)\)", block)
        stored = re.search(r"new (\d+), updated (\d+), unchanged (\d+)", block)
        aliases = re.search(r"aliases\s+(\d+)", block)
        assert head and stored and aliases, block
        new, updated, unchanged = map(int, stored.groups())
        found.append({"title": head.group(1), "exit": int(head.group(3)), "new": new, "updated": updated,
                      "unchanged": unchanged, "aliases": int(aliases.group(1))})
    return found


def datasette_get(db: Path, path: str) -> tuple[int, str]:
    """One page of the archive as ``warta serve`` serves it (Datasette in-process, no socket)."""
    import asyncio

    from archive.serve import make_datasette

    async def get() -> tuple[int, str]:
        ds = make_datasette(db)
        await ds.invoke_startup()
        response = await ds.client.get(path)
        return response.status_code, response.text

    return asyncio.run(get())


def test_demo_twice_shows_the_product_and_the_second_run_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    first = warta("demo", "--no-serve", "--db", str(db))
    assert first.returncode == 0, first.stderr[-3000:]
    one = crawls(first.stdout)
    assert [(c["new"], c["updated"], c["unchanged"], c["exit"]) for c in one] == [
        (3, 0, 0, 0),  # Kompas: the seed, the two-page article, the Tren article
        (5, 0, 0, 0),  # detik, tempo, antaranews, two Tribun editions
        (0, 1, 2, 0),  # Kompas after the edit: one new version
        (0, 0, 0, EXIT_SITE),  # suara: blocked by a challenge page
    ]
    assert one[0]["aliases"] == 5
    assert "not_article_url 1" in first.stdout  # the video link of the video news sitemap
    assert "suara: blocked" in first.stdout and "challenge pages: 2" in first.stdout

    with sqlite3.connect(db) as conn:
        sites = {s for s, in conn.execute("SELECT DISTINCT site FROM articles")}
        edited = conn.execute(
            "SELECT id, title, version FROM articles WHERE canonical_url = ?", (EDITED_URL,)
        ).fetchone()
        earlier = conn.execute("SELECT title FROM versions WHERE article_id = ?", (edited[0],)).fetchall()
        story = conn.execute(
            "SELECT group_concat(canonical_url, ' ') FROM story_articles GROUP BY story_id HAVING count(*) > 1"
        ).fetchall()
        related = conn.execute("SELECT article_id, target_id FROM related_links WHERE target_id IS NOT NULL").fetchall()
        aliases = {u for u, in conn.execute("SELECT url FROM aliases")}
        runs = conn.execute("SELECT status, exit_code FROM crawl_runs ORDER BY id").fetchall()
        verdicts = conn.execute("SELECT site, verdict FROM crawl_sites WHERE verdict != 'ok'").fetchall()
        before = conn.execute("SELECT count(*), sum(version) FROM articles").fetchone()
    assert sites == {"kompas", "detik", "tribunnews", "antaranews", "tempo"}
    assert edited[2] == 2 and len(earlier) == 1 and earlier[0][0] != edited[1]  # the edit and its earlier version
    assert len(story) == 1 and "solo.tribunnews.com" in story[0][0] and "jogja.tribunnews.com" in story[0][0]
    assert related and related[0][1] == edited[0]  # the seed's "Baca juga" is an archived article
    assert "https://amp." + SEED.split(".", 1)[1] in aliases
    assert any("utm_source=demo" in a for a in aliases)
    assert runs == [("finished", 0), ("finished", 0), ("finished", 0), ("failed", EXIT_SITE)]
    assert verdicts == [("suara", "blocked")]

    # What a reader sees: the failed run in failed_runs, the related link opening the archived copy.
    status, page = datasette_get(db, "/demo/failed_runs.json?_shape=objects")
    assert status == 200
    (failed,) = json.loads(page)["rows"]
    assert failed["exit_code"] == EXIT_SITE and "suara: blocked" in failed["unhealthy_sites"]
    status, page = datasette_get(db, f"/demo/articles/{related[0][0]}")
    assert status == 200 and f'href="/demo/articles/{edited[0]}">' in page and "(archived)" in page

    # The second demo finds the site as the first left it (the edit made): nothing changes, the
    # edit is not reverted, and suara fails again (it still blocks us).
    second = warta("demo", "--no-serve", "--db", str(db))
    assert second.returncode == 0, second.stderr[-3000:]
    two = crawls(second.stdout)
    assert [(c["new"], c["updated"], c["unchanged"], c["aliases"], c["exit"]) for c in two] == [
        (0, 0, 3, 0, 0),
        (0, 0, 5, 0, 0),
        (0, 0, 0, 0, EXIT_SITE),
    ]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*), sum(version) FROM articles").fetchone() == before
        assert conn.execute("SELECT count(*) FROM versions").fetchone()[0] == 1
        assert conn.execute("SELECT title FROM articles WHERE id = ?", (edited[0],)).fetchone()[0] == edited[1]


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


def test_demo_site_only_serves_the_site_for_root_examples() -> None:
    import socket

    with socket.socket() as s:  # a free port
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    script = Path(sys.executable).with_name("warta")
    cmd = [str(script)] if script.exists() else [sys.executable, "-c", "from archive.cli import cli; cli()"]
    with subprocess.Popen([*cmd, "demo", "--site-only", "--site-port", str(port)],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as proc:
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()  # printed once the server listens
            assert f"--root http://127.0.0.1:{port}" in line, line
            assert fetch(f"http://127.0.0.1:{port}/{SEED}")[0] == 200
            assert fetch(f"http://127.0.0.1:{port}/news.detik.com/berita/sitemap_news.xml")[0] == 200
        finally:
            proc.terminate()
            proc.wait(timeout=10)
