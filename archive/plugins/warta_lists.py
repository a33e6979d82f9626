"""Datasette plugin: lists of articles that read like news.

Every list of articles (the ``articles`` table and its search results, the ``articles_by_date``
view, the canned queries, any query that selects an article's ``id`` and ``title``):

* the headline links to the archived article page (``/<db>/articles/<id>``), not to the publisher;
* ``published`` and ``modified`` read as ``14 Nov 2024, 10:30 WIB``: the time in the zone the
  article gives (WIB, WITA, WIT by their offsets), the ISO value in the ``<time>`` element;
* ``authors``, ``editors`` and ``tags`` read as names.

On the table pages of the article tables, ``_table.html`` (archive/plugins/templates) puts the
headline, site, section, published and authors first; ids, counts and the publisher's URL follow,
and the raw columns (body, hashes, keys, crawl times) are hidden unless asked for with ``_col=``.
At phone width each article is a headline with one line of site, section, date and authors.
The JSON and CSV keep every column, raw, in the table's order.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from datasette import hookimpl
from markupsafe import Markup, escape

from archive.safety import safe_href

#: Tables and views whose rows are articles (``id`` is the article's id).
ARTICLE_TABLES = frozenset({"articles", "articles_by_date"})
#: Tables and views whose ``article_id`` column is the article a row is about.
ARTICLE_ID_TABLES = frozenset({"story_articles", "versions", "captures", "related_links"})
#: Tables where times and name lists are rendered (None: a query page).
RENDERED_TABLES = ARTICLE_TABLES | ARTICLE_ID_TABLES | {"story_groups", None}

#: What a reader needs first, in this order.
LEAD_COLUMNS = ("title", "site", "section", "published", "authors")
#: Shown after the lead columns on the table pages.
MORE_COLUMNS = ("tags", "word_count", "modified", "editors", "id", "canonical_url")
TIME_COLUMNS = frozenset({"published", "modified", "first_published", "last_published"})
LIST_COLUMNS = frozenset({"authors", "editors", "tags"})

#: Indonesian time zones by offset (stack notes: WIB +07:00, WITA +08:00, WIT +09:00).
ZONES = {"+07:00": "WIB", "+08:00": "WITA", "+09:00": "WIT", "+00:00": "UTC"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}$")


def readable_time(value: Any) -> str | None:
    """``2024-11-14T10:30:00+07:00`` as ``14 Nov 2024, 10:30 WIB`` (None when it is not a time)."""
    if not isinstance(value, str) or not value[:4].isdigit():
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        return None
    day = f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"
    if _DATE_ONLY.match(value):
        return day
    text = f"{day}, {moment:%H:%M}"
    if moment.tzinfo is None:  # the page gave no zone: none is invented
        return text
    offset = moment.strftime("%z")
    offset = f"{offset[:3]}:{offset[3:]}"
    return f"{text} {ZONES.get(offset, 'UTC' + offset)}"


def time_cell(value: str) -> Markup | None:
    """A ``<time>`` element with the readable time, the stored value as its datetime."""
    text = readable_time(value)
    if text is None:
        return None
    return Markup('<time datetime="{}" title="{}">{}</time>').format(value, value, text)


def _names(value: str) -> Markup | None:
    try:
        items = json.loads(value)
    except ValueError:
        return None
    if isinstance(items, list) and all(isinstance(i, str) for i in items):
        return Markup(escape(", ".join(items)) if items else "&nbsp;")
    return None


def _keys(row: Any) -> set[str]:
    try:
        return set(row.keys())
    except AttributeError:
        return set()


def article_id_of(row: Any, table: str | None) -> int | None:
    """The archived article a row's headline stands for (None when there is none)."""
    keys = _keys(row)
    for key, tables in (("id", ARTICLE_TABLES | {None}), ("article_id", ARTICLE_ID_TABLES | {None}),
                        ("archived_article_id", {None}), ("target_id", {"related_links", None})):
        if key in keys and table in tables and isinstance(row[key], int):
            return int(row[key])
    return None


def headline(datasette: Any, database: str, row: Any, table: str | None, title: str) -> Markup | None:
    """The title as a link to its archived article page; on a query without one, to the publisher."""
    article = article_id_of(row, table)
    if article is not None:
        href = datasette.urls.row(database, "articles", str(article))
        return Markup('<a class="warta-headline" href="{}">{}</a>').format(href, title)
    keys = _keys(row)
    if table is None and "archived_article_id" in keys:  # a related link the archive does not hold
        url = row["url"] if "url" in keys else None
        href = safe_href(url)
        if href:
            return Markup('<a href="{}" rel="noopener nofollow">{}</a> (not archived)').format(href, title)
    return None


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any) -> Markup | None:
    if table not in RENDERED_TABLES or not isinstance(value, str):
        return None
    if column in ("title", "article_title"):
        if column == "article_title" and "article_id" in _keys(row) and isinstance(row["article_id"], int):
            href = datasette.urls.row(database, "articles", str(row["article_id"]))
            return Markup('<a class="warta-headline" href="{}">{}</a>').format(href, value)
        return headline(datasette, database, row, table, value) if column == "title" else None
    if column in TIME_COLUMNS:
        return time_cell(value)
    # The article tables' name lists are warta_render's (it renders their bodies too).
    if column in LIST_COLUMNS and value.startswith("[") and table not in ("articles", "articles_by_date", "versions"):
        return _names(value)
    return None


class NewsList:
    """Column order for ``_table.html``: lead columns, then more, then the raw ones (hidden)."""

    def __init__(self, show_all: bool) -> None:
        self.show_all = show_all

    def kind(self, name: str) -> str:
        """The CSS class of a column: warta-lead, warta-more or warta-raw."""
        if name in LEAD_COLUMNS:
            return "warta-lead"
        if name in MORE_COLUMNS or self.show_all:
            return "warta-more"
        return "warta-raw"

    def _rank(self, name: str) -> tuple[int, int]:
        if name in LEAD_COLUMNS:
            return (0, LEAD_COLUMNS.index(name))
        if name in MORE_COLUMNS:
            return (1, MORE_COLUMNS.index(name))
        return (2, 0)

    def columns(self, display_columns: list[dict[str, Any]]) -> list[tuple[dict[str, Any], str]]:
        """The columns in reading order, each with its kind (a stable sort keeps the rest's order)."""
        ordered = sorted(display_columns, key=lambda c: self._rank(c["name"]))
        return [(c, self.kind(c["name"])) for c in ordered]

    def cells(self, row: Any) -> list[tuple[dict[str, Any], str]]:
        """A row's cells in the same order as :meth:`columns`."""
        ordered = sorted(list(row), key=lambda c: self._rank(c["column"]))
        return [(c, self.kind(c["column"])) for c in ordered]


@hookimpl
def extra_template_vars(view_name: str, table: str | None, request: Any) -> dict[str, Any]:
    if view_name != "table" or table not in ARTICLE_TABLES:
        return {}
    asked = request is not None and any(k in ("_col", "_nocol") for k in request.args.keys())
    return {"warta_list": NewsList(show_all=asked)}
