"""``warta reextract`` (issue 10 section 2): a parser change re-extracts exactly the articles it
affects from their stored captures, as versions with reason ``reextract`` and the new parser, with
no network; ``--dry-run`` changes nothing and says what would change.

The archive comes from a real ``warta crawl`` against a generated site on 127.0.0.1; the server is
stopped before re-extracting, so a fetch could not succeed. The parser change is real code: a
newer kompas parser that drops the editor's notes the current one keeps in the body.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import cli
from scraper.sites import SITES, Site, get_site
from scraper.sites import kompas as kompas_module
from tests.sitegen import article_html, article_url, crawl_args, paragraphs_of, rows, run, site_server, write_site

N = 8
AFFECTED = {1, 4, 6}
NOTE = "Catatan redaksi: artikel ini telah diperbarui dengan keterangan dari pemerintah daerah setempat."


class Kompas2099(kompas_module.Kompas2024):
    """A fix shipped later as a new version: editor's notes ("Catatan redaksi: ...") are not article text."""

    name = "kompas/2099"

    def paragraphs(self) -> list[str]:
        return [p for p in super().paragraphs() if not p.startswith("Catatan redaksi:")]


def with_fix() -> Site:
    """The kompas profile with the fixed version first (what a release with the fix would declare)."""
    site = get_site("kompas")
    return dataclasses.replace(site, parsers=(Kompas2099, *site.parsers))


@pytest.fixture()
def archive_db(tmp_path: Path) -> Path:
    routes, robots = write_site(tmp_path / "site", N)
    for i in AFFECTED:  # these pages carry an editor's note at the end of the body
        (tmp_path / "site" / f"article-{i}.html").write_text(article_html(i, [*paragraphs_of(i), NOTE]))
    db = tmp_path / "archive.db"
    with site_server(routes, robots) as server:
        done = run(crawl_args(server, db))
    assert done.returncode == 0, done.stderr[-2000:]
    notes = {r[0] for r in rows(db, "SELECT canonical_url FROM articles WHERE body LIKE '%Catatan redaksi:%'")}
    assert notes == {article_url(i) for i in AFFECTED}  # today's parser keeps the note
    return db


def test_a_parser_change_reextracts_exactly_the_affected_articles(
    archive_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = {r[0]: r[1:] for r in rows(archive_db, "SELECT canonical_url, id, version, last_seen FROM articles")}
    monkeypatch.setitem(SITES, "kompas", with_fix())

    dry = CliRunner().invoke(cli, ["reextract", "--db", str(archive_db), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert f"{N} articles re-extracted" in dry.output and "would change 3, unchanged 5" in dry.output
    assert "fields body 3" in dry.output and "-" + NOTE in dry.output  # a diff shows the line going
    assert rows(archive_db, "SELECT count(*) FROM versions")[0][0] == 0  # a dry run writes nothing

    done = CliRunner().invoke(cli, ["reextract", "--db", str(archive_db), "--site", "kompas", "--json"])
    assert done.exit_code == 0, done.output
    counts = json.loads(done.output)
    assert (counts["articles"], counts["changed"], counts["unchanged"]) == (N, 3, 5)
    assert counts["fields"] == {"body": 3}

    after = {r[0]: r[1:] for r in rows(
        archive_db, "SELECT canonical_url, id, version, version_reason, parser, last_seen, body FROM articles")}
    changed = {url for url, (_, version, *_rest) in after.items() if version == 2}
    assert changed == {article_url(i) for i in AFFECTED}
    for url, (article_id, version, reason, parser, last_seen, body) in after.items():
        assert article_id == before[url][0] and last_seen == before[url][2]  # same row; nobody was asked
        if url in changed:
            assert (reason, parser) == ("reextract", "kompas/2099") and NOTE not in body
        else:
            assert (version, reason, parser) == (1, "new", "kompas/2024")
    # The earlier version is kept with why it existed and the parser that made it.
    kept = rows(archive_db, "SELECT a.canonical_url, v.version, v.reason, v.parser, v.body FROM versions v "
                         "JOIN articles a ON a.id = v.article_id")
    assert {r[0] for r in kept} == changed
    assert all(r[1:4] == (1, "new", "kompas/2024") and NOTE in r[4] for r in kept)
    assert rows(archive_db, "PRAGMA integrity_check") == [("ok",)]

    again = CliRunner().invoke(cli, ["reextract", "--db", str(archive_db), "--json"])
    assert json.loads(again.output)["changed"] == 0  # idempotent


def test_filters_select_what_is_reextracted(archive_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(SITES, "kompas", with_fix())
    none = CliRunner().invoke(cli, ["reextract", "--db", str(archive_db), "--parser", "detik", "--json"])
    assert json.loads(none.output)["articles"] == 0
    by_parser = CliRunner().invoke(cli, ["reextract", "--db", str(archive_db), "--parser", "kompas", "--dry-run",
                                         "--json"])
    assert json.loads(by_parser.output)["changed"] == 3
    # The generated articles are published 2024-11-14.
    later = CliRunner().invoke(cli, ["reextract", "--db", str(archive_db), "--since", "2024-11-15", "--json"])
    assert json.loads(later.output)["articles"] == 0
    bad = CliRunner().invoke(cli, ["reextract", "--db", str(archive_db), "--since", "2024-11-15", "--until",
                                   "2024-11-01"])
    assert bad.exit_code != 0 and "before --since" in bad.output
    missing = CliRunner().invoke(cli, ["reextract", "--db", str(archive_db.with_name("none.db"))])
    assert missing.exit_code == 1 and "no archive" in missing.output
