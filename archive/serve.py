"""Datasette over the archive: metadata, bundled plugins and settings in one place.

``make_datasette`` builds the same instance for ``warta serve`` and for the tests, so what the
tests check is what users get.
"""

from __future__ import annotations

import ipaddress
import sys
import threading
import webbrowser
from pathlib import Path
from typing import Any

import yaml
from datasette.app import Datasette

from archive.db import ArchiveError, open_archive

__all__ = [
    "METADATA_FILE", "PLUGINS_DIR", "PUBLIC_SETTINGS", "SETTINGS", "exposure_warning", "is_loopback",
    "load_metadata", "make_datasette", "serve",
]

HERE = Path(__file__).resolve().parent
METADATA_FILE = HERE / "metadata.yml"
PLUGINS_DIR = HERE / "plugins"
TEMPLATES_DIR = HERE / "templates"
#: The database key used in metadata.yml; replaced by the served file's name.
METADATA_DB_KEY = "archive"

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


def make_datasette(db_path: str | Path, *, public: bool = False, **kwargs: Any) -> Datasette:
    """A Datasette for the archive: mutable (not immutable), so it reads while a crawl writes.

    ``public=True`` applies PUBLIC_SETTINGS (no arbitrary SQL, tighter limits).
    """
    settings = {**SETTINGS, **(PUBLIC_SETTINGS if public else {}), **kwargs.pop("settings", {})}
    return Datasette(
        [str(db_path)],
        metadata=load_metadata(db_path),
        plugins_dir=str(PLUGINS_DIR),
        template_dir=str(TEMPLATES_DIR),
        settings=settings,
        **kwargs,
    )


def serve(
    db_path: str | Path, host: str = "127.0.0.1", port: int = 8001, open_browser: bool = False, public: bool = False
) -> None:
    """Serve the archive with Datasette until interrupted.

    Prints exposure_warning to stderr when arbitrary SQL would be reachable from other machines;
    ``public`` turns it off (PUBLIC_SETTINGS). Raises ArchiveError when the file is missing or not
    an archive (serving never creates one).
    """
    import uvicorn  # a Datasette dependency; imported here so the CLI starts fast

    path = Path(db_path)
    if not path.is_file():
        raise ArchiveError(f"no archive at {path}: run `warta crawl` or `warta demo` first, or pass --db")
    # Migrate and check it before serving: views and indexes of newer schema versions must exist.
    open_archive(path).close()
    warning = exposure_warning(host, public)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    ds = make_datasette(path, public=public)
    url = f"http://{host}:{port}/"
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning")
