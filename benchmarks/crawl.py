"""Crawl throughput: the whole Warta pipeline beside a bare Scrapy spider, same pages, same server, one run.

Run: ``benchmarks/setup.sh`` once (installs nginx), then ``.venv/bin/python -m benchmarks.crawl`` (``--pages N``,
default 2000; ``--no-profile`` skips the profiled third crawl). It writes a Kompas-layout mirror of N articles
(from the seed fixture, with varied ids, titles and bodies) plus robots.txt and sitemaps into
``benchmarks/work/crawl/``, serves it from 127.0.0.1 (nginx when installed, else a threaded Python server),
and runs (a) the real kompas spider with ``-a root=`` into a fresh SQLite archive and (b) a bare spider
fetching the same article URLs. A third, profiled run of (a) shows where a page's time goes.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import pstats
import random
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import SHARED, WORK, median, table, write_section

SEED = SHARED / "fixtures" / "kompas" / "seed-article.html"
SEED_PATH = "/global/read/2024/11/14/083000170/rangkuman-hari-ke-995-serangan-rusia-ke-ukraina--ukraina-dapat-gambaran"
SEED_ID = "083000170"
SEED_TITLE = "Rangkuman Hari Ke-995 Serangan Rusia ke Ukraina: Ukraina Dapat Gambaran Jelas Bantuan AS, Serangan Rusia di Kupiansk Ditahan"
HOST = "www.kompas.com"
SECTIONS = ("global", "tren", "nasional", "megapolitan", "regional", "tekno", "money", "bola")
#: A news sitemap holds at most 1,000 URLs (Google's limit), so the mirror splits them.
PER_SITEMAP = 1000

# Plain paragraphs of the body (no inline markup): their text is replaced per article.
_PLAIN_P = re.compile(r"<p>([^<]{40,})</p>")


def _vocabulary(page: str) -> list[str]:
    """Indonesian words of the seed body, to write varied bodies from."""
    words: list[str] = []
    for m in _PLAIN_P.finditer(page):
        words += re.findall(r"[A-Za-z][a-z\-]+", html.unescape(m.group(1)))
    return words


def _sentence(rng: random.Random, words: list[str], n: int) -> str:
    text = " ".join(rng.choice(words) for _ in range(n))
    return text[0].upper() + text[1:] + "."


def generate(n: int, out: Path) -> list[str]:
    """Write N article pages, robots.txt and the sitemaps under ``out/<host>/``; return the article URLs."""
    if out.exists():
        shutil.rmtree(out)
    site = out / HOST
    site.mkdir(parents=True)
    seed = SEED.read_text("utf8")
    words = _vocabulary(seed)
    rng = random.Random(20241114)
    urls, entries = [], []
    for i in range(n):
        section = SECTIONS[i % len(SECTIONS)]
        art_id = f"{83000170 + 1000 * i:09d}"
        title_words = [rng.choice(words) for _ in range(rng.randint(6, 12))]
        title = " ".join(w.capitalize() for w in title_words) + f" {i}"
        slug = "-".join(w.lower() for w in title_words) + f"-{i}"
        path = f"/{section}/read/2024/11/14/{art_id}/{slug}"
        page = seed.replace(SEED_PATH, path).replace(SEED_ID, art_id).replace(SEED_TITLE, title)
        page = _PLAIN_P.sub(lambda _: f"<p>{_sentence(rng, words, rng.randint(12, 40))}</p>", page)
        target = site / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, "utf8")
        url = f"https://{HOST}{path}"
        urls.append(url)
        minute = i % 600
        stamp = f"2024-11-14T{8 + minute // 60:02d}:{minute % 60:02d}:00+07:00"
        entries.append(
            f"<url><loc>{url}</loc><news:news><news:publication><news:name>Kompas.com</news:name>"
            f"<news:language>id</news:language></news:publication><news:publication_date>{stamp}"
            f"</news:publication_date><news:title>{html.escape(title)}</news:title></news:news></url>"
        )
    children = []
    for k in range(0, n, PER_SITEMAP):
        name = f"sitemap-news-{k // PER_SITEMAP + 1}.xml"
        children.append(f"https://{HOST}/{name}")
        (site / name).write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
            + "\n".join(entries[k : k + PER_SITEMAP]) + "\n</urlset>\n", "utf8")
    (site / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(f"<sitemap><loc>{c}</loc><lastmod>2024-11-14T16:00:00+07:00</lastmod></sitemap>" for c in children)
        + "\n</sitemapindex>\n", "utf8")
    (site / "robots.txt").write_text(f"User-Agent: *\nDisallow: /search/?q=\n\nSitemap: https://{HOST}/sitemap.xml\n")
    return urls


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_binary() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def start_server(docroot: Path, port: int) -> tuple[subprocess.Popen, str]:
    """Serve ``docroot`` on 127.0.0.1:port with nginx when available, else a threaded Python server."""
    nginx = nginx_binary()
    if nginx:
        conf_dir = docroot.parent / "nginx"
        conf_dir.mkdir(exist_ok=True)
        conf = conf_dir / "nginx.conf"
        conf.write_text(f"""
