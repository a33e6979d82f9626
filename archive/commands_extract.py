"""``warta extract``: run the parser on saved pages and print what it extracts (JSON Lines)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import click

from archive.cli import cli
from scraper.extract import extract_article, parse_tree
from scraper.metadata import read_metadata
from scraper.model import NotAnArticle


_ARTICLE_ITEMTYPE = re.compile(r"(?:News|Blog|Report)?Article|BlogPosting|ReportageNewsArticle", re.I)


def page_url(html: bytes) -> str | None:
    """The URL a saved page names for itself.

    ``link rel=canonical``, ``og:url`` and ``twitter:url`` first; pages without them (Antara 2015)
    still say it in microdata (``itemprop=url`` of the article's itemscope) or a ``rel=shortlink``.
    """
    try:
        tree = parse_tree(html)
    except NotAnArticle:
        return None
    meta = read_metadata(tree)
    found = meta.links.get("canonical") or meta.get("og:url", "twitter:url") or _microdata_url(tree)
    if found:
        return found
    shortlink = tree.xpath("//link[contains(concat(' ', normalize-space(@rel), ' '), ' shortlink ')]/@href")
    return shortlink[0].strip() if shortlink and shortlink[0].strip().startswith("http") else None


def _microdata_url(tree: Any) -> str | None:
    """The ``itemprop=url`` of the page's article itemscope (not of the teasers' WebPage scopes)."""
    for el in tree.xpath("//*[@itemprop][@href or @content]"):
        if "url" not in el.get("itemprop", "").split():
            continue
        scope = next((a for a in el.iterancestors() if a.get("itemscope") is not None), None)
        value = (el.get("href") or el.get("content") or "").strip()
        if scope is not None and _ARTICLE_ITEMTYPE.search(scope.get("itemtype") or "") and value.startswith("http"):
            return value
    return None


def extract_file(name: str, html: bytes, url: str | None) -> dict[str, Any]:
    """One output record: the article's fields, or the reason the page was skipped."""
    url = url or page_url(html) or f"file:///{name}"
    try:
        article = extract_article(url, html)
    except NotAnArticle as exc:
        record: dict[str, Any] = {"file": name, "url": url, "skipped": exc.reason}
        if exc.detail:
            record["detail"] = exc.detail
        return record
    return {"file": name, **article.to_dict()}


def _read(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    return Path(name).read_bytes()


@cli.command()
@click.option("--url", help="URL the pages were fetched from (default: each page's canonical or og:url).")
@click.argument("files", nargs=-1, required=True)
def extract(url: str | None, files: tuple[str, ...]) -> None:
    """Extract articles from saved HTML pages, one JSON object per file.

    Prints JSON Lines (UTF-8) in the order of FILES: the article fields (title, authors,
    published, paragraphs, related "Baca juga" links, ...), or {"file": ..., "skipped":
    "<reason>"} for a page that is not an article. Use "-" to read a page from stdin.

    \b
    Example:
      warta extract ../shared/fixtures/kompas/seed-article.html
      curl -s https://www.kompas.com/... | warta extract --url https://www.kompas.com/... -
      warta extract page.html | jq -r .body
    """
    missing = [f for f in files if f != "-" and not Path(f).is_file()]
    if missing:
        raise click.ClickException(f"no such file: {missing[0]}")
    if files.count("-") > 1:
        raise click.ClickException("stdin (-) can be read only once")
    for name in files:
        try:
            html = _read(name)
        except OSError as exc:
            raise click.ClickException(f"cannot read {name}: {exc.strerror or exc}") from None
        record = extract_file(name, html, url)
        # Bytes, so the output is UTF-8 whatever the locale of a cron job or pipe says.
        click.echo(json.dumps(record, ensure_ascii=False).encode("utf-8"))
