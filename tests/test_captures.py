"""Captures (issue 10): every response of a real crawl kept as WARC records beside the archive,
unchanged payloads as revisits, crash safety under SIGKILL, the Datasette download, the WARC
export, and the schema steps (v5 captures, v6 version reasons) on an archive of the previous schema.

Real ``warta crawl`` subprocesses against a generated site on 127.0.0.1, real SQLite, real WARC
files read back with warcio.
"""

from __future__ import annotations

import io
import json
import signal
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from archive.captures import iter_warc, payload_digest, warc_root
from archive.cli import cli
from archive.db import MIGRATIONS, SCHEMA_VERSION, _split_sql, open_archive, schema_version
from scraper.extract import extract_article
from tests.httpserver import Fault
from tests.sitegen import (
    article_key,
    article_url,
    crawl_args,
    crawl_env,
    rows,
    run,
    site_server,
    wait_for,
    write_site,
)

N = 6
NOT_AN_ARTICLE = "https://www.kompas.com/tren/read/2024/11/14/199999999/halaman-kosong"
EMPTY_PAGE = "<!DOCTYPE html><html><head><title>Kosong</title></head><body><p>Tidak ada.</p></body></html>"


def records(db: Path) -> list[tuple]:
    """Every WARC record of the archive's files: (file, offset, type, URI, payload digest, raw payload)."""
    out = []
    for path in sorted(warc_root(db).rglob("*.warc.gz")):
        with path.open("rb") as f:
            it = ArchiveIterator(f)
            for record in it:
                payload = record.raw_stream.read()
                out.append((
                    str(path.relative_to(warc_root(db))), it.get_record_offset(), record.rec_type,
                    record.rec_headers.get_header("WARC-Target-URI"),
                    record.rec_headers.get_header("WARC-Payload-Digest"), payload,
                ))
    return out


def capture_rows(db: Path) -> list[dict]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("SELECT * FROM captures ORDER BY id")]


