"""One crawl runner: ``warta crawl``, ``warta demo`` and the tests run crawls through it.

- :func:`build_settings`: the Scrapy settings of a crawl, built once: ``archive.scrapy_settings``
  (the scraper's settings plus the archive's add-on), fast mode, this run's values, ``--set``.
- :func:`run_crawl`: the spiders of a :class:`CrawlJob` in this process (CrawlerProcess), and what
  they did (:class:`CrawlResult`); :func:`crawl_in_process` is the same for a test's event loop.
- :func:`run`: a recorded run: the archive's lock, a ``crawl_runs`` row, the log, the crawl, and
  the verdict (``archive.cron.verdict``: the one judgement of a crawl).
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archive.cron import (
    EXIT_FAILED,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_SIGINT,
    EXIT_USAGE,
    LOG_DATEFORMAT,
    ArchiveLock,
    CrawlExit,
    LockHeld,
    RunOptions,
    Verdict,
    crawl_summary_line,
    default_thresholds,
    open_log_file,
    setup_logging,
    verdict,
)

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings

#: The settings module of every crawl into the archive (scrapy.cfg names it too).
SETTINGS_MODULE = "archive.scrapy_settings"


@dataclass
class CrawlJob:
    """What to crawl and how: the spiders' arguments and the crawl-wide switches."""

    sites: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)  # sites without a profile (the generic spider)
    root: str | None = None  # a local mirror of the sites
    day: date | None = None
    since: date | None = None
    until: date | None = None
    refresh: bool = False
    full_sitemaps: bool = False
    fast: bool = False  # politeness off (scraper.settings.FAST_SETTINGS)
    overrides: tuple[str, ...] = ()  # --set KEY=VALUE
    processes: int = 0  # extraction worker processes (WARTA_EXTRACT_PROCESSES)
    spider_args: dict[str, str] = field(default_factory=dict)  # more -a arguments

    def names(self) -> list[str]:
        """What the run is of, for its crawl_runs row and its lock."""
        return [*self.sites, *self.urls]

    def record_args(self) -> dict[str, Any]:
        """The arguments a crawl_runs row keeps (those given)."""
        args = {"date": self.day, "since": self.since, "until": self.until, "root": self.root, "refresh": self.refresh}
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in args.items() if v}

    def arguments(self) -> dict[str, str]:
        """The ``-a`` arguments every spider of the job gets."""
        args: dict[str, str] = {}
        if self.root:
            args["root"] = self.root
        for name in ("day", "since", "until"):
            value = getattr(self, name)
            if value:
                args["date" if name == "day" else name] = value.isoformat()
        if self.refresh:
            args["refresh"] = "1"
        if self.full_sitemaps:
            args["full_sitemaps"] = "1"
        return {**args, **self.spider_args}


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


def format_sites(verdict_: Verdict) -> str:
    """One line per site (its verdict and counts), and for a site that is not ok what to do."""
    return "\n".join(v.line() for v in verdict_.sites.values())


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


# --------------------------------------------------------------------------------------------
# Settings and spiders
# --------------------------------------------------------------------------------------------


def build_settings(
    db_path: Path | str,
    *,
    fast: bool = False,
    overrides: tuple[str, ...] = (),
    processes: int = 0,
    extra_settings: dict[str, Any] | None = None,
) -> Settings:
    """The settings of a crawl into ``db_path``: the project's, fast mode, ``extra_settings``, then
    ``--set`` overrides (a user's override wins, e.g. ``--set LOG_LEVEL=DEBUG``)."""
    from scrapy.settings import Settings

    from scraper.settings import FAST_SETTINGS

    settings = Settings()
    settings.setmodule(SETTINGS_MODULE, priority="project")
    settings.set("WARTA_DB", str(db_path), priority="cmdline")
    if fast:
        settings.setdict(FAST_SETTINGS, priority="cmdline")
    if processes:
        settings.set("WARTA_EXTRACT_PROCESSES", processes, priority="cmdline")
    settings.setdict(extra_settings or {}, priority="cmdline")
    for item in overrides:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise CrawlExit(f"--set needs KEY=VALUE, got {item!r}", EXIT_USAGE)
        settings.set(key.strip(), value, priority="cmdline")
    return settings


