"""The parser base class: the one sequence from a saved page to an :class:`Article`, and layout versions.

A site's parser is a class per layout version (fundus's ``ParserProxy`` model, but chosen by page
content: saved pages carry no crawl date). A version subclasses the one before it and overrides only
the selectors and attribute methods that changed. A version that subclasses another must define its
own ``detect`` (``tests/test_parsers.py`` checks it): an inherited one would claim its parent's pages::

    class Kompas2015(Parser):
        name = "kompas/2015"
        title_selectors = ("h1.title",)

    class Kompas2024(Kompas2015):
        name = "kompas/2024"

        @classmethod
        def detect(cls, page: Page) -> bool:
            return page.first("div.read__content") is not None

The site declares its versions newest first (``Site(parsers=(Kompas2024, Kompas2015))``);
``Site.parse`` loads the page once, runs the first version whose ``detect(page)`` recognises the page's
layout by its markers, and falls back to the **newest version** when none does: on the live web a page
no version recognises is most likely the current layout with a class renamed (the newest version's
fallbacks, text density and wording, are made for it) or no article at all (it must ``reject()`` those).
Each version keeps the selectors of its own layout, typed ``ClassVar[Selectors]`` (``tuple[str, ...]``)
so that a later version may list more or fewer.

Switches instead of overrides: ``head_vouches`` (which pages are articles), ``machine_dates_in_site_zone``
(metadata dates shown in WIB or as written), ``dateline_pattern`` (the core's shape, the site's, or
``NO_DATELINE``).

:meth:`Parser.parse` runs the sequence once: ``reject()`` (non-article pages) -> ``body()`` (the
container, or NotAnArticle) -> the title is required -> ``clean(body)`` -> paragraphs are required ->
``article()``, which reads every attribute method (``title``, ``authors``, ``published``...), each named
after its :class:`Article` field and computed at most once per page (``@attribute``). Selectors are
class attributes: compiled once, on first use, by ``scraper.fast``. Page trees are read-only.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from scraper.cleaning import DEFAULT_RULES, Cleaned, CleanRules, find_dateline
from scraper.dates import parse_date
from scraper.model import Article
from scraper.sites import common
from scraper.sites.common import Page, require

if TYPE_CHECKING:
    from scraper.sites.base import Site

__all__ = ["NO_DATELINE", "GenericParser", "Page", "Parser", "Selectors", "attribute"]

F = TypeVar("F", bound=Callable[..., Any])

#: CSS selectors tried in order. One alias for every selector attribute, so that a version's override may
#: list more or fewer than its parent's. The first version to set one in a site annotates it
#: ``ClassVar[Selectors]``: mypy types an unannotated tuple literal by its length, base declaration or not.
Selectors = tuple[str, ...]

#: ``dateline_pattern`` of a site that writes no dateline the profile reads (matches nothing).
NO_DATELINE: re.Pattern[str] = re.compile(r"(?!)")


def attribute(method: F) -> F:
    """Mark an attribute method and compute it at most once per page (titles and dates are read twice)."""
    key = method.__qualname__  # per class: an override calling super() caches both values apart

    @functools.wraps(method)
    def once(self: Parser) -> Any:
        values = self._values
        if key not in values:
            values[key] = method(self)
        return values[key]

    return cast(F, once)


class Parser:
    """One layout version of a site's article pages (see the module docstring)."""

    #: ``"<site>/<version>"``, written to ``Article.parser``.
    name: ClassVar[str] = ""
    #: The site's cleaning rules (``DEFAULT_RULES.extend(...)``).
    rules: ClassVar[CleanRules] = DEFAULT_RULES
    #: Headline selectors tried in order; the JSON-LD/meta headline when none has text.
    title_selectors: ClassVar[Selectors] = ("h1",)
    #: Body container selectors tried in order, then the densest block of prose (``common.find_body``).
    body_selectors: ClassVar[Selectors] = ()
    #: Visible publication dates: the first that the core reads is checked against the metadata's.
    date_selectors: ClassVar[Selectors] = ()
    #: Breadcrumb items: the last is the section (else the metadata's).
    section_selectors: ClassVar[Selectors] = ()
    #: Visible tag links (else the metadata keywords).
    tag_selectors: ClassVar[Selectors] = ()
    #: The dateline at the start of the first paragraph (group ``place``); None: the core's shape;
    #: ``NO_DATELINE``: none is read.
    dateline_pattern: ClassVar[re.Pattern[str] | None] = None
    #: Which pages are articles. False: a page is one when its URL is an article URL of the site or its
    #: JSON-LD declares an article, else only a body selector can vouch for it (no density scan of list
    #: pages; "no_body" when nothing holds prose). True: home pages and pages under no article URL (nor
    #: canonical) without JSON-LD are rejected first, then any page whose head does not vouch for an
    #: article (:meth:`vouched`), before the body is looked for ("not_article_page" when none is found).
    head_vouches: ClassVar[bool] = False
    #: True: metadata dates are shown in the site's zone, WIB (``common.in_zone``: UTC converted, naive
    #: ones given WIB). False: as the page writes them (``scraper.dates.parse_date``).
    machine_dates_in_site_zone: ClassVar[bool] = True

    def __init__(self, site: Site, page: Page) -> None:
        self.site = site
        self.page = page
        self.cleaned = Cleaned(paragraphs=[], related=[])
        self._values: dict[str, Any] = {}

    @classmethod
    def detect(cls, page: Page) -> bool:
        """Whether the page carries this version's layout markers (no page is assumed to be in a layout)."""
        return False

    # --- the sequence ----------------------------------------------------------------------------------

    def parse(self) -> Article:
        """The article of the page; NotAnArticle with its reason for anything else."""
        self.reject()
        body = self.body()
        require(self.title(), "no_title")
        self.cleaned = self.clean(body)
        require(self.paragraphs(), "no_body")
        return self.article()

    def reject(self) -> None:
        """Raise NotAnArticle for pages that are no article (galleries, videos...) before any body is looked for.

        With ``head_vouches``: home pages, pages under no article URL without JSON-LD, and pages whose head
        does not :meth:`vouch <vouched>` for an article.
        """
        if self.head_vouches:
            common.check_page_kind(self.page, self.site)
            require(self.vouched(), "not_article_page", "no article markup")

    def vouched(self) -> bool:
        """Whether the head declares an article (JSON-LD or og:type), for ``head_vouches`` sites."""
        return common.is_article_meta(self.page.meta)

    def body(self) -> Any:
        """The body container; NotAnArticle for home, index and list pages, or when nothing holds prose.

        Without ``head_vouches``, the cheap signs come first: when neither the URL nor JSON-LD says
        article, only a body selector can vouch for the page and the density fallback is not run at all
        (list pages are big).
        """
        page = self.page
        if self.head_vouches:
            body = self.find_body(page.tree)[0]
            require(body is not None, "not_article_page", "no article body")
            return body
        vouched = self.site.is_article_url(page.url) or bool(page.meta.article)
        body, fast = self.find_body(page.tree, vouched)
        require(vouched or fast, "not_article_page", f"no article URL, JSON-LD or body container: {page.url}")
        require(body is not None, "no_body", "no body container")
        return body

    def find_body(self, tree: Any, fallback: bool = True) -> tuple[Any | None, bool]:
        """``(container, found by a selector)``: ``body_selectors`` in order, else (``fallback``) the densest block."""
        return common.find_body(tree, self.body_selectors, fallback)

    def clean(self, body: Any) -> Cleaned:
        """The cleaned body (a copy: the page tree stays whole)."""
        return common.clean(body, self.rules, self.page.url)

    def article(self) -> Article:
        """The Article of every attribute method."""
        return Article(
            url=self.page.url, canonical_url=self.canonical_url(), site=self.site.name, title=self.title() or "",
            paragraphs=self.paragraphs(), description=self.description(), authors=self.authors(),
            editors=self.editors(), published=self.published(), modified=self.modified(), section=self.section(),
            tags=self.tags(), dateline=self.dateline(), lead_image=self.lead_image(), language=self.language(),
            related=self.related(), pagination=self.pagination(), parser=self.name,
        )

    # --- attributes: metadata first, the site's selectors where it has them ------------------------------

    @attribute
    def title(self) -> str | None:
        return self.page.text(*self.title_selectors) or self.page.meta.headline

    def paragraphs(self) -> list[str]:
        return self.cleaned.paragraphs

    def related(self) -> list[Any]:
        return self.cleaned.related

    @attribute
    def canonical_url(self) -> str:
        """The canonical URL without the site's show-all parameters."""
        return common.canonical_url(self.page.meta, self.page.url, self.site.show_all_params)

    @attribute
    def description(self) -> str | None:
        return self.page.meta.description

    @attribute
    def authors(self) -> list[str]:
        return self.page.meta.authors

    @attribute
    def editors(self) -> list[str]:
        return []

    def machine_date(self, value: str | None, zone: str | None = None) -> str | None:
        """A metadata date shown in ``zone`` (default: the site's), or as written with naive values given
        that zone (``machine_dates_in_site_zone`` False)."""
        zone = zone or self.site.default_offset
        return common.in_zone(value, zone) if self.machine_dates_in_site_zone else parse_date(value, zone)

    @attribute
    def published(self) -> str | None:
        """The metadata's datePublished; with ``date_selectors``, the visible time when the two disagree."""
        machine = self.page.meta.date_published
        if self.date_selectors:
            return common.choose_published(machine, common.first_date_text(self.page.tree, self.date_selectors))
        return self.machine_date(machine)

    @attribute
    def modified(self) -> str | None:
        """The metadata's dateModified when later than the publication (else None: not an update)."""
        return common.modified_after(self.published(), self.page.meta, self.machine_date, self.site.default_offset)

    @attribute
    def section(self) -> str | None:
        """The last breadcrumb item (``section_selectors``), else the metadata section."""
        crumbs = common.breadcrumb(self.page.tree, self.section_selectors)
        return crumbs[-1] if crumbs else self.page.meta.section

    @attribute
    def tags(self) -> list[str]:
        """The visible tag links (``tag_selectors``), else the metadata keywords without pseudo-tags."""
        return common.link_texts(self.page.tree, self.tag_selectors) or common.real_tags(self.page.meta.keywords)

    @attribute
    def dateline(self) -> str | None:
        if self.dateline_pattern is NO_DATELINE:
            return None
        if self.dateline_pattern is None:
            return find_dateline(self.paragraphs()[0])
        return common.dateline(self.dateline_pattern, self.paragraphs())

    @attribute
    def lead_image(self) -> str | None:
        return self.page.meta.image

    @attribute
    def language(self) -> str | None:
        return "id"

    @attribute
    def pagination(self) -> dict[str, Any] | None:
        return None


