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
MinHash bands match no unrelated pair, every lightly edited copy, and a copy that keeps half the
story 9 times in 10 (``_band_keys``).

A 3-gram's hash is computed for the whole body at once with numpy from one cached value per token
(``body_shingles``): 0.2 ms an article where a blake2b call per 3-gram cost 0.5 ms (migration 14
recomputed the stored fingerprints when it changed).

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

import functools
import hashlib
import re
import sqlite3
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sqlite_utils

from archive.common import body_hash as _body_hash
from archive.common import write

__all__ = [
    "BANDS",
    "MAX_DISTANCE",
    "MIN_SHINGLES",
    "MIN_SIMILARITY",
    "Fingerprint",
    "fingerprint",
    "precompute_fingerprint",
    "refingerprint",
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
#: Fingerprints kept in memory by body_hash (8 bytes a shingle, about 4 KB each): those of recent
#: articles (computed here or handed in by the crawl with the article), which are the candidates
#: of the next ones (newest first), so confirming a candidate rarely re-reads its body.
RECENT_FINGERPRINTS = 4096

_MASK64 = (1 << 64) - 1

# An outlet's own name anywhere in the text ("kepada Kompas.com", "TRIBUNSOLO.COM, JAKARTA"):
# syndicated copies each carry their own, so they must not count.
_DOMAIN = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|co\.id|co|id|net|org|tv)\b", re.I)
# What every _DOMAIN match holds: most bodies have none after the first paragraph, so no word is checked.
_DOMAIN_END = re.compile(r"\.(?:com|co\.id|co|id|net|org|tv)\b", re.I)
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


@dataclass(frozen=True, eq=False)
class Fingerprint:
    """A body's simhash (unsigned 64-bit), its hashed word 3-grams (sorted, each once: 8 bytes a
    3-gram, cheap to send from an extraction worker) and its LSH band keys."""

    simhash: int
    shingles: np.ndarray  # uint64, sorted, unique
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
    text = " ".join(paragraphs)
    if _DOMAIN_END.search(text):
        # Outlet names are whitespace-separated words with a dot; checking only those is much faster
        # than a regex over the whole text.
        text = " ".join(w for w in text.split() if "." not in w or not _DOMAIN.search(w))
    return _TOKEN.findall(text.casefold())


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


#: Tokens whose values are kept before the table starts again (~150 bytes an entry).
TOKEN_TABLE_SIZE = 200_000


class _TokenValues(dict[str, int]):
    """Token -> a random 64-bit value: blake2b of the token, so the same in every process and every
    Python; this is a cache of those (a news vocabulary repeats: nearly every lookup is a hit, in C),
    cleared when full."""

    def __missing__(self, token: str) -> int:
        if len(self) >= TOKEN_TABLE_SIZE:
            self.clear()
        value = self[token] = int.from_bytes(_blake2b_8(token.encode("utf-8")).digest(), "little")
        return value


_blake2b_8 = functools.partial(hashlib.blake2b, digest_size=8, person=b"warta-token")
_TOKEN_VALUES = _TokenValues()
_U = np.uint64
_EMPTY = np.empty(0, dtype=_U)


def body_shingles(body: str) -> np.ndarray:
    """The 64-bit hashes of the body's word 3-grams, sorted, each once.

    A 3-gram (a, b, c) hashes to mix(v(a) ^ rotl(v(b), 21) ^ rotl(v(c), 42)), v a token's value
    (``_TokenValues``) and mix splitmix64's finaliser (Steele, Lea and Flood 2014), over the whole
    body at once in numpy: one table lookup per token instead of a hash call per 3-gram.
    """
    tokens = body_tokens(body)
    n = len(tokens)
    if n < SHINGLE_WORDS:
        return _EMPTY
    v = np.fromiter(map(_TOKEN_VALUES.__getitem__, tokens), dtype=_U, count=n)
    b, c = v[1:-1], v[2:]
    x = v[:-2] ^ ((b << _U(21)) | (b >> _U(43))) ^ ((c << _U(42)) | (c >> _U(22)))
    x ^= x >> _U(30)
    x *= _U(0xBF58476D1CE4E5B9)
    x ^= x >> _U(27)
    x *= _U(0x94D049BB133111EB)
    x ^= x >> _U(31)
    return np.unique(x)


