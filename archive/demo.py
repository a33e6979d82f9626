"""The offline demo: a small Kompas-like site served on 127.0.0.1 and crawled by the real spider.

:class:`MirrorServer` serves a *mirror tree*: ``GET /<host>/<path>?<query>`` answers with the page that
``https://<host>/<path>?<query>`` would give. Pages come from ``routes.json`` (URL -> file, query
aware: ``?page=all`` and ``?page=2`` are distinct pages) or, for URLs without a query, from the host
folder (``<tree>/<host>/<path>``, ``index.html`` for a folder). Anything else is a 404. The crawl
reaches it through ``--root`` (see scraper.middlewares), so the archive holds the real URLs.
The tests' fault-injecting server (tests/httpserver.py) builds on this one.
"""

from __future__ import annotations

import json
import mimetypes
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

if TYPE_CHECKING:
    from archive.runner import Outcome

DEMO_SITE = Path(__file__).resolve().parent / "demo_site"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".gz": "application/x-gzip",
}


def route_key(url: str) -> str:
    """Host, path and the *sorted* query of a URL: the key of a route (scheme and order ignored)."""
    parts = urlsplit(url)
    query = "&".join(f"{k}={v}" for k, v in sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return f"{(parts.hostname or '').lower()}{parts.path or '/'}" + (f"?{query}" if query else "")


def load_routes(tree: Path) -> dict[str, Path]:
    """``routes.json`` of a tree ({url: file relative to the tree}) keyed by :func:`route_key`."""
    path = tree / "routes.json"
    if not path.exists():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {route_key(url): tree / rel for url, rel in raw.items() if not url.startswith("_")}


@dataclass
class Hit:
    """One request the server answered (for tests: what was fetched, and how it ended)."""

    key: str  # route key: host/path?sorted-query
    status: int


@dataclass
class MirrorSite:
    """What a mirror server serves: a host-folder tree, explicit routes, a robots.txt for any host."""

    tree: Path | None = None
    routes: dict[str, Path] = field(default_factory=dict)
    default_robots: Path | None = None

    def resolve(self, host: str, path: str, query: str) -> Path | None:
        """The file for ``https://host/path?query``, or None (404)."""
        key = route_key(f"https://{host}{path}" + (f"?{query}" if query else ""))
        if key in self.routes:
            return self.routes[key]
        if not query and self.tree is not None:
            candidate = (self.tree / host / path.lstrip("/")).resolve()
            if self.tree.resolve() in candidate.parents:  # never serve outside the tree
                if candidate.is_dir():
                    candidate = candidate / "index.html"
                if candidate.is_file():
                    return candidate
        if path == "/robots.txt" and self.default_robots is not None:
            return self.default_robots
        return None


class MirrorHandler(BaseHTTPRequestHandler):
    """Answers ``/<host>/<path>?<query>`` from the server's :class:`MirrorSite`."""

    server: MirrorServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        host, path, query = self.split_target()
        self.serve(host, path, query)

    def split_target(self) -> tuple[str, str, str]:
        parts = urlsplit(self.path)
        host, _, rest = parts.path.lstrip("/").partition("/")
        return host.lower(), "/" + rest, parts.query

    def serve(self, host: str, path: str, query: str) -> None:
        file = self.server.site.resolve(host, path, query)
        if file is None:
            self.send_body(404, b"not found\n", "text/plain; charset=utf-8", host, path, query)
            return
        ctype = CONTENT_TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "text/html; charset=utf-8"
        self.send_body(200, file.read_bytes(), ctype, host, path, query)

    def send_body(self, status: int, body: bytes, ctype: str, host: str, path: str, query: str) -> None:
        self.server.record(Hit(route_key(f"https://{host}{path}" + (f"?{query}" if query else "")), status))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's signature
        """Quiet: the hits are recorded on the server instead."""


class MirrorServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer on 127.0.0.1 (port 0 = a free port) serving a :class:`MirrorSite`."""

    daemon_threads = True
    # socketserver's default listen backlog is 5: a crawl with 32 requests in flight on a busy machine
    # then gets connections refused, which burn its retries before a request reaches the site.
    request_queue_size = 128

    def __init__(self, site: MirrorSite, port: int = 0, handler: type[MirrorHandler] = MirrorHandler) -> None:
        super().__init__(("127.0.0.1", port), handler)
        self.site = site
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def root(self) -> str:
        """The ``--root`` URL that points a crawl at this server."""
        return f"http://127.0.0.1:{self.server_address[1]}"

    def record(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def requested(self) -> list[str]:
        """Route keys of every request so far, in order."""
        with self._lock:
            return [h.key for h in self.hits]

    def start(self) -> MirrorServer:
        self._thread = threading.Thread(target=self.serve_forever, name="mirror-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> MirrorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


#: The day the demo site's daily index covers.
DEMO_DAY = "2024-11-14"


#: The outlets of the demo beside Kompas: their pages are the project's fixtures (demo_site/README.md).
OTHER_SITES = ["detik", "tribunnews", "antaranews", "tempo"]
#: The outlet whose sitemap and feed answer an anti-bot challenge page: its crawl is the demo's failed run.
FAILING_SITE = "suara"
#: The Kompas article that is edited between the demo's two Kompas crawls, and its edited page.
EDITED_URL = (
    "https://www.kompas.com/tren/read/2024/11/14/091500365/"
    "hujan-meteor-leonid-capai-puncak-17-18-november-2024-ini-waktu-terbaik-untuk"
)
EDITED_PAGE = DEMO_SITE / "pages" / "updated-article-v2.html"


def demo_site(edited: bool = False) -> MirrorSite:
    """The demo tree: host folders, routes.json, and www.kompas.com's robots.txt for every other host.

    ``edited``: the Tren article as the publisher edited it later (a new headline and update time).
    """
    routes = load_routes(DEMO_SITE)
    if edited:
        for url in (EDITED_URL, EDITED_URL + "?page=all"):
            routes[route_key(url)] = EDITED_PAGE
    return MirrorSite(tree=DEMO_SITE, routes=routes, default_robots=DEMO_SITE / "www.kompas.com" / "robots.txt")


def demo_server(port: int = 0, edited: bool = False) -> MirrorServer:
    """The demo site's server (not started)."""
    return MirrorServer(demo_site(edited), port=port)


@dataclass
class DemoRun:
    """One of the demo's crawls: what it shows (a heading for its summary) and how it ended."""

    title: str
    outcome: Outcome
    expect_failure: bool = False  # the demo's failed run: it must fail, and the demo goes on


def already_edited(db_path: Path) -> bool:
    """Whether the archive holds the edited Tren article already (an earlier demo ran to its end).

    Read through SQLite only, read-only: a missing file or an archive without the table is False.
    """
    import sqlite3

    if not db_path.exists():
        return False
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT version FROM articles WHERE canonical_url = ?", (EDITED_URL,)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return bool(row and row[0] >= 2)


def run_demo(db_path: Path, site_port: int = 0, full: bool = True) -> list[DemoRun]:
    """Serve the demo site and crawl it with the real spiders into ``db_path``: recorded runs of
    ``archive.runner`` (the archive's lock, a crawl_runs row each, the one verdict), as ``warta crawl``.

    1. Kompas: the sitemaps *and* the daily index, everything fetched again (``refresh``).
    With ``full`` (the default) then:
    2. four other outlets (detik, tribunnews with one story carried by two Tribun editions,
       antaranews, tempo) through their sitemaps and feeds;
    3. Kompas again after the publisher edited the Tren article: a new version, the old one kept;
    4. suara, whose sitemap and feed answer a Cloudflare challenge page: the one failed run
       (verdict "blocked", exit 4), as a real failure looks.
    A second demo into the same archive finds the site as the first one left it (the edit made):
    crawl 1 reads the edited page, crawl 3 is left out, and every article is "unchanged"; crawl 4
    fails again, as the site still blocks us. Raises ``archive.cron.CrawlExit`` when the archive
    is locked or unusable.
    """
    # Each crawl in a fresh process: Twisted's reactor cannot be started twice in one.
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    edited = already_edited(db_path)
    runs: list[DemoRun] = []
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"), max_tasks_per_child=1) as pool:

        def crawl(root: str, sites: list[str]) -> Outcome:
            result = pool.submit(_crawl, db_path, root, sites).result()
            if isinstance(result, tuple):  # a CrawlExit in the crawl's process (it does not pickle)
                from archive.cron import CrawlExit

                raise CrawlExit(*result)
            return result

        with demo_server(site_port, edited=edited) as server:
            title = "Kompas, " + ("as edited (the demo ran before)" if edited else "the morning of 14 November 2024")
            runs.append(DemoRun(title, crawl(server.root, ["kompas"])))
            if full:
                runs.append(DemoRun("detik, tribunnews (two Tribun editions), antaranews, tempo",
                                    crawl(server.root, OTHER_SITES)))
        if full:
            with demo_server(site_port, edited=True) as server:
                if not edited:
                    runs.append(DemoRun("Kompas again, after the publisher edited the Tren article",
                                        crawl(server.root, ["kompas"])))
                runs.append(DemoRun("suara, whose sitemap and feed answer a challenge page (the failed run)",
                                    crawl(server.root, [FAILING_SITE]), expect_failure=True))
    return runs


def _crawl(db_path: Path, root: str, sites: list[str]) -> Outcome | tuple[str, int]:
    """One recorded demo crawl of ``sites`` from the demo server at ``root`` (run in its own process);
    a CrawlExit comes back as its (message, exit code)."""
    from datetime import date

    from archive.cron import CrawlExit, RunOptions
    from archive.runner import CrawlJob, run

    if sites == ["kompas"]:  # the sitemaps and the daily index of the demo day
        job = CrawlJob(sites=sites, root=root, day=date.fromisoformat(DEMO_DAY), refresh=True, fast=True,
                       spider_args={"sitemaps": "1"})
    else:
        job = CrawlJob(sites=sites, root=root, refresh=True, fast=True)
    # Scrapy's WARNING lines on stderr, as a fast crawl prints them; no progress line.
    options = RunOptions(quiet=False, progress=False)
    try:
        return run(db_path, job, options, what="warta demo", record_args={"demo": True, "root": root})
    except CrawlExit as exc:
        return (str(exc), exc.exit_code)


def serve_site(port: int) -> None:
    """Serve the demo site alone on 127.0.0.1:``port`` until interrupted (for ``--root`` examples)."""
    with demo_server(port, edited=True) as server:
        print(f"Demo news site at {server.root} (use --root {server.root}); Ctrl+C to stop", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
