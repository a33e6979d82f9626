"""The fast exports write exactly what the straightforward ones did (issue 13 §4).

export_csv builds its lines from cells SQLite reads as bytes, joins the JSON lists itself and
quotes a column at a time; the reference here is the plain way: today's cells (_LIST_SQL,
_COMPUTED) through csv.writer, neutralise_cell for --excel. Awkward values are written past
save_articles (which cleans text), so the export is checked on whatever an archive may hold.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import archive.export as export
from archive.db import open_archive, save_articles
from archive.export import _COMPUTED, _LIST_SQL, DEFAULT_COLUMNS, EXPORT_COLUMNS, export_csv
from archive.safety import neutralise_cell
from tests.archive_factory import make_article

#: Text cells a CSV writer or reader trips over, one per article.
AWKWARD_TEXT = [
    'kata dia, "tidak"',
    '"',
    '""',
    ",",
    "baris\nbaru",
    "cr\rsaja",
    "crlf\r\nakhir",
    "kafé São Paulo — “kutip” ‘tunggal’ 日本",
    "",
    " spasi ",
    "nul\x00di tengah",
    "us\x1fdan\x1ers",
    "=1+1",
    "+62 812",
    "-5",
    "@budi",
    "\tTAB",
    "\r=2+2",
    "tab\tdi tengah",
    "'apostrof",
    "titik; koma",
    "\\garis miring\\",
    "emoji 😀",
    "\u2028pemisah baris\u2029",
]

TEXT_COLUMNS = ["title", "description", "section", "dateline", "lead_image", "language", "url", "body", "modified",
                "first_seen"]

#: Values of a list column (authors, editors, tags), as stored.
AWKWARD_LISTS = [
    json.dumps(["Ade Miranti", "Irawan Sapto"], ensure_ascii=False),
    json.dumps(["A, B", 'C "D"'], ensure_ascii=False),
    json.dumps(["kafé", "São Paulo"], ensure_ascii=False),
    json.dumps(["kafé", "São Paulo"]),  # \u escapes
    json.dumps(["baris\nbaru"]),
    json.dumps([""]),
    json.dumps(["", ""]),
    json.dumps([", "]),
    json.dumps(["[", "]"]),
    json.dumps(['"]']),
    "[]",
    '["a","b"]',
    '[ "a" ]',
    "[1, 2.5, true, false, null]",
    '["a", 1]',
    '[["x", "y"], {"k": "v"}]',
    "[1e400]",
    '"satu string"',
    "5",
    "2.5",
    "1e20",
    "true",
    "null",
    "{}",
    "bukan json",
    '["tidak ditutup"',
    '["]',
    '[", ""x"]',
    "",
    '["\\u0000"]',
    '["=1+1", "@x"]',
    '["us\\u001f"]',
    json.dumps(["garis\\miring"]),
]


def _reference(db_path: Path, columns: list[str], excel: bool, **filters: Any) -> bytes:
    """What the export wrote before: today's cells, csv.writer, neutralise_cell."""
    conn = sqlite3.connect(db_path)
    where, params = export._filters(filters.get("site"), filters.get("since"), filters.get("until"),
                                    filters.get("search"))
    select = ", ".join({**_COMPUTED, **_LIST_SQL}.get(n, f"[{n}]") for n in columns)
    rows = conn.execute(f"SELECT {select} FROM articles{where} ORDER BY published, id", params).fetchall()
    conn.close()
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n" if excel else "\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise_cell(c) for c in row] if excel else row)
    return (("\ufeff" if excel else "") + out.getvalue()).encode("utf-8")


def _reference_jsonl(db_path: Path, columns: list[str], **filters: Any) -> bytes:
    """What JSON Lines were before: a dict per row, lists through json.loads, the encoder."""
    conn = sqlite3.connect(db_path)
    where, params = export._filters(filters.get("site"), filters.get("since"), filters.get("until"),
                                    filters.get("search"))
    select = ", ".join(export._COMPUTED_JSON.get(n, f"[{n}]") for n in columns)
    rows = conn.execute(f"SELECT {select} FROM articles{where} ORDER BY published, id", params).fetchall()
    conn.close()
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    lines = []
    for row in rows:
        record = dict(zip(columns, row, strict=True))
        for name in columns:
            if name in ("authors", "editors", "tags") or name in export._COMPUTED_JSON:
                value = record[name]
                if not value:
                    record[name] = []
                else:
                    try:
                        items = json.loads(value)
                    except ValueError:
                        items = [value]
                    record[name] = items if isinstance(items, list) else [items]
        lines.append(dumps(record) + "\n")
    return "".join(lines).encode("utf-8")


