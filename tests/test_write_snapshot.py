"""The snapshot script (tests/write_snapshot.py) writes what the snapshot check then passes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.snapshots import check_snapshot, snapshot_cases
from tests.write_snapshot import main

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("site, stem", [("detik", "detik-2024"), ("antaranews", "antaranews-2024")])
def test_a_written_snapshot_round_trips(tmp_path: Path, site: str, stem: str) -> None:
    reviewed = json.loads((FIXTURES / site / f"{stem}.expected.json").read_text(encoding="utf-8"))
    page = tmp_path / "in" / f"{stem}.html"
    page.parent.mkdir()
    shutil.copyfile(FIXTURES / site / f"{stem}.html", page)
    assert main([str(page), "--url", reviewed["url"], "--out", str(tmp_path / "out")]) == 0
    written = json.loads((tmp_path / "out" / f"{stem}.expected.json").read_text(encoding="utf-8"))
    assert (tmp_path / "out" / f"{stem}.html").read_bytes() == page.read_bytes()
    [case] = snapshot_cases(tmp_path / "out")
    check_snapshot(case.values[0])
    # The reviewed snapshot of the same page agrees on every field both hold.
    assert {k: v for k, v in written.items() if k in reviewed and k != "must_not_contain"} == {
        k: reviewed[k] for k in written if k in reviewed and k != "must_not_contain"}
    assert written["parser"].startswith(f"{site}/")


def test_a_page_that_is_not_an_article_writes_nothing(tmp_path: Path) -> None:
    page = tmp_path / "home.html"
    page.write_text("<html><head><title>Beranda</title></head><body><h1>Berita</h1></body></html>")
    assert main([str(page), "--url", "https://www.detik.com/"]) == 1
    assert not list(tmp_path.glob("*.json"))