def fingerprint(body: str) -> Fingerprint:
    """The simhash and band keys of a body's word 3-grams, each 3-gram counted once."""
    shingles = body_shingles(body)
    if not shingles.size:
        return Fingerprint(0, shingles, (None,) * BANDS)
    return Fingerprint(_simhash(shingles), shingles, _band_keys(shingles))


def _simhash(shingles: np.ndarray) -> int:
    """Bit i is set when more than half the shingle hashes have it."""
    n = shingles.size
    bits = np.unpackbits(shingles.astype("<u8").view(np.uint8), bitorder="little").reshape(n, 64)
    majority = bits.sum(axis=0, dtype=np.int64) > n / 2
    return int(np.packbits(majority, bitorder="little").view("<u8")[0])


_BINS = 2 * BANDS
_BIN_SHIFT = 64 - (_BINS.bit_length() - 1)
_BIN_STARTS = np.arange(_BINS, dtype=_U) << _U(_BIN_SHIFT)


def _band_keys(shingles: np.ndarray) -> tuple[int | None, ...]:
    """MinHash band keys by one-permutation hashing: the smallest shingle hash in each of
    2 * BANDS bins (picked by the hash's top bits), two bins to a band.

    Two bodies share a bin's minimum with probability about their Jaccard similarity J, so a
    band with probability J^2 and at least one of 8 bands with 1 - (1 - J^2)^8: 0.97 at J = 0.6,
    while unrelated bodies (J < 0.02) almost never do. A band with an empty bin has no key.
    """
    low = (1 << _BIN_SHIFT) - 1
    n = shingles.size
    # The hashes are sorted: a bin's minimum is its first hash.
    mins: list[int | None] = []
    for b, i in enumerate(np.searchsorted(shingles, _BIN_STARTS).tolist()):
        head = int(shingles[i]) if i < n else -1
        mins.append(head & low if head >> _BIN_SHIFT == b else None)
    keys: list[int | None] = []
    for i in range(0, _BINS, 2):
        first, second = mins[i], mins[i + 1]
        keys.append(None if first is None or second is None else _signed(_hash64(f"{i}:{first}:{second}")))
    return tuple(keys)


