"""Datasette over the archive: settings in one place; metadata and plugins come as a Datasette plugin.

The plugins (archive/plugins, with the metadata and templates) are registered through the
``datasette`` entry point, so plain ``datasette archive.db`` gets them too. ``make_datasette``
builds the instance the tests use; ``warta serve`` runs Datasette's own ``serve`` command with
Warta's settings (and any Datasette option passed through), so both see the same plugins and
settings.
"""

from __future__ import annotations

import importlib
import ipaddress
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from datasette.app import Datasette

from archive.db import ArchiveError, open_archive
from archive.plugins import PLUGIN_MODULES
from archive.plugins.warta_metadata import METADATA_DB_KEY, METADATA_FILE

__all__ = [
    "METADATA_FILE", "PLUGINS_DIR", "PUBLIC_SETTINGS", "SETTINGS", "datasette_argv", "exposure_warning",
    "is_loopback", "load_metadata", "make_datasette", "register_plugins", "serve",
]

HERE = Path(__file__).resolve().parent
PLUGINS_DIR = HERE / "plugins"
TEMPLATES_DIR = PLUGINS_DIR / "templates"

SETTINGS: dict[str, Any] = {
    # Facets over a large archive (site, day) need more than the 200 ms default.
    "facet_time_limit_ms": 1000,
    "sql_time_limit_ms": 3000,
    # The archive is served locally to its owner: let ?_stream=on CSV export all of it
    # instead of stopping at the default 100 MB.
    "max_csv_mb": 0,
    "truncate_cells_html": 300,
    # Suggesting facets runs a query per column on every table page: seconds on a large archive
    # (measured 200k rows). The useful facets are configured in metadata.yml.
    "suggest_facets": False,
}


#: ``--public``: what an instance anyone can reach runs with, on top of SETTINGS. Arbitrary SQL is off
#: (canned queries, tables, facets and search still work): with it, one query can hold a thread
#: for the whole time limit and fill memory (``select randomblob(...)`` took the server to 349 MB),
#: and no time limit bounds memory. The limits bound what the remaining pages may cost.
PUBLIC_SETTINGS: dict[str, Any] = {
    "default_allow_sql": False,  # no ?sql= and no _where= (Datasette's execute-sql permission)
    "sql_time_limit_ms": 1000,  # Datasette's default; a search over a large archive may hit it
    "facet_time_limit_ms": 500,
    "max_returned_rows": 1000,  # the largest canned query asks for 1000
    "max_csv_mb": 100,  # Datasette's default cap on ?_stream=on, instead of the owner's unlimited
    "allow_download": False,  # the whole database file is gigabytes at a million articles
    "allow_facet": False,  # ?_facet= on any column (say body) is a query per request; the configured facets stay
}


def is_loopback(host: str) -> bool:
    """Whether ``host`` only listens on this machine (127.0.0.0/8, ::1 or localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name other than localhost may resolve anywhere
        return False


def exposure_warning(host: str, public: bool) -> str | None:
    """The one-line warning for serving arbitrary SQL beyond this machine (None when not needed)."""
    if public or is_loopback(host):
        return None
    return (
        f"warning: --host {host} lets anyone who can reach this machine run arbitrary SQL on the archive "
        "(one query can exhaust memory or CPU); use --public to turn SQL off and tighten limits"
    )


def database_name(db_path: str | Path) -> str:
    """The name Datasette gives a database file (its stem)."""
    return Path(db_path).stem


def load_metadata(db_path: str | Path, metadata_file: str | Path = METADATA_FILE) -> dict[str, Any]:
    """metadata.yml with its database section and links renamed for the file being served."""
    metadata = yaml.safe_load(Path(metadata_file).read_text(encoding="utf-8"))
    name = database_name(db_path)
    if name != METADATA_DB_KEY:
        databases = metadata.get("databases", {})
        if METADATA_DB_KEY in databases:
            databases[name] = databases.pop(METADATA_DB_KEY)
        if "description_html" in metadata:
            metadata["description_html"] = metadata["description_html"].replace(
                f"/{METADATA_DB_KEY}/", f"/{name}/"
            )
    return metadata


def register_plugins() -> None:
    """Register every Warta plugin the ``datasette`` entry point did not (a checkout not pip-installed).

    Never twice: a module registered twice would run its hooks twice (a CSV cell quoted twice).
    """
    from datasette.plugins import pm

    for name in ("archive.plugins", *PLUGIN_MODULES):
        module = importlib.import_module(name)
        if not pm.is_registered(module):
            pm.register(module, name)


def make_datasette(db_path: str | Path, *, public: bool = False, **kwargs: Any) -> Datasette:
    """A Datasette for the archive: mutable (not immutable), so it reads while a crawl writes.

    The metadata comes from the warta_metadata plugin, as with plain ``datasette``.
    ``public=True`` applies PUBLIC_SETTINGS (no arbitrary SQL, tighter limits).
    """
    register_plugins()
    settings = {**SETTINGS, **(PUBLIC_SETTINGS if public else {}), **kwargs.pop("settings", {})}
    return Datasette([str(db_path)], settings=settings, **kwargs)


def _setting_value(value: Any) -> str:
    """A setting as Datasette's ``--setting NAME VALUE`` reads it."""
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def datasette_argv(
    db_path: str | Path, host: str, port: int, open_browser: bool, public: bool, extra: Sequence[str] = ()
) -> list[str]:
    """The arguments of Datasette's ``serve`` for ``warta serve``: Warta's settings, then the options
    passed through (a later ``--setting`` wins), then, with ``public``, PUBLIC_SETTINGS again so that
    no pass-through option loosens them."""
    argv = [str(db_path), "--host", host, "--port", str(port)]
    if open_browser:
        argv.append("--open")
    for name, value in {**SETTINGS, **(PUBLIC_SETTINGS if public else {})}.items():
        argv += ["--setting", name, _setting_value(value)]
    argv += list(extra)
    if public:
        for name, value in PUBLIC_SETTINGS.items():
            argv += ["--setting", name, _setting_value(value)]
    return argv


def serve(
    db_path: str | Path,
    host: str = "127.0.0.1",
    port: int = 8001,
    open_browser: bool = False,
    public: bool = False,
    datasette_args: Sequence[str] = (),
) -> None:
    """Serve the archive with Datasette's own ``serve`` command until interrupted.

    ``datasette_args`` are further options of ``datasette serve`` (``--setting NAME VALUE``,
    ``--cors``, ``--metadata``, ``--get PATH``...). Prints exposure_warning to stderr when arbitrary
    SQL would be reachable from other machines; ``public`` turns it off (PUBLIC_SETTINGS). Raises
    ArchiveError when the file is missing or not an archive (serving never creates one).
    """
    import click
    from datasette.cli import serve as datasette_serve

    path = Path(db_path)
    if not path.is_file():
        raise ArchiveError(f"no archive at {path}: run `warta crawl` or `warta demo` first, or pass --db")
    # Migrate and check it before serving: views and indexes of newer schema versions must exist.
    open_archive(path).close()
    warning = exposure_warning(host, public)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    register_plugins()
    argv = datasette_argv(path, host, port, open_browser, public, datasette_args)
    try:
        datasette_serve.main(argv, prog_name="warta serve --", standalone_mode=False)
    except click.ClickException as exc:  # a wrong pass-through option: Datasette's own one-line message
        raise ArchiveError(f"datasette: {exc.format_message()}") from None
    except click.exceptions.Abort:
        pass
