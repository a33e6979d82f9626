"""Indonesian and machine date formats -> ISO 8601 with offset (scraper.dates)."""

from __future__ import annotations

from datetime import date

import pytest

from scraper.dates import aware, is_update_label, local_offset, parse_date, stated_offset, to_offset

CASES = [
    # Kompas visible forms (2018-2026)
    ("Kompas.com - 14/11/2024, 10:30 WIB", "2024-11-14T10:30:00+07:00"),
    ("Kompas.com, Diperbarui 18/04/2026, 10:03 WIB", "2026-04-18T10:03:00+07:00"),
    ("Kompas.com , 17 April 2026, 10:30 WIB", "2026-04-17T10:30:00+07:00"),
    ("Rabu, 4 November 2015 | 21:04 WIB", "2015-11-04T21:04:00+07:00"),
    ("17/09/2017, 15:55 WIB", "2017-09-17T15:55:00+07:00"),
    # other sites
    ("Kamis, 14 Nov 2024 10:30 WIB", "2024-11-14T10:30:00+07:00"),
    ("Jumat, 04 Okt 2024 19:34 WIB", "2024-10-04T19:34:00+07:00"),
    ("Kamis, 05/11/2015 10:08 WIB", "2015-11-05T10:08:00+07:00"),
    ("Selasa 16 Jun 2015, 14:05 WIB", "2015-06-16T14:05:00+07:00"),
    ("Jum'at, 17 Februari 2017 - 13:30 wib", "2017-02-17T13:30:00+07:00"),
    ("Jumat , 17 February 2017, 13:16 WIB", "2017-02-17T13:16:00+07:00"),
    ("on 16 Feb 2016 at 09:10 WIB", "2016-02-16T09:10:00+07:00"),
    ("Diterbitkan 28 Mei 2026, 12:00 WIB", "2026-05-28T12:00:00+07:00"),
    ("Senin, 12 Agu 2024 07.30 WITA", "2024-08-12T07:30:00+08:00"),
    ("12 Ags 2024 07:30 WIT", "2024-08-12T07:30:00+09:00"),
    ("12 Agt 2024 07:30 Wita", "2024-08-12T07:30:00+08:00"),
    ("1 Des 2023 23:59 WIB", "2023-12-01T23:59:00+07:00"),
    ("Minggu, 3 Mar 2024 08:00", "2024-03-03T08:00:00+07:00"),
    ("08/1/2026 20:19", "2026-01-08T20:19:00+07:00"),
    ("November 14, 2024 10:30", "2024-11-14T10:30:00+07:00"),
    # machine forms (indonesian-sites.md section 16)
    ("2025-10-22T06:59:00+07:00", "2025-10-22T06:59:00+07:00"),
    ("2016-02-16T02:10:56Z", "2016-02-16T02:10:56+00:00"),
    ("2017-02-17 13:30:08", "2017-02-17T13:30:08+07:00"),
    ("2016-02-16T13:01:52+0700", "2016-02-16T13:01:52+07:00"),
    ("2015-06-19T03:40:00+07:00Z", "2015-06-19T03:40:00+07:00"),
    ("2024-11-14T08:30:00.123+08:00", "2024-11-14T08:30:00+08:00"),
    ("1728045268", "2024-10-04T19:34:28+07:00"),
    ("1728045268000", "2024-10-04T19:34:28+07:00"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_parse_date(text: str, expected: str) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jumat, 9 Oktober 2020 13:52", "2020-10-09T13:52:00"),
        ("2017-02-17 13:30:08", "2017-02-17T13:30:08"),
        ("14 Nov 2024 10:30 WIB", "2024-11-14T10:30:00+07:00"),  # a zone on the page still counts
        ("1728045268", "2024-10-04T12:34:28+00:00"),  # an epoch is absolute: UTC when no default
    ],
)
def test_naive_when_asked(text: str, expected: str) -> None:
    assert parse_date(text, default_offset=None) == expected


def test_other_default_offset() -> None:
    assert parse_date("9 Oktober 2020 13:52", default_offset="+08:00") == "2020-10-09T13:52:00+08:00"


@pytest.mark.parametrize(
    "text",
    ["", None, "kemarin", "7 menit yang lalu", "1 Januari 1970 00:00", "31/02/2024 10:00",
     "0000-00-00 00:00:00", "12 Foo 2024", f"1 Jan {date.today().year + 2}", "1989-12-31T10:00:00+07:00"],
)
def test_rejects_absent_or_absurd(text: str | None) -> None:
    assert parse_date(text) is None


def test_date_only_is_midnight() -> None:
    assert parse_date("14 November 2024") == "2024-11-14T00:00:00+07:00"


