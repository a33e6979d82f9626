"""Bulk writes (issue 13 §4): ``warta import`` writes a batch in one save_articles call, story
fingerprints computed by worker processes ahead of the writes, with the same result as one at a time."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

from archive.db import open_archive
from archive.imports import Importer
from tests.archive_factory import make_article


def _jsonl(n: int, dated: str = "2024-12-0{}T00:00:00+00:00") -> bytes:
    lines = []
    for i in range(n):
        record = make_article(i)
        record["fetched"] = dated.format(1 + i % 5)
        lines.append(json.dumps(record, ensure_ascii=False))
    # A copy of article 3 on another outlet (a story), and article 7 again (a confirmation).
    copy = make_article(3, site="detik")
    copy["canonical_url"] = copy["url"] = "https://www.detik.com/berita/d-3/salinan"
    lines.append(json.dumps({**copy, "fetched": "2024-12-06T00:00:00+00:00"}, ensure_ascii=False))
    lines.append(json.dumps({**make_article(7), "fetched": "2024-11-01T00:00:00+00:00"}, ensure_ascii=False))
    return ("\n".join(lines) + "\n").encode()


def _state(path: Path) -> tuple[list[tuple], list[tuple], list[tuple]]:
    with sqlite3.connect(path) as conn:
        return (
            conn.execute("SELECT id, canonical_url, first_seen, last_seen FROM articles ORDER BY id").fetchall(),
            conn.execute("SELECT * FROM fingerprints ORDER BY article_id").fetchall(),
            conn.execute("SELECT * FROM stories ORDER BY article_id").fetchall(),
        )


def test_pooled_fingerprints_and_batched_writes_match_one_at_a_time(tmp_path: Path) -> None:
    data = _jsonl(260)
    results = {}
    for workers in (0, 2):
        path = tmp_path / f"w{workers}.db"
        db = open_archive(path)
        importer = Importer(db, batch_size=100, workers=workers)
        stats = importer.import_stream(io.BytesIO(data), "a.jsonl")
        assert (stats.new, stats.unchanged) == (261, 1)
        db.close()
        results[workers] = _state(path)
    assert results[0] == results[2]
    articles, fingerprints, stories = results[2]
    assert len(fingerprints) == 261 and len(stories) == 2  # the copy joined article 3's story
    seen = {url: (first, last) for _, url, first, last in articles}
    # The confirmation (fetched before the article was first seen) widened first_seen only.
    assert seen[make_article(7)["canonical_url"]] == ("2024-11-01T00:00:00+00:00", "2024-12-03T00:00:00+00:00")
    # Importing the same file again writes nothing.
    db = open_archive(tmp_path / "w2.db")
    changes = db.conn.total_changes
    again = Importer(db, batch_size=100).import_stream(io.BytesIO(data), "a.jsonl")
    assert again.new == 0 and again.unchanged == 262 and db.conn.total_changes == changes


def test_reextract_writes_with_pooled_fingerprints_match_in_process(tmp_path: Path, monkeypatch) -> None:
    import shutil

    import archive.reextract as reextract
    from archive.db import _prepare, save_articles

    base = tmp_path / "base.db"
    db = open_archive(base)
    save_articles(db, [make_article(n) for n in range(120)])
    db.close()
    states = []
    for chunk in (10_000, 100):  # in process, then through the worker pool
        path = tmp_path / f"c{chunk}.db"
        shutil.copy(base, path)
        monkeypatch.setattr(reextract, "MIN_POOL_CHUNK", chunk)
        db = open_archive(path)
        rows = db.execute("SELECT id, canonical_url, site, title, body, published FROM articles ORDER BY id").fetchall()
        updates = [{**_prepare({"canonical_url": u, "site": s, "title": t, "published": p,
                                "body": b + "\n\nParagraf baru dari parser baru."}), "id": i, "seen": "2026-01-01"}
                   for i, u, s, t, b, p in rows]
        reextract._apply(db, updates)
        if reextract._POOL[0] is not None:
            reextract._POOL[0].shutdown()
            reextract._POOL[0] = None
        db.execute("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")
        db.close()
        states.append(_state(path)[1:])
    assert states[0] == states[1] and len(states[0][0]) == 120
