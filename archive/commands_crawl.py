"""``warta crawl``: run site spiders in-process into the archive, and exit with the crawl's truth.

``scrapy crawl`` exits 0 even when the crawl failed, so this command reads the crawl stats
(finish reason, errors, spider exceptions, whether anything was fetched) and exits non-zero itself.
Every run is recorded in the archive's ``crawl_runs`` table.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import click

from archive.cli import cli, db_option

#: Exit codes (documented in the README; the full table is archive.cron.EXIT_CODES): 0 the crawl
#: finished cleanly, 1 it failed, 2 usage error, 3 another run holds the lock, 130/143 interrupted.
from archive.cron import EXIT_FAILED, EXIT_LOCKED, EXIT_OK, EXIT_USAGE  # noqa: E402,F401


class UsageProblem(click.ClickException):
    """A one-line user error (unknown site, bad date), exit status 2 like click's usage errors."""

    exit_code = EXIT_USAGE


@dataclass
class CrawlResult:
    """What a crawl did: the stats of each spider and the wall time."""

    stats: dict[str, dict[str, Any]] = field(default_factory=dict)
    seconds: float = 0.0

    def total(self, key: str) -> int:
        return sum(int(s.get(key, 0) or 0) for s in self.stats.values())

    def prefixed(self, prefix: str) -> dict[str, int]:
        """Counts of every stat ``<prefix><name>`` summed over spiders, keyed by ``name``."""
        out: dict[str, int] = {}
        for s in self.stats.values():
            for key, value in s.items():
                if key.startswith(prefix) and "/" not in key[len(prefix) :]:
                    name = key[len(prefix) :]
                    out[name] = out.get(name, 0) + int(value)
        return dict(sorted(out.items()))

    def failures(self) -> list[str]:
        """Why the crawl counts as failed (empty: it finished cleanly)."""
        problems = []
        for name, s in self.stats.items():
            reason = s.get("finish_reason")
            if reason != "finished":
                problems.append(f"{name}: finish reason {reason!r}")
            errors = int(s.get("log_count/ERROR", 0))
            if errors:
                problems.append(f"{name}: {errors} errors logged")
            exceptions = sum(int(v) for k, v in s.items() if k.startswith("spider_exceptions/"))
            if exceptions:
                problems.append(f"{name}: {exceptions} spider exceptions")
            if not int(s.get("downloader/response_count", 0)):
                problems.append(f"{name}: nothing fetched (site unreachable?)")
        if not self.stats:
            problems.append("no spider ran")
        return problems

    def summary(self) -> dict[str, Any]:
        """The counts users and the crawl_runs table care about."""
        return {
            "pages_fetched": self.total("downloader/response_count"),
            "articles_new": self.total("warta/articles/new"),
            "updated": self.total("warta/articles/updated"),
            "unchanged": self.total("warta/articles/unchanged"),
            "same_body": self.total("warta/articles/same_body"),
            "aliases": self.total("warta/articles/aliases"),
            "skipped": self.total("warta/skipped"),
            "skipped_reasons": self.prefixed("warta/skipped/"),
            "not_fetched": self.prefixed("warta/failed/"),
            "known_not_refetched": self.total("warta/known"),
            "robots_forbidden": self.total("robotstxt/forbidden"),
            "errors": self.total("log_count/ERROR"),
            "http_status": self.prefixed("downloader/response_status_count/"),
            "seconds": round(self.seconds, 2),
        }


