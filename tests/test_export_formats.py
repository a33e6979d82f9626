"""``warta export --format jsonl`` and ``--format parquet`` (issue 13 §4): the same rows, filters and
order as the CSV export, lists as arrays, streamed in bounded memory."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from archive.db import open_archive, save_articles
from archive.export import DEFAULT_COLUMNS, ExportError, export_csv, export_jsonl, export_parquet
from tests.archive_factory import make_article
from tests.test_export import TRICKY_BODY, run_cli


@pytest.fixture
def archive_db(tmp_path: Path) -> Path:
    path = tmp_path / "archive.db"
    db = open_archive(path)
    articles = [make_article(n) for n in range(45)]
    articles[0] = make_article(0, site="kompas", body=TRICKY_BODY, authors=["Ade Miranti", "Irawan Sapto"])
    articles[0]["related"] = [{"url": "https://www.kompas.com/a", "title": "Satu; dua"}]
    articles[4] = make_article(4, published=None)
    save_articles(db, articles)
    db.close()
    return path


def _csv_ids(path: Path, **options) -> list[str]:
    out = io.StringIO(newline="")
    export_csv(open_archive(path), out, **options)
    return [r["id"] for r in csv.DictReader(io.StringIO(out.getvalue(), newline=""))]


def test_jsonl_has_every_csv_row_in_the_same_order_with_arrays(archive_db: Path) -> None:
    out = io.StringIO()
    count = export_jsonl(open_archive(archive_db), out, columns=[*DEFAULT_COLUMNS, "related_titles"])
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert count == len(records) == 45
    assert [str(r["id"]) for r in records] == _csv_ids(archive_db)
    first = next(r for r in records if r["body"] == TRICKY_BODY)
    assert first["authors"] == ["Ade Miranti", "Irawan Sapto"] and isinstance(first["tags"], list)
    assert first["related_urls"] == ["https://www.kompas.com/a"] and first["related_titles"] == ["Satu; dua"]
    assert set(first) == set(DEFAULT_COLUMNS) | {"related_titles"} and first["incomplete"] == 0
    kompas = io.StringIO()
    export_jsonl(open_archive(archive_db), kompas, site="kompas", search="kafé")
    assert [json.loads(x)["body"] for x in kompas.getvalue().splitlines()] == [TRICKY_BODY]


def test_parquet_round_trip(archive_db: Path, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="needs pyarrow (pip install 'warta[parquet]')")
    target = tmp_path / "a.parquet"
    import archive.export as export

    export.PARQUET_ROWS, saved = 10, export.PARQUET_ROWS  # several row groups
    try:
        count = export_parquet(open_archive(archive_db), str(target))
    finally:
        export.PARQUET_ROWS = saved
    table = pq.read_table(target)
    assert count == table.num_rows == 45 and pq.ParquetFile(target).num_row_groups == 5
    rows = table.to_pylist()
    assert [str(r["id"]) for r in rows] == _csv_ids(archive_db)
    first = next(r for r in rows if r["body"] == TRICKY_BODY)
    assert first["authors"] == ["Ade Miranti", "Irawan Sapto"] and first["related_urls"] == ["https://www.kompas.com/a"]
    assert str(table.schema.field("word_count").type) == "int64"
    empty = tmp_path / "none.parquet"
    assert export_parquet(open_archive(archive_db), str(empty), search="tidakadakatainisamasekali") == 0
    assert pq.read_table(empty).num_rows == 0


def test_formats_through_warta_export(archive_db: Path, tmp_path: Path) -> None:
    proc = run_cli("export", "--db", str(archive_db), "--format", "jsonl", "--site", "kompas", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.decode().splitlines()) == 15
    proc = run_cli("export", "--db", str(archive_db), "--format", "jsonl", "--excel", cwd=tmp_path)
    assert proc.returncode == 2 and b"--excel is for CSV" in proc.stderr and b"Traceback" not in proc.stderr
    proc = run_cli("export", "--db", str(archive_db), "--format", "parquet", cwd=tmp_path)
    assert proc.returncode == 2 and b"give -o FILE.parquet" in proc.stderr


def test_parquet_through_warta_export(archive_db: Path, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="needs pyarrow (pip install 'warta[parquet]')")
    target = tmp_path / "out.parquet"
    proc = run_cli("export", "--db", str(archive_db), "--format", "parquet", "-o", str(target), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert pq.read_table(target).num_rows == 45 and not (tmp_path / "out.parquet.part").exists()


def test_parquet_without_pyarrow_is_a_one_line_error(archive_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real = builtins.__import__

    def no_pyarrow(name: str, *args, **kwargs):
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(ExportError, match="needs pyarrow"):
        export_parquet(open_archive(archive_db), "x.parquet")


def test_fast_csv_lines_are_what_the_csv_module_writes(tmp_path: Path) -> None:
    # export_csv quotes cells itself (archive.export._CsvPlan); the csv module is the reference.
    from archive.export import _CsvPlan

    values = ["", "a", "a,b", 'say "hi"', "line\nbreak", "cr\rhere", " lead", "trail ", "'quote", "semi;colon",
              "kafé São Paulo", "0", "12345", '",\n"', "\t", "=1+1", "\r\n"]
    for excel in (False, True):
        ending = "\r\n" if excel else "\n"
        for binary in (True, False):
            plan = _CsvPlan(["title", "body", "id"], "", excel, binary)
            for a_value in values:
                for b_value in values:
                    row = [a_value, b_value, "7"]
                    reference = io.StringIO(newline="")
                    csv.writer(reference, lineterminator=ending).writerow(row)
                    cells = [v.encode() for v in row] if binary else row
                    line = plan.k.comma.join(plan._quoted(cells)) + plan.ending
                    assert (line.decode() if binary else line) == reference.getvalue(), (row, excel, binary)
    path = tmp_path / "t.db"
    db = open_archive(path)
    records = [make_article(n) for n in range(30)]
    records[3] = make_article(3, body=TRICKY_BODY + '\r\n\r\nBaris "CRLF", akhir.', title='Judul, dengan "kutip"',
                              authors=["A, B", 'C "D"'], tags=[])
    save_articles(db, records)
    fast = io.StringIO(newline="")
    export_csv(db, fast, columns=[*DEFAULT_COLUMNS, "related_titles", "aliases"])
    rows = list(csv.reader(io.StringIO(fast.getvalue(), newline="")))
    names = rows[0]
    tricky = next(r for r in rows if r[names.index("id")] == "4")
    assert tricky[names.index("authors")] == 'A, B; C "D"' and tricky[names.index("tags")] == ""
    assert tricky[names.index("title")] == 'Judul, dengan "kutip"' and "\r\n" in tricky[names.index("body")]
