"""CSV, JSON Lines and Parquet exports of the archive, streamed from an SQLite cursor (constant memory).

List columns (authors, editors, tags, related_urls) are joined with ``"; "`` so a spreadsheet
shows them readably; the body keeps its paragraph breaks inside the quoted cell.

``excel=True`` is the file to open in a spreadsheet: besides the BOM and CRLF, every text cell
that starts with ``= + - @``, a tab or a carriage return gets a leading ``'`` (OWASP "CSV
Injection", archive.safety.neutralise_cell), so an article text cannot run as a formula; numbers
stored as numbers are never changed. The plain export keeps every value as stored, for pandas and R.

Speed (issue 13 §4: faster than sqlite3's own CSV of the same cells): the rows are read as UTF-8
bytes and written as they come, a chunk at a time; Python works a column of a chunk at a time
with bytes methods (C loops) rather than a cell at a time (_CsvPlan, _JsonPlan, _ListJoiner), and
what it cannot do exactly that way (a REAL or a BLOB, a list stored otherwise than json.dumps
writes it) is written by the straightforward code, so the output is what csv.writer and
json.JSONEncoder write for today's cells (tests/test_export_exact.py).
"""

from __future__ import annotations

import csv
import gc
import io
import json
import re
import sqlite3
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from itertools import chain, repeat
from typing import Any, BinaryIO, TextIO, cast

import sqlite_utils

from archive.safety import FORMULA_TRIGGERS, neutralise_cell
from archive.search import fts_query

__all__ = [
    "ExportError", "DEFAULT_COLUMNS", "EXPORT_COLUMNS", "FORMATS", "count_matching", "export_csv", "export_jsonl",
    "export_parquet", "parse_day",
]

#: The row formats of ``warta export`` (``warc``, the captures, is archive.warc_export).
FORMATS = ("csv", "jsonl", "parquet")

#: Columns written when none are asked for, in this order.
DEFAULT_COLUMNS: tuple[str, ...] = (
    "id",
    "published",
    "modified",
    "site",
    "section",
    "title",
    "description",
    "authors",
    "editors",
    "tags",
    "dateline",
    "word_count",
    "body",
    "canonical_url",
    "url",
    "lead_image",
    "language",
    "related_urls",
    "version",
    "first_seen",
    "last_seen",
    "incomplete",  # 1: a multi-page article stored without all its pages (fetched again next run)
)
# Columns that are not plain article columns: name -> SQL expression.
_COMPUTED = {
    "related_urls": "(SELECT group_concat(url, '; ') FROM "
    "(SELECT url FROM related WHERE related.article_id = articles.id ORDER BY position))",
    "related_titles": "(SELECT group_concat(title, '; ') FROM "
    "(SELECT title FROM related WHERE related.article_id = articles.id ORDER BY position))",
    "aliases": "(SELECT group_concat(url, '; ') FROM "
    "(SELECT url FROM aliases WHERE aliases.article_id = articles.id ORDER BY url))",
}
# The same as JSON arrays, for the JSON Lines and Parquet formats (a title may hold "; ").
_COMPUTED_JSON = {
    name: sql.replace("group_concat(url, '; ')", "json_group_array(url)").replace(
        "group_concat(title, '; ')", "json_group_array(title)")
    for name, sql in _COMPUTED.items()
}
_LIST_COLUMNS = frozenset({"authors", "editors", "tags"})
# The CSV cells of the list columns, in SQL: a JSON array as "a; b; c", another JSON value as its value,
# other text as is (what _ListJoiner and export_csv's fallback reproduce; the floor of benchmarks/bulk.py).
_LIST_SQL = {
    name: f"CASE WHEN json_valid([{name}]) AND json_type([{name}]) = 'array' THEN "
    f"(SELECT group_concat(value, '; ') FROM json_each([{name}])) "
    f"WHEN json_valid([{name}]) THEN json_extract([{name}], '$') ELSE [{name}] END"
    for name in ("authors", "editors", "tags")
}
_INT_COLUMNS = frozenset({"id", "word_count", "version", "incomplete"})
#: Rows per Parquet row group (and per batch read from SQLite): memory stays bounded by one group.
PARQUET_ROWS = 2_000
# Rows fetched at a time for Parquet: small fetches keep Python's allocations below malloc's mmap threshold.
PARQUET_FETCH = 250
_ARTICLE_COLUMNS = (
    "id canonical_url site url title description authors editors published modified day section "
    "tags dateline lead_image language body word_count parser content_hash body_hash version "
    "first_seen last_seen changed_at incomplete"
).split()
#: Every column ``export_csv(columns=...)`` accepts.
EXPORT_COLUMNS: tuple[str, ...] = tuple(_ARTICLE_COLUMNS) + tuple(_COMPUTED)
PROGRESS_EVERY = 1000
#: Rows read and written together by the CSV export (a divisor of PROGRESS_EVERY): ~100 KB of text,
#: below malloc's mmap threshold (larger chunks were slower: pages mapped, zeroed and unmapped each time).
CSV_CHUNK = 25
_FREE_TEXT = frozenset({"title", "description", "body"})


