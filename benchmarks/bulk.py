"""Bulk speed (issue 13 §4): ``warta import`` and ``warta reextract`` beside sqlite-utils' ``insert_all`` of
the same rows with FTS, and ``warta export`` beside the ``sqlite3`` CLI's own CSV of the same query.

Run: ``.venv/bin/python -m benchmarks.bulk --rows 20000`` (needs the ``sqlite3`` command: Debian's ``sqlite3``
package). The articles are ``benchmarks.archive``'s generator (real Indonesian word frequencies).

* floor of the writes: sqlite-utils ``insert_all`` (batches of 1,000) of the rows ``archive.db`` would store,
  into a table with ``enable_fts(title, body, create_triggers=True)``, in a process of its own;
* ``warta import FILE.jsonl`` (JSON Lines as ``warta extract`` writes them: no parsing) into a fresh archive:
  dedupe, full text, story fingerprints and grouping, in a process of its own;
* ``warta reextract``'s write path: the same archive with every article's new version written by
  ``archive.reextract._apply`` (versions, full text, fingerprints), timed in process (the parse of the
  captures is the extraction benchmark's; here the writes are measured);
* floor of the export (every output counted through a pipe, not written to the disk): ``sqlite3 -readonly
  -csv archive.db "<the SELECT of the exported cells>"``
  (the cells' SQL: lists joined with json_each, related URLs with group_concat); then ``warta export`` to
  stdout (CSV), ``--excel``, ``--format jsonl`` and ``--format parquet -o``, each a process with its peak RSS and
  CPU seconds (Parquet's compression runs in a thread of its own: CPU above wall time).
  With ``--export-from`` the archive is someone else's: it is opened read-only (``mode=ro``, never
  migrated: a launcher runs ``warta export`` with ``open_existing`` replaced), and ``--exports-only``
  skips the write benchmarks.

Each pair runs alternately ``--rounds`` times; the ratios are of medians.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import WORK, median, table, write_section

FLOOR_INSERT = """
import json, sys, time, sqlite_utils
rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
db = sqlite_utils.Database(sys.argv[2])
db.enable_wal()
t = db["articles"]
if not t.exists():  # a fresh table (else the --base archive's, FTS enabled)
    t.insert_all(rows[:1], pk="id")
    t.enable_fts(["title", "body"], create_triggers=True, tokenize="unicode61 remove_diacritics 2")
    rows = rows[1:]
t0 = time.perf_counter()
t.insert_all(rows, batch_size=1000)
print(json.dumps({"seconds": time.perf_counter() - t0, "rows": len(rows)}))
"""

# The output goes to a pipe whose bytes are counted, not to a file: writing 400 MB to the disk each run made
# the figures those of the page cache's writeback (seconds apart between rounds, the same for both tools).
RUN_AND_MEASURE = """
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
try:  # a 1 MB pipe (Linux), so that neither writer waits on this reader at every 64 KB
    import fcntl
    fcntl.fcntl(child.stdout.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
except OSError:
    pass
size = 0
while chunk := child.stdout.read(1 << 20):
    size += len(chunk)
code = child.wait()
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": time.perf_counter() - t0, "exit": code, "peak_rss_mb": usage.ru_maxrss / 1024,
                  "cpu_seconds": usage.ru_utime + usage.ru_stime, "mb": size / 1e6}))
"""

# `warta export` on an archive that is not ours: opened read-only and never migrated (open_archive
# would migrate an older schema: a write, and an error on an archive of another branch's numbering).
READ_ONLY_WARTA = """
import sqlite3, sys
from pathlib import Path
import sqlite_utils
import archive.cli as cli
def open_read_only(path):
    conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True, isolation_level=None)
    conn.execute("PRAGMA cache_size = -20000")  # as open_archive
    return sqlite_utils.Database(conn)
