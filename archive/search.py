"""The search language of the archive (Datasette's search box and ``warta export --search``).

Users type words; SQLite FTS5 has a strict syntax in which ordinary Indonesian queries fail:
``anak-anak``, ``COVID-19``, ``e-KTP`` or ``Jakarta, Bogor`` are syntax errors in raw mode, while
Datasette's escaped mode quotes ``bangun*`` into the plain word "bangun" and OR/NOT into words.
``fts_query`` keeps the useful operators and quotes everything else, so any input is a valid query:

* words (all must match); a word ending in ``*`` matches every word that starts with it;
* ``"a phrase"`` (an unbalanced quote is closed), optionally followed by ``*``;
* ``OR``, ``AND`` and ``NOT`` in capitals between two terms;
* ``title:word`` / ``body:word`` to search one column.

Parentheses are ignored (AND binds tighter than OR: ``a OR b c`` is ``a OR (b AND c)``).
"""

from __future__ import annotations

import re

__all__ = ["fts_query"]

_OPERATORS = frozenset({"AND", "OR", "NOT"})
_COLUMNS = frozenset({"title", "body"})
# Quoted phrases (with an optional column and *), else runs of anything but space, quote, parens.
_TOKEN = re.compile(r'(?:\w+:)?"[^"]*"\*?|[^\s"()]+')
_HAS_WORD = re.compile(r"\w")


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _term(chunk: str) -> str | None:
    """One search term as FTS5 syntax, or None when it holds nothing searchable."""
    column = ""
    name, sep, rest = chunk.partition(":")
    if sep and name.lower() in _COLUMNS and rest:
        column, chunk = name.lower() + " : ", rest
    prefix = chunk.endswith("*")
    text = chunk.rstrip("*")
    if text.startswith('"') and text.endswith('"') and len(text) >= 2:
        text = text[1:-1]
    if not _HAS_WORD.search(text):
        return None
    return column + _quote(text) + (" *" if prefix else "")


def fts_query(query: str) -> str:
    """A valid FTS5 MATCH expression for what the user typed; ``""`` (matches nothing) when it
    holds no searchable word."""
    if query.count('"') % 2:
        query += '"'
    parts: list[str] = []
    pending_operator: str | None = None
    for chunk in _TOKEN.findall(query):
        if chunk in _OPERATORS:
            # An operator counts only between two terms; elsewhere it is dropped.
            pending_operator = chunk if parts else None
            continue
        term = _term(chunk)
        if term is None:
            continue
        if pending_operator:
            parts.append(pending_operator)
            pending_operator = None
        parts.append(term)
    return " ".join(parts) or '""'  # an empty MATCH is a syntax error; "" matches nothing