def hamming(a: int, b: int) -> int:
    """Number of differing bits between two 64-bit hashes."""
    return ((a ^ b) & _MASK64).bit_count()


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Shingle overlap |A & B| / min(|A|, |B|): a copy that dropped paragraphs still scores high."""
    if not a.size or not b.size:
        return 0.0
    return np.intersect1d(a, b, assume_unique=True).size / min(a.size, b.size)


def _signed(value: int) -> int:
    """SQLite integers are signed 64-bit."""
    return value - (1 << 64) if value >= 1 << 63 else value


# --------------------------------------------------------------------------------------------
# Recent fingerprints
# --------------------------------------------------------------------------------------------


class _RecentFingerprints:
    """A bounded LRU of fingerprints by body_hash. A body_hash names one normalised body, so an
    entry is never stale; a miss only costs recomputing it from the body."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, Fingerprint] = OrderedDict()

    def get(self, body_hash: str) -> Fingerprint | None:
        """The fingerprint of this body, now the most recently used; None when not kept."""
        fp = self._items.get(body_hash)
        if fp is not None:
            self._items.move_to_end(body_hash)
        return fp

    def put(self, body_hash: str, fp: Fingerprint) -> None:
        """Keep a fingerprint, forgetting the least recently used beyond ``size``."""
        self._items[body_hash] = fp
        self._items.move_to_end(body_hash)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget every fingerprint."""
        self._items.clear()


_RECENT = _RecentFingerprints(RECENT_FINGERPRINTS)


def precompute_fingerprint(body: str, body_hash: str | None = None) -> tuple[str, Fingerprint]:
    """The body_hash and story fingerprint ``save_articles`` would compute for this body.

    An extraction worker computes them beside the parse, off the crawl's main thread; the pair
    travels in the item (``story_fingerprint``) to ``save_articles``.
    ``body_hash``: the body's, when the caller has it already (``archive.db.prepare_records``).
    """
    body = body.strip()
    return body_hash or _body_hash(body), fingerprint(body)


def precompute_fingerprints(bodies: list[str]) -> list[tuple[str, Fingerprint] | None]:
    """precompute_fingerprint of each body (None for an empty one): the task a bulk writer's worker
    process runs for a batch (``warta import``, ``warta reextract``)."""
    return [precompute_fingerprint(b) if b.strip() else None for b in bodies]


def refingerprint(conn: sqlite3.Connection, *, chunk: int = 2_000) -> int:
    """Recompute every stored fingerprint from its article's body, in id order, keeping the stories
    as they were decided (the hashing changed: archive.db migration 14). Returns the rows rewritten.
    A large archive's bodies are fingerprinted by worker processes."""
    total = conn.execute("SELECT count(*) FROM fingerprints").fetchone()[0]
    pool = fingerprint_pool() if total > chunk else None
    update = (f"UPDATE fingerprints SET simhash = ?, {', '.join(f'{c} = ?' for c in _BAND_COLUMNS)}, shingles = ?, "
              "body_hash = ? WHERE article_id = ?")
    last, done = 0, 0
    try:
        while True:
            rows = conn.execute(
                "SELECT f.article_id, a.body, a.body_hash FROM fingerprints f JOIN articles a ON a.id = f.article_id "
                "WHERE f.article_id > ? ORDER BY f.article_id LIMIT ?", (last, chunk)).fetchall()
            if not rows:
                return done
            last = rows[-1][0]
            bodies = [body for _, body, _ in rows]
            if pool is not None:
                parts = [bodies[k:k + 250] for k in range(0, len(bodies), 250)]
                fps = [fp for part in pool.map(_fingerprints, parts) for fp in part]
            else:
                fps = _fingerprints(bodies)
            conn.executemany(update, [(_signed(fp.simhash), *fp.bands, len(fp.shingles), body_hash, article_id)
                                      for (article_id, _, body_hash), fp in zip(rows, fps, strict=True)])
            done += len(rows)
    finally:
        if pool is not None:
            pool.shutdown()


def _fingerprints(bodies: list[str]) -> list[Fingerprint]:
    return [fingerprint(body) for body in bodies]


def fingerprint_pool(workers: int | None = None) -> Any:
    """Worker processes (fork) for precompute_fingerprints; None when there is one core or workers=0."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    n = workers if workers is not None else min(2, os.cpu_count() or 1)
    if n <= 0 or (workers is None and (os.cpu_count() or 1) < 2):
        return None
    return ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork"))


def _fingerprint_of(body: str, body_hash: str, given: Fingerprint | None = None) -> Fingerprint:
    """The body's fingerprint: the one ``given`` with the article, else from the recent ones when it
    is there, else computed; kept among the recent ones for later."""
    if given is not None:
        _RECENT.put(body_hash, given)
        return given
    fp = _RECENT.get(body_hash)
    if fp is None:
        fp = fingerprint(body)
        _RECENT.put(body_hash, fp)
    return fp


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
        recent = _RECENT.get(other_hash)
        if recent is not None:
            sim = similarity(fp.shingles, recent.shingles)
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
    conn: sqlite3.Connection, article_id: int, body: str, body_hash: str, given: Fingerprint | None = None
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
    precomputed: dict[str, Fingerprint] | None = None,
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
