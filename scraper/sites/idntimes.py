"""idntimes.com: the generic path with IDN Times' ``article`` body and visible time (:class:`GenericParser`).

Rests on [CODE okkymabruri/news-watch ``scrapers/idntimes.py``, 2026]: ``h1`` (else og:title), meta
``author``, the first ``time`` ("14 Nov 2024, 10:30 WIB"), body paragraphs of ``article``; article URLs
``https://www.idntimes.com/{kanal}/{sub}/{slug}`` (three path segments). Emotion ``css-*`` hashed classes
of ads (notes §15, [FILTER]) are not selectors here: the cleaning finds ads by their tokens. Discovery:
robots.txt ``Sitemap:`` lines (the scraper renders tag pages; no sitemap or feed URL is evidenced).
"""

from __future__ import annotations

import re
from typing import ClassVar

from scraper.cleaning import DEFAULT_RULES
from scraper.sites.base import Site
from scraper.sites.parser import GenericParser, Selectors

ARTICLE_URL = re.compile(r"^https?://(?:www\.)?idntimes\.com/(?!tag/|search/)[\w-]+/[\w-]+/[\w-]+/?$")


class Idntimes2024(GenericParser):
    """``article`` bodies under an ``h1``, the visible ``time``."""

    name = "idntimes/2024"
    rules = DEFAULT_RULES.extend(boilerplate_lines=(r"^baca artikel selengkapnya\b",))
    body_selectors: ClassVar[Selectors] = ("article",)
    date_selectors: ClassVar[Selectors] = ("time",)
    title_suffixes: ClassVar[Selectors] = (r"\s*[|-]\s*IDN Times\s*$",)
    publisher_names: ClassVar[Selectors] = (r"idn ?times",)


SITE = Site(name="idntimes", domains=("idntimes.com",), article_url=ARTICLE_URL, parsers=(Idntimes2024,))
