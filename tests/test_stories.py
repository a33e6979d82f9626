"""The same story from several outlets: fingerprints, grouping and the Datasette views.

Calibrated on the real saved pages' bodies (``../shared/pages/*/*.expected.json``): each body is
re-published by a made-up second outlet with its own dateline, credit trailer and headline, and
a paragraph dropped, added or reworded. Those copies must join the original's story. No two
different real articles may share a story.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from archive.cli import cli
from archive.db import MIGRATIONS, SCHEMA_VERSION, _split_sql, open_archive, save_articles, schema_version
from archive.serve import make_datasette
from archive.stories import (
    _DATELINE,
    _LONGEST_DATELINE,
    MAX_DISTANCE,
    MIN_SHINGLES,
    MIN_SIMILARITY,
    _dateline_end,
    body_tokens,
    fingerprint,
    hamming,
    regroup_stories,
    similarity,
    story_of,
)
from tests.conftest import HAVE_SHARED, PAGES, REPO

# --------------------------------------------------------------------------------------------
# Real bodies and their edited copies
# --------------------------------------------------------------------------------------------


def _real_pages() -> list[tuple[str, str, str, list[str]]]:
    """(name, site, title, paragraphs) of every saved article page with a body."""
    pages = []
    for path in sorted(PAGES.glob("*/*.expected.json")):
        expected = json.loads(path.read_text(encoding="utf-8"))
        if expected.get("paragraphs"):
            name = path.name.removesuffix(".expected.json")
            pages.append((name, path.parent.name, expected["title"], expected["paragraphs"]))
    return pages


REAL = _real_pages()
#: Long enough to be grouped at all (the 23-word detik photo caption is not).
GROUPABLE = [p for p in REAL if len(fingerprint("\n\n".join(p[3])).shingles) >= MIN_SHINGLES]

# A dateline up to its dash ("JAKARTA, KOMPAS.com -", "Liputan6.com, Jakarta -"); the copy gets another.
_OLD_DATELINE = re.compile(r"^.{0,60}?(?:\s[-–—]+|--)\s*")
_ADDED = (
    "Sementara itu, pemerintah daerah setempat menyatakan akan terus memantau perkembangan situasi "
    "dan berkoordinasi dengan aparat terkait agar pelayanan kepada masyarakat tetap berjalan normal."
)


def _reword(paragraph: str) -> str:
    """An editor's pass: every sixth word cut."""
    return " ".join(w for i, w in enumerate(paragraph.split()) if i % 6 != 5)


