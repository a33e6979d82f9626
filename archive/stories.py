"""The same story from several outlets: near-duplicate fingerprints and story groups.

A wire story (Antara, a press release) or a national Tribun piece reprinted by a regional
edition reaches the archive as several articles whose bodies differ only lightly: another
dateline and credit, a changed headline, a paragraph dropped, added or reworded.

Each body's words (without datelines, outlet names and credit lines) are cut into 3-word
shingles. Its fingerprint is a 64-bit simhash of the shingles plus 8 MinHash band keys stored
as indexed columns. Candidates are the earlier articles that share a band key (LSH). A candidate
must be within ``MAX_DISTANCE`` bits of simhash (cheap, no body read) and share at least
``MIN_SIMILARITY`` of the smaller body's shingles.

Why the bands are not slices of the simhash: on the real saved pages with their edited copies
(tests/test_stories.py), the simhash distance of true copies reaches 19-22 bits when edits
pile up. Unrelated pairs start at 20, and 8 slices of 8 bits share a slice for only 76% of those
copies while they matched 4% of unrelated pairs (3,000 candidates per article at 100k). The
MinHash bands matched every such copy and no unrelated pair.

Tables (created by the archive's schema migration 3, see ``archive.db``):

* ``fingerprints``: one row per article (simhash, band0..band7, shingle count, the body_hash
  it was computed from);
* ``stories``: one row per article that belongs to a story of two or more articles;
  ``story_id`` is the id of the story's first archived article, ``matched_id`` the article
  it was matched to, with their Hamming ``distance`` and shingle ``similarity``.

An article joins the story of its closest confirmed match; stories are never chained into each
other, so a long run of loosely related articles cannot snowball into one group. Articles are
grouped in id order, so ``regroup_stories`` rebuilds exactly what incremental saves built.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import operator
import re
import sqlite3
import sys
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from archive.common import body_hash as _body_hash
from archive.common import write

__all__ = [
    "BANDS",
    "MAX_DISTANCE",
    "MIN_SHINGLES",
    "MIN_SIMILARITY",
    "Fingerprint",
    "PackedFingerprint",
    "fingerprint",
    "precompute_fingerprint",
    "body_tokens",
    "body_shingles",
    "hamming",
    "similarity",
    "group_articles",
    "regroup_stories",
    "largest_stories",
    "story_of",
    "unfingerprinted",
]

SHINGLE_WORDS = 3
BANDS = 8  # two MinHash bins each: 16 bins, picked by a shingle hash's top 4 bits
#: Simhash distance up to which a candidate's body is compared. True copies measured 0-22 (half a
#: body kept: up to 22); unrelated real pairs 20-43, mean 32, so the overlap check decides there.
MAX_DISTANCE = 24
#: Shingle overlap that confirms a candidate: |A & B| / min(|A|, |B|) (see ``similarity``).
#: Edited copies measured >= 0.71, unrelated real pairs <= 0.02.
MIN_SIMILARITY = 0.5
#: Bodies with fewer shingles ("Simak videonya.", a photo caption) are too generic to group.
MIN_SHINGLES = 30
#: Candidates read per band, newest first: bounds the lookup when a story has many copies.
MAX_PER_BAND = 50
#: Candidates confirmed per article, closest first: bounds the work on a topic-heavy day.
MAX_CONFIRM = 20
#: Fingerprints kept in memory by body_hash (shingles packed, about 4 KB each): those of recent
#: articles (computed here or handed in by the crawl with the article), which are the candidates
#: of the next ones (newest first), so confirming a candidate rarely re-reads its body.
RECENT_FINGERPRINTS = 4096

_MASK64 = (1 << 64) - 1

# An outlet's own name anywhere in the text ("kepada Kompas.com", "TRIBUNSOLO.COM, JAKARTA"):
# syndicated copies each carry their own, so they must not count.
_DOMAIN = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|co\.id|co|id|net|org|tv)\b", re.I)
# A dateline left at the start after outlet names are gone: "JAKARTA, -", "Mataram, NTB (ANTARA
# News) -", "ISTANBUL, 23 Februari 2016 (Antara/PRNewswire) --", "Jakarta, KompasOtomotif –".
# Capitalised words, numbers and parentheses only, then a spaced or doubled dash.
_DATELINE = re.compile(
    r"^[\s,]*(?:[(\[]?[A-Z0-9][\w./'’&]*[)\]]?[\s,]*){0,8}?(?:\s[-–—]+|--|[–—])\s*"
)
# Whole lines that are credits or pointers rather than the story (each outlet words its own).
_CREDIT_LINES = (
    r"^laporan (?:wartawan|reporter|koresponden|kontributor)\b",
    r"^(?:penulis|editor|penyunting|pewarta|reporter|kontributor|redaktur|sumber)\s*:",
    r"^(?:artikel|berita|tulisan) ini (?:telah|pernah|sudah) (?:tayang|terbit|dimuat|diterbitkan)",
    r"^\(?\s*[a-z]{2,5}(?:\s*/\s*[a-z]{2,5})*\s*\)?$",  # "(ant)", "(fyk/ash)"
)
_LONGEST_DATELINE = 90
# What _DATELINE's groups and separators cannot take, what separates its groups, how a group
# starts: a cheap necessary condition checked before the regex (see ``_dateline_end``).
_NOT_DATELINE = re.compile(r"[^\s,()\[\]\w./'’&]")
_DATELINE_GAP = re.compile(r"[\s,]+")
_DATELINE_WORD = re.compile(r"[(\[]?[A-Z0-9]")
# A credit at the very end of the last paragraph: "(ant)", "(Tribunnews.com/Nama)", "(Luh Wayanti)".
_TRAILING_CREDIT = re.compile(r"\s*\([^()]{1,40}\)\s*$")
_TOKEN = re.compile(r"\w+")


def _line_patterns() -> re.Pattern[str]:
    """Credit lines plus the parser's own boilerplate and "Baca juga" labels, in one regex."""
    patterns = list(_CREDIT_LINES)
    # The parser's lists: a body saved by an older parser may still hold such lines. A change
    # there alters the fingerprints of such bodies only; `warta stories --rebuild` re-aligns them.
    from scraper.cleaning import BOILERPLATE_LINES, RELATED_LABELS

    patterns += list(BOILERPLATE_LINES)
    patterns += [rf"^[\s\W_]{{0,3}}(?:{label})\b" for label in RELATED_LABELS]
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


