"""grid.id: the generic path with Grid's ``.read__article`` body; split articles whole with ``?page=all``.

Rests on [CODE okkymabruri/news-watch ``scrapers/grid.py``, 2026]: article URLs ``/read/{id}/{slug}``,
og:title, body ``.read__article`` without related, popular, share, newsletter, embed, ``bacajuga`` and
``tags__`` blocks, meta ``article:published_time`` / JSON-LD ``datePublished``, meta ``author``, meta
``article:section``; ``?page=all`` [CODE antisplitpage]. Discovery: robots.txt ``Sitemap:`` lines.
"""

from __future__ import annotations

import re
from typing import ClassVar

from scraper.cleaning import DEFAULT_RULES
from scraper.sites.base import Site
from scraper.sites.parser import GenericParser, Selectors

ARTICLE_URL = re.compile(r"^https?://(?:[\w-]+\.)*grid\.id/read/\d+/[\w-]+/?$")


class Grid2024(GenericParser):
    """``.read__article`` bodies (metadata fields)."""

    name = "grid/2024"
    rules = DEFAULT_RULES.extend(drop_tokens=(r"popular", r"^most", r"subscribe", r"author-box", r"post-tags",
                                              r"bacajuga", r"^tags__"))
    body_selectors: ClassVar[Selectors] = (".read__article",)
    title_suffixes: ClassVar[Selectors] = (r"\s*[|-]\s*(?:Semua Halaman\s*[|-]\s*)?[\w ]*Grid\.ID\s*$",)
    publisher_names: ClassVar[Selectors] = (r"grid(?:\.id)?", r"grid network")


SITE = Site(name="grid", domains=("grid.id",), article_url=ARTICLE_URL, multipage="show_all",
            show_all_params={"page": "all"}, parsers=(Grid2024,))
