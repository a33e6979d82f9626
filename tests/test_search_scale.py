"""Search that holds at a million articles (issue 13 §3): the full-text rowid in publication order
(schema v12), and Datasette's search box and ?_search= served by walking it newest first
(archive/plugins/warta_search.py), with counts capped and facets only over bounded matches."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

import archive.plugins.warta_search as warta_search
from archive.db import _V12_SEARCH_KEY, MIGRATIONS, SCHEMA_VERSION, _split_sql, open_archive, save_articles, schema_version
from archive.serve import make_datasette
from tests.archive_factory import make_article

N = 300


def _dated(n: int, rng: random.Random) -> dict:
    """Article n with a publication time unrelated to its id (imports and backfills arrive in any order)."""
    day, hour = rng.randrange(1, 29), rng.randrange(24)
    zone = rng.choice(["+07:00", "+08:00", "+09:00"])
    return make_article(n, published=f"2024-{rng.randrange(1, 13):02d}-{day:02d}T{hour:02d}:{n % 60:02d}:00{zone}")


def _utc_key(published: str | None) -> float:
    from datetime import datetime

    return datetime.fromisoformat(published).timestamp() if published else 0.0


@pytest.fixture(scope="module")
def searched_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("search") / "archive.db"
    rng = random.Random(13)
    db = open_archive(path)
    articles = [_dated(n, rng) for n in range(N)]
    articles[7]["published"] = None  # no date: oldest
    articles[11]["title"] = "Banjir besar rendam Jakarta"
    articles[12]["title"] = "Banjir surut di Jakarta"
    save_articles(db, articles)
    db.close()
    return path


async def _get(path: Path, url: str):
    ds = make_datasette(path)
    await ds.invoke_startup()
    return await ds.client.get(url)


async def _all_pages(path: Path, url: str) -> tuple[list[dict], list[dict]]:
    ds = make_datasette(path)
    await ds.invoke_startup()
    rows: list[dict] = []
    pages: list[dict] = []
    next_url: str | None = url
    while next_url:
        response = await ds.client.get(next_url)
        assert response.status_code == 200, response.text[:500]
        data = response.json()
        pages.append(data)
        rows.extend(data["rows"])
        next_url = data["next_url"].replace("http://localhost", "") if data.get("next_url") else None
    return rows, pages


def test_an_archive_of_the_current_code_is_migrated_to_publication_ordered_fts(tmp_path: Path) -> None:
    # An archive as the code before v12 made it: every earlier migration, articles saved, rowid = id.
    path = tmp_path / "v11.db"
    conn = sqlite3.connect(path, isolation_level=None)
    for version, step in enumerate(MIGRATIONS[: MIGRATIONS.index(_V12_SEARCH_KEY)], start=1):
        if callable(step):
            step(conn)
        else:
            for statement in _split_sql(step):
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {version}")
    rng = random.Random(5)
    # The previous code's insert (save_articles of this version needs v12's fts_deferred).
    from archive.db import _INSERT_ARTICLE, _prepare

    conn.executemany(_INSERT_ARTICLE, [{**_prepare(_dated(n, rng)), "seen": "2024-12-01T00:00:00+00:00"}
                                       for n in range(40)])
    before = conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'redaksi'").fetchall()
    assert sorted(r[0] for r in before) == list(range(1, 41))  # rowid = id before v12
    conn.close()

    db = open_archive(path)
    assert schema_version(db) == SCHEMA_VERSION >= 11
    db.execute("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")
    ordered = db.execute(
        "SELECT a.id, a.published FROM articles_fts f JOIN articles a ON a.search_key = f.rowid "
        "WHERE articles_fts MATCH 'redaksi' ORDER BY f.rowid DESC"
    ).fetchall()
    assert len(ordered) == 40
    assert [_utc_key(p) for _, p in ordered] == sorted((_utc_key(p) for _, p in ordered), reverse=True)
    # A title search finds the same article as before, and edits move the key with the date.
    one = db.execute("SELECT id, title FROM articles WHERE id = 3").fetchone()
    word = one[1].split()[2].strip(":,.").lower()
    found = db.execute(
        "SELECT a.id FROM articles_fts f JOIN articles a ON a.search_key = f.rowid WHERE articles_fts MATCH ?",
        (f"title:{word}",),
    ).fetchall()
    assert (3,) in found
    db.execute("UPDATE articles SET published = '2030-01-01T00:00:00+07:00' WHERE id = 3")
    db.execute("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")
    top = db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'redaksi' ORDER BY rowid DESC LIMIT 1")
    assert top.fetchone()[0] == db.execute("SELECT search_key FROM articles WHERE id = 3").fetchone()[0]


async def test_search_is_newest_first_and_pages_every_match_once(searched_db: Path) -> None:
    rows, pages = await _all_pages(searched_db, "/archive/articles.json?_search=redaksi&_size=25&_shape=objects")
    assert len(rows) == N and len({r["id"] for r in rows}) == N  # every match, none twice
    keys = [_utc_key(r["published"]) for r in rows]
    assert keys == sorted(keys, reverse=True)  # newest first (the stated zones honoured)
    assert rows[-1]["published"] is None
    assert pages[0]["filtered_table_rows_count"] == N
    assert set(pages[0]["facet_results"]) == {"site", "section", "day", "tags", "authors"}
    # Another filter beside the search, and the date view, are served the same way.
    kompas, _ = await _all_pages(searched_db, "/archive/articles.json?_search=redaksi&site=kompas&_size=30")
    assert len(kompas) == N // 3
    view, _ = await _all_pages(searched_db, "/archive/articles_by_date.json?_search=redaksi&_size=40&_shape=objects")
    assert len({r["id"] for r in view}) == N
    assert [_utc_key(r["published"]) for r in view] == sorted(keys, reverse=True)
    banjir = (await _get(searched_db, "/archive/articles.json?_search=banjir+jakarta&_shape=objects")).json()
    assert {r["id"] for r in banjir["rows"]} == {12, 13} and banjir["filtered_table_rows_count"] == 2


async def test_the_page_query_reads_the_full_text_index_in_order(searched_db: Path) -> None:
    # The SQL Datasette writes for a search, rewritten: no sort of every match (no temp b-tree),
    # the index walked newest first and stopped after the page.
    data = (await _get(searched_db, "/archive/articles.json?_search=redaksi&_size=5")).json()
    sql = data["query"]["sql"]
    kind, page_sql = warta_search.rewrite(sql) or ("", "")
    assert kind == "page"
    conn = sqlite3.connect(searched_db)
    conn.create_function("escape_fts", 1, lambda q: q)
    plan = " | ".join(r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {page_sql}", data["query"]["params"]))
    assert "TEMP B-TREE" not in plan and "articles_fts VIRTUAL TABLE" in plan, plan
    steps = 0

    def count_steps() -> int:
        nonlocal steps
        steps += 1
        return 0

    conn.set_progress_handler(count_steps, 10)
    assert len(conn.execute(page_sql, data["query"]["params"]).fetchall()) == 6
    paged = steps
    steps = 0
    conn.execute(f"SELECT * FROM ({sql})", data["query"]["params"]).fetchall()
    assert paged * 3 < steps, (paged, steps)  # Datasette's own plan looks up and sorts all 300


async def test_counts_are_capped_and_facets_left_out_beyond_the_cap(
    searched_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datasette.plugins import pm

    make_datasette(searched_db)  # loads the plugins (from plugins_dir: a module of its own)
    for module in [warta_search, *pm.get_plugins()]:
        if str(getattr(module, "__file__", "")).endswith("warta_search.py"):
            monkeypatch.setattr(module, "COUNT_CAP", 100)
    data = (await _get(searched_db, "/archive/articles.json?_search=redaksi")).json()
    assert data["filtered_table_rows_count"] is None and data["filtered_table_rows_count_more_than"] == 100
    assert data["facet_results"] == {}  # beyond the cap: reported as timed out on the HTML page
    assert len(data["rows"]) == 100 or data["next_url"]
    html = await _get(searched_db, "/archive/articles?_search=redaksi")
    assert html.status_code == 200 and "More than 100 rows" in html.text and "timed out" in html.text
    few = (await _get(searched_db, "/archive/articles.json?_search=jakarta")).json()
    assert few["filtered_table_rows_count"] == 2 and set(few["facet_results"]) == {"site", "section", "day", "tags", "authors"}


async def test_the_escaped_search_language_is_kept(searched_db: Path) -> None:
    for query in ("anak-anak", "COVID-19", '"banjir surut', "banjir OR surut", "title:banjir", "ban*", "***"):
        response = await _get(searched_db, f"/archive/articles.json?_search={query}")
        assert response.status_code == 200, (query, response.text[:300])
    rows = (await _get(searched_db, "/archive/articles.json?_search=title:jakarta&_shape=objects")).json()["rows"]
    assert {r["id"] for r in rows} == {12, 13}
    csv_text = (await _get(searched_db, "/archive/articles.csv?_search=banjir&_stream=on")).text
    assert csv_text.count("Banjir") >= 2


def test_search_params_only_for_searches() -> None:
    assert warta_search.search_params("/archive/articles.json", b"_search=yang") == b"_sort_desc=search_key"
    assert warta_search.search_params("/archive/articles", b"_search=yang&_sort=id") == b""
    assert warta_search.search_params("/archive/articles", b"_search=") is None
    assert warta_search.search_params("/archive/articles", b"site=kompas") is None
    assert warta_search.search_params("/archive/crawl_runs", b"_search=x") is None
    assert warta_search.search_params("/archive/articles_by_date.json", b"_search=x") == b""


def test_a_batch_is_indexed_in_key_order_and_an_edit_within_it_stays_consistent(tmp_path: Path) -> None:
    # save_articles indexes its new articles at the end of the transaction (fts_deferred); an
    # article edited later in the same batch must be in the index before the update trigger runs.
    db = open_archive(tmp_path / "a.db")
    rng = random.Random(3)
    first = _dated(1, rng)
    edited = {**first, "title": "Judul diperbarui", "body": first["body"] + "\n\nParagraf tambahan soal gerhana."}
    result = save_articles(db, [_dated(n, rng) for n in range(2, 40)] + [first, edited])
    assert (result.new, result.updated) == (39, 1)
    db.execute("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")
    assert db.execute("SELECT count(*) FROM fts_deferred").fetchone()[0] == 0  # other writers index at once
    hit = db.execute(
        "SELECT a.title FROM articles_fts f JOIN articles a ON a.search_key = f.rowid WHERE articles_fts MATCH 'gerhana'"
    ).fetchall()
    assert hit == [("Judul diperbarui",)]
    assert db.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'redaksi'").fetchone()[0] == 39
    # A plain INSERT by another program is indexed by the trigger.
    db.execute(
        "INSERT INTO articles (canonical_url, site, title, body, content_hash, body_hash, first_seen, last_seen, "
        "changed_at) VALUES ('https://x.test/a', 'x', 'Lain', 'kata gerhana', '', '', '', '', '')"
    )
    assert db.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'gerhana'").fetchone()[0] == 2


def test_the_index_matches_every_row_after_batches_edits_reextracts_and_other_writers(tmp_path: Path) -> None:
    # FtsBatch writes the index of a transaction's new and changed rows in two ordered statements with the
    # triggers off (fts_deferred). Each version of each article carries a word of its own: after every kind
    # of write, an article's current word finds exactly it (by its current search_key), an old word nothing.
    from archive.db import _prepare
    from archive.reextract import _apply

    db = open_archive(tmp_path / "a.db")
    rng = random.Random(5)
    current: dict[str, str] = {}  # canonical URL -> its current word
    retired: list[str] = []

    def version(record: dict, word: str) -> dict:
        retired.extend([current[record["canonical_url"]]] if record["canonical_url"] in current else [])
        current[record["canonical_url"]] = word
        return {**record, "body": record["body"].split("\n\nPenanda")[0] + f"\n\nPenanda {word}."}

    articles = [_dated(n, rng) for n in range(1, 121)]
    first = [version(a, f"mula{n}") for n, a in enumerate(articles[:60])]
    save_articles(db, first)  # a batch in random date order
    # A batch of new articles, edits of indexed ones (two with a new date: the key moves), an article
    # inserted and edited in the same batch.
    edits = [version(first[k], f"ubah{k}") for k in (3, 17, 42)]
    edits[1]["published"] = "2025-06-01T08:00:00+07:00"
    fresh = [version(a, f"baru{n}") for n, a in enumerate(articles[60:])]
    again = version(fresh[5], "ulang5")
    result = save_articles(db, [*fresh[:30], *edits, again, *fresh[30:]])
    assert (result.new, result.updated) == (60, 4)
    # reextract's write path over a chunk, one of them with a new date.
    ids = {u: i for i, u in db.execute("SELECT id, canonical_url FROM articles")}
    chunk = []
    for k in range(0, 120, 7):
        record = version(articles[k] if k >= 60 else first[k], f"ekstrak{k}")
        if k == 14:
            record["published"] = "2023-01-02T03:04:05+08:00"
        chunk.append({**_prepare(record), "id": ids[record["canonical_url"]], "seen": "2026-12-02T00:00:00+00:00"})
    _apply(db, chunk)
    # Another program's UPDATE goes through the trigger.
    url = articles[100]["canonical_url"]
    body = db.execute("SELECT body FROM articles WHERE canonical_url = ?", (url,)).fetchone()[0]
    db.execute("UPDATE articles SET body = ? WHERE canonical_url = ?", (version({"canonical_url": url, "body": body},
                                                                                 "luar100")["body"], url))
    assert db.execute("SELECT count(*) FROM fts_deferred").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM articles_fts_docsize").fetchone()[0] == 120
    for url, word in current.items():
        hits = db.execute("SELECT a.canonical_url FROM articles_fts f JOIN articles a ON a.search_key = f.rowid "
                          "WHERE articles_fts MATCH ?", (word,)).fetchall()
        assert hits == [(url,)], word
    for word in retired:
        assert db.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (word,)).fetchone()[0] == 0
    assert len(retired) == 3 + 1 + len(chunk) + 1
    db.close()
