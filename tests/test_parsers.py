"""The contract of every site profile: each parser version it declares has a snapshot that it passes.

One test per site x version (``Site.parsers``): among the saved pages with an expected JSON
(``tests/fixtures/<site>/``, ``../shared/pages/<folder>/``, ``../shared/fixtures/kompas/expected/``) at
least one is extracted with that version's name in ``Article.parser``, and every such page matches its
snapshot. A version without a page fails, naming itself: adding a version means adding its fixture.

Every site declares its versions; in a site with several, each version detects its own layout (a
version that inherited its parent's ``detect`` would claim the parent's pages).
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pytest

from scraper.model import NotAnArticle
from scraper.sites import SITES, get_site, site_for_url
from scraper.sites.parser import Parser
from tests.conftest import KOMPAS_FIXTURES, PAGES
from tests.snapshots import SnapshotCase, check_snapshot, snapshot_cases

FIXTURES = Path(__file__).parent / "fixtures"

def _all_cases() -> list[SnapshotCase]:
    """Every saved page with an expected extraction, wherever it is kept."""
    folders = sorted(p for p in FIXTURES.iterdir() if p.is_dir()) + sorted(p for p in PAGES.iterdir() if p.is_dir())
    cases = [param.values[0] for param in snapshot_cases(*folders)]
    for path in sorted((KOMPAS_FIXTURES / "expected").glob("*.json")):
        expected = json.loads(path.read_text(encoding="utf-8"))
        if "paragraphs" in expected:  # the index, robots and sitemap expectations are not article snapshots
            cases.append(SnapshotCase(KOMPAS_FIXTURES / f"{path.stem}.html", expected))
    return cases


@lru_cache(maxsize=1)
def cases_by_version() -> dict[str, list[SnapshotCase]]:
    """The snapshot cases grouped by the ``Article.parser`` their page is extracted with."""
    grouped: dict[str, list[SnapshotCase]] = defaultdict(list)
    for case in _all_cases():
        site = site_for_url(case.url)
        if site is None or site.parse is None or case.expected.get("usable") is False:
            continue
        try:
            article = site.parse(case.url, case.html.read_bytes())
        except NotAnArticle:
            continue
        grouped[article.parser or ""].append(case)
    return grouped


def _site_versions() -> list[object]:
    get_site("kompas")  # loads the registry
    return [pytest.param(site.name, version, id=version.name or f"{site.name}/?")
            for site in SITES.values() for version in site.parsers]


def test_every_site_declares_parser_versions() -> None:
    get_site("kompas")
    assert len(SITES) >= 14
    assert [name for name, site in SITES.items() if not site.parsers] == []


@pytest.mark.parametrize(("site_name", "version"), _site_versions())
def test_each_version_of_a_site_with_several_detects_its_own_layout(site_name: str, version: type[Parser]) -> None:
    if len(get_site(site_name).parsers) > 1:
        assert "detect" in vars(version), f"{version.__qualname__} inherits detect(): it would claim another layout"


@pytest.mark.parametrize(("site_name", "version"), _site_versions())
def test_every_version_has_a_snapshot_it_passes(site_name: str, version: type[Parser]) -> None:
    site = get_site(site_name)
    assert issubclass(version, Parser)
    assert version.name.startswith(f"{site_name}/"), f"{version.__name__}.name must be '{site_name}/<version>'"
    assert [v.name for v in site.parsers].count(version.name) == 1, f"{version.name} is declared twice"
    cases = cases_by_version().get(version.name)
    assert cases, f"{version.name} ({version.__qualname__}) has no saved page with an expected JSON"
    for case in cases:
        article = check_snapshot(case)
        assert article.parser == version.name
        if "parser" in case.expected:
            assert case.expected["parser"] == version.name
