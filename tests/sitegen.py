"""A generated Kompas-like site for the cron, kill, reader and fault tests: N distinct articles.

Each article is a small page in Kompas's current markup (JSON-LD NewsArticle, ``h1.read__title``,
``div.read__content``) with its own body, so the archive's same-body dedupe never merges two of
them. ``www.kompas.com/sitemap.xml`` (the site's declared sitemap) lists them all, optionally
with a ``<lastmod>``. Served by tests.httpserver.FaultServer, so faults can be injected per URL.
"""

from __future__ import annotations

import html
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any, Callable

from archive.demo import MirrorSite, route_key
from tests.httpserver import FaultServer

SITEMAP_URL = "https://www.kompas.com/sitemap.xml"
ROBOTS = "User-agent: *\nDisallow: /search/\n{extra}\nSitemap: https://www.kompas.com/sitemap.xml\n"


def article_url(i: int) -> str:
    """The canonical URL of generated article ``i``."""
    return f"https://www.kompas.com/tren/read/2024/11/14/{100000000 + i}/artikel-uji-nomor-{i}"


def article_key(i: int) -> str:
    """The server's route key of article ``i`` in its show-all form (what the spider requests)."""
    return route_key(article_url(i) + "?page=all")


def paragraphs_of(i: int) -> list[str]:
    return [
        f"Paragraf {j} dari artikel nomor {i}: warga desa {i} membangun jembatan baru bersama relawan, "
        f"pemerintah daerah, dan mahasiswa setempat selama {j + 2} pekan."
        for j in range(4)
    ]


def article_html(i: int, paragraphs: list[str] | None = None, title: str | None = None) -> str:
    """A page of article ``i``; ``paragraphs`` are text (escaped here), so markup in them stays text."""
    url = article_url(i)
    title = title or f"Artikel uji nomor {i}"
    body = "".join(f"<p>{html.escape(p)}</p>" for p in (paragraphs or paragraphs_of(i)))
    return f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8">
<title>{html.escape(title)} - Kompas.com</title>
<link rel="canonical" href="{url}">
<meta property="og:title" content="{html.escape(title)}">
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "{html.escape(title)}", "datePublished": "2024-11-14T10:{i % 60:02d}:00+07:00",
 "author": {{"@type": "Person", "name": "Penulis Uji"}}}}</script>
</head><body>
<h1 class="read__title">{html.escape(title)}</h1>
<div class="read__content"><div class="clearfix">{body}</div></div>
</body></html>
"""


def sitemap_xml(urls: list[str], lastmod: str | None = None) -> str:
    entries = "".join(
        f"<url><loc>{html.escape(u)}</loc>" + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>"
        for u in urls
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    )


def write_site(
    folder: Path,
    n: int,
    *,
    lastmod: str | None = None,
    robots_extra: str = "",
    pages: dict[str, bytes | str] | None = None,
) -> tuple[dict[str, Path], Path]:
    """Write ``n`` articles (plus ``pages``: URL -> body, listed in the sitemap too) into ``folder``.

    Returns the routes (route key -> file) and the robots.txt path.
    """
    folder.mkdir(parents=True, exist_ok=True)
    routes: dict[str, Path] = {}
    urls = []
    for i in range(n):
        file = folder / f"article-{i}.html"
        file.write_text(article_html(i), encoding="utf-8")
        routes[article_key(i)] = file
        urls.append(article_url(i))
    for k, (url, body) in enumerate((pages or {}).items()):
        file = folder / f"page-{k}.html"
        file.write_bytes(body.encode("utf-8") if isinstance(body, str) else body)
        routes[route_key(url + ("&" if "?" in url else "?") + "page=all")] = file
        urls.append(url)
    sitemap = folder / "sitemap.xml"
    sitemap.write_text(sitemap_xml(urls, lastmod), encoding="utf-8")
    routes[route_key(SITEMAP_URL)] = sitemap
    robots = folder / "robots.txt"
    robots.write_text(ROBOTS.format(extra=robots_extra), encoding="utf-8")
    return routes, robots


def site_server(routes: dict[str, Path], robots: Path) -> FaultServer:
    """A (not started) fault server for a generated site."""
    return FaultServer(MirrorSite(routes=routes, default_robots=robots))


REPO = Path(__file__).resolve().parents[1]


def warta_command() -> list[str]:
    """The real ``warta`` console script of this venv (or the module, when the script is missing)."""
    import sys

    script = Path(sys.executable).with_name("warta")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from archive.cli import cli; cli()"]


def crawl_args(server: FaultServer, db: Path, *extra: str) -> list[str]:
    """``warta crawl kompas`` against ``server`` into ``db``, politeness off."""
    return [*warta_command(), "crawl", "kompas", "--root", server.root, "--db", str(db), "--fast", *extra]


def crawl_env() -> dict[str, str]:
    """The environment of a crawl subprocess: tests/ importable (for test-only pipelines)."""
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


# ---------------------------------------------------------------- running crawls and reading archives


def run(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run a command to its end (bounded), output captured as text."""
    return subprocess.run(args, capture_output=True, text=True, timeout=120, env=crawl_env(), **kwargs)


def run_together(*commands: list[str]) -> list[subprocess.CompletedProcess[str]]:
    """Run independent crawls side by side (each on its own archive): the file stays fast."""
    procs = [
        subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=crawl_env())
        for c in commands
    ]
    done = []
    for cmd, proc in zip(commands, procs):
        out, err = proc.communicate(timeout=120)
        done.append(subprocess.CompletedProcess(cmd, proc.returncode, out, err))
    return done


def rows(db: Path, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def runs(db: Path) -> list[dict]:
    """The crawl_runs rows ([] while the archive is still being created)."""
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in conn.execute("SELECT * FROM crawl_runs ORDER BY id")]
        except sqlite3.OperationalError:
            return []


def wait_for(predicate: Callable[[], Any], timeout: float = 60.0) -> None:
    """Poll until ``predicate()`` is true (a bound on a hang, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.05)


def article_count(db: Path) -> int:
    try:
        return rows(db, "SELECT count(*) FROM articles")[0][0]
    except sqlite3.OperationalError:  # not created yet
        return 0
