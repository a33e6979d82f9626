"""The ``warta`` command. Subcommands live beside the library code they drive and attach
themselves to :data:`cli` when this module imports them (see the bottom of the file)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Callable

import click

DEFAULT_DB = "archive.db"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="warta")
def cli() -> None:
    """Warta: a deduplicated, searchable archive of Indonesian online news.

    Crawl news sites with Scrapy, clean each article, store it once in SQLite, browse it with
    Datasette and export CSV.
    """


def db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """The ``--db PATH`` option every archive command shares."""

    @click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=DEFAULT_DB,
        show_default=True,
        envvar="WARTA_DB",
        help="SQLite archive file (env WARTA_DB).",
    )
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    return wrapper


def main() -> None:  # pragma: no cover - console entry point
    cli()


# Subcommand modules: each one does ``from archive.cli import cli`` and decorates its commands
# with ``@cli.command()``. Imported last so that ``cli`` exists when they import it.
import importlib as _importlib  # noqa: E402

for _name in ("commands_extract", "commands_archive", "commands_crawl", "commands_demo", "commands_stories"):
    _importlib.import_module(f"archive.{_name}")