def spiders(job: CrawlJob, settings: Settings) -> list[tuple[str, type, dict[str, Any]]]:
    """(name, spider class, arguments) of each spider of the job; an unknown site is a usage error.

    A site's own class when it has one (``kompas``), else the shared ``site`` spider; ``generic``
    for each ``--url``.
    """
    from scrapy.spiderloader import SpiderLoader

    from scraper.sites import get_site
    from scraper.spiders.base import NewsSpider
    from scraper.spiders.generic import GenericSpider

    loader = SpiderLoader.from_settings(settings)
    known = set(loader.list())
    out: list[tuple[str, type, dict[str, Any]]] = []
    for site in job.sites:
        try:
            get_site(site)
        except KeyError as exc:
            raise CrawlExit(str(exc.args[0]), EXIT_USAGE) from None
        if site in known and site not in ("site", "generic"):
            out.append((site, loader.load(site), {}))
        else:
            out.append((site, NewsSpider, {"site": site}))
    from scraper.spiders.generic import site_for

    # A --url site is named after its host (contoh.id), as its articles' site column is.
    out += [(site_for(url).name, GenericSpider, {"url": url}) for url in job.urls]
    return out


def run_crawl(job: CrawlJob, settings: Settings) -> CrawlResult:
    """Run the spiders of ``job`` in this process with ``settings``.

    Once per process: Twisted's reactor cannot be restarted.
    """
    from scrapy.crawler import CrawlerProcess

    process = CrawlerProcess(settings)
    crawlers = []
    for name, spidercls, extra in spiders(job, settings):
        crawler = process.create_crawler(spidercls)
        crawlers.append((name, crawler))
        process.crawl(crawler, **extra, **job.arguments())
    started = time.monotonic()
    process.start()
    result = CrawlResult(seconds=time.monotonic() - started)
    for name, crawler in crawlers:
        result.stats[name] = dict(crawler.stats.get_stats()) if crawler.stats else {}
    return result


async def crawl_in_process(settings: Settings, spidercls: type, **spider_args: Any) -> Crawler:
    """One crawl on the running event loop (no reactor: ``TWISTED_REACTOR_ENABLED=False``), as the
    tests run several in one process; the crawler, with its stats."""
    from scrapy.crawler import AsyncCrawlerRunner

    runner = AsyncCrawlerRunner(settings)
    crawler = runner.create_crawler(spidercls)
    await runner.crawl(crawler, **spider_args)
    return crawler


# --------------------------------------------------------------------------------------------
# A recorded run
# --------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """How a recorded run ended: the verdict, the summary stored in crawl_runs, the crawl's stats."""

    verdict: Verdict
    summary: dict[str, Any]
    result: CrawlResult


