"""The ``warta`` command: every subcommand, with the options they share (sqlite-utils's cli.py is
the model). The library does the work (``archive.runner``, ``archive.db``, ``archive.export``...);
this module turns options into calls and errors into one-line messages with an exit status.
Nothing imports it but the console entry point (``warta = "archive.cli:cli"``).
"""

from __future__ import annotations

import functools
import json
import os
import re
import socket
import sqlite3
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

import click
import sqlite_utils

from archive.crawling import DEFAULT_DB
from archive.cron import EXIT_OK, EXIT_USAGE, CrawlExit, RunOptions, close_finished_jobdir
from archive.db import ArchiveError, _is_damage, check_archive, damaged_message, open_archive
from archive.export import EXPORT_COLUMNS, ExportError, UnknownSite, check_sites, count_matching, export_csv
from archive.stories import largest_stories, regroup_stories, unfingerprinted
from scraper.model import NotAnArticle


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="warta")
def cli() -> None:
    """Warta: a deduplicated, searchable archive of Indonesian online news.

    Crawl news sites with Scrapy, clean each article, store it once in SQLite, browse it with
    Datasette and export CSV.
    """


# --------------------------------------------------------------------------------------------
# Shared options
# --------------------------------------------------------------------------------------------


def db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """The ``--db PATH`` option every archive command shares."""

    @click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=DEFAULT_DB,
        show_default=True,
        envvar="WARTA_DB",
        help="SQLite archive file (env WARTA_DB).",
    )
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except sqlite3.DatabaseError as exc:
            # Damage found past the opening (a page that does not read): one line, not a traceback.
            detail = " ".join(str(exc).split()) or type(exc).__name__
            path = str(kwargs.get("db_path"))
            if _is_damage(exc):
                raise UsageProblem(damaged_message(path, detail)) from None
            raise failure(f"archive {path}: {detail}", 1) from None

    return wrapper


def json_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The ``--json`` flag of the commands that print figures (``as_json``)."""
    return click.option("--json", "as_json", is_flag=True, help=help_text)


# --------------------------------------------------------------------------------------------
# warta extract
# --------------------------------------------------------------------------------------------

_ARTICLE_ITEMTYPE = re.compile(r"(?:News|Blog|Report)?Article|BlogPosting|ReportageNewsArticle", re.I)


def page_url(html: bytes) -> str | None:
    """The URL a saved page names for itself.

    ``link rel=canonical``, ``og:url`` and ``twitter:url`` first; pages without them (Antara 2015)
    still say it in microdata (``itemprop=url`` of the article's itemscope) or a ``rel=shortlink``.
    """
    from scraper.extract import parse_tree
    from scraper.metadata import read_metadata

    try:
        tree = parse_tree(html)
    except NotAnArticle:
        return None
    meta = read_metadata(tree)
    found = meta.links.get("canonical") or meta.get("og:url", "twitter:url") or _microdata_url(tree)
    if found:
        return found
    shortlink = tree.xpath("//link[contains(concat(' ', normalize-space(@rel), ' '), ' shortlink ')]/@href")
    return shortlink[0].strip() if shortlink and shortlink[0].strip().startswith("http") else None


def _microdata_url(tree: Any) -> str | None:
    """The ``itemprop=url`` of the page's article itemscope (not of the teasers' WebPage scopes)."""
    for el in tree.xpath("//*[@itemprop][@href or @content]"):
        if "url" not in el.get("itemprop", "").split():
            continue
        scope = next((a for a in el.iterancestors() if a.get("itemscope") is not None), None)
        value = (el.get("href") or el.get("content") or "").strip()
        if scope is not None and _ARTICLE_ITEMTYPE.search(scope.get("itemtype") or "") and value.startswith("http"):
            return value
    return None


def extract_file(name: str, html: bytes, url: str | None) -> dict[str, Any]:
    """One output record: the article's fields, or the reason the page was skipped."""
    from scraper.extract import extract_article

    url = url or page_url(html) or f"file:///{name}"
    try:
        article = extract_article(url, html)
    except NotAnArticle as exc:
        record: dict[str, Any] = {"file": name, "url": url, "skipped": exc.reason}
        if exc.detail:
            record["detail"] = exc.detail
        return record
    return {"file": name, **article.to_dict()}


