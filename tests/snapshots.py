"""Snapshot checks shared by the per-site parser tests: a saved page beside its ``*.expected.json``.

Each site test file does::

    CASES = snapshot_cases(PAGES / "detik", FIXTURES / "detik")

    @pytest.mark.parametrize("case", CASES)
    def test_snapshot(case): check_snapshot(case)

Every field present in the expected JSON is compared exactly; every ``must_not_contain`` string must be
absent from the body; pages marked ``usable: false`` (photo galleries) are skipped with their reason.
Expected JSON without paragraphs (list pages) must be rejected by the parser with ``NotAnArticle``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from scraper.model import Article, Related

#: Fields compared exactly when the expected JSON has them.
COMPARED_FIELDS = (
    "title",
    "canonical_url",
    "paragraphs",
    "related",
    "published",
    "modified",
    "authors",
    "editors",
    "section",
    "tags",
    "dateline",
    "lead_image",
    "language",
    "pagination",
)


@dataclass(frozen=True)
class SnapshotCase:
    """One saved page and what its extraction must be."""

    html: Path
    expected: dict[str, Any]

    @property
    def url(self) -> str:
        return self.expected["url"]


def _html_for(expected_path: Path, expected: dict[str, Any]) -> Path:
    """The page beside an expected JSON: its ``file`` entry's name, else the same stem + .html."""
    if expected.get("file"):
        return expected_path.parent / Path(expected["file"]).name
    return expected_path.with_name(expected_path.name.removesuffix(".expected.json") + ".html")


def snapshot_cases(*folders: Path) -> list[Any]:
    """A pytest param per ``*.expected.json`` in the folders, with the page name as id."""
    params = []
    for folder in folders:
        for path in sorted(folder.glob("*.expected.json")):
            expected = json.loads(path.read_text(encoding="utf-8"))
            case = SnapshotCase(_html_for(path, expected), expected)
            params.append(pytest.param(case, id=f"{folder.name}/{case.html.stem}"))
    return params


def parse_case(case: SnapshotCase) -> Article:
    """Run the profile that owns the page's URL on the saved bytes."""
    from scraper.sites import site_for_url

    site = site_for_url(case.url)
    assert site is not None and site.parse is not None, f"no profile owns {case.url}"
    return site.parse(case.url, case.html.read_bytes())


def _actual(article: Article, name: str) -> Any:
    value = getattr(article, name)
    if name == "related":
        return [{"url": r.url, "title": r.title} for r in value]
    return value


def expected_date(want: Any, url: str) -> Any:
    """An expected ``published``/``modified`` as the archive must hold it: a naive one in the site's zone.

    Issue 12 §3: "never a naive timestamp in the archive or the export". ``Site.parse`` gives a date no version
    zoned the site's ``default_offset`` (a Suara 2015 page shows "19 Jun 2015 | 13:06" with no zone). Saved
    snapshots written before that keep the naive value, and the copy in ../shared cannot change with the code;
    the documented rule reads a naive expected value as the site's wall clock (``+07:00`` added on WIB sites).
    An expected value that names a zone is compared as it is.
    """
    from scraper.dates import aware
    from scraper.sites import site_for_url

    site = site_for_url(url)
    if not isinstance(want, str) or site is None:
        return want
    return aware(want, site.default_offset)


def check_snapshot(case: SnapshotCase) -> Article:
    """Parse the page and compare it with the expected extraction; returns the Article."""
    expected = case.expected
    if expected.get("usable") is False:
        pytest.skip(f"usable: false ({expected.get('kind', 'page')}): {'; '.join(expected.get('notes', []))}")
    article = parse_case(case)
    mismatches = []
    for name in COMPARED_FIELDS:
        if name not in expected:
            continue
        want, got = expected[name], _actual(article, name)
        if name in ("published", "modified"):
            want = expected_date(want, case.url)
        if got != want:
            mismatches.append(f"{name}:\n  expected {want!r}\n  got      {got!r}")
    assert not mismatches, f"{case.html.name}\n" + "\n".join(mismatches)
    for needle in expected.get("must_not_contain", []):
        assert needle not in article.body, f"{case.html.name}: body contains {needle!r}"
    assert all(isinstance(r, Related) for r in article.related)
    return article


def paragraph_f1(expected: list[str], actual: list[str], n: int = 4) -> float:
    """Word n-gram F1 of two bodies, tokenised as ../shared/bench/score.py does (``\\w+``)."""
    import re
    from collections import Counter

    def grams(paragraphs: list[str]) -> Counter[tuple[str, ...]]:
        words = re.findall(r"\w+", "\n\n".join(paragraphs))
        if len(words) <= n:
            return Counter([tuple(words)]) if words else Counter()
        return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))

    want, got = grams(expected), grams(actual)
    if not want or not got:
        return float(want == got)
    overlap = sum((want & got).values())
    if overlap == 0:
        return 0.0
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall)
