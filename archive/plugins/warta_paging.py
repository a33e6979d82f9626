"""Datasette plugin: later pages of a large table skip what Datasette 0.65 computes for nothing.

Measured on the 1,000,000-article archive of ``benchmarks/archive.py`` (benchmarks/RESULTS.md):

* A page reached through ``_next`` (the "Next page" link, keyset paging) computes its facet counts
  over the rows *after the cursor*: Datasette puts the paging clause into the facet SQL. The
  numbers describe no subset a reader asked for, and there they cost 2.3 s a page (two facets ran
  into their time limit). Such pages skip facets (``_nofacet=1``); the first page shows the facets
  of the whole filtered table, as before.
* The count of an ordered view reads every row it orders: ``select count(*) from
  articles_by_date`` takes 6.4 s, so every page of the view waited for the 3 s query limit to
  interrupt it. Pages of the views in ``UNCOUNTED_VIEWS`` skip the count (``_nocount=1``).

Both only add a parameter to the query string (never twice). The article count is on the
articles table's pages, which hold the same rows.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl, unquote

from datasette import hookimpl

#: Views whose row count is a full scan in their own order (see the module docstring).
UNCOUNTED_VIEWS = frozenset({"articles_by_date"})

Scope = dict[str, Any]
App = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]


def _resource(path: str) -> str:
    """The table or view name of a ``/<database>/<table>[.json|.csv]`` path ('' for other pages)."""
    parts = path.strip("/").split("/")
    if len(parts) != 2 or parts[0].startswith("-"):
        return ""
    return unquote(parts[1]).rsplit(".", 1)[0] if parts[1].endswith((".json", ".csv")) else unquote(parts[1])


def extra_params(path: str, query_string: bytes) -> bytes:
    """What to append to a request's query string ('' when nothing)."""
    table = _resource(path)
    if not table:
        return b""
    names = {k for k, _ in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)}
    extra = []
    if "_next" in names and "_nofacet" not in names:
        extra.append(b"_nofacet=1")
    if table in UNCOUNTED_VIEWS and "_nocount" not in names:
        extra.append(b"_nocount=1")
    return b"&".join(extra)


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable[[App], App]:
    def wrap(app: App) -> App:
        async def paged(scope: Scope, receive: Any, send: Any) -> None:
            if scope.get("type") == "http":
                extra = extra_params(scope.get("path", ""), scope.get("query_string", b""))
                if extra:
                    query = scope.get("query_string", b"")
                    scope = {**scope, "query_string": query + b"&" + extra if query else extra}
            await app(scope, receive, send)

        return paged

    return wrap
