"""Datasette plugin: the article shown as an article on its row page (see archive/templates/row.html).

Gives the row template of ``articles`` (and ``articles_by_date``) one ``warta_article`` dict: the
fields, the paragraphs, the "Baca juga" links (each linked to its archived copy when the archive
holds it; an outside link only when it is http(s), see archive.safety.safe_href), and links to the
article's aliases, versions and story. Other pages get nothing.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from datasette import hookimpl

from archive.plugins.warta_lists import readable_time
from archive.safety import safe_href

ARTICLE_TABLES = frozenset({"articles", "articles_by_date"})


def _list(value: Any) -> list[str]:
    """A JSON array column as a list of strings ([] for anything else)."""
    try:
        items = json.loads(value) if isinstance(value, str) else []
    except ValueError:
        return []
    return [str(i) for i in items] if isinstance(items, list) else []


async def _article(datasette: Any, database: str, article_id: str) -> dict[str, Any] | None:
    db = datasette.get_database(database)
    rows = (await db.execute("SELECT * FROM articles WHERE id = ?", [article_id])).rows
    if not rows:
        return None
    a = dict(rows[0])
    base = datasette.urls.database(database)
    related = (
        await db.execute(
            "SELECT r.url, r.title, "
            "coalesce((SELECT id FROM articles WHERE canonical_url = r.url),"
            " (SELECT article_id FROM aliases WHERE url = r.url)) AS target "
            "FROM related r WHERE r.article_id = ? ORDER BY r.position",
            [a["id"]],
        )
    ).rows
    counts = (
        await db.execute(
            "SELECT (SELECT count(*) FROM aliases WHERE article_id = :id),"
            " (SELECT count(*) FROM versions WHERE article_id = :id)",
            {"id": a["id"]},
        )
    ).rows[0]
    story = None
    if await db.table_exists("stories"):
        found = (await db.execute("SELECT story_id FROM stories WHERE article_id = ?", [a["id"]])).rows
        story = found[0][0] if found else None
    return {
        **{k: a.get(k) for k in ("title", "site", "section", "published", "modified", "dateline",
                                 "canonical_url", "word_count", "first_seen", "last_seen")},
        # Dates as a reader says them, in the article's zone (14 Nov 2024, 10:30 WIB).
        "published_text": readable_time(a.get("published")) or a.get("published"),
        "modified_text": readable_time(a.get("modified")) or a.get("modified"),
        # Only http(s) URLs become links (archive.safety); the template shows any other as text.
        "canonical_href": safe_href(a.get("canonical_url")),
        "authors": _list(a.get("authors")),
        "editors": _list(a.get("editors")),
        "tags": _list(a.get("tags")),
        "paragraphs": [p for p in (a.get("body") or "").split("\n\n") if p.strip()],
        "related": [
            {"url": r[0], "href": safe_href(r[0]), "title": r[1],
             "archived_path": f"{base}/articles/{r[2]}" if r[2] else None}
            for r in related
        ],
        "aliases": counts[0],
        "aliases_path": f"{base}/aliases?" + urlencode({"article_id": a["id"]}),
        "versions": counts[1],
        "versions_path": f"{base}/versions?" + urlencode({"article_id": a["id"]}),
        "story_path": f"{base}/story_articles?" + urlencode({"story_id": story}) if story is not None else None,
    }


@hookimpl
def extra_template_vars(view_name: str, table: str | None, database: str | None, request: Any, datasette: Any) -> Any:
    if view_name != "row" or table not in ARTICLE_TABLES or request is None or database is None:
        return {}

    async def inner() -> dict[str, Any]:
        pks = request.url_vars.get("pks", "")
        if not pks.isdigit():  # articles has one integer primary key
            return {}
        return {"warta_article": await _article(datasette, database, pks)}

    return inner
