"""pikiran-rakyat.com: the generic path with Pikiran Rakyat's ``articleBody`` (metadata fields).

Rests on [CODE okkymabruri/news-watch ``scrapers/pikiranrakyat.py``, 2026]: article links holding
``/pr-{id}`` (``/{kanal}/pr-{id}/{slug}``: the segments around it [INFERRED]), ``h1`` (else og:title), meta
``author`` (else ``.author``), meta ``article:published_time`` (else ``time``), body
``div[itemprop=articleBody]`` else ``.detail__content``. Discovery: robots.txt ``Sitemap:`` lines (the
scraper reads ``/search/?q=...``).
"""

from __future__ import annotations

import re
from typing import ClassVar

from scraper.cleaning import DEFAULT_RULES
from scraper.sites.base import Site
from scraper.sites.parser import GenericParser, Selectors

ARTICLE_URL = re.compile(r"^https?://(?:[\w-]+\.)*pikiran-rakyat\.com/(?:[\w-]+/)*pr-\d+/[\w-]+/?$")


class Pikiranrakyat2024(GenericParser):
    """``div[itemprop=articleBody]`` / ``.detail__content`` bodies."""

    name = "pikiranrakyat/2024"
    rules = DEFAULT_RULES.extend(boilerplate_lines=(r"^simak berita dan artikel lainnya di google news",))
    body_selectors: ClassVar[Selectors] = ("div[itemprop=articleBody]", ".detail__content")
    byline_selectors: ClassVar[Selectors] = (".author",)
    title_suffixes: ClassVar[Selectors] = (r"\s*[|-]\s*Pikiran Rakyat(?:\.com)?\s*$",)
    publisher_names: ClassVar[Selectors] = (r"pikiran[- ]rakyat(?:\.com)?",)


SITE = Site(name="pikiranrakyat", domains=("pikiran-rakyat.com",), article_url=ARTICLE_URL,
            parsers=(Pikiranrakyat2024,))
