"""Fixtures shared by every test file: where ../shared is, and small helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
#: The read-only shared material; CI has it at the same relative path.
SHARED = REPO.parent / "shared"
KOMPAS_FIXTURES = SHARED / "fixtures" / "kompas"
PAGES = SHARED / "pages"


@pytest.fixture
def shared() -> Path:
    return SHARED