def run(
    db_path: Path,
    job: CrawlJob,
    options: RunOptions,
    *,
    what: str = "warta crawl",
    record_args: dict[str, Any] | None = None,
    settings: Settings | None = None,
) -> Outcome:
    """Lock the archive, record the run, crawl, judge it and record how it ended.

    Raises CrawlExit for a held lock (exit 3) or an unusable archive, log path or setting (exit 2).
    """
    from archive.db import (
        ArchiveError,
        check_archive,
        close_stale_runs,
        finish_run,
        open_archive,
        recent_site_counts,
        record_sites,
        start_run,
    )

    if settings is None:
        settings = build_settings(db_path, fast=job.fast, overrides=job.overrides, processes=job.processes)
    spiders(job, settings)  # unknown sites fail here, before anything starts
    options.log_level = str(settings.get("LOG_LEVEL") or "INFO")
    names = job.names()
    args = job.record_args() if record_args is None else record_args
    if options.log_file is not None:
        try:
            open_log_file(options.log_file)
        except OSError as exc:
            raise CrawlExit(str(exc), EXIT_USAGE) from None
    try:
        db = open_archive(db_path)
    except ArchiveError as exc:
        raise CrawlExit(str(exc), EXIT_USAGE) from None
    lock = ArchiveLock(db_path)
    try:
        try:
            lock.acquire(what=f"{what} " + " ".join(names))
        except LockHeld as exc:
            _record_locked(db, names, args, str(exc))
            if options.log_file is not None:
                with open(options.log_file, "a", encoding="utf-8") as log_file:
                    stamp = time.strftime(LOG_DATEFORMAT)
                    log_file.write(f"{stamp} {os.getpid()} [warta.crawl] WARNING: {exc}\n")
            raise CrawlExit(str(exc), EXIT_LOCKED) from None
        except OSError as exc:
            raise CrawlExit(f"cannot lock {lock.path}: {exc.strerror or exc}", EXIT_USAGE) from None
        try:
            check_archive(db, db_path)  # a damaged archive is reported, not crawled into (issue 11 §4)
        except ArchiveError as exc:
            raise CrawlExit(str(exc), EXIT_USAGE) from None
        stale = close_stale_runs(db)
        run_args = {**args, **({"log_file": str(options.log_file)} if options.log_file else {})}
        run_id = start_run(db, names, run_args)
        logs = setup_logging(
            options.log_file,
            options.log_level,
            quiet=options.resolved_quiet(),
            progress=options.resolved_progress(),
        )
        log = logging.getLogger("warta.crawl")
        try:
            if stale:
                log.warning("Crawl runs %s were left 'running' by a process that is gone: marked killed", stale)
            log.info("Crawl run %d started: %s (pid %d)", run_id, " ".join(names), os.getpid())
            _run_settings(settings, job, options, run_id)
            try:
                result = run_crawl(job, settings)
            except KeyboardInterrupt:
                # Ctrl-C before Scrapy installed its own handlers (during start-up): nothing was fetched.
                finish_run(
                    db, run_id, status="interrupted", finish_reason="sigint_at_startup", stats={}, exit_code=EXIT_SIGINT
                )
                raise CrawlExit("crawl interrupted by SIGINT while starting", EXIT_SIGINT) from None
            except BaseException as exc:
                finish_run(
                    db,
                    run_id,
                    status="failed",
                    finish_reason=f"error: {exc!r}"[:500],
                    stats={"log_file": str(options.log_file) if options.log_file else None},
                    exit_code=EXIT_FAILED,
                )
                log.error("Crawl run %d failed: %r", run_id, exc)
                raise
            thresholds = {name: settings.getfloat(name, default) for name, default in default_thresholds().items()}
            history = recent_site_counts(db, list(result.stats), int(thresholds["WARTA_HEALTH_HISTORY_RUNS"]))
            outcome = verdict(
                result.stats, logs.watch, max_errors=options.max_errors, history=history, thresholds=thresholds
            )
            summary = {
                **result.summary(),
                "spider_errors": logs.watch.spider_errors,
                "fetch_errors": logs.watch.fetch_errors,
                "signal": logs.watch.signal_name,
                "problems": outcome.problems,
                "log_file": str(options.log_file) if options.log_file else None,
                "sites": {name: {"verdict": v.verdict, "reason": v.reason} for name, v in outcome.sites.items()},
            }
            reasons = sorted({str(s.get("finish_reason")) for s in result.stats.values()})
            try:
                record_sites(db, run_id, [vars(v) for v in outcome.sites.values()])
                finish_run(
                    db,
                    run_id,
                    status=outcome.status,
                    finish_reason=",".join(reasons) or None,
                    stats=summary,
                    exit_code=outcome.exit_code,
                )
            except ArchiveError as exc:  # a full disk: the run's verdict still reaches the exit status
                log.error("Crawl run %d could not be recorded: %s", run_id, exc)
            line = crawl_summary_line(summary, outcome)
            (log.info if outcome.exit_code == EXIT_OK else log.warning)("Crawl run %d: %s", run_id, line)
            for site in outcome.sites.values():
                (log.info if site.verdict in ("ok", "not_judged") else log.warning)("Site %s", site.line())
            return Outcome(outcome, summary, result)
        finally:
            logs.close()
    finally:
        lock.release()
        db.close()


def _run_settings(settings: Settings, job: CrawlJob, options: RunOptions, run_id: int) -> None:
    """What a recorded run adds to its settings: the run id, our log handlers instead of Scrapy's,
    the progress line, JOBDIR. A user's ``--set`` of the same name still wins."""
    values: dict[str, Any] = {
        "WARTA_RUN_ID": run_id,
        "LOG_INSTALL_ROOT_HANDLER": False,
        "WARTA_PROGRESS": options.resolved_progress(),
    }
    if options.jobdir is not None:
        values["JOBDIR"] = str(options.jobdir)
    overridden = {item.partition("=")[0].strip() for item in job.overrides}
    for name, value in values.items():
        if name not in overridden:
            settings.set(name, value, priority="cmdline")


def _record_locked(db: Any, names: list[str], args: dict[str, Any], message: str) -> None:
    """Leave a 'locked' row for an overlapping attempt (best effort: the running crawl comes first)."""
    from archive.db import ArchiveError, finish_run, start_run

    try:
        run_id = start_run(db, names, args)
        finish_run(db, run_id, status="locked", finish_reason=message, stats={}, exit_code=EXIT_LOCKED)
    except ArchiveError:
        pass
