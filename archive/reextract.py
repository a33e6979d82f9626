"""``warta reextract``: today's parsers over the stored captures, no network.

For each selected article, the payload of its last fetch (``archive.captures.latest_capture``) goes
through ``scraper.extract.extract_article`` again. An article whose extraction changed is updated
in place (same id, same canonical URL) as a new version with reason ``reextract`` and the parser
that produced it; its previous version goes to ``versions``. Nothing else moves: ``last_seen`` says
when the publisher was last asked, and a re-extraction asks no one.

Articles are read in id order in chunks (keyset), so memory stays flat however large the archive.
"""

from __future__ import annotations

import difflib
import json
import sqlite3
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from archive.captures import charset, latest_capture
from archive.common import write
from archive.db import _KEEP_VERSION, CONTENT_FIELDS, FtsBatch, _prepare, _write_related
from archive.stories import fingerprint_pool, group_articles, precompute_fingerprints
from scraper.model import NotAnArticle

#: Articles read per query, and updates per transaction.
CHUNK = 1000
#: Fields compared and rewritten (the canonical URL is the identity: never moved by a re-extraction).
FIELDS = tuple(f for f in CONTENT_FIELDS if f != "related") + ("related",)
_UPDATE = (
    "UPDATE articles SET url = :url, title = :title, description = :description, authors = :authors, "
    "editors = :editors, published = :published, modified = :modified, day = :day, section = :section, "
    "tags = :tags, dateline = :dateline, lead_image = :lead_image, language = :language, body = :body, "
    "word_count = :word_count, parser = :parser, content_hash = :content_hash, body_hash = :body_hash, "
    "version = version + 1, version_reason = 'reextract', changed_at = :seen WHERE id = :id"
)


@dataclass
class ReextractResult:
    """What a re-extraction found: articles read, changed (and per field), unchanged, skipped by reason."""

    articles: int = 0
    changed: int = 0
    unchanged: int = 0
    fields: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    diffs: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """The counts as plain data (for --json and logs)."""
        return {
            "articles": self.articles,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "fields": dict(sorted(self.fields.items())),
            "skipped": dict(sorted(self.skipped.items())),
        }