class UnknownSite(ValueError):
    """``--site`` names neither a site profile nor a site of the archive (a typo: no empty CSV)."""


def check_sites(db: sqlite_utils.Database, sites: Sequence[str] | None) -> None:
    """UnknownSite for a site that is neither a profile nor in the archive, naming the known ones."""
    if not sites:
        return
    from scraper.sites import SITES, site_for_url

    site_for_url("")  # loads the registry
    archived = {r[0] for r in db.execute("SELECT DISTINCT site FROM articles")}
    unknown = [s for s in sites if s not in SITES and s not in archived]
    if unknown:
        known = ", ".join(sorted(set(SITES) | archived))
        raise UnknownSite(f"unknown site {unknown[0]!r} (not a site profile, not in the archive); known: {known}")


class ExportError(ValueError):
    """A bad export request (unknown column, bad date, bad search syntax); one line."""


def parse_day(value: str | date | None, name: str = "date") -> str | None:
    """A YYYY-MM-DD string checked to be a real date, or None."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()[:10]
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise ExportError(f"{name} must be a date as YYYY-MM-DD, not {value!r}")
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError as exc:
        raise ExportError(f"{name} {value!r} is not a real date ({exc})") from None


def _filters(
    site: str | Sequence[str] | None,
    since: str | date | None,
    until: str | date | None,
    search: str | None,
) -> tuple[str, list[Any]]:
    """The WHERE clause (with its leading space, or empty) and parameters for the filters."""
    since_day = parse_day(since, "since")
    until_day = parse_day(until, "until")
    if since_day and until_day and since_day > until_day:
        raise ExportError(f"since ({since_day}) is after until ({until_day})")
    where: list[str] = []
    params: list[Any] = []
    if site:
        sites = [site] if isinstance(site, str) else list(site)
        where.append(f"site IN ({', '.join('?' for _ in sites)})")
        params.extend(sites)
    # Bounds on `published` (ISO strings sort by date) rather than `day`, so the published index
    # serves both the range and the order; `day` is set only for well-formed dates.
    if since_day:
        where.append("published >= ? AND day IS NOT NULL")
        params.append(since_day)
    if until_day:
        where.append("published < ? AND day IS NOT NULL")
        params.append((date.fromisoformat(until_day) + timedelta(days=1)).isoformat())
    if search and search.strip():
        where.append("search_key IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        params.append(fts_query(search))
    return (f" WHERE {' AND '.join(where)}" if where else ""), params


def count_matching(
    db: sqlite_utils.Database,
    *,
    site: str | Sequence[str] | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    search: str | None = None,
) -> int:
    """How many articles ``export_csv`` would write with these filters (for progress and ETA)."""
    where, params = _filters(site, since, until, search)
    return db.conn.execute(f"SELECT count(*) FROM articles{where}", params).fetchone()[0]


def _check_columns(columns: Sequence[str] | None) -> list[str]:
    """The column names to export (DEFAULT_COLUMNS for None); ExportError for an unknown one."""
    names = list(columns or DEFAULT_COLUMNS)
    unknown = [n for n in names if n not in EXPORT_COLUMNS]
    if unknown:
        raise ExportError(f"unknown column(s) {', '.join(unknown)}; choose from {', '.join(EXPORT_COLUMNS)}")
    return names


def _execute(db: sqlite_utils.Database, sql: str, params: list[Any], search: str | None) -> sqlite3.Cursor:
    """A cursor over ``sql``; a bad FTS query is an ExportError, raised here before any output."""
    try:
        cursor = db.conn.execute(sql, params)
    except sqlite3.OperationalError as exc:
        if search:  # the rest of the statement is ours; the FTS5 query syntax is the user's
            raise ExportError(f"bad search query {search!r}: {exc}") from None
        raise
    cursor.arraysize = 1000
    return cursor


def _array(value: str | None) -> list[Any]:
    """A JSON array column as a list ([] for NULL or a value that is not an array)."""
    if not value:
        return []
    try:
        items = json.loads(value)
    except ValueError:
        return [value]
    return items if isinstance(items, list) else [items]


def export_jsonl(
    db: sqlite_utils.Database,
    out: TextIO | BinaryIO,
    *,
    site: str | Sequence[str] | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    search: str | None = None,
    columns: Sequence[str] | None = None,
    progress: Callable[[int], Any] | None = None,
) -> int:
    """Write the matching articles to ``out`` as JSON Lines (one object per article, lists as arrays,
    UTF-8 unescaped); the filters and order are export_csv's. ``out`` is a binary stream (the
    fastest: UTF-8 bytes as SQLite makes them) or a text one. Returns the rows written."""
    names = _check_columns(columns)
    where, params = _filters(site, since, until, search)
    plan = _JsonPlan(names, where, isinstance(out, (io.RawIOBase, io.BufferedIOBase)))
    cursor = _execute(db, plan.sql, params, search)
    return _write_chunks(db, cursor, plan.lines, cast(Callable[[Any], Any], out.write), progress)


class _JsonPlan:
    """How export_jsonl makes its lines: what json.JSONEncoder(ensure_ascii=False) wrote for the
    row's dict (the tests compare them), made by SQLite's printf and json_quote (which escapes
    exactly as Python's encoder does: ``\\"`` ``\\\\`` ``\\n`` ``\\r`` ``\\t`` ``\\b`` ``\\f``, other
    control characters as ``\\u00xx``, the rest as it is) a run of columns at a time, read as bytes.
    A list column comes as stored: for a json.dumps list of plain strings (_ListJoiner's check,
    a column of a chunk at a time) that is its JSON. A row with a REAL or BLOB cell, or a list
    stored otherwise, is written as before (json.loads, the encoder)."""

    def __init__(self, names: list[str], where: str, binary: bool) -> None:
        self.names = list(dict.fromkeys(names))  # a dict has each key once
        self.binary = binary
        self.k: Any = _CsvBytes if binary else _CsvText
        as_type = "BLOB" if binary else "TEXT"
        self.fallback_sql = (f"SELECT {', '.join(_COMPUTED_JSON.get(n, f'[{n}]') for n in self.names)} "
                             "FROM articles WHERE id = ?")
        select: list[str] = []
        #: (True, position in the row) or (False, a constant), in line order.
        self.parts: list[tuple[bool, Any]] = []
        self.lists: dict[int, _ListJoiner] = {}
        fmt: list[str] = []
        args: list[str] = []

        def close(end: str) -> None:
            text = "".join(fmt) + end
            if args:
                self.parts.append((True, len(select)))
                select.append(f"CAST(printf('{text}', {', '.join(args)}) AS {as_type})")
            elif text:
                self.parts.append((False, text.encode() if binary else text))
            fmt.clear()
            args.clear()

        odd = []
        for i, name in enumerate(self.names):
            fmt.append(("{" if i == 0 else ", ") + json.dumps(name) + ": ")
            cell = f"[{name}]"
            if name in _LIST_COLUMNS:
                close("")
                self.lists[len(select)] = _ListJoiner(name, binary)
                self.parts.append((True, len(select)))
                select.append(f"ifnull(CAST({cell} AS {as_type}), {self.k.empty_sql})")
                odd.append(f"typeof({cell}) = 'blob'")
                continue
            fmt.append("%s")
            if name == "id":
                args.append("id")
            elif name in _COMPUTED:
                concat = _COMPUTED[name].replace("group_concat(url, '; ')", "group_concat(json_quote(url), ', ')")
                concat = concat.replace("group_concat(title, '; ')", "group_concat(json_quote(title), ', ')")
                args.append(f"'[' || ifnull({concat}, '') || ']'")
            elif name in _INT_COLUMNS:
                args.append(f"CASE typeof({cell}) WHEN 'integer' THEN {cell} WHEN 'null' THEN 'null' "
                            f"ELSE json_quote({cell}) END")
                odd.append(f"typeof({cell}) IN ('real', 'blob')")
            else:
                args.append(f"json_quote({cell})")
                odd.append(f"typeof({cell}) = 'blob'")
        close("}")
        # A REAL or a BLOB makes the first selected item NULL: that row is written as before.
        if odd and select:
            select[0] = f"CASE WHEN {' OR '.join(odd)} THEN NULL ELSE {select[0]} END"
        select.append("id")
        self.sql = f"SELECT {', '.join(select)} FROM articles{where} ORDER BY published, id"
        self.dumps = json.JSONEncoder(ensure_ascii=False).encode

    def lines(self, db: sqlite_utils.Database, rows: list[tuple[Any, ...]]) -> Any:
        """The JSON lines of a chunk of rows, as one str or bytes."""
        k = self.k
        columns = list(zip(*rows, strict=True))
        ok = all(joiner.join(columns[i]) is not None for i, joiner in self.lists.items())
        if ok:
            parts = [columns[p] if selected else repeat(p, len(rows)) for selected, p in self.parts]
            try:
                return k.newline.join(map(k.empty.join, zip(*parts, strict=True))) + k.newline
            except TypeError:  # an odd row's NULL
                pass
        return k.empty.join(self._line(db, row) for row in rows)

    def _line(self, db: sqlite_utils.Database, row: tuple[Any, ...]) -> Any:
        k = self.k
        if all(v is not None for v in row) and all(j.join([row[i]]) is not None for i, j in self.lists.items()):
            return k.empty.join(row[p] if selected else p for selected, p in self.parts) + k.newline
        # As before: the dict of the row's cells, lists through json.loads.
        cells = db.conn.execute(self.fallback_sql, [row[-1]]).fetchone()
        record = dict(zip(self.names, cells, strict=True))
        for name in self.names:
            if name in _LIST_COLUMNS or name in _COMPUTED_JSON:
                record[name] = _array(record[name])
        line = self.dumps(record) + "\n"
        return line.encode("utf-8") if self.binary else line


def export_parquet(
    db: sqlite_utils.Database,
    path: str | Any,
    *,
    site: str | Sequence[str] | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    search: str | None = None,
    columns: Sequence[str] | None = None,
    progress: Callable[[int], Any] | None = None,
) -> int:
    """Write the matching articles to a Parquet file (``path`` or a binary file object), one row
    group per PARQUET_ROWS rows so memory stays bounded; lists as list<string>, counts as int64.
    Needs pyarrow (``pip install 'warta[parquet]'``): ExportError without it.

    The list columns become Arrow lists without json.loads: the cells of a row group's column are
    split by _ListJoiner (json.dumps lists of plain strings) and pyarrow.compute.split_pattern;
    a column of a row group with another cell goes through json.loads as before."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.parquet as pq
    except ImportError:
        raise ExportError("--format parquet needs pyarrow: pip install 'warta[parquet]'") from None
    names = _check_columns(columns)
    where, params = _filters(site, since, until, search)
    arrays = [i for i, n in enumerate(names) if n in _LIST_COLUMNS or n in _COMPUTED_JSON]
    # The computed lists spelled as json.dumps would (", " between items), which _ListJoiner reads.
    computed = {
        name: sql.replace("group_concat(url, '; ')", "group_concat(json_quote(url), ', ')").replace(
            "group_concat(title, '; ')", "group_concat(json_quote(title), ', ')")
        for name, sql in _COMPUTED.items()
    }
    select = ", ".join(f"'[' || ifnull({computed[n]}, '') || ']'" if n in computed else f"[{n}]" for n in names)
    cursor = _execute(db, f"SELECT {select} FROM articles{where} ORDER BY published, id", params, search)
    schema = pa.schema([
        (n, pa.list_(pa.string()) if i in arrays else pa.int64() if n in _INT_COLUMNS else pa.string())
        for i, n in enumerate(names)
    ])
    joiner = _ListJoiner("", binary=False)

    def list_array(cells: list[Any]) -> Any:
        split = joiner.join(cells, "\x1d", "\x1c")  # GS between items, FS for []: control characters
        if split is None:
            return pa.array([_array(v) for v in cells], type=pa.list_(pa.string()))
        parts = pc.split_pattern(pa.array([None if c == "\x1c" else c for c in split], type=pa.string()), "\x1d")
        return pa.ListArray.from_arrays(parts.offsets, parts.values)  # a null (from []) becomes []

    count = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer, _Background(writer.write_table) as write:
        group: list[list[Any]] = [[] for _ in names]
        while True:
            rows = cursor.fetchmany(min(PARQUET_FETCH, PARQUET_ROWS - len(group[0])))
            if rows:
                for column, cells in zip(group, zip(*rows, strict=True), strict=True):
                    column.extend(cells)
            if group[0] and (len(group[0]) >= PARQUET_ROWS or not rows):
                data = [list_array(column) if i in arrays else pa.array(column, type=schema.field(i).type)
                        for i, column in enumerate(group)]
                write(pa.Table.from_arrays(data, schema=schema))
                count += len(group[0])
                group = [[] for _ in names]
                if progress is not None:
                    progress(count)
            if not rows:
                break
        if count == 0:
            write(schema.empty_table())
    if progress is not None:
        progress(count)
    return count


