"""Import rate: ``warta import`` of a generated WARC beside warcio's bare iteration of the same file.

Run: ``.venv/bin/python -m benchmarks.imports --pages 10000 [--gb 1]``. The WARC (gzip per record,
a request before each response, like a crawler's) holds, per 10 responses: 6 generated Kompas
articles with their own URLs and bodies (tests/sitegen.py pages: new articles), 1 real saved page
(tests/fixtures: Kompas and the saved pages of eleven outlets, cycled, so most are re-reads of an
archived article), 1 HTML page of a host without a profile, 1 PNG image, 1 404 page. The floor is
warcio's ``ArchiveIterator`` reading every record's payload, in a process of its own; the import is
``warta import --json`` in another, into a fresh archive; both peak RSS (ru_maxrss of the child).
``--gb N`` also builds a file of N GB (the same pages plus 1 MB incompressible images) and measures
peak RSS of importing it: constant memory means the same peak as for the small file.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import WORK, machine, table, write_section

FLOOR = """
import sys
from warcio.archiveiterator import ArchiveIterator
n = size = 0
with open(sys.argv[1], 'rb') as f:
    for record in ArchiveIterator(f, arc2warc=True):
        n += 1
        size += len(record.content_stream().read())
print(n, size)
"""


def build(path: Path, pages: int, pad_bytes: int = 0) -> int:
    """Write the benchmark WARC; returns the number of response records."""
    from tests.sitegen import article_html, article_url
    from tests.warcgen import PNG, Page, saved_pages, write_warc

    real = saved_pages()

    def gen():  # type: ignore[no-untyped-def]
        for i in range(pages):
            kind = i % 10
            if kind < 6:
                yield Page(article_url(i), article_html(i).encode())
            elif kind == 6:
                page = real[(i // 10) % len(real)]
                yield Page(page.url, page.body)
            elif kind == 7:
                html = f"<html><title>P {i}</title><p>x</p></html>".encode()
                yield Page(f"https://blog{i % 50}.example.org/p/{i}", html)
            elif kind == 8:
                yield Page(f"https://asset.kompas.com/img/{i}.png", PNG, "image/png")
            else:
                yield Page(f"https://www.kompas.com/hilang/{i}", b"<html>404</html>", status="404 Not Found")
        written = 0
        j = 0
        while written < pad_bytes:
            j += 1
            yield Page(f"https://asset.kompas.com/big/{j}.jpg", os.urandom(1 << 20), "image/jpeg")
            written += 1 << 20

    return len(write_warc(path, gen()))


def run_child(args: list[str]) -> tuple[float, int, str]:
    """Run a child process; returns (seconds, its own peak RSS in MB, stdout)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    stdout = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)  # this child's rusage, not the max over all children
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{args[:3]} failed with {proc.returncode}")
    return seconds, usage.ru_maxrss // 1024, stdout


def measure(warc: Path) -> dict[str, float]:
    warta = str(Path(sys.executable).with_name("warta"))
    db = warc.with_suffix(".db")
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    floor_s, floor_rss, floor_out = run_child([sys.executable, "-c", FLOOR, str(warc)])
    records = int(floor_out.split()[0])
    import_s, import_rss, import_out = run_child([warta, "import", "--db", str(db), "--json", str(warc)])
    counts = json.loads(import_out.strip().splitlines()[-1])
    assert counts["records"] == records, (counts["records"], records)
    return {
        "mb": warc.stat().st_size / 1e6,
        "records": records,
        "responses": counts["responses"],
        "new": counts["articles"]["new"],
        "unchanged": counts["articles"]["unchanged"],
        "floor_s": floor_s,
        "floor_rss": floor_rss,
        "import_s": import_s,
        "import_rss": import_rss,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--gb", type=float, default=0)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    small = WORK / f"import-{args.pages}.warc.gz"
    build(small, args.pages)
    results = [("generated", measure(small))]
    if args.gb:
        big = WORK / f"import-{args.gb:g}gb.warc.gz"
        build(big, args.pages, int(args.gb * 1e9))
        results.append((f"{args.gb:g} GB", measure(big)))
        big.unlink()
    rows = []
    for name, r in results:
        rows.append([
            name, f"{r['mb']:,.0f}", f"{r['records']:,}", f"{r['responses']:,}", f"{r['new']:,} / {r['unchanged']:,}",
            f"{r['records'] / r['floor_s']:,.0f} ({r['mb'] / r['floor_s']:,.0f} MB/s)",
            f"{r['records'] / r['import_s']:,.0f} ({r['responses'] / r['import_s']:,.0f} responses/s)",
            f"{r['import_s'] / r['floor_s']:.1f}x", f"{r['floor_rss']} / {r['import_rss']}",
        ])
        print(name, json.dumps(r))
    body = (
        "## Import rate (`warta import` beside warcio's bare iteration)\n\n"
        f"A WARC of {args.pages:,} responses (gzip per record, request records between: see the module's "
        "docstring for the mix), read by warcio alone (every payload read: the floor) and imported by "
        "`warta import` (parse, dedupe, story grouping, SQLite) into a fresh archive, each in its own "
        f"process, in the same run. Machine: {machine()}.\n\n"
        + table(["file", "MB", "records", "responses", "articles new / unchanged", "floor records/s",
                 "import records/s", "import time / floor", "peak RSS MB floor / import"], rows)
        + "\n\nThe import costs what the parsers and the archive cost; the reading itself is the floor."
    )
    write_section("imports", body)


if __name__ == "__main__":
    main()