_SKIP_LINE = _line_patterns()
#: Longer paragraphs are story text, never a credit line (a "tayang di" trailer with its title fits).
_LONGEST_SKIP_LINE = 400


@dataclass(frozen=True)
class Fingerprint:
    """A body's simhash (unsigned 64-bit), its hashed word 3-grams and its LSH band keys."""

    simhash: int
    shingles: frozenset[int]
    bands: tuple[int | None, ...]


def body_tokens(body: str) -> list[str]:
    """Lower-cased words of the story text: without dateline, outlet names and credit lines."""
    paragraphs = [p.strip() for p in body.split("\n")]
    # Credit and pointer lines are short: testing only those keeps this linear in the body.
    paragraphs = [p for p in paragraphs if p and (len(p) > _LONGEST_SKIP_LINE or not _SKIP_LINE.match(p))]
    if not paragraphs:
        return []
    paragraphs[-1] = _TRAILING_CREDIT.sub("", paragraphs[-1])
    first = _DOMAIN.sub(" ", paragraphs[0])
    paragraphs[0] = first[_dateline_end(first) :]
    # Outlet names are whitespace-separated words with a dot; checking only those is much faster
    # than a regex over the whole text.
    words = [w for w in " ".join(paragraphs).split() if "." not in w or not _DOMAIN.search(w)]
    return _TOKEN.findall(" ".join(words).casefold())


