"""Datasette plugin: lists of articles that read like news (filled in below)."""
