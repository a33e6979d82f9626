"""What a reader sees, in a real browser: headless Chromium (Debian's package) over `warta serve`.

The articles list, an article page and a search result, each at 1280 and 390 px wide: the headline
is in the first screen, nothing overflows sideways at 390 px, and every row of a list links to its
archived article page. Screenshots go to $WARTA_SCREENSHOTS (else a temporary folder) to look at.
Without chromium the tests skip with a reason starting "needs chromium" (.ci/run installs it and
fails on such a skip).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.db import open_archive, save_articles
from tests.archive_factory import make_article
from tests.browser import Browser, find_chromium

NEEDS_CHROMIUM = "needs chromium"
CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason=f"{NEEDS_CHROMIUM}: apt-get install chromium (.ci/run does)"
)

WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
LONG_URL = "https://www.kompas.com/tren/read/2024/11/14/091500365/" + "-".join(["hujan-meteor-leonid-capai-puncak"] * 6)
LONG_TITLE = "Hujan Meteor Leonid Capai Puncak 17-18 November 2024, Ini Waktu Terbaik untuk Menyaksikannya dari Indonesia"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`warta serve` (a real process) over a 40-article archive with a long headline and URL."""
    path = tmp_path_factory.mktemp("browser") / "berita.db"
    articles = [make_article(n) for n in range(40)]
    articles[39] = make_article(39, site="kompas", title=LONG_TITLE, canonical_url=LONG_URL,
                                published="2030-01-01T08:00:00+07:00",
                                tags=["meteor", "astronomi", "leonid", "langit malam"],
                                authors=["Nama Penulis Yang Panjang Sekali", "Penulis Kedua"])
    save_articles(open_archive(path), articles)
    port = _free_port()
    script = Path(sys.executable).with_name("warta")
    cmd = [str(script)] if script.exists() else [sys.executable, "-c", "from archive.cli import cli; cli()"]
    log = path.with_suffix(".log")
    with log.open("wb") as err:
        process = subprocess.Popen([*cmd, "serve", "--db", str(path), "--port", str(port)],
                                   stdout=subprocess.DEVNULL, stderr=err)
    root = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{root}/-/versions.json", timeout=2):  # noqa: S310 - our own server
                break
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("warta serve did not start: " + log.read_text()[-2000:]) from None
            time.sleep(0.2)
    try:
        yield root
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM is not None
    with Browser(CHROMIUM) as b:
        yield b


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = os.environ.get("WARTA_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


#: What the page tells about itself: viewport, overflow, the first headline's box, the rows' links.
MEASURE = """(() => {
  const doc = document.documentElement;
  const box = (el) => { if (!el) return null; const r = el.getBoundingClientRect();
                        return {top: r.top, left: r.left, right: r.right, bottom: r.bottom}; };
  const rows = [...document.querySelectorAll('table.rows-and-columns tbody tr')];
  return {
    width: window.innerWidth, height: window.innerHeight, scrollWidth: doc.scrollWidth,
    headline: box(document.querySelector('a.warta-headline')),
    h1: box(document.querySelector('article.warta-article h1')),
    h1text: (document.querySelector('article.warta-article h1') || {}).textContent || null,
    rows: rows.length,
    rowLinks: rows.map(tr => { const a = tr.querySelector('a.warta-headline');
                               return a ? new URL(a.href).pathname : null; }),
    firstCellIsHeadline: rows.every(tr => !!tr.querySelector('td:first-child a.warta-headline')),
    overflowing: [...document.querySelectorAll('body *')].filter(el => {
        const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
        return r.width > 0 && r.right > window.innerWidth + 1 && s.position !== 'absolute'
               && !el.closest('.table-wrapper[style*="overflow"]');
      }).slice(0, 5).map(el => el.tagName + '.' + el.className),
  };
})()"""


def measure(browser: Browser, url: str, size: str, shots: Path, name: str) -> dict:
    width, height = WIDTHS[size]
    browser.load(url, width, height)
    browser.screenshot(shots / f"{name}-{width}.png")
    return browser.evaluate(MEASURE)


def _in_first_screen(box: dict | None, page: dict) -> bool:
    return box is not None and 0 <= box["top"] and box["bottom"] <= page["height"] and box["right"] <= page["width"]


@pytest.mark.parametrize("size", WIDTHS)
def test_articles_list(browser: Browser, server: str, shots: Path, size: str) -> None:
    page = measure(browser, f"{server}/berita/articles", size, shots, "articles")
    assert page["rows"] == 40
    assert _in_first_screen(page["headline"], page), page
    assert page["firstCellIsHeadline"]
    assert all(link and link.startswith("/berita/articles/") and link.split("/")[-1].isdigit()
               for link in page["rowLinks"]), page["rowLinks"]
    if size == "phone":
        assert page["scrollWidth"] <= page["width"], page["overflowing"]


@pytest.mark.parametrize("size", WIDTHS)
def test_article_page(browser: Browser, server: str, shots: Path, size: str) -> None:
    page = measure(browser, f"{server}/berita/articles/40", size, shots, "article")
    assert page["h1text"] == LONG_TITLE
    assert _in_first_screen(page["h1"], page), page
    if size == "phone":
        assert page["scrollWidth"] <= page["width"], page["overflowing"]


@pytest.mark.parametrize("size", WIDTHS)
def test_search_result(browser: Browser, server: str, shots: Path, size: str) -> None:
    page = measure(browser, f"{server}/berita/articles?_search=meteor", size, shots, "search")
    assert page["rows"] == 1 and page["rowLinks"] == ["/berita/articles/40"]
    assert _in_first_screen(page["headline"], page), page
    if size == "phone":
        assert page["scrollWidth"] <= page["width"], page["overflowing"]


@pytest.mark.parametrize("size", WIDTHS)
def test_latest_articles_query(browser: Browser, server: str, shots: Path, size: str) -> None:
    page = measure(browser, f"{server}/berita/latest_articles", size, shots, "latest")
    assert page["rows"] == 40 and page["rowLinks"][0] == "/berita/articles/40"
    assert all(page["rowLinks"])
    assert _in_first_screen(page["headline"], page), page
    if size == "phone":
        assert page["scrollWidth"] <= page["width"], page["overflowing"]