def _export(db_path: Path, binary: bool, fmt: str = "csv", **options: Any) -> bytes:
    db = open_archive(db_path)
    write = export_csv if fmt == "csv" else export.export_jsonl
    try:
        if binary:
            raw = io.BytesIO()
            write(db, raw, **options)
            return raw.getvalue()
        text = io.StringIO(newline="")
        write(db, text, **options)
        return text.getvalue().encode("utf-8")
    finally:
        db.close()


@pytest.fixture(scope="module")
def awkward_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("exact") / "archive.db"
    db = open_archive(path)
    count = max(len(AWKWARD_TEXT), len(AWKWARD_LISTS)) + 40
    articles = [make_article(n) for n in range(count)]
    articles[3]["related"] = [{"url": "https://www.kompas.com/a,b", "title": 'Satu; "dua"'},
                              {"url": "https://www.kompas.com/c", "title": None}]
    articles[50]["related"] = [{"url": "https://www.kompas.com/é?q=\"x\"", "title": "Kafé, São Paulo"},
                               {"url": "https://www.kompas.com/b", "title": None},
                               {"url": "https://www.kompas.com/c\\d", "title": "baris\nbaru"}]
    save_articles(db, articles)
    conn = db.conn
    ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
    with conn:
        for k, article_id in enumerate(ids):
            if k < len(AWKWARD_TEXT):
                value = AWKWARD_TEXT[k]
                column = TEXT_COLUMNS[k % len(TEXT_COLUMNS)]
                conn.execute(f"UPDATE articles SET [{column}] = ?, description = ? WHERE id = ?",
                             [value, AWKWARD_TEXT[-1 - k], article_id])
            if k < len(AWKWARD_LISTS):
                lists = ("authors", "editors", "tags")
                conn.execute(f"UPDATE articles SET [{lists[k % 3]}] = ? WHERE id = ?", [AWKWARD_LISTS[k], article_id])
        # Values Warta never writes: NULLs in NOT NULL-free columns, numbers and blobs in text columns.
        conn.execute("UPDATE articles SET description = NULL, section = NULL, modified = NULL WHERE id = ?",
                     [ids[-1]])
        conn.execute("UPDATE articles SET word_count = 12.5 WHERE id = ?", [ids[-2]])
        conn.execute("UPDATE articles SET word_count = 0.30000000000000004, version = 1e-05 WHERE id = ?",
                     [ids[-3]])
        conn.execute("UPDATE articles SET word_count = '=1+1', incomplete = '-x' WHERE id = ?", [ids[-5]])
        conn.execute("UPDATE articles SET word_count = -3 WHERE id = ?", [ids[-6]])
    db.close()
    return path


