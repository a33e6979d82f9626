"""Crawling on several machines, shown on loopback: a real redis-server, real ``warta cluster``
worker and writer processes, a generated mirror of 500 articles.

Every article is archived exactly once; ``kill -9`` of a worker and of the writer mid-crawl, then a
restart, loses nothing and duplicates nothing; a batch committed but not acknowledged (the writer
killed between the two) is recognised when it comes back and not written again.
"""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.httpserver import Fault, FaultServer
from tests.redis_server import NEEDS_REDIS, RedisServer
from tests.sitegen import (
    article_count,
    article_key,
    article_url,
    crawl_env,
    rows,
    run,
    site_server,
    wait_for,
    warta_command,
    write_site,
)

N = 500


@pytest.fixture
def redis_url(tmp_path: Path) -> Any:
    server = RedisServer(tmp_path / "redis")
    try:
        server.start()
    except FileNotFoundError as exc:
        pytest.skip(str(exc))  # "needs redis-server: ..." (.ci/run fails on it)
    try:
        yield server.url
    finally:
        server.stop()


def cluster(*args: str) -> list[str]:
    return [*warta_command(), "cluster", *args]


def start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=crawl_env())


def worker(redis_url: str, server: FaultServer, db: Path, log: Path, *extra: str) -> subprocess.Popen[bytes]:
    """A worker fetching from the mirror, its WARC files in the archive's WARC folder."""
    return start(
        cluster("worker", "kompas", "--redis", redis_url, "--root", server.root, "--fast", "--idle-exit", "4",
                "--captures-dir", str(db.with_name(db.stem + ".warc")), "--quiet", *extra),
        log,
    )


def writer(redis_url: str, db: Path, log: Path, *extra: str) -> subprocess.Popen[bytes]:
    return start(cluster("writer", "--db", str(db), "--redis", redis_url, "--quiet", *extra), log)


def finish(proc: subprocess.Popen[bytes], timeout: float = 60) -> int:
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
        raise


def assert_exactly_once(db: Path, n: int) -> None:
    archived = {r[0] for r in rows(db, "SELECT canonical_url FROM articles")}
    missing = {article_url(i) for i in range(n)} - archived
    assert not missing, f"{len(missing)} articles lost, e.g. {sorted(missing)[:3]}"
    assert rows(db, "SELECT count(*), count(DISTINCT canonical_url) FROM articles")[0] == (n, n)
    assert rows(db, "SELECT count(*) - count(DISTINCT url) FROM aliases")[0][0] == 0
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]


def test_three_workers_and_one_writer_archive_every_article_once_through_kill_9(
    tmp_path: Path, redis_url: str
) -> None:
    routes, robots = write_site(tmp_path / "site", N)
    db = tmp_path / "archive.db"
    logs = tmp_path / "logs"
    logs.mkdir()
    server = site_server(routes, robots)
    for i in range(N):  # slow enough that the kills land mid-crawl, on two cores
        server.faults[article_key(i)] = Fault(delay=0.03)
    slow = ("--set", "CONCURRENT_REQUESTS=4", "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=4")
    with server:
        the_writer = writer(redis_url, db, logs / "writer-1.log", "--batch", "20")
        workers = [worker(redis_url, server, db, logs / f"worker-{k}.log", *slow) for k in range(3)]
        seeded = run(cluster("seed", "kompas", "--redis", redis_url))
        assert seeded.returncode == 0, seeded.stderr
        try:
            wait_for(lambda: article_count(db) >= 100, timeout=90)
            workers[0].send_signal(signal.SIGKILL)  # kill -9 of one worker mid-crawl
            workers[0].wait(timeout=10)
            wait_for(lambda: article_count(db) >= 250, timeout=90)
            the_writer.send_signal(signal.SIGKILL)  # ... and of the writer
            the_writer.wait(timeout=10)
            killed_at = article_count(db)
            assert killed_at < N, "the crawl was over before the writer was killed"
            # Restart: the writer, then a worker and a new seed once the run has drained. The
            # killed worker's requests in flight left the queue with it; the new run's discovery
            # finds those articles again (not archived), and skips the archived ones.
            the_writer = writer(redis_url, db, logs / "writer-2.log", "--batch", "20")
            for proc in workers[1:]:
                assert finish(proc, 90) == 0, (logs / "worker-1.log").read_text()[-2000:]
            again = run(cluster("seed", "kompas", "--redis", redis_url))
            assert again.returncode == 0, again.stderr
            restarted = worker(redis_url, server, db, logs / "worker-3.log")
            assert finish(restarted, 90) == 0, (logs / "worker-3.log").read_text()[-2000:]
            wait_for(lambda: article_count(db) >= N, timeout=60)
        finally:
            for proc in [*workers, the_writer]:
                if proc.poll() is None:
                    proc.terminate()
        assert finish(the_writer, 30) in (0, 143)

    assert_exactly_once(db, N)
    # Each article's capture came with it (rows for records on disk, linked to the article).
    assert rows(db, "SELECT count(*) FROM articles a WHERE NOT EXISTS "
                    "(SELECT 1 FROM captures c WHERE c.article_id = a.id)")[0][0] == 0
    # The runs: the workers' (as crawl_runs rows, with their own pids), the killed writer marked.
    runs = rows(db, "SELECT spiders, status, exit_code FROM crawl_runs ORDER BY id")
    assert ('["cluster writer"]', "killed", None) in runs
    assert sum(1 for r in runs if r[0] == '["kompas"]' and r[1] == "finished") >= 3
    stats = json.loads(rows(db, "SELECT stats FROM crawl_runs WHERE spiders = '[\"cluster writer\"]' "
                                "ORDER BY id DESC LIMIT 1")[0][0])
    print(f"kill test: expected {N}, stored {article_count(db)}, duplicated 0;"
          f" writer killed at {killed_at}; second writer: {stats}")


