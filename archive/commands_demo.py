"""``warta demo``: crawl the bundled offline demo site into an archive, then browse it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from archive.cli import cli, db_option


@cli.command()
@db_option
@click.option("--no-serve", is_flag=True, help="Only build the archive; do not start Datasette.")
@click.option("--port", default=8001, show_default=True, help="Port of Datasette (warta serve).")
@click.option("--site-port", default=0, help="Port of the demo news site (0: any free port).")
def demo(db_path: Path, no_serve: bool, port: int, site_port: int) -> None:
    """Crawl the offline demo news site with the real kompas spider, then serve the archive.

    The demo site (archive/demo_site: the seed article, a two-page article, an updated article, the
    same article under an amp and a utm URL, a daily index, sitemaps, robots.txt) is served on
    127.0.0.1; the crawl prints what it fetched, stored, aliased and skipped. Run it twice: the
    second run stores nothing new ("unchanged").

    \b
    Example:
      warta demo                 # crawl into archive.db, then open http://127.0.0.1:8001
      warta demo --no-serve --db /tmp/demo.db
    """
    from archive.commands_crawl import format_summary
    from archive.demo import run_demo

    click.echo(f"Crawling the demo site into {db_path} ...")
    result, exit_code = run_demo(db_path, site_port=site_port)
    click.echo(format_summary(result.summary()))
    if exit_code:
        raise click.ClickException("demo crawl failed: " + "; ".join(result.failures()))
    if no_serve:
        return
    sys.stdout.flush()  # `warta serve` (exec'd below) prints where it serves
    # A fresh process for Datasette: this one's event loop belonged to the crawl's reactor.
    os.execv(
        sys.executable,
        [sys.executable, "-c", "from archive.cli import cli; cli(prog_name='warta')",
         "serve", "--db", str(db_path), "--port", str(port)],
    )