def reprint(title: str, paragraphs: list[str], edit: str) -> tuple[str, list[str]]:
    """A regional outlet's copy: its own dateline, credit trailer and headline, plus ``edit``."""
    body = ["TRIBUNJATENG.COM, SEMARANG -- " + _OLD_DATELINE.sub("", paragraphs[0], count=1), *paragraphs[1:]]
    mid = len(body) // 2
    longest = max(range(len(body)), key=lambda i: len(body[i]))
    if edit in ("dropped", "all_three") and len(body) > 2:
        del body[mid if edit == "dropped" else (longest + 1) % len(body)]
    if edit in ("reworded", "all_three"):
        i = min(longest, len(body) - 1)
        body[i] = _reword(body[i])
    if edit in ("added", "all_three"):
        body.insert(len(body) // 2, _ADDED)
    if edit == "half_kept":  # a short regional version: the first half only
        body = body[: max(1, (len(body) + 1) // 2)]
    trailer = [f'Artikel ini telah tayang di Tribunnews.com dengan judul "{title}"', "(Tribunjateng.com/Nama Penulis)"]
    return f"{title} - Tribun Jateng", body + trailer


EDITS = ("dateline_credit", "dropped", "added", "reworded", "all_three", "half_kept")


def record(n: int, site: str, title: str, paragraphs: list[str], published: str | None = None) -> dict[str, Any]:
    """An ``Article.to_dict()``-shaped record for ``save_articles``."""
    url = f"https://{site}.example/read/{n}"
    return {
        "url": url,
        "canonical_url": url,
        "site": site,
        "title": title,
        "paragraphs": paragraphs,
        "body": "\n\n".join(paragraphs),
        "published": published or f"2024-03-{1 + n % 28:02d}T10:{n % 60:02d}:00+07:00",
        "language": "id",
    }


# --------------------------------------------------------------------------------------------
# Fingerprints
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lead",
    [
        "JAKARTA, KOMPAS.com - ",
        "JAKARTA, KOMPAS.com — ",
        "TRIBUNNEWS.COM, JAKARTA -- ",
        "TRIBUNSOLO.COM, JAKARTA --",
        "Liputan6.com, Jakarta - ",
        "Jakarta - ",
        "Jakarta, KompasOtomotif – ",
        "Mataram, NTB (ANTARA News) - ",
        "ISTANBUL, 23 Februari 2016 (Antara/PRNewswire) -- ",
        "",
    ],
)
def test_datelines_outlet_names_and_credits_do_not_count(lead: str) -> None:
    story = (
        "Kepala Dinas Perhubungan DKI Jakarta menilai perusahaan itu telah mengoperasikan taksi secara "
        "ilegal, kata dia kepada Kompas.com, Senin.\n\nAparat gabungan mengamankan lima unit kendaraan."
    )
    plain = body_tokens(story.replace("Kompas.com", "Tribunnews.com"))
    dressed = (
        f"Laporan Wartawan Tribunnews.com, Nama Wartawan\n\n{lead}{story}\n\nBaca juga: Taksi daring ditertibkan\n\n"
        "Artikel ini telah tayang di Kompas.com dengan judul \"Taksi Ilegal\"\n\nEditor: Nama Editor\n\n(ant/fyk)"
    )
    assert body_tokens(dressed) == plain
    assert plain[:3] == ["kepala", "dinas", "perhubungan"] and "kompas" not in plain


def test_a_capitalised_first_word_is_not_taken_for_a_dateline() -> None:
    # Media Indonesia and Okezone open with a capitalised word, not a dateline; a dateline is only
    # capitalised words (and numbers, parentheses) up to the dash.
    assert body_tokens("INDEKS Harga Saham Gabungan atau IHSG hari ini - Kamis - menguat.")[:2] == ["indeks", "harga"]
    assert body_tokens("DEPRESI jadi satu momok yang wajib diwaspadai.")[0] == "depresi"


def test_the_dateline_shortcut_finds_what_the_regex_finds() -> None:
    # _dateline_end runs _DATELINE only when a cheap necessary condition holds: it must never
    # skip a dateline the regex would take, nor take another one.
    def regex_end(text: str) -> int:
        match = _DATELINE.match(text[:_LONGEST_DATELINE])
        return match.end() if match else 0

    pieces = [*"AbZ19 ,-–—()[]./'’&é\":\t", "Jakarta", "ANTARA", "kata", "masing-masing", "  ", " - ", "--"]
    rng = random.Random(5)
    texts = [p for _, _, _, paragraphs in REAL for p in paragraphs]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in range(20_000)]
    found = 0
    for text in texts:
        assert _dateline_end(text) == regex_end(text), text
        found += regex_end(text) > 0
    assert found > 1000  # the random texts do hold datelines


def test_fingerprints_are_stable_across_processes() -> None:
    # Stored fingerprints must not depend on Python's per-process string hash salt.
    body = "\n\n".join(REAL[0][3])
    code = (
        "import sys; from archive.stories import fingerprint; "
        "f = fingerprint(sys.stdin.read()); print(f.simhash, *f.bands)"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code], input=body, capture_output=True, text=True, cwd=REPO, env=env, check=True
    ).stdout.split()
    fp = fingerprint(body)
    assert [int(out[0]), *(None if v == "None" else int(v) for v in out[1:])] == [fp.simhash, *fp.bands]
    # Pinned: a change to the normalisation or hashing invalidates stored fingerprints and must
    # come with a migration that rebuilds them.
    assert fingerprint("Presiden meresmikan jalan tol baru di Sumatera pada Senin pagi.").simhash == PINNED_SIMHASH


PINNED_SIMHASH = 2164025948851749172


