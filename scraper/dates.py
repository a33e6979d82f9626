"""Indonesian (and English) date parsing to ISO 8601 with offset. Pure stdlib, precompiled.

``parse_date("Kompas.com - 14/11/2024, 10:30 WIB")`` -> ``"2024-11-14T10:30:00+07:00"``.
WIB/WITA/WIT give +07:00/+08:00/+09:00; a string without a zone gets ``default_offset``
(pass ``None`` to keep it naive, as the pages conventions want where the page gives no zone).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

MONTHS: dict[str, int] = {
    # Indonesian full and short names, then the English ones that differ.
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maret": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "agustus": 8, "agu": 8, "ags": 8, "agt": 8, "agus": 8, "aug": 8, "september": 9, "sep": 9,
    "sept": 9, "oktober": 10, "okt": 10, "oct": 10, "november": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8,
    "october": 10, "december": 12,
    # Older Indonesian spellings and common misspellings seen on pages ("Nopember", "Pebruari").
    "nopember": 11, "nopem": 11, "pebruari": 2, "peb": 2, "febuari": 2, "pebuari": 2, "agust": 8,
    "okto": 10, "desem": 12, "januar": 1,
}
ZONES: dict[str, str] = {"wib": "+07:00", "wita": "+08:00", "wit": "+09:00", "utc": "+00:00", "gmt": "+00:00"}
#: The offsets of Indonesia's three zones (WIB, WITA, WIT): the only ones a page's own clock shows.
LOCAL_OFFSETS: frozenset[str] = frozenset({ZONES["wib"], ZONES["wita"], ZONES["wit"]})

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_TIME = r"(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}))?"
_ZONE = r"(?:\s*(?P<zone>WITA|WIB|WIT|UTC|GMT)\b(?:\s*(?P<zsign>[+-])\s*(?P<zh>\d{1,2}))?)?"
# Between the date and the time: commas, bars, dashes, "pukul"/"at"/"jam", spaces.
_GAP = r"(?:[\s,|\-–—/]|pukul|pkl\.?|jam|at)*"

_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T\s]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<off>Z|[+-]\d{2}(?::?\d{2})?)?Z?(?:\s*(?P<zone>WITA|WIB|WIT)\b)?)?",
    re.I,
)
# Year first with slashes or dots ("2015/11/05 10:08", used by some CMS templates and URLs).
_YMD_NUM = re.compile(
    r"(?<![\d/.])(?P<y>\d{4})(?P<sep>[/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d/])"
    r"(?:" + _GAP + _TIME + r")?" + _ZONE,
    re.I,
)
_DMY_NUM = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})(?!\d)(?:" + _GAP + _TIME + r")?" + _ZONE,
    re.I,
)
_DMY_NAME = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th)?[\s\-.]+(?P<mon>" + _MONTH_ALT + r")(?![a-z])\.?,?[\s\-.]+(?P<y>\d{4})(?!\d)"
    r"(?:" + _GAP + _TIME + r")?" + _ZONE,
    re.I,
)
_MDY_NAME = re.compile(
    r"\b(?P<mon>" + _MONTH_ALT + r")(?![a-z])\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})(?!\d)"
    r"(?:" + _GAP + _TIME + r")?" + _ZONE,
    re.I,
)
#: Visible (non-ISO) forms, tried in this order.
_VISIBLE = (_DMY_NUM, _YMD_NUM, _DMY_NAME, _MDY_NAME)
_EPOCH = re.compile(r"^\s*(\d{9,10}|\d{12,13})\s*$")
_UPDATED = re.compile(r"\b(diperbarui|diperbaharui|diupdate|update[d]?|pembaruan|terakhir diubah)\b", re.I)


def is_update_label(text: str | None) -> bool:
    """True when a visible date is labelled as an update ("Diperbarui ...") rather than a publication."""
    return bool(text and _UPDATED.search(text))


def _format_offset(off: str | None) -> str | None:
    """'+0700' / '+07' / 'Z' -> '+07:00' / '+00:00'."""
    if not off:
        return None
    if off.upper() == "Z":
        return "+00:00"
    sign, digits = off[0], off[1:].replace(":", "")
    hh, mm = digits[:2], (digits[2:4] or "00")
    return f"{sign}{hh}:{mm}"


def _plausible(y: int) -> bool:
    """Reject absurd years (placeholders, epoch zero, typos) rather than store them."""
    return 1990 <= y <= date.today().year + 1


def _build(y: int, mo: int, d: int, hh: int, mi: int, ss: int, offset: str | None) -> str | None:
    """ISO string, or None when the fields do not form a real date."""
    if not _plausible(y):
        return None
    try:
        dt = datetime(y, mo, d, hh, mi, ss)
    except ValueError:
        return None
    return dt.isoformat() + (offset or "")


def _zone_offset(m: re.Match[str], default_offset: str | None) -> str | None:
    """Offset from a WIB/WITA/WIT (or GMT+7) suffix, else the default."""
    zone = m.group("zone")
    if not zone:
        return default_offset
    if m.group("zsign") and m.group("zh"):
        return f"{m.group('zsign')}{int(m.group('zh')):02d}:00"
    return ZONES[zone.lower()]


def _time_fields(m: re.Match[str]) -> tuple[int, int, int]:
    if m.group("H") is None:
        return 0, 0, 0
    return int(m.group("H")), int(m.group("M")), int(m.group("S") or 0)


def parse_date(text: str | None, default_offset: str | None = "+07:00") -> str | None:
    """Parse a machine or visible Indonesian date to ISO 8601 (``None`` when there is none)."""
    if not text:
        return None
    text = text.strip()
    m = _EPOCH.match(text)
    if m:
        seconds = int(m.group(1)) / (1000 if len(m.group(1)) > 10 else 1)
        tz = timezone(offset_delta(default_offset)) if default_offset else UTC
        dt = datetime.fromtimestamp(seconds, tz)
        return dt.isoformat() if _plausible(dt.year) else None
    m = _ISO.search(text)
    if m:
        hh, mi, ss = _time_fields(m)
        zone = m.group("zone")
        offset = _format_offset(m.group("off")) or (ZONES[zone.lower()] if zone else default_offset)
        return _build(int(m.group("y")), int(m.group("m")), int(m.group("d")), hh, mi, ss, offset)
    for pattern in _VISIBLE:
        m = pattern.search(text)
        if not m:
            continue
        month = int(m.group("m")) if "m" in m.groupdict() and m.group("m") else MONTHS[m.group("mon").lower()]
        hh, mi, ss = _time_fields(m)
        return _build(int(m.group("y")), month, int(m.group("d")), hh, mi, ss, _zone_offset(m, default_offset))
    return None


def stated_offset(text: str | None) -> str | None:
    """The WIB/WITA/WIT offset of the first date-and-time in ``text`` that names one of them ("08:30 WITA")."""
    if not text:
        return None
    found: list[tuple[int, str]] = []
    for pattern in (*_VISIBLE, _ISO):
        for m in pattern.finditer(text):
            # A bare time ("19:00 WIB" in a TV schedule) is no stamp of the page: a date must come with it.
            if m.group("H") is not None and m.group("zone") and not m.groupdict().get("zsign"):
                offset = ZONES[m.group("zone").lower()]
                if offset in LOCAL_OFFSETS:
                    found.append((m.start(), offset))
                    break
    return min(found)[1] if found else None


def offset_delta(offset: str) -> timedelta:
    """'+07:00' -> timedelta(hours=7)."""
    sign = -1 if offset.startswith("-") else 1
    hh, mm = offset[1:].split(":")
    return sign * timedelta(hours=int(hh), minutes=int(mm))


def local_offset(value: str | None) -> str | None:
    """The offset of an ISO value when it is WIB, WITA or WIT (None for naive, UTC, foreign or unparsable).

    A UTC value says how the CMS stores time, not which clock the page shows, so it names no zone.
    """
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return None
    if dt.tzinfo is None:
        return None
    offset = _format_offset(dt.strftime("%z"))
    return offset if offset in LOCAL_OFFSETS else None


def to_offset(value: str | None, offset: str) -> str | None:
    """An ISO value shown at ``offset``: an aware one converted (same instant), a naive one given it."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return value
    zone = timezone(offset_delta(offset))
    return (dt.astimezone(zone) if dt.tzinfo else dt.replace(tzinfo=zone)).isoformat()