class _Background:
    """``call(item)`` in a thread of its own, an item at a time, while the caller makes the next one:
    export_parquet's zstd compression (pyarrow lets go of the GIL) beside SQLite's reading. At most
    one item waits; the thread's exception is raised in the caller (at its next item or at the end)."""

    def __init__(self, call: Callable[[Any], Any]) -> None:
        import queue
        import threading

        self.call = call
        self.items: Any = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="parquet-writer", daemon=True)

    def _run(self) -> None:
        while (item := self.items.get()) is not _DONE:
            if self.error is None:
                try:
                    self.call(item)
                except BaseException as exc:  # noqa: BLE001 - handed to the caller
                    self.error = exc

    def __enter__(self) -> Callable[[Any], None]:
        self.thread.start()
        return self.put

    def put(self, item: Any) -> None:
        if self.error is not None:
            raise self.error
        self.items.put(item)

    def __exit__(self, *exc: object) -> None:
        self.items.put(_DONE)
        self.thread.join()
        if self.error is not None and exc[0] is None:
            raise self.error


_DONE = object()


def export_csv(
    db: sqlite_utils.Database,
    out: TextIO | BinaryIO,
    *,
    site: str | Sequence[str] | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    search: str | None = None,
    columns: Sequence[str] | None = None,
    excel: bool = False,
    progress: Callable[[int], Any] | None = None,
) -> int:
    """Write the matching articles to ``out`` as CSV and return how many rows were written.

    Args:
        db: the archive.
        out: a binary stream (UTF-8 bytes are written as SQLite returns them: the fastest), or a
            text stream opened with ``newline=""`` (the line ends are written as they are).
        site: one site name or several.
        since, until: inclusive bounds on the publication day (YYYY-MM-DD, in the article's own
            time zone); articles without a publication date are left out when either is given.
        search: a full-text query in the archive's search language (archive.search: words,
            "phrases", prefix*, OR, NOT, title:word); any input is valid.
        columns: names from EXPORT_COLUMNS; DEFAULT_COLUMNS when None.
        excel: write a UTF-8 BOM and CRLF line ends, so Excel opens the file as UTF-8, and prefix
            formula-like text cells with ``'`` (see the module docstring).
        progress: called with the running row count every PROGRESS_EVERY rows and at the end.

    Rows come in publication order (then id); articles without a date come first.
    """
    names = _check_columns(columns)
    where, params = _filters(site, since, until, search)
    binary = isinstance(out, (io.RawIOBase, io.BufferedIOBase))
    header = io.StringIO(newline="")
    csv.writer(header, lineterminator="\r\n" if excel else "\n").writerow(names)
    head = ("\ufeff" if excel else "") + header.getvalue()
    plan = _CsvPlan(names, where, excel, binary)
    cursor = _execute(db, plan.sql, params, search)
    write = cast(Callable[[Any], Any], out.write)
    write(head.encode("utf-8") if binary else head)
    return _write_chunks(db, cursor, plan.lines, write, progress)


