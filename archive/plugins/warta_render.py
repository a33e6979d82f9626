"""Datasette plugin: article bodies with their paragraph breaks (escaped), and Warta's search language.

Bodies are plain text whose paragraphs are separated by a blank line. Each paragraph becomes a
``<p>`` of *escaped* text, so an article that quotes ``<script>`` or ``<img onerror=...>`` shows
those characters instead of running them. On table pages the cell is clamped by CSS to a few
lines (render_cell cannot tell a table page from a row page; extra_css_urls can).

Search: Datasette's "escaped" search mode calls the SQL function ``escape_fts(:search)``. This
plugin redefines that function on each connection as ``archive.search.fts_query``, so the search
box accepts ``bangun*``, phrases, OR/NOT and never fails on ``anak-anak`` or ``COVID-19``.
"""

from __future__ import annotations

import json
from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from archive.search import fts_query

#: (table, column) pairs rendered as paragraphs; tables include the date view and old versions.
BODY_TABLES = frozenset({"articles", "articles_by_date", "versions"})
LIST_COLUMNS = frozenset({"authors", "editors", "tags"})

_CSS = """
.warta-body p { margin: 0 0 0.8em 0; max-width: 48em; line-height: 1.5; }
body.table .warta-body { max-height: 7.5em; overflow: hidden; }
body.table .warta-body p { margin-bottom: 0.3em; }

/* Lists of articles (warta_lists.py, templates/_table.html) */
.warta-news .warta-raw { display: none; }
.warta-news td.col-title { min-width: 14em; max-width: 34em; }
.warta-headline { font-weight: bold; }
.warta-news td.col-canonical_url { max-width: 16em; overflow-wrap: anywhere; font-size: 0.8em; }
.warta-news td.col-authors, .warta-news td.col-tags { max-width: 14em; }
.warta-news td.col-published { white-space: nowrap; }
.warta-article h1 { overflow-wrap: anywhere; }
/* On the article lists the rows come before the facets, so the first headlines are in the first
   screen (Datasette 0.65 puts five facet columns above the table). */
body.table-articles section.content, body.table-articles_by_date section.content {
    display: flex; flex-direction: column;
}
body.table-articles section.content > *, body.table-articles_by_date section.content > * { min-width: 0; }
body.table-articles .facet-results, body.table-articles_by_date .facet-results,
body.table-articles .facets-timed-out, body.table-articles_by_date .facets-timed-out { order: 1; }
body.table-articles #export, body.table-articles_by_date #export { order: 2; }
.warta-article .warta-meta { overflow-wrap: anywhere; }
@media only screen and (max-width: 576px) {
    /* One article = its headline and one line of site, section, date and authors. */
    table.rows-and-columns.warta-news td:before { content: none !important; display: none !important; }
    table.rows-and-columns.warta-news tr { padding: 0.4rem 0.5rem; }
    table.rows-and-columns.warta-news td { padding: 0; border-bottom: none; }
    table.rows-and-columns.warta-news td.warta-more,
    table.rows-and-columns.warta-news td.warta-raw { display: none; }
    table.rows-and-columns.warta-news td.col-title {
        max-width: none; min-width: 0; font-size: 1.05em; margin-bottom: 0.2em;
    }
    table.rows-and-columns.warta-news td.warta-lead:not(.col-title) { display: inline; font-size: 0.85em; color: #444; }
    table.rows-and-columns.warta-news td.warta-lead:not(.col-title):not(.col-authors):after { content: " · "; }
    /* The canned lists of articles: the reader's columns only. */
    body.query-latest_articles .rows-and-columns
        td:not(.col-title):not(.col-site):not(.col-section):not(.col-published):not(.col-authors),
    body.query-most_linked_related .rows-and-columns td.col-url,
    body.query-most_linked_related .rows-and-columns td.col-archived_article_id { display: none; }
    .rows-and-columns td { overflow-wrap: anywhere; }
    .warta-article h1 { font-size: 1.6em; }
}
"""


def render_body(text: str) -> Markup:
    """Paragraphs (split on blank lines) as <p> elements of escaped text."""
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    inner = "".join(
        # A single newline inside a paragraph (a poem, a list) stays a line break.
        f"<p>{Markup('<br>').join(escape(line) for line in p.split(chr(10)))}</p>"
        for p in paragraphs
    )
    return Markup(f'<div class="warta-body">{inner}</div>')


@hookimpl
def render_cell(value: Any, column: str, table: str | None) -> Markup | None:
    """Bodies as paragraphs; JSON lists of names as "a, b"; everything else left to Datasette."""
    if not isinstance(value, str) or table not in BODY_TABLES:
        return None
    if column == "body":
        return render_body(value)
    if column in LIST_COLUMNS and value.startswith("["):
        try:
            items = json.loads(value)
        except ValueError:
            return None
        if isinstance(items, list) and all(isinstance(i, str) for i in items):
            return Markup(escape(", ".join(items)) if items else "&nbsp;")
    return None


@hookimpl(trylast=True)
def prepare_connection(conn: Any) -> None:
    # trylast: pluggy calls it after Datasette's own prepare_connection, and in SQLite the last
    # function registered under a name wins.
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)


CSS_PATH = "/-/warta.css"


async def _css(request: Any) -> Response:
    return Response(_CSS, content_type="text/css; charset=utf-8")


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    # Served from the archive's own origin: plugins loaded from a plugins dir have no static
    # directory, and a data: stylesheet would need data: in the CSP's style-src (warta_headers).
    return [(r"^/-/warta\.css$", _css)]


@hookimpl
def extra_css_urls(datasette: Any) -> list[str]:
    return [datasette.urls.path(CSS_PATH)]
