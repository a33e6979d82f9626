"""The KLY network's 2020-2024 article layout, shared by its hosts (a kit module, not a profile).

KLY (Kapanlagi Youniverse) runs liputan6.com, fimela.com, bola.com, merdeka.com, dream.co.id and
kapanlagi.com on one platform: the read page ``h1.read-page--header--title``,
``span.read-page--header--author__name``, ``time.read-page--header--author__datetime`` and a body
``div.article-content-body`` of ``div.article-content-body__item-page[data-page]`` blocks, every page
of a split article in the one response (liputan6 notes §5, [CODE 2026]), and the page state pushed
as ``window.kly = {...}`` (merdeka [CODE live-checked]). Issue 12 found what the profiles kept on such
pages: photo widgets (an enlarge button and a caption), sub-page counters ("Halaman 2 dari 3"),
continue-reading prompts, a missed inline "BACA JUGA:" link, the publisher's own name as an author.

:class:`Kly2020` is that layout once; each host's profile declares its own version of it (a name and
the host's ``detect``) with :func:`kly_site`. It is detected by the page state *and* the read-page
body, so the liputan6 2019 and merdeka 2023 versions keep their pages.
"""

from __future__ import annotations

import copy
import re
from typing import Any, ClassVar

import lxml.etree

from scraper.cleaning import DEFAULT_RULES, Cleaned, drop_keep_tail
from scraper.sites import common
from scraper.sites.base import Discovery, Multipage, Site
from scraper.sites.parser import GenericParser, Page, Parser, Selectors, attribute

#: The hosts' own names: never an author ("Liputan6.com", "Tim Bola.com", "Dream.co.id", "KLY").
PUBLISHERS: Selectors = (r"liputan6", r"fimela", r"bola", r"merdeka", r"dream", r"kapanlagi",
                         r"kly", r"kapanlagi youniverse")

PAGE_BLOCK = "div.article-content-body__item-page"
_PAGE_BLOCKS = lxml.etree.XPath(".//div[@data-page]")
_STATE = re.compile(r"window\.kly\s*=")

RULES = DEFAULT_RULES.extend(
    drop_tokens=(r"^read-page--photo", r"^read-page--top-media", r"^article-content-body__item-media",
                 r"^read-page--thumbs", r"^read-page--credits", r"^read-page--social", r"^vidio",
                 # The photo widget: an image with an enlarge ("Perbesar") button and its caption.
                 r"^photo-widget", r"perbesar", r"^article-content-body__item-photo", r"^zoom"),
    boilerplate_lines=(
        r"^jangan sampai ketinggalan berita terkini", r"^rate artikel ini",
        r"^(?:saksikan|simak) (?:juga )?video (?:pilihan|berikut)", r"^simak berita \S+ lainnya",
        # A sub-page counter ("Halaman 2 dari 3", "2 dari 3 halaman") and a continue-reading prompt.
        r"^\(?\s*halaman\s+\d+\s*(?:dari|/)\s*\d+\s*\)?$", r"^\d+\s*dari\s*\d+\s*halaman$",
        r"^(?:lanjut(?:kan)? (?:baca|membaca)|(?:scroll|gulir) (?:ke bawah|down) untuk (?:melanjutkan|lanjut) membaca"
        r"|baca (?:selengkapnya|kelanjutannya) di halaman (?:berikut(?:nya)?|selanjutnya)|selanjutnya\s*>*$)",
        r"^perbesar$",
    ),
)
_DATELINE = re.compile(r"^[A-Z][\w]*\.(?:com|co\.id)\s*,\s*(?P<place>[A-Z][\w .'/()]{1,40}?)\s*(?:-{1,2}|–|—)\s")
_DATE_LABEL = re.compile(r"^\s*(?:diterbitkan|diperbarui|dipublikasikan)\s+", re.I)


