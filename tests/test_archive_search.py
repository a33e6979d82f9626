"""The archive's search language (archive.search.fts_query) against a real FTS5 table."""

from __future__ import annotations

import random
import sqlite3

import pytest

from archive.search import fts_query

ROWS = [
    ("Banjir rendam Jakarta", "Anak-anak mengungsi. Kasus COVID-19 dan e-KTP dibahas di bangunan DPR."),
    ("Kafé baru di Bandung", "Warga São Paulo membangun kafe; pembangunan selesai."),
    ("Harga cabai naik", "Pedagang di pasar mengeluh, kata mereka \"harga naik terus\"."),
]


@pytest.fixture(scope="module")
def fts() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE f USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')")
    conn.executemany("INSERT INTO f (rowid, title, body) VALUES (?, ?, ?)", [(i, *r) for i, r in enumerate(ROWS, 1)])
    return conn


def hits(conn: sqlite3.Connection, query: str) -> set[int]:
    return {r[0] for r in conn.execute("SELECT rowid FROM f WHERE f MATCH ?", (fts_query(query),))}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("banjir", {1}),
        ("bangun*", {1}),  # bangunan; not membangun or pembangunan (no stemming)
        ("membangun", {2}),
        ("anak-anak", {1}),
        ("COVID-19", {1}),
        ("e-KTP", {1}),
        ("kafe", {2}),  # diacritics removed on both sides
        ("Kafé", {2}),
        ("sao paulo", {2}),
        ('"harga naik terus"', {3}),
        ('"harga naik', {3}),
        ("banjir OR cabai", {1, 3}),
        ("harga NOT cabai", set()),
        ("naik NOT banjir", {3}),
        ("title:harga", {3}),
        ('body:"sao paulo"', {2}),
        ("title:sao", set()),
        ("Jakarta, DPR.", {1}),
        ("OR banjir AND", {1}),  # dangling operators dropped
        ("or", set()),  # lower-case operators are words
        ("(banjir jakarta)", {1}),
        # Parentheses are dropped, and in FTS5 AND binds tighter than OR: banjir OR (cabai harga).
        ("(banjir OR cabai) harga", {1, 3}),
        ("", set()),
        ("*** - ;", set()),
    ],
)
def test_queries(fts: sqlite3.Connection, query: str, expected: set[int]) -> None:
    assert hits(fts, query) == expected


def test_prefix_and_phrase_syntax_is_kept() -> None:
    assert fts_query("bangun*") == '"bangun" *'
    assert fts_query('"kereta cepat"*') == '"kereta cepat" *'
    assert fts_query('say "a""b') == '"say" "a" "b"'


def test_no_input_is_a_syntax_error(fts: sqlite3.Connection) -> None:
    rng = random.Random(20241114)
    alphabet = 'abc XYZ-_"*():;^+.,\'\\éß\u00a0\u200bORANDNOT'
    for _ in range(3000):
        query = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        hits(fts, query)  # raises sqlite3.OperationalError on invalid FTS5 syntax
