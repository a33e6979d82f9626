"""RSS dates keep the zone they state (issue 12): "WIB" is +07:00, never a naive timestamp."""

from __future__ import annotations

import pytest

from scraper.feeds import parse_feed

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>a</title><link>https://example.id/a</link><pubDate>{date}</pubDate></item>
</channel></rss>"""


@pytest.mark.parametrize(
    ("date", "expected"),
    [("Thu, 14 Nov 2024 08:30:00 WIB", "2024-11-14T08:30:00+07:00"),
     ("Thu, 14 Nov 2024 08:30:00 WITA", "2024-11-14T08:30:00+08:00"),
     ("Thu, 14 Nov 2024 08:30:00 +0700", "2024-11-14T08:30:00+07:00"),
     ("Thu, 14 Nov 2024 01:30:00 GMT", "2024-11-14T01:30:00+00:00"),
     ("Kamis, 14 Nopember 2024 08:30 WIB", "2024-11-14T08:30:00+07:00")],
)
def test_rss_dates_are_aware(date: str, expected: str) -> None:
    (entry,) = parse_feed(RSS.format(date=date).encode())
    assert entry.publication_date == expected