def test_real_copies_are_close_and_real_pairs_far() -> None:
    """The calibration behind MAX_DISTANCE and MIN_SIMILARITY, on the real bodies."""
    true_d: dict[str, list[int]] = {}
    true_s: dict[str, list[float]] = {}
    for _, _, title, paragraphs in GROUPABLE:
        original = fingerprint("\n\n".join(paragraphs))
        for edit in EDITS:
            copy = fingerprint("\n\n".join(reprint(title, paragraphs, edit)[1]))
            true_d.setdefault(edit, []).append(hamming(original.simhash, copy.simhash))
            true_s.setdefault(edit, []).append(similarity(original.shingles, copy.shingles))
    fps = [fingerprint("\n\n".join(p[3])) for p in GROUPABLE]
    false_d = [hamming(a.simhash, b.simhash) for a, b in itertools.combinations(fps, 2)]
    false_s = [similarity(a.shingles, b.shingles) for a, b in itertools.combinations(fps, 2)]
    print(f"\n{len(GROUPABLE)} real bodies, {len(false_d)} different-article pairs")
    for edit in EDITS:
        d = true_d[edit]
        overlap = min(true_s[edit])
        print(f"  copy/{edit:<15} distance {min(d)}-{max(d)} (mean {sum(d) / len(d):.1f}), overlap >= {overlap:.2f}")
    print(f"  different articles   distance {min(false_d)}-{max(false_d)} (mean {sum(false_d) / len(false_d):.1f}), "
          f"overlap <= {max(false_s):.2f}")
    print("  distance histogram of different articles:", sorted(Counter(false_d).items()))
    # A plain clone carries 24 of the 25 bodies (one page may not be copied).
    assert len(GROUPABLE) >= (25 if HAVE_SHARED else 24) and len(false_d) >= (300 if HAVE_SHARED else 276)
    assert max(max(d) for d in true_d.values()) <= MAX_DISTANCE
    assert min(min(s) for s in true_s.values()) >= MIN_SIMILARITY + 0.1
    # Different articles: the overlap check separates them with a wide margin even when their
    # simhashes come within MAX_DISTANCE.
    assert max(false_s) < MIN_SIMILARITY / 5
    assert min(false_d) > 10


# --------------------------------------------------------------------------------------------
# Grouping in a real archive
# --------------------------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path):
    database = open_archive(tmp_path / "archive.db")
    yield database
    database.close()


def stories_table(db) -> list[tuple[int, int]]:
    return [tuple(r) for r in db.execute("SELECT article_id, story_id FROM stories ORDER BY article_id")]


@pytest.mark.parametrize("edit", EDITS)
def test_every_edited_copy_joins_its_original_and_nothing_else(db, edit: str) -> None:
    originals = [record(n, site, title, paras) for n, (_, site, title, paras) in enumerate(GROUPABLE)]
    first = save_articles(db, originals).ids
    copies = [
        record(100 + n, "tribunjateng", *reprint(title, paras, edit))
        for n, (_, _, title, paras) in enumerate(GROUPABLE)
    ]
    second = save_articles(db, copies).ids
    assert len(set(first + second)) == 2 * len(GROUPABLE)  # no copy was taken for a same-body alias
    joined = 0
    for original_id, copy_id in zip(first, second):
        story = story_of(db, copy_id)
        assert story in ([original_id, copy_id], [copy_id]), GROUPABLE[first.index(original_id)][0]  # never another
        joined += story == [original_id, copy_id]
    # The bands find a pair with Jaccard similarity J with probability 1 - (1 - J^2)^8: 0.90 for a copy that
    # keeps half the story (J = 0.5), 0.99 and more for the lighter edits (archive/stories.py, _band_keys).
    assert joined >= len(GROUPABLE) * (0.8 if edit == "half_kept" else 0.95), (edit, joined)
    row = db.execute("SELECT max(distance), min(similarity) FROM stories WHERE matched_id IS NOT NULL").fetchone()
    assert row[0] <= MAX_DISTANCE and row[1] >= MIN_SIMILARITY


