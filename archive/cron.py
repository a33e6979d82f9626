"""What makes ``warta crawl`` safe to run from cron: one lock per archive, exit codes, logs, verdicts.

- :class:`ArchiveLock`: ``flock`` on the archive file itself (its inode: every symlink and hard link
  of it is the same lock) and on ``<real path>.lock``, held for the whole run. The kernel drops them
  when the process dies (even by SIGKILL), so there is never a stale lock to clean up; the lock file
  keeps the holder's pid and start time for the message an overlapping run prints.
- :func:`setup_logging`: the crawl log as plain lines, appended to ``--log-file`` through a
  ``WatchedFileHandler`` (logrotate's move+create and ``copytruncate`` both work: the handler
  reopens the path when the file it wrote to is gone or replaced). Quiet when nothing is watching.
- :class:`LogWatch`: reads the log records as they pass to tell spider errors (our code failed)
  from fetch errors (the network failed: counted per reason, not a failed run) and to see which
  signal stopped the crawl.
- :func:`verdict`: the run's status and exit code from the crawl stats (``scrapy crawl`` exits 0
  whatever happened): the one judgement of a crawl, for ``warta crawl`` and ``warta demo`` alike.

``archive.runner.run`` puts these together into one recorded run.
"""

from __future__ import annotations

import fcntl
import json
import logging
import logging.handlers
import os
import shutil
import socket
import statistics
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

#: Exit codes of ``warta crawl`` (documented in the README).
EXIT_OK = 0  # the crawl finished cleanly
EXIT_FAILED = 1  # the crawl failed: spider errors over --max-errors, a bad finish reason, site unreachable
EXIT_USAGE = 2  # usage error (unknown site, bad option, unusable archive path)
EXIT_LOCKED = 3  # another run holds this archive's lock; it was left alone
EXIT_SITE = 4  # the crawl ran, but a site is not ok: empty, blocked or degraded (crawl_sites says why)
EXIT_SIGINT = 130  # stopped by SIGINT (Ctrl-C): 128 + 2, the shell's convention
EXIT_SIGTERM = 143  # stopped by SIGTERM: 128 + 15

EXIT_CODES: dict[int, str] = {
    EXIT_OK: "finished cleanly",
    EXIT_FAILED: "crawl failed (spider errors over --max-errors, finish reason not 'finished', site unreachable)",
    EXIT_USAGE: "usage error",
    EXIT_LOCKED: "another crawl holds the archive's lock",
    EXIT_SITE: "a site is not ok (empty, blocked or degraded): see crawl_sites and the per-site lines",
    EXIT_SIGINT: "interrupted by SIGINT; committed articles kept",
    EXIT_SIGTERM: "interrupted by SIGTERM; committed articles kept",
}

LOG_FORMAT = "%(asctime)s %(process)d [%(name)s] %(levelname)s: %(message)s"
LOG_DATEFORMAT = "%Y-%m-%d %H:%M:%S"

#: ERROR lines Scrapy logs when a download failed (after its retries): network trouble, counted as
#: not fetched with a reason, not as a failure of our code.
FETCH_ERROR_PREFIXES = ("Gave up retrying", "Error downloading")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# --------------------------------------------------------------------------------------------
# The lock
# --------------------------------------------------------------------------------------------


class LockHeld(Exception):
    """Another process holds the archive's lock; the message names it."""


def lock_path(db_path: Path) -> Path:
    """The lock file of an archive: ``archive.db`` -> ``archive.db.lock``, beside the *real* file
    (symlinks resolved), so every symlink of an archive names one lock file."""
    real = Path(os.path.realpath(db_path))
    return real.with_name(real.name + ".lock")


def flock_holder(path: Path) -> int | None:
    """The pid holding a ``flock`` on ``path``'s inode, from /proc/locks (None: unknown)."""
    try:
        st = os.stat(path)
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return None
    inode = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    for line in lines:
        fields = line.split()
        # "1: FLOCK  ADVISORY  WRITE 12345 08:01:1234 0 EOF" ("->" marks a waiter)
        if len(fields) >= 6 and fields[1] == "FLOCK" and "->" not in fields and fields[5] == inode:
            return int(fields[4]) if fields[4].isdigit() else None
    return None


