"""``warta serve``, ``warta export`` and ``warta stats``: the archive's own commands."""

from __future__ import annotations

import io
import json
import os
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click
import sqlite_utils

from archive.cli import cli, db_option
from archive.db import ArchiveError, open_archive
from archive.export import EXPORT_COLUMNS, ExportError, count_matching, export_csv

DAY = click.DateTime(formats=["%Y-%m-%d"])


def open_existing(db_path: Path) -> sqlite_utils.Database:
    """Open an archive that must already exist (reading commands never create one)."""
    if not db_path.is_file():
        raise click.ClickException(f"no archive at {db_path}: run `warta crawl` or `warta demo` first, or pass --db")
    try:
        return open_archive(db_path)
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None


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


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(1, 65535), help="Port.")
@click.option("--open", "open_browser", is_flag=True, help="Open the archive in a web browser.")
@click.option(
    "--public", is_flag=True, help="For a server others can reach: no arbitrary SQL, tighter time and size limits."
)
def serve(db_path: Path, host: str, port: int, open_browser: bool, public: bool) -> None:
    """Browse and search the archive with Datasette.

    Serves the archive read-write (not immutable), so it can be browsed while a crawl adds to it.
    Facets by site, section and day; full-text search; canned queries for the latest articles,
    articles per day and site, the most-linked related articles and crawl runs.

    On a --host other than this machine (127.0.0.1, ::1, localhost) anyone who can reach it may
    run arbitrary SQL: it warns, and --public turns SQL off.

    \b
    Examples:
        warta serve --db archive.db --port 8001
        warta serve --host 0.0.0.0 --public
    """
    from archive.serve import serve as run_server

    open_existing(db_path).close()  # a missing or broken archive is a one-line error, not a server
    try:
        click.echo(f"Serving {db_path} at http://{host}:{port}/ (Ctrl+C to stop)", err=True)
        run_server(db_path, host=host, port=port, open_browser=open_browser, public=public)
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
def export(
    db_path: Path,
    sites: tuple[str, ...],
    since: datetime | None,
    until: datetime | None,
    search: str | None,
    columns: str | None,
    excel: bool,
    output: str,
) -> None:
    """Export articles as CSV (UTF-8), streamed in constant memory.

    Rows come in publication order. Lists (authors, editors, tags, related_urls) are joined
    with "; ". The body keeps its paragraph breaks inside the quoted cell. A file is written
    under a temporary name and renamed when complete, so a failed export never leaves half a file.

    \b
    Examples:
        warta export --site kompas --since 2024-11-01 --until 2024-11-30 -o november.csv
        warta export --search 'banjir AND jakarta' --excel -o banjir.csv
        warta export | head
    """
    column_list = [c.strip() for c in columns.split(",") if c.strip()] if columns else None
    db = open_existing(db_path)
    options: dict[str, Any] = {
        "site": list(sites) or None,
        "since": since.date() if since else None,
        "until": until.date() if until else None,
        "search": search,
        "columns": column_list,
        "excel": excel,
    }
    filters = {k: options[k] for k in ("site", "since", "until", "search")}
    try:
        options["progress"] = (
            _progress_printer("exported", lambda: count_matching(db, **filters)) if output != "-" else None
        )
        if output == "-":
            count = _export_to_stdout(db, options)
        else:
            count = _export_to_file(db, Path(output), options)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    if output != "-":
        if options["progress"]:
            click.echo("", err=True)
        click.echo(f"{count:,} articles written to {output}", err=True)


def _export_to_file(db: sqlite_utils.Database, path: Path, options: dict[str, Any]) -> int:
    """Write to PATH.part and rename on success: an existing export is replaced only by a whole one."""
    if not path.parent.is_dir():
        raise click.ClickException(f"cannot write {path}: directory {path.parent} does not exist")
    part = path.with_name(path.name + ".part")
    try:
        with part.open("w", encoding="utf-8", newline="") as out:
            count = export_csv(db, out, **options)
        os.replace(part, path)
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if part.exists():
            part.unlink()
    return count


def _export_to_stdout(db: sqlite_utils.Database, options: dict[str, Any]) -> int:
    binary = click.get_binary_stream("stdout")
    out = io.TextIOWrapper(binary, encoding="utf-8", newline="", write_through=False)
    try:
        count = export_csv(db, out, **options)
        out.flush()
    except BrokenPipeError:  # `warta export | head`: the reader has had enough, not an error
        # Point stdout at /dev/null so the interpreter's final flush does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, binary.fileno())
        raise SystemExit(0) from None
    finally:
        try:
            out.detach()  # leave stdout itself open for click
        except ValueError:
            pass
    return count


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
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
        click.echo(f"  {site['site']:<20} {site['articles']:>9,}  {site['first_day'] or '-'} .. {site['last_day'] or '-'}")
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
