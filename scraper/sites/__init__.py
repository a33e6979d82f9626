"""Site profiles: every module of this package that defines a ``SITE`` is one, registered here.

Adding a site is adding its module (and its fixtures): the registry finds it. ``site_for_url(url)``
finds the profile that owns a URL; pages of other hosts go through the generic path
(``scraper.generic``).
"""

from __future__ import annotations

import importlib
import pkgutil

from scraper.sites.base import Discovery, Site

__all__ = ["SITES", "Discovery", "Site", "get_site", "site_for_url"]

#: The kit every profile is written with; not profiles themselves.
KIT_MODULES = frozenset({"base", "common", "kly", "parser"})


def site_modules() -> list[str]:
    """Names of the profile modules of this package, in name order."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name not in KIT_MODULES)


SITES: dict[str, Site] = {}


def _load() -> None:
    owners: dict[str, str] = {}
    for name in site_modules():
        site = importlib.import_module(f"scraper.sites.{name}").SITE
        for domain in site.domains:  # one owner per host, or site_for_url would depend on load order
            if owners.setdefault(domain, site.name) != site.name:
                raise RuntimeError(f"{domain} is claimed by both {owners[domain]} and {site.name}")
        SITES[site.name] = site


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
