"""A crawl against a faulty server: 500/503/429 answers, answers slower than the timeout, connection
resets, truncated bodies (for the first attempts of some articles), a redirect loop and a permanent
500 (for others), and paths disallowed in robots.txt. The crawl goes on and exits 0; every article
the server eventually served is archived; every other one is recorded with its reason.

Real ``warta crawl`` subprocess, 127.0.0.1, a short DOWNLOAD_TIMEOUT and RETRY_TIMES=3 as overrides.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from archive.cron import EXIT_OK
from archive.demo import MirrorSite
from tests.httpserver import Fault, FaultServer
from tests.sitegen import article_key, article_url, crawl_args, crawl_env, rows, runs, write_site

N = 30
TIMEOUT = 2.0  # seconds; short, but not so short that a loaded CI machine times out honest answers

#: Fault by article number (i % 10): transient ones first, then permanent ones.
TRANSIENT = {
    0: Fault(status=500, times=2),
    1: Fault(status=503, times=1),
    2: Fault(status=429, times=2),
    3: Fault(delay=TIMEOUT + 1.5, times=1),  # slower than the timeout, once
    4: Fault(reset=True, times=2),
    5: Fault(truncate=200, times=1),  # Content-Length says more than is sent
}
PERMANENT = {
    6: Fault(redirect_loop=True),
    7: Fault(status=500),
}
DISALLOWED = 8  # robots.txt disallows these articles' paths


class CountingFaultServer(FaultServer):
    """A FaultServer that also remembers which requests it answered with a fault."""

    def __init__(self, site: MirrorSite) -> None:
        super().__init__(site)
        self.faulted: list[str] = []

    def fault_for(self, key: str) -> Fault | None:
        fault = super().fault_for(key)
        if fault is not None:
            self.faulted.append(key)
        return fault

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet: clients hanging up on slow or reset answers is the point of this server."""


def test_the_crawl_goes_on_through_faults_and_records_what_it_could_not_get(tmp_path: Path) -> None:
    disallowed = [i for i in range(N) if i % 10 == DISALLOWED]
    robots_extra = "".join(f"Disallow: {article_url(i).split('kompas.com', 1)[1]}\n" for i in disallowed)
    routes, robots = write_site(tmp_path / "site", N, robots_extra=robots_extra)
    db = tmp_path / "archive.db"
    with CountingFaultServer(MirrorSite(routes=routes, default_robots=robots)) as server:
        for i in range(N):
            fault = TRANSIENT.get(i % 10) or PERMANENT.get(i % 10)
            if fault is not None:
                # One Fault object per URL: ``times`` counts per URL ("the first attempts of each").
                server.faults[article_key(i)] = Fault(**vars(fault))
        result = subprocess.run(
            crawl_args(
                server,
                db,
                "--set",
                f"DOWNLOAD_TIMEOUT={TIMEOUT}",
                "--set",
                "RETRY_TIMES=3",
                "--log-file",
                str(tmp_path / "crawl.log"),
            ),
            capture_output=True,
            text=True,
            timeout=180,
            env=crawl_env(),
        )
        hits = list(server.hits)
        faulted = list(server.faulted)
    assert result.returncode == EXIT_OK, result.stderr[-3000:]

    article_keys = {article_key(i): i for i in range(N)}
    # Served: answered in full at least once (a 200 that was not a truncated/faulted answer).
    ok_hits = [h.key for h in hits if h.status == 200 and h.key in article_keys]
    served_counts: dict[str, int] = {}
    for key in ok_hits:
        served_counts[key] = served_counts.get(key, 0) + 1
    for key in faulted:
        if key in served_counts and TRANSIENT.get(article_keys[key] % 10, Fault()).truncate is not None:
            served_counts[key] -= 1  # the truncated answer was recorded as a 200
    served = {article_url(article_keys[k]) for k, n in served_counts.items() if n > 0}
    archived = {r[0] for r in rows(db, "SELECT canonical_url FROM articles")}

    expected_served = {article_url(i) for i in range(N) if i % 10 in TRANSIENT or i % 10 == 9}
    assert served == expected_served  # every transient fault was retried through
    assert archived == served  # every article eventually served is archived
    assert rows(db, "SELECT count(*) - count(DISTINCT canonical_url) FROM articles")[0][0] == 0

    (run,) = runs(db)
    stats = json.loads(run["stats"])
    assert run["status"] == "finished" and run["exit_code"] == EXIT_OK
    not_fetched = stats["not_fetched"]
    assert not_fetched.get("http_500") == 3  # the permanent 500s
    assert not_fetched.get("redirect_loop") == 3
    assert stats["robots_forbidden"] == len(disallowed) and not_fetched.get("robots") == len(disallowed)
    assert sum(not_fetched.values()) == N - len(archived)  # each article: archived or a reason
    assert stats["fetch_errors"] >= 3 and stats["spider_errors"] == 0
    status_counts = json.loads(run["http_status"])
    assert {"500", "503", "429", "302"} <= set(status_counts)

    by_kind: dict[str, int] = {}
    for key in faulted:
        i = article_keys[key]
        fault = TRANSIENT.get(i % 10) or PERMANENT[i % 10]
        kind = (
            f"http_{fault.status}"
            if fault.status
            else (
                "timeout"
                if fault.delay
                else "reset" if fault.reset else "truncated" if fault.truncate else "redirect_loop_hop"
            )
        )
        by_kind[kind] = by_kind.get(kind, 0) + 1
    requests = len(hits)  # every request is recorded once (a timed-out one when its late answer starts)
    print(
        f"\nfault server: {len(faulted)} of {requests} requests answered with a fault ({len(faulted) / requests:.0%}):"
        f" {dict(sorted(by_kind.items()))}; articles archived {len(archived)} of {len(served)} served"
        f" ({N} listed); not fetched: {not_fetched}"
    )
    assert len(faulted) / requests > 0.3
