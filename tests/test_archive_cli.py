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
    assert result.exit_code == 1 and "Traceback" not in result.output
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
