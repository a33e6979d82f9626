"""inews.id: the generic path with iNews' ``.content`` body, ``.author`` and ``.createdAt`` date.

Rests on [CODE okkymabruri/news-watch ``scrapers/inews.py``, 2026]: article URLs under
``/{finance|news|regional|lifestyle|sport|otomotif}/``, the section = last ``.breadcrumb a``, ``h1``,
``.author``, ``.createdAt`` (else a "Senin, 14 April 2025 - 10:30:00 WIB" stamp in ``.timeAndShare``), body
``.content`` else ``article`` without ``baca-juga*``, ``related*`` and ad blocks. The show-all view is the
path suffix ``/all`` [CODE antisplitpage], which a query parameter cannot express: articles are read as
single pages. Discovery: robots.txt ``Sitemap:`` lines.
"""

from __future__ import annotations

import re
from typing import ClassVar

from scraper.sites.base import Site
from scraper.sites.parser import GenericParser, Selectors

ARTICLE_URL = re.compile(
    r"^https?://(?:[\w-]+\.)*inews\.id/(?:finance|news|regional|lifestyle|sport|otomotif)/(?:[\w-]+/)*[\w-]+/?$"
)


class Inews2024(GenericParser):
    """``.content`` bodies, ``.author``, ``.createdAt``."""

    name = "inews/2024"
    body_selectors: ClassVar[Selectors] = ("div.content", "article")
    byline_selectors: ClassVar[Selectors] = (".author",)
    date_selectors: ClassVar[Selectors] = (".createdAt", ".timeAndShare")
    section_selectors: ClassVar[Selectors] = (".breadcrumb a",)
    title_suffixes: ClassVar[Selectors] = (r"\s*[|-]\s*iNews(?:\.id)?\s*$",)
    publisher_names: ClassVar[Selectors] = (r"inews(?:\.id)?",)


SITE = Site(name="inews", domains=("inews.id",), article_url=ARTICLE_URL, parsers=(Inews2024,))