def _select(
    sites: list[str] | None, parser: str | None, since: date | None, until: date | None
) -> tuple[str, list[Any]]:
    where = ["id > ?"]
    params: list[Any] = []
    if sites:
        where.append(f"site IN ({', '.join('?' * len(sites))})")
        params += sites
    if parser:
        # A parser name ("kompas") or one version of it ("kompas/2024").
        where.append("(parser = ? OR parser LIKE ? ESCAPE '\\')")
        params += [parser, parser.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%"]
    if since:
        where.append("day >= ?")
        params.append(since.isoformat())
    if until:
        where.append("day <= ?")
        params.append(until.isoformat())
    columns = ", ".join(["id", "canonical_url", "content_hash", *(f for f in FIELDS if f != "related")])
    return f"SELECT {columns} FROM articles WHERE {' AND '.join(where)} ORDER BY id LIMIT {CHUNK}", params


def _is_one_page_of_many(article: Any) -> bool:
    """A page of an article the spider fetched page by page and merged (``follow_pages``)."""
    from scraper.sites import site_for_url

    site = site_for_url(article.url)
    pages = (article.pagination or {}).get("pages") or 1
    return site is not None and site.multipage == "follow_pages" and int(pages) > 1


def _related(conn: sqlite3.Connection, article_id: int) -> list[dict[str, Any]]:
    rows = conn.execute("SELECT url, title FROM related WHERE article_id = ? ORDER BY position", (article_id,))
    return [{"url": u, "title": t} for u, t in rows]


def _diff(name: str, old: Any, new: Any, url: str) -> str:
    """A short unified diff of one field, for --dry-run."""
    def lines(value: Any) -> list[str]:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        return (text or "").split("\n")

    body = list(difflib.unified_diff(lines(old), lines(new), f"{name} (archived)", f"{name} (today)", n=1,
                                     lineterm=""))
    shown = "\n".join(line[:200] for line in body[:12])
    return f"{url}\n{shown}" + ("\n..." if len(body) > 12 else "")


def reextract(
    db: sqlite_utils.Database,
    root: Path,
    *,
    sites: list[str] | None = None,
    parser: str | None = None,
    since: date | None = None,
    until: date | None = None,
    dry_run: bool = False,
    max_diffs: int = 3,
    progress: Callable[[int], None] | None = None,
) -> ReextractResult:
    """Re-extract the selected articles from their captures; update those that changed (unless dry_run)."""
    started = time.monotonic()
    result = ReextractResult()
    conn = db.conn
    sql, params = _select(sites, parser, since, until)
    last = 0
    seen = datetime.now(UTC).isoformat(timespec="seconds")
    try:
        result = _reextract_chunks(db, root, conn, sql, params, last, seen, result, dry_run, max_diffs, progress)
    finally:
        if _POOL[0] is not None:
            _POOL[0].shutdown()
            _POOL[0] = None
    result.seconds = time.monotonic() - started
    return result


#: The fingerprint workers of the running reextract (made for the first large chunk of new versions).
_POOL: list[Any] = [None]
#: A chunk of at least this many new versions has its story fingerprints computed by worker processes
#: while its versions and full text are written.
MIN_POOL_CHUNK = 100


def _reextract_chunks(
    db: sqlite_utils.Database, root: Path, conn: sqlite3.Connection, sql: str, params: list[Any], last: int,
    seen: str, result: ReextractResult, dry_run: bool, max_diffs: int, progress: Callable[[int], None] | None,
) -> ReextractResult:
    """The selection, chunk by chunk: extract, compare, write the changed ones."""
    from scraper.extract import extract_article

    while True:
        rows = conn.execute(sql, [last, *params]).fetchall()
        if not rows:
            break
        updates: list[dict[str, Any]] = []
        for row in rows:
            last = row[0]
            article_id, canonical, old_hash = row[0], row[1], row[2]
            stored = dict(zip([f for f in FIELDS if f != "related"], row[3:], strict=True))
            capture = latest_capture(conn, root, article_id)
            if capture is None:
                result.skipped["no_capture"] += 1
                continue
            result.articles += 1
            try:
                payload = capture.payload()
            except OSError:
                result.skipped["capture_unreadable"] += 1
                continue
            try:
                article = extract_article(capture.url, payload, encoding=charset(capture.content_type))
            except NotAnArticle as exc:
                result.skipped[f"now_{exc.reason}"] += 1  # kept as archived: a parser that now fails is a bug to see
                continue
            if _is_one_page_of_many(article):
                result.skipped["multipage"] += 1  # one page of a merged article would read as a cut
                continue
            record = article.to_dict()
            record["canonical_url"] = canonical
            new = _prepare(record)
            if new["content_hash"] == old_hash:
                result.unchanged += 1
                continue
            stored["related"] = _related(conn, article_id)
            changed = [f for f in FIELDS if (stored.get(f) or None) != (new.get(f) or None)]
            result.changed += 1
            result.fields.update(changed)
            if len(result.diffs) < max_diffs and changed:
                name = "body" if "body" in changed else changed[0]
                result.diffs.append(_diff(name, stored.get(name), new.get(name), canonical))
            updates.append({**new, "id": article_id, "seen": seen})
        if updates and not dry_run:
            _apply(db, updates)
        if progress:
            progress(result.articles + sum(result.skipped.values()))
    return result


def _apply(db: sqlite_utils.Database, updates: list[dict[str, Any]]) -> None:
    """Write a chunk of re-extracted articles as new versions (reason 'reextract'), one transaction.

    A large chunk's story fingerprints are computed by worker processes while its versions and full
    text are written (the fingerprint is ~0.3 ms of CPU an article)."""
    futures = []
    if len(updates) >= MIN_POOL_CHUNK:
        if _POOL[0] is None:
            _POOL[0] = fingerprint_pool()
        if _POOL[0] is not None:
            half = (len(updates) + 1) // 2  # a part for each worker: both finish while the writes run
            futures = [_POOL[0].submit(precompute_fingerprints, [row["body"] for row in updates[k:k + half]])
                       for k in (0, half)]
    with write(db) as conn:
        fts = FtsBatch(conn)
        fts.changing([row["id"] for row in updates])
        conn.executemany(_KEEP_VERSION, updates)
        conn.executemany(_UPDATE, updates)
        conn.executemany("DELETE FROM related WHERE article_id = ?", [(row["id"],) for row in updates])
        for row in updates:
            _write_related(conn, row["id"], row["related"])
        fts.finish()
        given = {fp[0]: fp[1] for future in futures for fp in future.result() if fp is not None}
        # A changed body needs its fingerprint (and maybe its story) again, in the same transaction.
        group_articles(conn, [row["id"] for row in updates], given)