class GenericParser(Parser):
    """A profile on the generic path: the site's containers and rules first, the generic body extraction after.

    The one way a profile without a hand-made body finder is written (``scraper/sites/kumparan.py``...):
    ``body_selectors`` name the site's article containers, cleaned like any profile's with ``rules``;
    when none matches (a class renamed, a layout no evidence shows), the page is read the way
    ``scraper.generic.extract_generic`` reads a page of an unknown site (trafilatura's main text,
    "Baca juga" lines and lists lifted into ``related``), then cleaned with the same ``rules``. Either
    way the page must be an article URL of the site or declare an article in JSON-LD.

    Fields come from the site's selectors, else the metadata: ``title_suffixes`` are cut from a
    metadata headline, ``byline_selectors`` and ``byline_labels`` (credit lines found by their
    wording, "Penulis:") name the writers, ``editor_labels`` the editors, and ``publisher_names``
    (patterns) are never an author: a byline naming the outlet names nobody.
    """

    #: Patterns cut from a metadata headline (" | Kumparan", " - Bisnis.com").
    title_suffixes: ClassVar[Selectors] = ()
    #: Visible bylines tried in order (their text split into names).
    byline_selectors: ClassVar[Selectors] = ()
    #: Credit-line labels read by their wording when no byline selector has text ("Penulis", "Reporter").
    byline_labels: ClassVar[Selectors] = ("penulis", "reporter", "pewarta")
    #: Credit-line labels of the editors.
    editor_labels: ClassVar[Selectors] = ("editor", "penyunting", "redaktur")
    #: Patterns of the publisher's own names (matched on a whole name, case-insensitive).
    publisher_names: ClassVar[Selectors] = ()
    #: Text cut from a byline before it is split ("Oleh ", " - detikNews").
    byline_strip: ClassVar[Selectors] = (r"^\s*(?:oleh|by|penulis|reporter)\s*:?\s+",)

    def body(self) -> Any:
        """The site's container (no density scan), else None: the generic path reads the page in ``clean``."""
        page = self.page
        container = common.find_body(page.tree, self.body_selectors, False)[0] if self.body_selectors else None
        if container is not None:
            return container
        vouched = self.site.is_article_url(page.url) or bool(page.meta.article)
        require(vouched, "not_article_page", f"no article URL, JSON-LD or body container: {page.url}")
        return None

    def clean(self, body: Any) -> Cleaned:
        if body is not None:
            return super().clean(body)
        return common.generic_body(self.page, self.rules, self.title() or "")

    @attribute
    def title(self) -> str | None:
        headline = self.page.meta.headline or self.page.meta.title_tag
        return self.page.text(*self.title_selectors) or common.strip_title(headline, self.title_suffixes) or None

    def people(self, names: list[str]) -> list[str]:
        """Names without the publisher's own (``publisher_names``) and the site's name."""
        return common.without_publisher(names, (*self.publisher_names, re.escape(self.site.name)))

    @attribute
    def authors(self) -> list[str]:
        """The visible byline, else a "Penulis:"-type credit line, else the metadata's authors."""
        byline = self.page.text(*self.byline_selectors) if self.byline_selectors else None
        names = self.people(common.split_names(byline, self.byline_strip)) if byline else []
        if not names and self.byline_labels:
            credits = common.labelled_values(self.page.tree, self.byline_labels)
            names = self.people([n for value in credits for n in common.split_names(value)])
        return names or self.people(common.jsonld_names(self.page.meta, "author") or self.page.meta.authors)

    @attribute
    def editors(self) -> list[str]:
        credits = common.labelled_values(self.page.tree, self.editor_labels) if self.editor_labels else []
        return self.people([n for value in credits for n in common.split_names(value)])