def test_fingerprints_from_a_worker_and_from_cold_bodies_store_the_same(tmp_path: Path) -> None:
    # An extraction worker precomputes fingerprints (archive.stories.precompute_fingerprint) and the
    # item carries them to save_articles (story_fingerprint); recent articles' shingles confirm candidates without
    # re-reading bodies. Neither may change what is stored: the same saves into two archives, one
    # with every fingerprint precomputed and the originals' kept for the copies, one computing
    # everything from the bodies (kept nothing between batches: each candidate's body is read
    # back), store identical rows.
    from archive import stories
    from archive.stories import precompute_fingerprint

    originals = [record(n, site, title, paras) for n, (_, site, title, paras) in enumerate(GROUPABLE)]
    copies = [record(100 + n, "tribunjateng", *reprint(title, paras, "reworded"))
              for n, (_, _, title, paras) in enumerate(GROUPABLE)]

    def build(name: str, precomputed: bool) -> list[list[tuple]]:
        db = open_archive(tmp_path / name)
        stories._RECENT.clear()
        for batch in (originals, copies):
            if not precomputed:
                stories._RECENT.clear()
            if precomputed:
                batch = [{**r, "story_fingerprint": precompute_fingerprint(r["body"])} for r in batch]
            save_articles(db, batch)
        rows = [db.execute(f"SELECT * FROM {t} ORDER BY article_id").fetchall() for t in ("fingerprints", "stories")]
        db.close()
        return rows

    warm, cold = build("warm.db", True), build("cold.db", False)
    assert warm == cold
    assert len(warm[1]) == 2 * len(GROUPABLE)  # every copy found its original in both


def test_recent_fingerprints_are_bounded(monkeypatch) -> None:
    from archive import stories

    recent = stories._RecentFingerprints(3)
    fp = fingerprint("Satu dua tiga empat lima enam tujuh.")
    for key in "abcd":
        recent.put(key, fp)
    assert recent.get("a") is None and recent.get("d") is not None
    recent.get("b")  # used: now the newest
    recent.put("e", fp)
    assert recent.get("b") is not None and recent.get("c") is None
    assert recent.get("e") is fp


def test_no_two_different_real_articles_are_grouped(db) -> None:
    result = save_articles(db, [record(n, site, title, paras) for n, (_, site, title, paras) in enumerate(REAL)])
    assert result.new == len(REAL)
    assert db.execute("SELECT count(*) FROM fingerprints").fetchone()[0] == len(REAL)
    assert stories_table(db) == []
    assert regroup_stories(db).grouped == 0


def test_same_topic_from_different_reporters_is_not_one_story(db) -> None:
    # The same event written up by two newsrooms: the same facts and one shared quote, their own
    # sentences. Only syndicated copies are one story.
    quote = (
        '"Kami sudah meminta pengelola bandara menunda semua penerbangan sampai abu vulkanik menipis '
        'dan jarak pandang kembali aman bagi pesawat," kata Kepala Otoritas Bandara Wilayah IV.'
    )
    a = [
        "MATARAM, KOMPAS.com - Sebanyak 29 penerbangan dari dan menuju Bandara Internasional Lombok dibatalkan "
        "pada Rabu karena sebaran abu letusan Gunung Barujari di kawasan Rinjani.",
        quote,
        "Ribuan penumpang menumpuk di ruang tunggu terminal keberangkatan. Sebagian memilih kembali ke hotel, "
        "sebagian lain menunggu kepastian jadwal dari maskapai masing-masing sejak pagi.",
        "Petugas pos pengamatan gunung api mencatat tinggi kolom abu mencapai dua ribu meter di atas puncak, "
        "dengan angin bertiup ke arah barat daya menuju kawasan bandara.",
    ]
    b = [
        "Lombok Tengah - Aktivitas Bandara Internasional Lombok lumpuh. Maskapai membatalkan 29 jadwal "
        "penerbangan domestik dan internasional setelah abu Gunung Barujari terbawa angin ke landasan.",
        "Seorang penumpang asal Surabaya mengaku sudah menunggu enam jam tanpa informasi yang jelas dari "
        "petugas maskapai maupun pengelola bandara di terminal keberangkatan.",
        quote,
        "Pemerintah provinsi menyiapkan bus tambahan menuju Pelabuhan Lembar bagi penumpang yang ingin "
        "melanjutkan perjalanan ke Bali melalui jalur laut pada malam hari.",
    ]
    ids = save_articles(db, [record(1, "kompas", "Abu Rinjani, 29 Penerbangan Batal", a),
                             record(2, "detik", "Bandara Lombok Lumpuh Akibat Abu Vulkanik", b)]).ids
    fa, fb = fingerprint("\n\n".join(a)), fingerprint("\n\n".join(b))
    assert 0.05 < similarity(fa.shingles, fb.shingles) < MIN_SIMILARITY  # they do share the quote
    assert story_of(db, ids[1]) == [ids[1]] and stories_table(db) == []


