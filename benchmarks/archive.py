"""Archive scale: grow a synthetic archive through ``archive.db.save_articles`` and measure it as it grows.

Run: ``.venv/bin/python -m benchmarks.archive --rows 50000`` (quick) or ``--rows 1000000`` (the full figure).
Per step (a tenth of --rows; 100k for 1M): insert rate, the cost of the dedupe check (re-saving a batch of
articles the archive already holds), bytes per article. At the end: full-text query latency through Datasette's
own client, ``warta export`` of every row (rows/s and peak RSS, also measured at the first step), and paging of
the date-sorted view with ``_next`` (unique ids on a sample). The archive is ``benchmarks/work/archive/archive.db``
for 1,000,000 rows and up (section "archive" of RESULTS.md), ``benchmarks/work/archive-quick/`` for smaller runs
(section "archive-quick"), so a quick run never replaces the full one.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

from benchmarks.common import REPO, WORK, median, percentile, table, write_section

SITES = ("kompas", "detik", "tribunnews", "liputan6", "antaranews", "okezone", "tempo", "suara", "merdeka",
         "republika", "mediaindonesia", "cnnindonesia", "cnbcindonesia", "sindonews")
SECTIONS = ("nasional", "regional", "megapolitan", "ekonomi", "olahraga", "tekno", "hiburan", "internasional")
#: The saved pages whose paragraphs give the vocabulary (real Indonesian news text).
VOCABULARY_DIRS = (REPO / "tests" / "fixtures" / "pages", REPO / "tests" / "fixtures" / "kompas")


def vocabulary() -> list[str]:
    """Every word of the saved pages' paragraphs (``<p>``, scripts dropped), most frequent first.

    Issue 13: the earlier list of ~2,000 invented forms made every query match far more of the archive
    than real news does. Ranked by their real frequency and drawn with Zipf weights (1/rank), the
    words keep Indonesian's shape: a few words in nearly every article (``di``, ``yang``, ``dan``),
    names and topics in some, most words rare."""
    import collections
    import re as _re

    from lxml import html as _html

    counts: collections.Counter[str] = collections.Counter()
    for folder in VOCABULARY_DIRS:
        for page in sorted(folder.rglob("*.html")):
            doc = _html.fromstring(page.read_bytes())
            for el in list(doc.iter("script", "style")):
                el.drop_tree()
            text = " ".join(p.text_content() for p in doc.iter("p"))
            counts.update(_re.findall(r"[^\W\d_]{2,}", text.lower()))
    return [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


_REAL = vocabulary()
# The tail: the same words with Indonesian affixes (me-, di-, ber-, -kan, -nya...), ranked after every
# word the pages hold, so the Zipf weights reach rare words (< 1% of articles) as real news has them.
_AFFIXES = (("me", ""), ("di", "kan"), ("ber", ""), ("ter", ""), ("", "nya"), ("pe", "an"), ("di", ""), ("", "kan"),
            ("ke", "an"), ("me", "kan"), ("", "an"), ("per", "an"), ("se", "nya"), ("ber", "an"), ("me", "i"))
_KNOWN = set(_REAL)
WORDS = _REAL + list(dict.fromkeys(f"{p}{w}{s}" for p, s in _AFFIXES for w in _REAL[20:] if f"{p}{w}{s}" not in _KNOWN))
_WEIGHTS = [1 / (rank + 1) for rank in range(len(WORDS))]
_CUM = list(__import__("itertools").accumulate(_WEIGHTS))
_EPOCH = datetime(2023, 1, 1, tzinfo=timezone(timedelta(hours=7)))


def article(i: int) -> dict[str, Any]:
    """The i-th synthetic article, deterministic in i (so a batch can be re-saved unchanged)."""
    rng = random.Random(i)
    site = SITES[i % len(SITES)]
    section = SECTIONS[rng.randrange(len(SECTIONS))]
    words = rng.choices(WORDS, cum_weights=_CUM, k=rng.randint(300, 600))
    paragraphs, k = [], 0
    while k < len(words):
        n = rng.randint(25, 60)
        chunk = " ".join(words[k : k + n])
        paragraphs.append(chunk[0].upper() + chunk[1:] + ".")
        k += n
    title_words = rng.choices(WORDS[40:], k=rng.randint(6, 12))
    title = " ".join(w.capitalize() for w in title_words)
    # Minute resolution over ~3 years: at 1M rows many articles share a publication minute, which is
    # exactly what breaks Datasette's date-sorted paging on the plain table.
    published = (_EPOCH + timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))).isoformat()
    canonical = f"https://www.{site}.example/{section}/read/{i:08d}/{'-'.join(title_words[:6])}"
    url = canonical
    roll = rng.random()
    if roll < 0.10:
        url = canonical + "?page=all"  # fetched through the show-all URL: an alias
    elif roll < 0.12:
        url = canonical.replace("https://www.", "https://amp.")
    related = [
        {"url": f"https://www.{site}.example/{section}/read/{j:08d}/x", "title": f"Berita terkait {j}"}
        for j in rng.sample(range(max(1, i)), k=min(i, rng.randint(0, 3)))
    ]
    return {
        "url": url,
        "canonical_url": canonical,
        "site": site,
        "title": title,
        "paragraphs": paragraphs,
        "body": "\n\n".join(paragraphs),
        "description": paragraphs[0][:160],
        "authors": [f"Penulis {rng.randrange(500)}"],
        "editors": [f"Editor {rng.randrange(80)}"],
        "published": published,
        "modified": None,
        "section": section,
        "tags": rng.sample(WORDS[40:], k=3),
        "dateline": "JAKARTA",
        "lead_image": f"https://img.{site}.example/{i}.jpg",
        "language": "id",
        "related": related,
        "word_count": len(words),
        "parser": f"{site}/synthetic",
    }


def db_bytes(path: Path) -> int:
    return sum(Path(str(path) + s).stat().st_size for s in ("", "-wal") if Path(str(path) + s).exists())


def export_command(db: Path, out: Path, extra: tuple[str, ...] = ()) -> list[str]:
    """``warta export`` of the archive into ``out``, with extra options (filters)."""
    return [str(Path(sys.executable).with_name("warta")), "export", "--db", str(db), "--output", str(out), *extra]


#: Runs argv[1:] and prints the child's own peak RSS (KB) and its exit code.
_LAUNCHER = ("import os, subprocess, sys; p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL); "
             "_, status, usage = os.wait4(p.pid, 0); print(usage.ru_maxrss, os.waitstatus_to_exitcode(status))")


def measure_export(db: Path, rows: int, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    """Run the export in a child process; rows/s and its own peak RSS (wait4 rusage, via a launcher)."""
    out = db.with_name("export.csv")
    cmd = export_command(db, out, extra)
    t0 = time.perf_counter()
    # Through a small launcher: a child's peak RSS counts the memory it shares with its parent
    # between fork and exec, and this process holds far more than the export does.
    proc = subprocess.Popen([sys.executable, "-c", _LAUNCHER, *cmd], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    out_text, err_bytes = proc.communicate()
    seconds = time.perf_counter() - t0
    maxrss_kb, exit_code = (int(v) for v in out_text.decode().split())
    err = err_bytes.decode()[-300:]
    lines = 0
    if out.exists():
        with open(out, newline="", encoding="utf-8") as fh:
            import csv

            lines = sum(1 for _ in csv.reader(fh)) - 1  # minus the header
        size = out.stat().st_size
        out.unlink()
    else:
        size = 0
    return {
        "command": " ".join(["warta export", *extra]),
        "rows": lines, "expected": rows, "seconds": seconds, "rows_per_s": lines / seconds if seconds else 0,
        "peak_rss_mb": maxrss_kb / 1024, "csv_mb": size / 1e6, "exit": exit_code,
        "stderr": err.strip(),
    }


def fast_fill(db: Any, batch: list[dict[str, Any]], first_id: int) -> Any:
    """Insert a batch as new rows (ids first_id+1...) with their related links, FTS by the triggers."""
    from archive.db import _INSERT_ARTICLE, SaveResult, _prepare, _write

    rows = [_prepare(r) for r in batch]
    seen = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with _write(db) as conn:
        conn.execute("INSERT OR IGNORE INTO fts_deferred (id) VALUES (1)")  # indexed below, in key order
        conn.executemany(_INSERT_ARTICLE.replace("INSERT INTO articles (", "INSERT INTO articles (id, ").replace(
            "VALUES (", "VALUES (:id, "), [{**r, "id": first_id + k + 1, "seen": seen} for k, r in enumerate(rows)])
        conn.executemany("INSERT INTO related (article_id, position, url, title) VALUES (?, ?, ?, ?)",
                         [(first_id + k + 1, j, x["url"], x["title"]) for k, r in enumerate(rows)
                          for j, x in enumerate(r["related"], start=1)])
        conn.execute("INSERT INTO articles_fts (rowid, title, body) SELECT search_key, title, body FROM articles "
                     "WHERE id > ? AND id <= ? ORDER BY search_key", (first_id, first_id + len(rows)))
        conn.execute("DELETE FROM fts_deferred")
    return SaveResult(new=len(rows))


def _articles(span: tuple[int, int]) -> list[dict[str, Any]]:
    """Articles start..end-1 (a worker process of --fast-fill generates them)."""
    return [article(i) for i in range(*span)]


async def search_checks(db: Path, queries: list[tuple[str, str]], repeat: int = 3) -> dict[str, Any]:
    """Latency of each query through Datasette's JSON API and its HTML search box (the instance
    `warta serve` builds), first page of 20, fastest of nothing: every run counted."""
    from archive.serve import make_datasette

    ds = make_datasette(db)
    await ds.invoke_startup()
    name = db.stem
    await ds.client.get(f"/{name}/articles.json?_size=1")
    out: list[dict[str, Any]] = []
    for kind, q in queries:
        for surface, path in (("json", f"/{name}/articles.json"), ("html", f"/{name}/articles")):
            for _ in range(repeat):
                t0 = time.perf_counter()
                r = await ds.client.get(path, params={"_search": q})
                ms = (time.perf_counter() - t0) * 1000
                ok = r.status_code == 200
                newest_first = True
                if ok and surface == "json":
                    data = r.json()
                    cols = data["columns"]
                    keys = [row[cols.index("search_key")] for row in data["rows"]] if "search_key" in cols else []
                    newest_first = keys == sorted(keys, reverse=True)
                out.append({"kind": kind, "q": q, "surface": surface, "ms": ms, "status": r.status_code,
                            "newest_first": newest_first})
    return {"runs": out}


async def datasette_checks(
    db: Path, queries: list[str], sample_pages: int, page_size: int, settings: dict[str, Any],
    extra: dict[str, str] | None = None,
) -> dict[str, Any]:
    """FTS latency and date-sorted paging through Datasette's own client."""
    # the instance `warta serve` builds (its metadata, plugins and settings), with the overrides given
    from archive.serve import make_datasette

    ds = make_datasette(db, settings=settings)
    await ds.invoke_startup()
    name = db.stem
    await ds.client.get(f"/{name}/articles.json?_size=1")  # warm-up: introspection, first page cache
    lat, hits, failures = [], [], []
    for q in queries:
        t0 = time.perf_counter()
        r = await ds.client.get(f"/{name}/articles.json", params={"_search": q, "_size": "20", "_col": "title", **(extra or {})})
        lat.append((time.perf_counter() - t0) * 1000)
        if r.status_code != 200:
            failures.append(f"{q}: HTTP {r.status_code}")
            continue
        data = r.json()
        hits.append(data.get("filtered_table_rows_count") or len(data.get("rows", [])))

    async def page_through(path: str, limit: int = sample_pages) -> tuple[int, int, float]:
        """Rows and unique ids over ``limit`` pages following next_url; ms per page."""
        ids, rows = set(), 0
        url: str | None = path
        t0 = time.perf_counter()
        pages = 0
        while url and pages < limit:
            r = await ds.client.get(url)
            if r.status_code != 200:
                return -1, r.status_code, r.json().get("error", "") if r.headers.get("content-type", "").startswith("application/json") else r.text[:100]
            data = r.json()
            cols = data.get("columns") or []
            for row in data.get("rows", []):
                ids.add(row["id"] if isinstance(row, dict) else row[cols.index("id")])
                rows += 1
            nxt = data.get("next_url")
            url = nxt.split("://", 1)[1].split("/", 1)[1] if nxt else None
            url = "/" + url if url else None
            pages += 1
        return rows, len(ids), (time.perf_counter() - t0) * 1000 / max(pages, 1)

    view = await page_through(f"/{name}/articles_by_date.json?_size={page_size}&_col=id&_col=published")
    table_sorted = await page_through(f"/{name}/articles.json?_sort_desc=published&_size={page_size}&_col=published")
    # The default order of the articles table (date_key: published + id, unique), paged by keyset.
    by_key = await page_through(f"/{name}/articles.json?_sort_desc=date_key&_size={page_size}&_col=published")
    # Half-way down the archive: the view pages by OFFSET, the table by key (starting from a key
    # filter, which is what its next_url carries).
    deep: dict[str, Any] = {}
    total = (await ds.client.get(f"/{name}.json?sql=select+count(*)+as+n+from+articles&_shape=array")).json()[0]["n"]
    if sample_pages and total > 2 * page_size:
        middle = total // 2
        key = (await ds.client.get(
            f"/{name}.json?sql=select+date_key+from+articles+order+by+date_key+desc+limit+1+offset+{middle}&_shape=array"
        )).json()[0]["date_key"]
        pages = max(1, min(3, sample_pages))
        deep = {
            "offset": middle,
            "view": await page_through(f"/{name}/articles_by_date.json?_size={page_size}&_col=id&_next={middle}", pages),
            "table": await page_through(
                f"/{name}/articles.json?_sort_desc=date_key&_size={page_size}&_col=published&date_key__lte={quote(key)}"
                "&_nofacet=1",  # a filtered first page has its own facets: paging is what is timed
                pages),
        }
    return {"fts_ms": lat, "fts_hits": hits, "fts_failures": failures, "view": view, "table_sorted": table_sorted,
            "by_key": by_key, "deep": deep}