#: Descriptors of archive files this process locked, kept open until it exits: closing any
#: descriptor of a file drops every POSIX lock the process holds on it, SQLite's included (a
#: connection of this process could lose its lock mid-transaction). One per run: a few bytes.
_PARKED: list[int] = []


def _park(fd: int) -> None:
    """Keep an archive file's descriptor open for the life of the process (see _PARKED)."""
    _PARKED.append(fd)


class ArchiveLock:
    """An exclusive, non-blocking ``flock`` on the archive file for the length of a crawl.

    Two locks, taken in this order: ``<real path>.lock`` (holds the holder's description; shared by
    every symlink of the archive), then the archive file's own inode (shared by every hard link too,
    wherever it lives). A ``flock`` on the database does not meet SQLite's own locks (POSIX record
    locks, a separate kind on Linux); the archive cannot live on NFS anyway (WAL needs shared
    memory). The lock file is never deleted: unlinking a lock file lets a third process lock a fresh
    inode while a second still holds the old one.
    """

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self.path = lock_path(self.db_path)
        self.fd: int | None = None
        self.db_fd: int | None = None

    def acquire(self, what: str = "") -> None:
        """Take the lock or raise LockHeld at once (cron must not queue runs up)."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = self._read_holder(fd)
            os.close(fd)
            raise self._held(holder) from None
        db_fd = self._lock_file_itself()
        os.ftruncate(fd, 0)
        info = {"pid": os.getpid(), "host": socket.gethostname(), "started": _now(), "what": what}
        os.write(fd, (json.dumps(info) + "\n").encode())
        self.fd, self.db_fd = fd, db_fd
        # Undo the lock file if the archive's own lock was taken by another name of it.
        if db_fd == -1:
            self.release()
            pid = flock_holder(self.db_path)
            raise self._held(f"pid {pid}, through another name of this file" if pid else "through another name")

    def _lock_file_itself(self) -> int | None:
        """flock the archive file's inode: the fd, None when there is no file yet, -1 when held."""
        try:
            db_fd = os.open(self.db_path, os.O_RDONLY)
        except FileNotFoundError:
            return None  # nothing to protect yet: the archive is created under the lock file's lock
        try:
            fcntl.flock(db_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            _park(db_fd)
            return -1
        return db_fd

    def _held(self, holder: str) -> LockHeld:
        return LockHeld(
            f"another crawl holds the lock on {self.path.name[: -len('.lock')]} ({holder});"
            " this run exits and leaves it alone"
        )

    @staticmethod
    def _read_holder(fd: int) -> str:
        try:
            info = json.loads(os.pread(fd, 4096, 0).decode() or "{}")
        except (OSError, ValueError):
            info = {}
        if not info:
            return "holder unknown"
        return f"pid {info.get('pid')} on {info.get('host')}, started {info.get('started')}" + (
            f", {info['what']}" if info.get("what") else ""
        )

    def release(self) -> None:
        """Drop both locks."""
        if self.db_fd is not None and self.db_fd >= 0:
            fcntl.flock(self.db_fd, fcntl.LOCK_UN)
            _park(self.db_fd)
        self.db_fd = None
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> ArchiveLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


# --------------------------------------------------------------------------------------------
# Logging
# --------------------------------------------------------------------------------------------


class LogWatch(logging.Handler):
    """Counts ERROR records by kind and remembers the shutdown signal Scrapy reports."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.spider_errors = 0
        self.fetch_errors = 0
        self.signal_name: str | None = None
        self.first_errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # a broken log call must not break the crawl
            message = str(record.msg)
        if record.name.startswith("scrapy.crawler") and message.startswith("Received SIG"):
            # "Received SIGTERM, shutting down gracefully..." (the first signal is the one that counts)
            self.signal_name = self.signal_name or message.split()[1].rstrip(",")
        if record.levelno < logging.ERROR:
            return
        if message.startswith(FETCH_ERROR_PREFIXES):
            self.fetch_errors += 1
        else:
            self.spider_errors += 1
            if len(self.first_errors) < 3:
                self.first_errors.append(message.splitlines()[0][:200])


@dataclass
class LogSetup:
    """The handlers one run installed on the root logger (removed by :meth:`close`)."""

    watch: LogWatch
    handlers: list[logging.Handler]
    log_file: Path | None
    quiet: bool

    def close(self) -> None:
        root = logging.getLogger()
        for handler in [self.watch, *self.handlers]:
            root.removeHandler(handler)
            handler.close()


def is_terminal(stream: IO[str] | None) -> bool:
    """True when a person is watching the stream (not cron, not a pipe)."""
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError):
        return False


def setup_logging(
    log_file: Path | None, level: str = "INFO", *, quiet: bool = False, progress: bool = False
) -> LogSetup:
    """Install this run's log handlers on the root logger (Scrapy's own root handler stays off).

    - ``log_file``: every line at INFO and above (DEBUG when asked), appended, reopened after rotation.
    - stderr: the log at ``level`` unless ``quiet``; only WARNING and above while a progress line
      is drawn on the terminal (INFO lines would tear it apart).
    """
    root = logging.getLogger()
    root.setLevel(logging.NOTSET)
    formatter = logging.Formatter(LOG_FORMAT, LOG_DATEFORMAT)
    handlers: list[logging.Handler] = []
    if log_file is not None:
        file_handler = logging.handlers.WatchedFileHandler(log_file, mode="a", encoding="utf-8")
        file_handler.setLevel(min(logging.getLevelName(level), logging.INFO))
        file_handler.setFormatter(formatter)
        handlers.append(file_handler)
    if not quiet:
        stream = logging.StreamHandler(sys.stderr)
        stream_level = logging.getLevelName(level)
        stream.setLevel(max(stream_level, logging.WARNING) if progress else stream_level)
        stream.setFormatter(formatter)
        handlers.append(stream)
    watch = LogWatch()
    for handler in [watch, *handlers]:
        root.addHandler(handler)
    return LogSetup(watch=watch, handlers=handlers, log_file=log_file, quiet=quiet)


def open_log_file(log_file: Path) -> None:
    """Fail early, in one line, when the log file cannot be written (before any crawl starts)."""
    try:
        with open(log_file, "a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise OSError(f"cannot write the log file {log_file}: {exc.strerror or exc}") from None


# --------------------------------------------------------------------------------------------
# The verdict
# --------------------------------------------------------------------------------------------


#: Site verdicts: ok, or what is wrong with the site (empty, blocked, degraded); not_judged when the
#: run stopped early (a signal, a finish reason other than "finished"): its counts prove nothing.
SITE_VERDICTS = ("ok", "empty", "blocked", "degraded", "not_judged")
#: HTTP answers that mean "not for you" rather than "not here" or "broken".
BLOCKING_STATUSES = ("401", "403", "429", "503")
#: The stats counted as discovery pages (the spider counts each listing read or failed).
DISCOVERY_FAILED_URLS = "warta/discovery/failed_urls"


@dataclass
class SiteVerdict:
    """One site's health in one run: its verdict, why, what to do, and the counts it was judged on."""

    site: str
    verdict: str
    reason: str | None
    advice: str | None
    counts: dict[str, Any]

    def line(self) -> str:
        """The line ``warta crawl`` prints for the site."""
        c = self.counts
        figures = (
            f"discovery {c['discovery_fetched']} read/{c['discovery_failed']} failed, pages {c['pages']},"
            f" new {c['articles_new']}, updated {c['articles_updated']}, unchanged {c['articles_unchanged']},"
            f" skipped {sum(c['skipped'].values())}, not fetched {sum(c['not_fetched'].values())}"
        )
        out = f"{self.site}: {self.verdict} ({figures})"
        if self.verdict not in ("ok", "not_judged"):
            out += f"\n  {self.verdict}: {self.reason}; {self.advice}"
        return out