def parse_date_option(value: str | None, name: str) -> date | None:
    """``--date``-style options: YYYY-MM-DD or a one-line usage error."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageProblem(f"{name} must be a date like 2024-11-14, got {value!r}") from None


def spider_class(site: str) -> tuple[type, dict[str, Any]]:
    """The spider for a site: its own class when it has one (``kompas``), else the shared ``site`` spider."""
    from scrapy.settings import Settings
    from scrapy.spiderloader import SpiderLoader

    from scraper.sites import get_site
    from scraper.spiders.base import NewsSpider

    try:
        get_site(site)
    except KeyError as exc:
        raise UsageProblem(str(exc.args[0])) from None
    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    loader = SpiderLoader.from_settings(settings)
    if site in loader.list() and site not in ("site", "generic"):
        return loader.load(site), {}
    return NewsSpider, {"site": site}


def build_settings(
    db_path: Path,
    *,
    fast: bool = False,
    overrides: tuple[str, ...] = (),
    log_file: Path | None = None,
    run_id: int | None = None,
    extra_settings: dict[str, Any] | None = None,
) -> Any:
    """The project settings plus this run's: archive path, run id, fast mode, ``--set`` overrides."""
    from scrapy.settings import Settings

    from scraper.settings import FAST_SETTINGS

    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    settings.set("WARTA_DB", str(db_path), priority="cmdline")
    if run_id is not None:
        settings.set("WARTA_RUN_ID", run_id, priority="cmdline")
    if fast:
        settings.setdict(FAST_SETTINGS, priority="cmdline")
    if log_file is not None:
        settings.set("LOG_FILE", str(log_file), priority="cmdline")
    # Before --set, so that a user's override wins (e.g. --set LOG_LEVEL=DEBUG).
    settings.setdict(extra_settings or {}, priority="cmdline")
    for item in overrides:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageProblem(f"--set needs KEY=VALUE, got {item!r}")
        settings.set(key.strip(), value, priority="cmdline")
    return settings


def run_crawl(
    sites: list[str],
    *,
    db_path: Path,
    urls: tuple[str, ...] = (),
    root: str | None = None,
    day: date | None = None,
    since: date | None = None,
    until: date | None = None,
    refresh: bool = False,
    full_sitemaps: bool = False,
    fast: bool = False,
    overrides: tuple[str, ...] = (),
    log_file: Path | None = None,
    run_id: int | None = None,
    extra_args: dict[str, str] | None = None,
    extra_settings: dict[str, Any] | None = None,
) -> CrawlResult:
    """Run the spiders of ``sites`` (and the generic spider for ``urls``) in this process.

    Once per process: Twisted's reactor cannot be restarted.
    """
    from scrapy.crawler import CrawlerProcess

    from scraper.spiders.generic import GenericSpider

    spiders = [spider_class(site) for site in sites]
    spiders += [(GenericSpider, {"url": url}) for url in urls]
    settings = build_settings(
        db_path, fast=fast, overrides=overrides, log_file=log_file, run_id=run_id, extra_settings=extra_settings
    )
    args: dict[str, Any] = {}
    if root:
        args["root"] = root
    if day:
        args["date"] = day.isoformat()
    if since:
        args["since"] = since.isoformat()
    if until:
        args["until"] = until.isoformat()
    if refresh:
        args["refresh"] = "1"
    if full_sitemaps:
        args["full_sitemaps"] = "1"
    args.update(extra_args or {})
    process = CrawlerProcess(settings)
    crawlers = []
    for spidercls, extra in spiders:
        crawler = process.create_crawler(spidercls)
        crawlers.append((extra.get("site") or extra.get("url") or spidercls.name, crawler))
        process.crawl(crawler, **extra, **args)
    started = time.monotonic()
    process.start()
    result = CrawlResult(seconds=time.monotonic() - started)
    for name, crawler in crawlers:
        result.stats[name] = dict(crawler.stats.get_stats()) if crawler.stats else {}
    return result


def _open_runs(db_path: Path) -> Any:
    """The archive, for the crawl_runs record; a one-line error when the path cannot hold one."""
    from archive.db import ArchiveError, open_archive

    try:
        return open_archive(db_path)
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None


def run_status(result: CrawlResult) -> str:
    reasons = {s.get("finish_reason") for s in result.stats.values()}
    if "shutdown" in reasons:
        return "interrupted"
    return "failed" if result.failures() else "finished"


def record_run(db_path: Path, sites: list[str], args: dict[str, Any]) -> tuple[Any, int | None]:
    """Open the archive and start a crawl_runs row (when the archive module offers it)."""
    import archive.db as archive_db

    db = _open_runs(db_path)
    start = getattr(archive_db, "start_run", None)
    return db, (start(db, sites, args) if start else None)


def finish_record(db: Any, run_id: int | None, result: CrawlResult, exit_code: int) -> None:
    import archive.db as archive_db

    finish = getattr(archive_db, "finish_run", None)
    if finish and run_id is not None:
        reasons = sorted({str(s.get("finish_reason")) for s in result.stats.values()})
        finish(
            db,
            run_id,
            status=run_status(result),
            finish_reason=",".join(reasons) or None,
            stats=result.summary(),
            exit_code=exit_code,
        )


