"""What makes the archive safe to serve: which stored URLs may become links, and spreadsheet-safe cells.

Everything in the archive came from the web, so a stored URL or cell is data, never markup or a
formula. Two rules live here, once, for every output:

* ``safe_href``: only an absolute ``http``/``https`` URL becomes an ``<a href>``. Anything else
  (``javascript:``, ``data:``, ``vbscript:``, protocol-relative ``//host``, relative paths,
  entity-encoded schemes) is shown as escaped text by the caller.
* ``neutralise_cell``: a text cell a spreadsheet would read as a formula (OWASP "CSV Injection":
  it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading ``'``.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

__all__ = ["FORMULA_TRIGGERS", "neutralise_cell", "neutralise_csv_record", "safe_href"]

# Browsers drop leading/trailing C0 controls and spaces from an href and remove every tab and
# newline inside it before reading the scheme (WHATWG URL parsing), so "java\tscript:" and
# " \x01JavaScript:" are javascript: URLs to them. We do the same before deciding.
_EDGE = "".join(chr(c) for c in range(0x21))
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# The whole decision: an http(s) scheme (any case) followed by "//" and a host character. A
# protocol-relative "//host" is refused: the crawler stores absolute URLs, so one is not a URL it
# wrote, and it would take the reader off the archive under whatever scheme the page was served.
_HTTP_URL = re.compile(r"https?://[^/\\\s]", re.IGNORECASE)

#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV Injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_href(url: Any) -> str | None:
    """The URL to put in an ``<a href>``, or None when it must be shown as text (not http/https)."""
    if not isinstance(url, str):
        return None
    cleaned = _TAB_OR_NEWLINE.sub("", url.strip(_EDGE))
    # Whitelist, not blacklist: "&#106;avascript:" or "javascript&#58;" fail here because they do
    # not start with http(s)://, whatever a browser or an unescaping step would make of them.
    if not _HTTP_URL.match(cleaned) or _CONTROL.search(cleaned):
        return None
    return cleaned


def neutralise_cell(value: Any) -> Any:
    """A text cell prefixed with ``'`` when a spreadsheet would run it as a formula; others unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


# A cell that is only a number ("-5", "-0.25", "+1e3"). In a CSV produced by someone else
# (Datasette) an INTEGER -5 and the text "-5" are the same bytes; a number literal computes
# nothing, so it is left as it is rather than turning every negative number into text.
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise_csv_record(record: bytes) -> bytes:
    """One CSV record (excel dialect, UTF-8, with its line end) with formula cells neutralised.

    Returns the record unchanged, byte for byte, when no cell needs it.
    """
    text = record.decode("utf-8")
    fields = next(csv.reader(io.StringIO(text, newline="")), None)
    if not fields:
        return record
    changed = [
        "'" + f if f.startswith(FORMULA_TRIGGERS) and not _NUMBER.fullmatch(f) else f for f in fields
    ]
    if changed == fields:
        return record
    out = io.StringIO(newline="")
    ending = "\r\n" if text.endswith("\r\n") else "\n" if text.endswith("\n") else ""
    csv.writer(out, lineterminator=ending).writerow(changed)
    return out.getvalue().encode("utf-8")
