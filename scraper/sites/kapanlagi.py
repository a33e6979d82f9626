"""kapanlagi.com (KLY network): the network's shared read page, :class:`scraper.sites.kly.Kly2020`.

Discovery: robots.txt ``Sitemap:`` lines (no sitemap, feed or index URL of this host is evidenced).
Multi-page articles: every page in the one response (the KLY body's ``data-page`` blocks), merged.
Article URLs: the KLY `/{kanal}/read/{id}/{slug}` shape and `/{kanal}/.../{slug}-{id}.html` (INFERRED).
"""

from __future__ import annotations

from scraper.sites.kly import Kly2020, kly_site


class Kapanlagi2020(Kly2020):
    """kapanlagi.com's pages in the KLY 2020-2024 layout."""

    name = "kapanlagi/2020"


SITE = kly_site("kapanlagi", "kapanlagi.com", Kapanlagi2020, html_slugs=True)
