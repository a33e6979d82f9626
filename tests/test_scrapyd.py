"""Scrapyd 1.6 runs the project's spiders: the egg ``scrapyd-deploy --build-egg`` builds carries the
``scrapy`` settings entry point and leaves no stray file behind, and a crawl scheduled through
Scrapyd's HTTP API on 127.0.0.1 archives a local mirror's articles.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.redis_server import free_port
from tests.sitegen import REPO, article_count, article_url, crawl_env, rows, site_server, wait_for, write_site

N = 20
#: What a checkout holds that the egg is built from.
PROJECT_FILES = ("scrapy.cfg", "setup.py", "pyproject.toml", "README.md", "scraper", "archive")


def bin_path(name: str) -> str:
    path = Path(sys.executable).with_name(name)
    if not path.exists():
        pytest.skip(f"{name} is not installed: pip install -e '.[cluster]' (make install does)")
    return str(path)


def project_copy(folder: Path) -> Path:
    """The project's files, as a checkout has them (the build writes beside them, not in this tree)."""
    folder.mkdir()
    for name in PROJECT_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, folder / name)
    return folder


def build_egg(project: Path, egg: Path) -> None:
    done = subprocess.run(
        [bin_path("scrapyd-deploy"), "--build-egg", str(egg)], cwd=project, capture_output=True, text=True,
        timeout=180, env=crawl_env(),
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_egg_names_the_settings_module_and_the_tree_stays_clean(tmp_path: Path) -> None:
    project = project_copy(tmp_path / "project")
    before = set(os.listdir(project))
    egg = tmp_path / "warta.egg"
    build_egg(project, egg)
    with zipfile.ZipFile(egg) as z:
        entry_points = z.read("EGG-INFO/entry_points.txt").decode()
        names = z.namelist()
    assert "[scrapy]" in entry_points and "settings = archive.scrapy_settings" in entry_points
    assert "scraper/spiders/base.py" in names and "archive/metadata.yml" in names
    # scrapyd-deploy writes a setup.py of its own only when there is none: the project ships one.
    assert (project / "setup.py").read_text() == (REPO / "setup.py").read_text()
    assert set(os.listdir(project)) - before <= {"build", "warta.egg-info"}  # both in .gitignore


def scrapyd_conf(folder: Path, port: int) -> Path:
    conf = folder / "scrapyd.conf"
    conf.write_text(
        "[scrapyd]\n"
        f"bind_address = 127.0.0.1\nhttp_port = {port}\n"
        f"eggs_dir = {folder / 'eggs'}\nlogs_dir = {folder / 'logs'}\ndbs_dir = {folder / 'dbs'}\n"
        "items_dir =\njobs_to_keep = 5\nmax_proc = 2\npoll_interval = 0.5\n",
        encoding="utf-8",
    )
    return conf


def api(port: int, path: str, data: dict[str, Any] | list[tuple[str, str]] | None = None, **kwargs: Any) -> Any:
    import requests

    url = f"http://127.0.0.1:{port}/{path}"
    answer = requests.post(url, data=data, timeout=30, **kwargs) if data is not None or kwargs else requests.get(
        url, timeout=30
    )
    answer.raise_for_status()
    body = answer.json()
    assert body.get("status") == "ok", body
    return body


def test_a_crawl_scheduled_on_scrapyd_archives_the_mirror(tmp_path: Path) -> None:
    project = project_copy(tmp_path / "project")
    egg = tmp_path / "warta.egg"
    build_egg(project, egg)
    routes, robots = write_site(tmp_path / "site", N)
    db = tmp_path / "archive.db"
    port = free_port()
    home = tmp_path / "scrapyd"
    home.mkdir()
    conf = scrapyd_conf(home, port)
    # Scrapyd reads scrapyd.conf from its working directory; it runs each job with this Python.
    with (home / "scrapyd.out").open("wb") as out:
        scrapyd = subprocess.Popen(
            [bin_path("scrapyd")], cwd=home, stdout=out, stderr=subprocess.STDOUT,
            env={**crawl_env(), "SCRAPYD_CONF": str(conf)},
        )
    try:
        wait_for(lambda: _up(port), timeout=30)
        with egg.open("rb") as f:
            api(port, "addversion.json", {"project": "warta", "version": "1"}, files={"egg": f})
        spiders = api(port, "listspiders.json?project=warta")["spiders"]
        assert "kompas" in spiders and "site" in spiders
        with site_server(routes, robots) as server:
            job = api(port, "schedule.json", [
                ("project", "warta"), ("spider", "kompas"), ("root", server.root),
                ("setting", f"WARTA_DB={db}"), ("setting", "DOWNLOAD_DELAY=0"), ("setting", "AUTOTHROTTLE_ENABLED=0"),
                ("setting", "CONCURRENT_REQUESTS_PER_DOMAIN=16"),
            ])["jobid"]
            wait_for(lambda: _finished(port, job), timeout=120)
        log = next((home / "logs" / "warta" / "kompas").glob(f"{job}.log")).read_text(encoding="utf-8")
        assert "'finish_reason': 'finished'" in log, log[-3000:]
    finally:
        scrapyd.terminate()
        scrapyd.wait(timeout=30)
    assert article_count(db) == N
    assert {r[0] for r in rows(db, "SELECT canonical_url FROM articles")} == {article_url(i) for i in range(N)}


def _up(port: int) -> bool:
    import requests

    try:
        return requests.get(f"http://127.0.0.1:{port}/daemonstatus.json", timeout=2).ok
    except requests.RequestException:
        time.sleep(0.2)
        return False


def _finished(port: int, job: str) -> bool:
    jobs = api(port, "listjobs.json?project=warta")
    if any(j["id"] == job for j in jobs["finished"]):
        return True
    time.sleep(0.5)
    return False