def test_a_batch_committed_but_not_acknowledged_is_not_written_again(tmp_path: Path, redis_url: str) -> None:
    """The writer killed between COMMIT and XACK: its successor finds the batch pending and skips it."""
    from archive.cluster import GROUP, Keys, Writer, connect
    from archive.db import open_archive

    client = connect(redis_url)
    keys = Keys("t")
    for i in range(5):
        record = {"url": article_url(i), "canonical_url": article_url(i), "site": "kompas",
                  "title": f"Artikel uji nomor {i}", "paragraphs": [f"Isi artikel nomor {i} " * 20],
                  "published": "2024-11-14T10:00:00+07:00"}
        client.xadd(keys.items, {"kind": "article", "data": json.dumps(record)})
    db = open_archive(tmp_path / "archive.db")
    first = Writer(db, client, keys, batch=10)
    first.ensure_group()
    entries = first.read(pending=False)
    first.commit(entries)  # committed; the process "dies" before acknowledge()
    assert rows(tmp_path / "archive.db", "SELECT count(*) FROM articles")[0][0] == 5
    assert client.xpending(keys.items, GROUP)["pending"] == 5

    second = Writer(db, client, keys, batch=10)
    counts = second.run(idle_exit=0.5)
    assert (counts.replayed, counts.new, counts.unchanged) == (5, 0, 0)
    assert client.xpending(keys.items, GROUP)["pending"] == 0 and client.xlen(keys.items) == 0
    assert rows(tmp_path / "archive.db", "SELECT count(*), count(DISTINCT canonical_url) FROM articles")[0] == (5, 5)
    db.close()


def test_seed_leaves_a_run_in_progress_alone_and_unknown_sites_are_usage_errors(redis_url: str) -> None:
    from archive.cluster import Keys, connect

    client = connect(redis_url)
    first = run(cluster("seed", "kompas", "--redis", redis_url))
    assert first.returncode == 0 and "seeded run" in first.stdout
    again = run(cluster("seed", "kompas", "--redis", redis_url))  # no worker took the seed yet
    assert again.returncode == 3 and "still in progress" in again.stderr
    assert client.llen(Keys().seeds("kompas")) == 1
    unknown = run(cluster("seed", "nosuchsite", "--redis", redis_url))
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr
    status = run(cluster("status", "--redis", redis_url, "--json"))
    assert json.loads(status.stdout)["seeds"] == {"kompas": 1}


def test_an_unreachable_redis_is_a_one_line_error(tmp_path: Path) -> None:
    from tests.redis_server import free_port

    url = f"redis://127.0.0.1:{free_port()}/0"
    for args in (["seed", "kompas"], ["status"], ["writer", "--db", str(tmp_path / "a.db")]):
        done = run(cluster(*args, "--redis", url))
        assert done.returncode == 2, done.stderr
        assert "cannot reach Redis" in done.stderr and "Traceback" not in done.stderr


def running_runs(db: Path) -> int:
    try:
        return int(rows(db, "SELECT count(*) FROM crawl_runs WHERE status = 'running'")[0][0])
    except Exception:  # the archive is still being created
        return 0


def test_a_second_writer_exits_3_on_the_archive_lock(tmp_path: Path, redis_url: str) -> None:
    db = tmp_path / "archive.db"
    first = writer(redis_url, db, tmp_path / "w1.log")
    try:
        wait_for(lambda: running_runs(db) == 1, timeout=30)
        second = run(cluster("writer", "--db", str(db), "--redis", redis_url))
        assert second.returncode == 3 and "lock" in second.stderr
    finally:
        first.terminate()
    assert finish(first, 30) == 143
    assert rows(db, "SELECT status, exit_code FROM crawl_runs")[0] == ("interrupted", 143)


def test_needs_redis_skip_reason_is_what_ci_checks() -> None:
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert NEEDS_REDIS in ci and "redis-server" in ci


def test_an_archive_before_the_cluster_gets_the_cluster_watermark_table(tmp_path: Path) -> None:
    import sqlite3

    from archive.db import _V11_CLUSTER_STREAMS, MIGRATIONS, SCHEMA_VERSION, _split_sql, open_archive, schema_version

    path = tmp_path / "archive.db"
    with sqlite3.connect(path, isolation_level=None) as conn:  # as the code before the cluster left it
        for version, step in enumerate(MIGRATIONS[: MIGRATIONS.index(_V11_CLUSTER_STREAMS)], start=1):
            if callable(step):
                step(conn)
            else:
                for statement in _split_sql(step):
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")
    db = open_archive(path)
    assert schema_version(db) == SCHEMA_VERSION and "cluster_streams" in db.table_names()
    db.close()
