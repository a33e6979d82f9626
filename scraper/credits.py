"""Credit lines and names: "Penulis: A", "Editor: B", "A, B dan C" (core, used by the profiles and the generic path)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from scraper.fast import colon_texts
from scraper.text import block_text, normalize_ws

__all__ = ["labelled_values", "split_names", "ORG_NAMES"]

_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\s+dan\s+|\s+and\s+)\s*", re.I)
#: Bylines that name the outlet, not a person.
ORG_NAMES = re.compile(
    r"^(?:tim\s+)?(?:redaksi|media indonesia|suara\.com|merdeka\.com|republika|cnn indonesia|cnbc indonesia|"
    r"sindonews(?:\.com)?|okezone|antara|detik\w*|kompas\.com|tempo)$",
    re.I,
)


def split_names(text: str | None, strip: Iterable[str] = ()) -> list[str]:
    """``"A, B dan C"`` -> ``["A", "B", "C"]``: site suffixes (``strip`` patterns) removed, outlets dropped,
    empty parts dropped, order kept, no duplicates."""
    text = normalize_ws(text)
    for pattern in strip:
        text = normalize_ws(re.sub(pattern, "", text, flags=re.I))
    names: list[str] = []
    for part in _NAME_SPLIT.split(text):
        part = part.strip(" .,:-|")
        if part and not ORG_NAMES.match(part) and part not in names:
            names.append(part)
    return names


_NEXT_CREDIT = re.compile(
    r"\s+[|/]\s+|\s*\b(?:penulis|editor|pewarta|reporter|penyunting|fotografer|sumber)\s*:", re.I
)
_INLINE = frozenset({"a", "b", "strong", "em", "i", "span", "font", "small", "u"})


def labelled_values(tree: Any, labels: Sequence[str]) -> list[str]:
    """Values of short credit lines such as ``Editor: Ade Marboen`` anywhere on the page, in order.

    A line is found by its text prefix, so the credit is read whatever element or class holds it;
    a block with several labelled lines (``Pewarta: X<br>Editor: Y``) is split on its line breaks.
    """
    alternatives = "|".join(labels)
    # At the start of a line, or after a bar between two credits ("Penulis: A | Editor: B").
    start_re = re.compile(rf"^[\s|/•·]*(?:{alternatives})\s*:", re.I)
    label_re = re.compile(rf"(?:^|\s[|/•·]\s*)(?:{alternatives})\s*:\s*(?P<value>.+)$", re.I)
    values: list[str] = []
    seen: set[Any] = set()
    for node in colon_texts(tree):  # a credit line has its colon in the label's own text node
        if not start_re.match(node):
            continue
        holder = node.getparent()
        if getattr(node, "is_tail", False) and holder is not None:
            holder = holder.getparent()
        while holder is not None and holder.tag in _INLINE and holder.getparent() is not None:
            holder = holder.getparent()
        if holder is None or holder in seen or holder.tag in ("script", "style", "title"):
            continue
        seen.add(holder)
        for line in _lines(holder):
            m = label_re.search(line)
            if m and len(line) <= 150:
                # "Penulis: A | Editor: B" on one line: the value ends at the bar or the next label.
                value = normalize_ws(_NEXT_CREDIT.split(m.group("value"))[0])
                if value and value not in values:
                    values.append(value)
    return values


_BLOCKS = frozenset({"div", "p", "ul", "ol", "li", "table", "section", "article", "h1", "h2", "h3", "h4"})


def _lines(el: Any) -> list[str]:
    """The text of a leaf block split at its ``<br>`` children (one line per credit); [] for containers."""
    if any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in el.iterdescendants()):
        return []
    pieces: list[str] = [el.text or ""]
    for child in el:
        if child.tag == "br":
            pieces.append(child.tail or "")
        else:
            pieces[-1] += (block_text(child) if isinstance(child.tag, str) else "") + (child.tail or "")
    return [t for t in (normalize_ws(p) for p in pieces) if t]
