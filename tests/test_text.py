"""The whitespace rule of ``scraper.text.normalize_ws``, pinned to its regex definition.

normalize_ws collapses with ``str.split()`` instead of ``re.sub(r"\\s+", " ", s).strip()`` (several times
faster on long paragraphs): the two agree only because both use the same set of whitespace characters.
"""

from __future__ import annotations

import re
import sys

import pytest

from scraper.text import normalize_ws

_EVERY_CHAR = "".join(chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF)
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f"


def _by_regex(s: str) -> str:
    """The rule as the fixtures README states it: invisible characters removed, \\s runs collapsed, trimmed."""
    return re.sub(r"\s+", " ", re.sub(f"[{_INVISIBLE}]", "", s)).strip()


def test_split_whitespace_is_regex_whitespace() -> None:
    assert [c for c in _EVERY_CHAR if c.isspace()] == re.findall(r"\s", _EVERY_CHAR)


@pytest.mark.parametrize("text", [
    "", "   ", "a", " a  b ", "a\u00a0\u00a0b", "a \u200b b", "\u200b", "x\u200by", "a\t\n\r\x0b\x0c\x1c\x1fb",
    "\u3000Jakarta,\u2009KOMPAS.com\u00a0- ", "ascii only  text\n", "\ufeffBOM di awal", "a\u00ad\u2060b \u200e \u200fc",
    "Ini \u201ckutipan\u201d  \u2014  dan\u202fspasi\u205fsempit",
])
def test_normalize_ws_matches_the_regex_rule(text: str) -> None:
    assert normalize_ws(text) == _by_regex(text)


def test_normalize_ws_on_every_character() -> None:
    # Each character alone, between letters and beside an invisible one: the same as the regex rule.
    for chunk in (_EVERY_CHAR[i:i + 4096] for i in range(0, len(_EVERY_CHAR), 4096)):
        text = " x ".join(f"{c}\u200b {c}" for c in chunk)
        assert normalize_ws(text) == _by_regex(text)
