"""Scrapy spiders: the shared NewsSpider (``site``), one tiny subclass per named profile, ``generic``."""
