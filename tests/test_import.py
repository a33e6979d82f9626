"""warta import: WARC files built here from saved pages, damage cases, JSON Lines, re-imports."""

from __future__ import annotations

import gzip
import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import cli
from archive.db import open_archive
from archive.imports import Importer
from tests.conftest import KOMPAS_FIXTURES
from tests.warcgen import Page, not_http_record, other_records, saved_pages, write_warc

ARTICLES = 25  # saved_pages(): the usable articles with a known URL (one Kompas index page is not one)


def article_pages() -> list[Page]:
    return [p for p in saved_pages() if "indeks" not in p.url]


def _dump(db_path: Path) -> list[str]:
    conn = sqlite3.connect(db_path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _import(db_path: Path, *args: str, stdin: bytes | None = None) -> tuple[int, dict, str]:
    result = CliRunner().invoke(cli, ["import", "--db", str(db_path), "--json", *args], input=stdin)
    out = result.stdout.strip().splitlines()
    return result.exit_code, json.loads(out[-1]) if out and out[-1].startswith("{") else {}, result.stderr


@pytest.fixture
def warc(tmp_path: Path) -> Path:
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, [*saved_pages(), *other_records()])
    return path


def test_import_counts_and_fetch_time(tmp_path: Path, warc: Path) -> None:
    db_path = tmp_path / "a.db"
    code, counts, _ = _import(db_path, str(warc))
    assert code == 0
    # warcinfo + a request and a response per page.
    pages = len(saved_pages()) + len(other_records())
    assert counts["records"] == 1 + 2 * pages
    assert counts["responses"] == pages
    assert counts["articles"] == {"new": ARTICLES, "updated": 0, "unchanged": 0, "same_body": 0}
    assert counts["skipped"] == {"http_status": 2, "not_article_page": 1, "not_html": 2, "other_host": 1}
    assert counts["damage"] == []
    db = open_archive(db_path)
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == ARTICLES
    # WARC-Date is the fetch time; the articles went through story grouping (fingerprinted).
    assert db.execute("SELECT DISTINCT first_seen, last_seen FROM articles").fetchall() == [
        ("2024-11-14T03:00:00+00:00", "2024-11-14T03:00:00+00:00")
    ]
    assert db.execute("SELECT count(*) FROM fingerprints").fetchone()[0] == ARTICLES
    sites = {r[0] for r in db.execute("SELECT DISTINCT site FROM articles")}
    assert {"kompas", "detik", "antaranews", "mediaindonesia"} <= sites


def test_all_hosts_sends_other_hosts_to_the_generic_parser(tmp_path: Path, warc: Path) -> None:
    code, counts, _ = _import(tmp_path / "a.db", "--all-hosts", str(warc))
    assert code == 0 and "other_host" not in counts["skipped"]
    db = open_archive(tmp_path / "a.db")
    assert db.execute("SELECT site FROM articles WHERE canonical_url LIKE '%example.org%'").fetchall() == [
        ("blog.example.org",)
    ]


def test_importing_twice_writes_nothing(tmp_path: Path, warc: Path) -> None:
    db_path = tmp_path / "a.db"
    assert _import(db_path, str(warc))[0] == 0
    before = _dump(db_path)
    code, counts, _ = _import(db_path, str(warc))
    assert code == 0
    assert counts["articles"] == {"new": 0, "updated": 0, "unchanged": ARTICLES, "same_body": 0}
    assert _dump(db_path) == before


def test_an_older_capture_widens_first_seen_only(tmp_path: Path) -> None:
    page = article_pages()[0]
    late, early = tmp_path / "late.warc", tmp_path / "early.warc"
    write_warc(late, [Page(page.url, page.body, date="2024-11-20T00:00:00Z")], gz=False)
    write_warc(early, [Page(page.url, page.body, date="2024-11-14T00:00:00Z")], gz=False)
    db_path = tmp_path / "a.db"
    assert _import(db_path, str(late))[0] == 0
    assert _import(db_path, str(early))[1]["articles"]["unchanged"] == 1
    db = open_archive(db_path)
    assert db.execute("SELECT first_seen, last_seen, version FROM articles").fetchall() == [
        ("2024-11-14T00:00:00+00:00", "2024-11-20T00:00:00+00:00", 1)
    ]