def _write_chunks(
    db: sqlite_utils.Database,
    cursor: sqlite3.Cursor,
    lines: Callable[[sqlite_utils.Database, list[tuple[Any, ...]]], Any],
    write: Callable[[Any], Any],
    progress: Callable[[int], Any] | None,
) -> int:
    """Write ``lines(db, rows)`` for each chunk of CSV_CHUNK rows; returns the rows written.

    Python's cyclic garbage collector is paused meanwhile: the rows make no cycles, and it would
    otherwise walk the heap every few hundred chunks for nothing (a few percent of the export)."""
    count = 0
    collecting = gc.isenabled()
    gc.disable()
    try:
        while True:
            rows = cursor.fetchmany(CSV_CHUNK)  # a chunk at a time: memory stays flat however large the archive
            if not rows:
                break
            write(lines(db, rows))
            before = count
            count += len(rows)
            if progress is not None and count // PROGRESS_EVERY != before // PROGRESS_EVERY:
                progress(count)
    finally:
        if collecting:
            gc.enable()
    if progress is not None:
        progress(count)
    return count


class _CsvPlan:
    """How export_csv makes its lines: SQLite reads the cells, Python checks and joins them in C.

    Each line is what csv.writer (QUOTE_MINIMAL) writes for the row's cells (the tests compare
    them). SQLite reads every cell as text, NULL as empty, as UTF-8 bytes when ``out`` is binary
    (no str per cell, no decode, no encode). Then, a chunk of rows at a time and a column at a
    time, Python works on the column's cells joined (bytes.join, count, replace, split, ``in``:
    C loops, memchr): it joins the JSON lists with "; " (_ListJoiner), looks for a character to
    quote (``,`` ``"`` LF; CR too with excel), quotes the cells of a column that has one and
    joins the lines. Python code runs per column and per quoted cell, not per cell. A row with a
    cell SQLite would not spell as Python does (a REAL or a BLOB, never written by Warta) has the
    integer 0 as its first cell (one test per row in SQL, typeof() reading no content), and is
    written by csv.writer from today's cells (_LIST_SQL).
    """

    def __init__(self, names: list[str], where: str, excel: bool, binary: bool) -> None:
        self.excel, self.binary = excel, binary
        # The str or bytes constants: the same code writes to text and binary streams.
        self.k: Any = _CsvBytes if binary else _CsvText
        k = self.k
        self.ending: Any = k.crlf if excel else k.newline
        self.triggers = tuple(t.encode() for t in FORMULA_TRIGGERS) if binary else FORMULA_TRIGGERS
        self.fallback_sql = (f"SELECT {', '.join({**_COMPUTED, **_LIST_SQL}.get(n, f'[{n}]') for n in names)} "
                             "FROM articles WHERE id = ?")
        self.lists = {i: _ListJoiner(n, binary) for i, n in enumerate(names) if n in _LIST_SQL}
        # Excel's neutralise_cell leaves numbers alone: done in SQL (typeof) for the INTEGER columns,
        # which may hold text; here for the others, all text.
        self.neutralised = [i for i, n in enumerate(names) if excel and n not in _INT_COLUMNS]
        # Free text often holds a character to quote; the other columns are checked together.
        self.free = [i for i, n in enumerate(names) if n in _FREE_TEXT]
        self.short = [i for i, n in enumerate(names) if n not in _FREE_TEXT]
        as_type = "BLOB" if binary else "TEXT"
        select = []
        odd: list[str] = []
        for name in names:
            if name == "id":
                select.append(f"CAST(id AS {as_type})")
            elif name in _COMPUTED:  # group_concat: text or NULL
                select.append(f"ifnull(CAST({_COMPUTED[name]} AS {as_type}), {k.empty_sql})")
            else:
                cell = f"[{name}]"
                value = _sql_neutralised(cell) if excel and name in _INT_COLUMNS else cell
                # Only an INTEGER column can hold a REAL (a TEXT one turns numbers into text); any a BLOB.
                test = f"typeof({cell}) IN ('real', 'blob')" if name in _INT_COLUMNS else f"typeof({cell}) = 'blob'"
                if binary:
                    select.append(f"ifnull(CAST({value} AS BLOB), {k.empty_sql})")
                    odd.append(test)
                else:  # a BLOB cast to TEXT may not be UTF-8: it must not reach the str conversion
                    select.append(f"CASE WHEN {test} THEN 0 ELSE ifnull(CAST({value} AS TEXT), {k.empty_sql}) END")
        if odd:  # one test per row, on the first cell: the odd 0 instead
            select[0] = f"CASE WHEN {' OR '.join(odd)} THEN 0 ELSE {select[0]} END"
        select.append("id")
        # (published, id) is the order of the published index (rowid is its last key): no sort.
        self.sql = f"SELECT {', '.join(select)} FROM articles{where} ORDER BY published, id"

    def lines(self, db: sqlite_utils.Database, rows: list[tuple[Any, ...]]) -> Any:
        """The CSV lines of a chunk of rows, as one str or bytes."""
        k = self.k
        columns: list[Sequence[Any]] = list(zip(*rows, strict=True))
        columns.pop()  # the ids
        try:
            for i, joiner in self.lists.items():
                joined = joiner.join(columns[i])
                if joined is None:  # not all json.dumps lists of strings
                    raise _RowByRow
                columns[i] = joined
            if self.excel:
                triggers, apostrophe = self.triggers, k.apostrophe
                for i in self.neutralised:
                    columns[i] = [apostrophe + v if v.startswith(triggers) else v for v in columns[i]]
            short = self.short
            if short and self._needs_quotes(k.empty.join(chain.from_iterable(columns[i] for i in short))):
                for i in short:
                    if self._needs_quotes(k.empty.join(columns[i])):
                        columns[i] = self._quoted(columns[i])
            for i in self.free:
                column = columns[i]
                if self._needs_quotes(column[0]) or self._needs_quotes(k.empty.join(column)):
                    columns[i] = self._quoted(column)
        except (_RowByRow, TypeError, AttributeError):  # TypeError: a cell is the odd 0
            return k.empty.join(self._line(db, row) for row in rows)
        if len(columns) == 1:  # csv.writer's only cell, when empty: ""
            columns[0] = [c or k.quote2 for c in columns[0]]
        return self.ending.join(map(k.comma.join, zip(*columns, strict=True))) + self.ending

    def _needs_quotes(self, text: Any) -> bool:
        k = self.k
        return k.quote in text or k.comma in text or k.newline in text or (self.excel and k.cr in text)

    def _quoted(self, column: Sequence[Any]) -> list[Any]:
        """Cells quoted as csv.writer quotes them: when they hold a quote (doubled), a comma or a line end."""
        k = self.k
        quote, quote2, comma, newline, cr, join = k.quote, k.quote2, k.comma, k.newline, k.cr, k.empty.join
        # join((q, v, q)) copies a 4 KB body once, q + v + q twice.
        if self.excel:
            return [join((quote, v.replace(quote, quote2), quote)) if quote in v else
                    join((quote, v, quote)) if comma in v or newline in v or cr in v else v for v in column]
        return [join((quote, v.replace(quote, quote2), quote)) if quote in v else
                join((quote, v, quote)) if comma in v or newline in v else v for v in column]

    def _line(self, db: sqlite_utils.Database, row: tuple[Any, ...]) -> Any:
        """One row's line (a chunk with an odd cell or a list to join one by one)."""
        k = self.k
        cells = list(row[:-1])
        if not all(c.__class__ is k.empty.__class__ for c in cells):
            return self._fallback(db, row[-1])
        for i, joiner in self.lists.items():
            cell = joiner.one(db, cells[i])
            if cell is None:  # a JSON scalar: csv.writer spells it
                return self._fallback(db, row[-1])
            cells[i] = cell
        if self.excel:
            for i in self.neutralised:
                if cells[i].startswith(self.triggers):
                    cells[i] = k.apostrophe + cells[i]
        out = self._quoted(cells)
        if out == [k.empty]:
            out = [k.quote2]
        return k.comma.join(out) + self.ending

    def _fallback(self, db: sqlite_utils.Database, article_id: int) -> Any:
        """One article's line written by csv.writer from its cells."""
        row = db.conn.execute(self.fallback_sql, [article_id]).fetchone()
        buffer = io.StringIO(newline="")
        cells = [neutralise_cell(c) for c in row] if self.excel else list(row)
        csv.writer(buffer, lineterminator="\r\n" if self.excel else "\n").writerow(cells)
        return buffer.getvalue().encode("utf-8") if self.binary else buffer.getvalue()


