"""The layers point one way: ``scraper/`` (pages -> Article records) imports nothing from ``archive/``
(SQLite, Datasette, the application), and no module imports itself through others (no circle).

Every import of every module of both packages counts, read with ``ast`` (nothing is imported):
module-level and function-level ones, ``TYPE_CHECKING`` ones, and relative ones (``from . import
x``, ``from ..sites import base``). ``from package import name`` is an arrow to ``package.name`` when
that is a module, else to the package itself. ``importlib.import_module("pkg.mod")`` is an arrow
too, and ``importlib.import_module(f"pkg.sub.{name}")`` one to every module under ``pkg.sub``
(the site registry loads its profiles that way).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("scraper", "archive")


def module_files(root: Path = ROOT, packages: tuple[str, ...] = PACKAGES) -> dict[str, Path]:
    """Every module of the packages by dotted name (a package is its ``__init__``)."""
    modules: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _base(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module a ``from ... import`` names (relative levels resolved)."""
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    # In a package's __init__, ``.`` is the package itself; in a plain module, its parent.
    keep = len(parts) - node.level + (1 if is_package else 0)
    if keep <= 0:
        raise ValueError(f"{module}: relative import beyond the top package")
    return ".".join(parts[:keep] + ([node.module] if node.module else []))


def _dynamic(node: ast.Call, known: set[str]) -> list[str]:
    """The modules an ``import_module(...)`` call can load: its constant name, or every module under
    the constant prefix of an f-string."""
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if name != "import_module" or not node.args:
        return []
    arg = node.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return [arg.value]
    if isinstance(arg, ast.JoinedStr) and arg.values and isinstance(arg.values[0], ast.Constant):
        prefix = str(arg.values[0].value)
        if prefix.endswith("."):
            return sorted(m for m in known if m.startswith(prefix))
    return []


def imports_of(module: str, source: str, known: set[str], is_package: bool = False) -> Iterator[tuple[str, int]]:
    """(imported module, line) for every import in ``source``, wherever it stands."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            for target in _dynamic(node, known):
                yield target, node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = _base(module, is_package, node)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                yield (candidate if candidate in known else base), node.lineno


def import_graph(root: Path = ROOT, packages: tuple[str, ...] = PACKAGES) -> dict[str, dict[str, int]]:
    """module -> {imported module of the packages: first line}."""
    files = module_files(root, packages)
    known = set(files)
    graph: dict[str, dict[str, int]] = {}
    for module, path in files.items():
        edges: dict[str, int] = {}
        for target, line in imports_of(module, path.read_text(encoding="utf-8"), known, path.name == "__init__.py"):
            # A submodule of ours that does not exist (a typo, a removed module) still names its package.
            while target not in known and "." in target and target.split(".")[0] in packages:
                target = target.rsplit(".", 1)[0]
            if target in known and target != module:
                edges.setdefault(target, line)
        graph[module] = edges
    return graph


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, {}):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def wrong_way(graph: dict[str, dict[str, int]]) -> list[str]:
    """Every arrow from scraper into archive, as ``importer:line -> imported``."""
    return [
        f"{module}:{line} -> {target}"
        for module, edges in sorted(graph.items())
        if module.split(".")[0] == "scraper"
        for target, line in sorted(edges.items())
        if target.split(".")[0] == "archive"
    ]


# --------------------------------------------------------------------------------------------


def test_scraper_imports_nothing_from_archive() -> None:
    assert wrong_way(import_graph()) == []


def test_no_module_imports_itself_through_others() -> None:
    graph = import_graph()
    found = cycles(graph)
    assert found == [], "import circles:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_the_cli_is_imported_by_nothing() -> None:
    importers = [m for m, edges in import_graph().items() if "archive.cli" in edges]
    assert importers == []


def test_the_walker_sees_every_kind_of_import(tmp_path: Path) -> None:
    # A tiny tree with each form: absolute, relative (. and ..), from-package-import-module,
    # inside a function, under TYPE_CHECKING; one wrong-way arrow and one circle.
    files = {
        "scraper/__init__.py": "",
        "scraper/a.py": "from . import b\n",
        "scraper/b.py": "def f():\n    from .a import x\n",
        "scraper/sub/__init__.py": "from . import c\n",
        "scraper/sub/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..b import y\n",
        "scraper/d.py": "def g():\n    import archive.db\n",
        "archive/__init__.py": "",
        "archive/db.py": "from scraper.sub import c\nfrom scraper import a\n",
        "archive/cli.py": "import importlib\nimportlib.import_module(f'scraper.sub.{1}')\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    graph = import_graph(tmp_path)
    assert graph["scraper.a"] == {"scraper.b": 1}
    assert graph["scraper.b"] == {"scraper.a": 2}
    assert graph["scraper.sub"] == {"scraper.sub.c": 1}
    assert graph["scraper.sub.c"] == {"scraper.b": 3}
    assert graph["archive.db"] == {"scraper.sub.c": 1, "scraper.a": 2}
    assert graph["archive.cli"] == {"scraper.sub.c": 2}
    assert wrong_way(graph) == ["scraper.d:2 -> archive.db"]
    assert cycles(graph) == [["scraper.a", "scraper.b"]]


@pytest.mark.parametrize("package", PACKAGES)
def test_every_module_parses(package: str) -> None:
    assert [m for m in module_files() if m.split(".")[0] == package]


def test_the_archive_package_has_no_circle() -> None:
    # The same check over archive/ alone: its circles (db <-> stories) are gone whatever scraper/ holds.
    graph = {m: {t: n for t, n in edges.items() if t.startswith("archive")}
             for m, edges in import_graph().items() if m.startswith("archive")}
    assert cycles(graph) == []
