"""Datasette over the archive: metadata, bundled plugins and settings in one place.

``make_datasette`` builds the same instance for ``warta serve`` and for the tests, so what the
tests check is what users get.
"""

from __future__ import annotations

import threading
import webbrowser
from pathlib import Path
from typing import Any

import yaml
from datasette.app import Datasette

from archive.db import ArchiveError, open_archive

__all__ = ["METADATA_FILE", "PLUGINS_DIR", "SETTINGS", "load_metadata", "make_datasette", "serve"]

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


def make_datasette(db_path: str | Path, **kwargs: Any) -> Datasette:
    """A Datasette for the archive: mutable (not immutable), so it reads while a crawl writes."""
    settings = {**SETTINGS, **kwargs.pop("settings", {})}
    return Datasette(
        [str(db_path)],
        metadata=load_metadata(db_path),
        plugins_dir=str(PLUGINS_DIR),
        template_dir=str(TEMPLATES_DIR),
        settings=settings,
        **kwargs,
    )


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001, open_browser: bool = False) -> None:
    """Serve the archive with Datasette until interrupted.

    Raises ArchiveError when the file is missing or not an archive (serving never creates one).
    """
    import uvicorn  # a Datasette dependency; imported here so the CLI starts fast

    path = Path(db_path)
    if not path.is_file():
        raise ArchiveError(f"no archive at {path}: run `warta crawl` or `warta demo` first, or pass --db")
    # Migrate and check it before serving: views and indexes of newer schema versions must exist.
    open_archive(path).close()
    ds = make_datasette(path)
    url = f"http://{host}:{port}/"
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning")
