"""fimela.com (KLY network): the network's shared read page, :class:`scraper.sites.kly.Kly2020`.

Discovery: robots.txt ``Sitemap:`` lines (no sitemap, feed or index URL of this host is evidenced).
Multi-page articles: every page in the one response (the KLY body's ``data-page`` blocks), merged.
"""

from __future__ import annotations

from scraper.sites.kly import Kly2020, kly_site


class Fimela2020(Kly2020):
    """fimela.com's pages in the KLY 2020-2024 layout."""

    name = "fimela/2020"


SITE = kly_site("fimela", "fimela.com", Fimela2020)
