"""Cluster throughput: pages/s and CPU per page per process, 1-3 workers beside the single crawl.

One run, one machine, the same generated mirror (tests/sitegen.py) served on 127.0.0.1, politeness
off (``--fast``), captures off everywhere (the same work in every configuration):

- ``warta crawl kompas`` (one process: fetch, extract, write);
- ``warta cluster`` with 1, 2, 3 workers and one writer on a private redis-server.

Wall time is from the seed (or the crawl's start) until every article is in the archive; CPU is
each process's own user+system time (``os.wait4``), start-up included, divided by the pages.

    .venv/bin/python -m benchmarks.cluster --articles 1000
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.redis_server import RedisServer
from tests.sitegen import article_count, crawl_env, site_server, warta_command, write_site


def cpu_of(proc: subprocess.Popen[bytes], timeout: float = 300) -> float:
    """Wait for the process; its user+system CPU seconds."""
    deadline = time.monotonic() + timeout
    while True:
        pid, _status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = 0
            return usage.ru_utime + usage.ru_stime
        if time.monotonic() > deadline:
            proc.kill()
            raise TimeoutError(f"{proc.args} did not finish")
        time.sleep(0.05)


def wait_articles(db: Path, n: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while article_count(db) < n:
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {article_count(db)} of {n} archived")
        time.sleep(0.05)


def start(args: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=crawl_env())


def single(root: str, work: Path, n: int) -> dict[str, Any]:
    db = work / "single.db"
    began = time.monotonic()
    proc = start([*warta_command(), "crawl", "kompas", "--root", root, "--db", str(db), "--fast", "--no-captures",
                  "--quiet"])
    cpu = cpu_of(proc)
    wall = time.monotonic() - began
    assert article_count(db) == n
    return {"config": "warta crawl (1 process)", "wall": wall, "cpu": {"crawl": cpu}}


def clustered(root: str, work: Path, n: int, workers: int) -> dict[str, Any]:
    db = work / f"cluster-{workers}.db"
    with RedisServer(work / f"redis-{workers}") as redis:
        cluster = [*warta_command(), "cluster"]
        writer = start([*cluster, "writer", "--db", str(db), "--redis", redis.url, "--idle-exit", "10", "--quiet"])
        procs = [
            start([*cluster, "worker", "kompas", "--redis", redis.url, "--root", root, "--fast", "--idle-exit", "10",
                   "--quiet"])
            for _ in range(workers)
        ]
        time.sleep(3)  # the workers' start-up (Scrapy imports), not part of the crawl
        began = time.monotonic()
        subprocess.run([*cluster, "seed", "kompas", "--redis", redis.url], check=True, env=crawl_env(),
                       capture_output=True)
        wait_articles(db, n)
        wall = time.monotonic() - began
        cpu = {f"worker {k + 1}": cpu_of(p) for k, p in enumerate(procs)}
        cpu["writer"] = cpu_of(writer)
    assert article_count(db) == n
    return {"config": f"cluster, {workers} worker(s) + writer", "wall": wall, "cpu": cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    n = args.articles
    with tempfile.TemporaryDirectory(prefix="warta-cluster-bench-") as tmp:
        work = Path(tmp)
        routes, robots = write_site(work / "site", n)
        with site_server(routes, robots) as server:
            results = [single(server.root, work, n)]
            for workers in (1, 2, 3):
                results.append(clustered(server.root, work, n, workers))
    cpu_model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), platform.processor())
    print(f"machine: {platform.node()}, {os.cpu_count()} cores ({cpu_model}), Python {platform.python_version()}")
    print(f"{n} articles (+3 discovery pages), --fast, no captures; CPU includes each process's start-up\n")
    print("| configuration | wall s | pages/s | CPU ms/page per process | CPU ms/page total |")
    print("|---|---:|---:|---|---:|")
    for r in results:
        per = ", ".join(f"{name} {1000 * cpu / n:.2f}" for name, cpu in r["cpu"].items())
        total = 1000 * sum(r["cpu"].values()) / n
        print(f"| {r['config']} | {r['wall']:.1f} | {n / r['wall']:.0f} | {per} | {total:.2f} |")


if __name__ == "__main__":
    main()
