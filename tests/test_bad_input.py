"""Bad input never crashes anything: each case of the corpus (tests/bad_input.py) is skipped with a
listed reason or stored best-effort, through ``extract_article`` directly and through one real crawl
that serves them all; text containing markup is stored as text and shown escaped in Datasette.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from archive.cron import EXIT_OK
from archive.demo import MirrorHandler, MirrorServer, MirrorSite, route_key
from archive.serve import make_datasette
from scraper.extract import extract_article
from scraper.model import SKIP_REASONS, Article, NotAnArticle
from tests.bad_input import CP1252_TEXT, BadInput, corpus
from tests.sitegen import article_html, article_url, crawl_args, crawl_env, rows, runs, write_site

CASES = corpus()
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
XSS_NUMBER = 520


def check_article(case: BadInput, article: Article) -> None:
    """What "stored best-effort" must still mean."""
    assert article.title and article.paragraphs
    if article.published is not None:  # absurd dates are dropped, not stored
        assert 1900 <= datetime.fromisoformat(article.published).year <= 2100
    if "windows-1252" in case.name:
        assert article.paragraphs[0] == CP1252_TEXT
    if "date" in case.name:
        assert article.published is None


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_extract_article_skips_or_stores_each_case(case: BadInput) -> None:
    charset = case.content_type.partition("charset=")[2] or None
    try:
        article = extract_article(case.url, case.body, encoding=charset)
    except NotAnArticle as exc:
        assert case.expect.startswith("skip"), f"{case.name}: skipped ({exc.reason}), expected {case.expect}"
        assert exc.reason in SKIP_REASONS
        if ":" in case.expect:
            assert exc.reason == case.expect.split(":", 1)[1]
        return
    assert case.expect == "store", f"{case.name}: stored, expected {case.expect}"
    check_article(case, article)


class TypedHandler(MirrorHandler):
    """Serves each route with the Content-Type its case says (not the one its file suffix suggests)."""

    server: "TypedServer"

    def send_body(self, status: int, body: bytes, ctype: str, host: str, path: str, query: str) -> None:
        key = route_key(f"https://{host}{path}" + (f"?{query}" if query else ""))
        super().send_body(status, body, self.server.content_types.get(key, ctype), host, path, query)


class TypedServer(MirrorServer):
    def __init__(self, site: MirrorSite, content_types: dict[str, str]) -> None:
        super().__init__(site, handler=TypedHandler)
        self.content_types = content_types


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One crawl of a site serving the whole corpus, 2 good articles and one with markup as text."""
    tmp = tmp_path_factory.mktemp("bad_input")
    pages: dict[str, bytes | str] = {case.url: case.body for case in CASES}
    pages[article_url(XSS_NUMBER)] = article_html(
        XSS_NUMBER,
        paragraphs=[
            f"Peretas menulis {SCRIPT} di kolom komentar situs itu, kata polisi kepada wartawan.",
            f"Kode lain yang ditemukan: {IMG} dan beberapa tautan palsu.",
            "Polisi meminta warga tidak membuka tautan yang dikirim orang tak dikenal.",
        ],
        title="Peretas tulis <b>kode</b> di situs pemerintah",
    )
    routes, robots = write_site(tmp / "site", 2, pages=pages)
    types = {route_key(case.url + "?page=all"): case.content_type for case in CASES}
    db = tmp / "archive.db"
    with TypedServer(MirrorSite(routes=routes, default_robots=robots), types) as server:
        result = subprocess.run(crawl_args(server, db), capture_output=True, text=True, timeout=180, env=crawl_env())
    assert result.returncode == EXIT_OK, result.stderr[-3000:]
    return db


def test_one_crawl_serving_the_corpus_counts_every_skip_and_stores_the_rest(crawled: Path) -> None:
    (run,) = runs(crawled)
    assert run["status"] == "finished" and run["errors"] == 0
    stored = {url for url, in rows(crawled, "SELECT canonical_url FROM articles")}
    expected_stored = {c.url for c in CASES if c.expect == "store"} | {
        article_url(0),
        article_url(1),
        article_url(XSS_NUMBER),
    }
    assert stored == expected_stored
    skipped = json.loads(run["skipped_reasons"])
    expected_skips: dict[str, int] = {}
    for case in CASES:
        if case.expect.startswith("skip"):
            reason = case.expect.split(":", 1)[1] if ":" in case.expect else "not_article_page"
            expected_skips[reason] = expected_skips.get(reason, 0) + 1
    assert skipped == expected_skips
    assert run["skipped"] == sum(expected_skips.values())
    # windows-1252 without any declaration: decoded right through the crawl too.
    (body,) = rows(crawled, "SELECT body FROM articles WHERE canonical_url = ?", article_url(504))[0]
    assert body.startswith(CP1252_TEXT)
    dates = rows(
        crawled,
        "SELECT published FROM articles WHERE canonical_url IN (?, ?, ?)",
        *[article_url(n) for n in (513, 514, 515)],
    )
    assert dates == [(None,)] * 3


def test_markup_in_article_text_is_stored_as_text_and_escaped_in_datasette(crawled: Path) -> None:
    article_id, title, body = rows(
        crawled, "SELECT id, title, body FROM articles WHERE canonical_url = ?", article_url(XSS_NUMBER)
    )[0]
    assert SCRIPT in body and IMG in body  # the text as written, not stripped or unescaped into markup
    assert title == "Peretas tulis <b>kode</b> di situs pemerintah"

    async def pages() -> list[str]:
        ds = make_datasette(crawled)
        await ds.invoke_startup()
        name = crawled.stem
        out = []
        for path in (
            f"/{name}/articles/{article_id}",
            f"/{name}/articles",
            f"/{name}/articles?_search=peretas",
            f"/{name}?sql=select+title,+body+from+articles+where+id+=+{article_id}",
        ):
            response = await ds.client.get(path)
            assert response.status_code == 200, path
            out.append(response.text)
        return out

    for html in asyncio.run(pages()):
        assert SCRIPT not in html and "<script>alert" not in html
        assert "onerror=alert(1)>" not in html and "<img src=x" not in html
        assert "<b>kode</b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "alert(1)" not in html
    row_page = asyncio.run(pages())[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in row_page
