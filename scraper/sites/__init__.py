"""Site profiles. Each module builds one ``Site`` and this package registers it.

``site_for_url(url)`` finds the profile that owns a URL; pages of other hosts go through the
generic path (``scraper.generic``).
"""

from __future__ import annotations

import importlib

from scraper.sites.base import Discovery, Site

__all__ = ["Discovery", "Site", "SITES", "get_site", "site_for_url"]

#: Module names under scraper.sites, one per profile. Add a site by adding its module here.
SITE_MODULES: tuple[str, ...] = (
    "kompas",
    "detik",
    "tribunnews",
    "liputan6",
    "antaranews",
    "okezone",
    "tempo",
    "suara",
    "merdeka",
    "republika",
    "mediaindonesia",
    "cnnindonesia",
    "cnbcindonesia",
    "sindonews",
)

SITES: dict[str, Site] = {}


def _load() -> None:
    for name in SITE_MODULES:
        module = importlib.import_module(f"scraper.sites.{name}")
        SITES[module.SITE.name] = module.SITE


def get_site(name: str) -> Site:
    """The profile called ``name``; KeyError with the known names otherwise."""
    if not SITES:
        _load()
    try:
        return SITES[name]
    except KeyError:
        raise KeyError(f"unknown site {name!r}; known: {', '.join(sorted(SITES))}") from None


def site_for_url(url: str) -> Site | None:
    if not SITES:
        _load()
    for site in SITES.values():
        if site.owns(url):
            return site
    return None