def _read(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    return Path(name).read_bytes()


@cli.command()
@click.option("--url", help="URL the pages were fetched from (default: each page's canonical or og:url).")
@click.argument("files", nargs=-1, required=True)
def extract(url: str | None, files: tuple[str, ...]) -> None:
    """Extract articles from saved HTML pages, one JSON object per file.

    Prints JSON Lines (UTF-8) in the order of FILES: the article fields (title, authors,
    published, paragraphs, related "Baca juga" links, ...), or {"file": ..., "skipped":
    "<reason>"} for a page that is not an article. Use "-" to read a page from stdin.

    \b
    Example:
      warta extract ../shared/fixtures/kompas/seed-article.html
      curl -s https://www.kompas.com/... | warta extract --url https://www.kompas.com/... -
      warta extract page.html | jq -r .body
    """
    missing = [f for f in files if f != "-" and not Path(f).is_file()]
    if missing:
        raise click.ClickException(f"no such file: {missing[0]}")
    if files.count("-") > 1:
        raise click.ClickException("stdin (-) can be read only once")
    for name in files:
        try:
            html = _read(name)
        except OSError as exc:
            raise click.ClickException(f"cannot read {name}: {exc.strerror or exc}") from None
        record = extract_file(name, html, url)
        # Bytes, so the output is UTF-8 whatever the locale of a cron job or pipe says.
        click.echo(json.dumps(record, ensure_ascii=False).encode("utf-8"))


# --------------------------------------------------------------------------------------------
# warta serve, export, stats
# --------------------------------------------------------------------------------------------

DAY = click.DateTime(formats=["%Y-%m-%d"])


def open_existing(db_path: Path) -> sqlite_utils.Database:
    """Open an archive that must already exist (reading commands never create one)."""
    if not db_path.is_file():
        raise click.ClickException(f"no archive at {db_path}: run `warta crawl` or `warta demo` first, or pass --db")
    try:
        return open_archive(db_path, create=False)
    except ArchiveError as exc:
        raise UsageProblem(str(exc)) from None


def _progress_printer(label: str, total: Callable[[], int] | None = None) -> Callable[[int], None] | None:
    """A '\\r'-updating counter (rate, and ETA when the total is known) on a terminal; None
    under cron (stderr not a tty), so logs stay quiet."""
    if not sys.stderr.isatty():
        return None
    expected = total() if total else None
    start = time.monotonic()

    def show(count: int) -> None:
        elapsed = max(time.monotonic() - start, 1e-6)
        rate = count / elapsed
        line = f"\r{label}: {count:,}"
        if expected:
            eta = (expected - count) / rate if rate else 0
            line += f"/{expected:,} rows ({100 * count / expected:.0f}%), {rate:,.0f} rows/s, ETA {eta:,.0f} s  "
        else:
            line += f" rows, {rate:,.0f} rows/s  "
        click.echo(line, err=True, nl=False)

    return show


def check_port(host: str, port: int) -> None:
    """A one-line usage error, before "Serving", when ``host:port`` cannot be listened on."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        family, _, _, _, address = infos[0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
            probe.bind(address)
    except OSError as exc:
        reason = "in use" if getattr(exc, "errno", None) == 98 else (exc.strerror or str(exc))
        raise UsageProblem(f"cannot serve on {host} port {port}: {reason}; choose another --port") from None


@cli.command(context_settings={"ignore_unknown_options": True})
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(1, 65535), help="Port.")
@click.option("--open", "open_browser", is_flag=True, help="Open the archive in a web browser.")
@click.option(
    "--public", is_flag=True, help="For a server others can reach: no arbitrary SQL, tighter time and size limits."
)
@click.argument("datasette_args", nargs=-1, type=click.UNPROCESSED, metavar="[-- DATASETTE OPTIONS...]")
def serve(
    db_path: Path, host: str, port: int, open_browser: bool, public: bool, datasette_args: tuple[str, ...]
) -> None:
    """Browse and search the archive with Datasette.

    Serves the archive read-write (not immutable), so it can be browsed while a crawl adds to it.
    Facets by site, section, day, tag and author; full-text search; canned queries for the latest
    articles, articles per day and site, the most-linked related articles and crawl runs.

    Runs Datasette's own `datasette serve` with Warta's settings: any option of it can follow
    `--` (`--setting NAME VALUE`, `--cors`, `--metadata FILE`, `--get PATH`...). With --public,
    its limits win over a pass-through `--setting`.

    On a --host other than this machine (127.0.0.1, ::1, localhost) anyone who can reach it may
    run arbitrary SQL: it warns, and --public turns SQL off.

    \b
    Examples:
        warta serve --db archive.db --port 8001
        warta serve --host 0.0.0.0 --public
        warta serve -- --setting sql_time_limit_ms 10000 --cors
    """
    from archive.serve import serve as run_server

    db = open_existing(db_path)  # a missing or broken archive is a one-line error, not a server
    try:
        check_archive(db, db_path)  # damaged pages: one line now, not a 500 on every page later
    except ArchiveError as exc:
        raise UsageProblem(str(exc)) from None
    finally:
        db.close()
    check_port(host, port)
    try:
        if not any(a == "--get" or a.startswith("--get=") for a in datasette_args):
            click.echo(f"Serving {db_path} at http://{host}:{port}/ (Ctrl+C to stop)", err=True)
        run_server(db_path, host=host, port=port, open_browser=open_browser, public=public,
                   datasette_args=datasette_args)
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None


@cli.command()
@db_option
@click.option("--site", "sites", multiple=True, help="Only this site (repeat for several).")
@click.option("--since", type=DAY, help="Published on or after this day (YYYY-MM-DD).")
@click.option("--until", type=DAY, help="Published on or before this day (YYYY-MM-DD).")
@click.option("--search", help='Full-text query: words, "a phrase", prefix*, OR, NOT.')
@click.option(
    "--columns",
    help=f"Comma-separated columns (default: most article columns). Any of: {', '.join(EXPORT_COLUMNS)}.",
)
@click.option("--excel", is_flag=True, help="UTF-8 with a BOM and CRLF line ends, for Microsoft Excel.")
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    type=click.Path(dir_okay=False, allow_dash=True, path_type=str),
    help="CSV file to write, or - for standard output.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["csv", "jsonl", "parquet", "warc"]),
    default="csv",
    show_default=True,
    help="csv: the articles; jsonl: one JSON object per article (lists as arrays); parquet: a Parquet file "
    "(needs -o and pyarrow: pip install 'warta[parquet]'); warc: their captures (the pages as served) in one "
    ".warc.gz for pywb or warta import.",
)
def export(
    db_path: Path,
    sites: tuple[str, ...],
    since: datetime | None,
    until: datetime | None,
    search: str | None,
    columns: str | None,
    excel: bool,
    output: str,
    output_format: str,
) -> None:
    """Export articles as CSV (UTF-8), JSON Lines or Parquet, streamed in constant memory.

    Rows come in publication order. Lists (authors, editors, tags, related_urls) are joined
    with "; ". The body keeps its paragraph breaks inside the quoted cell. A file is written
    under a temporary name and renamed when complete, so a failed export never leaves half a file.

    \b
    Examples:
        warta export --site kompas --since 2024-11-01 --until 2024-11-30 -o november.csv
        warta export --search 'banjir AND jakarta' --excel -o banjir.csv
        warta export | head
        warta export --format warc --site kompas --since 2024-11-01 -o kompas-november.warc.gz
        warta export --format jsonl --search banjir | jq .title
        warta export --format parquet -o archive.parquet
    """
    if excel and output_format != "csv":
        raise UsageProblem(f"--excel is for CSV, not --format {output_format}")
    if output_format == "parquet" and output == "-":
        raise UsageProblem("--format parquet writes a file: give -o FILE.parquet")
    if output_format == "warc":
        if columns or excel:
            raise UsageProblem("--columns and --excel are for CSV, not --format warc")
        _export_warc(db_path, sites, since, until, search, output)
        return
    column_list = [c.strip() for c in columns.split(",") if c.strip()] if columns else None
    db = open_existing(db_path)
    options: dict[str, Any] = {
        "site": list(sites) or None,
        "since": since.date() if since else None,
        "until": until.date() if until else None,
        "search": search,
        "columns": column_list,
    }
    if output_format == "csv":
        options["excel"] = excel
    filters = {k: options[k] for k in ("site", "since", "until", "search")}
    try:
        check_sites(db, list(sites))
    except UnknownSite as exc:
        raise UsageProblem(str(exc)) from None
    try:
        options["progress"] = (
            _progress_printer("exported", lambda: count_matching(db, **filters)) if output != "-" else None
        )
        if output == "-":
            count = _export_to_stdout(db, options, output_format)
        else:
            count = _export_to_file(db, Path(output), options, output_format)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    if output != "-":
        if options["progress"]:
            click.echo("", err=True)
        click.echo(f"{count:,} articles written to {output}", err=True)


def _export_warc(
    db_path: Path,
    sites: tuple[str, ...],
    since: datetime | None,
    until: datetime | None,
    search: str | None,
    output: str,
) -> None:
    """``warta export --format warc``: to a file (written as .part, then renamed) or stdout."""
    from archive.captures import warc_root
    from archive.warc_export import export_warc

    db = open_existing(db_path)
    filters: dict[str, Any] = {
        "site": list(sites) or None,
        "since": since.date() if since else None,
        "until": until.date() if until else None,
        "search": search,
    }
    root = warc_root(db_path)
    try:
        if output == "-":
            if sys.stdout.isatty():
                raise UsageProblem("a WARC is binary: give -o FILE.warc.gz or redirect standard output")
            articles, records = export_warc(db, root, sys.stdout.buffer, **filters)
        else:
            path = Path(output)
            if not path.parent.is_dir():
                raise click.ClickException(f"cannot write {path}: directory {path.parent} does not exist")
            part = path.with_name(path.name + ".part")
            try:
                with part.open("wb") as out:
                    progress = _progress_printer("articles")
                    articles, records = export_warc(db, root, out, filename=path.name, progress=progress, **filters)
                os.replace(part, path)
            finally:
                if part.exists():
                    part.unlink()
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"cannot export captures: {exc.strerror or exc}") from None
    if output != "-":
        click.echo(f"{records:,} responses of {articles:,} articles written to {output}", err=True)


def _export_to_file(db: sqlite_utils.Database, path: Path, options: dict[str, Any], output_format: str = "csv") -> int:
    """Write to PATH.part and rename on success: an existing export is replaced only by a whole one."""
    from archive.export import export_parquet

    if not path.parent.is_dir():
        raise click.ClickException(f"cannot write {path}: directory {path.parent} does not exist")
    part = path.with_name(path.name + ".part")
    try:
        if output_format == "parquet":
            count = export_parquet(db, str(part), **options)
        else:
            with part.open("wb") as out:
                count = _export_text(db, out, options, output_format)
        os.replace(part, path)
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if part.exists():
            part.unlink()
    return count


def _export_text(db: sqlite_utils.Database, out: BinaryIO, options: dict[str, Any], output_format: str) -> int:
    """CSV or JSON Lines of the selected articles into the binary stream ``out`` (UTF-8)."""
    from archive.export import export_jsonl

    # Binary: the bytes SQLite returns are written as they are (no decode, no encode).
    if output_format == "jsonl":
        return export_jsonl(db, out, **options)
    return export_csv(db, out, **options)


def _export_to_stdout(db: sqlite_utils.Database, options: dict[str, Any], output_format: str = "csv") -> int:
    sys.stdout.flush()
    binary = sys.stdout.buffer  # not click.get_binary_stream: deprecated in Click 8.5
    try:
        count = _export_text(db, binary, options, output_format)
        binary.flush()
    except BrokenPipeError:  # `warta export | head`: the reader has had enough, not an error
        # Point stdout at /dev/null so the interpreter's final flush does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, binary.fileno())
        raise SystemExit(0) from None
    return count


@cli.command()
@db_option
@json_option("Print the figures as JSON.")
@click.option("--days", default=7, show_default=True, type=click.IntRange(1, 3660), help="Days per site shown.")
def stats(db_path: Path, as_json: bool, days: int) -> None:
    """Counts per site and per day, aliases, versions and the last crawl runs.

    \b
    Example:
        warta stats --db archive.db --days 14
    """
    db = open_existing(db_path)
    figures = archive_stats(db, days=days)
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    totals = figures["totals"]
    click.echo(
        f"{totals['articles']:,} articles, {totals['aliases']:,} aliases, {totals['versions']:,} earlier versions, "
        f"{totals['related']:,} related links, {totals['crawl_runs']:,} crawl runs"
    )
    for site in figures["sites"]:
        span = f"{site['first_day'] or '-'} .. {site['last_day'] or '-'}"
        click.echo(f"  {site['site']:<20} {site['articles']:>9,}  {span}")
    if figures["days"]:
        click.echo(f"Last {days} days with articles:")
        for row in figures["days"]:
            click.echo(f"  {row['day']}  {row['site']:<20} {row['articles']:>7,}")
    if figures["runs"]:
        click.echo("Last crawl runs:")
        for run in figures["runs"]:
            click.echo(
                f"  #{run['id']} {run['started']} {run['status']:<11} {run['finish_reason'] or '-':<12} "
                f"new {run['articles_new']}, updated {run['updated']}, unchanged {run['unchanged']}, "
                f"skipped {run['skipped']}, errors {run['errors']}"
            )


def archive_stats(db: sqlite_utils.Database, days: int = 7) -> dict[str, Any]:
    """The figures ``warta stats`` prints (cheap: counts served by indexes)."""
    totals = {
        name: db.execute(f"SELECT count(*) FROM [{name}]").fetchone()[0]
        for name in ("articles", "aliases", "versions", "related", "crawl_runs")
    }
    sites = list(
        db.query(
            "SELECT site, count(*) AS articles, min(day) AS first_day, max(day) AS last_day "
            "FROM articles GROUP BY site ORDER BY articles DESC"
        )
    )
    recent_days = [r[0] for r in db.execute(
        "SELECT DISTINCT day FROM articles WHERE day IS NOT NULL ORDER BY day DESC LIMIT ?", (days,)
    )]
    per_day = (
        list(
            db.query(
                "SELECT day, site, count(*) AS articles FROM articles WHERE day >= ? "
                "GROUP BY day, site ORDER BY day DESC, site",
                [min(recent_days)],
            )
        )
        if recent_days
        else []
    )
    runs = list(
        db.query(
            "SELECT id, started, finished, status, finish_reason, articles_new, updated, unchanged, "
            "aliases, skipped, errors, exit_code FROM crawl_runs ORDER BY id DESC LIMIT 5"
        )
    )
    return {"totals": totals, "sites": sites, "days": per_day, "runs": runs}


# --------------------------------------------------------------------------------------------
# warta crawl
# --------------------------------------------------------------------------------------------

#: Exit codes (documented in the README; the full table is archive.cron.EXIT_CODES): 0 the crawl
#: finished cleanly, 1 it failed, 2 usage error, 3 another run holds the lock, 4 a site is not ok,
#: 130/143 interrupted.


class UsageProblem(click.ClickException):
    """A one-line user error (unknown site, bad date), exit status 2 like click's usage errors."""

    exit_code = EXIT_USAGE


def failure(message: str, exit_code: int) -> click.ClickException:
    """A one-line error (no traceback) that exits with ``exit_code``."""
    error = click.ClickException(message)
    error.exit_code = exit_code  # type: ignore[misc]  # click declares it per class; ours vary per run
    return error


def crawl_error(exc: CrawlExit) -> click.ClickException:
    """A run that could not start or did not finish, as a one-line error with its exit code."""
    return failure(str(exc), exc.exit_code)


def parse_date_option(value: str | None, name: str) -> date | None:
    """``--date``-style options: YYYY-MM-DD or a one-line usage error."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageProblem(f"{name} must be a date like 2024-11-14, got {value!r}") from None


def check_url(url: str) -> str:
    """A ``--url`` must name a site: http(s) and a host."""
    from urllib.parse import urlsplit

    full = url if "://" in url else f"https://{url}"
    parts = urlsplit(full)
    if parts.scheme not in ("http", "https") or not parts.hostname or "." not in parts.hostname:
        raise UsageProblem(f"--url must be a site address like https://example.com, got {url!r}")
    return full


def check_root(ctx: click.Context | None, param: click.Parameter | None, value: str | None) -> str | None:
    """``--root``: ``http(s)://host[:port]`` with no path beyond ``/`` (a mirror's origin), checked at parse time."""
    if value is None:
        return None
    from urllib.parse import urlsplit

    problem = None
    try:
        parts = urlsplit(value)
        port = parts.port  # raises ValueError for a bad port
    except ValueError as exc:
        problem, parts, port = str(exc), None, None
    if parts is not None and problem is None:
        if parts.scheme not in ("http", "https"):
            problem = "it needs http:// or https://"
        elif not parts.hostname or " " in parts.netloc:
            problem = "it has no valid host"
        elif parts.path not in ("", "/") or parts.query or parts.fragment:
            problem = "a mirror root has no path, query or fragment"
    if problem is not None:
        raise UsageProblem(f"--root must be like http://127.0.0.1:8000 ({problem}), got {value!r}")
    del port
    return value.rstrip("/")


#: ``--root`` of every crawling command, checked when the arguments are parsed.
root_option = click.option(
    "--root", metavar="URL", callback=check_root, help="Fetch from a local mirror (http://127.0.0.1:PORT)."
)


#: Scrapy settings read as floats though their default is an int (getfloat).
_FLOAT_SETTINGS = re.compile(r"(?:DELAY|TIMEOUT|_INTERVAL|_SECONDS|JITTER)$")


def _setting_defaults() -> dict[str, Any]:
    """Every setting name a crawl knows with its default: Scrapy's, the project's, the archive's."""
    from scrapy.settings import Settings

    from archive.crawling import ARCHIVE_SETTINGS
    from archive.runner import SETTINGS_MODULE

    settings = Settings()
    settings.setmodule(SETTINGS_MODULE, priority="project")
    known = {name: settings[name] for name in settings}
    known.update({name: default for name, (default, _) in ARCHIVE_SETTINGS.items() if name not in known})
    return known


def check_overrides(overrides: tuple[str, ...]) -> list[str]:
    """Check ``--set NAME=VALUE`` against the known settings' types; the warnings (unknown names).

    Numbers must parse (and not be negative), booleans be 1/0/true/false, dicts and lists be
    JSON; a bad one is a usage error naming it. An unknown name is a warning (it may belong to
    an extension loaded by another ``--set``), not a refusal.
    """
    defaults = _setting_defaults()
    warnings: list[str] = []
    for item in overrides:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageProblem(f"--set needs NAME=VALUE, got {item!r}")
        if name not in defaults:
            warnings.append(f"--set {name}: not a setting Scrapy or Warta knows (a typo?); passed on as given")
            continue
        default = defaults[name]
        problem = _setting_problem(name, default, value.strip())
        if problem:
            raise UsageProblem(f"--set {name}={value}: {problem}")
    return warnings


def _setting_problem(name: str, default: Any, value: str) -> str | None:
    """Why ``value`` cannot be setting ``name`` (of ``default``'s type), or None."""
    if isinstance(default, bool):
        return None if value in ("0", "1", "true", "false", "True", "False") else "needs 1/0/true/false"
    if isinstance(default, (int, float)):
        as_float = isinstance(default, float) or _FLOAT_SETTINGS.search(name)
        try:
            number = float(value) if as_float else int(value)
        except ValueError:
            return "needs a number" if as_float else "needs a whole number"
        return "cannot be negative" if number < 0 else None
    if isinstance(default, (dict, list)) or hasattr(default, "copy_to_dict"):
        if value.startswith(("{", "[")):
            try:
                json.loads(value)
            except ValueError:
                return "needs JSON (like {\"a.b.C\": 300})"
    return None


@cli.command()
@click.argument("sites", nargs=-1)
@click.option("--url", "urls", multiple=True, metavar="URL", help="Crawl a site without a profile (generic).")
@db_option
@click.option("--date", "day", metavar="YYYY-MM-DD", help="Walk the daily index of this day.")
@click.option("--since", metavar="YYYY-MM-DD", help="Walk the daily indexes from this day...")
@click.option("--until", metavar="YYYY-MM-DD", help="...to this day (default: today).")
@root_option
@click.option("--refresh", is_flag=True, help="Fetch articles the archive already holds again.")
@click.option("--full-sitemaps", is_flag=True, help="Follow every sitemap, not only the news sitemaps.")
@click.option("--fast", is_flag=True, help="Politeness off: only for local mirrors and tests.")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Override a Scrapy setting.")
@click.option(
    "--log-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Append the crawl log here (logrotate-safe); with no terminal, nothing else is printed unless it fails.",
)
@click.option("--quiet", "-q", is_flag=True, default=None, help="Print nothing unless the crawl fails.")
@click.option(
    "--max-errors",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="Errors of our own code (not fetch failures) tolerated before the run counts as failed.",
)
@click.option(
    "--jobdir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Keep the request queue here (Scrapy JOBDIR): a stopped crawl resumes where it was.",
)
@click.option(
    "--processes",
    type=click.IntRange(0, 64),
    default=0,
    show_default=True,
    help="Extract pages in N worker processes (0: in the crawl process). For fast backfills from a mirror.",
)
@click.option(
    "--no-captures",
    is_flag=True,
    help="Do not keep the fetched responses as WARC files beside the archive (kept by default).",
)
def crawl(
    sites: tuple[str, ...],
    urls: tuple[str, ...],
    db_path: Path,
    day: str | None,
    since: str | None,
    until: str | None,
    root: str | None,
    refresh: bool,
    full_sitemaps: bool,
    fast: bool,
    overrides: tuple[str, ...],
    log_file: Path | None,
    quiet: bool | None,
    max_errors: int,
    jobdir: Path | None,
    processes: int,
    no_captures: bool,
) -> None:
    """Crawl SITES (site profile names), or any site with --url, into the archive.

    Without a date: robots.txt -> sitemaps -> news sitemaps (recent articles). With --date or
    --since/--until: the site's daily index pages (backfill). Articles already archived are not
    fetched again unless --refresh, or their sitemap lastmod is newer.

    One run per archive at a time: an overlapping run (cron) exits at once with status 3.
    Every run is recorded in the crawl_runs table.

    Exit status: 0 finished cleanly; 1 the crawl failed (errors over --max-errors, a finish
    reason other than "finished", site unreachable, archive unwritable); 2 usage error; 3 another
    run holds the archive's lock; 4 a site is not ok (empty, blocked or degraded: one line per
    site says why and what to do); 130/143 stopped by SIGINT/SIGTERM (committed articles are kept).

    \b
    Example:
      warta crawl kompas --db archive.db
      warta crawl kompas --date 2024-11-14
      warta crawl kompas --since 2024-11-01 --until 2024-11-07 --log-file crawl.log
      warta crawl --url https://www.example.co.id
      */15 * * * *  warta crawl kompas --db /srv/warta/archive.db --log-file /var/log/warta/crawl.log
    """
    if not sites and not urls:
        raise UsageProblem("name a site (e.g. kompas) or give --url https://<site>")
    urls = tuple(check_url(u) for u in urls)
    if urls and (day or since or until):
        raise UsageProblem("--date/--since/--until need a site profile's daily index, not --url")
    the_day = parse_date_option(day, "--date")
    the_since = parse_date_option(since, "--since")
    the_until = parse_date_option(until, "--until")
    if the_day and (the_since or the_until):
        raise UsageProblem("give either --date or --since/--until, not both")
    if the_until and not the_since:
        raise UsageProblem("--until needs --since")
    if the_since and the_until and the_until < the_since:
        raise UsageProblem(f"--until {the_until} is before --since {the_since}")
    for warning in check_overrides(overrides):
        click.echo(f"Warning: {warning}", err=True)
    from archive.runner import CrawlJob, format_sites, format_summary, run

    if no_captures:  # first, so a later --set WARTA_CAPTURES=... still decides
        overrides = ("WARTA_CAPTURES=0", *overrides)
    job = CrawlJob(
        sites=list(sites),
        urls=list(urls),
        root=root,
        day=the_day,
        since=the_since,
        until=the_until,
        refresh=refresh,
        full_sitemaps=full_sitemaps,
        fast=fast,
        overrides=overrides,
        processes=processes,
    )
    options = RunOptions(log_file=log_file, quiet=quiet or None, max_errors=max_errors, jobdir=jobdir)
    try:
        outcome = run(db_path, job, options)
    except CrawlExit as exc:
        raise crawl_error(exc) from None
    close_finished_jobdir(jobdir, outcome.result.stats)  # the next cron run with it crawls again
    if not options.resolved_quiet():
        click.echo(format_summary(outcome.summary))
        click.echo(format_sites(outcome.verdict))
    if outcome.verdict.exit_code != EXIT_OK:
        verb = "interrupted" if outcome.verdict.status == "interrupted" else "failed"
        raise failure(f"crawl {verb}: " + "; ".join(outcome.verdict.problems), outcome.verdict.exit_code)


# --------------------------------------------------------------------------------------------
# warta demo
# --------------------------------------------------------------------------------------------

@cli.command()
@db_option
@click.option("--no-serve", is_flag=True, help="Only build the archive; do not start Datasette.")
@click.option("--port", default=8001, show_default=True, help="Port of Datasette (warta serve).")
@click.option("--site-port", default=0, help="Port of the demo news site (0: any free port; 8000 with --site-only).")
@click.option("--site-only", is_flag=True, help="Only serve the demo news site, for `warta crawl --root` examples.")
def demo(db_path: Path, no_serve: bool, port: int, site_port: int, site_only: bool) -> None:
    """Crawl the offline demo news sites with the real spiders, then serve the archive.

    The demo site (archive/demo_site) holds pages of Kompas, detik, tribunnews (one story on two
    Tribun editions), antaranews and tempo, served on 127.0.0.1. Four recorded crawls: Kompas; the
    other outlets; Kompas after the publisher edited an article (a new version, the old one kept);
    suara, whose sitemap and feed answer a challenge page (the failed run, exit 4, shown in
    failed_runs). Each prints what it fetched, stored, aliased and skipped. Run it again: the site
    is as the first demo left it, every article "unchanged", and suara fails again.

    \b
    Example:
      warta demo                 # crawl into archive.db, then open http://127.0.0.1:8001
      warta demo --no-serve --db /tmp/demo.db
      warta demo --site-only     # only the demo site on 127.0.0.1:8000, for --root examples
    """
    from archive.cron import EXIT_FAILED
    from archive.demo import run_demo
    from archive.runner import format_summary

    if site_only:
        from archive.demo import serve_site

        serve_site(site_port or 8000)
        return
    click.echo(f"Crawling the demo site into {db_path} ...")
    try:
        runs = run_demo(db_path, site_port=site_port)
    except CrawlExit as exc:
        raise crawl_error(exc) from None
    for number, demo_run in enumerate(runs, 1):
        verdict = demo_run.outcome.verdict
        click.echo(f"\n{number}. {demo_run.title}: crawl {verdict.status} (exit {verdict.exit_code})")
        click.echo(format_summary(demo_run.outcome.summary))
        if demo_run.expect_failure:
            if verdict.exit_code == EXIT_OK:
                raise failure("the demo's failed run did not fail", EXIT_FAILED)
            click.echo("   the demo's failed run (see the failed_runs query): " + "; ".join(verdict.problems))
        elif verdict.exit_code != EXIT_OK:
            raise failure("demo crawl failed: " + "; ".join(verdict.problems), verdict.exit_code)
    if no_serve:
        return
    sys.stdout.flush()  # `warta serve` (exec'd below) prints where it serves
    # A fresh process for Datasette: this one's event loop belonged to the crawl's reactor.
    os.execv(
        sys.executable,
        [sys.executable, "-c", "from archive.cli import cli; cli(prog_name='warta')",
         "serve", "--db", str(db_path), "--port", str(port)],
    )


# --------------------------------------------------------------------------------------------
# warta reextract
# --------------------------------------------------------------------------------------------


@cli.command()
@db_option
@click.option("--site", "sites", multiple=True, help="Only this site (repeat for several).")
@click.option("--parser", help='Only articles made by this parser: a name ("kompas") or a version ("kompas/2024").')
@click.option("--since", type=DAY, help="Published on or after this day (YYYY-MM-DD).")
@click.option("--until", type=DAY, help="Published on or before this day (YYYY-MM-DD).")
@click.option("--dry-run", is_flag=True, help="Change nothing: print what would change (counts per field, diffs).")
@json_option("Print the counts as JSON.")
def reextract(
    db_path: Path,
    sites: tuple[str, ...],
    parser: str | None,
    since: datetime | None,
    until: datetime | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Run today's parsers over the stored captures (no network); update the articles that changed.

    Each article's last capture (the page as it was served, kept in the WARC files beside the
    archive) is extracted again. An article whose fields come out differently gets a new version
    with reason "reextract" and the parser that produced it (its previous version is kept in the
    versions table), so a parser fix is never mistaken for a publisher's edit.

    \b
    Examples:
        warta reextract --site kompas --dry-run
        warta reextract --parser kompas/2018 --since 2024-01-01 --until 2024-06-30
    """
    from archive.captures import warc_root
    from archive.reextract import reextract as run_reextract

    if since and until and until < since:
        raise UsageProblem(f"--until {until.date()} is before --since {since.date()}")
    db = open_existing(db_path)
    show = (lambda n: click.echo(f"\r{n:,} articles", err=True, nl=False)) if sys.stderr.isatty() else None
    result = run_reextract(
        db,
        warc_root(db_path),
        sites=list(sites) or None,
        parser=parser,
        since=since.date() if since else None,
        until=until.date() if until else None,
        dry_run=dry_run,
        progress=show,
    )
    if show is not None:
        click.echo("", err=True)
    if as_json:
        click.echo(json.dumps({**result.as_dict(), "dry_run": dry_run}, ensure_ascii=False, indent=2))
        return
    verb = "would change" if dry_run else "changed"
    rate = result.articles / result.seconds if result.seconds else 0.0
    click.echo(
        f"{result.articles:,} articles re-extracted in {result.seconds:.1f}s ({rate:,.0f}/s): "
        f"{verb} {result.changed:,}, unchanged {result.unchanged:,}"
    )
    if result.fields:
        click.echo("fields " + ", ".join(f"{name} {n:,}" for name, n in sorted(result.fields.items())))
    if result.skipped:
        click.echo("skipped " + ", ".join(f"{reason} {n:,}" for reason, n in sorted(result.skipped.items())))
    if dry_run:
        for diff in result.diffs:
            click.echo("")
            click.echo(diff)


# --------------------------------------------------------------------------------------------
# warta stories
# --------------------------------------------------------------------------------------------

@cli.command()
@db_option
@click.option("--rebuild", is_flag=True, help="Fingerprint every article again and regroup them all first.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(0), help="How many stories to list.")
@json_option("Print the stories as JSON.")
def stories(db_path: Path, rebuild: bool, limit: int, as_json: bool) -> None:
    """List the stories carried by the most outlets; --rebuild regroups the whole archive.

    Articles are grouped as they are saved: a syndicated copy (the same wire story on another
    site, a regional Tribun edition) joins the story of the article it nearly duplicates.
    --rebuild recomputes every fingerprint and group, e.g. after upgrading an archive made
    before stories existed. In Datasette the groups are the story_groups view.

    \b
    Example:
        warta stories --db archive.db --limit 10
        warta stories --db archive.db --rebuild
    """
    db = open_existing(db_path)
    if rebuild:
        start = time.monotonic()
        show = (lambda n: click.echo(f"\r{n:,} articles", err=True, nl=False)) if sys.stderr.isatty() else None
        result = regroup_stories(db, progress=show)
        if show is not None:
            click.echo("", err=True)
        click.echo(
            f"Regrouped {result.articles:,} articles in {time.monotonic() - start:.1f}s: "
            f"{result.grouped:,} in {result.stories:,} stories of two or more",
            err=True,
        )
    missing = unfingerprinted(db)
    if missing:
        click.echo(f"{missing:,} articles have no fingerprint yet: run `warta stories --rebuild`", err=True)
    if limit == 0 and not as_json:
        return
    rows = largest_stories(db, limit)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("No story is carried by more than one article yet.")
        return
    for row in rows:
        click.echo(
            f"story {row['story']}: {row['outlets']} outlets, {row['articles']} articles, "
            f"first {row['first_published'] or '-'} ({row['sites']})"
        )
        click.echo(f"  {row['title']}")


# --------------------------------------------------------------------------------------------
# warta import
# --------------------------------------------------------------------------------------------

MONTH = re.compile(r"^\d{4}-\d{2}$")


def _import_progress() -> Callable[..., None] | None:
    """A '\\r'-updating line of counts on a terminal; None under cron or a pipe."""
    if not sys.stderr.isatty():
        return None
    start = time.monotonic()

    def show(stats: Any, source: str, position: int) -> None:
        elapsed = max(time.monotonic() - start, 1e-6)
        click.echo(
            f"\r{source[-40:]}: {position / 1e6:,.0f} MB, {stats.records:,} records, {stats.html:,} HTML, "
            f"{stats.new:,} new, {stats.unchanged:,} unchanged ({stats.records / elapsed:,.0f} records/s)  ",
            err=True,
            nl=False,
        )

    return show


@cli.command("import")
@db_option
@click.argument("files", nargs=-1)
@click.option("--all-hosts", is_flag=True, help="Also import pages of hosts without a site profile (generic parser).")
@click.option("--cc-news", is_flag=True, help="Backfill from Common Crawl's CC-NEWS (needs --since and --until).")
@click.option("--since", metavar="YYYY-MM", help="First CC-NEWS month.")
@click.option("--until", metavar="YYYY-MM", help="Last CC-NEWS month.")
@click.option("--base", default=None, metavar="URL", help="CC-NEWS data host or mirror [default: Common Crawl's].")
@click.option("--max-files", type=click.IntRange(1), help="CC-NEWS: stop after reading this many WARC files.")
@click.option("--retries", default=3, show_default=True, type=click.IntRange(0, 100),
              help="CC-NEWS: tries again after a network error.")
@click.option("--timeout", default=60.0, show_default=True, type=click.FloatRange(0.1),
              help="CC-NEWS: seconds without data before a connection counts as failed.")
@json_option("Print the counts as JSON.")
def import_(
    db_path: Path,
    files: tuple[str, ...],
    all_hosts: bool,
    cc_news: bool,
    since: str | None,
    until: str | None,
    base: str | None,
    max_files: int | None,
    retries: int,
    timeout: float,
    as_json: bool,
) -> None:
    """Import WARC/ARC files from any crawler, or JSON Lines of `warta extract`.

    Each HTML response of a profiled host goes through the site parsers, the archive's dedupe
    and story grouping, keeping its WARC-Date as its fetch time. FILES are WARC or ARC files
    (gzipped or not) or JSON Lines; "-" reads standard input. Importing a file again writes
    nothing. A damaged file is read up to the damage, what was read is kept, and the command
    exits 1 naming the byte offset. --cc-news streams Common Crawl's CC-NEWS WARC files of the
    months --since..--until over HTTP and resumes where an earlier run stopped.

    \b
    Example:
      warta import crawl-2024.warc.gz heritrix/*.arc.gz
      warta extract saved/*.html | warta import -
      warta import --cc-news --since 2024-11 --until 2024-12
    """
    from archive.imports import EXIT_DAMAGED, Importer, ReadError

    if cc_news:
        if files:
            raise UsageProblem("give FILES or --cc-news, not both")
        if not (since and until) or not MONTH.match(since) or not MONTH.match(until):
            raise UsageProblem("--cc-news needs --since YYYY-MM and --until YYYY-MM")
    else:
        if not files:
            raise UsageProblem("give FILES to import (or - for standard input), or --cc-news")
        if since or until or base or max_files:
            raise UsageProblem("--since, --until, --base and --max-files go with --cc-news")
        missing = [f for f in files if f != "-" and not Path(f).is_file()]
        if missing:
            raise UsageProblem(f"no such file: {missing[0]}")
        if files.count("-") > 1:
            raise UsageProblem("stdin (-) can be read only once")
    try:
        db = open_archive(db_path)
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None
    progress = _import_progress()
    importer = Importer(db, all_hosts=all_hosts, progress=progress)
    problems: list[str] = []
    extra: dict[str, Any] = {}
    try:
        if cc_news:
            problems, extra = _backfill(db_path, db, importer, since or "", until or "", base, max_files, retries,
                                        timeout)
        else:
            for name in files:
                try:
                    if name == "-":
                        importer.import_stream(sys.stdin.buffer, "-")
                    else:
                        with open(name, "rb") as stream:
                            importer.import_stream(stream, name)
                except (OSError, ReadError) as exc:
                    problems.append(f"cannot read {name}: {exc}")
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        if progress is not None:
            click.echo("", err=True)
    stats = importer.stats
    if as_json:
        click.echo(json.dumps({**stats.as_dict(), **extra}, ensure_ascii=False))
    else:
        click.echo(stats.summary())
    problems = [str(d) for d in stats.damage] + problems
    if problems:
        for line in problems[:-1]:
            click.echo(f"Error: {line}", err=True)
        raise failure(problems[-1], EXIT_DAMAGED)


def _backfill(
    db_path: Path,
    db: sqlite_utils.Database,
    importer: Any,
    since: str,
    until: str,
    base: str | None,
    max_files: int | None,
    retries: int,
    timeout: float,
) -> tuple[list[str], dict[str, Any]]:
    """Run the CC-NEWS backfill under its own lock; returns the problems and the file counts."""
    from archive.ccnews import DEFAULT_BASE, backfill
    from archive.cron import EXIT_LOCKED, ArchiveLock, LockHeld

    # Its own lock file: two backfills never read the same files at once, a crawl may run beside one.
    lock = ArchiveLock(db_path.with_name(db_path.name + ".backfill"))
    try:
        lock.acquire("warta import --cc-news")
    except LockHeld as exc:
        raise failure(str(exc).replace("crawl", "backfill"), EXIT_LOCKED) from None
    try:
        result = backfill(
            db, importer, since=since, until=until, base=base or DEFAULT_BASE, timeout=timeout, retries=retries,
            max_files=max_files, log=lambda line: click.echo(f"\n{line}" if sys.stderr.isatty() else line, err=True),
        )
    except ValueError as exc:
        raise UsageProblem(str(exc)) from None
    finally:
        lock.release()
    files = {"listed": result.listed, "done_before": result.done_before, "done": result.done,
             "damaged": result.damaged, "failed": result.failed}
    click.echo(
        f"WARC files: {result.listed:,} listed, {result.done_before:,} imported before, {result.done:,} imported "
        f"now, {result.damaged:,} damaged, {result.failed:,} failed",
        err=True,
    )
    return result.errors, {"files": files}

# --------------------------------------------------------------------------------------------
# warta cluster: crawling on several machines (archive/cluster.py)
# --------------------------------------------------------------------------------------------


def cluster_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--redis URL`` and ``--cluster NAME``, shared by every ``warta cluster`` command."""

    @click.option(
        "--redis",
        "redis_url",
        default="redis://127.0.0.1:6379/0",
        show_default=True,
        metavar="URL",
        help="The cluster's Redis (redis://host:port/db).",
    )
    @click.option(
        "--cluster",
        "cluster_name",
        default="warta",
        show_default=True,
        envvar="WARTA_CLUSTER",
        help="Prefix of the cluster's Redis keys (env WARTA_CLUSTER).",
    )
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    return wrapper


def redis_client(url: str) -> Any:
    """A connected Redis client, or a one-line error (exit 2) naming the URL."""
    from archive.cluster import connect

    try:
        return connect(url)
    except ImportError:
        raise UsageProblem("the cluster needs the cluster extra: pip install 'warta[cluster]'") from None
    except Exception as exc:
        raise UsageProblem(f"cannot reach Redis at {url}: {exc}") from None


@cli.group()
def cluster() -> None:
    """Crawl on several machines: seed a run, run workers, run the one archive writer.

    Workers (any number, any machines) share a Redis request queue and duplicate filter per site
    and send what they extract to a Redis stream; one writer, beside the archive, writes it in
    batches and is the only process that opens SQLite. See README "Crawl on several machines".
    """


@cluster.command("seed")
@click.argument("sites", nargs=-1, required=True)
@cluster_options
@click.option("--date", "day", metavar="YYYY-MM-DD", help="Walk the daily index of this day.")
@click.option("--since", metavar="YYYY-MM-DD", help="Walk the daily indexes from this day...")
@click.option("--until", metavar="YYYY-MM-DD", help="...to this day (default: today).")
@click.option("--refresh", is_flag=True, help="Fetch articles the archive already holds again.")
@click.option("--full-sitemaps", is_flag=True, help="Follow every sitemap, not only the news sitemaps.")
def cluster_seed(
    sites: tuple[str, ...],
    redis_url: str,
    cluster_name: str,
    day: str | None,
    since: str | None,
    until: str | None,
    refresh: bool,
    full_sitemaps: bool,
) -> None:
    """Start a cluster run of SITES: the one worker that picks a site's seed runs its discovery.

    Exit status: 0 seeded; 2 usage error or Redis unreachable; 3 the previous run still has
    requests queued (left alone, as `warta crawl` leaves a held lock alone).

    \b
    Example:
      warta cluster seed kompas detik --redis redis://10.0.0.1:6379/0
      */10 * * * *  warta cluster seed kompas detik --redis redis://10.0.0.1:6379/0
    """
    from archive.cluster import ClusterError, Keys, seed
    from scraper.sites import get_site

    for site in sites:
        try:
            get_site(site)
        except KeyError as exc:
            raise UsageProblem(str(exc.args[0])) from None
    the_day = parse_date_option(day, "--date")
    the_since = parse_date_option(since, "--since")
    the_until = parse_date_option(until, "--until")
    if the_day and (the_since or the_until):
        raise UsageProblem("give either --date or --since/--until, not both")
    if the_until and not the_since:
        raise UsageProblem("--until needs --since")
    args: dict[str, Any] = {"refresh": refresh, "full_sitemaps": full_sitemaps}
    for name, value in (("date", the_day), ("since", the_since), ("until", the_until)):
        if value:
            args[name] = value.isoformat()
    client = redis_client(redis_url)
    try:
        run = seed(client, Keys(cluster_name), list(sites), {k: v for k, v in args.items() if v})
    except ClusterError as exc:
        raise failure(str(exc), exc.exit_code) from None
    click.echo(f"seeded run {run['id']}: {' '.join(sites)}")


@cluster.command("worker")
@click.argument("sites", nargs=-1, required=True)
@cluster_options
@root_option
@click.option("--fast", is_flag=True, help="Politeness off: only for local mirrors and tests.")
@click.option(
    "--idle-exit",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="Exit after this many seconds with nothing to do (0: wait for the next run forever).",
)
@click.option(
    "--captures-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write WARC captures under DIR/cluster/<host>/ (the archive's <stem>.warc folder, or synced into it).",
)
@click.option(
    "--processes", type=click.IntRange(0, 64), default=0, show_default=True, help="Extraction worker processes."
)
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Override a Scrapy setting.")
@click.option("--log-file", type=click.Path(dir_okay=False, path_type=Path), help="Append the worker's log here.")
@click.option("--quiet", "-q", is_flag=True, default=None, help="Print nothing unless the worker fails.")
@click.option("--max-errors", type=click.IntRange(0), default=0, show_default=True, help="Errors tolerated.")
def cluster_worker(
    sites: tuple[str, ...],
    redis_url: str,
    cluster_name: str,
    root: str | None,
    fast: bool,
    idle_exit: int,
    captures_dir: Path | None,
    processes: int,
    overrides: tuple[str, ...],
    log_file: Path | None,
    quiet: bool | None,
    max_errors: int,
) -> None:
    """Crawl SITES from the cluster's shared queues, sending articles to the writer through Redis.

    Opens no archive. Its run (counts, verdict) goes to the writer as a crawl_runs row.
    Exit status: 0 finished (or had nothing to do); 1 failed (the verdict of `warta crawl`);
    2 usage error or Redis unreachable; 130/143 stopped by SIGINT/SIGTERM.

    \b
    Example:
      warta cluster worker kompas detik --redis redis://10.0.0.1:6379/0 --idle-exit 120
    """
    import socket

    from archive.cluster import Keys, run_worker, send_run_record, worker_settings, worker_spiders, worker_verdict
    from archive.cron import setup_logging
    from archive.runner import CrawlResult

    for warning in check_overrides(overrides):  # the same checks as `warta crawl --set`
        click.echo(f"Warning: {warning}", err=True)
    client = redis_client(redis_url)
    options = RunOptions(log_file=log_file, quiet=quiet or None, max_errors=max_errors)
    try:
        worker_spiders(list(sites))
        settings = worker_settings(
            redis_url, cluster_name, fast=fast, idle_exit=idle_exit, captures_dir=captures_dir,
            processes=processes, overrides=overrides,
        )
    except CrawlExit as exc:
        raise crawl_error(exc) from None
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    logs = setup_logging(log_file, str(settings.get("LOG_LEVEL") or "INFO"), quiet=options.resolved_quiet())
    started = datetime.now().astimezone().isoformat(timespec="seconds")
    begun = time.monotonic()
    try:
        stats = run_worker(list(sites), settings, root=root)
    finally:
        logs.close()
    result = CrawlResult(stats=stats, seconds=time.monotonic() - begun)
    outcome = worker_verdict(stats, logs.watch, max_errors=max_errors)
    summary = {**result.summary(), "problems": outcome.problems, "spider_errors": logs.watch.spider_errors}
    run = {
        "sites": list(sites), "args": {"cluster": cluster_name, "worker": True, **({"root": root} if root else {})},
        "status": outcome.status, "exit_code": outcome.exit_code,
        "finish_reason": ",".join(sorted({str(s.get("finish_reason")) for s in stats.values()})),
        "summary": summary, "started": started, "pid": os.getpid(), "host": socket.gethostname(),
    }
    try:
        send_run_record(client, Keys(cluster_name), run)
    except Exception as exc:  # the articles went already; only the run record is missing
        click.echo(f"warta cluster worker: run record not sent: {exc}", err=True)
    if not options.resolved_quiet():
        from archive.runner import format_summary

        click.echo(format_summary({**result.summary()}))
    if outcome.exit_code != EXIT_OK:
        raise failure("worker " + outcome.status + ": " + "; ".join(outcome.problems), outcome.exit_code)


@cluster.command("writer")
@db_option
@cluster_options
@click.option("--batch", type=click.IntRange(1, 10000), default=200, show_default=True, help="Entries per transaction.")
@click.option(
    "--idle-exit",
    type=click.FloatRange(0),
    default=0,
    show_default=True,
    help="Exit once the stream has been empty this many seconds (0: run until stopped).",
)
@click.option("--log-file", type=click.Path(dir_okay=False, path_type=Path), help="Append the writer's log here.")
@click.option("--quiet", "-q", is_flag=True, default=None, help="Print nothing unless the writer fails.")
def cluster_writer(
    db_path: Path,
    redis_url: str,
    cluster_name: str,
    batch: int,
    idle_exit: float,
    log_file: Path | None,
    quiet: bool | None,
) -> None:
    """Write what the workers send into the archive: the only process of a cluster that opens it.

    Takes the archive's lock (a second writer, or a `warta crawl` of the same archive, exits 3).
    A batch is acknowledged in Redis only after its transaction commits; a writer killed at any
    moment loses nothing, and a replayed batch is recognised and not written twice.
    Exit status: 0 stopped when idle; 1 the archive or Redis failed (entries stay in Redis);
    2 usage error; 3 the archive's lock is held; 130/143 stopped by SIGINT/SIGTERM.

    \b
    Example:
      warta cluster writer --db /srv/warta/archive.db --redis redis://10.0.0.1:6379/0
    """
    import logging

    from archive.cluster import ClusterError, Keys, run_writer
    from archive.cron import setup_logging

    client = redis_client(redis_url)
    options = RunOptions(log_file=log_file, quiet=quiet or None)
    logs = setup_logging(log_file, "INFO", quiet=options.resolved_quiet())
    try:
        code, _counts = run_writer(
            db_path, client, Keys(cluster_name), batch=batch, idle_exit=idle_exit,
            log=logging.getLogger("warta.cluster"),
        )
    except ClusterError as exc:
        raise failure(str(exc), exc.exit_code) from None
    finally:
        logs.close()
    if code != EXIT_OK:
        raise failure(f"cluster writer stopped with exit {code}", code)


@cluster.command("status")
@cluster_options
@json_option("Print the figures as JSON.")
def cluster_status(redis_url: str, cluster_name: str, as_json: bool) -> None:
    """What the cluster holds: the current run, queued requests per site, the writer's backlog.

    \b
    Example:
      warta cluster status --redis redis://10.0.0.1:6379/0
    """
    from archive.cluster import Keys, status

    figures = status(redis_client(redis_url), Keys(cluster_name))
    if as_json:
        click.echo(json.dumps(figures, indent=2))
        return
    run = figures["run"]
    click.echo(f"run      {run['id']} seeded {run['seeded']}: {' '.join(run['sites'])}" if run else "run      none")
    for site, queued in figures["queued"].items():
        click.echo(f"{site:8} {queued} requests queued, {figures['seeds'][site]} seeds")
    items = figures["items"]
    click.echo(f"stream   {items['length']} entries not yet written ({items['pending']} being written)")
    click.echo(f"known    {figures['known']} archived URLs published to the workers")


def main() -> None:  # pragma: no cover - console entry point
    cli()
