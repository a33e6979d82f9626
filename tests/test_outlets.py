"""One article per outlet: a verbatim copy on another site is its own article in the same story (issue 10, §5)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

import archive.db as archive_db
from archive.db import SCHEMA_VERSION, open_archive, save_articles, schema_version
from scraper.extract import extract_article
from tests.conftest import FIXTURES, KOMPAS_FIXTURES

V4 = FIXTURES / "archives" / "v4-cross-outlet.db"


def _seed() -> dict:
    return extract_article(
        "https://www.kompas.com/tren/read/2024/11/14/120000065/seed",
        (KOMPAS_FIXTURES / "seed-article.html").read_bytes(),
    ).to_dict()


def test_a_copy_on_another_outlet_is_its_own_article_in_the_same_story(tmp_path: Path) -> None:
    db = open_archive(tmp_path / "a.db")
    seed = _seed()
    copy = dict(seed, site="detik", url="https://news.detik.com/berita/d-1/salinan",
                canonical_url="https://news.detik.com/berita/d-1/salinan", title="Salinan")
    same_site = dict(seed, url="https://www.kompas.com/tren/read/2024/11/14/120000099/lagi",
                     canonical_url="https://www.kompas.com/tren/read/2024/11/14/120000099/lagi")
    first = save_articles(db, [seed])
    result = save_articles(db, [copy, same_site])
    assert (result.new, result.same_body) == (1, 1)
    kompas_id, detik_id = first.ids[0], result.ids[0]
    assert detik_id != kompas_id and result.ids[1] == kompas_id
    assert db.execute("SELECT article_id, reason FROM aliases WHERE url LIKE '%120000099%'").fetchall() == [
        (kompas_id, "same_body")
    ]
    group = db.execute("SELECT outlets, articles FROM story_groups").fetchall()
    assert group == [(2, 2)]


def test_migration_v5_on_an_archive_built_by_the_previous_code(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    shutil.copy(V4, path)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 4
    db = open_archive(path)
    assert schema_version(db) == SCHEMA_VERSION
    rows = db.execute("SELECT id, site, canonical_url, parser, first_seen FROM articles ORDER BY id").fetchall()
    by_site = {site: (i, url, parser, seen) for i, site, url, parser, seen in rows}
    assert set(by_site) == {"kompas", "detik", "tempo"}
    assert by_site["detik"][1:] == ("https://news.detik.com/berita/d-7000001/salinan", "v8_migration",
                                    "2024-11-15T05:00:00+00:00")
    assert by_site["tempo"][1] == "https://nasional.tempo.co/read/1900001/salinan"
    aliases = dict(((u, (a, r)) for u, a, r in db.execute("SELECT url, article_id, reason FROM aliases")))
    # The amp URL the copy was fetched from is now an alias of the detik article; the same site's copy stays.
    assert aliases["https://news.detik.com/berita/d-7000001/salinan?amp=1"] == (by_site["detik"][0], "amp")
    assert aliases["https://www.kompas.com/tren/read/2024/11/14/120000099/seed-lagi"] == (1, "same_body")
    assert "https://news.detik.com/berita/d-7000001/salinan" not in aliases
    # Regrouped: the three outlets' articles are one story.
    assert db.execute("SELECT story, outlets, articles FROM story_groups").fetchall() == [(1, 3, 3)]
    # A re-crawl of the copy compares with the migrated row: the outlet's own fields become a version.
    detik = dict(_seed(), site="detik", url="https://news.detik.com/berita/d-7000001/salinan",
                 canonical_url="https://news.detik.com/berita/d-7000001/salinan", title="Salinan di detik")
    again = save_articles(db, [detik])
    assert again.ids == [by_site["detik"][0]] and again.updated == 1


def test_a_python_migration_step_runs_in_the_migration_transaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def step(conn: sqlite3.Connection) -> None:
        assert conn.in_transaction
        calls.append(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
        conn.execute("CREATE TABLE t (x)")

    def failing(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE u (x)")
        raise sqlite3.OperationalError("boom")

    open_archive(tmp_path / "a.db").close()
    monkeypatch.setattr(archive_db, "MIGRATIONS", [*archive_db.MIGRATIONS, step, failing])
    monkeypatch.setattr(archive_db, "SCHEMA_VERSION", SCHEMA_VERSION + 2)
    with pytest.raises(archive_db.ArchiveError, match="boom"):
        open_archive(tmp_path / "a.db")
    conn = sqlite3.connect(tmp_path / "a.db")
    # The step before committed; the failing one rolled back whole (no table u, version not moved).
    assert calls == [0]
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "t" in names and "u" not in names
