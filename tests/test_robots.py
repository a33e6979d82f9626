"""robots.txt cases of expected/robots.json, checked with Protego: the parser Scrapy obeys (ROBOTSTXT_PARSER)."""

from __future__ import annotations

import json

import pytest
from protego import Protego

from scraper import settings
from tests.conftest import KOMPAS_FIXTURES

EXPECTED = json.loads((KOMPAS_FIXTURES / "expected" / "robots.json").read_text(encoding="utf-8"))
ROBOTS = Protego.parse((KOMPAS_FIXTURES / "robots.txt").read_text(encoding="utf-8"))


def test_scrapy_uses_protego() -> None:
    assert settings.ROBOTSTXT_OBEY is True
    assert settings.ROBOTSTXT_PARSER == "scrapy.robotstxt.ProtegoRobotParser"


@pytest.mark.parametrize(
    "case", EXPECTED["cases"], ids=[f"{c['agent']}-{i}" for i, c in enumerate(EXPECTED["cases"])]
)
def test_robots_case(case: dict) -> None:
    assert ROBOTS.can_fetch(case["url"], case["agent"]) is case["allowed"]


def test_warta_user_agent_is_allowed_on_articles() -> None:
    seed = EXPECTED["cases"][0]["url"]
    assert ROBOTS.can_fetch(seed, settings.USER_AGENT)
    assert ROBOTS.can_fetch(seed + "?page=all", settings.USER_AGENT)


def test_sitemaps_listed() -> None:
    assert list(ROBOTS.sitemaps) == EXPECTED["sitemaps"]
