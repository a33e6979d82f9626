"""Request fingerprints on the canonical URL, so one article is requested once however it is reached.

The spider puts the article's key (its canonical URL, plus the page number for the pages of a
"follow_pages" article) in ``request.meta["warta_key"]``; every other request (robots.txt, sitemaps,
index pages) keeps Scrapy's default fingerprint.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from scrapy.utils.request import RequestFingerprinter

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler


class CanonicalFingerprinter:
    """REQUEST_FINGERPRINTER_CLASS: ``warta_key`` when the spider set one, else Scrapy's default."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CanonicalFingerprinter:
        return cls(crawler)

    def __init__(self, crawler: Crawler | None = None) -> None:
        self._default = RequestFingerprinter(crawler)

    def fingerprint(self, request: Request) -> bytes:
        key = request.meta.get("warta_key")
        if key:
            # Each redirect hop is a new fingerprint: a ``?page=all`` that redirects to the plain
            # URL (the same canonical key) must not be dropped as a duplicate of itself. Loops are
            # still bounded by REDIRECT_MAX_TIMES.
            hops = request.meta.get("redirect_times", 0)
            return hashlib.sha1(f"{request.method} {key} {hops}".encode()).digest()  # noqa: S324 - not security
        return self._default.fingerprint(request)
