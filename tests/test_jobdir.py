"""``--jobdir`` under cron (issue 11 §5): after a crawl that finished, the next run with the same
folder crawls again (Scrapy's ``requests.seen`` of a finished crawl would filter every request);
an interrupted crawl still resumes from it. Real ``warta`` subprocesses against 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

from tests.sitegen import article_count, crawl_args, run, site_server, write_site


def test_two_runs_with_one_jobdir_both_crawl(tmp_path: Path) -> None:
    folder, db, jobdir = tmp_path / "site", tmp_path / "archive.db", tmp_path / "job"
    routes, robots = write_site(folder, 2)
    with site_server(routes, robots) as server:
        first = run(crawl_args(server, db, "--jobdir", str(jobdir)))
        assert first.returncode == 0, first.stderr
        assert article_count(db) == 2
        more, _ = write_site(folder, 4)  # two new articles in the sitemap
        server.site.routes.update(more)
        before = len(server.requested())
        second = run(crawl_args(server, db, "--jobdir", str(jobdir)))
        assert second.returncode == 0, second.stderr
        assert any("sitemap" in k for k in server.requested()[before:])
    assert article_count(db) == 4