def measure_search(path: Path, total: int) -> dict[str, Any]:
    """Search latency by how many articles a query matches: in (nearly) every article, common, rare."""
    from archive.search import fts_query

    picks = [WORDS[i] for i in (0, 1, 2, 3, 5, 10, 20, 40, 80, 150, 300, 600) if i < len(WORDS)]
    picks += [WORDS[i] for i in (1000, 2000, 5000, 10000, 20000, len(WORDS) - 1) if i < len(WORDS)]
    picks += [f"{WORDS[1]} {WORDS[0]}", f"{WORDS[20]} {WORDS[40]}", f'"{WORDS[0]} {WORDS[1]}"',
              f"{WORDS[30][:3]}*", f"{WORDS[12000]} OR {WORDS[13000]}", "jakarta presiden", "korupsi"]
    with sqlite3.connect(path) as conn:
        df = {q: conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?",
                              (fts_query(q),)).fetchone()[0] for q in picks}

    def kind(q: str) -> str:
        share = df[q] / max(total, 1)
        return "every article (>= 90%)" if share >= 0.9 else "common (1-90%)" if share >= 0.01 else "rare (< 1%)"

    classed = [(kind(q), q) for q in picks]
    runs = asyncio.run(search_checks(path, classed))["runs"]
    lines = [f"Search by how many of the {total:,} articles a query matches (`articles.json?_search=` and the "
             "HTML search box `articles?_search=`, first page of 20, newest first, as `warta serve` builds "
             "Datasette; each query 3 times, every run counted; counts above 10,000 shown as \"more than "
             "10,000\", facets over at most 10,000 matches):", ""]
    rows, summary = [], {}
    for k in ("every article (>= 90%)", "common (1-90%)", "rare (< 1%)"):
        for surface in ("json", "html"):
            ms = [r["ms"] for r in runs if r["kind"] == k and r["surface"] == surface]
            if not ms:
                continue
            bad = sum(1 for r in runs if r["kind"] == k and r["surface"] == surface and
                      (r["status"] != 200 or not r["newest_first"]))
            qs = sorted({r["q"] for r in runs if r["kind"] == k})
            rows.append([k, surface, ", ".join(f"`{q}` ({100 * df[q] / total:.1f}%)" for q in qs), len(ms),
                         f"{median(ms):,.0f}", f"{percentile(ms, 95):,.0f}", f"{max(ms):,.0f}", bad])
            summary[f"{k} {surface}"] = (round(median(ms)), round(percentile(ms, 95)))
    every = [r["ms"] for r in runs]
    lines.append(table(["matches", "surface", "queries (share of articles)", "runs", "p50 ms", "p95 ms", "max ms",
                        "failed or out of order"], rows))
    lines += ["", f"All {len(every)} runs: p50 {median(every):,.0f} ms, **p95 {percentile(every, 95):,.0f} ms** "
              "(goal <= 300 ms)."]
    return {"lines": lines, "summary": summary, "df": df, "runs": runs}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=None,
                    help="articles to grow to (default 50,000; --resume and --checks-only default to the full archive)")
    ap.add_argument("--batch", type=int, default=1000, help="articles per save_articles call (one transaction)")
    ap.add_argument("--step", type=int, default=0, help="measure every N articles (default: a tenth of --rows)")
    ap.add_argument("--resave", type=int, default=1000, help="known articles re-saved per dedupe check")
    ap.add_argument("--sample-pages", type=int, default=20, help="Datasette pages followed per paging check")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--resume", action="store_true",
                    help="continue growing the archive left by an interrupted run (its steps are kept)")
    ap.add_argument("--work", default="", help="directory of the archive (default benchmarks/work/archive)")
    ap.add_argument("--checks-only", action="store_true",
                    help="skip growing: export and Datasette checks on the archive left by the last run")
    ap.add_argument("--fast-fill", action="store_true",
                    help="grow by plain INSERTs of the prepared rows (full-text triggers on, no dedupe or story "
                         "grouping): builds a large archive for the search checks in minutes")
    ap.add_argument("--search-only", action="store_true",
                    help="only the search checks (by match share) on the archive as it stands; prints their lines")
    ap.add_argument("--max-minutes", type=float, default=0,
                    help="stop growing after this long and measure the size reached (0: no limit)")
    a = ap.parse_args(argv)

    from archive.db import open_archive, save_articles

    # A quick run (make bench) has its own archive and RESULTS section: it must not replace the
    # 1,000,000-article archive and figures, which take over an hour to rebuild.
    full = a.rows >= 1_000_000 if a.rows is not None else bool(a.resume or a.checks_only)
    a.rows = a.rows if a.rows is not None else (1_000_000 if full else 50_000)
    work = Path(a.work) if a.work else WORK / ("archive" if full else "archive-quick")
    state = work / "state.json"
    path = work / "archive.db"
    steps: list[dict[str, Any]] = []
    exports: dict[int, dict[str, Any]] = {}
    if a.search_only:
        with sqlite3.connect(path) as conn:
            total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        found = measure_search(path, total)
        (work / "search.json").write_text(json.dumps({k: v for k, v in found.items() if k != "lines"}, indent=1))
        print("\n".join(found["lines"]))
        return
    if a.checks_only:
        if not path.exists():
            raise SystemExit(f"--checks-only: no archive at {path}; grow one first (--rows N)")
        a.resume = True
    if a.resume and path.exists():
        saved = json.loads(state.read_text()) if state.exists() else {}
        steps = saved.get("steps", [])
        exports = {int(k): v for k, v in saved.get("exports", {}).items()}
        prior_s = saved.get("grow_s", 0.0)
        if a.checks_only:
            a.rows = saved.get("rows_asked", 1_000_000)
    else:
        if work.exists():
            shutil.rmtree(work)
        work.mkdir(parents=True)
        prior_s = 0.0
    db = open_archive(path)
    if a.fast_fill:  # the build's own page cache: 9 indexes of a multi-GB file stay in memory
        db.execute("PRAGMA cache_size = -2000000")
    # ids are assigned in insertion order and synthetic bodies never collide, so max(id) = articles saved
    done = db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
    if a.resume:
        print(f"resuming at {done:,} articles", file=sys.stderr)
    step = max(a.batch, a.step or a.rows // 10)
    seg_t, seg_gen, seg_rows = 0.0, 0.0, 0
    t_start = time.perf_counter() - prior_s
    deadline = time.perf_counter() + 60 * a.max_minutes if a.max_minutes else None
    stopped_early = False
    pool = None
    if a.fast_fill:  # generation (~1 ms an article) in worker processes, ahead of the writes
        import multiprocessing

        pool = multiprocessing.get_context("fork").Pool(2)
        spans = [(k, min(k + a.batch, a.rows)) for k in range(done, a.rows, a.batch)]
        generated = pool.imap(_articles, spans)
    while done < a.rows and not a.checks_only:
        n = min(a.batch, a.rows - done)
        g0 = time.perf_counter()
        batch = next(generated) if pool is not None else [article(i) for i in range(done, done + n)]
        g1 = time.perf_counter()
        result = fast_fill(db, batch, done) if a.fast_fill else save_articles(db, batch)
        seg_t += time.perf_counter() - g1
        seg_gen += g1 - g0
        seg_rows += n
        if result.invalid:
            raise SystemExit(f"invalid synthetic records: {result.errors[:3]}")
        done += n
        stopped_early = deadline is not None and time.perf_counter() > deadline
        if done % step == 0 or done == a.rows or stopped_early:
            # dedupe check: re-save known articles spread over the whole archive; nothing may change
            rng = random.Random(done)
            known = [article(i) for i in rng.sample(range(done), min(a.resave, done))]
            t0 = time.perf_counter()
            again = save_articles(db, known)
            resave_s = time.perf_counter() - t0
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "aliases", "related")}
            steps.append({
                "rows": done, "insert_rows_per_s": seg_rows / seg_t if seg_t else 0, "generate_s": seg_gen,
                "resave_us_per_article": 1e6 * resave_s / len(known), "resave_unchanged": again.unchanged,
                "resave_other": again.new + again.updated + again.same_body, "bytes": db_bytes(path), **counts,
            })
            print(json.dumps(steps[-1]), file=sys.stderr, flush=True)
            seg_t = seg_gen = 0.0
            seg_rows = 0
            if len(steps) == 1:
                exports[done] = measure_export(path, counts["articles"])
                print(json.dumps(exports[done]), file=sys.stderr, flush=True)
            state.write_text(json.dumps({"steps": steps, "exports": exports, "rows_asked": a.rows,
                                         "grow_s": time.perf_counter() - t_start}))
            if stopped_early:
                break
    grow_s = time.perf_counter() - t_start
    if pool is not None:
        pool.terminate()
    db.close()
    articles_total = steps[-1]["articles"]
    if a.checks_only:  # exports recorded while growing may come from older code: measure afresh
        exports = {}
    if done not in exports:
        exports[done] = measure_export(path, articles_total)
        print(json.dumps(exports[done]), file=sys.stderr, flush=True)
    # The same archive, a hundredth of it written: memory must not depend on the rows written.
    with sqlite3.connect(path) as conn:
        day = conn.execute("SELECT day FROM articles WHERE day IS NOT NULL ORDER BY published LIMIT 1 OFFSET ?",
                           (articles_total // 100,)).fetchone()[0]
        few = conn.execute("SELECT count(*) FROM articles WHERE published < ? AND day IS NOT NULL",
                           ((date.fromisoformat(day) + timedelta(days=1)).isoformat(),)).fetchone()[0]
    subset = measure_export(path, few, ("--until", day))
    print(json.dumps(subset), file=sys.stderr, flush=True)

    search = measure_search(path, articles_total)
    print(json.dumps(search["summary"]), file=sys.stderr, flush=True)

    rng = random.Random(7)
    queries = [WORDS[i] for i in (0, 5, 30, 60, 90, 120, 150, 180, 200, 220)]
    queries += [f"{rng.choice(WORDS[40:])} {rng.choice(WORDS[40:])}" for _ in range(20)]
    queries += [f'"{WORDS[60]} {WORDS[61]}"', "bank*", "banjir jakarta", "korupsi OR suap"]
    # as `warta serve` runs it; then without "suggested facets" (a query per column on every table page)
    checks = asyncio.run(datasette_checks(path, queries, a.sample_pages, 1000, {}))
    # as a script reading JSON would ask: without the facet counts and the total (_nofacet, _nocount)
    bare = asyncio.run(datasette_checks(path, queries, 0, 1000, {}, {"_nofacet": "1", "_nocount": "1"}))

    last, first = steps[-1], steps[0]
    rows = [[f"{s['rows']:,}", f"{s['insert_rows_per_s']:,.0f}", f"{s['resave_us_per_article']:,.0f}",
             f"{s['resave_unchanged']}/{s['resave_unchanged'] + s['resave_other']}",
             f"{s['bytes'] / s['articles']:,.0f}", f"{s['bytes'] / 1e9:.2f}", f"{s['aliases']:,}", f"{s['related']:,}"]
            for s in steps]
    ex_rows = [[f"{k:,}", e["command"], f"{e['rows']:,}", f"{e['rows_per_s']:,.0f}", f"{e['seconds']:.1f}",
                f"{e['peak_rss_mb']:.0f}", f"{e['csv_mb']:,.0f}", e["exit"]]
               for k, e in [*sorted(exports.items()), (done, subset)]]
    fts = checks["fts_ms"]
    v_rows, v_ids, v_ms = checks["view"]
    t_rows, t_ids, t_ms = checks["table_sorted"]
    k_rows, k_ids, k_ms = checks["by_key"]
    deep = checks["deep"]
    lines = [
        "## Archive scale" + ("" if full else f" (quick run, {a.rows:,} articles)"),
        "",
        f"Synthetic articles (300-600 words drawn Zipf-like from {len(WORDS):,} Indonesian word forms, 0-3 related links, 12% fetched "
        f"under an alias URL, {len(SITES)} sites) saved through `archive.db.save_articles` in batches of {a.batch} "
        f"(one transaction each). Grew to {articles_total:,} articles in {grow_s / 60:.1f} min (generation included)"
        + (f"; **stopped at the time limit before the {a.rows:,} asked for**" if articles_total < a.rows else "")
        + ". The machine's 2 cores were shared with other jobs during the run (load average "
        f"{os.getloadavg()[0]:.1f} at the end), so rates are lower bounds.",
        "",
        table(["articles", "insert rows/s (this step)", "dedupe check µs/article (re-save known)", "unchanged",
               "bytes/article (db+wal)", "file GB", "aliases", "related rows"], rows),
        "",
        f"Dedupe check at {first['rows']:,} rows: {first['resave_us_per_article']:,.0f} µs/article; at "
        f"{last['rows']:,}: {last['resave_us_per_article']:,.0f} µs/article.",
        "",
        "`warta export` (every article, CSV, child process; peak RSS of that process):",
        "",
        table(["archive rows", "command", "rows written", "rows/s", "seconds", "peak RSS MB", "CSV MB", "exit"], ex_rows),
        "",
        f"Full-text search through Datasette's client at {articles_total:,} rows (`articles.json?_search=...&_size=20`, "
        f"{len(fts)} queries from very common words to phrases, prefix and OR), on the instance `warta serve` builds "
        f"(`archive.serve.make_datasette`): p50 {median(fts):,.0f} ms, p95 {percentile(fts, 95):,.0f} ms, "
        f"max {max(fts):,.0f} ms" + (f"; {len(checks['fts_failures'])} failed ({checks['fts_failures'][:3]})"
                                      if checks["fts_failures"] else "") + ". "
        f"The synthetic vocabulary is small (~2,000 word forms), so a query matches far more of the archive than "
        f"on real news: median {100 * median(checks['fts_hits']) / articles_total:.0f}% of the articles "
        f"(the most common word: {100 * max(checks['fts_hits']) / articles_total:.0f}%), and the time grows with "
        f"the matches. "
        f"The page includes the total count and the site/section/day facet counts over every match. The "
        f"same queries without them (`_nofacet=1&_nocount=1`, as a script reading JSON asks): p50 "
        f"{median(bare['fts_ms']):,.0f} ms, p95 {percentile(bare['fts_ms'], 95):,.0f} ms"
        + (f"; {len(bare['fts_failures'])} failed" if bare["fts_failures"] else "") + ".",
        "",
        f"Date-sorted paging, first {a.sample_pages} pages of 1,000 rows followed through `next_url`:",
        f"- view `articles_by_date` (ORDER BY published DESC, id DESC): {v_rows:,} rows, {v_ids:,} unique ids "
        f"({v_rows - v_ids} repeated), {v_ms:,.0f} ms/page;",
        f"- table `articles` in its default order (`_sort_desc=date_key`, published + id, unique; keyset paging): "
        f"{k_rows:,} rows, {k_ids:,} unique ids ({k_rows - k_ids} repeated), {k_ms:,.0f} ms/page;",
        *([f"- half-way down ({deep['offset']:,} rows in), {deep['view'][0]:,} rows from each: the view (OFFSET) "
           f"{deep['view'][2]:,.0f} ms/page, the table by key {deep['table'][2]:,.0f} ms/page "
           f"({deep['table'][1]:,} unique ids);"] if deep else []),
        (f"- table `articles?_sort_desc=published` (the Datasette 0.65 bug, for contrast): {t_rows:,} rows, "
         f"{t_ids:,} unique ids ({t_rows - t_ids} repeated), {t_ms:,.0f} ms/page." if t_rows >= 0 else
         f"- table `articles?_sort_desc=published`: refused by the archive's metadata (HTTP {t_ids}: \"{t_ms}\"), "
         "so users cannot reach the Datasette 0.65 sort bug; date order goes through the view."),
        "",
        *search["lines"],
        "",
    ]
    text = "\n".join(lines)
    print(text)
    (work / "results.json").write_text(json.dumps({"steps": steps, "exports": exports, "subset_export": subset,
                                                   "checks": checks}, indent=1))
    if not a.no_write:
        write_section("archive" if full else "archive-quick", text, module="archive")


if __name__ == "__main__":
    main()