def _dateline_end(text: str) -> int:
    """Where a leading dateline ends (0 without one): ``_DATELINE`` on the first characters.

    The regex backtracks for a long time when it fails, as it does on most first paragraphs, so
    it only runs when what precedes the first character it cannot take as a dateline could be
    one: that character is a dash and the words before it are at most 8, each capitalised or a
    number (each starts a group of the regex; commas and spaces only separate them).
    """
    head = text[:_LONGEST_DATELINE]  # bounded: the regex backtracks
    stop = _NOT_DATELINE.search(head)
    if stop is None or stop.group() not in "-–—":
        return 0
    words = [w for w in _DATELINE_GAP.split(head[: stop.start()]) if w]
    if len(words) > 8 or not all(map(_DATELINE_WORD.match, words)):
        return 0
    dateline = _DATELINE.match(head)
    return dateline.end() if dateline else 0


def _hash64(text: str) -> int:
    """A stable 64-bit hash (Python's hash() is salted per process)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


# Partials and method callers keep the per-shingle loop in C: a blake2b call per 3-gram is the
# floor (the stored fingerprints are blake2b of the 3-gram text), the Python-level loop around it
# is not needed.
_blake2b_8 = functools.partial(hashlib.blake2b, digest_size=8)
_digest = operator.methodcaller("digest")
_from_big_endian = functools.partial(int.from_bytes, byteorder="big")


def body_shingles(body: str) -> frozenset[int]:
    """The 64-bit hashes (blake2b of the UTF-8 text) of the body's word 3-grams."""
    tokens = body_tokens(body)
    texts = map(" ".join, zip(*(tokens[i:] for i in range(SHINGLE_WORDS)), strict=False))  # the shorter tails end it
    return frozenset(map(_from_big_endian, map(_digest, map(_blake2b_8, map(str.encode, texts)))))


def fingerprint(body: str) -> Fingerprint:
    """The simhash and band keys of a body's word 3-grams, each 3-gram counted once."""
    shingles = body_shingles(body)
    if not shingles:
        return Fingerprint(0, shingles, (None,) * BANDS)
    return Fingerprint(_simhash(shingles), shingles, _band_keys(shingles))


def _simhash(shingles: frozenset[int]) -> int:
    """Bit i is set when more than half the shingle hashes have it.

    Counted in C: the hashes packed as 8-byte words, every 8th byte is one byte column, and a
    column's bit b over all hashes is the popcount of the column with every byte masked to b.
    """
    words = array("Q", shingles)
    if sys.byteorder == "big":
        words.byteswap()  # byte j of a word holds bits 8j..8j+7 on either platform
    raw = words.tobytes()
    n = len(words)
    ones = int.from_bytes(b"\x01" * n, "little")
    half = n / 2
    value = 0
    for j in range(8):
        column = int.from_bytes(raw[j::8], "little")
        for b in range(8):
            if ((column >> b) & ones).bit_count() > half:
                value |= 1 << (8 * j + b)
    return value


def _band_keys(shingles: frozenset[int]) -> tuple[int | None, ...]:
    """MinHash band keys by one-permutation hashing: the smallest shingle hash in each of
    2 * BANDS bins (picked by the hash's top bits), two bins to a band.

    Two bodies share a bin's minimum with probability about their Jaccard similarity J, so a
    band with probability J^2 and at least one of 8 bands with 1 - (1 - J^2)^8: 0.97 at J = 0.6,
    while unrelated bodies (J < 0.02) almost never do. A band with an empty bin has no key.
    """
    bins = 2 * BANDS
    shift = 64 - (bins.bit_length() - 1)
    low = (1 << shift) - 1
    # In sorted order a bin's minimum is its first hash: one C sort and a bisection per bin.
    ordered = sorted(shingles)
    n = len(ordered)
    mins: list[int | None] = []
    for b in range(bins):
        i = bisect.bisect_left(ordered, b << shift)
        mins.append(ordered[i] & low if i < n and ordered[i] >> shift == b else None)
    keys: list[int | None] = []
    for i in range(0, bins, 2):
        first, second = mins[i], mins[i + 1]
        keys.append(None if first is None or second is None else _signed(_hash64(f"{i}:{first}:{second}")))
    return tuple(keys)


def hamming(a: int, b: int) -> int:
    """Number of differing bits between two 64-bit hashes."""
    return ((a ^ b) & _MASK64).bit_count()


