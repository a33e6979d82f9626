"""Crawling on several machines: scrapy-redis workers, one archive writer, a Redis item stream.

The parts (README: "Crawl on several machines"):

- **seed** (:func:`seed`): starts a cluster run: the run's arguments in ``<cluster>:run``, the
  per-site dupefilters cleared, one seed record per site in ``<cluster>:<site>:seeds``. Refuses
  (exit 3) while a site's request queue still holds requests of the previous run.
- **workers** (:func:`run_worker`): ordinary Warta spiders on scrapy-redis's scheduler
  (``SCHEDULER_PERSIST``: a worker that finishes must not delete the shared queue) with one shared
  request queue and dupefilter per site. The dupefilter fingerprints on the canonical URL
  (:class:`CanonicalRedisDupeFilter`: scrapy-redis's own ignores ``REQUEST_FINGERPRINTER_CLASS``).
  The one worker that pops a site's seed runs its discovery (:class:`ClusterSpiderMixin`); the
  sitemaps, feeds and articles it finds go to the shared queue and any worker fetches them.
  Workers open no SQLite: "already archived" is a Redis hash the writer keeps
  (:class:`ClusterArchivedFilter`), items go to the stream (:class:`StreamPipeline`), WARC
  records to the worker's own files with their ``captures`` rows sent on the stream
  (:class:`ClusterCaptureMiddleware`).
- **the writer** (:class:`Writer`): the only process that opens the archive. It reads the stream
  through a consumer group, writes a batch in one transaction together with the id of its last
  entry (``cluster_streams``), and acknowledges (XACK + XDEL) only after the commit. Killed after
  the commit and before the XACK, it finds the batch pending when it restarts, sees from the
  stored id that it is in the archive already, and acknowledges it without writing it again.

Nothing here writes a scheduler: scrapy-redis is the engine. The shims are small and say why.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.spiders import RedisMixin

from archive.crawling import ArchivedFilter

if TYPE_CHECKING:
    import redis
    import sqlite_utils
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import Settings

logger = logging.getLogger(__name__)

#: The consumer group (and its one consumer) of the item stream: there is one writer per archive.
GROUP = "writer"
CONSUMER = "writer"
#: Seconds a worker caches the run record it read from Redis.
RUN_CHECK_SECONDS = 2.0


# --------------------------------------------------------------------------------------------
# Keys
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Keys:
    """The Redis keys of one cluster (``WARTA_CLUSTER``, ``--cluster``)."""

    cluster: str = "warta"

    @property
    def run(self) -> str:
        return f"{self.cluster}:run"

    @property
    def items(self) -> str:
        return f"{self.cluster}:items"

    @property
    def known(self) -> str:
        return f"{self.cluster}:known"

    @property
    def known_loaded(self) -> str:
        return f"{self.cluster}:known:loaded"

    def requests(self, site: str) -> str:
        return f"{self.cluster}:{site}:requests"

    def dupefilter(self, site: str) -> str:
        return f"{self.cluster}:{site}:dupefilter"

    def seeds(self, site: str) -> str:
        return f"{self.cluster}:{site}:seeds"


def connect(url: str) -> redis.Redis:
    """A Redis client for ``url`` (``redis://host:port/db``), checked with a PING."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=10, socket_timeout=30, retry_on_timeout=True)
    client.ping()
    return client


class ClusterError(Exception):
    """A one-line reason a cluster command cannot go on, with its exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# --------------------------------------------------------------------------------------------
# Seeding a run
# --------------------------------------------------------------------------------------------


def in_progress(client: redis.Redis, keys: Keys, sites: Iterable[str]) -> dict[str, int]:
    """Requests and seeds still queued per site (a run that has not drained yet)."""
    out = {}
    for site in sites:
        left = int(client.zcard(keys.requests(site))) + int(client.llen(keys.seeds(site)))
        if left:
            out[site] = left
    return out


def seed(client: redis.Redis, keys: Keys, sites: list[str], args: dict[str, Any]) -> dict[str, Any]:
    """Start a cluster run of ``sites``: the run record, fresh dupefilters, one seed per site.

    Raises ClusterError (exit 3) when a previous run of one of the sites has not drained: cron's
    next attempt is left alone, as ``warta crawl`` leaves a held lock alone.
    """
    from archive.cron import EXIT_LOCKED

    busy = in_progress(client, keys, sites)
    if busy:
        detail = ", ".join(f"{site}: {n} queued" for site, n in busy.items())
        raise ClusterError(f"a cluster run is still in progress ({detail}); this seed leaves it alone", EXIT_LOCKED)
    run = {"id": f"{int(time.time() * 1000)}-{os.getpid()}", "sites": sites, "args": args, "seeded": _now(),
           "host": socket.gethostname()}
    with client.pipeline() as pipe:
        pipe.set(keys.run, json.dumps(run, sort_keys=True))
        for site in sites:
            # A new run asks for every page again: the archive's filter, not the dupefilter, skips
            # what is archived.
            pipe.delete(keys.dupefilter(site))
            pipe.rpush(keys.seeds(site), json.dumps({"run": run["id"]}))
        pipe.execute()
    return run


def status(client: redis.Redis, keys: Keys, sites: Iterable[str] | None = None) -> dict[str, Any]:
    """What a cluster holds: the run, queued requests and seeds per site, the stream's backlog."""
    raw = client.get(keys.run)
    run = json.loads(raw) if raw else None
    names = list(sites or (run or {}).get("sites", []))
    stream = {"length": 0, "pending": 0}
    if client.exists(keys.items):
        stream["length"] = int(client.xlen(keys.items))
        try:
            stream["pending"] = int(client.xpending(keys.items, GROUP)["pending"])
        except Exception:  # no group yet: no writer has started
            stream["pending"] = 0
    return {
        "run": run,
        "queued": {s: int(client.zcard(keys.requests(s))) for s in names},
        "seeds": {s: int(client.llen(keys.seeds(s))) for s in names},
        "items": stream,
        "known": int(client.hlen(keys.known)),
    }


# --------------------------------------------------------------------------------------------
# Worker side: the scrapy-redis shims
# --------------------------------------------------------------------------------------------


def _keys(settings: Any) -> Keys:
    return Keys(str(settings.get("WARTA_CLUSTER") or "warta"))


class CanonicalRedisDupeFilter(RFPDupeFilter):
    """scrapy-redis's shared dupefilter, fingerprinting with the project's ``REQUEST_FINGERPRINTER_CLASS``.

    The shim: scrapy-redis 0.9.1 hashes method + URL + body itself and ignores Scrapy's fingerprinter,
    so ``?page=all``, amp and utm variants of one article would each be fetched once per worker.
    """

    fingerprinter: Any = None

    @classmethod
    def from_spider(cls, spider: Any) -> CanonicalRedisDupeFilter:
        df = super().from_spider(spider)
        df.fingerprinter = spider.crawler.request_fingerprinter
        return df

    def request_fingerprint(self, request: Request) -> str:
        if self.fingerprinter is None:
            return str(super().request_fingerprint(request))
        return bytes(self.fingerprinter.fingerprint(request)).hex()


class ClusterSpiderMixin(RedisMixin):
    """Makes a Warta spider a cluster worker: discovery from a seed, the run's arguments from Redis.

    - ``start()`` yields nothing: discovery runs once per run, in the worker that pops the seed
      (scrapy-redis's ``spider_idle`` pops it and calls :meth:`make_request_from_data`).
    - The run's arguments (``date``, ``since``, ``until``, ``full_sitemaps``, ``refresh``) are read
      from ``<cluster>:run``; a new run clears the spider's per-run memory of URLs requested.
    - robots.txt sitemaps come from the discovery's own robots.txt request, not from every
      worker's RobotsTxtMiddleware (which reads each host's robots.txt once per process).
    - The idle clock restarts whenever the worker did something: scrapy-redis 0.9.1 counts
      ``MAX_IDLE_TIME_BEFORE_CLOSE`` from the class's import, so a worker busy for longer than it
      would close at its first idle moment.
    """

    _run_id: str | None = None
    _run_checked: float = 0.0
    _activity: tuple[int, int] = (-1, -1)

    # Provided by NewsSpider:
    site: Any
    name: str
    crawler: Any
    settings: Any
    logger: Any

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Any:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # One queue, dupefilter and seed list per site (the generic "site" spider serves many).
        spider.name = spider.site.name
        spider.keys = _keys(crawler.settings)
        spider.setup_redis(crawler)
        return spider

    async def start(self) -> Any:
        self.extract_pool()
        return
        yield  # an async generator that yields nothing

    def robots_parsed(self, robotparser: Any, request: Any) -> None:
        """Nothing: the seed's discovery reads robots.txt for its sitemaps itself."""

    def current_run(self, force: bool = False) -> None:
        """Apply the run record of ``<cluster>:run`` when it changed (cached for a few seconds)."""
        now = time.monotonic()
        if not force and now - self._run_checked < RUN_CHECK_SECONDS:
            return
        self._run_checked = now
        assert self.server is not None
        raw = self.server.get(self.keys.run)
        run = json.loads(raw) if raw else None
        if not run or run.get("id") == self._run_id:
            return
        from scraper.spiders.base import truthy

        self._run_id = run["id"]
        args = run.get("args") or {}
        self.days = self._days(args.get("date"), args.get("since"), args.get("until"))
        self.full_sitemaps = truthy(args.get("full_sitemaps", False))
        self.refresh = truthy(args.get("refresh", False))
        sitemaps = args.get("sitemaps")
        self.use_sitemaps = truthy(sitemaps) if sitemaps is not None else not self.days
        for memory in ("_requested", "_yielded", "_variants", "_sitemaps_seen"):
            getattr(self, memory).clear()

    def make_request_from_data(self, data: bytes) -> list[Any]:
        """A seed record: this run's discovery requests (index pages, sitemaps, robots.txt, feeds)."""
        self.current_run(force=True)
        self.logger.info("Seeded: discovery of %s for run %s", self.site.name, self._run_id)
        requests: list[Any] = list(self.index_requests())
        if self.use_sitemaps:
            requests += self.sitemap_requests(list(self.site.discovery.sitemaps))
            requests += self.robots_requests()
        for feed in self.site.discovery.feeds:
            from scraper.spiders.base import PRIORITY_FEED

            requests.append(self.request(feed, callback=self.parse_feed, priority=PRIORITY_FEED))
        return requests

    def follow(self, url: str, *, lastmod: str | None = None) -> Iterator[Any]:
        self.current_run()
        yield from super().follow(url, lastmod=lastmod)

    def spider_idle(self) -> None:
        stats = self.crawler.stats
        activity = (
            int(stats.get_value("response_received_count", 0) or 0),
            int(stats.get_value("scheduler/enqueued/redis", 0) or 0),
        )
        if activity != self._activity:
            self._activity = activity
            self.spider_idle_start_time = int(time.time())
        super().spider_idle()


def cluster_spider(spidercls: type) -> type:
    """The cluster worker's variant of a Warta spider class."""
    return type(f"Cluster{spidercls.__name__}", (ClusterSpiderMixin, spidercls), {"__module__": __name__})


class ClusterArchivedFilter(ArchivedFilter):
    """The archive's "already archived" filter, reading the writer's Redis hash instead of SQLite."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler, db=None)
        from scrapy_redis.connection import get_redis_from_settings

        self.server = get_redis_from_settings(crawler.settings)
        self.keys = _keys(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClusterArchivedFilter:
        return cls(crawler)

    def state(self, canonical: str) -> tuple[str, bool] | None:
        """The writer's hash holds the articles stored whole (an incomplete one is fetched again)."""
        value: Any = self.server.hget(self.keys.known, canonical)
        if value is None:
            return None
        return (value.decode() if isinstance(value, bytes) else value), False

    def keep(self, output: Any) -> bool:
        spider = self.crawler.spider
        if spider is not None and hasattr(spider, "current_run"):
            spider.current_run()  # the run's ``refresh``
        return super().keep(output)

    def spider_closed(self) -> None:
        pass


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


class StreamPipeline:
    """ITEM_PIPELINES of a worker: every article and alias item goes to the cluster's item stream.

    One XADD per item, as the item is scraped: a killed worker loses only the requests it had in
    flight, and the next run's discovery finds those articles again (they are not archived).
    """

    def __init__(self, crawler: Crawler) -> None:
        from scrapy_redis.connection import get_redis_from_settings

        self.crawler = crawler
        self.server = get_redis_from_settings(crawler.settings)
        self.keys = _keys(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StreamPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        if item.get("warta_alias_of"):
            kind = "alias"
        elif item.get("canonical_url"):
            kind = "article"
        else:
            return item
        captures = getattr(self.crawler, "warta_cluster_captures", None)
        if captures is not None:
            captures.flush()  # this article's capture rows go first: no archived article without them
        record = {k: v for k, v in item.items() if k != "story_fingerprint"}  # the writer computes it
        self.server.xadd(self.keys.items, {"kind": kind, "data": _json(record)})
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"warta/cluster/sent/{kind}")
        return item


class ClusterCaptureMiddleware:
    """DOWNLOADER_MIDDLEWARES of a worker: WARC records in this worker's own files, rows to the stream.

    Each worker writes its own WARC files under ``<WARTA_CAPTURES_DIR>/cluster/<host>/`` (no two
    processes share a file: the names carry the pid); the ``captures`` rows (file relative to the
    archive's WARC folder) go to the stream after the records are fsynced, and the writer inserts
    them. Without an archive to ask, every fetch is a full response record (no revisit records).
    """

    def __init__(self, crawler: Crawler, root: Path, prefix: str, batch: int, max_bytes: int) -> None:
        from scrapy_redis.connection import get_redis_from_settings

        from archive.captures import WarcFiles

        self.crawler = crawler
        self.prefix = prefix  # the files' folder, relative to the archive's WARC folder
        self.files = WarcFiles(root / prefix, max_bytes)
        self.batch = max(1, batch)
        self.rows: list[dict[str, Any]] = []
        self.last_flush = time.monotonic()
        self.server = get_redis_from_settings(crawler.settings)
        self.keys = _keys(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClusterCaptureMiddleware:
        from scrapy import signals
        from scrapy.exceptions import NotConfigured

        from archive.captures import CAPTURE_SETTINGS

        settings = crawler.settings
        if not settings.getbool("WARTA_CAPTURES", CAPTURE_SETTINGS["WARTA_CAPTURES"][0]):
            raise NotConfigured
        root = settings.get("WARTA_CAPTURES_DIR")
        if not root:
            raise NotConfigured
        mw = cls(
            crawler,
            Path(root),
            f"cluster/{socket.gethostname()}",
            settings.getint("WARTA_CAPTURES_BATCH", CAPTURE_SETTINGS["WARTA_CAPTURES_BATCH"][0]),
            settings.getint("WARTA_CAPTURES_MAX_BYTES", CAPTURE_SETTINGS["WARTA_CAPTURES_MAX_BYTES"][0]),
        )
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        crawler.warta_cluster_captures = mw  # type: ignore[attr-defined]  # StreamPipeline flushes it
        return mw

    def process_response(self, request: Request, response: Response) -> Response:
        from archive.captures import FLUSH_SECONDS, Fetch, _pairs, build_records, payload_digest, warc_date

        if "cached" in response.flags:
            return response
        fetch = Fetch(
            url=request.url,
            method=request.method,
            request_headers=_pairs(request.headers),
            request_body=request.body or b"",
            status=response.status,
            response_headers=_pairs(response.headers),
            body=response.body,
            fetched=datetime.now(UTC),
            protocol=getattr(response, "protocol", None) or "HTTP/1.1",
        )
        digest = payload_digest(fetch.body)
        try:
            records = build_records(fetch, digest, None)
            file, (offset, _request_offset) = self.files.append(records, fetch.fetched)
        except OSError as exc:  # a full disk must not stop the crawl: the article is still archived
            logger.error("Capture of %s not written: %s", request.url, exc)
            self.inc("warta/captures/failed")
            return response
        self.rows.append({
            "url": fetch.url, "fetched_at": warc_date(fetch.fetched), "status": fetch.status,
            "content_type": (response.headers.get(b"Content-Type") or b"").decode("latin-1") or None,
            "payload_digest": digest, "payload_length": len(fetch.body), "record_type": "response",
            "revisit_of": None, "file": f"{self.prefix}/{file}", "offset": offset, "length": len(records[0]),
            "request_length": len(records[1]), "canonical": request.meta.get("warta_canonical"),
        })
        self.inc("warta/captures/written")
        if len(self.rows) >= self.batch or time.monotonic() - self.last_flush >= FLUSH_SECONDS:
            self.flush()
        return response

    def flush(self) -> None:
        """fsync the WARC file, then send the rows: a row never names a record that is not on disk."""
        self.last_flush = time.monotonic()
        if not self.rows:
            return
        self.files.sync()
        rows, self.rows = self.rows, []
        with self.server.pipeline(transaction=False) as pipe:
            for row in rows:
                pipe.xadd(self.keys.items, {"kind": "capture", "data": _json(row)})
            pipe.execute()

    def spider_closed(self) -> None:
        try:
            self.flush()
        finally:
            self.files.close()

    def inc(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)


def worker_settings(
    redis_url: str,
    cluster: str,
    *,
    fast: bool = False,
    idle_exit: int = 0,
    captures_dir: Path | None = None,
    processes: int = 0,
    overrides: tuple[str, ...] = (),
) -> Settings:
    """The Scrapy settings of a worker: the scraper's, scrapy-redis, the cluster's components.

    Not ``archive.scrapy_settings``: its add-on opens the archive (pipeline, filter, heartbeat,
    captures), and a worker never does.
    """
    from scrapy.settings import Settings

    from archive.cron import EXIT_USAGE, CrawlExit
    from scraper.settings import FAST_SETTINGS

    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    if fast:
        settings.setdict(FAST_SETTINGS, priority="cmdline")
    keys = Keys(cluster)
    settings.setdict(
        {
            "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
            "SCHEDULER_PERSIST": True,  # else the first worker to finish deletes the shared queue
            "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",  # discovery before articles
            "SCHEDULER_QUEUE_KEY": keys.requests("%(spider)s"),
            "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter("%(spider)s"),
            "SCHEDULER_DUPEFILTER_CLASS": "archive.cluster.CanonicalRedisDupeFilter",
            "DUPEFILTER_CLASS": "archive.cluster.CanonicalRedisDupeFilter",
            "REDIS_URL": redis_url,
            "REDIS_START_URLS_KEY": keys.seeds("%(name)s"),
            "MAX_IDLE_TIME_BEFORE_CLOSE": int(idle_exit),
            "WARTA_CLUSTER": cluster,
            "ITEM_PIPELINES": {"archive.cluster.StreamPipeline": 300},
            "SPIDER_MIDDLEWARES": {"archive.cluster.ClusterArchivedFilter": 950},
            "DOWNLOADER_MIDDLEWARES": {"archive.cluster.ClusterCaptureMiddleware": 890} if captures_dir else {},
            "WARTA_CAPTURES": captures_dir is not None,
            "WARTA_CAPTURES_DIR": str(captures_dir) if captures_dir else None,
            "WARTA_EXTRACT_PROCESSES": processes,
        },
        priority="cmdline",
    )
    for item in overrides:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise CrawlExit(f"--set needs KEY=VALUE, got {item!r}", EXIT_USAGE)
        settings.set(key.strip(), value, priority="cmdline")
    return settings


def worker_spiders(sites: list[str]) -> list[tuple[str, type]]:
    """(site, cluster spider class) per site; an unknown site is a usage error."""
    from scrapy.settings import Settings
    from scrapy.spiderloader import SpiderLoader

    from archive.cron import EXIT_USAGE, CrawlExit
    from scraper.sites import get_site
    from scraper.spiders.base import NewsSpider

    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    loader = SpiderLoader.from_settings(settings)
    known = set(loader.list())
    out = []
    for site in sites:
        try:
            get_site(site)
        except KeyError as exc:
            raise CrawlExit(str(exc.args[0]), EXIT_USAGE) from None
        base = loader.load(site) if site in known and site not in ("site", "generic") else NewsSpider
        out.append((site, cluster_spider(base)))
    return out


def run_worker(sites: list[str], settings: Settings, root: str | None = None) -> dict[str, dict[str, Any]]:
    """Run the cluster spiders of ``sites`` in this process until idle; their stats per site."""
    from scrapy.crawler import CrawlerProcess

    process = CrawlerProcess(settings)
    crawlers = []
    for site, spidercls in worker_spiders(sites):
        crawler = process.create_crawler(spidercls)
        crawlers.append((site, crawler))
        process.crawl(crawler, site=site, **({"root": root} if root else {}))
    process.start()
    return {site: dict(crawler.stats.get_stats()) if crawler.stats else {} for site, crawler in crawlers}


def worker_verdict(stats: dict[str, dict[str, Any]], watch: Any, max_errors: int = 0) -> Any:
    """The one verdict (``archive.cron.verdict``) over the spiders that had work; idle ones are fine."""
    from archive.cron import Verdict, verdict

    worked = {site: s for site, s in stats.items() if int(s.get("scheduler/dequeued/redis", 0) or 0)}
    idle = {site: s for site, s in stats.items() if site not in worked}
    if not worked:
        reasons = {s.get("finish_reason") for s in idle.values()}
        if reasons <= {"finished"} and (watch is None or watch.spider_errors <= max_errors):
            return Verdict("finished", 0, [])
    return verdict(worked or idle, watch, max_errors=max_errors)


def send_run_record(client: redis.Redis, keys: Keys, record: dict[str, Any]) -> None:
    """A worker's run (its summary and verdict) goes to the stream: the writer makes it a crawl_runs row."""
    client.xadd(keys.items, {"kind": "run", "data": _json(record)})


# --------------------------------------------------------------------------------------------
# The writer
# --------------------------------------------------------------------------------------------


def _stream_id(value: bytes | str) -> tuple[int, int]:
    text = value.decode() if isinstance(value, bytes) else value
    ms, _, seq = text.partition("-")
    return int(ms), int(seq or 0)


@dataclass
class WriterCounts:
    """What a writer did since it started."""

    entries: int = 0
    batches: int = 0
    replayed: int = 0  # entries found committed already (a crash between COMMIT and XACK)
    articles: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    same_body: int = 0
    aliases: int = 0
    invalid: int = 0
    captures: int = 0
    runs: int = 0
    errors: list[str] = field(default_factory=list)


class Writer:
    """Drains the item stream into the archive: one transaction per batch, XACK after the commit."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        client: redis.Redis,
        keys: Keys,
        *,
        batch: int = 200,
        block_ms: int = 1000,
        run_id: int | None = None,
    ) -> None:
        self.db = db
        self.client = client
        self.keys = keys
        self.batch = max(1, batch)
        self.block_ms = block_ms
        self.run_id = run_id
        self.counts = WriterCounts()
        self.stopping = False

    def ensure_group(self) -> None:
        """The consumer group, reading from the stream's first entry (workers may start first)."""
        import redis

        try:
            self.client.xgroup_create(self.keys.items, GROUP, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    def load_known(self, chunk: int = 5000) -> int:
        """Fill the workers' "already archived" hash from the archive, once per cluster."""
        if self.client.exists(self.keys.known_loaded):
            return 0
        count = 0
        query = (
            "SELECT canonical_url, last_seen FROM articles WHERE NOT incomplete UNION ALL "
            "SELECT al.url, a.last_seen FROM aliases al JOIN articles a ON a.id = al.article_id WHERE NOT a.incomplete"
        )
        cursor = self.db.conn.execute(query)
        while True:
            rows = cursor.fetchmany(chunk)
            if not rows:
                break
            self.client.hset(self.keys.known, mapping={url: seen or _now() for url, seen in rows})
            count += len(rows)
        self.client.set(self.keys.known_loaded, _now())
        return count

    def read(self, pending: bool) -> list[tuple[bytes, dict[bytes, bytes]]]:
        """The next entries: this consumer's unacknowledged ones (``pending``), else new ones."""
        answer: Any = self.client.xreadgroup(
            GROUP, CONSUMER, {self.keys.items: "0" if pending else ">"}, count=self.batch,
            block=None if pending else self.block_ms,
        )
        if not answer:
            return []
        _stream, entries = answer[0]
        # A pending entry deleted meanwhile comes back with no fields: acknowledge it and move on.
        return [(entry_id, fields or {}) for entry_id, fields in entries]

    def watermark(self) -> tuple[int, int]:
        row = self.db.conn.execute(
            "SELECT last_id FROM cluster_streams WHERE stream = ?", (self.keys.items,)
        ).fetchone()
        return _stream_id(row[0]) if row else (0, 0)

    def apply(self, entries: list[tuple[bytes, dict[bytes, bytes]]]) -> None:
        """Write one batch in one transaction (skipping entries committed before), then acknowledge it."""
        if entries:
            self.acknowledge(*self.commit(entries))

    def commit(self, entries: list[tuple[bytes, dict[bytes, bytes]]]) -> tuple[list[bytes], dict[str, str]]:
        """The transaction of :meth:`apply`: (the entry ids to acknowledge, the URLs now archived)."""
        from archive.common import write
        from archive.db import ArchiveError
        ids = [entry_id for entry_id, _ in entries]
        last = max(_stream_id(i) for i in ids)
        try:
            with write(self.db) as conn:
                mark = self.watermark()
                fresh = [(i, f) for i, f in entries if _stream_id(i) > mark]
                self.counts.replayed += len(entries) - len(fresh)
                published = self._write(conn, [f for _, f in fresh])
                if fresh:
                    conn.execute(
                        "INSERT INTO cluster_streams (stream, last_id, updated) VALUES (?, ?, ?) "
                        "ON CONFLICT(stream) DO UPDATE SET last_id = excluded.last_id, updated = excluded.updated",
                        (self.keys.items, f"{last[0]}-{last[1]}", _now()),
                    )
        except (sqlite3.DatabaseError, ArchiveError) as exc:
            # Not acknowledged: the entries stay pending and are written by the next attempt.
            raise ArchiveError(f"cannot write a batch of {len(entries)}: {exc}") from exc
        self.counts.entries += len(entries)
        self.counts.batches += 1
        # Acknowledged after the commit only. A kill in between replays the batch, which the
        # watermark then skips.
        return ids, published

    def acknowledge(self, ids: list[bytes], published: dict[str, str]) -> None:
        """Tell the workers what is archived now, and drop the committed entries from the stream."""
        if published:
            self.client.hset(self.keys.known, mapping=published)  # type: ignore[arg-type]
        with self.client.pipeline() as pipe:
            pipe.xack(self.keys.items, GROUP, *ids)
            pipe.xdel(self.keys.items, *ids)
            pipe.execute()

    def _write(self, conn: sqlite3.Connection, fields: list[dict[bytes, bytes]]) -> dict[str, str]:
        """The batch's captures, articles, aliases and worker runs; the URLs now known (for Redis)."""
        from archive.captures import _INSERT
        from archive.db import _lookup_id, add_aliases, save_articles

        captures: list[dict[str, Any]] = []
        articles: list[dict[str, Any]] = []
        aliases: list[dict[str, Any]] = []
        runs: list[dict[str, Any]] = []
        for f in fields:
            kind = (f.get(b"kind") or b"").decode()
            try:
                data = json.loads(f.get(b"data") or b"null")
            except ValueError:
                data = None
            if not isinstance(data, dict):
                self.counts.invalid += 1
                self.counts.errors.append(f"unreadable stream entry of kind {kind!r}")
                continue
            {"capture": captures, "article": articles, "alias": aliases, "run": runs}.get(kind, []).append(data)
        for row in captures:
            canonical = row.pop("canonical", None)
            cur = conn.execute(_INSERT, {**row, "run_id": self.run_id})
            article_id = _lookup_id(self.db, canonical or row["url"]) if (canonical or row["url"]) else None
            if article_id is not None:
                conn.execute("UPDATE captures SET article_id = ? WHERE id = ?", (article_id, cur.lastrowid))
        self.counts.captures += len(captures)
        published: dict[str, str] = {}
        now = _now()
        if articles:
            pairs = []
            records = []
            for item in articles:
                records.append({k: v for k, v in item.items() if k != "discovered_urls"})
                pairs += [(item["canonical_url"], url) for url in item.get("discovered_urls", ())]
            result = save_articles(self.db, records, run_id=self.run_id, seen_at=now)
            for name in ("new", "updated", "unchanged", "same_body", "aliases", "invalid"):
                setattr(self.counts, name, getattr(self.counts, name) + getattr(result, name))
            self.counts.articles += len(records)
            self.counts.errors += result.errors
            for error in result.errors:
                logger.warning("Not archived: %s", error)
            if pairs:
                self.counts.aliases += add_aliases(self.db, pairs, seen_at=now)[0]
            for record in records:
                article_id = _lookup_id(self.db, str(record.get("canonical_url") or ""))
                if article_id is None:  # invalid, or stored under another article (same body)
                    continue
                for url in {record.get("canonical_url"), record.get("url")} - {None}:
                    conn.execute(
                        "UPDATE captures SET article_id = ? WHERE url = ? AND article_id IS NULL", (article_id, url)
                    )
                    if not record.get("incomplete"):  # an incomplete article is fetched again next run
                        published[str(url)] = now
        if aliases:
            self.counts.aliases += add_aliases(
                self.db, [(str(a["warta_alias_of"]), str(a.get("url") or "")) for a in aliases], seen_at=now
            )[0]
        for run in runs:
            self._record_run(conn, run)
        return published

    def _record_run(self, conn: sqlite3.Connection, run: dict[str, Any]) -> None:
        """A worker's run as a crawl_runs row (its own host and pid), so failed workers show in Datasette."""
        from archive.db import finish_run, start_run

        run_id = start_run(self.db, list(run.get("sites", [])), dict(run.get("args", {})))
        finish_run(
            self.db, run_id, status=str(run.get("status", "failed")), finish_reason=run.get("finish_reason"),
            stats=dict(run.get("summary", {})), exit_code=run.get("exit_code"),
        )
        conn.execute(
            "UPDATE crawl_runs SET started = coalesce(?, started), pid = ?, host = ? WHERE id = ?",
            (run.get("started"), run.get("pid"), run.get("host"), run_id),
        )
        self.counts.runs += 1

    def backlog(self) -> int:
        """Entries not yet written: unread plus pending."""
        try:
            return int(self.client.xlen(self.keys.items))
        except Exception:
            return 0

    def run(self, idle_exit: float = 0.0) -> WriterCounts:
        """Write until stopped (SIGTERM/SIGINT: after the batch in hand) or idle for ``idle_exit`` seconds."""
        self.ensure_group()
        while not self.stopping:  # first what an earlier writer read and did not acknowledge
            entries = self.read(pending=True)
            if not entries:
                break
            self.apply(entries)
        idle_since = time.monotonic()
        while not self.stopping:
            entries = self.read(pending=False)
            if entries:
                self.apply(entries)
                idle_since = time.monotonic()
            elif idle_exit and time.monotonic() - idle_since >= idle_exit and not self.backlog():
                break
        return self.counts


def run_writer(
    db_path: Path,
    client: redis.Redis,
    keys: Keys,
    *,
    batch: int = 200,
    idle_exit: float = 0.0,
    log: logging.Logger | None = None,
) -> tuple[int, WriterCounts]:
    """The writer as a recorded run: the archive's lock, a crawl_runs row, the loop; (exit code, counts).

    Raises ClusterError for a held lock (exit 3) or an unusable archive (exit 2).
    """
    from archive.cron import (
        EXIT_FAILED,
        EXIT_LOCKED,
        EXIT_OK,
        EXIT_SIGINT,
        EXIT_SIGTERM,
        EXIT_USAGE,
        ArchiveLock,
        LockHeld,
    )
    from archive.db import ArchiveError, close_stale_runs, finish_run, open_archive, start_run

    log = log or logger
    try:
        db = open_archive(db_path)
    except ArchiveError as exc:
        raise ClusterError(str(exc), EXIT_USAGE) from None
    lock = ArchiveLock(db_path)
    try:
        try:
            lock.acquire(what=f"warta cluster writer ({keys.cluster})")
        except LockHeld as exc:
            raise ClusterError(str(exc), EXIT_LOCKED) from None
        stale = close_stale_runs(db)
        if stale:
            log.warning("Crawl runs %s were left 'running' by a process that is gone: marked killed", stale)
        run_id = start_run(db, ["cluster writer"], {"cluster": keys.cluster})
        writer = Writer(db, client, keys, batch=batch, run_id=run_id)
        received: list[int] = []

        def stop(signum: int, _frame: Any) -> None:
            received.append(signum)
            writer.stopping = True

        previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
        status, code, reason = "finished", EXIT_OK, "idle" if idle_exit else "stopped"
        try:
            loaded = writer.load_known()
            if loaded:
                log.info("Published %d archived URLs to %s", loaded, keys.known)
            log.info("Cluster writer run %d: draining %s into %s (pid %d)", run_id, keys.items, db_path, os.getpid())
            writer.run(idle_exit)
        except ArchiveError as exc:
            status, code, reason = "failed", EXIT_FAILED, str(exc)[:500]
            log.error("Cluster writer run %d failed: %s", run_id, exc)
        except Exception as exc:  # Redis went away: the entries stay in Redis, nothing is lost
            status, code, reason = "failed", EXIT_FAILED, f"error: {exc!r}"[:500]
            log.error("Cluster writer run %d failed: %r", run_id, exc)
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)
        if received:
            status = "interrupted"
            code = EXIT_SIGINT if received[0] == signal.SIGINT else EXIT_SIGTERM
            reason = "shutdown"
        counts = writer.counts
        summary = {
            "articles_new": counts.new, "updated": counts.updated, "unchanged": counts.unchanged,
            "same_body": counts.same_body, "aliases": counts.aliases, "entries": counts.entries,
            "replayed": counts.replayed, "captures": counts.captures, "worker_runs": counts.runs,
            "invalid": counts.invalid, "problems": counts.errors[:20],
        }
        finish_run(db, run_id, status=status, finish_reason=reason, stats=summary, exit_code=code)
        log.info(
            "Cluster writer run %d %s (exit %d): %d entries in %d batches, new %d, updated %d, unchanged %d,"
            " replayed %d, captures %d, worker runs %d",
            run_id, status, code, counts.entries, counts.batches, counts.new, counts.updated, counts.unchanged,
            counts.replayed, counts.captures, counts.runs,
        )
        return code, counts
    finally:
        lock.release()
        db.close()
