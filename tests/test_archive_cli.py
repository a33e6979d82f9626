"""``warta stats`` and ``warta serve``: output, one-line errors, and a real Datasette process that
keeps reading while the archive is written to."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import cli
from archive.db import finish_run, open_archive, save_articles, start_run
from tests.archive_factory import make_article


@pytest.fixture
def archive_db(tmp_path: Path) -> Path:
    path = tmp_path / "archive.db"
    db = open_archive(path)
    save_articles(db, [make_article(n) for n in range(12)])
    run = start_run(db, ["kompas"], {})
    finish_run(db, run, status="finished", finish_reason="finished", stats={"pages_fetched": 12}, exit_code=0)
    db.close()
    return path


def test_stats_prints_counts_per_site_and_runs(archive_db: Path) -> None:
    result = CliRunner().invoke(cli, ["stats", "--db", str(archive_db)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("12 articles, 0 aliases, 0 earlier versions")
    assert "kompas" in result.output and "#1 " in result.output and "finished" in result.output
    as_json = json.loads(CliRunner().invoke(cli, ["stats", "--db", str(archive_db), "--json"]).output)
    assert as_json["totals"]["articles"] == 12
    assert {s["site"]: s["articles"] for s in as_json["sites"]} == {"kompas": 4, "detik": 4, "tribunnews": 4}


@pytest.mark.parametrize("command", ["stats", "serve", "export"])
def test_commands_on_a_missing_archive_fail_in_one_line_and_create_nothing(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "nope.db"
    result = CliRunner().invoke(cli, [command, "--db", str(missing)])
    assert result.exit_code == 1
    assert result.output.strip().startswith("Error: no archive at") and len(result.output.strip().splitlines()) == 1
    assert not missing.exists()


def test_commands_on_a_file_that_is_not_an_archive(tmp_path: Path) -> None:
    junk = tmp_path / "notes.db"
    junk.write_text("not sqlite " * 100)
    result = CliRunner().invoke(cli, ["stats", "--db", str(junk)])
    assert result.exit_code == 2 and "Traceback" not in result.output  # issue 11 §5: a bad file is exit 2
    assert result.output.startswith("Error: cannot open archive")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def test_serve_runs_datasette_that_sees_new_rows_while_running(archive_db: Path) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from archive.cli import cli; cli()", "serve", "--db", str(archive_db), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/archive/articles.json?_size=0"
    try:
        data = None
        for _ in range(300):  # wait for start-up (bounded; no timing is asserted)
            if proc.poll() is not None:
                pytest.fail(f"warta serve exited: {proc.stderr.read().decode()}")
            try:
                data = _get_json(url)
                break
            except OSError:
                time.sleep(0.1)
        assert data is not None and data["filtered_table_rows_count"] == 12
        # Served mutable: a crawl writing now is visible on the next request, no restart.
        db = open_archive(archive_db)
        save_articles(db, [make_article(n) for n in range(12, 20)])
        db.close()
        assert _get_json(url)["filtered_table_rows_count"] == 20
        runs = _get_json(f"http://127.0.0.1:{port}/archive/crawl_runs.json?_shape=objects")
        assert runs["rows"][0]["status"] == "finished"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()


# ------------------------------------------------------------------------------ bad files, bad arguments
# (issue 11 §5): one line on stderr, the right status, no traceback, nothing changed. Real `warta`.

from tests.sitegen import run as run_warta  # noqa: E402
from tests.sitegen import warta_command  # noqa: E402


def warta(*args: str) -> subprocess.CompletedProcess[str]:
    return run_warta([*warta_command(), *args])


def one_line(result: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    err = result.stderr.strip()
    assert result.returncode == code, (result.returncode, err)
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    for word in words:
        assert word in err, err


def damaged_archive(tmp_path: Path) -> Path:
    """A real archive whose last page is garbage: it opens, its pages do not read."""
    path = tmp_path / "damaged.db"
    db = open_archive(path)
    save_articles(db, [make_article(n) for n in range(40)])
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = db.execute("PRAGMA page_size").fetchone()[0]
    # The last page of the articles table too: since schema v12 a batch's full-text pages are written
    # after its article rows, so the file's tail may hold only index pages that export/stats never read.
    last_article_page = db.execute("SELECT max(pageno) FROM dbstat WHERE name = 'articles'").fetchone()[0]
    db.close()
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.seek(size - 8 * page)
        f.write(b"\xde\xad\xbe\xef" * (2 * page))
        f.seek((last_article_page - 1) * page)
        f.write(b"\xde\xad\xbe\xef" * (page // 4))
    return path


COMMANDS = {
    "stats": ["stats"],
    "export": ["export", "-o", "out.csv"],
    "stories": ["stories"],
    "crawl": ["crawl", "kompas", "--root", "http://127.0.0.1:9", "--fast"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_damaged_archive_is_one_line_exit_2_for_every_command(tmp_path: Path, command: str) -> None:
    path = damaged_archive(tmp_path)
    before = path.read_bytes()
    one_line(warta(*COMMANDS[command], "--db", str(path)), 2, str(path), "damaged", ".recover")
    assert path.read_bytes() == before


def test_serve_on_a_damaged_archive_fails_before_serving(tmp_path: Path) -> None:
    result = warta("serve", "--db", str(damaged_archive(tmp_path)), "--port", str(free_port()))
    one_line(result, 2, "damaged")
    assert "Serving" not in result.stderr + result.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_on_a_port_in_use_fails_before_serving(archive_db: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = warta("serve", "--db", str(archive_db), "--port", str(port))
    one_line(result, 2, "port", str(port), "in use")
    assert "Serving" not in result.stderr + result.stdout


def test_a_foreign_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (x)")
    before = path.read_bytes()
    for args in (["stats"], ["crawl", "kompas", "--root", "http://127.0.0.1:9"]):
        one_line(warta(*args, "--db", str(path)), 2, "not a Warta archive")
    assert path.read_bytes() == before  # not switched to WAL mode
    assert not Path(str(path) + "-wal").exists()


def test_an_empty_file_is_not_read_as_an_archive(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    for command in ("stats", "export", "stories"):
        one_line(warta(command, "--db", str(path)), 2, "empty")
    assert path.stat().st_size == 0
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"id,title\n1,halo\n" * 100)
    one_line(warta("stats", "--db", str(garbage)), 2, "not an SQLite database")


@pytest.mark.parametrize(
    "root",
    ["127.0.0.1:8000", "ftp://127.0.0.1", "http://", "http://127.0.0.1:8000/mirror/path", "http://[::1", "http://a b"],
)
def test_a_malformed_root_is_one_line_exit_2(tmp_path: Path, root: str) -> None:
    one_line(warta("crawl", "kompas", "--root", root, "--db", str(tmp_path / "a.db")), 2, "--root")
    assert not (tmp_path / "a.db").exists()


@pytest.mark.parametrize(
    "setting", ["DOWNLOAD_DELAY=abc", "CONCURRENT_REQUESTS=2.5", "ROBOTSTXT_OBEY=maybe", "DOWNLOAD_TIMEOUT=-1",
                "ITEM_PIPELINES={not json", "NOEQUALS"],
)
def test_a_bad_set_value_is_one_line_exit_2_naming_it(tmp_path: Path, setting: str) -> None:
    result = warta("crawl", "kompas", "--root", "http://127.0.0.1:9", "--set", setting, "--db", str(tmp_path / "a.db"))
    one_line(result, 2, "--set", setting.partition("=")[0])
    assert "unreachable" not in result.stderr


def test_an_unknown_set_name_is_warned_about_not_refused(tmp_path: Path) -> None:
    from archive.cli import check_overrides

    warnings = check_overrides(("DOWNLOAD_DELY=1", "DOWNLOAD_DELAY=0.5", "LOG_LEVEL=DEBUG"))
    assert len(warnings) == 1 and "DOWNLOAD_DELY" in warnings[0]


def test_export_of_an_unknown_site_is_one_line_exit_2_with_the_known_names(archive_db: Path, tmp_path: Path) -> None:
    result = warta("export", "--db", str(archive_db), "--site", "kompass", "-o", str(tmp_path / "x.csv"))
    one_line(result, 2, "kompass", "kompas", "detik")
    assert not (tmp_path / "x.csv").exists()
    # A site in the archive or a profile (even with no article yet) is fine.
    assert warta("export", "--db", str(archive_db), "--site", "tempo", "-o", str(tmp_path / "t.csv")).returncode == 0


def test_the_progress_line_fits_a_50_column_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from scrapy import Spider
    from scrapy.utils.test import get_crawler

    from scraper.extensions import Progress

    monkeypatch.setenv("COLUMNS", "50")
    crawler = get_crawler(Spider)
    crawler.spider = Spider(name="a-very-long-spider-name-for-a-generic-site.example.co.id")
    crawler.stats.open_spider()
    crawler.stats.set_value("downloader/response_count", 123456)
    out = io.StringIO()
    progress = Progress(crawler, stream=out)
    for _ in range(3):
        progress.show()
    updates = out.getvalue().split("\r")[1:]
    assert len(updates) == 3 and all(0 < len(u) <= 49 for u in updates), updates
