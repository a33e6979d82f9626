"""The fixtures the repository carries are what ../shared holds, and only what its manifest lets us copy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, KOMPAS_FIXTURES, NEEDS_SHARED, SHARED, requires_shared

MANIFEST = FIXTURES / "pages" / "MANIFEST.md"
#: Files written for this repository beside the copies (provenance notes), not copies themselves.
OWN_FILES = {"README.md", "MANIFEST.md"}


def manifest_rows() -> dict[str, bool]:
    """``{site/file: may be copied}`` from the manifest table (its "may be copied into the repo" column)."""
    rows: dict[str, bool] = {}
    for line in MANIFEST.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\|\s*`([^`]+)`\s*\|", line)
        if m:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rows[m.group(1)] = cells[7].lower().startswith("yes")
    return rows


def carried(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in OWN_FILES)


def test_every_carried_page_may_be_copied() -> None:
    rows = manifest_rows()
    assert len(rows) >= 40
    for path in carried(FIXTURES / "pages"):
        name = path.relative_to(FIXTURES / "pages").as_posix()
        page = name.replace(".expected.json", ".html")
        if page in rows:
            assert rows[page], f"{name}: the manifest does not allow copying it"
        else:  # fundus's own expected JSON sits beside its page
            assert name in rows and rows[name], f"{name}: not in the manifest"


def test_every_page_that_may_be_copied_is_carried() -> None:
    for name, may_copy in manifest_rows().items():
        assert (FIXTURES / "pages" / name).is_file() == may_copy, name


@requires_shared
@pytest.mark.parametrize("folder, original", [
    (FIXTURES / "pages", SHARED / "pages"),
    (KOMPAS_FIXTURES, SHARED / "fixtures" / "kompas"),
], ids=["pages", "kompas"])
def test_copies_are_byte_identical(folder: Path, original: Path) -> None:
    files = carried(folder)
    assert files
    for path in files:
        source = original / path.relative_to(folder)
        assert source.read_bytes() == path.read_bytes(), f"{path} differs from {source}"
    if folder == KOMPAS_FIXTURES:  # the whole reconstruction is carried
        assert {p.relative_to(original) for p in carried(original)} == {p.relative_to(folder) for p in files}


@pytest.mark.parametrize("name", sorted(n for n, ok in manifest_rows().items() if not ok))
def test_pages_kept_in_shared_only(name: str) -> None:
    """Each page that may not be copied is read from ../shared (skipped, with the reason, in a plain clone)."""
    path = SHARED / "pages" / name
    if not (SHARED / "pages").is_dir():
        pytest.skip(f"{NEEDS_SHARED}: pages/{name} may not be copied into the repository")
    assert path.is_file()
    assert not (FIXTURES / "pages" / name).exists()
