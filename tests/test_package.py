"""The scraper package's front door: lazy names, and no import circle between its modules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import scraper


def test_front_door_names() -> None:
    from scraper import NotAnArticle, extract_article

    with pytest.raises(NotAnArticle):
        extract_article("https://www.detik.com/", b"")
    assert set(scraper.__all__) <= set(dir(scraper))
    for name in scraper.__all__:
        assert getattr(scraper, name) is not None
    with pytest.raises(AttributeError):
        scraper.nothing_here  # noqa: B018


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(m for m in sys.modules if m.startswith('scraper')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_importing_settings_does_not_load_the_parsers() -> None:
    loaded = _modules_after("import scraper.settings")
    assert not loaded & {"scraper.extract", "scraper.sites", "scraper.generic", "scraper.cleaning"}, loaded


@pytest.mark.parametrize("module", ["scraper.html", "scraper.fast", "scraper.generic", "scraper.extract",
                                    "scraper.sites.parser", "scraper.sites.kompas", "scraper.sites.common"])
def test_each_module_imports_first_without_a_circle(module: str) -> None:
    # Imported alone in a fresh interpreter: a circle shows up as an ImportError on a partly built module.
    assert module in _modules_after(f"import {module}")


def test_a_site_is_registered_by_its_module_alone() -> None:
    """Every module of scraper/sites but the kit is a profile named after its file: adding one registers it."""
    import importlib

    from scraper.sites import KIT_MODULES, SITES, get_site, site_modules

    get_site("kompas")
    files = {p.stem for p in (Path(scraper.__file__).parent / "sites").glob("*.py")} - {"__init__"}
    assert set(site_modules()) == files - KIT_MODULES
    assert sorted(SITES) == site_modules()
    for name in site_modules():
        assert importlib.import_module(f"scraper.sites.{name}").SITE.name == name
