"""What ``archive.db`` and ``archive.stories`` share: the write transaction and the body hash.

Both modules import this one and neither imports the other's internals back: ``db`` calls
``stories.group_articles`` inside its save, ``stories`` rebuilds stories in its own transactions.
"""

from __future__ import annotations

import hashlib
import sqlite3
from typing import Any

import sqlite_utils


class write:  # noqa: N801 - used as a context manager, like a function: ``with write(db) as conn``
    """One write transaction taken with BEGIN IMMEDIATE, so a writer takes the lock up front and
    waits on busy_timeout instead of failing half-way; a savepoint inside a caller's transaction."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.conn = db.conn
        self.nested = False

    def __enter__(self) -> sqlite3.Connection:
        self.nested = self.conn.in_transaction
        self.conn.execute("SAVEPOINT warta_write" if self.nested else "BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if self.nested:
            if exc_type is not None:
                self.conn.execute("ROLLBACK TO warta_write")
            self.conn.execute("RELEASE warta_write")
        elif exc_type is None:
            self.conn.execute("COMMIT")
        elif self.conn.in_transaction:
            self.conn.execute("ROLLBACK")


def _normalized_body(body: str) -> str:
    return " ".join(body.casefold().split())


def body_hash(body: str) -> str:
    """Hash of the body with case and whitespace normalised (finds one article under two URLs)."""
    return hashlib.sha1(_normalized_body(body).encode("utf-8")).hexdigest()