@pytest.fixture(scope="module")
def blob_db(awkward_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The awkward archive with BLOBs in text columns (JSON cannot hold them: JSON Lines refuses)."""
    path = tmp_path_factory.mktemp("blob") / "archive.db"
    source = sqlite3.connect(awkward_db)
    target = sqlite3.connect(path)
    source.backup(target)
    source.close()
    ids = [r[0] for r in target.execute("SELECT id FROM articles ORDER BY id")]
    with target:
        target.execute("UPDATE articles SET dateline = x'00ff41' WHERE id = ?", [ids[-4]])
        target.execute("UPDATE articles SET title = x'c3a9' WHERE id = ?", [ids[-7]])
    target.close()
    return path


@pytest.mark.parametrize("excel", [False, True], ids=["plain", "excel"])
@pytest.mark.parametrize("binary", [True, False], ids=["bytes", "text"])
@pytest.mark.parametrize("chunk", [25, 1, 7], ids=lambda c: f"chunk{c}")
def test_csv_is_what_csv_writer_writes(blob_db: Path, excel: bool, binary: bool, chunk: int,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export, "CSV_CHUNK", chunk)  # odd rows alone in a chunk, and among others
    columns = [*DEFAULT_COLUMNS, "related_titles", "aliases", "parser", "day"]
    assert _export(blob_db, binary, columns=columns, excel=excel) == _reference(blob_db, columns, excel)


@pytest.mark.parametrize("excel", [False, True], ids=["plain", "excel"])
def test_every_column_alone_and_in_pairs(awkward_db: Path, excel: bool) -> None:
    # One column: csv.writer writes an empty cell as "" (a line must not be empty).
    for name in EXPORT_COLUMNS:
        assert _export(awkward_db, True, columns=[name], excel=excel) == _reference(awkward_db, [name], excel), name
    for pair in (["body", "title"], ["authors", "id"], ["description", "word_count"], ["tags", "body"]):
        assert _export(awkward_db, True, columns=pair, excel=excel) == _reference(awkward_db, pair, excel), pair


def test_filters_give_the_same_rows(awkward_db: Path) -> None:
    for filters in ({"site": "kompas"}, {"since": "2024-03-01"}, {"until": "2024-02-10"}, {"search": "sungai"}):
        assert _export(awkward_db, True, **filters) == _reference(awkward_db, list(DEFAULT_COLUMNS), False, **filters)


def test_a_wrong_quote_a_missed_join_or_mangled_text_would_show(awkward_db: Path) -> None:
    # The reference itself is checked here, on cells whose spelling is known.
    data = _export(awkward_db, True, columns=["id", "title", "authors", "editors", "tags"])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    lists = {cell for r in rows[1:] for cell in r[2:]}
    assert {"Ade Miranti; Irawan Sapto", 'A, B; C "D"', "kafé; São Paulo", "1; 2.5; 1; 0"} <= lists
    assert b'"A, B; C ""D"""' in data  # a quote doubled, the cell quoted
    data = _export(awkward_db, True, columns=["id", *TEXT_COLUMNS])
    cells = {cell for r in csv.reader(io.StringIO(data.decode("utf-8"), newline="")) for cell in r}
    assert {"kafé São Paulo — “kutip” ‘tunggal’ 日本", "crlf\r\nakhir", 'kata dia, "tidak"', '"'} <= cells
    assert "kafé São Paulo — “kutip” ‘tunggal’ 日本".encode() in data  # UTF-8 as is, unescaped
    assert b'"crlf\r\nakhir"' in data and b',"""",' in data


@pytest.mark.parametrize("cells", [[v] for v in AWKWARD_LISTS] + [AWKWARD_LISTS])
def test_list_joiner_agrees_with_sqlite(cells: list[str]) -> None:
    conn = sqlite3.connect(":memory:")
    sql = f"SELECT {_LIST_SQL['tags'].replace('[tags]', '?1')}"
    expected = [conn.execute(sql, [c]).fetchone()[0] for c in cells]
    for binary in (True, False):
        joiner = export._ListJoiner("tags", binary)
        given = [c.encode() for c in cells] if binary else cells
        joined = joiner.join(given)
        if joined is not None:  # the fast path: only for cells it is sure of
            assert [j.decode() if binary else j for j in joined] == [e or "" for e in expected]
        db = open_archive(":memory:")
        for cell, want in zip(given, expected, strict=True):
            got = joiner.one(db, cell)
            if isinstance(want, str | None):
                assert (got.decode() if binary else got) == (want or ""), cell
            else:  # a JSON number: the row goes to csv.writer
                assert got is None, cell


@pytest.mark.parametrize("binary", [True, False], ids=["bytes", "text"])
@pytest.mark.parametrize("chunk", [25, 1, 7], ids=lambda c: f"chunk{c}")
def test_jsonl_is_what_the_json_encoder_writes(awkward_db: Path, binary: bool, chunk: int,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export, "CSV_CHUNK", chunk)
    for columns in ([*DEFAULT_COLUMNS, "related_titles", "aliases", "parser", "day"], ["body"], ["tags"],
                    ["authors", "editors"], ["id", "id", "title"], list(EXPORT_COLUMNS)):
        assert _export(awkward_db, binary, "jsonl", columns=columns) == _reference_jsonl(
            awkward_db, list(dict.fromkeys(columns))), columns
    for filters in ({"site": "kompas"}, {"since": "2024-03-01"}, {"search": "sungai"}):
        assert _export(awkward_db, binary, "jsonl", **filters) == _reference_jsonl(
            awkward_db, list(DEFAULT_COLUMNS), **filters)


def test_jsonl_escapes_as_python_does(tmp_path: Path) -> None:
    # Every control character, the two JSON escapes and text around them, in a text and a list cell.
    path = tmp_path / "archive.db"
    db = open_archive(path)
    save_articles(db, [make_article(1), make_article(2)])
    every = "".join(chr(c) for c in range(32)) + '"\\/\x7f\u2028é😀' + "\ud7ff"
    with db.conn:
        db.conn.execute("UPDATE articles SET body = ?, tags = ? WHERE id = 1", [every, json.dumps([every])])
    db.close()
    data = _export(path, True, "jsonl", columns=["id", "body", "tags"])
    assert data == _reference_jsonl(path, ["id", "body", "tags"])
    assert json.loads(data.splitlines()[0])["body"] == every


def test_blobs_are_refused_by_jsonl_as_before(blob_db: Path) -> None:
    with pytest.raises(TypeError, match="bytes is not JSON serializable"):
        _reference_jsonl(blob_db, ["id", "title"])
    with pytest.raises(TypeError, match="bytes is not JSON serializable"):
        _export(blob_db, True, "jsonl", columns=["id", "title"])


def _reference_parquet_rows(db_path: Path, columns: list[str]) -> list[dict[str, Any]]:
    """What the Parquet export held before: the JSON Lines reference's values, lists as lists."""
    return [json.loads(line) for line in _reference_jsonl(db_path, columns).decode().split("\n")[:-1]]


@pytest.mark.parametrize("rows", [1000, 7, 1], ids=lambda r: f"group{r}")
def test_parquet_holds_the_same_values(awkward_db: Path, tmp_path: Path, rows: int,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="needs pyarrow (pip install 'warta[parquet]')")
    monkeypatch.setattr(export, "PARQUET_ROWS", rows)
    monkeypatch.setattr(export, "PARQUET_FETCH", 3)
    # Only lists of strings fit list<string>, integers int64 (anything else fails, as it did): those
    # rows are left out, in a copy.
    path = tmp_path / "archive.db"
    source, copy = sqlite3.connect(awkward_db), sqlite3.connect(path)
    source.backup(copy)
    source.close()
    lists, numbers = ["authors", "editors", "tags"], ["word_count", "version", "incomplete"]
    bad = [r["id"] for r in _reference_parquet_rows(path, ["id", *lists, *numbers])
           if any(not isinstance(v, str | None) for c in lists for v in r[c])
           or any(not isinstance(r[c], int) for c in numbers)]
    with copy:
        copy.execute(f"DELETE FROM articles WHERE id IN ({', '.join('?' * len(bad))})", bad)
    copy.close()
    awkward_db = path
    columns = [*DEFAULT_COLUMNS, "related_titles", "aliases"]
    target = tmp_path / "out.parquet"
    export.export_parquet(open_archive(awkward_db), str(target), columns=columns)
    assert pq.read_table(target).to_pylist() == _reference_parquet_rows(awkward_db, columns)
    assert pq.ParquetFile(target).num_row_groups == -(-len(_reference_parquet_rows(awkward_db, ["id"])) // rows)


def test_the_parquet_writer_thread_hands_its_error_back() -> None:
    written: list[int] = []

    def write(item: int) -> None:
        if item == 2:
            raise OSError("disk full")
        written.append(item)

    with pytest.raises(OSError, match="disk full"):
        with export._Background(write) as put:
            for item in range(100):
                put(item)
    assert written == [0, 1]
    with pytest.raises(ValueError, match="mine"):  # the caller's own error wins, the thread still ends
        with export._Background(written.append) as put:
            put(5)
            raise ValueError("mine")
    assert written[-1] == 5
