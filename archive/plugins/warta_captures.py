"""Datasette plugin: an article's captures, downloadable as they were served.

``/-/warta/capture/<id>`` streams the payload of one ``captures`` row (a revisit resolved to the
record holding it) with the content type it was served with, as an attachment (never rendered on
this origin: publishers' scripts must not run beside the archive), its Content-Encoding undone.
``?format=warc`` gives the response and request records themselves (``application/warc``).
The article row page lists its captures (``warta_captures`` for archive/templates/row.html).
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import Response

from archive.captures import capture_by_id, warc_root

ARTICLE_TABLES = frozenset({"articles", "articles_by_date"})
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_EXTENSIONS = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "txt", "application/xml": "xml",
               "text/xml": "xml", "application/rss+xml": "xml", "application/json": "json"}


def _archive(datasette: Any) -> tuple[Any, Path] | None:
    """The served archive (the first database with a file) and its WARC folder."""
    for name, db in datasette.databases.items():
        if name.startswith("_") or db.path is None:
            continue
        return db, warc_root(db.path)
    return None


def capture_path(datasette: Any, capture_id: int) -> str:
    """The download URL of a capture."""
    return datasette.urls.path(f"/-/warta/capture/{capture_id}")


async def capture_view(datasette: Any, request: Any) -> Response:
    found = _archive(datasette)
    capture_id = int(request.url_vars["id"])
    if found is None:
        return Response.text("No archive is served", status=404)
    db, root = found

    def load(conn: sqlite3.Connection) -> tuple[Any, bytes] | None:
        capture = capture_by_id(conn, root, capture_id)
        if capture is None:
            return None
        data = capture.members() if request.args.get("format") == "warc" else capture.payload()
        return capture, data

    try:
        loaded = await db.execute_fn(load)
    except (OSError, sqlite3.Error) as exc:
        return Response.text(f"Capture {capture_id} cannot be read: {exc}", status=404)
    if loaded is None:
        return Response.text(f"No capture {capture_id}", status=404)
    capture, data = loaded
    headers = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox"}
    if request.args.get("format") == "warc":
        content_type, name = "application/warc", f"capture-{capture_id}.warc.gz"
    else:
        content_type = capture.content_type or "application/octet-stream"
        mime = content_type.split(";")[0].strip().lower()
        name = f"capture-{capture_id}.{_EXTENSIONS.get(mime, 'bin')}"
    headers["Content-Disposition"] = f'attachment; filename="{_UNSAFE.sub("_", name)}"'
    return Response(data, status=200, headers=headers, content_type=content_type)


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/-/warta/capture/(?P<id>\d+)$", capture_view)]


@hookimpl
def extra_template_vars(view_name: str, table: str | None, database: str | None, request: Any, datasette: Any) -> Any:
    if view_name != "row" or table not in ARTICLE_TABLES or request is None or database is None:
        return {}

    async def inner() -> dict[str, Any]:
        pks = request.url_vars.get("pks", "")
        db = datasette.get_database(database)
        if not pks.isdigit() or not await db.table_exists("captures"):
            return {}
        rows = (
            await db.execute(
                "SELECT id, fetched_at, status, record_type FROM captures WHERE article_id = ? ORDER BY id DESC "
                "LIMIT 20",
                [int(pks)],
            )
        ).rows
        return {
            "warta_captures": [
                {"id": r[0], "fetched_at": r[1], "status": r[2], "revisit": r[3] == "revisit",
                 "path": capture_path(datasette, r[0])}
                for r in rows
            ]
        }

    return inner
