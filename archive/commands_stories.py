"""``warta stories``: the same story from several outlets (see :mod:`archive.stories`)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from archive.cli import cli, db_option
from archive.db import ArchiveError, open_archive
from archive.stories import largest_stories, regroup_stories, unfingerprinted


@cli.command()
@db_option
@click.option("--rebuild", is_flag=True, help="Fingerprint every article again and regroup them all first.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(0), help="How many stories to list.")
@click.option("--json", "as_json", is_flag=True, help="Print the stories as JSON.")
def stories(db_path: Path, rebuild: bool, limit: int, as_json: bool) -> None:
    """List the stories carried by the most outlets; --rebuild regroups the whole archive.

    Articles are grouped as they are saved: a syndicated copy (the same wire story on another
    site, a regional Tribun edition) joins the story of the article it nearly duplicates.
    --rebuild recomputes every fingerprint and group, e.g. after upgrading an archive made
    before stories existed. In Datasette the groups are the story_groups view.

    \b
    Example:
        warta stories --db archive.db --limit 10
        warta stories --db archive.db --rebuild
    """
    if not db_path.is_file():
        raise click.ClickException(f"no archive at {db_path}: run `warta crawl` or `warta demo` first, or pass --db")
    try:
        db = open_archive(db_path)
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None
    if rebuild:
        start = time.monotonic()
        show = (lambda n: click.echo(f"\r{n:,} articles", err=True, nl=False)) if sys.stderr.isatty() else None
        result = regroup_stories(db, progress=show)
        if show is not None:
            click.echo("", err=True)
        click.echo(
            f"Regrouped {result.articles:,} articles in {time.monotonic() - start:.1f}s: "
            f"{result.grouped:,} in {result.stories:,} stories of two or more",
            err=True,
        )
    missing = unfingerprinted(db)
    if missing:
        click.echo(f"{missing:,} articles have no fingerprint yet: run `warta stories --rebuild`", err=True)
    if limit == 0 and not as_json:
        return
    rows = largest_stories(db, limit)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("No story is carried by more than one article yet.")
        return
    for row in rows:
        click.echo(
            f"story {row['story']}: {row['outlets']} outlets, {row['articles']} articles, "
            f"first {row['first_published'] or '-'} ({row['sites']})"
        )
        click.echo(f"  {row['title']}")
