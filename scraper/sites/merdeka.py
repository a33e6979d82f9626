"""merdeka.com (KLY network).

Layouts, chosen by what the page contains (:class:`Merdeka2023`, :class:`Merdeka2015`):
* 2015 (real saved page): body ``#mdk-body-newsarea`` with paragraphs split by ``<br><br>``,
  reporter in ``#mdk-body-news-reporter``, "Baca juga:" as ``<p><strong>Baca juga:</strong><br><a>…``,
  initials ``#mdk-body-newsinit`` ("[ian]"), ``og:article:published_time`` with offset *and* "Z".
* 2023- (DonnyRZ/egi-media-crawl's adapter, live-checked 2026): URL ``/{section}/read/{id}/{slug}``; title
  ``h1.articles-content__title``; JSON-LD NewsArticle whose ``author`` name is null, so the writer is
  meta ``author`` / ``[data-tracking=author_name]``; section = last item of
  ``nav.breadcrumb-navigation`` (the JSON-LD breadcrumb ends with the headline); body
  ``.articles-content__body`` holding *every* page of a multi-page article, split by
  ``div.page-break[data-page]`` ("single_response"); tags ``.tags-articles__list a``.
* 2020-2022 (``merdeka/2020``): the KLY network's shared read page (:class:`scraper.sites.kly.Kly2020`), before
  the 2023 redesign (INFERRED from the network's common platform: ``window.kly`` state, ``/read/{id}/`` URLs).
Discovery: ``/sitemap.xml`` is an index of per-section Google News sitemaps (``/{section}/sitemap.xml``);
the RSS feed (news-watch) and the Atom feed linked from the 2020 homepage.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from scraper.cleaning import DEFAULT_RULES
from scraper.dates import parse_date
from scraper.sites import common
from scraper.sites.base import Discovery, Site
from scraper.sites.kly import Kly2020
from scraper.sites.parser import NO_DATELINE, Page, Parser, Selectors, attribute

NAME = "merdeka"
# /{section}/read/{id}/{slug} (2023-) and /{kanal}/{slug}.html (2015); company, workstation, tag and
# reporter pages are not news, foto/video/slideshow are galleries.
ARTICLE_URL = re.compile(
    r"^https?://(?:www\.|m\.)?merdeka\.com/(?!company/|workstation/|tag/|reporter/|foto/|video/|slideshow/)"
    r"(?:[\w-]+/read/\d+/[\w-]+/?|[\w-]+/(?:[\w-]+/)*[\w-]+\.html)$"
)

BODY_2015 = "#mdk-body-newsarea"
RULES = DEFAULT_RULES.extend(
    # "Baca Juga" boxes of the 2023 layout are utility-class divs (bg-primary-50): found by their label.
    drop_tokens=(r"newsinit", r"^box_shortcut$", r"^prev_next_news$", r"prevnext", r"^page-break$",
                 r"^articles-content__sinopsis$"),
)
TITLE_SUFFIXES = (r"\s*\|\s*merdeka\.com\s*$",)
TAGS = ".tags-articles__list a, .article-tags a"


class Merdeka2015(Parser):
    """``#mdk-body-newsarea`` bodies, the reporter in ``#mdk-body-news-reporter``, no breadcrumb."""

    name = "merdeka/2015"
    rules = RULES
    body_selectors: ClassVar[Selectors] = (BODY_2015,)
    dateline_pattern = NO_DATELINE  # merdeka writes no dateline the profile reads
    machine_dates_in_site_zone = False
    head_vouches = True  # home and non-article pages are rejected; Merdeka2023's head must declare an article
    #: The visible byline, read when neither JSON-LD nor meta names the writer.
    author_selectors: ClassVar[Selectors] = (
        "#mdk-body-news-reporter a[href*='/reporter/']", "a[href*='/reporter/']",
    )

    @classmethod
    def detect(cls, page: Page) -> bool:
        return page.first(BODY_2015) is not None

    def vouched(self) -> bool:
        return True  # the 2015 body it was detected by

    def find_body(self, tree: Any, fallback: bool = True) -> tuple[Any | None, bool]:
        # The 2015 body is taken as it is: no density fallback.
        return self.page.first(*self.body_selectors), True

    @attribute
    def title(self) -> str | None:
        return self.page.text(*self.title_selectors) or common.strip_title(self.page.meta.headline, TITLE_SUFFIXES)

    @attribute
    def authors(self) -> list[str]:
        # JSON-LD author names are null on the 2023 layout; meta author holds the reporter.
        meta = self.page.meta
        visible = self.page.text(*self.author_selectors)
        names = common.jsonld_names(meta, "author") or common.split_names(meta.get("author"))
        return names or common.split_names(visible)

    @attribute
    def editors(self) -> list[str]:
        return common.jsonld_names(self.page.meta, "editor")

    @attribute
    def published(self) -> str | None:
        meta = self.page.meta
        return parse_date(meta.date_published or meta.get("og:article:published_time", "pub_date"))

    @attribute
    def section(self) -> str | None:
        # No breadcrumb on the 2015 page: the channel is the first path segment ("/peristiwa/...").
        return self.page.meta.section or common.channel_from_url(self.page.url)

    @attribute
    def tags(self) -> list[str]:
        return common.link_texts(self.page.tree, (TAGS,))


class Merdeka2023(Merdeka2015):
    """``.articles-content__body`` holding every page, ``nav.breadcrumb-navigation``, the ``window.kly`` state."""

    name = "merdeka/2023"
    title_selectors = ("h1.articles-content__title", "h1")
    body_selectors = (".articles-content__body", "div.article-body", "div.article-content", "[itemprop=articleBody]")
    author_selectors = ("[data-tracking=author_name]", "a[href*='/reporter/']")

    @classmethod
    def detect(cls, page: Page) -> bool:
        # A page carrying the 2015 body is a 2015 page, whatever else it holds.
        markers = page.first(".articles-content__body", "h1.articles-content__title") is not None
        return markers and not Merdeka2015.detect(page)

    def vouched(self) -> bool:
        return common.is_article_meta(self.page.meta)

    def find_body(self, tree: Any, fallback: bool = True) -> tuple[Any | None, bool]:
        return common.find_body(tree, self.body_selectors, fallback)

    @attribute
    def editors(self) -> list[str]:
        # The 2023 layout names the editor only in its window.kly state ("editors": "...").
        return super().editors() or common.split_names(common.script_field(self.page, "editors"))

    @attribute
    def section(self) -> str | None:
        crumbs = [c for c in self.page.texts("nav.breadcrumb-navigation li") if c.lower() != "home"]
        return crumbs[-1] if crumbs else super().section()

    @attribute
    def tags(self) -> list[str]:
        return super().tags() or self.page.meta.keywords


class Merdeka2020(Kly2020):
    """The KLY 2020-2024 read page on merdeka.com."""

    name = "merdeka/2020"

    @classmethod
    def detect(cls, page: Page) -> bool:
        return Kly2020.detect(page) and not Merdeka2015.detect(page)


SITE = Site(
    name=NAME,
    domains=("merdeka.com",),
    article_url=ARTICLE_URL,
    discovery=Discovery(
        sitemaps=("https://www.merdeka.com/sitemap.xml",),
        # The index's children are per-section Google News sitemaps: /{section}/sitemap.xml.
        news_sitemap_markers=("news", "/sitemap.xml"),
        feeds=("https://www.merdeka.com/rss/", "https://www.merdeka.com/feed/"),
    ),
    multipage="single_response",  # every page is in the first response, split by div.page-break
    parsers=(Merdeka2023, Merdeka2020, Merdeka2015),
)
