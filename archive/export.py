"""CSV export of the archive, streamed row by row from an SQLite cursor (constant memory).

List columns (authors, editors, tags, related_urls) are joined with ``"; "`` so a spreadsheet
shows them readably; the body keeps its paragraph breaks inside the quoted cell.

``excel=True`` is the file to open in a spreadsheet: besides the BOM and CRLF, every text cell
that starts with ``= + - @``, a tab or a carriage return gets a leading ``'`` (OWASP "CSV
Injection", archive.safety.neutralise_cell), so an article text cannot run as a formula; numbers
stored as numbers are never changed. The plain export keeps every value as stored, for pandas and R.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any, TextIO

import sqlite_utils

from archive.safety import neutralise_cell
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
# _list_cell in SQL, for the CSV: a JSON array as "a; b; c", another JSON value as its value, other text as is.
_LIST_SQL = {
    name: f"CASE WHEN json_valid([{name}]) AND json_type([{name}]) = 'array' THEN "
    f"(SELECT group_concat(value, '; ') FROM json_each([{name}])) "
    f"WHEN json_valid([{name}]) THEN json_extract([{name}], '$') ELSE [{name}] END"
    for name in ("authors", "editors", "tags")
}
_INT_COLUMNS = frozenset({"id", "word_count", "version", "incomplete"})
#: Rows per Parquet row group (and per batch read from SQLite): memory stays bounded by one group.
PARQUET_ROWS = 2_000
_ARTICLE_COLUMNS = (
    "id canonical_url site url title description authors editors published modified day section "
    "tags dateline lead_image language body word_count parser content_hash body_hash version "
    "first_seen last_seen changed_at incomplete"
).split()
#: Every column ``export_csv(columns=...)`` accepts.
EXPORT_COLUMNS: tuple[str, ...] = tuple(_ARTICLE_COLUMNS) + tuple(_COMPUTED)
PROGRESS_EVERY = 1000
#: Rows read and written together by the CSV export (a divisor of PROGRESS_EVERY): ~100 KB of text.
CSV_CHUNK = 25


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


def _list_cell(value: str | None) -> str:
    """A JSON array column as "a; b; c"."""
    if not value:
        return ""
    try:
        items = json.loads(value)
    except ValueError:
        return value
    if isinstance(items, list):
        return "; ".join(str(i) for i in items)
    return str(items)


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


def _cursor(
    db: sqlite_utils.Database,
    site: str | Sequence[str] | None,
    since: str | date | None,
    until: str | date | None,
    search: str | None,
    columns: Sequence[str] | None,
    computed: dict[str, str],
) -> tuple[list[str], sqlite3.Cursor]:
    """The column names and a cursor over the matching rows in publication order (then id)."""
    names = list(columns or DEFAULT_COLUMNS)
    unknown = [n for n in names if n not in EXPORT_COLUMNS]
    if unknown:
        raise ExportError(f"unknown column(s) {', '.join(unknown)}; choose from {', '.join(EXPORT_COLUMNS)}")
    where, params = _filters(site, since, until, search)
    select = ", ".join(computed.get(n, f"[{n}]") for n in names)
    # (published, id) is the order of the published index (rowid is its last key): no sort.
    sql = f"SELECT {select} FROM articles{where} ORDER BY published, id"
    try:
        cursor = db.conn.execute(sql, params)  # raises here on a bad FTS query, before any output
    except sqlite3.OperationalError as exc:
        if search:  # the rest of the statement is ours; the FTS5 query syntax is the user's
            raise ExportError(f"bad search query {search!r}: {exc}") from None
        raise
    cursor.arraysize = 1000
    return names, cursor


def _json_rows(
    db: sqlite_utils.Database,
    site: str | Sequence[str] | None,
    since: str | date | None,
    until: str | date | None,
    search: str | None,
    columns: Sequence[str] | None,
) -> tuple[list[str], list[int], sqlite3.Cursor]:
    """Names, positions of JSON-array columns (stored lists and computed ones), cursor."""
    names, cursor = _cursor(db, site, since, until, search, columns, _COMPUTED_JSON)
    arrays = [i for i, n in enumerate(names) if n in _LIST_COLUMNS or n in _COMPUTED_JSON]
    return names, arrays, cursor


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
    out: TextIO,
    *,
    site: str | Sequence[str] | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    search: str | None = None,
    columns: Sequence[str] | None = None,
    progress: Callable[[int], Any] | None = None,
) -> int:
    """Write the matching articles to ``out`` as JSON Lines (one object per article, lists as arrays,
    UTF-8 unescaped); the filters and order are export_csv's. Returns the rows written."""
    names, arrays, cursor = _json_rows(db, site, since, until, search, columns)
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    count = 0
    write = out.write
    while True:
        rows = cursor.fetchmany()
        if not rows:
            break
        lines = []
        for row in rows:
            record = dict(zip(names, row, strict=True))
            for i in arrays:
                record[names[i]] = _array(row[i])
            lines.append(dumps(record))
        lines.append("")
        write("\n".join(lines))
        before = count
        count += len(rows)
        if progress is not None and count // PROGRESS_EVERY != before // PROGRESS_EVERY:
            progress(count)
    if progress is not None:
        progress(count)
    return count


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
    Needs pyarrow (``pip install 'warta[parquet]'``): ExportError without it."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ExportError("--format parquet needs pyarrow: pip install 'warta[parquet]'") from None
    names, arrays, cursor = _json_rows(db, site, since, until, search, columns)
    schema = pa.schema([
        (n, pa.list_(pa.string()) if i in arrays else pa.int64() if n in _INT_COLUMNS else pa.string())
        for i, n in enumerate(names)
    ])
    count = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        while True:
            rows = cursor.fetchmany(PARQUET_ROWS)
            if not rows:
                break
            data = [list(col) for col in zip(*rows, strict=True)]
            for i in arrays:
                data[i] = [_array(v) for v in data[i]]
            writer.write_table(pa.Table.from_arrays(data, schema=schema))
            count += len(rows)
            if progress is not None:
                progress(count)
        if count == 0:
            writer.write_table(schema.empty_table())
    if progress is not None:
        progress(count)
    return count