def similarity(a: frozenset[int], b: frozenset[int]) -> float:
    """Shingle overlap |A & B| / min(|A|, |B|): a copy that dropped paragraphs still scores high."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _signed(value: int) -> int:
    """SQLite integers are signed 64-bit."""
    return value - (1 << 64) if value >= 1 << 63 else value


# --------------------------------------------------------------------------------------------
# Recent fingerprints
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PackedFingerprint:
    """A fingerprint with its shingles packed as 8-byte words: ~4 KB instead of a ~48 KB set of
    ints, and cheap to send from an extraction worker."""

    simhash: int
    shingles: array
    bands: tuple[int | None, ...]

    @classmethod
    def of(cls, fp: Fingerprint) -> PackedFingerprint:
        """The packed form of a fingerprint."""
        return cls(fp.simhash, array("Q", fp.shingles), fp.bands)

    def unpack(self) -> Fingerprint:
        """The fingerprint again, its shingles as a set."""
        return Fingerprint(self.simhash, frozenset(self.shingles), self.bands)


class _RecentFingerprints:
    """A bounded LRU of fingerprints by body_hash. A body_hash names one normalised body, so an
    entry is never stale; a miss only costs recomputing it from the body."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, PackedFingerprint] = OrderedDict()

    def get(self, body_hash: str) -> PackedFingerprint | None:
        """The fingerprint of this body, now the most recently used; None when not kept."""
        packed = self._items.get(body_hash)
        if packed is not None:
            self._items.move_to_end(body_hash)
        return packed

    def put(self, body_hash: str, packed: PackedFingerprint) -> None:
        """Keep a fingerprint, forgetting the least recently used beyond ``size``."""
        self._items[body_hash] = packed
        self._items.move_to_end(body_hash)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget every fingerprint."""
        self._items.clear()


_RECENT = _RecentFingerprints(RECENT_FINGERPRINTS)


def precompute_fingerprint(body: str) -> tuple[str, PackedFingerprint]:
    """The body_hash and story fingerprint ``save_articles`` would compute for this body.

    An extraction worker computes them beside the parse, off the crawl's main thread; the pair
    travels in the item (``story_fingerprint``) to ``save_articles``.
    """
    body = body.strip()
    return _body_hash(body), PackedFingerprint.of(fingerprint(body))


def precompute_fingerprints(bodies: list[str]) -> list[tuple[str, PackedFingerprint] | None]:
    """precompute_fingerprint of each body (None for an empty one): the task a bulk writer's worker
    process runs for a batch (``warta import``, ``warta reextract``)."""
    return [precompute_fingerprint(b) if b.strip() else None for b in bodies]


def fingerprint_pool(workers: int | None = None) -> Any:
    """Worker processes (fork) for precompute_fingerprints; None when there is one core or workers=0."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    n = workers if workers is not None else min(2, os.cpu_count() or 1)
    if n <= 0 or (workers is None and (os.cpu_count() or 1) < 2):
        return None
    return ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork"))


def _fingerprint_of(body: str, body_hash: str, given: PackedFingerprint | None = None) -> Fingerprint:
    """The body's fingerprint: the one ``given`` with the article, else from the recent ones when it
    is there, else computed; kept among the recent ones for later."""
    if given is not None:
        _RECENT.put(body_hash, given)
        return given.unpack()
    packed = _RECENT.get(body_hash)
    if packed is not None:
        return packed.unpack()
    fp = fingerprint(body)
    _RECENT.put(body_hash, PackedFingerprint.of(fp))
    return fp


def _overlap(a: frozenset[int], packed: array) -> float:
    """``similarity`` against packed shingles, without building their set."""
    if not a or not packed:
        return 0.0
    return len(a.intersection(packed)) / min(len(a), len(packed))


# --------------------------------------------------------------------------------------------
# Grouping
# --------------------------------------------------------------------------------------------