def assert_every_row_resolves(db: Path) -> None:
    """Each captures row points at a whole record on disk with its URL and digest."""
    root = warc_root(db)
    for row in capture_rows(db):
        with (root / row["file"]).open("rb") as f:
            f.seek(row["offset"])
            member = f.read(row["length"])
        assert len(member) == row["length"]
        record = next(iter(ArchiveIterator(io.BytesIO(member))))
        assert record.rec_type == row["record_type"]
        assert record.rec_headers.get_header("WARC-Target-URI") == row["url"]
        assert record.rec_headers.get_header("WARC-Payload-Digest") == row["payload_digest"]
        if row["record_type"] == "response":
            assert payload_digest(record.raw_stream.read()) == row["payload_digest"]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A crawl of N articles, a page that is not an article and a 404 with a body; then a refresh."""
    tmp = tmp_path_factory.mktemp("captures")
    routes, robots = write_site(tmp / "site", N, pages={NOT_AN_ARTICLE: EMPTY_PAGE})
    db = tmp / "archive.db"
    with site_server(routes, robots) as server:
        server.faults[article_key(N - 1)] = Fault(status=404)
        first = run(crawl_args(server, db))
        assert first.returncode in (0, 1), first.stderr[-2000:]
        second = run(crawl_args(server, db, "--refresh"))
        assert second.returncode in (0, 1), second.stderr[-2000:]
    return db, tmp / "site"


def test_a_crawl_keeps_every_response_as_warc_records_beside_the_archive(crawled: tuple[Path, Path]) -> None:
    db, site = crawled
    first_run = [r for r in capture_rows(db) if r["run_id"] == 1]
    urls = {r["url"] for r in first_run}
    # robots.txt, the sitemap, every article, the page that is not one, the 404 page with its body.
    assert {"https://www.kompas.com/robots.txt", "https://www.kompas.com/sitemap.xml"} <= urls
    assert {article_url(i) + "?page=all" for i in range(N)} <= urls
    assert NOT_AN_ARTICLE + "?page=all" in urls
    assert {r["status"] for r in first_run} >= {200, 404}
    assert all(r["record_type"] == "response" for r in first_run)
    # Layout: <stem>.warc/YYYY/MM/DD/*.warc.gz; each file opens with warcinfo; a response is
    # followed by its request; all WARC/1.1, one gzip member per record.
    assert all(len(Path(r["file"]).parts) == 4 and r["file"].endswith(".warc.gz") for r in first_run)
    found = records(db)
    by_file: dict[str, list[tuple]] = {}
    for rec in found:
        by_file.setdefault(rec[0], []).append(rec)
    for recs in by_file.values():
        assert recs[0][2] == "warcinfo"
        kinds = [r[2] for r in recs[1:]]
        assert kinds[1::2] == ["request"] * (len(kinds) // 2) and set(kinds[0::2]) <= {"response", "revisit"}
    assert_every_row_resolves(db)
    # The payload of an article is the file the server sent, and it becomes the same article.
    with sqlite3.connect(db) as conn:
        articles = {u: (i, t, b) for i, u, t, b in conn.execute("SELECT id, canonical_url, title, body FROM articles")}
    assert len(articles) == N - 1
    for row in first_run:
        if row["url"].endswith("?page=all") and row["status"] == 200 and row["url"] != NOT_AN_ARTICLE + "?page=all":
            canonical = row["url"].removesuffix("?page=all")
            i = int(canonical.split("/")[-1].rsplit("-", 1)[1])
            payload = next(r[5] for r in found if r[3] == row["url"] and r[2] == "response")
            assert payload == (site / f"article-{i}.html").read_bytes()
            assert row["article_id"] == articles[canonical][0]
            article = extract_article(row["url"], payload)
            assert (article.title, article.body) == articles[canonical][1:]
    assert all(r["article_id"] is None for r in first_run if "robots" in r["url"] or "sitemap" in r["url"])


def test_an_unchanged_recrawl_writes_revisits_not_another_copy(crawled: tuple[Path, Path]) -> None:
    db, _ = crawled
    first = {(r["url"], r["payload_digest"]): r["id"] for r in capture_rows(db) if r["run_id"] == 1}
    second = [r for r in capture_rows(db) if r["run_id"] == 2]
    assert second and all(r["record_type"] == "revisit" for r in second)
    assert all(r["revisit_of"] == first[(r["url"], r["payload_digest"])] for r in second)
    second_files = {r["file"] for r in second}
    responses = [rec for rec in records(db) if rec[0] in second_files and rec[2] == "response"]
    assert responses == []
    # Revisits still name the article.
    assert sum(1 for r in second if r["article_id"]) == N - 1


def test_no_captures_turns_them_off(tmp_path: Path) -> None:
    routes, robots = write_site(tmp_path / "site", 2)
    db = tmp_path / "archive.db"
    with site_server(routes, robots) as server:
        done = run(crawl_args(server, db, "--no-captures"))
    assert done.returncode == 0, done.stderr[-2000:]
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == 2
    assert rows(db, "SELECT count(*) FROM captures")[0][0] == 0
    assert not warc_root(db).exists()


def test_files_rotate_at_the_size_setting(tmp_path: Path) -> None:
    routes, robots = write_site(tmp_path / "site", 4)
    db = tmp_path / "archive.db"
    with site_server(routes, robots) as server:
        done = run(crawl_args(server, db, "--set", "WARTA_CAPTURES_MAX_BYTES=1500"))
    assert done.returncode == 0, done.stderr[-2000:]
    files = sorted(warc_root(db).rglob("*.warc.gz"))
    assert len(files) >= 3 and all(next(iter_warc(f)).rec_type == "warcinfo" for f in files)
    assert_every_row_resolves(db)


def test_kill_9_mid_crawl_leaves_readable_files_and_no_row_without_its_record(tmp_path: Path) -> None:
    n = 40
    routes, robots = write_site(tmp_path / "site", n)
    db = tmp_path / "archive.db"
    with site_server(routes, robots) as server:
        for i in range(n):
            server.faults[article_key(i)] = Fault(delay=0.1)
        proc = subprocess.Popen(
            crawl_args(server, db, "--set", "CONCURRENT_REQUESTS=2", "--set", "WARTA_CAPTURES_BATCH=2",
                       "--set", "WARTA_BATCH_SIZE=2"),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=crawl_env(),
        )
        try:
            def enough() -> bool:
                if proc.poll() is not None:  # ended before the kill: say why instead of waiting it out
                    raise AssertionError(f"crawl ended early ({proc.returncode}): {proc.communicate()[1][-2000:]!r}")
                try:
                    return rows(db, "SELECT count(*) FROM captures")[0][0] >= 8
                except sqlite3.OperationalError:
                    return False

            wait_for(enough, timeout=120)
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    kept = rows(db, "SELECT count(*) FROM captures")[0][0]
    assert 8 <= kept < n + 2
    # Every file reads with warcio to its last complete record (nothing after a whole record
    # is half-written: a record is one write()), and every row resolves to its record.
    for path in warc_root(db).rglob("*.warc.gz"):
        with path.open("rb") as f:
            assert sum(1 for _ in ArchiveIterator(f)) >= 1
    assert_every_row_resolves(db)
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]


def test_the_article_page_links_its_captures_and_the_download_is_the_page_as_served(
    crawled: tuple[Path, Path],
) -> None:
    import asyncio

    from archive.serve import make_datasette

    db, site = crawled
    article_id, capture_id, url = rows(
        db, "SELECT article_id, id, url FROM captures WHERE article_id IS NOT NULL AND record_type = 'response' "
        "ORDER BY id LIMIT 1"
    )[0]
    i = int(url.removesuffix("?page=all").split("-")[-1])

    async def fetch() -> tuple:
        ds = make_datasette(db)
        await ds.invoke_startup()
        page = await ds.client.get(f"/archive/articles/{article_id}")
        download = await ds.client.get(f"/-/warta/capture/{capture_id}")
        warc = await ds.client.get(f"/-/warta/capture/{capture_id}?format=warc")
        missing = await ds.client.get("/-/warta/capture/999999")
        return page, download, warc, missing

    page, download, warc, missing = asyncio.run(fetch())
    assert page.status_code == 200 and f"/-/warta/capture/{capture_id}" in page.text
    assert download.status_code == 200
    assert download.content == (site / f"article-{i}.html").read_bytes()
    assert download.headers["content-type"].startswith("text/html")
    assert download.headers["content-disposition"] == f'attachment; filename="capture-{capture_id}.html"'
    assert download.headers["x-content-type-options"] == "nosniff"
    assert warc.headers["content-type"] == "application/warc"
    assert [r.rec_type for r in ArchiveIterator(io.BytesIO(warc.content))] == ["response", "request"]
    assert missing.status_code == 404


def test_export_warc_holds_the_captures_of_the_selected_articles_and_they_extract_to_the_same_articles(
    crawled: tuple[Path, Path], tmp_path: Path
) -> None:
    db, _ = crawled
    out = tmp_path / "export.warc.gz"
    done = CliRunner().invoke(cli, ["export", "--db", str(db), "--format", "warc", "-o", str(out)])
    assert done.exit_code == 0, done.output
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        archived = {r["canonical_url"]: dict(r) for r in conn.execute("SELECT * FROM articles")}
    with out.open("rb") as f:
        recs = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.http_headers, r.content_stream().read())
                for r in ArchiveIterator(f)]
    assert recs[0][0] == "warcinfo"
    assert [r[0] for r in recs[1:]] == ["response", "request"] * len(archived)
    seen = set()
    for kind, url, _http, payload in recs[1:]:
        if kind != "response":
            continue
        article = extract_article(url, payload).to_dict()
        stored = archived[article["canonical_url"]]
        seen.add(article["canonical_url"])
        for name in ("title", "body", "published", "site", "word_count"):
            assert article[name] == stored[name], name
        assert json.dumps(article["authors"], ensure_ascii=False) == stored["authors"]
    assert seen == set(archived)
    # Filters select: one site that has nothing -> only the warcinfo record.
    empty = tmp_path / "empty.warc.gz"
    done = CliRunner().invoke(cli, ["export", "--db", str(db), "--format", "warc", "--site", "detik", "-o", str(empty)])
    assert done.exit_code == 0, done.output
    assert [r.rec_type for r in iter_warc(empty)] == ["warcinfo"]


def test_a_version_4_archive_gets_captures_and_version_reasons(tmp_path: Path) -> None:
    path = tmp_path / "v4.db"
    conn = sqlite3.connect(path)
    for migration in MIGRATIONS[:4]:
        for statement in _split_sql(migration):
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 4")
    # As the v4 Warta left an edited article: version 2 in articles, version 1 in versions.
    for i, version in ((1, 1), (2, 2)):
        conn.execute(
            "INSERT INTO articles (id, canonical_url, site, title, body, content_hash, body_hash, version, "
            "first_seen, last_seen, changed_at) VALUES (?, ?, 'kompas', 't', 'b', 'h', 'bh', ?, 'x', 'x', 'x')",
            (i, article_url(i), version),
        )
    conn.execute(
        "INSERT INTO versions (article_id, version, title, body, content_hash, replaced_at, parser) "
        "VALUES (2, 1, 't0', 'b0', 'h0', 'x', 'kompas/2018')"
    )
    conn.commit()
    conn.close()
    db = open_archive(path)
    assert schema_version(db) == SCHEMA_VERSION >= 6
    assert "captures" in db.table_names()
    assert db.execute("SELECT id, version_reason FROM articles ORDER BY id").fetchall() == [
        (1, "new"), (2, "publisher_edit")
    ]
    assert db.execute("SELECT reason, parser FROM versions").fetchall() == [("new", "kompas/2018")]


def test_two_writers_of_one_process_never_share_a_file(tmp_path: Path) -> None:
    """Several spiders of one run (one writer each, one pid, the same second) write their own files."""
    from archive.captures import WarcFiles

    now = datetime.now(UTC)
    a, b = WarcFiles(tmp_path), WarcFiles(tmp_path)
    file_a, _ = a.append([b"x"], now)
    file_b, _ = b.append([b"y"], now)
    a.close()
    b.close()
    assert file_a != file_b and len(list(tmp_path.rglob("*.warc.gz"))) == 2
