"""Datasette plugins bundled with Warta (loaded with ``--plugins-dir archive/plugins``)."""