@pytest.mark.parametrize("gz", [True, False], ids=["gzip", "plain"])
def test_truncated_last_record(tmp_path: Path, gz: bool) -> None:
    pages = article_pages()[:4]
    path = tmp_path / ("t.warc.gz" if gz else "t.warc")
    offsets = write_warc(path, pages, gz=gz)
    data = path.read_bytes()
    cut = offsets[-1] + (len(data) - offsets[-1]) // 2  # the last gzip member / record cut in half
    path.write_bytes(data[:cut])
    db_path = tmp_path / "a.db"
    code, counts, err = _import(db_path, str(path))
    assert code == 1
    assert counts["articles"]["new"] == 3  # what was read is kept
    assert [d["offset"] for d in counts["damage"]] == [offsets[-1]]
    assert "cut short" in counts["damage"][0]["message"] or "incomplete record" in counts["damage"][0]["message"]
    assert f"damaged at offset {offsets[-1]}" in err
    assert open_archive(db_path).execute("SELECT count(*) FROM articles").fetchone()[0] == 3


def test_record_headers_cut(tmp_path: Path) -> None:
    pages = article_pages()[:3]
    path = tmp_path / "t.warc"
    offsets = write_warc(path, pages, gz=False)
    path.write_bytes(path.read_bytes()[: offsets[-1] + 40])
    code, counts, err = _import(tmp_path / "a.db", str(path))
    assert code == 1 and counts["articles"]["new"] == 2
    assert [d["offset"] for d in counts["damage"]] == [offsets[-1]]


def test_non_http_record_and_non_html_payloads(tmp_path: Path) -> None:
    pages = article_pages()[:3]
    path = tmp_path / "t.warc.gz"
    offsets = write_warc(path, pages[:2])
    bad_at = path.stat().st_size
    with open(path, "ab") as out:
        out.write(not_http_record())
    tail = tmp_path / "tail.warc.gz"
    write_warc(tail, [
        pages[2],
        # Declared HTML, but an image; and a PDF served as such.
        Page("https://www.kompas.com/tren/read/2024/11/14/777/gambar", b"\x89PNG\r\n\x1a\n" + bytes(200)),
        Page("https://www.kompas.com/dokumen.pdf", b"%PDF-1.4 " + bytes(100), "application/pdf"),
        Page("https://www.kompas.com/catatan", b"<p>catatan</p>", "text/html", rec_type="resource"),
    ], requests=False)
    with open(path, "ab") as out:
        out.write(tail.read_bytes())
    code, counts, err = _import(tmp_path / "a.db", str(path))
    assert code == 1
    assert counts["damage"] == [
        {"file": str(path), "offset": bad_at, "message": "response record is not an HTTP response"}
    ]
    # Read past it: the record's framing was intact.
    assert counts["articles"]["new"] == 3
    assert counts["skipped"] == {"damaged": 1, "not_html": 2}
    assert offsets  # built


def test_garbage_after_records_and_a_file_that_is_no_warc(tmp_path: Path) -> None:
    path = tmp_path / "t.warc.gz"
    write_warc(path, article_pages()[:2])
    end = path.stat().st_size
    with open(path, "ab") as out:
        out.write(gzip.compress(b"GARBAGE, not a record\r\n" * 10))
    code, counts, _ = _import(tmp_path / "a.db", str(path))
    assert code == 1 and counts["articles"]["new"] == 2
    assert counts["damage"][0]["offset"] == end
    junk = tmp_path / "junk.warc"
    junk.write_bytes(b"hello world\n" * 5)
    code, counts, err = _import(tmp_path / "b.db", str(junk))
    assert code == 1 and counts["damage"][0]["offset"] == 0 and "damaged at offset 0" in err


