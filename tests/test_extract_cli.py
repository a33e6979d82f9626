"""``warta extract``: JSON Lines per file, through click's runner and once as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from archive.cli import cli
from tests.conftest import KOMPAS_FIXTURES, PAGES, REPO

SEED = KOMPAS_FIXTURES / "seed-article.html"
SEED_EXPECTED = json.loads((KOMPAS_FIXTURES / "expected" / "seed-article.json").read_text(encoding="utf-8"))


def run(*args: str, stdin: bytes | None = None) -> tuple[int, list[dict], str]:
    result = CliRunner().invoke(cli, ["extract", *args], input=stdin)
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return result.exit_code, lines, result.output


def test_seed_article() -> None:
    code, lines, output = run(str(SEED))
    assert code == 0 and len(lines) == 1
    record = lines[0]
    assert record["file"] == str(SEED)
    assert record["url"] == SEED_EXPECTED["url"]  # taken from the page's canonical link
    assert record["paragraphs"] == SEED_EXPECTED["paragraphs"]
    assert record["related"] == SEED_EXPECTED["related"]
    assert record["body"] == "\n\n".join(SEED_EXPECTED["paragraphs"])
    assert record["word_count"] > 300 and record["site"] == "kompas"
    assert "“Rusia terus" in output  # UTF-8, not \u escapes


def test_files_in_order_with_skips() -> None:
    files = [KOMPAS_FIXTURES / "multipage-p1.html", KOMPAS_FIXTURES / "indeks.html", PAGES / "kompas" / "anpandu_kompas-singlepage.html"]
    code, lines, _ = run(*map(str, files))
    assert code == 0
    assert [line["file"] for line in lines] == list(map(str, files))
    assert lines[0]["title"].startswith("Hadapi Puncak Musim Hujan")
    assert lines[1]["skipped"] == "not_article_page" and "title" not in lines[1]
    assert lines[2]["authors"] == ["Masriadi"]


def test_url_option_overrides_the_page() -> None:
    url = "https://megapolitan.kompas.com/read/2024/11/14/13000061/hadapi-puncak-musim-hujan-pemkot-bogor-siagakan-120-pompa-air-di-titik-rawan?page=2"
    code, lines, _ = run("--url", url, str(KOMPAS_FIXTURES / "multipage-p2.html"))
    assert code == 0 and lines[0]["url"] == url
    assert lines[0]["pagination"]["page"] == 2


def test_stdin() -> None:
    code, lines, _ = run("-", stdin=SEED.read_bytes())
    assert code == 0 and lines[0]["file"] == "-" and lines[0]["title"] == SEED_EXPECTED["title"]


def test_page_without_url_or_title_is_skipped(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<html><body><div>menu</div></body></html>", encoding="utf-8")
    code, lines, _ = run(str(page))
    assert code == 0 and lines[0]["skipped"] in ("no_title", "no_body")


def test_binary_file_is_skipped_not_a_crash(tmp_path: Path) -> None:
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(b"%PDF-1.7\n\x00\x01binary")
    code, lines, _ = run(str(pdf))
    assert code == 0 and lines[0]["skipped"] == "not_html"


def test_missing_file_is_a_one_line_error(tmp_path: Path) -> None:
    code, lines, output = run(str(SEED), str(tmp_path / "nope.html"))
    assert code == 1 and lines == []  # checked before anything is printed
    assert output.strip() == f"Error: no such file: {tmp_path / 'nope.html'}"
    assert "Traceback" not in output


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["extract", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output and "warta extract" in result.output


def test_real_process() -> None:
    warta = Path(sys.executable).with_name("warta")
    exe = [str(warta)] if warta.exists() else [sys.executable, "-m", "archive.cli"]
    proc = subprocess.run([*exe, "extract", str(SEED), str(KOMPAS_FIXTURES / "indeks.html")],
                          capture_output=True, cwd=REPO, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    first, second = (json.loads(line) for line in proc.stdout.decode("utf-8").splitlines())
    assert first["related"] == SEED_EXPECTED["related"]
    assert second["skipped"] == "not_article_page"
    missing = subprocess.run([*exe, "extract", "no-such-page.html"], capture_output=True, cwd=REPO, timeout=120, check=False)
    assert missing.returncode == 1
    assert missing.stderr.decode().strip() == "Error: no such file: no-such-page.html"


def test_url_from_article_microdata_when_no_canonical() -> None:
    # Antara 2015 pages have no canonical or og:url, only <a itemprop="url"> in the NewsArticle scope
    # (the teasers' WebPage scopes have their own url properties).
    page = PAGES / "antara" / "anpandu_antara-singlepage3.html"
    expected = json.loads(page.with_name("anpandu_antara-singlepage3.expected.json").read_text(encoding="utf-8"))
    code, lines, _ = run(str(page))
    assert code == 0 and lines[0]["url"] == expected["url"]
    assert lines[0]["site"] == "antaranews" and lines[0]["paragraphs"] == expected["paragraphs"]


def test_url_from_shortlink_and_not_from_a_teaser_scope(tmp_path: Path) -> None:
    body = "<p>" + "Kalimat berita yang cukup panjang untuk dibaca sebagai isi. " * 6 + "</p>"
    page = tmp_path / "p.html"
    page.write_text(
        "<html><head><title>Judul</title><link rel='shortlink' href='https://contoh.id/?p=42'></head><body>"
        "<div itemscope itemtype='http://schema.org/WebPage'><a itemprop='url' href='https://contoh.id/lain'>x</a></div>"
        f"<article><h1>Judul</h1>{body}</article></body></html>",
        encoding="utf-8",
    )
    code, lines, _ = run(str(page))
    assert code == 0 and lines[0]["url"] == "https://contoh.id/?p=42"