class _RowByRow(Exception):
    """A chunk _CsvPlan.lines cannot do a column at a time."""


class _ListJoiner:
    """A list column's cells as _LIST_SQL makes them ("a; b; c"), without SQLite's JSON functions
    (a third of the export's SQL time): Warta stores lists as json.dumps writes them, and for
    ``["a", "b"]`` with no backslash, no control character and no other quote, the strings
    between the quotes are the items. ``join`` does a column's cells at once, by replacing in
    their join the brackets and the ``", "`` between items; every quote must be consumed and
    every cell must be ``[]`` or open with ``["`` and close with ``"]``, or it answers None.
    ``one`` does a single cell, down to json.loads and then SQLite itself (the exact spelling)."""

    def __init__(self, name: str, binary: bool) -> None:
        self.binary = binary
        e: Callable[[str], Any] = (lambda s: s.encode()) if binary else (lambda s: s)
        self.us, self.rs, self.empty_cell, self.open, self.close = e("\x1f"), e("\x1e"), e("\x1f[]\x1e"), \
            e('\x1f["'), e('"]\x1e')
        self.start, self.end, self.sep, self.joint, self.quote, self.backslash = e("\x1f"), e("\x1e"), \
            e('", "'), e("; "), e('"'), e("\\")
        self.bare = e("\x1f\x1e")
        self.cut = e("\x1e\x1f")
        # Control characters are not allowed in JSON strings (US and RS are the separators here).
        control = re.compile(e(r"[\x00-\x1d]"))
        controls = bytes(range(0x1e))
        self.has_control: Callable[[Any], bool] = (
            (lambda text: len(text.translate(None, controls)) != len(text)) if binary  # a C loop, 8x the regex
            else (lambda text: control.search(text) is not None))
        self.sql = f"SELECT {_LIST_SQL[name].replace(f'[{name}]', '?1')}" if name in _LIST_SQL else ""

    def join(self, cells: Sequence[Any], joint: Any = None, empty_list: Any = None) -> list[Any] | None:
        """The cells joined (items separated by ``joint``, "; " by default; ``[]`` as ``empty_list``,
        empty by default), or None when one of them is not a plain list of strings."""
        n = len(cells)
        text = self.us + self.cut.join(cells) + self.rs  # US cell RS US cell RS ...
        if self.backslash in text or self.has_control(text) or text.count(self.us) != n \
                or text.count(self.rs) != n:
            return None
        empty = text.count(self.empty_cell)
        text = text.replace(self.empty_cell, self.bare if empty_list is None else self.us + empty_list + self.rs)
        opened = text.count(self.open)
        if opened + empty != n:
            return None
        text = text.replace(self.open, self.start)
        if text.count(self.close) != opened:
            return None
        text = text.replace(self.close, self.end).replace(self.sep, self.joint if joint is None else joint)
        if self.quote in text:
            return None
        return text[1:-1].split(self.cut)

    def one(self, db: sqlite_utils.Database, cell: Any) -> Any | None:
        """One cell joined; None when _LIST_SQL makes it a number (a JSON scalar)."""
        joined = self.join([cell])
        if joined is not None:
            return joined[0]
        text = cell.decode("utf-8") if self.binary else cell
        try:
            items = json.loads(text)
        except ValueError:
            items = None
        # json.loads and SQLite agree on lists of strings; control characters go to SQLite.
        if isinstance(items, list) and all(isinstance(i, str) and not _CONTROL.search(i) for i in items):
            try:
                return self.joint.join(i.encode() if self.binary else i for i in items)
            except UnicodeEncodeError:  # a lone surrogate ("\\ud800")
                pass
        value = db.conn.execute(self.sql, [text]).fetchone()[0]
        if value is None:
            return self.joint[:0]
        if isinstance(value, str):
            return value.encode() if self.binary else value
        return None


_CONTROL = re.compile(r"[\x00-\x1f]")


class _CsvBytes:
    quote, quote2, comma, newline, cr, crlf = b'"', b'""', b",", b"\n", b"\r", b"\r\n"
    empty, apostrophe, empty_sql = b"", b"'", "x''"


class _CsvText:
    quote, quote2, comma, newline, cr, crlf = '"', '""', ",", "\n", "\r", "\r\n"
    empty, apostrophe, empty_sql = "", "'", "''"


def _sql_neutralised(cell: str) -> str:
    """neutralise_cell in SQL: a text cell starting with a formula trigger gets a leading ``'``."""
    triggers = ", ".join(f"char({ord(t)})" for t in FORMULA_TRIGGERS)
    return (f"CASE WHEN typeof({cell}) = 'text' AND substr({cell}, 1, 1) IN ({triggers}) "
            f"THEN '''' || {cell} ELSE {cell} END")
