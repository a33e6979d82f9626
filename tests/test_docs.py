"""The README is the user's manual: every command documented, the set-up commands true, CI faithful."""

from __future__ import annotations

import re

import click

from archive.cli import cli
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "warta") -> list[str]:
    names = []
    for name, command in sorted(group.commands.items()):
        names.append(f"{prefix} {name}")
        if isinstance(command, click.Group):
            names.extend(_commands(command, f"{prefix} {name}"))
    return names


def test_every_command_is_in_the_readme() -> None:
    missing = [name for name in _commands(cli) if name not in README]
    assert not missing, f"commands missing from README.md: {missing}"


def test_every_option_of_every_command_is_in_the_readme() -> None:
    # Options are documented by their long name somewhere in the README (tables or examples).
    missing = []
    for name, command in cli.commands.items():
        for param in command.params:
            if isinstance(param, click.Option):
                longs = [o for o in param.opts if o.startswith("--")]
                if longs and not any(o in README for o in longs) and "--help" not in longs:
                    missing.append(f"warta {name} {longs[0]}")
    assert not missing, f"options missing from README.md: {missing}"


def test_readme_starts_with_the_two_setup_commands() -> None:
    head = README[:1500]
    assert "make demo" in head and "make test" in head


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in ci.splitlines() if line.strip() and not line.startswith("#")]
    assert "make test" in commands
    first_block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert first_block, "README must open with a shell block of the set-up commands"
    setup = [line.split("#")[0].strip() for line in first_block.group(1).splitlines()]
    assert setup[:2] == ["make demo", "make test"], setup


def test_every_warta_setting_is_declared_once() -> None:
    # Scraper-side settings in scraper/settings.py, archive-side ones in archive.crawling.ARCHIVE_SETTINGS;
    # WARTA_FAST and WARTA_USER_AGENT are environment variables read by scraper/settings.py only.
    from pathlib import Path

    import scraper.settings
    from archive.crawling import ARCHIVE_SETTINGS

    root = Path(__file__).resolve().parent.parent
    used = {
        name
        for package in ("scraper", "archive")
        for path in (root / package).rglob("*.py")
        for name in re.findall(r"\bWARTA_[A-Z_]+[A-Z]\b", path.read_text(encoding="utf-8"))
    }
    scraper_side = {n for n in dir(scraper.settings) if n.startswith("WARTA_")}
    assert not scraper_side & set(ARCHIVE_SETTINGS)
    assert used - {"WARTA_FAST", "WARTA_USER_AGENT"} == scraper_side | set(ARCHIVE_SETTINGS)


def test_every_warta_setting_is_documented() -> None:
    import scraper.settings
    from archive.crawling import ARCHIVE_SETTINGS

    names = set(ARCHIVE_SETTINGS) | {n for n in dir(scraper.settings) if n.startswith("WARTA_")}
    assert len(names) >= 10
    assert sorted(n for n in names if f"`{n}" not in README) == [], "settings missing from README.md"