def export_csv(
    db: sqlite_utils.Database,
    out: TextIO,
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
        out: a text stream opened with ``newline=""`` (the csv module writes the line ends).
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
    # The "; "-joined lists are made by SQLite (json_each). Without excel, each line is joined by
    # _csv_cell (exactly what csv.writer's QUOTE_MINIMAL writes: tests/test_export_formats.py compares
    # them): the csv module's per-character copy of 4 KB bodies was most of the export's time.
    computed = {**_COMPUTED, **_LIST_SQL}
    names = list(columns or DEFAULT_COLUMNS)
    fast = not excel and len(names) > 1
    names, cursor = _cursor(db, site, since, until, search, columns, computed)
    if excel:
        out.write("\ufeff")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n" if excel else "\n")
    writer.writerow(names)
    out.write(buffer.getvalue())
    buffer.seek(0)
    buffer.truncate()
    count = 0
    while True:
        rows = cursor.fetchmany(CSV_CHUNK)  # a chunk at a time: memory stays flat however large the archive
        if not rows:
            break
        if fast:
            cell, join, write = _csv_cell, ",".join, out.write
            for row in rows:
                write(join(map(cell, row)) + "\n")
        else:
            if excel:
                rows = [[neutralise_cell(cell) for cell in row] for row in rows]
            writer.writerows(rows)
            out.write(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()
        count += len(rows)
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    if progress is not None:
        progress(count)
    return count


def _csv_cell(value: Any) -> str:
    """One cell as csv.writer (QUOTE_MINIMAL, ``,`` and ``"``) writes it: None empty, text quoted
    (quotes doubled) when it holds a comma, a quote or LF; ``in`` and ``replace`` scan a 4 KB
    body in C where the csv module copies it character by character."""
    if value is None:
        return ""
    if value.__class__ is str:
        if '"' in value:
            return '"' + value.replace('"', '""') + '"'
        if "," in value or "\n" in value:  # the csv module quotes the line terminator's "\n", not a lone CR
            return '"' + value + '"'
        return value
    return str(value)