@dataclass
class Verdict:
    """How a run ended: the crawl_runs status, the exit code, and why (for the failure line)."""

    status: str
    exit_code: int
    problems: list[str]
    sites: dict[str, SiteVerdict] = field(default_factory=dict)


def _prefixed(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    """``{name: count}`` of the stats ``<prefix><name>`` (one level, numbers only)."""
    out: dict[str, int] = {}
    for key, value in stats.items():
        rest = key[len(prefix) :]
        if key.startswith(prefix) and rest and "/" not in rest and isinstance(value, int | float):
            out[rest] = int(value)
    return dict(sorted(out.items()))


def site_counts(stats: dict[str, Any]) -> dict[str, Any]:
    """The per-site figures of one spider's stats: what crawl_sites stores and the verdict reads."""

    def n(key: str) -> int:
        value = stats.get(key, 0)
        return int(value) if isinstance(value, int | float) else 0

    return {
        "discovery_fetched": n("warta/discovery/fetched"),
        "discovery_failed": n("warta/discovery/failed"),
        "discovery_failed_urls": list(stats.get(DISCOVERY_FAILED_URLS) or []),
        "discovered": n("warta/discovered"),
        "pages": n("downloader/response_count"),
        "article_pages": n("warta/pages/article"),
        "articles": n("warta/articles/yielded"),
        "articles_new": n("warta/articles/new"),
        "articles_updated": n("warta/articles/updated"),
        "articles_unchanged": n("warta/articles/unchanged"),
        "same_body": n("warta/articles/same_body"),
        "dated": n("warta/articles/dated"),
        "body_chars_median": n("warta/articles/body_chars_median"),
        "parse_failures": n("warta/skipped/parse_error"),
        "incomplete": n("warta/multipage/incomplete"),
        "known": n("warta/known"),
        "challenges": n("warta/challenge"),
        "skipped": _prefixed(stats, "warta/skipped/"),
        "not_fetched": _prefixed(stats, "warta/failed/"),
        "http_status": _prefixed(stats, "downloader/response_status_count/"),
    }


def default_thresholds() -> dict[str, float]:
    """The health thresholds' declared defaults (``archive.crawling.ARCHIVE_SETTINGS``, WARTA_HEALTH_*)."""
    from archive.crawling import ARCHIVE_SETTINGS

    return {k: float(v[0]) for k, v in ARCHIVE_SETTINGS.items() if k.startswith("WARTA_HEALTH_")}


def _median(values: list[float]) -> float:
    return float(statistics.median(values)) if values else 0.0


def degraded(counts: dict[str, Any], history: list[dict[str, Any]], t: dict[str, float]) -> str | None:
    """Why this run's figures are far below the site's recent ok runs (None: they are not, or too
    little history to say)."""
    if len(history) < t["WARTA_HEALTH_MIN_RUNS"]:
        return None
    articles = counts["articles"]
    usual = _median([h["articles"] for h in history])
    if usual >= t["WARTA_HEALTH_MIN_ARTICLES"] and articles < usual * t["WARTA_HEALTH_ARTICLES_RATIO"]:
        return f"{articles} articles, the site's recent runs had {usual:g} (median)"
    if articles < t["WARTA_HEALTH_MIN_SAMPLE"]:
        return None  # too few articles in this run to judge their shape
    dated_usual = _median([h["dated"] / h["articles"] for h in history if h["articles"]])
    dated = counts["dated"] / articles
    if dated_usual and dated < dated_usual * t["WARTA_HEALTH_DATED_RATIO"]:
        return f"{dated:.0%} of articles have a date, usually {dated_usual:.0%}"
    body_usual = _median([h["body_chars_median"] for h in history if h["articles"]])
    if body_usual and counts["body_chars_median"] < body_usual * t["WARTA_HEALTH_BODY_RATIO"]:
        return f"median body {counts['body_chars_median']} characters, usually {body_usual:g}"
    failures_usual = _median(
        [h["parse_failures"] / (h["articles"] + h["parse_failures"]) for h in history if h["articles"]]
    )
    failures = counts["parse_failures"] / (articles + counts["parse_failures"])
    if failures > failures_usual + t["WARTA_HEALTH_PARSE_FAILURES_EXTRA"]:
        return f"{failures:.0%} of article pages failed to parse, usually {failures_usual:.0%}"
    return None


def judge_site(
    name: str, stats: dict[str, Any], history: list[dict[str, Any]], t: dict[str, float]
) -> SiteVerdict:
    """One site's verdict from its counts (and its recent ok runs, for ``degraded``)."""
    counts = site_counts(stats)
    if stats.get("finish_reason") != "finished":
        return SiteVerdict(name, "not_judged", f"finish reason {stats.get('finish_reason')!r}", None, counts)
    statuses = counts["http_status"]
    blocking = sum(v for k, v in statuses.items() if k in BLOCKING_STATUSES) + counts["challenges"]
    if counts["pages"] and blocking / counts["pages"] >= t["WARTA_HEALTH_BLOCKED_SHARE"]:
        detail = ", ".join(f"{k}: {v}" for k, v in statuses.items() if k in BLOCKING_STATUSES)
        if counts["challenges"]:
            detail += (", " if detail else "") + f"challenge pages: {counts['challenges']}"
        return SiteVerdict(
            name,
            "blocked",
            f"{blocking} of {counts['pages']} answers refused us ({detail})",
            "check robots.txt and the User-Agent (WARTA_CONTACT), slow down (--set DOWNLOAD_DELAY=5"
            " --set CONCURRENT_REQUESTS_PER_DOMAIN=1), or ask the site to allow the crawler",
            counts,
        )
    if counts["discovery_failed"] and not counts["discovery_fetched"] and not counts["articles"]:
        urls = ", ".join(counts["discovery_failed_urls"]) or "?"
        return SiteVerdict(
            name,
            "empty",
            f"every discovery URL failed ({counts['discovery_failed']}): {urls}",
            f"discovery URLs failed: {urls}; check them in a browser and in the site's profile (scraper/sites)",
            counts,
        )
    # Only for stats a Warta spider counted in (a bare stats dict says nothing about discovery).
    # A run resumed from --jobdir reads article pages straight from its queue: not empty.
    if not counts["discovered"] and not counts["article_pages"] and any(k.startswith("warta/") for k in stats):
        return SiteVerdict(
            name,
            "empty",
            f"nothing discovered ({counts['discovery_fetched']} discovery pages read, no article URL in them)",
            "the sitemaps/feeds/index pages list no article URL: check the profile's article_url pattern",
            counts,
        )
    why = degraded(counts, history, t)
    if why:
        return SiteVerdict(
            name,
            "degraded",
            why,
            "the site's layout may have changed: check a page with `warta extract URL` and its parser",
            counts,
        )
    return SiteVerdict(name, "ok", None, None, counts)


def unreachable(stats: dict[str, Any]) -> str | None:
    """Why a spider's site counts as unreachable: no answer at all, or only 5xx/429 answers."""
    responses = int(stats.get("downloader/response_count", 0) or 0)
    if not responses:
        errors = {
            k.rsplit("/", 1)[-1].rsplit(".", 1)[-1]: v
            for k, v in stats.items()
            if k.startswith("downloader/exception_type_count/")
        }
        detail = ", ".join(f"{k} {v}" for k, v in sorted(errors.items()))
        return "nothing fetched (site unreachable" + (f": {detail})" if detail else ")")
    good = sum(
        int(v)
        for k, v in stats.items()
        if k.startswith("downloader/response_status_count/")
        and k.rsplit("/", 1)[-1].isdigit()
        and int(k.rsplit("/", 1)[-1]) < 500
        and k.rsplit("/", 1)[-1] != "429"
    )
    if not good:
        return f"site unreachable: all {responses} answers were 5xx/429"
    return None


def verdict(
    stats_by_spider: dict[str, dict[str, Any]],
    watch: LogWatch | None = None,
    *,
    max_errors: int = 0,
    history: dict[str, list[dict[str, Any]]] | None = None,
    thresholds: dict[str, float] | None = None,
) -> Verdict:
    """Status and exit code of a crawl from its stats and what the log watch saw.

    Each site is judged too (:func:`judge_site`: ok, empty, blocked, degraded against ``history``,
    the counts of its recent ok runs); a site that is not ok fails the run with EXIT_SITE, unless
    the run failed worse (EXIT_FAILED) or was interrupted.
    """
    t = {**default_thresholds(), **(thresholds or {})}
    sites = {
        name: judge_site(name, s, (history or {}).get(name, []), t) for name, s in stats_by_spider.items()
    }
    problems: list[str] = []
    if not stats_by_spider:
        problems.append("no spider ran")
    reasons = {name: s.get("finish_reason") for name, s in stats_by_spider.items()}
    signal_name = watch.signal_name if watch else None
    interrupted = signal_name is not None or "shutdown" in reasons.values()
    for name, s in stats_by_spider.items():
        reason = reasons[name]
        if reason == "archive_unwritable":
            problems.append(
                f"{name}: stopped: the archive cannot be written (archive_unwritable: disk full or read-only?)"
            )
        elif reason not in ("finished", "shutdown"):
            problems.append(f"{name}: finish reason {reason!r}")
        exceptions = sum(int(v) for k, v in s.items() if k.startswith("spider_exceptions/"))
        lost = int(s.get("warta/articles/lost", 0) or 0)
        if lost:
            problems.append(f"{name}: {lost} articles could not be stored")
        if exceptions and watch is None:
            problems.append(f"{name}: {exceptions} spider exceptions")
        why = None if interrupted else unreachable(s)
        if why:
            problems.append(f"{name}: {why}")
    if watch is not None and watch.spider_errors > max_errors:
        first = f" (first: {watch.first_errors[0]})" if watch.first_errors else ""
        problems.append(f"{watch.spider_errors} errors logged, more than --max-errors {max_errors}{first}")
    if interrupted:
        code = EXIT_SIGINT if signal_name == "SIGINT" else EXIT_SIGTERM if signal_name == "SIGTERM" else EXIT_FAILED
        for site in sites.values():
            site.verdict, site.reason, site.advice = "not_judged", "interrupted", None
        return Verdict("interrupted", code, problems or [f"interrupted by {signal_name or 'shutdown'}"], sites)
    # With what to do: under cron this one failure line is all that is printed.
    unhealthy = [
        f"{v.site}: {v.verdict}: {v.reason}; {v.advice}"
        for v in sites.values()
        if v.verdict not in ("ok", "not_judged")
    ]
    if problems:
        return Verdict("failed", EXIT_FAILED, problems + unhealthy, sites)
    if unhealthy:
        return Verdict("failed", EXIT_SITE, unhealthy, sites)
    return Verdict("finished", EXIT_OK, [], sites)


def crawl_summary_line(summary: dict[str, Any], verdict_: Verdict) -> str:
    """The one line a cron log (or mail) gets for a run."""
    return (
        f"crawl {verdict_.status} (exit {verdict_.exit_code}): fetched {summary.get('pages_fetched', 0)} pages,"
        f" new {summary.get('articles_new', 0)}, updated {summary.get('updated', 0)},"
        f" unchanged {summary.get('unchanged', 0)}, aliases {summary.get('aliases', 0)},"
        f" skipped {summary.get('skipped', 0)}, errors {summary.get('errors', 0)}"
        + (f"; {'; '.join(verdict_.problems)}" if verdict_.problems else "")
    )


# --------------------------------------------------------------------------------------------
# One cron-grade run
# --------------------------------------------------------------------------------------------


class CrawlExit(Exception):
    """The end of a run that is not a clean finish: a one-line message and its exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class RunOptions:
    """How ``warta crawl`` runs under cron: its log, its output, its tolerance for errors."""

    log_file: Path | None = None
    log_level: str = "INFO"
    quiet: bool | None = None  # None: quiet when logging to a file and no terminal is attached
    progress: bool | None = None  # None: on when stderr is a terminal and not quiet
    max_errors: int = 0
    jobdir: Path | None = None

    def resolved_quiet(self) -> bool:
        if self.quiet is not None:
            return self.quiet
        return self.log_file is not None and not (is_terminal(sys.stdout) or is_terminal(sys.stderr))

    def resolved_progress(self) -> bool:
        if self.progress is not None:
            return self.progress
        return is_terminal(sys.stderr) and not self.resolved_quiet()


#: What Scrapy keeps in a JOBDIR: the fingerprints of every request made, the pending queue, the
#: spider's state. After a *finished* crawl the queue is empty and ``requests.seen`` would filter
#: every request of the next run (which then fetches nothing): they describe a finished job.
JOBDIR_STATE = ("requests.seen", "requests.queue", "spider.state")


def close_finished_jobdir(jobdir: Path | None, stats_by_spider: dict[str, dict[str, Any]]) -> bool:
    """Clear a JOBDIR whose crawl finished (every spider's finish reason "finished"), so that the
    next cron run with the same ``--jobdir`` crawls afresh; an interrupted crawl's JOBDIR is kept
    for the next run to resume. True when it was cleared."""
    if jobdir is None or not stats_by_spider:
        return False
    if any(s.get("finish_reason") != "finished" for s in stats_by_spider.values()):
        return False
    for name in JOBDIR_STATE:
        path = jobdir / name
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif path.exists():
            path.unlink()
    return True