_BAND_COLUMNS = [f"band{i}" for i in range(BANDS)]
_UPSERT_FINGERPRINT = (
    f"INSERT INTO fingerprints (article_id, simhash, {', '.join(_BAND_COLUMNS)}, shingles, body_hash) "
    f"VALUES (?, ?, {', '.join('?' * BANDS)}, ?, ?) "
    f"ON CONFLICT (article_id) DO UPDATE SET simhash = excluded.simhash, "
    + ", ".join(f"{c} = excluded.{c}" for c in _BAND_COLUMNS)
    + ", shingles = excluded.shingles, body_hash = excluded.body_hash"
)
# One indexed lookup per band (a NULL key matches nothing), newest first and bounded: a story
# carried 500 times needs only some of its recent copies to be found. UNION drops repeats.
_CANDIDATES = " UNION ".join(
    f"SELECT * FROM (SELECT article_id, simhash, body_hash FROM fingerprints WHERE {c} = ? AND article_id < ? "
    f"AND shingles >= ? ORDER BY article_id DESC LIMIT {MAX_PER_BAND})"
    for c in _BAND_COLUMNS
)


@dataclass
class Match:
    """A confirmed near-duplicate of an article."""

    article_id: int
    distance: int
    similarity: float


def _conn(db: sqlite_utils.Database | sqlite3.Connection) -> sqlite3.Connection:
    return db.conn if isinstance(db, sqlite_utils.Database) else db


def _best_match(conn: sqlite3.Connection, article_id: int, fp: Fingerprint) -> Match | None:
    """The closest earlier article (by simhash, then id) whose body confirms as a near-duplicate.

    Taking the closest confirmed one, not the most similar of all, reads one body per article
    on a busy story instead of every candidate's.
    """
    params: list[int | None] = []
    for band in fp.bands:
        params += [band, article_id, MIN_SHINGLES]
    close = sorted(
        (d, other, other_hash)
        for other, value, other_hash in conn.execute(_CANDIDATES, params)
        if (d := hamming(fp.simhash, value)) <= MAX_DISTANCE
    )[:MAX_CONFIRM]
    for distance, other, other_hash in close:
        packed = _RECENT.get(other_hash)
        if packed is not None:
            sim = _overlap(fp.shingles, packed.shingles)
        else:
            row = conn.execute("SELECT body FROM articles WHERE id = ?", (other,)).fetchone()
            if row is None:
                continue
            sim = similarity(fp.shingles, body_shingles(row[0]))
        if sim >= MIN_SIMILARITY:
            return Match(other, distance, round(sim, 4))
    return None


def _assign(conn: sqlite3.Connection, article_id: int, match: Match) -> None:
    """Put the article in its match's story, opening the story when the match had none."""
    row = conn.execute("SELECT story_id FROM stories WHERE article_id = ?", (match.article_id,)).fetchone()
    if row is None:
        story_id = match.article_id
        conn.execute(
            "INSERT OR REPLACE INTO stories (article_id, story_id, matched_id, distance, similarity) "
            "VALUES (?, ?, NULL, 0, 1.0)",
            (story_id, story_id),
        )
    else:
        story_id = row[0]
    conn.execute(
        "INSERT OR REPLACE INTO stories (article_id, story_id, matched_id, distance, similarity) "
        "VALUES (?, ?, ?, ?, ?)",
        (article_id, story_id, match.article_id, match.distance, match.similarity),
    )


def _store(conn: sqlite3.Connection, article_id: int, fp: Fingerprint, body_hash: str) -> None:
    conn.execute(_UPSERT_FINGERPRINT, (article_id, _signed(fp.simhash), *fp.bands, len(fp.shingles), body_hash))


def _group_one(
    conn: sqlite3.Connection, article_id: int, body: str, body_hash: str, given: PackedFingerprint | None = None
) -> bool:
    """Fingerprint one article and put it in a story; True when it joined one."""
    fp = _fingerprint_of(body, body_hash, given)
    _store(conn, article_id, fp, body_hash)
    if len(fp.shingles) < MIN_SHINGLES:
        return False
    match = _best_match(conn, article_id, fp)
    if match is not None:
        _assign(conn, article_id, match)
    return match is not None


