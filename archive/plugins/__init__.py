"""Datasette plugins bundled with Warta.

Registered through the ``datasette`` entry point of pyproject.toml (one entry per module below), so
plain ``datasette archive.db`` loads them; this package itself is registered too, for its
``templates/`` folder (Datasette serves a plugin package's templates). ``archive.serve`` registers
any that are missing (a checkout run without ``pip install``).
"""

#: Every plugin module, in the order they are registered.
PLUGIN_MODULES = (
    "archive.plugins.warta_headers",
    "archive.plugins.warta_csv",
    "archive.plugins.warta_paging",
    "archive.plugins.warta_metadata",
    "archive.plugins.warta_render",
    "archive.plugins.warta_lists",
    "archive.plugins.warta_article",
    "archive.plugins.warta_captures",
    "archive.plugins.warta_stories",
    "archive.plugins.warta_search",
)