def test_short_bodies_are_never_grouped(db) -> None:
    caption = "PT PLN hari ini resmi mengoperasikan Gardu Induk 150 kV Milenium beserta jaringannya di Balaraja."
    ids = save_articles(db, [record(1, "detik", "Gardu induk", [caption]),
                             record(2, "kompas", "Gardu induk baru", [caption + " Foto: dok. PLN."])]).ids
    assert len(set(ids)) == 2 and stories_table(db) == []


def test_a_story_keeps_growing_and_is_not_chained(db) -> None:
    _, site, title, paras = GROUPABLE[5]
    ids = save_articles(db, [record(1, site, title, paras)]).ids
    for n, outlet in enumerate(("tribunjateng", "tribunsolo", "antaranews"), start=2):
        ids += save_articles(db, [record(n, outlet, *reprint(title, paras, EDITS[n]))]).ids
    assert story_of(db, ids[-1]) == ids
    assert {story for _, story in stories_table(db)} == {ids[0]}
    # An unrelated article saved afterwards opens no story.
    _, site2, title2, paras2 = GROUPABLE[6]
    other = save_articles(db, [record(9, site2, title2, paras2)]).ids[0]
    assert story_of(db, other) == [other]


def test_national_and_regional_editions_count_as_two_outlets(db) -> None:
    # One site profile ("tribunnews") serves every Tribun edition: outlets are counted by host.
    _, _, title, paras = GROUPABLE[7]
    national = record(1, "tribunnews", title, paras)
    national["url"] = national["canonical_url"] = "https://www.tribunnews.com/nasional/2024/03/01/judul"
    regional = record(2, "tribunnews", *reprint(title, paras, "added"))
    regional["url"] = regional["canonical_url"] = "https://jateng.tribunnews.com/2024/03/01/judul"
    ids = save_articles(db, [national, regional]).ids
    (row,) = db.query("SELECT story, outlets, articles, sites FROM story_groups")
    assert row == {"story": ids[0], "outlets": 2, "articles": 2, "sites": "tribunnews.com,jateng.tribunnews.com"}


def test_incremental_grouping_equals_a_rebuild(db) -> None:
    records = []
    for n, (_, site, title, paras) in enumerate(GROUPABLE[:10]):
        records.append(record(n, site, title, paras))
        records.append(record(50 + n, "tribunjateng", *reprint(title, paras, EDITS[n % len(EDITS)])))
    for start in range(0, len(records), 3):  # batches that split stories across transactions
        save_articles(db, records[start : start + 3])
    incremental = list(db.execute("SELECT * FROM stories ORDER BY article_id"))
    prints = list(db.execute("SELECT * FROM fingerprints ORDER BY article_id"))
    assert len({r[1] for r in incremental}) == 10 and len(incremental) == 20
    for batch_size in (500, 3):  # one transaction, and batches that split stories
        # Damage first: a rebuild must not depend on what is there.
        db.execute("UPDATE stories SET story_id = 999, distance = 64")
        db.execute("UPDATE fingerprints SET simhash = 0, band0 = 1, band1 = 1")
        result = regroup_stories(db, batch_size=batch_size)
        assert (result.articles, result.grouped, result.stories) == (20, 20, 10)
        assert list(db.execute("SELECT * FROM stories ORDER BY article_id")) == incremental
        assert list(db.execute("SELECT * FROM fingerprints ORDER BY article_id")) == prints


