"""Write the snapshot of a saved page for review: ``<name>.expected.json`` in the shape tests/snapshots.py reads.

Usage::

    python -m tests.write_snapshot PAGE.html --url URL [--out DIR]

The page is extracted by the profile that owns ``URL`` (``scraper.extract.extract_article``); the
JSON is written beside the page, or into ``DIR`` (e.g. ``tests/fixtures/<site>/``) with a copy of the
page (check its licence first: ``../shared/pages/MANIFEST.md``). Review every field before
committing it, and add ``must_not_contain`` strings for the boilerplate the page carries.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any

from scraper.extract import extract_article
from scraper.model import NotAnArticle
from tests.snapshots import COMPARED_FIELDS


def snapshot(url: str, html: bytes) -> dict[str, Any]:
    """The expected-JSON dict of a page: its URL, the compared fields, and the parser version."""
    article = extract_article(url, html).to_dict()
    out: dict[str, Any] = {"url": url}
    out.update({name: article[name] for name in COMPARED_FIELDS})
    out["parser"] = article["parser"]
    out["must_not_contain"] = []
    return out


def write_snapshot(page: Path, url: str, out_dir: Path | None = None) -> Path:
    """Write ``<page stem>.expected.json`` (beside the page or in ``out_dir``, with a copy of the page)."""
    data = snapshot(url, page.read_bytes())
    folder = out_dir or page.parent
    folder.mkdir(parents=True, exist_ok=True)
    if folder.resolve() != page.parent.resolve():
        shutil.copyfile(page, folder / page.name)
    target = folder / f"{page.stem}.expected.json"
    target.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.write_snapshot", description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path, help="the saved page (.html)")
    parser.add_argument("--url", required=True, help="the URL the page was fetched from (selects the profile)")
    parser.add_argument("--out", type=Path, help="folder for the JSON and a copy of the page (default: beside it)")
    args = parser.parse_args(argv)
    try:
        target = write_snapshot(args.page, args.url, args.out)
    except NotAnArticle as exc:
        print(f"{args.page}: not an article ({exc}); no snapshot written", file=sys.stderr)
        return 1
    print(f"wrote {target}: review it before committing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