worker_processes 1;
daemon off;
pid {conf_dir}/nginx.pid;
error_log {conf_dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    types {{ text/html html; application/xml xml; text/plain txt; }}
    default_type "text/html; charset=utf-8";
    client_body_temp_path {conf_dir}/tmp_body;
    proxy_temp_path {conf_dir}/tmp_proxy;
    fastcgi_temp_path {conf_dir}/tmp_fcgi;
    uwsgi_temp_path {conf_dir}/tmp_uwsgi;
    scgi_temp_path {conf_dir}/tmp_scgi;
    server {{
        listen 127.0.0.1:{port};
        root {docroot};
        location / {{ try_files $uri =404; }}
    }}
}}
""")
        proc = subprocess.Popen([nginx, "-c", str(conf), "-p", str(conf_dir)], stderr=subprocess.DEVNULL)
        kind = "nginx " + subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr.strip().split("/")[-1]
    else:
        proc = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(docroot)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        kind = "python http.server (nginx not installed: run benchmarks/setup.sh)"
    for _ in range(100):  # wait until it accepts connections
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    return proc, kind


def run_crawl(mode: str, root: str, urls_file: Path, db: Path, stats_file: Path, profile: Path | None = None,
              processes: int = 0) -> dict:
    """Run one crawl in a subprocess (its own reactor) and return its stats."""
    cmd = [sys.executable, "-m", "benchmarks.crawl_runner", mode, "--root", root, "--urls", str(urls_file),
           "--db", str(db), "--stats", str(stats_file), "--set", f"WARTA_EXTRACT_PROCESSES={processes}"]
    if profile:
        cmd += ["--profile", str(profile)]
    subprocess.run(cmd, check=True, cwd=Path(__file__).resolve().parents[1])
    return json.loads(stats_file.read_text())


def count_rows(db: Path) -> int:
    """Articles stored by the pipeline."""
    import sqlite3

    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        try:
            return conn.execute("select count(*) from articles").fetchone()[0]
        except sqlite3.OperationalError:
            return 0


#: Where a page's time goes: the outermost function of each stage, by (file fragment, function name).
STAGES = {
    "extract (parse + clean, total)": [("scraper/extract.py", "extract_article")],
    "  of which BeautifulSoup tree of the body fragment": [("scraper/fast.py", "to_soup")],
    "  of which cleaning walk (bs4)": [("scraper/cleaning.py", "clean_body")],
    "  of which lxml parse of the page": [("scraper/html.py", "parse_tree")],
    "  of which metadata (JSON-LD, meta)": [("scraper/metadata.py", "read_metadata")],
    "store (archive write, one transaction per batch)": [("archive/db.py", "save_articles")],
    "  of which story grouping (simhash fingerprints)": [("archive/stories.py", "group_articles")],
    "mirror download handler (URL rewrite + fetch call)": [("scraper/middlewares.py", "download_request")],
}


def profile_summary(path: Path, pages: int) -> str:
    """Summarise a cProfile dump by stage, in ms per article page and share of the crawl."""
    st = pstats.Stats(str(path))
    total = max((v[3] for k, v in st.stats.items() if k[2] == "run"), default=0.0)  # cumulative of runner.run
    rows = []
    accounted = 0.0
    for label, keys in STAGES.items():
        cum = sum(v[3] for k, v in st.stats.items() for frag, fn in keys if k[0].endswith(frag) and k[2] == fn)
        if not label.startswith(" "):
            accounted += cum
        rows.append([label, f"{1000 * cum / pages:.2f}", f"{100 * cum / total:.0f}%" if total else "-"])
    rows.append(["Scrapy/Twisted engine, scheduling, start-up (the rest)", f"{1000 * (total - accounted) / pages:.2f}",
                 f"{100 * (total - accounted) / total:.0f}%" if total else "-"])
    rows.append(["whole crawl (under cProfile)", f"{1000 * total / pages:.2f}", "100%"])
    top = sorted(st.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:12]  # by own time
    own = [[f"`{Path(k[0]).name}:{k[1]} {k[2]}`", f"{1000 * v[2] / pages:.3f}"] for k, v in top]
    return (table(["stage", "ms per page", "share"], rows) + "\n\nTop functions by own time (ms per page):\n\n"
            + table(["function", "ms/page"], own))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--no-profile", action="store_true")
    ap.add_argument("--profile-pages", type=int, default=500, help="pages of the profiled crawl (cProfile is slow)")
    ap.add_argument("--rounds", type=int, default=2, help="Warta crawls, each between two bare crawls")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--processes", default="0,1",
                    help="WARTA_EXTRACT_PROCESSES values to measure (comma-separated; 0 = extract in the crawl process)")
    a = ap.parse_args(argv)
    processes = [int(p) for p in a.processes.split(",")]

    work = WORK / "crawl"
    work.mkdir(parents=True, exist_ok=True)
    docroot = work / "www"
    print(f"generating {a.pages} pages ...", file=sys.stderr)
    urls = generate(a.pages, docroot)
    port = free_port()
    server, kind = start_server(docroot, port)
    root = f"http://127.0.0.1:{port}"
    try:
        urls_file = work / "urls.txt"
        urls_file.write_text("\n".join(f"{root}/{u.split('://', 1)[1]}" for u in urls))
        page_bytes = sum((docroot / u.split("://", 1)[1]).stat().st_size for u in urls) / len(urls)

        results = {}
        # bare before and after the Warta crawl: on a shared machine the load may change in between
        order = [("bare 1", "bare", 0)]
        for k in range(1, a.rounds + 1):
            order += [(f"warta p{p} {k}", "warta", p) for p in processes] + [(f"bare {k + 1}", "bare", 0)]
        for label, mode, procs in order:
            db = work / f"{label.replace(' ', '-')}.db"
            for suffix in ("", "-wal", "-shm"):
                Path(str(db) + suffix).unlink(missing_ok=True)
            print(f"crawl: {label} ...", file=sys.stderr)
            stats = run_crawl(mode, root, urls_file, db, work / f"{label.replace(' ', '-')}-stats.json",
                              processes=procs)
            stats["stored"] = count_rows(db)
            stats["load"] = os.getloadavg()[0]
            results[label] = stats
    finally:
        server.terminate()
        server.wait(timeout=10)
    prof_text = ""
    if not a.no_profile:
        # a smaller mirror of its own: cProfile slows the crawl several times over
        prof_root_dir = work / "www-profile"
        generate(a.profile_pages, prof_root_dir)
        port = free_port()
        server, _ = start_server(prof_root_dir, port)
        try:
            db = work / "profiled.db"
            for suffix in ("", "-wal", "-shm"):
                Path(str(db) + suffix).unlink(missing_ok=True)
            print(f"crawl: warta under cProfile ({a.profile_pages} pages) ...", file=sys.stderr)
            run_crawl("warta", f"http://127.0.0.1:{port}", urls_file, db, work / "profiled-stats.json", work / "warta.prof")
            prof_text = profile_summary(work / "warta.prof", a.profile_pages)
        finally:
            server.terminate()
            server.wait(timeout=10)

    def rate(s: dict, pages: int) -> float:
        return pages / s["elapsed_time_seconds"] if s.get("elapsed_time_seconds") else 0.0

    rates = {label: rate(st, st.get("stored", 0) if label.startswith("warta") else st.get("bare/pages", 0))
             for label, st in results.items()}
    def cpu_per_page(label: str, st: dict) -> str:
        pages = st.get("stored", 0) if label.startswith("warta") else st.get("bare/pages", 0)
        return f"{1000 * st['cpu_seconds'] / pages:.1f}" if pages and "cpu_seconds" in st else "-"

    rb = median([r for k, r in rates.items() if k.startswith("bare")])
    by_procs = {p: median([r for k, r in rates.items() if k.startswith(f"warta p{p} ")]) for p in processes}
    rows = [
        [("Warta kompas spider (fetch, extract, dedupe, store; extraction workers: "
          f"{label.split()[1][1:]}), " if label.startswith("warta") else
          "bare Scrapy (fetch only), ") + label, st.get("downloader/request_count", 0),
         st.get("item_scraped_count", st.get("bare/pages", 0)), st.get("stored", 0) if label.startswith("warta") else "-",
         f"{st['elapsed_time_seconds']:.1f}", f"{rates[label]:.0f}", cpu_per_page(label, st), f"{st['load']:.1f}"]
        for label, st in results.items()
    ]
    warta = results[f"warta p{processes[0]} 1"]
    lines = [
        "## Crawl throughput",
        "",
        f"{a.pages} Kompas-layout article pages (~{page_bytes / 1024:.0f} KB each) + robots.txt + news sitemaps, served "
        f"from 127.0.0.1 by {kind}. Same Scrapy concurrency for both (16 requests, 16 per domain, no delay, no "
        "AutoThrottle); Warta crawls through its mirror root (`-a root=`), discovers the articles from robots.txt and "
        "the sitemaps, and stores into a fresh SQLite archive. Pages/s = article pages / Scrapy's elapsed time.",
        "",
        table(["crawl", "requests", "pages / items", "stored", "seconds", "pages/s",
               "crawl process CPU ms/page (workers not included)", "load avg after"], rows),
        "",
        "; ".join(f"**Ratio Warta ({p} extraction worker process{'es' if p != 1 else ''}) / bare (medians: "
                  f"{r:.0f} / {rb:.0f} pages/s): {r / rb:.2f}**" for p, r in by_procs.items())
        + " (goal >= 0.5). Extraction workers: `warta crawl --processes N` (WARTA_EXTRACT_PROCESSES); 0 = in the "
        "crawl process. The crawls alternate so that a change of load on the shared machine hits every kind.",
        "",
    ]
    errs = {k: v for k, v in warta.items() if k.startswith(("log_count/ERROR", "spider_exceptions", "warta/skip"))}
    if errs:
        lines += [f"Warta crawl counters: `{json.dumps(errs)}`", ""]
    if prof_text:
        lines += [f"Where a page's time goes (a third crawl, {a.profile_pages} pages of the same kind, under cProfile, "
                  "which inflates Python-heavy stages; shares are what matters):", "", prof_text, ""]
    text = "\n".join(lines)
    print(text)
    if not a.no_write:
        write_section("crawl", text)


if __name__ == "__main__":
    main()