def test_recrawls_reuse_fingerprints_and_edits_refresh_them(db) -> None:
    _, site, title, paras = GROUPABLE[2]
    original = record(1, site, title, paras)
    article_id = save_articles(db, [original]).ids[0]
    before = db.execute("SELECT simhash, body_hash FROM fingerprints WHERE article_id = ?", (article_id,)).fetchone()
    assert save_articles(db, [original]).unchanged == 1
    assert db.execute("SELECT simhash, body_hash FROM fingerprints").fetchall() == [before]
    edited = {**original, "paragraphs": paras[:-1], "body": "\n\n".join(paras[:-1])}
    assert save_articles(db, [edited]).updated == 1
    after = db.execute("SELECT simhash, body_hash FROM fingerprints WHERE article_id = ?", (article_id,)).fetchone()
    assert after[1] != before[1] and after[0] & ((1 << 64) - 1) == fingerprint(edited["body"]).simhash


def test_a_version_2_archive_gets_the_tables_and_a_rebuild_fills_them(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    conn = sqlite3.connect(path)
    for migration in MIGRATIONS[:2]:
        for statement in _split_sql(migration):
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    db = open_archive(path)
    assert schema_version(db) >= 3 and {"fingerprints", "stories"} <= set(db.table_names())
    _, site, title, paras = GROUPABLE[0]
    copy = record(2, "tribunjateng", *reprint(title, paras, "added"))
    ids = save_articles(db, [record(1, site, title, paras), copy]).ids
    # As the v2 Warta that wrote them would have left them: no fingerprints, no stories.
    db.execute("DELETE FROM stories")
    db.execute("DELETE FROM fingerprints")
    assert story_of(db, ids[1]) == [ids[1]]
    result = regroup_stories(db)
    assert (result.articles, result.grouped, result.stories) == (2, 2, 1) and story_of(db, ids[1]) == ids


@pytest.mark.parametrize("articles", [len(GROUPABLE), 2_600])  # the second is fingerprinted by worker processes
def test_migration_14_recomputes_the_fingerprints_and_keeps_the_stories(tmp_path: Path, articles: int) -> None:
    from archive import stories

    path = tmp_path / "v13.db"
    db = open_archive(path)
    originals = [record(n, site, title, paras) for n, (_, site, title, paras) in enumerate(GROUPABLE)]
    copies = [record(100 + n, "tribunjateng", *reprint(title, paras, "reworded"))
              for n, (_, _, title, paras) in enumerate(GROUPABLE)]
    fillers = [record(1000 + n, "kompas", f"Berita nomor {n}", [f"Paragraf {n} {w} tentang banjir." for w in range(40)])
               for n in range(articles - len(GROUPABLE))]
    save_articles(db, originals + fillers)
    save_articles(db, copies)
    expected = db.execute("SELECT * FROM fingerprints ORDER BY article_id").fetchall()
    grouped = stories_table(db)
    # As a v13 Warta left them: other hashes (the blake2b of each 3-gram's text), the same stories.
    db.execute("UPDATE fingerprints SET simhash = 7, band0 = NULL, band3 = 1")
    db.execute("PRAGMA user_version = 13")
    db.close()
    stories._RECENT.clear()
    db = open_archive(path)
    assert schema_version(db) == SCHEMA_VERSION
    assert db.execute("SELECT * FROM fingerprints ORDER BY article_id").fetchall() == expected
    assert stories_table(db) == grouped and len(grouped) == 2 * len(GROUPABLE)
    db.close()


# --------------------------------------------------------------------------------------------
# Datasette and the CLI
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def story_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[list[int]]]:
    """Three stories carried by three outlets each, plus three articles nobody reprinted."""
    path = tmp_path_factory.mktemp("stories") / "archive.db"
    db = open_archive(path)
    families: list[list[int]] = []
    for n, (_, site, title, paras) in enumerate(GROUPABLE[:3]):
        family = save_articles(db, [record(n, site, title, paras, published=f"2024-03-0{n + 1}T08:00:00+07:00")]).ids
        for k, outlet in enumerate(("tribunjateng", "antaranews"), start=1):
            headline, body = reprint(title, paras, EDITS[n + k])
            family += save_articles(
                db, [record(10 * k + n, outlet, headline, body, published=f"2024-03-0{n + 1}T{8 + k:02d}:00:00+07:00")]
            ).ids
        families.append(family)
    hostile = list(GROUPABLE[3][3])
    save_articles(db, [record(40, "kompas", "Judul <script>alert(1)</script>", hostile)])
    save_articles(db, [record(41, "tribunjateng", "Salinan <b>tebal</b>", reprint("x", hostile, "dropped")[1])])
    for n, (_, site, title, paras) in enumerate(GROUPABLE[10:13]):
        save_articles(db, [record(60 + n, site, title, paras)])
    db.close()
    return path, families


