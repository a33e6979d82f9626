"""tempo.com profile: the real saved pages, the current-layout fixture, list pages and URLs."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.model import NotAnArticle
from scraper.sites import get_site
from tests.conftest import PAGES
from tests.snapshots import check_snapshot, snapshot_cases

FIXTURES = Path(__file__).parent / "fixtures" / "tempo"
SITE = get_site("tempo")


@pytest.mark.parametrize("case", snapshot_cases(PAGES / "tempo", FIXTURES))
def test_snapshot(case):
    check_snapshot(case)
