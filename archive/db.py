"""The SQLite archive: schema, migrations, deduplicating article writes and crawl-run records.

Every function takes the database first and batches its writes in one transaction. Table and
column names are a public interface: Datasette, ``warta export`` and users' own SQL read them.

Identity rules (issue 2, section 4):

* an article is identified by its normalised ``canonical_url``;
* the URL it was fetched from, when different (amp, utm_*, ``?page=all``...), is an alias;
* the same normalised body under another canonical URL *of the same site* is an alias of the
  existing article; a verbatim copy on another outlet is its own article (in the same story);
* a re-crawl that changes nothing only moves ``last_seen``; an edit keeps the earlier version;
* a page never takes another archived article's identity (issue 11 §2). ``scraper.extract``
  refuses canonicals that are not article URLs of the page's own site; here, a page fetched from
  URL B whose canonical A is an archived article with a *different body*, while B is not A or an
  alias of A's article, is stored under B (its fetched URL) with ``rejected_canonical = A`` and
  counted as a collision. A page fetched from A itself (or an alias of it) with a changed body is
  an edit (a version). Should the page fetched from A arrive after a page from B that claimed A,
  A's page takes A back and the earlier row moves to B (``rejected_canonical = A``). A page whose
  fetched URL is already an article of its own stays that article.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import socket
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils

from archive.common import body_hash
from archive.common import write as _write
from archive.stories import Fingerprint, group_articles, precompute_fingerprint, refingerprint
from scraper.urls import canonicalize

__all__ = [
    "ArchiveError",
    "SaveResult",
    "check_archive",
    "SCHEMA_VERSION",
    "open_archive",
    "save_articles",
    "start_run",
    "finish_run",
    "close_stale_runs",
    "known_urls",
    "is_known",
    "article_by_url",
    "body_hash",
    "content_hash",
]

#: How long a writer waits for another writer (a cron overlap, a Datasette write) before failing.
BUSY_TIMEOUT_MS = 30_000
#: Bodies shorter than this (in words) are too generic ("Simak videonya berikut.") to prove that
#: two canonical URLs are one article, so they are never merged on body alone.
MIN_WORDS_FOR_BODY_DEDUPE = 20

# Columns of `articles` whose change makes a new version (the content hash covers them).
CONTENT_FIELDS = (
    "title",
    "description",
    "authors",
    "editors",
    "published",
    "modified",
    "section",
    "tags",
    "dateline",
    "lead_image",
    "language",
    "body",
    "related",
)
# Crawl-run columns a caller may set through ``finish_run(stats=...)``; dicts are stored as JSON.
RUN_STAT_COLUMNS = (
    "pages_fetched",
    "articles_new",
    "updated",
    "unchanged",
    "aliases",
    "same_body",
    "skipped",
    "skipped_reasons",
    "errors",
    "http_status",
    "log_file",
)
RUN_STATUSES = ("running", "finished", "failed", "interrupted", "killed", "locked")


class ArchiveError(Exception):
    """The archive cannot be opened or written; the message is one line for the user."""


@dataclass
class SaveResult:
    """What one ``save_articles`` call did. Each valid input counts in exactly one of
    new / updated / unchanged / same_body; ``aliases`` counts alias rows newly recorded."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    same_body: int = 0  # stored as an alias of an existing article with the same body
    aliases: int = 0
    collisions: int = 0  # stored under the fetched URL: its canonical is another article's (see above)
    invalid: int = 0  # records without a URL, title or body: not stored, listed in errors
    errors: list[str] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)  # article id per valid input, in order

    def as_dict(self) -> dict[str, Any]:
        """The counts (without ids), e.g. for logs and crawl stats."""
        d = asdict(self)
        d.pop("ids")
        return d

    def add(self, other: SaveResult) -> None:
        """Accumulate another batch's counts into this one."""
        for name in ("new", "updated", "unchanged", "same_body", "aliases", "collisions", "invalid"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors.extend(other.errors)
        self.ids.extend(other.ids)


# --------------------------------------------------------------------------------------------
# Schema and migrations
# --------------------------------------------------------------------------------------------

_SCHEMA_V1 = """
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    canonical_url TEXT NOT NULL UNIQUE,
    site TEXT NOT NULL,
    url TEXT,
    title TEXT NOT NULL,
    description TEXT,
    authors TEXT NOT NULL DEFAULT '[]',
    editors TEXT NOT NULL DEFAULT '[]',
    published TEXT,
    modified TEXT,
    day TEXT,
    section TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    dateline TEXT,
    lead_image TEXT,
    language TEXT,
    body TEXT NOT NULL,
    word_count INTEGER NOT NULL DEFAULT 0,
    parser TEXT,
    content_hash TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    changed_at TEXT NOT NULL
);
CREATE INDEX idx_articles_site ON articles (site);
CREATE INDEX idx_articles_published ON articles (published);
CREATE INDEX idx_articles_day ON articles (day);
CREATE INDEX idx_articles_body_hash ON articles (body_hash);
CREATE INDEX idx_articles_last_seen ON articles (last_seen);

CREATE TABLE related (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    url TEXT NOT NULL,
    title TEXT,
    PRIMARY KEY (article_id, position)
);
CREATE INDEX idx_related_url ON related (url);

CREATE TABLE aliases (
    url TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    first_seen TEXT NOT NULL
);
CREATE INDEX idx_aliases_article_id ON aliases (article_id);

CREATE TABLE versions (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    url TEXT,
    title TEXT NOT NULL,
    description TEXT,
    authors TEXT,
    editors TEXT,
    published TEXT,
    modified TEXT,
    section TEXT,
    tags TEXT,
    dateline TEXT,
    lead_image TEXT,
    language TEXT,
    body TEXT NOT NULL,
    related TEXT,
    word_count INTEGER,
    parser TEXT,
    content_hash TEXT NOT NULL,
    seen_from TEXT,
    replaced_at TEXT NOT NULL,
    PRIMARY KEY (article_id, version)
);

CREATE TABLE crawl_runs (
    id INTEGER PRIMARY KEY,
    started TEXT NOT NULL,
    finished TEXT,
    status TEXT NOT NULL DEFAULT 'running',
    finish_reason TEXT,
    spiders TEXT NOT NULL DEFAULT '[]',
    args TEXT NOT NULL DEFAULT '{}',
    pages_fetched INTEGER NOT NULL DEFAULT 0,
    articles_new INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    aliases INTEGER NOT NULL DEFAULT 0,
    same_body INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    skipped_reasons TEXT NOT NULL DEFAULT '{}',
    errors INTEGER NOT NULL DEFAULT 0,
    http_status TEXT NOT NULL DEFAULT '{}',
    exit_code INTEGER,
    log_file TEXT,
    pid INTEGER,
    host TEXT,
    stats TEXT
);
CREATE INDEX idx_crawl_runs_started ON crawl_runs (started);
CREATE INDEX idx_crawl_runs_status ON crawl_runs (status);

-- Full-text search over title and body. External content (no second copy of the text), the
-- same layout sqlite-utils' enable_fts() makes, so table.search() and Datasette detect it.
-- Not porter: it cuts Indonesian words ("kasus" -> "kasu") and leaves affixes alone.
CREATE VIRTUAL TABLE [articles_fts] USING FTS5 (
    [title], [body],
    tokenize='unicode61 remove_diacritics 2',
    content=[articles]
);
CREATE TRIGGER [articles_ai] AFTER INSERT ON [articles] BEGIN
    INSERT INTO [articles_fts] (rowid, [title], [body]) VALUES (new.rowid, new.[title], new.[body]);
END;
CREATE TRIGGER [articles_ad] AFTER DELETE ON [articles] BEGIN
    INSERT INTO [articles_fts] ([articles_fts], rowid, [title], [body])
        VALUES('delete', old.rowid, old.[title], old.[body]);
END;
-- Only when title or body is written: a re-crawl that moves last_seen must not rewrite the index.
CREATE TRIGGER [articles_au] AFTER UPDATE OF [title], [body] ON [articles] BEGIN
    INSERT INTO [articles_fts] ([articles_fts], rowid, [title], [body])
        VALUES('delete', old.rowid, old.[title], old.[body]);
    INSERT INTO [articles_fts] (rowid, [title], [body]) VALUES (new.rowid, new.[title], new.[body]);
END;

-- Date order with a unique tiebreak: Datasette 0.65 loses and repeats rows when it pages a
-- table sorted on a column with repeated values, so date order is served through this view.
CREATE VIEW articles_by_date AS
    SELECT id, published, day, site, section, title, description, authors, editors, tags,
           dateline, word_count, canonical_url, lead_image, language, version, first_seen,
           last_seen, body
    FROM articles
    ORDER BY published DESC, id DESC;

-- Related links with the archived article they point to, when it is in the archive.
CREATE VIEW related_links AS
    SELECT r.article_id, a.title AS article_title, r.position, r.url, r.title,
           COALESCE(t.id, al.article_id) AS target_id
    FROM related r
    JOIN articles a ON a.id = r.article_id
    LEFT JOIN articles t ON t.canonical_url = r.url
    LEFT JOIN aliases al ON al.url = r.url;
"""

# v2: `warta export --site X` streams in date order straight from an index instead of sorting
# every matching row (bodies included) in a temp b-tree. (site, published) also serves site=?.
_V2_SITE_PUBLISHED_INDEX = """
CREATE INDEX idx_articles_site_published ON articles (site, published);
DROP INDEX idx_articles_site;
"""

# v3: the same story from several outlets (archive.stories). `fingerprints` holds each body's
# simhash and MinHash band keys (one index per band: the LSH candidate lookups); `stories` holds
# only articles that share a story, story_id being its first article's id. An archive migrated
# from v2 fills them with `warta stories rebuild`.
_V3_STORIES = """
CREATE TABLE fingerprints (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    simhash INTEGER NOT NULL,
    band0 INTEGER, band1 INTEGER, band2 INTEGER, band3 INTEGER,
    band4 INTEGER, band5 INTEGER, band6 INTEGER, band7 INTEGER,
    shingles INTEGER NOT NULL,
    body_hash TEXT NOT NULL
);
CREATE INDEX idx_fingerprints_band0 ON fingerprints (band0);
CREATE INDEX idx_fingerprints_band1 ON fingerprints (band1);
CREATE INDEX idx_fingerprints_band2 ON fingerprints (band2);
CREATE INDEX idx_fingerprints_band3 ON fingerprints (band3);
CREATE INDEX idx_fingerprints_band4 ON fingerprints (band4);
CREATE INDEX idx_fingerprints_band5 ON fingerprints (band5);
CREATE INDEX idx_fingerprints_band6 ON fingerprints (band6);
CREATE INDEX idx_fingerprints_band7 ON fingerprints (band7);

CREATE TABLE stories (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story_id INTEGER NOT NULL,
    matched_id INTEGER,
    distance INTEGER,
    similarity REAL
);
CREATE INDEX idx_stories_story_id ON stories (story_id);

-- One row per story of two or more articles, newest first (unique tiebreak on story: see
-- articles_by_date). An outlet is a host (www. dropped): Tribun's regional editions share the
-- site name "tribunnews" but are other outlets. members: the articles as JSON, in archive order.
CREATE VIEW story_groups AS
    SELECT m.story_id AS story, r.title AS title, count(DISTINCT m.host) AS outlets,
           count(*) AS articles, group_concat(DISTINCT m.host) AS sites,
           min(m.published) AS first_published, max(m.published) AS last_published,
           json_group_array(DISTINCT m.title) AS titles,
           json_group_array(json_object('id', m.id, 'site', m.site, 'published', m.published,
                                        'title', m.title, 'url', m.canonical_url)) AS members
    FROM (
        SELECT h.*, CASE WHEN h.full_host LIKE 'www.%' THEN substr(h.full_host, 5) ELSE h.full_host END AS host
        FROM (
            SELECT s.story_id, a.id, a.site, a.published, a.title, a.canonical_url,
                   lower(substr(a.canonical_url, instr(a.canonical_url, '://') + 3,
                                instr(substr(a.canonical_url, instr(a.canonical_url, '://') + 3) || '/', '/') - 1))
                       AS full_host
            FROM stories s JOIN articles a ON a.id = s.article_id
        ) h
    ) m
    JOIN articles r ON r.id = m.story_id
    GROUP BY m.story_id
    ORDER BY first_published DESC, story DESC;

-- The articles of each story with how each was matched (filter by story_id or article_id).
CREATE VIEW story_articles AS
    SELECT s.story_id, s.article_id, a.site, a.published, a.title, a.canonical_url,
           s.matched_id, s.distance, s.similarity
    FROM stories s JOIN articles a ON a.id = s.article_id
    ORDER BY s.story_id DESC, s.article_id;
"""

# v4: date order that pages in O(log n). Datasette pages a view with OFFSET, which costs the whole
# offset on every page (seconds deep into a 1M-row archive); a table sorted on a *unique* column
# pages by keyset. `date_key` is published + zero-padded id: unique, in date order, computed by
# SQLite (a virtual generated column: no write per article). The section index serves its facet.
_V4_DATE_KEY = """
ALTER TABLE articles ADD COLUMN date_key TEXT
    GENERATED ALWAYS AS (coalesce(published, '') || ' ' || printf('%012d', id)) VIRTUAL;
CREATE UNIQUE INDEX idx_articles_date_key ON articles (date_key);
CREATE INDEX idx_articles_section ON articles (section);
"""

# v5: captures (archive.captures): one row per WARC response or revisit record a crawl wrote beside
# the archive. file is relative to the WARC folder (<archive stem>.warc); offset/length locate the
# record's gzip member, the request record follows it (request_length). (url, payload_digest) finds
# a payload kept already, so an unchanged re-fetch is a revisit record and not another copy.
_V5_CAPTURES = """
CREATE TABLE captures (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    status INTEGER,
    content_type TEXT,
    payload_digest TEXT NOT NULL,
    payload_length INTEGER,
    record_type TEXT NOT NULL DEFAULT 'response',
    revisit_of INTEGER REFERENCES captures (id),
    file TEXT NOT NULL,
    offset INTEGER NOT NULL,
    length INTEGER NOT NULL,
    request_length INTEGER,
    run_id INTEGER REFERENCES crawl_runs (id),
    article_id INTEGER REFERENCES articles (id) ON DELETE SET NULL
);
CREATE INDEX idx_captures_url_digest ON captures (url, payload_digest);
CREATE INDEX idx_captures_article_id ON captures (article_id);
CREATE INDEX idx_captures_run_id ON captures (run_id);
"""

# v6: why each version exists. articles.version_reason says why the current version was written
# ('new', 'publisher_edit', 'reextract', ...); an earlier version keeps its reason in
# versions.reason (the parser that produced each is in `parser`). Before v6 every later version
# came from a re-crawl, so it is counted a publisher's edit.
_V6_VERSION_REASONS = """
ALTER TABLE articles ADD COLUMN version_reason TEXT NOT NULL DEFAULT 'new';
UPDATE articles SET version_reason = 'publisher_edit' WHERE version > 1;
ALTER TABLE versions ADD COLUMN reason TEXT;
UPDATE versions SET reason = CASE WHEN version = 1 THEN 'new' ELSE 'publisher_edit' END;
"""

# v7: identity that cannot be hijacked (issue 11 §2): the canonical a page declared when it was not
# accepted as the article's identity (another site, home/tag page, javascript:, or another archived
# article's URL); the article is then stored under its fetched URL. NULL: the canonical was used.
_V7_REJECTED_CANONICAL = """
ALTER TABLE articles ADD COLUMN rejected_canonical TEXT;
"""



def _v8_one_article_per_outlet(conn: sqlite3.Connection) -> None:
    """v8: same-body aliases on another site than their article's become that outlet's articles.

    Before v8 a verbatim copy on a second outlet was stored as a ``same_body`` alias of the first
    outlet's article. Each (article, other site) pair becomes one article of that site: its URL is
    the alias that is its own canonical form (the others stay aliases of it, with their reason),
    its first/last seen the alias's first_seen, its text the article's (the only copy stored);
    authors, editors, tags, section and lead image are left empty (they were never stored for that
    outlet) and ``parser`` says ``v8_migration`` so a re-crawl records the outlet's own fields as
    a version. The new articles are then fingerprinted and grouped into their original's story.
    """
    from scraper.sites import site_for_url

    def site_of(url: str) -> str:
        site = site_for_url(url)
        return site.name if site is not None else (urlsplit(url).hostname or "").lower().removeprefix("www.")

    rows = conn.execute(
        "SELECT al.url, al.article_id, al.first_seen, a.site FROM aliases al JOIN articles a ON a.id = al.article_id "
        "WHERE al.reason = 'same_body' ORDER BY al.article_id, al.first_seen, al.url"
    ).fetchall()
    groups: dict[tuple[int, str], list[tuple[str, str]]] = {}
    for url, article_id, first_seen, owner_site in rows:
        site = site_of(url)
        if site != owner_site:
            groups.setdefault((article_id, site), []).append((url, first_seen))
    # The columns as they stood when this step was written (a later column is not this step's to copy).
    columns = ("title description authors editors published modified day section tags dateline lead_image "
               "language body word_count content_hash body_hash").split()
    cleared = {"authors": "'[]'", "editors": "'[]'", "tags": "'[]'", "section": "NULL", "lead_image": "NULL"}
    select = ", ".join(cleared.get(c, c) for c in columns)
    new_ids: list[int] = []
    for (article_id, site), urls in groups.items():
        # The article's URL: an alias that is already its own canonical form and no amp/tracking variant.
        own = [u for u, _ in urls if normalize_url(u) == u and _alias_reason(u) == "fetched_url"]
        canonical = own[0] if own else normalize_url(urls[0][0])
        seen = min(first_seen for _, first_seen in urls)
        conn.execute("DELETE FROM aliases WHERE url = ?", (canonical,))
        cur = conn.execute(
            f"INSERT INTO articles (canonical_url, site, url, parser, {', '.join(columns)}, version, first_seen, "
            f"last_seen, changed_at) SELECT ?, ?, ?, 'v8_migration', {select}, 1, ?, ?, ? FROM articles WHERE id = ?",
            (canonical, site, canonical, seen, seen, seen, article_id),
        )
        new_id = int(cur.lastrowid)  # type: ignore[arg-type]
        # The content hash of what the new row holds, so a re-crawl compares against it.
        row = dict(zip(("title description authors editors published modified section tags dateline lead_image "
                        "language body").split(), conn.execute(
            "SELECT title, description, authors, editors, published, modified, section, tags, dateline, "
            "lead_image, language, body FROM articles WHERE id = ?", (new_id,)).fetchone(), strict=True))
        row["related"] = []
        conn.execute("UPDATE articles SET content_hash = ? WHERE id = ?", (content_hash(row), new_id))
        for url, _ in urls:
            if url != canonical:
                conn.execute(
                    "UPDATE aliases SET article_id = ?, reason = ? WHERE url = ?", (new_id, _alias_reason(url), url)
                )
        new_ids.append(new_id)
    if new_ids:
        # The stored fingerprints are brought to today's hashing first (what migration 14 does), so the
        # new articles compare with their originals' (this step groups with today's code).
        refingerprint(conn)
        group_articles(conn, new_ids)


# v9: the WARC files `warta import --cc-news` has read (archive.ccnews), so a backfill resumes where it
# stopped. status: running (being read, or the process died), done, damaged, failed (network).
_V9_IMPORTED_FILES = """
CREATE TABLE imported_files (
    source TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    records INTEGER NOT NULL DEFAULT 0,
    html INTEGER NOT NULL DEFAULT 0,
    articles_new INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    started TEXT,
    finished TEXT
);
CREATE INDEX idx_imported_files_status ON imported_files (status);
"""

# v10: crawl health (issue 11 §1). `incomplete` marks an article stored without all its pages (a
# later page failed): it is fetched again next run. `crawl_sites` holds each site's counts and
# verdict in each run (archive.cron.judge_site); the degraded rule reads a site's recent ok rows.
_V10_CRAWL_HEALTH = """
ALTER TABLE articles ADD COLUMN incomplete INTEGER NOT NULL DEFAULT 0;
CREATE TABLE crawl_sites (
    run_id INTEGER NOT NULL REFERENCES crawl_runs (id) ON DELETE CASCADE,
    site TEXT NOT NULL,
    verdict TEXT NOT NULL,
    reason TEXT,
    advice TEXT,
    discovery_fetched INTEGER NOT NULL DEFAULT 0,
    discovery_failed INTEGER NOT NULL DEFAULT 0,
    pages INTEGER NOT NULL DEFAULT 0,
    articles_new INTEGER NOT NULL DEFAULT 0,
    articles_updated INTEGER NOT NULL DEFAULT 0,
    articles_unchanged INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    not_fetched INTEGER NOT NULL DEFAULT 0,
    counts TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (run_id, site)
);
CREATE INDEX idx_crawl_sites_site ON crawl_sites (site, verdict, run_id);
DROP VIEW articles_by_date;
CREATE VIEW articles_by_date AS
    SELECT id, published, day, site, section, title, description, authors, editors, tags,
           dateline, word_count, canonical_url, lead_image, language, version, first_seen,
           last_seen, incomplete, body
    FROM articles
    ORDER BY published DESC, id DESC;
"""

# v11: the cluster writer (archive/cluster.py) records, in the transaction of each batch, the last Redis
# stream entry it committed: a batch replayed after a crash (committed, not yet acknowledged) is
# recognised and skipped, so nothing is counted or stored twice.
_V11_CLUSTER_STREAMS = """
CREATE TABLE cluster_streams (
    stream TEXT PRIMARY KEY,
    last_id TEXT NOT NULL,
    updated TEXT NOT NULL
);
"""

# v12: search that stops after one page (issue 13 §3). FTS5 returns matches in rowid order and can
# stop after LIMIT rows only when that order is the order a reader wants; Datasette's default plan
# looks up every match (a word in most articles: a million rows, bodies included) and then sorts.
# `search_key` is the publication time (UTC seconds, from the stated offset; 0 when unknown) times
# 10^9 plus the id: unique, newest = largest, computed by SQLite (a virtual generated column: no
# write per article, no table rewrite). The full-text index is rebuilt with it as its rowid
# (external content, `content_rowid`), so `articles_fts ORDER BY rowid DESC LIMIT 20` is the
# newest 20 matches (archive/plugins/warta_search.py serves the search box and ?_search= that
# way). The update trigger also fires on `published`: the key moves with the date. `fts_deferred`:
# save_articles indexes its batch in one ordered statement (see the migration's comment).
_V12_SEARCH_KEY = """
ALTER TABLE articles ADD COLUMN search_key INTEGER
    GENERATED ALWAYS AS (min(max(coalesce(CAST(strftime('%s', published) AS INTEGER), 0), 0), 9000000000)
                         * 1000000000 + id) VIRTUAL;
CREATE UNIQUE INDEX idx_articles_search_key ON articles (search_key);
DROP TRIGGER [articles_ai];
DROP TRIGGER [articles_ad];
DROP TRIGGER [articles_au];
DROP TABLE [articles_fts];
CREATE VIRTUAL TABLE [articles_fts] USING FTS5 (
    [title], [body],
    tokenize='unicode61 remove_diacritics 2',
    content=[articles],
    content_rowid=[search_key]
);
INSERT INTO [articles_fts] ([articles_fts]) VALUES ('rebuild');
-- save_articles sets this flag inside its transaction and indexes the batch's new articles at the end
-- in search_key order (FTS5 flushes its pending terms whenever a rowid is lower than the last one:
-- articles of a batch arrive in any date order). Every other writer leaves it empty.
CREATE TABLE fts_deferred (id INTEGER PRIMARY KEY CHECK (id = 1));
CREATE TRIGGER [articles_ai] AFTER INSERT ON [articles] WHEN NOT EXISTS (SELECT 1 FROM fts_deferred) BEGIN
    INSERT INTO [articles_fts] (rowid, [title], [body]) VALUES (new.[search_key], new.[title], new.[body]);
END;
CREATE TRIGGER [articles_ad] AFTER DELETE ON [articles] BEGIN
    INSERT INTO [articles_fts] ([articles_fts], rowid, [title], [body])
        VALUES('delete', old.[search_key], old.[title], old.[body]);
END;
CREATE TRIGGER [articles_au] AFTER UPDATE OF [title], [body], [published] ON [articles] BEGIN
    INSERT INTO [articles_fts] ([articles_fts], rowid, [title], [body])
        VALUES('delete', old.[search_key], old.[title], old.[body]);
    INSERT INTO [articles_fts] (rowid, [title], [body]) VALUES (new.[search_key], new.[title], new.[body]);
END;
DROP VIEW articles_by_date;
CREATE VIEW articles_by_date AS
    SELECT id, published, day, site, section, title, description, authors, editors, tags,
           dateline, word_count, canonical_url, lead_image, language, version, first_seen,
           last_seen, incomplete, body, search_key
    FROM articles
    ORDER BY published DESC, id DESC;
"""

# v13: bulk writes index their rows together (issue 13 §4, ``FtsBatch``). The update trigger, like the
# insert trigger since v12, is off while a writer's transaction holds the `fts_deferred` flag: the writer
# takes the changed rows' old entries out and puts their new ones in, each in one statement in search_key
# order. `hashsize`: FTS5 keeps up to 8 MB of pending terms in memory (1 MB by default), so a batch of a
# thousand articles is written as one segment instead of four (0.18 ms an article instead of 0.25).
_V13_FTS_BATCHES = """
DROP TRIGGER [articles_au];
CREATE TRIGGER [articles_au] AFTER UPDATE OF [title], [body], [published] ON [articles]
WHEN NOT EXISTS (SELECT 1 FROM fts_deferred) BEGIN
    INSERT INTO [articles_fts] ([articles_fts], rowid, [title], [body])
        VALUES('delete', old.[search_key], old.[title], old.[body]);
    INSERT INTO [articles_fts] (rowid, [title], [body]) VALUES (new.[search_key], new.[title], new.[body]);
END;
INSERT INTO [articles_fts] ([articles_fts], rank) VALUES ('hashsize', 8388608);
"""


def _v14_fingerprints_by_tabulation(conn: sqlite3.Connection) -> None:
    """v14: story fingerprints hash 3-grams from cached token values with numpy (archive.stories,
    ``body_shingles``): every stored fingerprint is recomputed from its body; the stories stay as
    they were decided (``warta stories --rebuild`` re-decides them)."""
    refingerprint(conn)


#: Migration n (1-based) brings a version n-1 archive to version n. Append, never edit. A step is
#: SQL, or a Python function of the connection for what SQL cannot say; either runs in the
#: migration's one transaction.
MIGRATIONS: list[str | Callable[[sqlite3.Connection], None]] = [
    _SCHEMA_V1,
    _V2_SITE_PUBLISHED_INDEX,
    _V3_STORIES,
    _V4_DATE_KEY,
    _V5_CAPTURES,
    _V6_VERSION_REASONS,
    _V7_REJECTED_CANONICAL,
    _v8_one_article_per_outlet,
    _V9_IMPORTED_FILES,
    _V10_CRAWL_HEALTH,
    _V11_CLUSTER_STREAMS,
    _V12_SEARCH_KEY,
    _V13_FTS_BATCHES,
    _v14_fingerprints_by_tabulation,
]
SCHEMA_VERSION = len(MIGRATIONS)


def _now() -> str:
    """The current UTC time as ISO 8601 with seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or exc.__class__.__name__




def open_archive(
    path: str | Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS, create: bool = True
) -> sqlite_utils.Database:
    """Open (creating or migrating) the archive at ``path``: WAL, busy timeout, foreign keys.

    ``busy_timeout_ms``: how long a write waits for another writer (a crawl's run heartbeat
    waits less than its batches). ``create=False`` (the reading commands) refuses a zero-byte
    file instead of making it an archive; with ``create`` (crawl, demo) a zero-byte file is a
    fresh archive (a ``touch`` made ahead, e.g. to set its owner). Any other file that is not an
    SQLite database, or an SQLite database that is not an archive, is refused *before* anything
    is written to it (its journal mode included). Raises ArchiveError with a one-line message.
    """
    p = Path(path)
    # The file is never opened here but through SQLite: closing any other descriptor of it would drop
    # the POSIX locks of this process's open connections (the pipeline's, the heartbeat's), and a
    # reader closing its last connection would then delete the WAL those connections still write to.
    if p.is_file() and p.stat().st_size == 0 and not create:
        raise ArchiveError(
            f"archive {p} is an empty file, not an archive yet: run `warta crawl` or `warta demo` into it"
        )
    if p.is_dir():
        raise ArchiveError(f"archive path is a directory, not a file: {p}")
    if not p.parent.exists():
        raise ArchiveError(f"cannot create archive {p}: directory {p.parent} does not exist")
    if not p.parent.is_dir():
        raise ArchiveError(f"cannot create archive {p}: {p.parent} is not a directory")
    if not p.exists() and not os.access(p.parent, os.W_OK):
        raise ArchiveError(f"cannot create archive {p}: directory {p.parent} is not writable")
    conn: sqlite3.Connection | None = None
    try:
        # isolation_level=None: we open transactions ourselves (BEGIN IMMEDIATE, see _write) so a
        # writer takes the lock up front and waits on busy_timeout instead of failing mid-batch.
        conn = sqlite3.connect(str(p), timeout=busy_timeout_ms / 1000, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        db = sqlite_utils.Database(conn)
        try:
            version = schema_version(db)  # the first read of the file: SQLite checks its header
        except sqlite3.DatabaseError as exc:
            if "file is not a database" not in str(exc):
                raise
            raise ArchiveError(f"cannot open archive {p}: not an SQLite database (a Warta archive is one)") from None
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA cache_size = -20000")  # 20 MB: index pages of a large archive stay hot
        if version == 0 and db.table_names() and "articles" not in db.table_names():
            # Before WAL: switching a foreign file's journal mode would already change it.
            raise ArchiveError(f"cannot open archive {p}: the file is an SQLite database but not a Warta archive")
        _enable_wal(db)
        _migrate(db)
        # With WAL, NORMAL never corrupts and a killed process loses no commit; only a power cut
        # may roll back the last transactions. FULL would fsync every batch.
        conn.execute("PRAGMA synchronous = NORMAL")
    except (sqlite3.DatabaseError, OSError, ArchiveError) as exc:
        if conn is not None:
            conn.close()
        if isinstance(exc, ArchiveError):
            raise
        if isinstance(exc, sqlite3.DatabaseError) and _is_damage(exc):
            raise ArchiveError(damaged_message(p, _one_line(exc))) from exc
        raise ArchiveError(f"cannot open archive {p}: {_one_line(exc)}") from exc
    return db


def _is_damage(exc: BaseException) -> bool:
    """Does SQLite's error say the file's pages are damaged (not locked, not missing)?"""
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


def damaged_message(path: str | Path, detail: str) -> str:
    """The one line for a damaged archive: what, and the way out."""
    return (
        f"archive {path} is damaged ({detail}); nothing was written. Recover what it holds with:"
        f' sqlite3 {path} ".recover" | sqlite3 recovered.db'
    )


def check_archive(db: sqlite_utils.Database, path: str | Path) -> None:
    """``PRAGMA quick_check(1)``: ArchiveError naming the damage instead of building on it.

    Checks every page and index entry count but not index contents (integrity_check): ~1.3 s on a
    50,000-article (290 MB) archive against ~6.5 s, paid once at the start of a crawl.
    """
    try:
        first = db.execute("PRAGMA quick_check(1)").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(damaged_message(path, _one_line(exc))) from exc
    if first != "ok":
        raise ArchiveError(damaged_message(path, _one_line(Exception(first))[:200]))


def _enable_wal(db: sqlite_utils.Database) -> None:
    """Switch to WAL (persistent in the file) outside any transaction; retried while another
    process holds the lock, since the switch does not always wait on busy_timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if db.journal_mode != "wal":
                db.enable_wal()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def schema_version(db: sqlite_utils.Database) -> int:
    """The archive's schema version (SQLite's user_version)."""
    return db.execute("PRAGMA user_version").fetchone()[0]


def _migrate(db: sqlite_utils.Database) -> None:
    """Apply the migrations the file has not seen yet, each in its own transaction."""
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise ArchiveError(
            f"archive schema version {current} is newer than this Warta ({SCHEMA_VERSION}); upgrade Warta"
        )
    if current == 0 and db.table_names() and "articles" not in db.table_names():
        raise ArchiveError("the file is an SQLite database but not a Warta archive")
    for version in range(current + 1, SCHEMA_VERSION + 1):
        with _write(db):
            # Read again under the write lock: two processes opening a new archive at once (cron
            # overlap) must not both run the same migration.
            if schema_version(db) >= version:
                continue
            step = MIGRATIONS[version - 1]
            if callable(step):
                step(db.conn)
            else:
                # Not executescript(): it COMMITs first, and a migration must be all-or-nothing.
                for statement in _split_sql(step):
                    db.conn.execute(statement)
            db.conn.execute(f"PRAGMA user_version = {version}")


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements (triggers contain ';' so use sqlite3.complete_statement)."""
    statements: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        if not buf and (not line.strip() or line.strip().startswith("--")):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            statements.append(buf.strip())
            buf = ""
    if buf.strip():
        statements.append(buf.strip())
    return statements


# --------------------------------------------------------------------------------------------
# URLs and hashes
# --------------------------------------------------------------------------------------------

_AMP = re.compile(r"^https?://(?:amp\.|m\.)|/amp(?:/|$)|[?&](?:amp|outputType=amp)(?:[=&]|$)", re.I)


@functools.lru_cache(maxsize=65536)  # related links repeat across articles; canonicalize is ~50 us
def normalize_url(url: str) -> str:
    """The archive's identity form of a URL: ``scraper.urls.canonicalize``."""
    url = url.strip()
    if not url:
        return ""
    try:
        return canonicalize(url) or url
    except Exception:  # a URL the canonicaliser rejects is still an identity, as given
        return _basic_normalize(url)


def _basic_normalize(url: str) -> str:
    """Fallback normalisation: drop the fragment only."""
    return url.split("#", 1)[0]


#: Show-all parameters no profile declares any more but old archives' URLs carry.
_LEGACY_SHOW_ALL = {"showall": "1"}


@functools.lru_cache(maxsize=1)
def _show_all() -> re.Pattern[str]:
    """The query parameters that ask a site for a whole article (``?page=all``, sindonews's
    ``?showpage=all``...): read from the site profiles' ``show_all_params``, so the rule lives there."""
    from scraper.sites import SITES, site_for_url

    site_for_url("")  # loads the registry
    pairs = dict.fromkeys(
        f"{re.escape(k)}={re.escape(v)}"
        for params in [*(s.show_all_params for s in SITES.values()), _LEGACY_SHOW_ALL]
        for k, v in params.items()
    )
    return re.compile(rf"[?&](?:{'|'.join(sorted(pairs))})(?:&|$)", re.I)

_TRACKING = re.compile(r"[?&](?:utm_[a-z]+|source|jxrecoid|fbclid|gclid)=", re.I)


def _alias_reason(url: str) -> str:
    """Why a fetched URL differs from its canonical one: amp, show_all, tracking or fetched_url."""
    if _AMP.search(url):
        return "amp"
    if _show_all().search(url):
        return "show_all"
    if _TRACKING.search(url):
        return "tracking"
    return "fetched_url"


def content_hash(record: dict[str, Any]) -> str:
    """Hash of everything that makes an edit (title, body, dates, authors, related...)."""
    payload = json.dumps([record.get(name) for name in CONTENT_FIELDS], ensure_ascii=False, sort_keys=True)
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


def _day(published: str | None) -> str | None:
    if published and re.match(r"\d{4}-\d{2}-\d{2}", published):
        return published[:10]
    return None


def _json_list(value: Any) -> str:
    if value is None:
        return "[]"
    if isinstance(value, str):
        return json.dumps([value], ensure_ascii=False)
    return json.dumps(list(value), ensure_ascii=False)


def _related_list(value: Any) -> list[dict[str, str | None]]:
    out: list[dict[str, str | None]] = []
    for item in value or []:
        if isinstance(item, dict):
            url, title = item.get("url"), item.get("title")
        else:  # a Related dataclass or (url, title) pair
            url, title = getattr(item, "url", None), getattr(item, "title", None)
        if url:
            out.append({"url": normalize_url(str(url)), "title": title})
    return out


def _text(value: Any) -> str | None:
    """An optional text field as str (dates may come as datetime objects; other types are
    stringified best-effort rather than failing the batch at bind time)."""
    if value is None or isinstance(value, str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _prepare(d: dict[str, Any]) -> dict[str, Any]:
    """The row for ``articles`` (plus 'related' as a list) from an Article.to_dict()."""
    if not isinstance(d, dict):
        raise TypeError(f"an article record must be a dict, not {type(d).__name__}")
    canonical = normalize_url(str(d.get("canonical_url") or d.get("url") or ""))
    title = str(d.get("title") or "").strip()
    body = d.get("body")
    if body is None and d.get("paragraphs"):
        body = "\n\n".join(d["paragraphs"])
    body = str(body or "").strip()
    if not canonical or not title or not body:
        missing = [n for n, v in (("canonical_url", canonical), ("title", title), ("body", body)) if not v]
        raise ValueError(f"{d.get('url') or canonical or '?'}: missing {', '.join(missing)}")
    word_count = d.get("word_count")
    if not isinstance(word_count, int):
        word_count = len(body.split())
    row = {
        "canonical_url": canonical,
        "site": _text(d.get("site")) or "",
        "url": str(d.get("url") or canonical).strip(),
        "title": title,
        "description": _text(d.get("description")),
        "authors": _json_list(d.get("authors")),
        "editors": _json_list(d.get("editors")),
        "published": _text(d.get("published")),
        "modified": _text(d.get("modified")),
        "day": _day(_text(d.get("published"))),
        "section": _text(d.get("section")),
        "tags": _json_list(d.get("tags")),
        "dateline": _text(d.get("dateline")),
        "lead_image": _text(d.get("lead_image")),
        "language": _text(d.get("language")),
        "body": body,
        "word_count": word_count,
        "parser": _text(d.get("parser")),
        "rejected_canonical": _text(d.get("rejected_canonical")),
        "related": _related_list(d.get("related")),
        # A multi-page article stored without all its pages (fetched again next run).
        "incomplete": 1 if d.get("incomplete") else 0,
    }
    row["content_hash"] = content_hash(row)
    row["body_hash"] = body_hash(body)
    return row


class PreparedRow(dict[str, Any]):
    """A record already through ``_prepare``, with its ``story_fingerprint``: what a bulk writer's
    worker process hands back (``prepare_records``). ``save_articles`` stores it as it is.
    ``fetched``: the identity form of the URL it was fetched from."""

    fetched: str


def prepare_records(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each record as ``save_articles`` will store it, with its story fingerprint: the task a bulk
    writer's worker process runs for a batch (``warta import``), so the writing process only writes.
    A record ``_prepare`` refuses comes back as it was: ``save_articles`` reports it."""
    out: list[dict[str, Any]] = []
    for record in records:
        try:
            row = PreparedRow(_prepare(record))
        except (ValueError, TypeError, AttributeError):
            out.append(record)
            continue
        row["story_fingerprint"] = precompute_fingerprint(row["body"], row["body_hash"])
        row.fetched = normalize_url(row["url"])
        out.append(row)
    return out


# --------------------------------------------------------------------------------------------
# Writing articles
# --------------------------------------------------------------------------------------------

_ARTICLE_COLUMNS = (
    "canonical_url site url title description authors editors published modified day section tags "
    "dateline lead_image language body word_count parser content_hash body_hash rejected_canonical incomplete"
).split()
_INSERT_ARTICLE = (
    f"INSERT INTO articles ({', '.join(_ARTICLE_COLUMNS)}, version, first_seen, last_seen, changed_at) "
    f"VALUES ({', '.join(':' + c for c in _ARTICLE_COLUMNS)}, 1, :seen, :seen, :seen)"
)
_UPDATE_COLUMNS = [c for c in _ARTICLE_COLUMNS if c != "canonical_url"]
_UPDATE_ARTICLE = (
    f"UPDATE articles SET {', '.join(f'{c} = :{c}' for c in _UPDATE_COLUMNS)}, "
    "version = version + 1, version_reason = 'publisher_edit', last_seen = :seen, changed_at = :seen WHERE id = :id"
)
_KEEP_VERSION = """
INSERT INTO versions (article_id, version, url, title, description, authors, editors, published,
    modified, section, tags, dateline, lead_image, language, body, related, word_count, parser,
    content_hash, seen_from, replaced_at, reason)
SELECT a.id, a.version, a.url, a.title, a.description, a.authors, a.editors, a.published,
    a.modified, a.section, a.tags, a.dateline, a.lead_image, a.language, a.body,
    (SELECT json_group_array(json_object('url', r.url, 'title', r.title))
       FROM (SELECT url, title FROM related WHERE article_id = a.id ORDER BY position) r),
    a.word_count, a.parser, a.content_hash, a.changed_at, :seen, a.version_reason
FROM articles a WHERE a.id = :id
"""


def save_articles(
    db: sqlite_utils.Database,
    articles: Iterable[dict[str, Any]],
    *,
    run_id: int | None = None,
    seen_at: str | None = None,
    seen_each: Sequence[str | None] | None = None,
    confirmations: str = "touch",
) -> SaveResult:
    """Store a batch of ``Article.to_dict()`` records in one transaction, deduplicated.

    New articles are inserted; identical re-crawls only move ``last_seen``; edits keep the
    previous version in ``versions``; fetched URLs and same-body duplicates become ``aliases``.
    With ``run_id`` the batch's counts are added to that crawl run in the same transaction, so
    the run record never disagrees with what was committed. A record may carry its
    ``story_fingerprint`` (``archive.stories.precompute_fingerprint``, from an extraction worker):
    grouping then skips fingerprinting that body again.

    ``seen_each``: the time each record was fetched (``warta import``: its WARC-Date), else
    ``seen_at``. ``confirmations="widen"`` (the import): a record that only confirms what the
    archive holds (no new article, version or alias) writes nothing (its savepoint is rolled
    back) except widening the article's first_seen/last_seen to its time when that lies outside
    them; the default "touch" moves last_seen (a crawl).
    """
    seen_default = seen_at or _now()
    widen = confirmations == "widen"
    result = SaveResult()
    conn = db.conn
    precomputed: dict[str, Fingerprint] = {}
    try:
        with _write(db):
            touched: list[dict[str, Any]] = []
            fts = FtsBatch(conn)
            for position, record in enumerate(articles):
                seen = (seen_each[position] if seen_each is not None else None) or seen_default
                try:
                    row = record if isinstance(record, PreparedRow) else _prepare(
                        record.to_dict() if hasattr(record, "to_dict") else record)
                except (ValueError, TypeError, AttributeError) as exc:
                    # A malformed record is reported, never allowed to sink the rest of the batch.
                    result.invalid += 1
                    result.errors.append(_one_line(exc))
                    continue
                given = record.get("story_fingerprint") if isinstance(record, dict) else None
                # Only when it was computed from this very body (a merged multi-page article is not).
                if given and given[0] == row["body_hash"]:
                    precomputed[given[0]] = given[1]
                if widen:
                    before = (result.new, result.updated, result.aliases, len(touched))
                    conn.execute("SAVEPOINT warta_confirm")
                article_id = _save_one(conn, row, seen, result, touched, fts)
                result.ids.append(article_id)
                if widen:
                    if (result.new, result.updated, result.aliases) != before[:3]:
                        conn.execute("RELEASE warta_confirm")
                        continue
                    conn.execute("ROLLBACK TO warta_confirm")
                    conn.execute("RELEASE warta_confirm")
                    del touched[before[3]:]
                    if seen_each is not None and seen_each[position] is not None:
                        conn.execute(
                            "UPDATE articles SET first_seen = min(first_seen, :s), last_seen = max(last_seen, :s) "
                            "WHERE id = :id AND (first_seen > :s OR last_seen < :s)",
                            {"s": seen, "id": article_id},
                        )
            fts.finish()
            if touched:
                conn.executemany("UPDATE articles SET last_seen = :seen WHERE id = :id", touched)
            # Same transaction: an article is never archived without its fingerprint and story.
            group_articles(conn, result.ids, precomputed)
            if run_id is not None:
                conn.execute(
                    "UPDATE crawl_runs SET articles_new = articles_new + ?, updated = updated + ?, "
                    "unchanged = unchanged + ?, aliases = aliases + ?, same_body = same_body + ? "
                    "WHERE id = ?",
                    (result.new, result.updated, result.unchanged, result.aliases, result.same_body, run_id),
                )
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"cannot write to the archive: {_one_line(exc)}") from exc
    return result


class FtsBatch:
    """The full-text index of one write transaction's articles, written together in search_key order.

    FTS5 flushes its pending terms whenever a rowid is lower than the last one (or equal, after a
    delete), so rows indexed one by one through the triggers in any date order cost ~450 us an
    article, ~400 us an update. Here the triggers are off for the transaction (``fts_deferred``): the
    old entries of the rows about to change go out in one ordered statement, and every new or changed
    row goes in with another at the end (``finish``), into one pending-terms table
    (``hashsize``, migration 13): what sqlite-utils' insert_all with FTS costs, ~0.25 ms an update."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.ids: set[int] = set()  # rows to index at the end (their old entries, if any, are out)
        self.deferring = False

    def _defer(self) -> None:
        if not self.deferring:
            self.conn.execute("INSERT OR IGNORE INTO fts_deferred (id) VALUES (1)")
            self.deferring = True

    def inserting(self) -> None:
        """Before inserting an article: the insert trigger is off from now on (set once, and only by a
        transaction that writes: a re-crawl that changes nothing writes nothing more)."""
        self._defer()

    def inserted(self, article_id: int) -> None:
        self.ids.add(article_id)

    def changing(self, article_ids: Sequence[int]) -> None:
        """Before an UPDATE of these articles' title, body or published: their entries leave the index."""
        self._defer()
        old = [i for i in article_ids if i not in self.ids]
        if old:
            self.conn.execute(
                "INSERT INTO articles_fts (articles_fts, rowid, title, body) SELECT 'delete', search_key, title, body "
                "FROM articles WHERE id IN (SELECT value FROM json_each(?)) ORDER BY search_key",
                (json.dumps(old),),
            )
        self.ids.update(article_ids)

    def finish(self) -> None:
        """Index every new or changed row as it now is, and turn the triggers back on."""
        if self.ids:
            self.conn.execute(
                "INSERT INTO articles_fts (rowid, title, body) SELECT search_key, title, body FROM articles "
                "WHERE id IN (SELECT value FROM json_each(?)) ORDER BY search_key",
                (json.dumps(sorted(self.ids)),),
            )
            self.ids = set()
        if self.deferring:
            self.conn.execute("DELETE FROM fts_deferred")
            self.deferring = False


def _save_one(
    conn: sqlite3.Connection,
    row: dict[str, Any],
    seen: str,
    result: SaveResult,
    touched: list[dict[str, Any]],
    fts: FtsBatch,
) -> int:
    """Insert, update, touch or alias one prepared row; returns the article id it belongs to."""
    row = _settle_identity(conn, row, result)
    canonical = row["canonical_url"]
    found = conn.execute(
        "SELECT id, content_hash FROM articles WHERE canonical_url = ?", (canonical,)
    ).fetchone()
    owner_by_alias = None
    if found is None:
        # The canonical URL may already be an alias (an amp URL that declared itself canonical,
        # or a same-body duplicate seen before).
        alias = conn.execute(
            "SELECT a.id, a.content_hash, al.reason FROM aliases al JOIN articles a ON a.id = al.article_id "
            "WHERE al.url = ?",
            (canonical,),
        ).fetchone()
        if alias is not None:
            if alias[2] == "same_body":
                owner_by_alias = alias[0]
            else:
                found = alias[:2]
    if found is None and owner_by_alias is None and row["word_count"] >= MIN_WORDS_FOR_BODY_DEDUPE:
        # Only within one site: a wire story copied verbatim by another outlet is that outlet's
        # article (story grouping puts the copies together), never an alias of the first outlet's.
        twin = conn.execute(
            "SELECT id FROM articles WHERE body_hash = ? AND site = ? ORDER BY id LIMIT 1",
            (row["body_hash"], row["site"]),
        ).fetchone()
        if twin is not None:
            owner_by_alias = twin[0]

    if owner_by_alias is not None:
        # The same article under another canonical URL: the first URL keeps the row.
        result.same_body += 1
        _add_alias(conn, canonical, owner_by_alias, "same_body", seen, result)
        if row["url"] != canonical:
            _add_alias(conn, row["url"], owner_by_alias, "same_body", seen, result)
        touched.append({"id": owner_by_alias, "seen": seen})
        return owner_by_alias

    if found is None:
        fts.inserting()
        cur = conn.execute(_INSERT_ARTICLE, {**row, "seen": seen})
        article_id = int(cur.lastrowid)  # type: ignore[arg-type]
        fts.inserted(article_id)
        _write_related(conn, article_id, row["related"])
        result.new += 1
    else:
        article_id, old_hash = int(found[0]), found[1]
        if old_hash == row["content_hash"]:
            result.unchanged += 1
            touched.append({"id": article_id, "seen": seen})
        else:
            conn.execute(_KEEP_VERSION, {"id": article_id, "seen": seen})
            fts.changing([article_id])
            conn.execute(_UPDATE_ARTICLE, {**row, "id": article_id, "seen": seen})
            conn.execute("DELETE FROM related WHERE article_id = ?", (article_id,))
            _write_related(conn, article_id, row["related"])
            result.updated += 1
    if row["url"] != canonical:
        _add_alias(conn, row["url"], article_id, _alias_reason(row["url"]), seen, result)
    return article_id


def _article_of(conn: sqlite3.Connection, url: str) -> int | None:
    """The id of the article whose canonical URL or (not same-body) alias ``url`` is."""
    found = conn.execute("SELECT id FROM articles WHERE canonical_url = ?", (url,)).fetchone()
    if found is None:
        found = conn.execute(
            "SELECT article_id FROM aliases WHERE url = ? AND reason != 'same_body'", (url,)
        ).fetchone()
    return None if found is None else int(found[0])


def _settle_identity(conn: sqlite3.Connection, row: dict[str, Any], result: SaveResult) -> dict[str, Any]:
    """The row with the identity it may have: the canonical-collision rule of the module docstring."""
    canonical = row["canonical_url"]
    fetched = row.fetched if isinstance(row, PreparedRow) else normalize_url(row["url"])
    if not fetched or not fetched.startswith(("https://", "http://")):
        return row
    if fetched != canonical:
        if conn.execute("SELECT 1 FROM articles WHERE canonical_url = ?", (fetched,)).fetchone():
            return {**row, "canonical_url": fetched}  # known by its fetched URL (an earlier collision)
        owner = _article_of(conn, canonical)
        if owner is None or owner == _article_of(conn, fetched):
            return row  # nothing archived there, or this very page reached another way
        body = conn.execute("SELECT body_hash FROM articles WHERE id = ?", (owner,)).fetchone()[0]
        if body == row["body_hash"]:
            return row  # the same article: the canonical is right
        result.collisions += 1
        return {**row, "canonical_url": fetched, "rejected_canonical": row["rejected_canonical"] or canonical}
    # Fetched from its canonical URL itself: an earlier row that claimed this URL from elsewhere
    # (another body, fetched from a URL that is not this one) gives it back and moves to its own URL.
    held = conn.execute(
        "SELECT id, url, body_hash FROM articles WHERE canonical_url = ?", (canonical,)
    ).fetchone()
    if held is None or held[2] == row["body_hash"]:
        return row
    own = normalize_url(held[1] or "")
    if not own or own == canonical or not own.startswith(("https://", "http://")):
        return row
    if _article_of(conn, own) not in (None, held[0]):
        return row  # its own URL is another article's already: leave both alone
    conn.execute("DELETE FROM aliases WHERE url IN (?, ?) AND article_id = ?", (own, held[1], held[0]))
    conn.execute(
        "UPDATE articles SET canonical_url = ?, rejected_canonical = coalesce(rejected_canonical, ?) WHERE id = ?",
        (own, canonical, held[0]),
    )
    result.collisions += 1
    return row


def add_aliases(
    db: sqlite_utils.Database, pairs: Iterable[tuple[str, str]], *, seen_at: str | None = None
) -> tuple[int, int]:
    """Record each ``(known_url, other_url)`` pair as an alias of the archived article that
    ``known_url`` reaches (canonical or alias), in one transaction. Returns (new aliases, pairs
    whose article is not archived: nothing recorded for them)."""
    seen = seen_at or _now()
    result = SaveResult()
    missing = 0
    try:
        with _write(db) as conn:
            for known, url in pairs:
                url = (url or "").strip()
                article_id = _lookup_id(db, known)
                if article_id is None:
                    missing += 1
                elif url and url != normalize_url(known):
                    _add_alias(conn, url, article_id, _alias_reason(url), seen, result)
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"cannot write to the archive: {_one_line(exc)}") from exc
    return result.aliases, missing


def _add_alias(
    conn: sqlite3.Connection, url: str, article_id: int, reason: str, seen: str, result: SaveResult
) -> None:
    """Record ``url`` as another address of the article unless it is already known."""
    known = conn.execute("SELECT 1 FROM articles WHERE canonical_url = ?", (url,)).fetchone()
    if known:  # an article's own canonical URL is never an alias of another one
        return
    cur = conn.execute(
        "INSERT OR IGNORE INTO aliases (url, article_id, reason, first_seen) VALUES (?, ?, ?, ?)",
        (url, article_id, reason, seen),
    )
    result.aliases += cur.rowcount


def _write_related(conn: sqlite3.Connection, article_id: int, related: list[dict[str, Any]]) -> None:
    conn.executemany(
        "INSERT INTO related (article_id, position, url, title) VALUES (?, ?, ?, ?)",
        [(article_id, i, r["url"], r["title"]) for i, r in enumerate(related, start=1)],
    )


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def known_urls(db: sqlite_utils.Database, site: str | None = None) -> set[str]:
    """Every canonical URL and alias in the archive (of one site), for incremental crawls."""
    if site is None:
        rows = db.execute("SELECT canonical_url FROM articles UNION ALL SELECT url FROM aliases")
    else:
        rows = db.execute(
            "SELECT canonical_url FROM articles WHERE site = ? UNION ALL "
            "SELECT al.url FROM aliases al JOIN articles a ON a.id = al.article_id WHERE a.site = ?",
            (site, site),
        )
    return {r[0] for r in rows}


def _lookup_id(db: sqlite_utils.Database, url: str) -> int | None:
    for candidate in dict.fromkeys((url.strip(), normalize_url(url))):
        row = db.execute("SELECT id FROM articles WHERE canonical_url = ?", (candidate,)).fetchone()
        if row is None:
            row = db.execute("SELECT article_id FROM aliases WHERE url = ?", (candidate,)).fetchone()
        if row is not None:
            return int(row[0])
    return None


def is_known(db: sqlite_utils.Database, url: str) -> bool:
    """Is ``url`` (as given or normalised) an archived article's canonical URL or alias?"""
    return _lookup_id(db, url) is not None


def last_seen(db: sqlite_utils.Database, url: str) -> str | None:
    """When the article reached by ``url`` was last seen, or None if the archive does not hold it."""
    article_id = _lookup_id(db, url)
    if article_id is None:
        return None
    row = db.execute("SELECT last_seen FROM articles WHERE id = ?", (article_id,)).fetchone()
    return row[0] if row else None


def archived_state(db: sqlite_utils.Database, url: str) -> tuple[str, bool, int] | None:
    """(last seen, incomplete, body length) of the article reached by ``url``; None if not archived."""
    article_id = _lookup_id(db, url)
    if article_id is None:
        return None
    row = db.execute("SELECT last_seen, incomplete, length(body) FROM articles WHERE id = ?", (article_id,)).fetchone()
    return (row[0], bool(row[1]), int(row[2] or 0)) if row else None


def article_by_url(db: sqlite_utils.Database, url: str) -> dict[str, Any] | None:
    """The archived article reached by ``url`` (canonical or alias), lists decoded, with related."""
    article_id = _lookup_id(db, url)
    if article_id is None:
        return None
    return article_by_id(db, article_id)


def article_by_id(db: sqlite_utils.Database, article_id: int) -> dict[str, Any] | None:
    """One article as a dict: JSON list columns decoded, ``related`` and ``aliases`` attached."""
    rows = list(db.query("SELECT * FROM articles WHERE id = ?", [article_id]))
    if not rows:
        return None
    article = rows[0]
    for name in ("authors", "editors", "tags"):
        article[name] = json.loads(article[name] or "[]")
    article["related"] = list(
        db.query("SELECT url, title FROM related WHERE article_id = ? ORDER BY position", [article_id])
    )
    article["aliases"] = list(
        db.query("SELECT url, reason FROM aliases WHERE article_id = ? ORDER BY url", [article_id])
    )
    return article


# --------------------------------------------------------------------------------------------
# Crawl runs
# --------------------------------------------------------------------------------------------


def start_run(db: sqlite_utils.Database, spiders: list[str], args: dict[str, Any]) -> int:
    """Record a crawl run as 'running' and return its id."""
    with _write(db) as conn:
        cur = conn.execute(
            "INSERT INTO crawl_runs (started, status, spiders, args, pid, host) VALUES (?, 'running', ?, ?, ?, ?)",
            (
                _now(),
                json.dumps(list(spiders)),
                json.dumps(args, ensure_ascii=False, default=str, sort_keys=True),
                os.getpid(),
                socket.gethostname(),
            ),
        )
        return int(cur.lastrowid)  # type: ignore[arg-type]


def finish_run(
    db: sqlite_utils.Database,
    run_id: int,
    *,
    status: str,
    finish_reason: str | None,
    stats: dict[str, Any],
    exit_code: int | None = None,
) -> None:
    """Close a crawl run: its status, finish reason, exit code and counts.

    Keys of ``stats`` named like crawl_runs columns (pages_fetched, skipped, skipped_reasons,
    errors, http_status, ...) set those columns (dicts as JSON); the whole dict is kept in
    ``stats`` as JSON. Article counts already added by ``save_articles(run_id=...)`` are
    overwritten only when ``stats`` names them.
    """
    if status not in RUN_STATUSES:
        raise ValueError(f"unknown run status {status!r}; one of {', '.join(RUN_STATUSES)}")
    values: dict[str, Any] = {
        "finished": _now(),
        "status": status,
        "finish_reason": finish_reason,
        "exit_code": exit_code,
        "stats": json.dumps(stats, ensure_ascii=False, default=str, sort_keys=True),
    }
    for name in RUN_STAT_COLUMNS:
        if name in stats:
            value = stats[name]
            values[name] = json.dumps(value, sort_keys=True, default=str) if isinstance(value, dict) else value
    assignments = ", ".join(f"{name} = :{name}" for name in values)
    with _write(db) as conn:
        cur = conn.execute(f"UPDATE crawl_runs SET {assignments} WHERE id = :run_id", {**values, "run_id": run_id})
        if cur.rowcount == 0:
            raise ArchiveError(f"no crawl run with id {run_id}")


#: crawl_sites columns filled from a site's counts (archive.cron.site_counts); sums of dicts for two.
_SITE_COLUMNS = (
    "discovery_fetched",
    "discovery_failed",
    "pages",
    "articles_new",
    "articles_updated",
    "articles_unchanged",
)


def record_sites(db: sqlite_utils.Database, run_id: int, sites: Iterable[dict[str, Any]]) -> None:
    """One crawl_sites row per site of a run: ``{"site", "verdict", "reason", "advice", "counts"}``."""
    rows = []
    for site in sites:
        counts = site["counts"]
        rows.append(
            {
                "run_id": run_id,
                "site": site["site"],
                "verdict": site["verdict"],
                "reason": site.get("reason"),
                "advice": site.get("advice"),
                **{name: int(counts.get(name, 0) or 0) for name in _SITE_COLUMNS},
                "skipped": sum(counts.get("skipped", {}).values()),
                "not_fetched": sum(counts.get("not_fetched", {}).values()),
                "counts": json.dumps(counts, sort_keys=True, default=str),
            }
        )
    if not rows:
        return
    names = list(rows[0])
    with _write(db) as conn:
        conn.executemany(
            f"INSERT OR REPLACE INTO crawl_sites ({', '.join(names)}) VALUES ({', '.join(':' + n for n in names)})",
            rows,
        )


def recent_site_counts(
    db: sqlite_utils.Database, sites: Iterable[str], limit: int = 10
) -> dict[str, list[dict[str, Any]]]:
    """The counts of each site's last ``limit`` ok runs, newest first (the degraded rule's baseline)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for site in sites:
        found = db.execute(
            "SELECT counts FROM crawl_sites WHERE site = ? AND verdict = 'ok' ORDER BY run_id DESC LIMIT ?",
            (site, limit),
        ).fetchall()
        out[site] = [json.loads(r[0]) for r in found]
    return out


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by another user
        return True
    return True


def close_stale_runs(db: sqlite_utils.Database) -> list[int]:
    """Mark 'running' runs of this host whose process is gone (SIGKILL, power loss) as 'killed'.

    Call it while holding the crawl lock, before start_run, so the runs table tells the truth.
    Returns the ids closed.
    """
    host = socket.gethostname()
    stale = [
        run_id
        for run_id, pid in db.execute(
            "SELECT id, pid FROM crawl_runs WHERE status = 'running' AND host = ?", (host,)
        ).fetchall()
        if pid is None or (pid != os.getpid() and not _pid_alive(int(pid)))
    ]
    if stale:
        with _write(db) as conn:
            conn.executemany(
                "UPDATE crawl_runs SET status = 'killed', finish_reason = 'process_gone', finished = ? "
                "WHERE id = ? AND status = 'running'",
                [(_now(), run_id) for run_id in stale],
            )
    return stale
