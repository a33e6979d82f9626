"""The archive on real SQLite files: identity, aliases, re-crawls, edits, versions, crawl runs."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from archive.db import (
    SCHEMA_VERSION,
    ArchiveError,
    add_aliases,
    article_by_url,
    finish_run,
    is_known,
    known_urls,
    last_seen,
    open_archive,
    save_articles,
    schema_version,
    start_run,
)
from tests.archive_factory import make_article

KOMPAS = "https://www.kompas.com/global/read/2024/11/14/10300011/ukraina-serang-kyiv"


@pytest.fixture
def db(tmp_path: Path):
    return open_archive(tmp_path / "archive.db")


def count(db, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]


def healthy(db) -> bool:
    return (
        db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        and not db.execute("PRAGMA foreign_key_check").fetchall()
        and db.execute("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')").rowcount != 0
    )


def test_open_creates_schema_wal_and_version(tmp_path: Path) -> None:
    db = open_archive(tmp_path / "a.db")
    assert {"articles", "related", "aliases", "versions", "crawl_runs", "articles_fts"} <= set(db.table_names())
    assert {"articles_by_date", "related_links"} <= set(db.view_names())
    assert db.journal_mode == "wal"
    assert schema_version(db) == SCHEMA_VERSION
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert db["articles"].detect_fts() == "articles_fts"
    # The tokenizer must not be porter (it cuts Indonesian words: kasus -> kasu).
    fts_sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_fts'").fetchone()[0]
    assert "unicode61 remove_diacritics 2" in fts_sql and "porter" not in fts_sql
    index_columns = {
        db.execute(f"PRAGMA index_info([{name}])").fetchone()[2]
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='articles'")
    }
    assert {"canonical_url", "site", "published", "day", "body_hash", "last_seen"} <= index_columns
    save_articles(db, [make_article(1)])
    db.close()
    # Re-opening migrates nothing and keeps the data.
    again = open_archive(tmp_path / "a.db")
    assert schema_version(again) == SCHEMA_VERSION and count(again, "articles") == 1


def test_new_article_stored_with_fields_related_and_fts(db) -> None:
    art = make_article(7, site="kompas")
    result = save_articles(db, [art])
    assert result.as_dict() | {"errors": []} == {
        "new": 1, "updated": 0, "unchanged": 0, "same_body": 0, "aliases": 0, "collisions": 0, "invalid": 0, "errors": []
    }
    row = db.execute("SELECT * FROM articles").fetchone()
    stored = dict(zip([d[0] for d in db.execute("SELECT * FROM articles").description], row))
    assert stored["canonical_url"] == art["canonical_url"]
    assert stored["body"] == art["body"] and "\n\n" in stored["body"]
    assert json.loads(stored["authors"]) == art["authors"] and json.loads(stored["tags"]) == art["tags"]
    assert stored["day"] == art["published"][:10]
    assert stored["word_count"] == art["word_count"] and stored["version"] == 1
    assert stored["first_seen"] == stored["last_seen"]
    related = db.execute("SELECT position, url, title FROM related").fetchall()
    assert related == [(1, art["related"][0]["url"], art["related"][0]["title"])]
    # The full-text rowid is the publication-ordered search_key (schema v12), not the id.
    hits = db.execute(
        "SELECT a.id FROM articles_fts f JOIN articles a ON a.search_key = f.rowid WHERE articles_fts MATCH 'redaksi'"
    ).fetchall()
    assert hits == [(stored["id"],)]
    assert healthy(db)


def test_same_article_fetched_by_amp_and_utm_urls_is_one_row_with_aliases(db) -> None:
    art = make_article(1, site="kompas", canonical_url=KOMPAS, url=KOMPAS)
    amp = dict(art, url=KOMPAS.replace("www.", "amp."))
    utm = dict(art, url=KOMPAS + "?utm_source=whatsapp&utm_medium=share")
    first = save_articles(db, [art])
    again = save_articles(db, [amp, utm])
    assert first.new == 1 and again.new == 0 and again.unchanged == 2 and again.aliases == 2
    assert count(db, "articles") == 1
    assert dict(db.execute("SELECT url, reason FROM aliases").fetchall()) == {
        amp["url"]: "amp",
        utm["url"]: "tracking",
    }
    # Other ways of reaching it: the one-page form, and a URL the parser resolved elsewhere.
    save_articles(db, [dict(art, url=KOMPAS + "?page=all"), dict(art, url="https://kmp.im/AbCd")])
    reasons = dict(db.execute("SELECT url, reason FROM aliases").fetchall())
    assert reasons[KOMPAS + "?page=all"] == "show_all" and reasons["https://kmp.im/AbCd"] == "fetched_url"
    # Seeing the same alias again records nothing new.
    assert save_articles(db, [amp]).aliases == 0
    assert article_by_url(db, utm["url"])["canonical_url"] == KOMPAS
    assert healthy(db)


@pytest.mark.parametrize(
    "variant",
    [
        "http://www.kompas.com/global/read/2024/11/14/10300011/ukraina-serang-kyiv",
        KOMPAS + "/",
        KOMPAS + "?page=all",
        KOMPAS + "?utm_source=facebook&utm_campaign=x",
        KOMPAS + "?source=widget&jxrecoid=abc#comments",
        KOMPAS.replace("www.", "amp."),
        "https://WWW.KOMPAS.COM/global/read/2024/11/14/10300011/ukraina-serang-kyiv",
    ],
)
def test_canonical_url_variants_are_normalised_defensively(db, variant: str) -> None:
    # The parser already normalises canonical_url; the archive does it again so a parser slip
    # (or another caller) cannot split one article into two rows.
    art = make_article(1, site="kompas", canonical_url=KOMPAS, url=KOMPAS)
    save_articles(db, [art])
    result = save_articles(db, [dict(art, canonical_url=variant, url=variant)])
    assert result.unchanged == 1 and result.new == 0
    assert [r[0] for r in db.execute("SELECT canonical_url FROM articles")] == [KOMPAS]
    assert is_known(db, variant)


def test_identical_recrawl_writes_only_last_seen(db) -> None:
    batch = [make_article(n) for n in range(50)]
    save_articles(db, batch, seen_at="2024-11-14T10:00:00+00:00")
    before = db.execute("SELECT * FROM articles ORDER BY id").fetchall()
    fts_before = db.execute("SELECT count(*), sum(length(block)) FROM articles_fts_data").fetchone()
    changes_before = db.conn.total_changes
    result = save_articles(db, batch, seen_at="2024-11-15T10:00:00+00:00")
    # total_changes counts rows written by triggers too: exactly one row update per article means
    # no FTS rewrite, no related/alias/version row.
    assert db.conn.total_changes - changes_before == len(batch)
    assert result.unchanged == len(batch) and result.new == result.updated == result.aliases == 0
    after = db.execute("SELECT * FROM articles ORDER BY id").fetchall()
    cols = [d[0] for d in db.execute("SELECT * FROM articles").description]
    last_seen = cols.index("last_seen")
    for old, new in zip(before, after):
        assert old[:last_seen] + old[last_seen + 1 :] == new[:last_seen] + new[last_seen + 1 :]
        assert (old[last_seen], new[last_seen]) == ("2024-11-14T10:00:00+00:00", "2024-11-15T10:00:00+00:00")
    assert db.execute("SELECT count(*), sum(length(block)) FROM articles_fts_data").fetchone() == fts_before
    assert count(db, "versions") == 0


def test_edited_article_is_updated_and_previous_version_kept(db) -> None:
    art = make_article(3, site="kompas")
    save_articles(db, [art], seen_at="2024-11-14T10:00:00+00:00")
    edited = dict(
        art,
        title="Ralat: " + art["title"],
        body=art["body"] + "\n\nPembaruan: jumlah korban bertambah menjadi tujuh orang.",
        modified="2024-11-14T12:00:00+07:00",
        related=[],
    )
    result = save_articles(db, [edited], seen_at="2024-11-14T12:05:00+00:00")
    assert result.updated == 1 and count(db, "articles") == 1
    current = article_by_url(db, art["canonical_url"])
    assert current["title"].startswith("Ralat: ") and current["version"] == 2
    assert current["modified"] == "2024-11-14T12:00:00+07:00" and current["related"] == []
    assert current["first_seen"] == "2024-11-14T10:00:00+00:00"
    assert current["changed_at"] == "2024-11-14T12:05:00+00:00"
    old = db.execute("SELECT version, title, body, related, replaced_at FROM versions").fetchall()
    assert len(old) == 1
    version, title, body, related, replaced_at = old[0]
    assert (version, title, body) == (1, art["title"], art["body"])
    assert json.loads(related) == art["related"] and replaced_at == "2024-11-14T12:05:00+00:00"
    # The search index follows the edit.
    assert db.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'ralat'").fetchone()[0] == 1
    # An author change alone is an edit too; a second edit makes version 3.
    assert save_articles(db, [dict(edited, authors=["Penulis Lain"])]).updated == 1
    assert [r[0] for r in db.execute("SELECT version FROM versions ORDER BY version")] == [1, 2]
    assert healthy(db)


def test_same_body_under_another_canonical_url_is_an_alias(db) -> None:
    art = make_article(5, site="kompas")
    save_articles(db, [art])
    # The same story syndicated under another URL, whitespace and case changed.
    twin_url = "https://regional.kompas.com/read/2024/11/14/555/kisah-yang-sama"
    twin = dict(art, canonical_url=twin_url, url=twin_url, title="Judul lain", body="  " + art["body"].upper().replace("\n\n", "\n \n"))
    result = save_articles(db, [twin])
    assert result.same_body == 1 and result.new == 0 and result.aliases == 1
    assert count(db, "articles") == 1
    assert db.execute("SELECT url, reason FROM aliases").fetchall() == [(twin_url, "same_body")]
    assert article_by_url(db, twin_url)["canonical_url"] == art["canonical_url"]
    # Seen again it is still the alias, not a new row.
    assert save_articles(db, [twin]).same_body == 1 and count(db, "articles") == 1


def test_same_body_inside_one_batch(db) -> None:
    art = make_article(6)
    twin = dict(art, canonical_url="https://www.detik.com/x/d-1/sama", url="https://www.detik.com/x/d-1/sama")
    result = save_articles(db, [art, twin])
    assert (result.new, result.same_body) == (1, 1) and result.ids[0] == result.ids[1]


def test_short_identical_bodies_are_not_merged(db) -> None:
    # "Simak video berikut." pages share a body but are different articles.
    short = "Simak selengkapnya dalam video berikut ini."
    a = make_article(8, body=short, paragraphs=[short], word_count=6)
    b = make_article(9, body=short, paragraphs=[short], word_count=6)
    assert save_articles(db, [a, b]).new == 2


def test_invalid_records_are_reported_and_the_rest_kept(db) -> None:
    good = make_article(10)
    result = save_articles(db, [dict(good, canonical_url="", url=""), dict(make_article(11), title=" "), good])
    assert (result.new, result.invalid) == (1, 2)
    assert "missing title" in result.errors[1]
    assert count(db, "articles") == 1


def test_known_urls_and_lookups(db) -> None:
    a = make_article(1, site="kompas")
    b = make_article(2, site="detik", url=make_article(2, site="detik")["canonical_url"] + "?utm_source=x")
    save_articles(db, [a, b])
    assert known_urls(db) == {a["canonical_url"], b["canonical_url"], b["url"]}
    assert known_urls(db, "kompas") == {a["canonical_url"]}
    assert is_known(db, a["canonical_url"] + "?utm_medium=share")
    assert not is_known(db, "https://www.kompas.com/read/2030/01/01/1/belum-ada")
    assert article_by_url(db, "https://www.kompas.com/nope") is None


def test_last_seen_answers_known_and_since_when(db) -> None:
    a = make_article(1, site="kompas")
    save_articles(db, [a], seen_at="2024-11-15T05:00:00+00:00")
    assert last_seen(db, a["canonical_url"] + "?utm_source=x") == "2024-11-15T05:00:00+00:00"
    assert last_seen(db, "https://www.kompas.com/read/2030/01/01/1/belum-ada") is None


def test_aliases_found_later_attach_to_an_article_of_an_earlier_save(db) -> None:
    a = make_article(1, site="kompas")
    save_articles(db, [a])  # an earlier run
    amp = a["canonical_url"].replace("://www.", "://amp.")
    added, missing = add_aliases(
        db,
        [
            (a["canonical_url"], amp),
            (a["canonical_url"], amp),  # twice: recorded once
            (a["canonical_url"], a["canonical_url"]),  # its own URL is no alias
            ("https://www.kompas.com/read/2030/01/01/1/belum-ada", "https://x.id/a"),  # not archived
        ],
    )
    assert (added, missing) == (1, 1)
    assert article_by_url(db, amp)["canonical_url"] == a["canonical_url"]
    assert db.execute("SELECT reason FROM aliases WHERE url = ?", (amp,)).fetchone() == ("amp",)
    assert count(db, "articles") == 1 and healthy(db)


def test_crawl_runs_record_counts_from_saves_and_stats(db) -> None:
    run = start_run(db, ["kompas"], {"since": "2024-11-01", "refresh": False})
    save_articles(db, [make_article(n) for n in range(3)], run_id=run)
    save_articles(db, [make_article(0), make_article(3)], run_id=run)
    finish_run(
        db,
        run,
        status="finished",
        finish_reason="finished",
        stats={"pages_fetched": 9, "skipped": 2, "skipped_reasons": {"not_article_page": 2},
               "errors": 0, "http_status": {"200": 8, "404": 1}},
        exit_code=0,
    )
    row = next(db.query("SELECT * FROM crawl_runs WHERE id = ?", [run]))
    assert (row["articles_new"], row["unchanged"], row["pages_fetched"], row["skipped"]) == (4, 1, 9, 2)
    assert json.loads(row["skipped_reasons"]) == {"not_article_page": 2}
    assert json.loads(row["http_status"]) == {"200": 8, "404": 1}
    assert row["status"] == "finished" and row["exit_code"] == 0 and row["finished"] >= row["started"]
    assert json.loads(row["spiders"]) == ["kompas"] and row["pid"] and row["host"]
    with pytest.raises(ValueError):
        finish_run(db, run, status="bogus", finish_reason=None, stats={})
    with pytest.raises(ArchiveError):
        finish_run(db, 999, status="failed", finish_reason="x", stats={})


def test_a_failed_batch_is_rolled_back_whole(db) -> None:
    save_articles(db, [make_article(1)])

    def batch():
        yield make_article(2)
        raise RuntimeError("spider died mid-batch")

    with pytest.raises(RuntimeError):
        save_articles(db, batch())
    assert count(db, "articles") == 1 and not db.conn.in_transaction
    assert save_articles(db, [make_article(2)]).new == 1


def test_a_reader_does_not_block_the_writer(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    db = open_archive(path)
    save_articles(db, [make_article(1)])
    reader = sqlite3.connect(path)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 1  # holds a read snapshot
    assert save_articles(db, [make_article(2)]).new == 1  # WAL: the writer goes on
    assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 1  # its snapshot is stable
    reader.rollback()
    assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    reader.close()


def test_unwritable_or_invalid_paths_raise_archive_error(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="does not exist"):
        open_archive(tmp_path / "missing-dir" / "a.db")
    with pytest.raises(ArchiveError, match="directory"):
        open_archive(tmp_path)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not an sqlite file at all" * 100)
    with pytest.raises(ArchiveError) as info:
        open_archive(junk)
    assert "\n" not in str(info.value)
    assert junk.read_bytes().startswith(b"this is not")  # nothing overwritten
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with pytest.raises(ArchiveError, match="not a directory"):
        open_archive(a_file / "a.db")
    # Unwritable even for root: the kernel refuses new files in /proc.
    with pytest.raises(ArchiveError, match="cannot"):
        open_archive("/proc/warta-test-archive.db")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(ArchiveError, match="not a Warta archive"):
        open_archive(other)


def test_read_only_directory_raises_archive_error(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        if (ro / "probe").exists() or _can_write(ro):
            pytest.skip("running as a user that ignores directory permissions (root)")
        with pytest.raises(ArchiveError, match="not writable"):
            open_archive(ro / "a.db")
    finally:
        ro.chmod(0o755)


def _can_write(directory: Path) -> bool:
    try:
        (directory / "probe").write_text("x")
    except OSError:
        return False
    (directory / "probe").unlink()
    return True


def test_a_version_1_archive_is_migrated_in_place(tmp_path: Path) -> None:
    from archive.db import MIGRATIONS, _split_sql

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for statement in _split_sql(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    db = open_archive(path)
    assert schema_version(db) == SCHEMA_VERSION >= 2
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "idx_articles_site_published" in indexes and "idx_articles_site" not in indexes
    assert save_articles(db, [make_article(1)]).new == 1 and healthy(db)


def test_an_archive_from_a_newer_warta_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    open_archive(path).execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(ArchiveError, match="newer"):
        open_archive(path)


def test_runs_of_a_killed_process_are_closed_as_killed(db) -> None:
    import subprocess
    import sys

    mine = start_run(db, ["kompas"], {})
    gone = start_run(db, ["detik"], {})
    # A process that has exited: its pid is free (and, for this short test, not reused).
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    db.execute("UPDATE crawl_runs SET pid = ? WHERE id = ?", (int(dead.stdout), gone))
    from archive.db import close_stale_runs

    assert close_stale_runs(db) == [gone]
    statuses = dict(db.execute("SELECT id, status FROM crawl_runs").fetchall())
    assert statuses == {mine: "running", gone: "killed"}
    assert close_stale_runs(db) == []


def test_two_processes_creating_one_archive_at_once(tmp_path: Path) -> None:
    # Cron overlap on a brand-new archive: both open it; the migration runs once, neither fails.
    import subprocess
    import sys

    path = tmp_path / "new.db"
    code = (
        "import sys; from archive.db import open_archive, save_articles; "
        "from tests.archive_factory import make_article; "
        "db = open_archive(sys.argv[1]); save_articles(db, [make_article(int(sys.argv[2]))])"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(path), str(n)], cwd=Path(__file__).parents[1],
                         stderr=subprocess.PIPE)
        for n in (1, 2, 3)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    db = open_archive(path)
    assert count(db, "articles") == 3 and schema_version(db) == SCHEMA_VERSION and healthy(db)


def test_odd_field_types_are_stored_best_effort_or_reported(db) -> None:
    from datetime import datetime, timedelta, timezone

    from scraper.model import Article

    wib = timezone(timedelta(hours=7))
    odd = make_article(20, published=datetime(2024, 11, 14, 10, 30, tzinfo=wib), tags="satu-tag", authors=None)
    as_object = Article(url=KOMPAS, canonical_url=KOMPAS, site="kompas", title="Objek", paragraphs=["Isi artikel."])
    result = save_articles(db, [odd, as_object, "not a record", dict(make_article(21), title=["a", "list"]), None])
    assert (result.new, result.invalid) == (3, 2)
    stored = article_by_url(db, odd["canonical_url"])
    assert stored["published"] == "2024-11-14T10:30:00+07:00" and stored["day"] == "2024-11-14"
    assert stored["tags"] == ["satu-tag"] and stored["authors"] == []
    assert article_by_url(db, KOMPAS)["body"] == "Isi artikel."


def test_every_profiles_show_all_form_is_a_show_all_alias(db) -> None:
    # The rule lives in the site profiles (show_all_params): sindonews's ?showpage=all is one too.
    from scraper.sites import SITES, get_site

    get_site("kompas")  # loads the registry
    sindo = "https://nasional.sindonews.com/read/1234567/12/menteri-rapat-1700000000"
    art = make_article(1, site="sindonews", canonical_url=sindo, url=sindo)
    save_articles(db, [art, dict(art, url=sindo + "?showpage=all"), dict(art, url=sindo + "?showall=1")])
    reasons = dict(db.execute("SELECT url, reason FROM aliases").fetchall())
    assert reasons == {sindo + "?showpage=all": "show_all", sindo + "?showall=1": "show_all"}
    from archive.db import _alias_reason

    for site in SITES.values():
        for key, value in site.show_all_params.items():
            assert _alias_reason(f"https://www.{site.domains[0]}/a?x=1&{key}={value}") == "show_all", site.name