def aware(value: str | None, offset: str) -> str | None:
    """An ISO value that names a zone: a naive one gets ``offset`` (the site's or the page's), an aware one is kept.

    The archive and the export never hold a naive timestamp: one naive row makes
    ``pd.read_csv(..., parse_dates=[...])`` leave the whole column as text.
    """
    if not value:
        return value
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return value
    return value if dt.tzinfo else dt.replace(tzinfo=timezone(offset_delta(offset))).isoformat()


def later_modified(published: str | None, modified: str | None) -> str | None:
    """The modified time only when it is a real later update (ISO strings from ``parse_date``).

    CMSs repeat the publication time as dateModified, and Media Indonesia even writes one *before*
    datePublished (rounded to the minute): neither is a modification. Values that cannot be compared
    (one naive, one zoned, or unparsable) are kept unless they are the same text.
    """
    if not modified or modified == published:
        return None
    if published:
        try:
            before, after = datetime.fromisoformat(published), datetime.fromisoformat(modified)
        except ValueError:
            return modified
        if (before.tzinfo is None) == (after.tzinfo is None) and after <= before:
            return None
    return modified


def _aware(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def _offset_of(dt: datetime) -> timezone | None:
    return dt.tzinfo if isinstance(dt.tzinfo, timezone) else None


def choose_published(machine: str | None, visible: str | None, default_offset: str = "+07:00") -> str | None:
    """The publication time: the machine value (it has seconds) when it agrees with the visible one.

    Both are parsed by the core's ``parse_date``. A machine value in another zone (UTC ``Z``) is
    shown in the visible zone (or ``default_offset``); a naive one takes the visible zone. When the two disagree
    by more than a minute the page's visible time wins (some sites fill the meta with the
    update or upload time). With no visible time the machine value is used, at ``default_offset``.
    The result always names a zone: when neither value states one, the site's ``default_offset``.
    """
    vis = _aware(parse_date(visible, default_offset=None)) if visible else None
    mac = _aware(parse_date(machine, default_offset=None)) if machine else None
    zone = (vis and _offset_of(vis)) or timezone(offset_delta(default_offset))
    if mac is not None:
        mac = mac.astimezone(zone) if mac.tzinfo else mac.replace(tzinfo=zone)
    if vis is None:
        return mac.isoformat() if mac else None
    if mac is not None:
        wall = vis if vis.tzinfo else vis.replace(tzinfo=zone)
        if mac.replace(second=0, microsecond=0) == wall.replace(second=0, microsecond=0):
            return mac.isoformat()
    # Never naive (issue 12): a visible time without a zone is the site's wall clock.
    return (vis if vis.tzinfo else vis.replace(tzinfo=zone)).isoformat()


def in_zone(value: str | None, default_offset: str = "+07:00") -> str | None:
    """A machine date parsed by the core, shown at ``default_offset`` (UTC values converted, naive ones given it)."""
    return choose_published(value, None, default_offset)
