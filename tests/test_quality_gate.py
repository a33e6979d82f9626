"""Extraction quality gate: F1 floors over the saved Indonesian pages and the Kompas fixtures.

Like trafilatura's ``tests/eval_gate.py``: fast, deterministic, and failing when a change makes
extraction worse. The metric is the benchmark's own (``../shared/bench/score.py``, imported by path:
word 4-gram precision/recall per page, macro-averaged, F1 of the means). Floors are the values
measured when they were pinned minus a small margin; raise them when extraction improves
(``python -m benchmarks.extraction`` prints the current figures). A "Baca juga" line or the title of
an expected related link in a body fails the gate outright.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from types import ModuleType

import pytest

from scraper.extract import extract_article
from scraper.generic import extract_generic
from scraper.model import NotAnArticle
from tests.conftest import HAVE_SHARED, KOMPAS_FIXTURES, NEEDS_SHARED, PAGES, SHARED

if not HAVE_SHARED:  # the floors are pinned on every saved page, scored by the benchmark's own scorer
    pytest.skip(f"{NEEDS_SHARED}: the benchmark scorer and the saved pages the gate is pinned on",
                allow_module_level=True)

#: Pinned on 2026-11-25 (measured: every group 1.000 through the site profiles; generic path
#: 0.976 overall). Margin 0.01 below the measured value.
FLOORS = {
    "antara": 0.99, "detik": 0.99, "kompas": 0.99, "kompas-fixtures": 0.99, "liputan6": 0.99,
    "mediaindonesia": 0.99, "merdeka": 0.99, "okezone": 0.99, "suara": 0.99, "tempo": 0.99,
    "tribunnews": 0.99,
}
OVERALL_FLOOR = 0.99
#: The generic path forced on every page (what a site without a profile gets, profiles switched off):
#: measured 0.976 before issue 12, 0.977 after (2026-11-26); margin 0.005.
GENERIC_FLOOR = 0.972

BACA_JUGA = re.compile(r"baca juga", re.I)


@dataclass
class Case:
    id: str
    group: str
    url: str
    html: bytes
    gold: str
    related_titles: list[str]
    must_not_contain: list[str]


def _score_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("warta_gate_score", SHARED / "bench" / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cases() -> list[Case]:
    found = [(e, e.with_name(e.name.replace(".expected.json", ".html")), e.parent.name)
             for e in sorted(PAGES.glob("*/*.expected.json"))]
    found += [(e, KOMPAS_FIXTURES / f"{e.stem}.html", "kompas-fixtures")
              for e in sorted((KOMPAS_FIXTURES / "expected").glob("*.json"))]
    cases = []
    for exp, html, group in found:
        data = json.loads(exp.read_text("utf8"))
        if "paragraphs" not in data or data.get("usable") is False:
            continue
        cases.append(Case(f"{group}/{html.stem}", group, data["url"], html.read_bytes(),
                          "\n\n".join(data["paragraphs"]),
                          [r["title"] for r in data.get("related") or [] if r.get("title")],
                          [x for x in data.get("must_not_contain") or [] if x]))
    return cases


SCORE = _score_module()
CASES = _cases()


def _body(extract, case: Case) -> str:
    try:
        return extract(case.url, case.html).body
    except NotAnArticle:
        return ""


def _leaks(body: str, case: Case) -> list[str]:
    return [line for line in body.splitlines()
            if BACA_JUGA.search(line) or any(t in line for t in case.related_titles)]


@pytest.fixture(scope="module")
def warta_bodies() -> dict[str, str]:
    return {c.id: _body(extract_article, c) for c in CASES}


@pytest.fixture(scope="module")
def generic_bodies() -> dict[str, str]:
    return {c.id: _body(extract_generic, c) for c in CASES}


def _f1(cases: list[Case], bodies: dict[str, str]) -> float:
    rows = [(*SCORE.doc_counts(c.gold, bodies[c.id], 4), False) for c in cases]
    return SCORE.aggregate(rows, "skip")["f1"]


def test_the_corpus_is_there() -> None:
    # the gate must not pass by finding nothing: 25 real pages + 5 fixtures when it was pinned
    assert len(CASES) >= 30
    assert {c.group for c in CASES} == set(FLOORS)


def test_f1_per_site_group_stays_above_its_floor(warta_bodies: dict[str, str]) -> None:
    groups: dict[str, list[Case]] = defaultdict(list)
    for c in CASES:
        groups[c.group].append(c)
    below = {}
    for group, cases in sorted(groups.items()):
        f1 = _f1(cases, warta_bodies)
        if f1 < FLOORS[group]:
            worst = min(cases, key=lambda c: _f1([c], warta_bodies))
            below[group] = f"F1 {f1:.3f} < floor {FLOORS[group]} (worst page {worst.id})"
    assert not below, below


def test_overall_f1_stays_above_its_floor(warta_bodies: dict[str, str]) -> None:
    assert _f1(CASES, warta_bodies) >= OVERALL_FLOOR


def test_no_baca_juga_line_leaks_into_a_body(warta_bodies: dict[str, str]) -> None:
    leaks = {c.id: _leaks(warta_bodies[c.id], c) for c in CASES}
    assert not {k: v for k, v in leaks.items() if v}


def test_the_generic_path_stays_above_its_floor_without_leaks(generic_bodies: dict[str, str]) -> None:
    assert _f1(CASES, generic_bodies) >= GENERIC_FLOOR
    leaks = {c.id: _leaks(generic_bodies[c.id], c) for c in CASES}
    assert not {k: v for k, v in leaks.items() if v}


def test_no_page_loses_its_body_on_the_generic_path(generic_bodies: dict[str, str]) -> None:
    # every saved article is an article to the generic path too (the listing-page rejection must not bite)
    assert not [c.id for c in CASES if not generic_bodies[c.id]]


@pytest.mark.parametrize("path", ["warta", "generic"])
def test_no_must_not_contain_string_in_a_body(path: str, warta_bodies: dict[str, str],
                                              generic_bodies: dict[str, str]) -> None:
    bodies = warta_bodies if path == "warta" else generic_bodies
    hits = {c.id: [x for x in c.must_not_contain if x in bodies[c.id]] for c in CASES}
    assert not {k: v for k, v in hits.items() if v}


def test_no_boilerplate_family_line_in_a_body(warta_bodies: dict[str, str], generic_bodies: dict[str, str]) -> None:
    from scraper.cleaning import boilerplate_family

    found = {f"{kind}:{c.id}": [line for line in bodies[c.id].splitlines() if boilerplate_family(line.strip())]
             for kind, bodies in (("warta", warta_bodies), ("generic", generic_bodies)) for c in CASES}
    assert not {k: v for k, v in found.items() if v}


def test_the_metric_is_the_benchmarks_own() -> None:
    # a check that the imported scorer behaves as documented, so the floors mean what they say
    gold = "Banjir merendam tiga desa di Kabupaten Bogor sejak Kamis pagi."
    assert _f1([Case("x", "g", "u", b"", gold, [], [])], {"x": gold}) == 1.0
    half = _f1([Case("x", "g", "u", b"", gold, [], [])], {"x": gold + " Baca juga lima berita lain hari ini ya."})
    assert 0.5 < half < 1.0
