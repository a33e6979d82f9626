"""An article's identity cannot be hijacked by its ``rel=canonical`` (issue 11 §2).

A canonical is accepted only when it is an http(s) article URL of the site the page was fetched
from (``scraper.extract.extract_article``), and the archive (``archive.db.save_articles``) never
lets a page overwrite another archived article by declaring that article's URL as its canonical.
Otherwise the fetched URL is the identity and the rejected canonical is kept in ``rejected_canonical``.
Unit cases through ``extract_article`` and ``save_articles``; then a real crawl (twice) on 127.0.0.1.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from archive.db import open_archive, save_articles
from scraper.extract import extract_article
from tests.sitegen import article_html, article_url, crawl_args, paragraphs_of, run, site_server, write_site

FETCHED = "https://www.kompas.com/tren/read/2024/11/14/200000001/halaman-uji-identitas"


def page(canonical: str, i: int = 1) -> str:
    """A Kompas article page (generated article ``i``'s body) declaring ``canonical``."""
    return article_html(i).replace(f'href="{article_url(i)}"', f'href="{canonical}"')


# ------------------------------------------------------------------------------ extract_article

REJECTED = {
    "another site": "https://www.antaranews.com/berita/4455667/judul-asli",
    "home page": "https://www.kompas.com/",
    "tag page": "https://www.kompas.com/tag/banjir",
    "javascript": "javascript:void(0)",
    "data url": "data:text/html,hai",
    "ftp scheme": "ftp://www.kompas.com/tren/read/2024/11/14/1/x",
}


@pytest.mark.parametrize("case", sorted(REJECTED))
def test_a_canonical_that_is_not_an_article_of_the_site_is_rejected(case: str) -> None:
    article = extract_article(FETCHED + "?page=all", page(REJECTED[case]))
    assert article.canonical_url == FETCHED  # the fetched URL, canonicalised (?page=all dropped)
    assert article.rejected_canonical == REJECTED[case]
    assert article.to_dict()["rejected_canonical"] == REJECTED[case]


def test_the_syndicated_copy_keeps_its_own_url_and_names_the_original() -> None:
    original = "https://www.antaranews.com/berita/4455667/warga-bangun-jembatan"
    article = extract_article(FETCHED, page(original))
    assert (article.canonical_url, article.rejected_canonical) == (FETCHED, original)


@pytest.mark.parametrize(
    "fetched",
    [FETCHED + "?page=all", FETCHED, FETCHED.replace("www.", "amp."), FETCHED + "?utm_source=x"],
)
def test_a_canonical_naming_the_same_article_is_accepted(fetched: str) -> None:
    article = extract_article(fetched, page(FETCHED))
    assert (article.canonical_url, article.rejected_canonical) == (FETCHED, None)


def test_a_canonical_on_another_article_url_of_the_site_is_accepted_by_extract() -> None:
    # A page may be known under another article URL (a renamed slug): only the archive can tell
    # whether that URL is already another article's (see the save_articles tests).
    other = article_url(7)
    article = extract_article(FETCHED, page(other))
    assert (article.canonical_url, article.rejected_canonical) == (other, None)


GENERIC = "https://berita.contoh.id/2024/11/14/warga-bangun-jembatan"


def generic_page(canonical: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs_of(3))
    return (
        '<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Warga bangun jembatan</title>'
        f'<link rel="canonical" href="{canonical}"><meta property="og:type" content="article"></head>'
        f"<body><article><h1>Warga bangun jembatan</h1>{body}</article></body></html>"
    )


@pytest.mark.parametrize(
    "canonical",
    [
        "https://berita.contoh.id/",
        "https://berita.contoh.id/tag/banjir",
        "https://berita.contoh.id/kategori/nasional",
        "https://berita.contoh.id/search?q=banjir",
        "https://berita.contoh.id/indeks",
        "https://lain.co.id/2024/11/14/warga-bangun-jembatan",
        "javascript:void(0)",
    ],
)
def test_the_generic_path_rejects_home_tag_search_index_and_foreign_canonicals(canonical: str) -> None:
    article = extract_article(GENERIC, generic_page(canonical))
    assert (article.canonical_url, article.rejected_canonical) == (GENERIC, canonical)


@pytest.mark.parametrize(
    "canonical",
    [GENERIC, "https://m.berita.contoh.id/2024/11/14/warga-bangun-jembatan", "/2024/11/14/warga-bangun-jembatan"],
)
def test_the_generic_path_accepts_an_article_url_of_the_same_host(canonical: str) -> None:
    article = extract_article(GENERIC + "?utm_source=x", generic_page(canonical))
    assert article.rejected_canonical is None
    assert article.canonical_url.endswith("berita.contoh.id/2024/11/14/warga-bangun-jembatan")


# ------------------------------------------------------------------------------ save_articles


def test_a_page_claiming_another_archived_articles_url_does_not_overwrite_it(tmp_path: Path) -> None:
    db = open_archive(tmp_path / "a.db")
    victim = extract_article(article_url(7), article_html(7))
    save_articles(db, [victim.to_dict()])
    hijacker = extract_article(FETCHED + "?page=all", page(article_url(7), i=1))
    result = save_articles(db, [hijacker.to_dict()])
    assert (result.new, result.updated, result.collisions) == (1, 0, 1)
    rows = {r["canonical_url"]: r for r in db.query("SELECT * FROM articles")}
    assert rows[article_url(7)]["body"] == victim.body and rows[article_url(7)]["version"] == 1
    assert rows[FETCHED]["body"] == hijacker.body
    assert rows[FETCHED]["rejected_canonical"] == article_url(7)
    assert db.execute("SELECT count(*) FROM versions").fetchone()[0] == 0
    # The same page again is known by its fetched URL: unchanged, no second collision row.
    again = save_articles(db, [hijacker.to_dict()])
    assert (again.new, again.unchanged, again.collisions) == (0, 1, 0)


@pytest.mark.parametrize("fetched_as", ["", "?page=all"])
def test_the_article_fetched_from_its_own_url_takes_it_back_from_an_earlier_hijacker(
    tmp_path: Path, fetched_as: str
) -> None:
    db = open_archive(tmp_path / "a.db")
    hijacker = extract_article(FETCHED + fetched_as, page(article_url(7), i=1))
    save_articles(db, [hijacker.to_dict()])
    victim = extract_article(article_url(7), article_html(7))
    result = save_articles(db, [victim.to_dict()])
    assert (result.new, result.updated, result.collisions) == (1, 0, 1)
    rows = {r["canonical_url"]: r for r in db.query("SELECT * FROM articles")}
    assert rows[article_url(7)]["body"] == victim.body and rows[article_url(7)]["rejected_canonical"] is None
    assert rows[FETCHED]["body"] == hijacker.body and rows[FETCHED]["rejected_canonical"] == article_url(7)
    assert db.execute("SELECT count(*) FROM versions").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM aliases WHERE url = ?", [FETCHED]).fetchone()[0] == 0


def test_an_edit_of_the_same_page_is_still_a_new_version(tmp_path: Path) -> None:
    db = open_archive(tmp_path / "a.db")
    first = extract_article(article_url(7) + "?page=all", article_html(7))
    save_articles(db, [first.to_dict()])
    edited = extract_article(article_url(7), article_html(7, paragraphs=paragraphs_of(8)))
    result = save_articles(db, [edited.to_dict()])
    assert (result.updated, result.collisions) == (1, 0)
    # Fetched through an alias of the article (its amp URL recorded before): an edit too.
    amp = article_url(7).replace("www.", "amp.")
    save_articles(db, [{**first.to_dict(), "url": amp}])
    through_alias = extract_article(amp + "?x=1", article_html(7, paragraphs=paragraphs_of(9)))
    assert save_articles(db, [{**through_alias.to_dict(), "url": amp}]).updated == 1


def test_the_migration_adds_rejected_canonical_to_an_existing_archive(tmp_path: Path) -> None:
    from archive.db import _V7_REJECTED_CANONICAL, MIGRATIONS, SCHEMA_VERSION, _split_sql

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:  # an archive as the Warta before this column left it
        for n, script in enumerate(MIGRATIONS[: MIGRATIONS.index(_V7_REJECTED_CANONICAL)], start=1):
            assert isinstance(script, str)
            for statement in _split_sql(script):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {n}")
    db = open_archive(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert "rejected_canonical" in db["articles"].columns_dict


# ------------------------------------------------------------------------------ a real crawl, twice

HIJACKS = {
    "other_article": article_url(0),
    "other_site": "https://www.antaranews.com/berita/4455667/judul-asli",
    "home": "https://www.kompas.com/",
    "tag": "https://www.kompas.com/tag/banjir",
    "javascript": "javascript:void(0)",
}


def hijack_url(k: int) -> str:
    return f"https://www.kompas.com/tren/read/2024/11/14/30000000{k}/halaman-pembajak-{k}"


def test_a_crawl_keeps_each_hijacking_page_under_its_own_url_and_does_not_refetch_it(tmp_path: Path) -> None:
    pages = {hijack_url(k): page(target, i=10 + k) for k, target in enumerate(HIJACKS.values())}
    routes, robots = write_site(tmp_path / "site", 2, pages=pages)
    db = tmp_path / "archive.db"
    with site_server(routes, robots) as server:
        first = run(crawl_args(server, db))
        assert first.returncode == 0, first.stderr
        fetched_first = [k for k in server.requested() if "halaman-pembajak" in k]
        before = len(server.requested())
        second = run(crawl_args(server, db))
        assert second.returncode == 0, second.stderr
        fetched_again = [k for k in server.requested()[before:] if "halaman-pembajak" in k]
    assert len(fetched_first) == len(HIJACKS)
    assert fetched_again == []  # known by their fetched URLs
    with sqlite3.connect(db) as conn:
        rows = dict(conn.execute("SELECT canonical_url, rejected_canonical FROM articles"))
        victim = conn.execute(
            "SELECT body, version FROM articles WHERE canonical_url = ?", (article_url(0),)
        ).fetchone()
    assert {hijack_url(k): target for k, target in enumerate(HIJACKS.values())}.items() <= rows.items()
    assert victim == ("\n\n".join(paragraphs_of(0)), 1)
    assert len(rows) == 2 + len(HIJACKS)
