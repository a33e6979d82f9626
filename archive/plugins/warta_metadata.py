"""Datasette plugin: Warta's metadata (archive/metadata.yml) for every Warta archive served.

``datasette news.db`` (any file name) gets the title, descriptions, facets, search settings and
canned queries of archive/metadata.yml, with its database key ``archive`` renamed to the file's
database name. A database is a Warta archive when its schema says so (:func:`is_warta_archive`:
the ``articles`` table with Warta's columns, ``crawl_runs`` and ``articles_fts``), checked once per
database and file; any other database served beside it gets nothing from here. Metadata given to
Datasette itself (``--metadata``) still takes precedence, as Datasette merges it last.
"""

from __future__ import annotations

import copy
import sqlite3
import weakref
from pathlib import Path
from typing import Any

import yaml
from datasette import hookimpl

METADATA_FILE = Path(__file__).resolve().parent.parent / "metadata.yml"
#: The database key used in metadata.yml; replaced by each archive's database name.
METADATA_DB_KEY = "archive"
#: Columns of ``articles`` that only a Warta archive has together.
ARCHIVE_COLUMNS = frozenset({"canonical_url", "site", "title", "body", "body_hash", "content_hash", "first_seen"})

_metadata_file: dict[str, Any] | None = None
# Per Datasette instance: database name -> (file path, is a Warta archive).
_seen: weakref.WeakKeyDictionary[Any, dict[str, tuple[str | None, bool]]] = weakref.WeakKeyDictionary()


def warta_metadata() -> dict[str, Any]:
    """archive/metadata.yml, parsed once."""
    global _metadata_file
    if _metadata_file is None:
        _metadata_file = yaml.safe_load(METADATA_FILE.read_text(encoding="utf-8"))
    return _metadata_file


def is_warta_archive(conn: sqlite3.Connection) -> bool:
    """Whether a database has the schema of a Warta archive."""
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    if not {"articles", "crawl_runs", "articles_fts"} <= names:
        return False
    columns = {r[1] for r in conn.execute("PRAGMA table_info(articles)")}
    return ARCHIVE_COLUMNS <= columns


def _check(path: str | None) -> bool:
    if path is None:  # an in-memory database holds no archive
        return False
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        return is_warta_archive(conn)
    except sqlite3.Error:  # not a database, or locked beyond the timeout: no Warta metadata
        return False
    finally:
        conn.close()


def warta_databases(datasette: Any) -> list[str]:
    """The names of the served databases that are Warta archives (each file checked once)."""
    seen = _seen.setdefault(datasette, {})
    found = []
    for name, db in list(datasette.databases.items()):
        if name.startswith("_"):
            continue
        if name not in seen or seen[name][0] != db.path:
            seen[name] = (db.path, _check(db.path))
        if seen[name][1]:
            found.append(name)
    return found


_built: dict[tuple[str, ...], dict[str, Any]] = {}


def metadata_for(names: list[str]) -> dict[str, Any]:
    """metadata.yml with its database section copied to each archive name ({} for none).

    A fresh copy every call: Datasette merges other metadata into what the hook returns.
    """
    key = tuple(names)
    if key not in _built:
        _built[key] = _build(names)
    return copy.deepcopy(_built[key])


def _build(names: list[str]) -> dict[str, Any]:
    if not names:
        return {}
    metadata = copy.deepcopy(warta_metadata())
    section = metadata.pop("databases", {}).get(METADATA_DB_KEY, {})
    metadata["databases"] = {name: copy.deepcopy(section) for name in names}
    if "description_html" in metadata:  # its links point into the first archive
        metadata["description_html"] = metadata["description_html"].replace(f"/{METADATA_DB_KEY}/", f"/{names[0]}/")
    return metadata


@hookimpl
def get_metadata(datasette: Any, key: str | None, database: str | None, table: str | None) -> dict[str, Any]:
    return metadata_for(warta_databases(datasette))


@hookimpl
def startup(datasette: Any) -> None:
    # Check the files once before the first request rather than during it.
    warta_databases(datasette)
