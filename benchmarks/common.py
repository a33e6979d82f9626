"""Shared helpers of the benchmarks: paths, machine description, timing summaries, RESULTS.md sections."""

from __future__ import annotations

import os
import platform
import re
import sqlite3
import statistics
import subprocess
import sys
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
#: Generated data and predictions; gitignored.
WORK = REPO / "benchmarks" / "work"
RESULTS = REPO / "benchmarks" / "RESULTS.md"

_LIBS = ("scrapy", "trafilatura", "lxml", "beautifulsoup4", "sqlite-utils", "datasette", "w3lib")


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo (or platform's guess elsewhere)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> str:
    """One line naming the machine and the versions a figure depends on."""
    libs = []
    for name in _LIBS:
        try:
            libs.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{os.cpu_count()} cores ({cpu_model()}), load {load:.1f} at start; Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}; " + ", ".join(libs)
    )


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation; 0 for no values."""
    if not values:
        return 0.0
    xs = sorted(values)
    k = (len(xs) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def now_utc() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def git_commit() -> str:
    """The short commit the benchmark ran on (with "+dirty" when the tree has changes)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
        return head + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def write_section(name: str, body: str, module: str | None = None) -> None:
    """Replace (or append) the section ``name`` of RESULTS.md, leaving the other benchmarks' sections alone.

    ``module`` names the benchmark module that wrote it when that is not ``name``.
    """
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    header = (
        f"{start}\n{body.rstrip()}\n\n"
        f"_Run {now_utc()} on commit {git_commit()}; command: `{' '.join(['python -m', 'benchmarks.' + (module or name)] + sys.argv[1:])}`._  \n"
        f"_Machine: {machine()}._\n{end}"
    )
    text = RESULTS.read_text("utf8") if RESULTS.exists() else "# Benchmark results\n\nWritten by the benchmarks; see the README for the commands.\n"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: header, text)
    else:
        text = text.rstrip() + "\n\n" + header + "\n"
    RESULTS.write_text(text, "utf8")


def table(headers: list[str], rows: list[list[object]]) -> str:
    """A Markdown table."""
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)
