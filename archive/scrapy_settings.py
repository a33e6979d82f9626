"""Scrapy settings of a crawl into the archive: the scraper's settings plus the archive's add-on.

scrapy.cfg names this module, so ``scrapy crawl kompas -s WARTA_DB=archive.db`` archives what it
crawls as ``warta crawl`` does (``archive.runner`` builds its settings from this module too).
"""

from scraper.settings import *  # noqa: F403 - the whole project settings, unchanged

ADDONS = {"archive.crawling.ArchiveAddon": 0}
