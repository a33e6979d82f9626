"""dream.co.id (KLY network): the network's shared read page, :class:`scraper.sites.kly.Kly2020`.

Discovery: robots.txt ``Sitemap:`` lines (no sitemap, feed or index URL of this host is evidenced).
Multi-page articles: every page in the one response (the KLY body's ``data-page`` blocks), merged.
Article URLs: the KLY `/{kanal}/read/{id}/{slug}` shape and `/{kanal}/.../{slug}-{id}.html` (INFERRED).
"""

from __future__ import annotations

from scraper.sites.kly import Kly2020, kly_site


class Dream2020(Kly2020):
    """dream.co.id's pages in the KLY 2020-2024 layout."""

    name = "dream/2020"


SITE = kly_site("dream", "dream.co.id", Dream2020, html_slugs=True)