cli.open_existing = open_read_only
cli.cli(args=sys.argv[1:], prog_name="warta")
"""


def _python() -> str:
    return sys.executable


def _warta() -> str:
    return str(Path(sys.executable).with_name("warta"))


def write_inputs(work: Path, rows: int, first: int = 0, name: str = "articles") -> tuple[Path, Path]:
    """The JSON Lines file to import and the prepared rows for the floor (the same articles: the
    generator's ``first`` to ``first + rows - 1``)."""
    from archive.db import _prepare
    from benchmarks.archive import article

    jsonl, prepared = work / f"{name}.jsonl", work / f"{name}-rows.jsonl"
    with jsonl.open("w", encoding="utf-8") as a, prepared.open("w", encoding="utf-8") as b:
        for i in range(first, first + rows):
            record = article(i)
            a.write(json.dumps({**record, "fetched": "2026-12-01T00:00:00+00:00"}, ensure_ascii=False) + "\n")
            row = _prepare(record)
            row.pop("related")
            b.write(json.dumps({"id": i + 1, **row}, ensure_ascii=False) + "\n")
    return jsonl, prepared


def _fresh(db: Path, base: Path | None) -> None:
    """``db`` removed, or a copy of the ``base`` archive."""
    for p in db.parent.glob(db.name + "*"):
        p.unlink()
    if base is not None:
        shutil.copy(base, db)


def floor_insert(work: Path, prepared: Path, base: Path | None = None) -> dict[str, Any]:
    db = work / "floor.db"
    _fresh(db, base)
    out = subprocess.run([_python(), "-c", FLOOR_INSERT, str(prepared), str(db)], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


def warta_import(work: Path, jsonl: Path, base: Path | None = None, name: str = "import.db") -> dict[str, Any]:
    db = work / name
    _fresh(db, base)
    before = 0
    if base is not None:
        import sqlite3

        with sqlite3.connect(db) as conn:
            before = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    t0 = time.perf_counter()
    proc = subprocess.run([_warta(), "import", "--db", str(db), str(jsonl)], capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"warta import failed: {proc.stderr[-500:]}")
    import sqlite3

    with sqlite3.connect(db) as conn:
        n = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        fp = conn.execute("SELECT count(*) FROM fingerprints").fetchone()[0]
    return {"seconds": seconds, "rows": n - before, "fingerprints": fp, "db": db}


def reextract_writes(db: Path, newest: int | None = None) -> dict[str, Any]:
    """Every article (the ``newest`` ones) written again as a new version through reextract's write path."""
    from archive.db import _prepare, open_archive
    from archive.reextract import _apply

    archive = open_archive(db)
    rows = archive.execute("SELECT id, canonical_url, site, title, body, published FROM articles ORDER BY id DESC "
                           "LIMIT ?", (newest or -1,)).fetchall()[::-1]
    seen = "2026-12-02T00:00:00+00:00"
    updates = []
    for article_id, canonical, site, title, body, published in rows:
        record = {"canonical_url": canonical, "site": site, "title": title, "published": published,
                  "body": body + "\n\nDiperbarui: paragraf penutup yang ditambahkan parser baru."}
        updates.append({**_prepare(record), "id": article_id, "seen": seen})
    t0 = time.perf_counter()
    for k in range(0, len(updates), 1000):
        _apply(archive, updates[k:k + 1000])
    seconds = time.perf_counter() - t0
    versions = archive.execute("SELECT count(*) FROM versions").fetchone()[0]
    archive.close()
    return {"seconds": seconds, "rows": len(updates), "versions": versions}


def export_query(until: str | None = None) -> str:
    """The SELECT of the cells ``warta export [--until DAY]`` writes for the default columns (lists
    joined in SQL, as export_csv's fallback and the CSV of earlier versions read them), its
    parameters inlined: what sqlite3 -csv runs for the floor."""
    from archive.export import _COMPUTED, _LIST_SQL, DEFAULT_COLUMNS, _filters

    select = ", ".join({**_COMPUTED, **_LIST_SQL}.get(n, f"[{n}]") for n in DEFAULT_COLUMNS)
    where, params = _filters(None, None, until, None)
    for value in params:
        where = where.replace("?", "'" + str(value).replace("'", "''") + "'", 1)
    return f"SELECT {select} FROM articles{where} ORDER BY published, id"


def timed(command: list[str]) -> dict[str, Any]:
    proc = subprocess.run([_python(), "-c", RUN_AND_MEASURE, *command], capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(proc.stdout)
    if result["exit"]:
        raise SystemExit(f"{command[:3]}... failed (exit {result['exit']})")
    return result


def measure_exports(a: argparse.Namespace, work: Path, export_db: Path,
                    sqlite3_cli: str) -> tuple[int, dict[str, list[dict[str, Any]]]]:
    """How many rows the exports write, and each one's runs beside ``sqlite3 -csv`` of the same cells."""
    query = export_query(a.export_until)
    until = ["--until", a.export_until] if a.export_until else []
    import sqlite3

    conn = sqlite3.connect(export_db.resolve().as_uri() + "?mode=ro", uri=True)
    exported = conn.execute(f"SELECT count(*) FROM ({query})").fetchone()[0]
    conn.close()
    exports: dict[str, list[dict[str, Any]]] = {"sqlite3": [], "csv": [], "excel": [], "jsonl": [], "parquet": []}
    warta = [_python(), "-c", READ_ONLY_WARTA] if a.export_from else [_warta()]
    export = [*warta, "export", "--db", str(export_db), *until]
    commands = {
        "sqlite3": [sqlite3_cli, "-readonly", "-csv", "-header", str(export_db), query],
        "csv": export,
        "excel": [*export, "--excel"],
        "jsonl": [*export, "--format", "jsonl"],
        "parquet": [*export, "--format", "parquet", "-o", str(work / "out.parquet")],
    }
    # One untimed run first: the archive's pages into the page cache (the first round was seconds slower).
    timed(commands["sqlite3"])
    for r in range(a.rounds):
        for name, command in commands.items():
            exports[name].append(timed(command))
        print(json.dumps({"round": r, "exports": {k: v[-1] for k, v in exports.items()}}), file=sys.stderr)
    if (work / "out.parquet").exists():
        for e in exports["parquet"]:
            e["mb"] = (work / "out.parquet").stat().st_size / 1e6
    return exported, exports


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--export-from", default="", help="measure the exports on this archive instead (e.g. the "
                    "benchmarks.archive one); with --export-until DAY, of the articles published up to DAY")
    ap.add_argument("--export-until", default=None)
    ap.add_argument("--exports-only", action="store_true", help="only the exports (with --export-from)")
    ap.add_argument("--writes-only", action="store_true", help="only the writes (import, reextract)")
    ap.add_argument("--base", type=int, default=0, help="write into archives that already hold this many "
                    "articles (warta's and the floor's, built once, untimed): its own section of RESULTS.md; "
                    "no exports")
    a = ap.parse_args(argv)
    a.writes_only = a.writes_only or bool(a.base)
    if a.exports_only and not a.export_from:
        raise SystemExit("--exports-only needs --export-from ARCHIVE (the exports are measured on it)")
    sqlite3_cli = shutil.which("sqlite3")
    if sqlite3_cli is None:
        raise SystemExit("benchmarks.bulk needs the sqlite3 command (Debian: apt-get install sqlite3): "
                         "the export floor")
    work = WORK / ("bulk-base" if a.base else "bulk")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    floors: list[dict[str, Any]] = []
    imports: list[dict[str, Any]] = []
    rex: list[dict[str, Any]] = []
    if not a.exports_only:
        t0 = time.perf_counter()
        jsonl, prepared = write_inputs(work, a.rows, a.base)
        base_db = floor_base = None
        if a.base:  # the archives to write into, built once: warta's through warta import, the floor's by insert_all
            base_jsonl, base_rows = write_inputs(work, a.base, 0, "base")
            base_db = warta_import(work, base_jsonl, name="base.db")["db"]
            floor_insert(work, base_rows)
            floor_base = work / "floor-base.db"
            shutil.move(work / "floor.db", floor_base)
        print(f"inputs: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        for r in range(a.rounds):
            floors.append(floor_insert(work, prepared, floor_base))
            imports.append(warta_import(work, jsonl, base_db))
            print(json.dumps({"round": r, "floor": floors[-1], "import": {**imports[-1], "db": ""}}), file=sys.stderr)
    export_db = Path(a.export_from) if a.export_from else work / "export.db"
    if not (a.export_from or a.writes_only):
        shutil.copy(imports[-1]["db"], export_db)
    if not a.exports_only:
        for r in range(a.rounds):
            copy = work / "reextract.db"
            shutil.copy(imports[-1]["db"], copy)
            rex.append(reextract_writes(copy, a.rows if a.base else None))
            print(json.dumps({"round": r, "reextract": rex[-1]}), file=sys.stderr)
    exported, exports = (0, {}) if a.writes_only else measure_exports(a, work, export_db, sqlite3_cli)

    def rate(runs: list[dict[str, Any]], rows: int | None = None) -> float:
        return median([(rows or x["rows"]) / x["seconds"] for x in runs])

    ex_rate = {k: rate(v, exported) for k, v in exports.items()}
    labels = {"sqlite3": "`sqlite3 -csv` of the same cells (floor)", "csv": "`warta export` (CSV)",
              "excel": "`warta export --excel`", "jsonl": "`warta export --format jsonl`",
              "parquet": "`warta export --format parquet`"}
    rows_e: list[list[object]] = [
        [labels[k], ", ".join(f"{x['seconds']:.2f}" for x in v), f"{median([x['cpu_seconds'] for x in v]):.2f}",
         f"{ex_rate[k]:,.0f}", f"**{ex_rate[k] / ex_rate['sqlite3']:.2f}**" if k != "sqlite3" else "1.00",
         f"{max(x['peak_rss_mb'] for x in v):.0f}", f"{v[-1]['mb']:,.0f}"]
        for k, v in exports.items()
    ]
    exports_text = "\n".join([
        f"Exports: {exported:,} rows of {export_db.name}" + (f" (published up to {a.export_until})" if a.export_until
                                                           else " (every article)") + ", each a process of its own"
        + (", the archive opened read-only" if a.export_from else "") + ":",
        "",
        table(["export", "seconds (rounds)", "CPU s (median)", "rows/s", "ratio to floor", "peak RSS MB",
               "output MB"], rows_e),
    ])
    if a.exports_only:
        text = "\n".join(["## Bulk speed: exports beside `sqlite3 -csv`", "", exports_text])
    else:
        n = imports[-1]["rows"]
        floor_rate, import_rate, rex_rate = rate(floors), rate(imports), rate(rex)
        rows_w: list[list[object]] = [
            ["sqlite-utils `insert_all` + FTS triggers (floor)", f"{floors[-1]['rows']:,}",
             ", ".join(f"{x['seconds']:.1f}" for x in floors), f"{floor_rate:,.0f}", "1.00"],
            ["`warta import` JSON Lines (dedupe, FTS, fingerprints, stories)", f"{n:,}",
             ", ".join(f"{x['seconds']:.1f}" for x in imports), f"**{import_rate:,.0f}**",
             f"{import_rate / floor_rate:.2f}"],
            ["`warta reextract` write path (a new version of every article)", f"{rex[-1]['rows']:,}",
             ", ".join(f"{x['seconds']:.1f}" for x in rex), f"**{rex_rate:,.0f}**", f"{rex_rate / floor_rate:.2f}"],
        ]
        into = (f" into archives already holding {a.base:,} articles (warta's built by `warta import`, the floor's "
                "by `insert_all`, untimed; reextract rewrites the new ones)") if a.base else " into fresh archives"
        text = "\n".join([
            f"## Bulk writes into an archive of {a.base:,} articles" if a.base
            else "## Bulk speed (import, reextract, export beside their floors)",
            "",
            f"`benchmarks/bulk.py`: {a.rows:,} generated articles (`benchmarks.archive`'s generator: real Indonesian "
            f"word frequencies){into}, {a.rounds} alternating rounds; ratios of medians, each to its floor in the same "
            "run. Each `warta import` is timed as a whole process (start-up and JSON parsing included); the floor's "
            "`insert_all` alone, its rows already parsed.",
            "",
            table(["writes", "articles", "seconds (rounds)", "articles/s", "ratio to floor"], rows_w),
            *(["", exports_text] if exports else []),
        ])
    print(text)
    (work / "results.json").write_text(json.dumps({"floors": floors, "imports": [{**x, "db": ""} for x in imports],
                                                   "reextract": rex, "exports": exports}, indent=1))
    if not a.no_write and (a.base or not a.writes_only):
        write_section("bulk-base" if a.base else "bulk", text, module="bulk")


if __name__ == "__main__":
    main()
