"""The article record every parser returns and every other part of Warta consumes.

A parser is a pure function of (url, html): it returns an :class:`Article` or raises
:class:`NotAnArticle` with a short machine-readable reason. The spider, the archive, the
``warta extract`` command and the benchmarks all speak this one type.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: Reasons a page is skipped. Counted per reason in crawl stats and in the crawl-runs table.
SKIP_REASONS = (
    "not_html",  # body is an image, PDF, binary, or empty
    "not_article_url",  # URL does not look like an article of the site
    "not_article_page",  # index, tag, video, gallery or other non-article page type
    "no_title",
    "no_body",  # nothing left after cleaning, or too short to be an article
    "too_large",
    "parse_error",  # the parser raised on broken markup (best effort failed)
)


class NotAnArticle(Exception):
    """Raised by a parser for a page that is not an article; ``reason`` is one of SKIP_REASONS."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        # Pickled by reason and detail (the default would rebuild it from the joined message), so
        # it crosses from an extraction worker process intact.
        return (NotAnArticle, (self.reason, self.detail))


@dataclass
class Related:
    """A "Baca juga" (read also) link lifted out of the body."""

    url: str
    title: str


@dataclass
class Article:
    """One cleaned article. Dates are ISO 8601 strings with offset (``+07:00`` for WIB) or None."""

    url: str  # the URL the page was fetched from
    canonical_url: str  # normalised identity of the article (see scraper.urls.canonicalize)
    site: str  # site profile name ("kompas", "detik", ...) or the host for the generic path
    title: str
    paragraphs: list[str]  # body blocks in document order, whitespace-normalised
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    dateline: str | None = None
    lead_image: str | None = None
    language: str | None = None
    related: list[Related] = field(default_factory=list)
    # Multi-page information found on the page (not stored): {"page", "pages", "next", "show_all"}.
    pagination: dict[str, Any] | None = None
    parser: str | None = None  # which parser version produced it, e.g. "kompas/2024"
    # The page's own canonical when scraper.extract refused it as the identity (another site, the
    # home page, a tag page, javascript:...): canonical_url is then the fetched URL.
    rejected_canonical: str | None = None

    @property
    def body(self) -> str:
        """Paragraphs separated by a blank line."""
        return "\n\n".join(self.paragraphs)

    @property
    def word_count(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form used by ``warta extract``, the item pipeline and the archive."""
        d = asdict(self)
        d["body"] = self.body
        d["word_count"] = self.word_count
        return d