@pytest.mark.parametrize(
    ("text", "updated"),
    [("Kompas.com, Diperbarui 18/04/2026, 10:03 WIB", True), ("diperbaharui 1/1/2024", True),
     ("Kompas.com - 14/11/2024, 10:30 WIB", False), ("Diterbitkan 28 Mei 2026", False)],
)
def test_update_label(text: str, updated: bool) -> None:
    assert is_update_label(text) is updated


@pytest.mark.parametrize(
    ("value", "offset"),
    [("2024-11-14T08:30:00+07:00", "+07:00"), ("2024-11-14T08:30:00+08:00", "+08:00"),
     ("2024-11-14T08:30:00+09:00", "+09:00"), ("2024-11-14T08:30:00+00:00", None),
     ("2024-11-14T08:30:00-05:00", None), ("2024-11-14T08:30:00", None), ("not a date", None), (None, None)],
)
def test_local_offset_names_only_indonesian_zones(value: str | None, offset: str | None) -> None:
    assert local_offset(value) == offset


def test_to_offset_converts_aware_values_and_gives_naive_ones_the_zone() -> None:
    assert to_offset("2024-11-14T01:40:00+00:00", "+08:00") == "2024-11-14T09:40:00+08:00"
    assert to_offset("2024-11-14T09:40:00", "+09:00") == "2024-11-14T09:40:00+09:00"
    assert to_offset(None, "+07:00") is None


@pytest.mark.parametrize(
    ("text", "offset"),
    [("Kompas.com - 14/11/2024, 08:30 WITA", "+08:00"), ("Kamis, 14 November 2024 09:30 WIT", "+09:00"),
     ("Jum'at, 17 Februari 2017 - 13:30 wib", "+07:00"),
     # The first dated stamp decides; a bare time in a schedule does not count.
     ("Live 19:00 WIB | Kamis, 14 Nov 2024 08:30 WITA ... 15/11/2024 10:00 WIB", "+08:00"),
     ("14 November 2024 08:30", None), ("Nov 14, 2024 10:30 GMT", None), ("", None)],
)
def test_stated_offset(text: str, offset: str | None) -> None:
    assert stated_offset(text) == offset


# --- issue 12: spellings, year-first dates, zones kept ----------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kamis, 5 Nopember 2015 10:08 WIB", "2015-11-05T10:08:00+07:00"),
        ("5 Nop 2015 | 10:08 WITA", "2015-11-05T10:08:00+08:00"),
        ("Selasa, 23 Pebruari 2016", "2016-02-23T00:00:00+07:00"),
        ("23 Febuari 2016 08:00", "2016-02-23T08:00:00+07:00"),
        ("2 Sept. 2024, 07:00 WIT", "2024-09-02T07:00:00+09:00"),
        ("2015/11/05 10:08", "2015-11-05T10:08:00+07:00"),
        ("Posted 2015/11/05 pukul 10.08 WITA", "2015-11-05T10:08:00+08:00"),
        ("2015.11.05 10:08 WIB", "2015-11-05T10:08:00+07:00"),
        ("2024-11-14 10:30 WITA", "2024-11-14T10:30:00+08:00"),
        ("2024-11-14 10:30:05 wib", "2024-11-14T10:30:05+07:00"),
        ("Thu, 14 Nov 2024 08:30:00 WIB", "2024-11-14T08:30:00+07:00"),
        ("14\u00a0Nopember\u00a02024\u00a008:30\u00a0WIB", "2024-11-14T08:30:00+07:00"),
    ],
)
def test_spellings_and_year_first(text: str, expected: str) -> None:
    assert parse_date(text) == expected


def test_year_first_needs_a_real_date() -> None:
    assert parse_date("2015/13/05") is None
    assert parse_date("versi 2015/11") is None


@pytest.mark.parametrize(
    ("text", "offset"),
    [("2015/11/05 10:08 WITA", "+08:00"), ("5 Nopember 2015 10:08 WIT", "+09:00"),
     ("2024-11-14 10:30 WITA", "+08:00")],
)
def test_stated_offset_of_new_forms(text: str, offset: str) -> None:
    assert stated_offset(text) == offset


@pytest.mark.parametrize(
    ("value", "offset", "expected"),
    [("2024-11-14T09:40:00", "+07:00", "2024-11-14T09:40:00+07:00"),
     ("2024-11-14T01:40:00+00:00", "+08:00", "2024-11-14T01:40:00+00:00"),  # aware: left alone
     (None, "+07:00", None)],
)
def test_aware_gives_only_naive_values_the_zone(value: str | None, offset: str, expected: str | None) -> None:
    assert aware(value, offset) == expected
