"""``warta export --format warc``: the captures of the selected articles as one WARC file.

A ``warcinfo`` record first, then for each article (in publication order) each distinct payload
fetched for it: its ``response`` record and the ``request`` record that follows it, copied byte
for byte from the archive's WARC files (gzip members stay members; digests stay valid). Revisits
are not copied: the response they point at is. pywb and ReplayWeb.page index such a file as it is;
any WARC reader (``warta import`` elsewhere, warcio) gets the pages back as served.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import BinaryIO

import sqlite_utils

from archive.captures import article_captures, warcinfo_record
from archive.export import _filters

PROGRESS_EVERY = 100


def export_warc(
    db: sqlite_utils.Database,
    root: Path,
    out: BinaryIO,
    *,
    site: list[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    search: str | None = None,
    filename: str = "warta-export.warc.gz",
    progress: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Write the WARC; returns (articles with captures, response records written)."""
    where, params = _filters(site, since, until, search)
    out.write(warcinfo_record(filename, {"description": "Warta export: the captures of the selected articles"}))
    articles = records = 0
    # The ids stream from one cursor while each article's captures are read with another.
    cursor = db.conn.execute(f"SELECT id FROM articles{where} ORDER BY published, id", params)
    for (article_id,) in cursor:
        captures = article_captures(db.conn, root, article_id)
        if not captures:
            continue
        articles += 1
        for capture in captures:
            out.write(capture.members())
            records += 1
        if progress and articles % PROGRESS_EVERY == 0:
            progress(articles)
    if progress:
        progress(articles)
    return articles, records