def test_arc_file(tmp_path: Path) -> None:
    page = article_pages()[0]
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + page.body
    version = b"1 0 Test\nURL IP-address Archive-date Content-type Archive-length\n\n"
    header = f"filedesc://t.arc 0.0.0.0 20241114030000 text/plain {len(version)}\n".encode() + version
    body = f"{page.url} 1.2.3.4 20241114030000 text/html {len(http)}\n".encode() + http + b"\n"
    path = tmp_path / "t.arc.gz"
    path.write_bytes(gzip.compress(header) + gzip.compress(body))
    code, counts, err = _import(tmp_path / "a.db", str(path))
    assert code == 0, err
    assert counts["articles"]["new"] == 1
    db = open_archive(tmp_path / "a.db")
    assert db.execute("SELECT first_seen FROM articles").fetchone()[0] == "2024-11-14T03:00:00+00:00"


def test_json_lines_round_trip(tmp_path: Path) -> None:
    files = [str(KOMPAS_FIXTURES / n) for n in ("seed-article.html", "updated-article.html", "indeks.html")]
    warta = str(Path(sys.executable).with_name("warta"))
    extracted = subprocess.run([warta, "extract", *files], capture_output=True, check=True, timeout=60).stdout
    lines = [json.loads(line) for line in extracted.splitlines()]
    db_path = tmp_path / "a.db"
    code, counts, _ = _import(db_path, "-", stdin=extracted)
    assert code == 0
    assert counts["records"] == 3 and counts["skipped"] == {"not_article_page": 1}
    db = open_archive(db_path)
    stored = {r["canonical_url"]: r for r in db.query("SELECT * FROM articles")}
    for line in lines:
        if "skipped" in line:
            continue
        row = stored[line["canonical_url"]]
        assert row["title"] == line["title"] and row["body"] == line["body"]
        assert json.loads(row["authors"]) == line["authors"]
    before = _dump(db_path)
    code, counts, _ = _import(db_path, "-", stdin=extracted)
    assert code == 0 and counts["articles"]["new"] == 0 and _dump(db_path) == before
    # Gzipped JSON Lines are recognised too, and a line that is not JSON is damage at its offset.
    path = tmp_path / "x.jsonl.gz"
    path.write_bytes(gzip.compress(extracted + b"{not json\n"))
    code, counts, _ = _import(tmp_path / "b.db", str(path))
    assert code == 1 and counts["damage"][0]["offset"] == len(extracted)


def test_the_shell_pipe(tmp_path: Path) -> None:
    warta = Path(sys.executable).with_name("warta")
    db = tmp_path / "a.db"
    out = subprocess.run(
        f"{warta} extract {KOMPAS_FIXTURES}/seed-article.html | {warta} import --db {db} -",
        shell=True, capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "articles: 1 new" in out.stdout


def test_usage_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["import", "--db", str(tmp_path / "a.db"), str(tmp_path / "missing.warc")])
    assert result.exit_code == 2 and "no such file" in result.stderr
    result = runner.invoke(cli, ["import", "--db", str(tmp_path / "a.db"), "--cc-news"])
    assert result.exit_code == 2 and "--since" in result.stderr
    assert "Example" in runner.invoke(cli, ["import", "--help"]).stdout


def test_importer_batches_commit_what_was_read(tmp_path: Path) -> None:
    # Batches of 2: a damaged file's earlier batches are committed, and the last partial batch too.
    pages = article_pages()[:5]
    path = tmp_path / "t.warc.gz"
    offsets = write_warc(path, pages)
    path.write_bytes(path.read_bytes()[: offsets[-1] + 10])
    db = open_archive(tmp_path / "a.db")
    stats = Importer(db, batch_size=2).import_stream(io.BytesIO(path.read_bytes()), "t")
    assert stats.new == 4 and stats.damage[0].offset == offsets[-1]
    assert not db.conn.in_transaction
    assert sqlite3.connect(tmp_path / "a.db").execute("SELECT count(*) FROM articles").fetchone()[0] == 4