def merged_pages(body: Any) -> Any:
    """A copy of the body with its ``data-page`` blocks in page order (all pages come in one response)."""
    merged = copy.deepcopy(body)
    merged.tail = None
    blocks = _PAGE_BLOCKS(merged)
    if len(blocks) > 1:
        def number(block: Any) -> int:
            value = block.get("data-page") or ""
            return int(value) if value.isdigit() else 0

        holder = merged.makeelement("div", {})
        for block in sorted(blocks, key=number):
            drop_keep_tail(block, block.getparent())  # the text after a block stays where it was
            block.tail = None
            holder.append(block)
        merged.append(holder)
    return merged


def has_state(page: Page) -> bool:
    """Whether the page pushes the KLY platform's ``window.kly`` state."""
    return any(_STATE.search(s.text or "") for s in page.tree.iter("script"))


class Kly2020(GenericParser):
    """The KLY read page of 2020-2024 (see the module docstring); hosts subclass it with their name."""

    rules = RULES
    title_selectors: ClassVar[Selectors] = ("h1.read-page--header--title", "h1.entry-title", "h1")
    body_selectors: ClassVar[Selectors] = ("div.article-content-body",)
    byline_selectors: ClassVar[Selectors] = ("span.read-page--header--author__name", ".read-page-box__author__name")
    date_selectors: ClassVar[Selectors] = ("time.read-page--header--author__datetime",)
    section_selectors: ClassVar[Selectors] = ("ul.read-page--breadcrumb li a", "li[itemtype*=ListItem] [itemprop=name]")
    tag_selectors: ClassVar[Selectors] = (".tags--snippet__name", ".read-page--tags a")
    publisher_names = PUBLISHERS
    dateline_pattern = _DATELINE

    @classmethod
    def detect(cls, page: Page) -> bool:
        return page.first(PAGE_BLOCK) is not None and has_state(page)

    def clean(self, body: Any) -> Cleaned:
        return super().clean(merged_pages(body) if body is not None else None)

    @attribute
    def published(self) -> str | None:
        """The metadata's time when it agrees with the visible one ("Diterbitkan 28 Mei 2026, 12:00 WIB")."""
        visible = self.page.text(*self.date_selectors)
        return common.choose_published(self.page.meta.date_published, _DATE_LABEL.sub("", visible or "") or None)

    @attribute
    def authors(self) -> list[str]:
        """The byline unless it names the publisher, else the ``window.kly`` state's ``reporters``."""
        return super().authors() or self.people(common.split_names(common.script_field(self.page, "reporters")))

    @attribute
    def editors(self) -> list[str]:
        """Credit lines, else the ``window.kly`` state's ``editors``."""
        return super().editors() or self.people(common.split_names(common.script_field(self.page, "editors")))

    @attribute
    def pagination(self) -> dict[str, Any] | None:
        """Already whole: the pages were merged, nothing is left to fetch."""
        pages = len(self.page.select(PAGE_BLOCK))
        return {"page": 1, "pages": pages, "next": None, "show_all": None} if pages > 1 else None


def article_url(host: str, html_slugs: bool = False) -> re.Pattern[str]:
    """``/{kanal}/read/{id}/{slug}`` on the host (and ``/{kanal}/.../{slug}-{id}.html`` where the host writes it)."""
    shapes = r"(?:[\w-]+/)*read/\d+/[\w-]+/?"
    if html_slugs:
        shapes += r"|(?:[\w-]+/)+[\w-]+-\w+\.html"
    return re.compile(rf"^https?://(?:[\w-]+\.)*{re.escape(host)}/(?:{shapes})$")


def kly_site(name: str, host: str, version: type[Parser], discovery: Discovery | None = None,
             html_slugs: bool = False, multipage: Multipage = "single_response") -> Site:
    """The profile of a KLY host read by one :class:`Kly2020` version."""
    return Site(name=name, domains=(host,), article_url=article_url(host, html_slugs),
                discovery=discovery or Discovery(), multipage=multipage, parsers=(version,))
