"""Captures: disk per article, and the re-extraction rate beside warcio's bare iteration.

Run: ``.venv/bin/python -m benchmarks.captures [--reextract 3000]``.

1. Bytes of captures per article: real ``warta`` crawls (subprocesses, 127.0.0.1) of the demo site
   (``warta demo --no-serve``) and of a generated 300-article site (``tests/sitegen.py``), then a
   ``--refresh`` re-crawl of the generated site (unchanged pages: revisit records). WARC bytes are
   the files on disk; the captures rows are measured with SQLite's dbstat.
2. Re-extraction rate: N generated Kompas pages written as captures (``CaptureWriter``, as a crawl
   writes them) and archived; then ``warta reextract``'s library call, a dry run and a real run
   where a tenth of the pages changed, beside the floor in the same run: warcio iterating the same
   WARC files and reading every payload (no extraction), and ``extract_article`` alone over the
   same pages in memory (no WARC, no SQLite).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archive.captures import CaptureWriter, Fetch, warc_root
from archive.db import open_archive, save_articles
from archive.reextract import reextract
from benchmarks.common import REPO, WORK, table, write_section
from scraper.extract import extract_article

sys.path.insert(0, str(REPO))  # tests.sitegen: the generated site of the test suite

from tests.sitegen import (  # noqa: E402
    article_html,
    article_url,
    crawl_args,
    run,
    site_server,
    write_site,
)

OUT = WORK / "captures"


def warc_bytes(db: Path) -> int:
    return sum(p.stat().st_size for p in warc_root(db).rglob("*.warc.gz"))


def captures_table_bytes(db: Path) -> int:
    """Bytes of the captures table and its indexes (dbstat), 0 when SQLite lacks dbstat."""
    with sqlite3.connect(db) as conn:
        try:
            return int(conn.execute(
                "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = 'captures' OR name LIKE 'idx_captures%'"
            ).fetchone()[0])
        except sqlite3.OperationalError:
            return 0


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {
            "articles": conn.execute("SELECT count(*) FROM articles").fetchone()[0],
            "responses": conn.execute("SELECT count(*) FROM captures WHERE record_type = 'response'").fetchone()[0],
            "revisits": conn.execute("SELECT count(*) FROM captures WHERE record_type = 'revisit'").fetchone()[0],
            "payload": conn.execute(
                "SELECT coalesce(sum(payload_length), 0) FROM captures WHERE record_type = 'response'"
            ).fetchone()[0],
        }


def disk_row(name: str, db: Path, before: int = 0, articles: int | None = None) -> list[Any]:
    c = counts(db)
    n = articles or c["articles"]
    size = warc_bytes(db) - before
    return [name, f"{n:,}", f"{c['responses']:,} / {c['revisits']:,}", f"{c['payload']:,}", f"{size:,}",
            f"{size / n:,.0f}", f"{captures_table_bytes(db) / n:,.0f}"]


def measure_disk() -> list[list[Any]]:
    rows = []
    demo_db = OUT / "demo" / "archive.db"
    demo_db.parent.mkdir(parents=True)
    done = subprocess.run([sys.executable, "-c", "from archive.cli import cli; cli()", "demo", "--db", str(demo_db),
                           "--no-serve"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    rows.append(disk_row("demo site (`warta demo`)", demo_db))

    site = OUT / "site300"
    routes, robots = write_site(site, 300)
    db = OUT / "gen" / "archive.db"
    db.parent.mkdir(parents=True)
    with site_server(routes, robots) as server:
        done = run(crawl_args(server, db))
        assert done.returncode == 0, done.stderr[-2000:]
        rows.append(disk_row("generated site, 300 articles, first crawl", db))
        first = warc_bytes(db)
        done = run(crawl_args(server, db, "--refresh"))
        assert done.returncode == 0, done.stderr[-2000:]
        rows.append(disk_row("same site re-crawled, nothing changed (`--refresh`): added", db, before=first))
    return rows


def build_captures(n: int) -> tuple[Path, list[tuple[str, bytes]]]:
    """An archive of n generated articles whose captures are written as a crawl writes them."""
    db_path = OUT / "reextract" / "archive.db"
    db_path.parent.mkdir(parents=True)
    db = open_archive(db_path)
    writer = CaptureWriter(db, warc_root(db_path), batch=200)
    pages = []
    batch = []
    for i in range(n):
        url = article_url(i) + "?page=all"
        body = article_html(i).encode("utf-8")
        pages.append((url, body))
        writer.write(Fetch(url=url, method="GET", request_headers=[("User-Agent", "warta")], status=200,
                           response_headers=[("Content-Type", "text/html; charset=utf-8")], body=body,
                           fetched=datetime.now(UTC)))
        article = extract_article(url, body)
        batch.append(article.to_dict())
        writer.article_scraped(url, article.canonical_url)
        if len(batch) == 200:
            save_articles(db, batch)
            batch = []
    save_articles(db, batch)
    writer.close()
    db.close()
    return db_path, pages


def measure_reextract(n: int) -> tuple[list[list[Any]], dict[str, Any]]:
    db_path, pages = build_captures(n)
    root = warc_root(db_path)
    files = sorted(root.rglob("*.warc.gz"))
    from warcio.archiveiterator import ArchiveIterator

    started = time.perf_counter()
    records = 0
    for path in files:
        with path.open("rb") as f:
            for record in ArchiveIterator(f):
                record.content_stream().read()
                records += 1
    bare = time.perf_counter() - started

    started = time.perf_counter()
    for url, body in pages:
        extract_article(url, body)
    extract_only = time.perf_counter() - started

    db = open_archive(db_path)
    dry = reextract(db, root, dry_run=True)
    # A tenth of the pages now read differently (as after a parser fix): rewrite those payloads'
    # articles in the archive to an older extraction so the real run has something to write.
    changed = list(range(0, n, 10))
    with db.conn:
        db.conn.executemany(
            "UPDATE articles SET body = body || '\n\nx', content_hash = 'stale' WHERE canonical_url = ?",
            [(article_url(i),) for i in changed],
        )
    real = reextract(db, root)
    db.close()
    assert real.changed == len(changed), real.as_dict()
    rows = [
        ["warcio: iterate the same WARC files, read every payload (floor)", f"{records:,} records",
         f"{bare:.2f}", f"{records / bare:,.0f} records/s ({n / bare:,.0f} articles/s)"],
        ["`extract_article` alone over the same pages in memory", f"{n:,} pages", f"{extract_only:.2f}",
         f"{n / extract_only:,.0f} pages/s"],
        ["`warta reextract --dry-run` (read capture, extract, compare)", f"{dry.articles:,} articles",
         f"{dry.seconds:.2f}", f"**{dry.articles / dry.seconds:,.0f} articles/s**"],
        [f"`warta reextract` writing {real.changed:,} new versions", f"{real.articles:,} articles",
         f"{real.seconds:.2f}", f"**{real.articles / real.seconds:,.0f} articles/s**"],
    ]
    return rows, {"n": n, "dry": dry.articles / dry.seconds, "real": real.articles / real.seconds,
                  "bare": records / bare}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reextract", type=int, default=3000, help="captures for the re-extraction rate")
    args = parser.parse_args()
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    disk = measure_disk()
    print(table(["crawl", "articles", "response / revisit records", "payload bytes", "WARC bytes",
                 "WARC bytes/article", "captures rows bytes/article"], disk))
    rate, figures = measure_reextract(args.reextract)
    print(table(["what", "size", "seconds", "rate"], rate))
    body = "\n".join([
        "## Captures",
        "",
        "`benchmarks/captures.py`: disk per article of the WARC captures (real `warta` crawls against 127.0.0.1),",
        "and the rate of `warta reextract` beside warcio's bare iteration of the same files in the same run.",
        "WARC bytes include every record of the crawl: warcinfo, robots.txt, sitemaps and index pages,",
        "each response with its request record, gzip per record (level 9, warcio's default).",
        "",
        table(["crawl", "articles", "response / revisit records", "payload bytes", "WARC bytes",
               "WARC bytes/article", "captures rows bytes/article"], disk),
        "",
        f"Re-extraction over {figures['n']:,} captures (generated Kompas pages, ~2 KB each):",
        "",
        table(["what", "size", "seconds", "rate"], rate),
    ])
    write_section("captures", body)


if __name__ == "__main__":
    main()
