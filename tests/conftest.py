"""Fixtures shared by every test file: where ../shared is, and small helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
#: The read-only shared material beside the clone; CI has it at the same relative path. A plain clone has
#: none: the tests then use the copies in tests/fixtures and skip, with NEEDS_SHARED, what may not be copied.
SHARED = REPO.parent / "shared"
HAVE_SHARED = (SHARED / "pages" / "MANIFEST.md").is_file()
#: The start of every skip reason for lack of ../shared; .ci/run fails when a skip says it.
NEEDS_SHARED = "needs ../shared"
#: The Kompas fixtures (the project's own reconstruction): always the copy in the repository.
KOMPAS_FIXTURES = FIXTURES / "kompas"
#: Saved pages of real sites: all of them in ../shared/pages, else the copies the repository may carry.
PAGES = SHARED / "pages" if HAVE_SHARED else FIXTURES / "pages"

#: Mark for a test that reads material which may not be redistributed.
requires_shared = pytest.mark.skipif(not HAVE_SHARED, reason=f"{NEEDS_SHARED}: the material may not be copied here")


def shared_file(*parts: str) -> Path:
    """A file of ../shared that the repository may not carry; skips the calling test when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{NEEDS_SHARED}: {'/'.join(parts)} may not be copied into the repository")
    return path


@pytest.fixture
def shared() -> Path:
    return SHARED


def saved_page(site: str, name: str) -> Path:
    """A saved page of ``PAGES``; one that may not be copied is skipped, with the reason, in a plain clone."""
    path = PAGES / site / name
    return path if path.exists() else shared_file("pages", site, name)