def format_summary(summary: dict[str, Any]) -> str:
    """The lines ``warta crawl`` and ``warta demo`` print."""
    skipped = ", ".join(f"{k} {v}" for k, v in summary["skipped_reasons"].items()) or "none"
    failed = ", ".join(f"{k} {v}" for k, v in summary["not_fetched"].items()) or "none"
    return "\n".join(
        [
            f"fetched    {summary['pages_fetched']} pages in {summary['seconds']:.1f} s"
            f" (HTTP {', '.join(f'{k}: {v}' for k, v in summary['http_status'].items()) or '-'})",
            f"stored     new {summary['articles_new']}, updated {summary['updated']},"
            f" unchanged {summary['unchanged']}, same body {summary['same_body']}",
            f"aliases    {summary['aliases']}",
            f"skipped    {summary['skipped']} ({skipped})",
            f"not fetched {sum(summary['not_fetched'].values())} ({failed});"
            f" already archived, not refetched: {summary['known_not_refetched']};"
            f" forbidden by robots.txt: {summary['robots_forbidden']}",
        ]
    )


def check_url(url: str) -> str:
    """A ``--url`` must name a site: http(s) and a host."""
    from urllib.parse import urlsplit

    full = url if "://" in url else f"https://{url}"
    parts = urlsplit(full)
    if parts.scheme not in ("http", "https") or not parts.hostname or "." not in parts.hostname:
        raise UsageProblem(f"--url must be a site address like https://example.com, got {url!r}")
    return full


@cli.command()
@click.argument("sites", nargs=-1)
@click.option("--url", "urls", multiple=True, metavar="URL", help="Crawl a site without a profile (generic).")
@db_option
@click.option("--date", "day", metavar="YYYY-MM-DD", help="Walk the daily index of this day.")
@click.option("--since", metavar="YYYY-MM-DD", help="Walk the daily indexes from this day...")
@click.option("--until", metavar="YYYY-MM-DD", help="...to this day (default: today).")
@click.option("--root", metavar="URL", help="Fetch from a local mirror (http://127.0.0.1:PORT).")
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
) -> None:
    """Crawl SITES (site profile names), or any site with --url, into the archive.

    Without a date: robots.txt -> sitemaps -> news sitemaps (recent articles). With --date or
    --since/--until: the site's daily index pages (backfill). Articles already archived are not
    fetched again unless --refresh, or their sitemap lastmod is newer.

    One run per archive at a time: an overlapping run (cron) exits at once with status 3.
    Every run is recorded in the crawl_runs table.

    Exit status: 0 finished cleanly; 1 the crawl failed (errors over --max-errors, a finish
    reason other than "finished", site unreachable); 2 usage error; 3 another run holds the
    archive's lock; 130/143 stopped by SIGINT/SIGTERM (committed articles are kept).

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
    for site in sites:
        spider_class(site)  # unknown sites fail here, before anything starts
    if processes:
        overrides = (*overrides, f"WARTA_EXTRACT_PROCESSES={processes}")
    args = {"date": day, "since": since, "until": until, "root": root, "refresh": refresh}
    from archive.cron import CrawlExit, RunOptions, crawl_with_lock

    options = RunOptions(log_file=log_file, quiet=quiet or None, max_errors=max_errors, jobdir=jobdir)
    options.log_level = str(build_settings(db_path, fast=fast, overrides=overrides).get("LOG_LEVEL") or "INFO")

    def run(extra_settings: dict[str, Any], run_id: int) -> CrawlResult:
        return run_crawl(
            list(sites),
            db_path=db_path,
            urls=urls,
            root=root,
            day=the_day,
            since=the_since,
            until=the_until,
            refresh=refresh,
            full_sitemaps=full_sitemaps,
            fast=fast,
            overrides=overrides,
            run_id=run_id,
            extra_settings=extra_settings,
        )

    try:
        outcome, summary = crawl_with_lock(
            db_path, [*sites, *urls], {k: v for k, v in args.items() if v}, run, options
        )
    except CrawlExit as exc:
        error = click.ClickException(str(exc))
        error.exit_code = exc.exit_code
        raise error from None
    if not options.resolved_quiet():
        click.echo(format_summary(summary))
    if outcome.exit_code != EXIT_OK:
        verb = "interrupted" if outcome.status == "interrupted" else "failed"
        error = click.ClickException(f"crawl {verb}: " + "; ".join(outcome.problems))
        error.exit_code = outcome.exit_code
        raise error
