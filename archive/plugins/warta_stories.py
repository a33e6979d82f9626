"""Datasette plugin: story groups as links.

In ``story_groups`` (and queries over it) the ``members`` JSON becomes one line per article (site, date, the archived
article's page and its original URL) and ``titles`` one title per line. Every ``story`` /
``story_id`` cell links to that story's articles. All article text is escaped.
"""

from __future__ import annotations

import json
from typing import Any

from datasette import hookimpl
from markupsafe import Markup, escape

from archive.safety import safe_href

STORY_TABLES = frozenset({"story_groups", "story_articles", "stories"})


def _story_link(datasette: Any, database: str, story: int) -> Markup:
    url = datasette.urls.table(database, "story_articles") + f"?story_id={int(story)}"
    return Markup(f'<a href="{escape(url)}">{int(story)}</a>')


def _members(datasette: Any, database: str, value: str) -> Markup | None:
    try:
        members = json.loads(value)
    except ValueError:
        return None
    if not isinstance(members, list):
        return None
    lines = []
    for m in members:
        if not isinstance(m, dict) or not isinstance(m.get("id"), int):
            return None
        page = datasette.urls.row(database, "articles", str(m["id"]))
        # Only http(s) URLs become links (archive.safety): a stored URL is data from the web.
        href = safe_href(m.get("url"))
        source = Markup(' <a href="{}" rel="nofollow">(source)</a>').format(href) if href else Markup("")
        lines.append(
            Markup("{} {} <a href=\"{}\">{}</a>{}").format(
                m.get("site") or "", (m.get("published") or "")[:10], page, m.get("title") or m["id"], source
            )
        )
    return Markup("<br>").join(lines)


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str, datasette: Any) -> Markup | None:
    """Story ids as links to their articles; member lists as links; title lists one per line."""
    # table is None on query pages (the largest_stories canned query): the column names and the
    # value's shape decide there.
    if table is not None and table not in STORY_TABLES:
        return None
    if column in ("story", "story_id") and isinstance(value, int):
        return _story_link(datasette, database, value)
    if column == "members" and isinstance(value, str):
        return _members(datasette, database, value)
    if column == "titles" and isinstance(value, str) and value.startswith("["):
        try:
            titles = json.loads(value)
        except ValueError:
            return None
        if isinstance(titles, list) and all(isinstance(t, str) for t in titles):
            return Markup("<br>").join(escape(t) for t in titles)
    return None