async def client_get(path: Path, url: str):
    ds = make_datasette(path)
    await ds.invoke_startup()
    return await ds.client.get(url)


async def test_story_groups_view_lists_each_story_once(story_db) -> None:
    path, families = story_db
    response = await client_get(path, "/archive/story_groups.json?_shape=objects")
    assert response.status_code == 200, response.text[:300]
    rows = response.json()["rows"]
    assert [r["story"] for r in rows[1:]] == [families[2][0], families[1][0], families[0][0]]  # newest first
    for row, family in zip(rows[1:], reversed(families)):
        assert (row["outlets"], row["articles"]) == (3, 3)
        hosts = {f"{GROUPABLE[families.index(family)][1]}.example", "tribunjateng.example", "antaranews.example"}
        assert set(row["sites"].split(",")) == hosts
        members = json.loads(row["members"])
        assert [m["id"] for m in members] == family
        assert row["first_published"] == members[0]["published"]
        assert len(json.loads(row["titles"])) == 2  # distinct titles: both reprints use one headline
    # The article page leads to its story; the story lists its articles.
    article_page = (await client_get(path, f"/archive/articles/{families[0][1]}")).text
    assert f'href="/archive/stories?article_id={families[0][1]}"' in article_page
    stories_page = (await client_get(path, f"/archive/stories?article_id={families[0][1]}")).text
    assert f'href="/archive/story_articles?story_id={families[0][0]}"' in stories_page
    listing = await client_get(path, f"/archive/story_articles.json?_shape=objects&story_id={families[0][0]}")
    assert [r["article_id"] for r in listing.json()["rows"]] == families[0]


async def test_story_groups_page_links_members_and_escapes_titles(story_db) -> None:
    path, families = story_db
    page = (await client_get(path, "/archive/story_groups")).text
    for family in families:
        assert f'href="/archive/story_articles?story_id={family[0]}"' in page
        for article_id in family:
            assert f'href="/archive/articles/{article_id}"' in page
    assert "Judul &lt;script&gt;alert(1)&lt;/script&gt;" in page and "Salinan &lt;b&gt;tebal&lt;/b&gt;" in page
    assert "<script>alert(1)" not in page and "<b>tebal</b>" not in page
    assert 'rel="nofollow">(source)</a>' in page
    canned = await client_get(path, "/archive/largest_stories.json?_shape=objects")
    rows = canned.json()["rows"]
    assert [r["outlets"] for r in rows] == [3, 3, 3, 2]
    html = (await client_get(path, "/archive/largest_stories")).text
    assert f'href="/archive/articles/{families[0][2]}"' in html


def test_warta_stories_lists_and_rebuilds(story_db, tmp_path: Path) -> None:
    path, families = story_db
    runner = CliRunner()
    listed = runner.invoke(cli, ["stories", "--db", str(path), "--limit", "2"])
    assert listed.exit_code == 0, listed.output
    assert listed.output.count("story ") == 2 and "3 outlets, 3 articles" in listed.output
    as_json = runner.invoke(cli, ["stories", "--db", str(path), "--json"])
    assert [r["story"] for r in json.loads(as_json.stdout)][:3] == sorted((f[0] for f in families), reverse=True)
    copy = tmp_path / "copy.db"
    copy.write_bytes(path.read_bytes())
    rebuilt = runner.invoke(cli, ["stories", "--db", str(copy), "--rebuild", "--limit", "0"])
    assert rebuilt.exit_code == 0 and "Regrouped 14 articles" in rebuilt.output and "11 in 4 stories" in rebuilt.output
    missing = runner.invoke(cli, ["stories", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 1 and "no archive at" in missing.output and "Traceback" not in missing.output
