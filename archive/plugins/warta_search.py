"""Datasette plugin: full-text search that answers newest first after reading one page of matches.

Datasette 0.65 searches a table with ``search_key in (select rowid from articles_fts where
articles_fts match ...) order by ... limit 21``: SQLite collects every match, looks each article up
and sorts them. A word found in most articles is a million lookups (seconds; the 3 s limit at
1,000,000 articles). Since schema v12 the full-text rowid is ``search_key`` (publication time x
10^9 + id, newest = largest), so FTS5 itself can return the newest matches and stop:

* a search of ``articles`` without an explicit sort is sorted by ``search_key`` descending
  (``_sort_desc=search_key`` is added to the request; Datasette's keyset paging then follows it);
* the page query is rewritten to walk ``articles_fts ORDER BY rowid DESC`` and join each match to
  its article, with the request's other filters and paging cursor applied as it goes; the same for
  the ``articles_by_date`` view (OFFSET paging, in search_key order);
* the count reads at most ``COUNT_CAP + 1`` full-text rowids (no article lookup without other
  filters); beyond it the page says "more than 10,000" (JSON: ``filtered_table_rows_count`` is
  null and ``filtered_table_rows_count_more_than`` is 10000);
* facets are computed when the search has at most ``COUNT_CAP`` matches; beyond it they are
  reported as timed out (counting a million matches per facet is the slow part).

The search language is unchanged (``escape_fts`` is archive.search.fts_query, warta_render.py).
Only SQL of exactly the shape Datasette 0.65 writes for these two resources is rewritten.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl, unquote

from datasette import hookimpl
from datasette.database import QueryInterrupted

#: Counts stop here: "more than 10,000" matches.
COUNT_CAP = 10_000
#: The resources whose searches are served in full-text order (the view pages by OFFSET).
SEARCH_RESOURCES = frozenset({"articles", "articles_by_date"})
#: How long a count with other filters than the search may take before it is left out (ms).
FILTERED_COUNT_MS = 250

Scope = dict[str, Any]
App = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]

_MATCH = r"(?P<match>escape_fts\(:search\)|:search)"
#: A facet's query (Datasette's column facets say " group by ", its array facets put it on a line of its own).
_GROUP_BY = re.compile(r"\sgroup by\s", re.I)
_CLAUSE = re.compile(
    r"search_key in \(select rowid from \[?articles_fts\]? where \[?articles_fts\]? match " + _MATCH + r"\)"
)
_PAGE = re.compile(
    r"^select (?P<cols>.+?) from (?P<table>articles|articles_by_date) where (?P<where>.+?)"
    r"(?: order by (?P<order>search_key desc(?:, id)?))? limit (?P<limit>\d+)(?P<offset> offset \d+)?\s*$",
    re.S,
)
_COUNT = re.compile(r"^select count\(\*\) from (?P<table>articles|articles_by_date) where (?P<where>.+?)\s*$", re.S)


def _resource(path: str) -> tuple[str, str]:
    """(table, extension) of a ``/<database>/<table>[.json|.csv]`` path (('', '') for other pages)."""
    parts = path.strip("/").split("/")
    if len(parts) != 2 or parts[0].startswith("-"):
        return "", ""
    name = unquote(parts[1])
    for ext in (".json", ".csv"):
        if name.endswith(ext):
            return name[: -len(ext)], ext
    return name, ""


def search_params(path: str, query_string: bytes) -> bytes | None:
    """What to append to a search request (b'' for nothing); None when it is not a search we serve."""
    table, _ext = _resource(path)
    if table not in SEARCH_RESOURCES:
        return None
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    names = {k for k, _ in pairs}
    if not any(k == "_search" and v.strip() for k, v in pairs):
        return None
    if table == "articles" and not names & {"_sort", "_sort_desc"}:
        return b"_sort_desc=search_key"
    return b""


_CURSOR = re.compile(r"\(search_key < (?P<param>:p\d+) or search_key is null or ")


def _subquery(match: str, columns: str, where: str = "") -> str:
    """The matches newest first, each joined to its article (FTS5 walks its rowids backwards).

    A keyset cursor on search_key (a later page) also bounds the full-text walk, so page 50 does not
    read the 49 pages before it."""
    cursor = _CURSOR.search(where)
    bound = f" and articles_fts.rowid < CAST({cursor.group('param')} AS INTEGER)" if cursor else ""
    return (
        f"(select {columns} from articles_fts join articles on articles.search_key = articles_fts.rowid "
        f"where articles_fts match {match}{bound} order by articles_fts.rowid desc)"
    )


def _fts_only_count(match: str) -> str:
    return (
        f"select count(*) from (select rowid from articles_fts where articles_fts match {match} "
        f"limit {COUNT_CAP + 1})"
    )


def rewrite(sql: str, view_columns: list[str] | None = None) -> tuple[str, str] | None:
    """(kind, new SQL) for Datasette's page or count query of a search; None to leave ``sql`` alone.

    kind is 'page' or 'count'. ``view_columns``: the columns of articles_by_date (its page selects them).
    """
    clause = _CLAUSE.search(sql)
    if clause is None or sql.count("articles_fts") != 2:
        return None
    match = clause.group("match")
    page = _PAGE.match(sql)
    if page is not None and (page.group("table") == "articles_by_date" or page.group("order")):
        table = page.group("table")
        where = _CLAUSE.sub("1", page.group("where"), count=1)
        columns = "articles.*"
        if table == "articles_by_date":
            if page.group("order") or not view_columns:
                return None
            columns = ", ".join(f"articles.[{c}]" for c in view_columns)
        return "page", (
            f"select {page.group('cols')} from {_subquery(match, columns, where)} as {table} where {where} "
            f"limit {page.group('limit')}{page.group('offset') or ''}"
        )
    count = _COUNT.match(sql)
    if count is not None:
        where = _CLAUSE.sub("1", count.group("where"), count=1).strip()
        if where == "1":
            return "count", _fts_only_count(match)
        return "count", (
            f"select count(*) from (select 1 from {_subquery(match, 'articles.*')} as {count.group('table')} "
            f"where {where} limit {COUNT_CAP + 1})"
        )
    return None


def _wrap_execute(db: Any) -> None:
    """Route the database's searches through ``rewrite`` (once per Database object)."""
    if getattr(db, "_warta_search", False):
        return
    original = db.execute
    view_columns: list[str] = []

    async def execute(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        if "articles_fts" not in sql or "search_key in" not in sql:
            return await original(sql, params, *args, **kwargs)
        if "articles_by_date" in sql and not view_columns:
            view_columns.extend(await db.table_columns("articles_by_date"))
        rewritten = rewrite(sql, view_columns)
        if rewritten is not None:
            kind, new_sql = rewritten
            if kind == "count" and "limit" in new_sql and "join" in new_sql:
                kwargs["custom_time_limit"] = min(kwargs.get("custom_time_limit") or FILTERED_COUNT_MS,
                                                  FILTERED_COUNT_MS)
            return await original(new_sql, params, *args, **kwargs)
        clause = _CLAUSE.search(sql)
        if clause is not None and _GROUP_BY.search(sql):
            # A facet: only over a search of at most COUNT_CAP matches (else a read of every match).
            found = await original(_fts_only_count(clause.group("match")), params)
            if found.rows[0][0] > COUNT_CAP:
                raise QueryInterrupted(None, sql, params)
        return await original(sql, params, *args, **kwargs)

    db.execute = execute
    db._warta_search = True


@hookimpl
def startup(datasette: Any) -> Callable[[], Awaitable[None]]:
    async def inner() -> None:
        for db in datasette.databases.values():
            _wrap_execute(db)

    return inner


def _capped_body(body: bytes, content_type: str) -> bytes:
    """The response with a capped count said as "more than COUNT_CAP"."""
    capped = COUNT_CAP + 1
    if content_type.startswith("application/json"):
        try:
            data = json.loads(body)
        except ValueError:
            return body
        if isinstance(data, dict) and data.get("filtered_table_rows_count") == capped:
            data["filtered_table_rows_count"] = None
            data["filtered_table_rows_count_more_than"] = COUNT_CAP
            return json.dumps(data, ensure_ascii=False).encode("utf-8")
        return body
    if content_type.startswith("text/html"):
        return body.replace(f">{capped:,} rows".encode(), f">More than {COUNT_CAP:,} rows".encode(), 1)
    return body


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable[[App], App]:
    def wrap(app: App) -> App:
        async def searched(scope: Scope, receive: Any, send: Any) -> None:
            if scope.get("type") != "http":
                await app(scope, receive, send)
                return
            extra = search_params(scope.get("path", ""), scope.get("query_string", b""))
            if extra is None:
                await app(scope, receive, send)
                return
            for db in datasette.databases.values():  # databases attached after startup
                _wrap_execute(db)
            if extra:
                query = scope.get("query_string", b"")
                scope = {**scope, "query_string": query + b"&" + extra if query else extra}
            if _resource(scope.get("path", ""))[1] == ".csv":  # streamed: never buffered
                await app(scope, receive, send)
                return
            start: dict[str, Any] = {}
            chunks: list[bytes] = []

            async def buffered(message: dict[str, Any]) -> None:
                if message["type"] == "http.response.start":
                    start.update(message)
                    return
                if message["type"] != "http.response.body":
                    await send(message)
                    return
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                headers = dict(start.get("headers") or [])
                content_type = headers.get(b"content-type", b"").decode("latin-1")
                body = _capped_body(b"".join(chunks), content_type)
                out = [(k, v) for k, v in start.get("headers") or [] if k.lower() != b"content-length"]
                out.append((b"content-length", str(len(body)).encode()))
                await send({**start, "headers": out})
                await send({"type": "http.response.body", "body": body})

            await app(scope, receive, buffered)

        return searched

    return wrap