def group_articles(
    db: sqlite_utils.Database | sqlite3.Connection,
    article_ids: Iterable[int],
    precomputed: dict[str, PackedFingerprint] | None = None,
) -> int:
    """Fingerprint and group the given articles when their body is new or changed.

    Called by ``save_articles`` inside its transaction with the ids it wrote, so an article is
    never archived without its fingerprint. ``precomputed``: fingerprints by body_hash that came
    with the articles (see :func:`precompute_fingerprint`); a body not in it is fingerprinted here.
    An unchanged re-crawl costs one lookup. An edited article that already shares a story keeps it
    (``regroup_stories`` re-decides everything).
    Returns how many articles joined a story.
    """
    conn = _conn(db)
    given = precomputed or {}
    ids = sorted(set(article_ids))
    joined = 0
    for start in range(0, len(ids), 500):  # SQLite's bound-parameter limit
        chunk = ids[start : start + 500]
        rows = conn.execute(
            "SELECT a.id, a.body, a.body_hash, f.body_hash, s.story_id FROM articles a "
            "LEFT JOIN fingerprints f ON f.article_id = a.id LEFT JOIN stories s ON s.article_id = a.id "
            f"WHERE a.id IN ({', '.join('?' * len(chunk))}) ORDER BY a.id",
            chunk,
        ).fetchall()
        for article_id, body, body_hash, fp_hash, story_id in rows:
            if fp_hash == body_hash:
                continue
            if story_id is not None:  # keep its story; refresh the fingerprint only
                _store(conn, article_id, _fingerprint_of(body, body_hash, given.get(body_hash)), body_hash)
                continue
            joined += _group_one(conn, article_id, body, body_hash, given.get(body_hash))
    return joined


@dataclass
class RegroupResult:
    """What a full rebuild found."""

    articles: int = 0
    grouped: int = 0  # articles in a story of two or more
    stories: int = 0


def regroup_stories(db: sqlite_utils.Database, *, batch_size: int = 500, progress: Any = None) -> RegroupResult:
    """Rebuild every fingerprint and story from the article bodies, in id order.

    Each batch of ``batch_size`` articles is its own transaction, so a crawl saving meanwhile
    waits seconds, not the whole rebuild (its busy timeout is 30 s), and memory holds one batch
    of bodies. An article is only compared with lower ids, which are already rebuilt when its
    batch runs; rows of higher ids are replaced when their batch comes. ``progress``, when
    given, is called with the number of articles done after each batch.
    """
    result = RegroupResult()
    ids = [r[0] for r in db.execute("SELECT id FROM articles ORDER BY id")]
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        marks = ", ".join("?" * len(chunk))
        with write(db) as conn:
            conn.execute(f"DELETE FROM stories WHERE article_id IN ({marks})", chunk)
            conn.execute(f"DELETE FROM fingerprints WHERE article_id IN ({marks})", chunk)
            rows = conn.execute(
                f"SELECT id, body, body_hash FROM articles WHERE id IN ({marks}) ORDER BY id", chunk
            ).fetchall()  # fetched before the loop writes on the same connection
            for article_id, body, body_hash in rows:
                _group_one(conn, article_id, body, body_hash)
            result.articles += len(rows)
        if progress is not None:
            progress(result.articles)
    result.grouped, result.stories = db.execute("SELECT count(*), count(DISTINCT story_id) FROM stories").fetchone()
    return result


def largest_stories(db: sqlite_utils.Database, limit: int = 20) -> list[dict[str, Any]]:
    """The stories with the most outlets (then articles, then newest), with their sites and title."""
    return list(
        db.query(
            "SELECT story, articles, outlets, sites, first_published, title FROM story_groups "
            "ORDER BY outlets DESC, articles DESC, story DESC LIMIT ?",
            [limit],
        )
    )


def story_of(db: sqlite_utils.Database, article_id: int) -> Sequence[int]:
    """The ids of the articles in the same story as ``article_id`` (just itself when none)."""
    rows = db.execute(
        "SELECT article_id FROM stories WHERE story_id = (SELECT story_id FROM stories WHERE article_id = ?) "
        "ORDER BY article_id",
        (article_id,),
    ).fetchall()
    return [r[0] for r in rows] or [article_id]


def unfingerprinted(db: sqlite_utils.Database) -> int:
    """How many articles have no fingerprint (an archive from before stories, not rebuilt)."""
    return db.execute(
        "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM fingerprints f WHERE f.article_id = a.id)"
    ).fetchone()[0]
