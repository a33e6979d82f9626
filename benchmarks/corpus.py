"""The pages the extraction benchmark runs over: the scrapinghub set and the Indonesian pages with expected extraction."""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from w3lib.encoding import html_to_unicode

from benchmarks.common import SHARED

SCRAPINGHUB = SHARED / "bench" / "extraction" / "scrapinghub"
SCORE_PY = SHARED / "bench" / "score.py"

#: A body line that is a "read also" link leaking into the text.
BACA_JUGA = re.compile(r"baca juga", re.I)


@dataclass
class Page:
    """One page with its ground truth."""

    id: str
    url: str
    html: str
    gold: str  # the expected body, paragraphs joined by a blank line
    group: str = ""  # site group for per-site figures
    related_titles: list[str] = field(default_factory=list)
    must_not_contain: list[str] = field(default_factory=list)


def decode(body: bytes) -> str:
    """Decode a page the way Scrapy does (BOM, then meta charset, then detection)."""
    _, text = html_to_unicode(None, body)
    return text


def scrapinghub_pages() -> list[Page]:
    """The 181 pages of the scrapinghub article-extraction benchmark."""
    gold = json.loads((SCRAPINGHUB / "ground-truth.json").read_text("utf8"))
    pages = []
    for pid in sorted(gold):
        raw = gzip.decompress((SCRAPINGHUB / "html" / f"{pid}.html.gz").read_bytes())
        pages.append(Page(pid, gold[pid]["url"], decode(raw), gold[pid]["articleBody"] or "", "scrapinghub"))
    return pages


def indonesian_pages() -> list[Page]:
    """The real saved Indonesian article pages (usable ones) and the Kompas fixtures with paragraphs."""
    found: list[tuple[Path, Path, str]] = []
    for exp in sorted((SHARED / "pages").glob("*/*.expected.json")):
        found.append((exp, exp.with_name(exp.name.replace(".expected.json", ".html")), exp.parent.name))
    fixtures = SHARED / "fixtures" / "kompas"
    for exp in sorted((fixtures / "expected").glob("*.json")):
        found.append((exp, fixtures / f"{exp.stem}.html", "kompas-fixtures"))
    pages = []
    for exp, html_path, group in found:
        data = json.loads(exp.read_text("utf8"))
        if "paragraphs" not in data or data.get("usable") is False or not html_path.exists():
            continue
        pages.append(
            Page(
                id=f"{group}/{html_path.stem}",
                url=data.get("url") or f"http://{group}.invalid/{html_path.stem}",
                html=decode(html_path.read_bytes()),
                gold="\n\n".join(data["paragraphs"]),
                group=group,
                related_titles=[r["title"] for r in data.get("related") or [] if r.get("title")],
                must_not_contain=list(data.get("must_not_contain") or []),
            )
        )
    return pages


def load_score() -> ModuleType:
    """The benchmark's scorer, imported by path (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("warta_bench_score", SCORE_PY)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def leaks(body: str, page: Page) -> list[str]:
    """Body lines that are "Baca juga" lines or carry the title of an expected related link."""
    out = []
    for line in body.splitlines():
        if BACA_JUGA.search(line) or any(t and t in line for t in page.related_titles):
            out.append(line.strip()[:80])
    return out


def forbidden_hits(body: str, page: Page) -> list[str]:
    """The must-not-contain strings found in the body."""
    return [s for s in page.must_not_contain if s and s in body]
