"""Find and read the user's config: `.loglens.toml` or `[tool.loglens]` in pyproject.toml, nearest first.

As ruff does, the search walks up from the current directory and stops at the repository root (the folder that
holds `.git`), so a config committed at the root applies in every subfolder and one outside the repository never
does. Whatever is applied is named on stderr: a config can change what counts as secret, never silently.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

import click

from loglens.cli import settings
from loglens.errors import LoglensError
from loglens.redaction.rules import Config, parse_config
from loglens.text import printable_lines

CONFIG_NAME = ".loglens.toml"
PYPROJECT_TABLE = ("tool", "loglens")


@dataclass(frozen=True, slots=True)
class Found:
    path: Path
    table: tuple[str, ...] = ()


def find_config(start: Path | None = None) -> Found | None:
    """The nearest config file from `start` (default: the current directory) up to the repository root."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return Found(folder / CONFIG_NAME)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_loglens_table(pyproject):
            return Found(pyproject, PYPROJECT_TABLE)
        if (folder / ".git").exists():
            return None
    return None


def _has_loglens_table(pyproject: Path) -> bool:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False  # somebody else's broken pyproject.toml is not ours to judge
    return isinstance(data.get("tool"), dict) and "loglens" in data["tool"]


def load_config(config_path: str | None, *, quiet: bool | None = None) -> Config:
    """The config `--config FILE` names, or the nearest one found; an empty config when there is none."""
    return resolve_config(config_path, quiet=quiet)[0]


def resolve_config(config_path: str | None, *, quiet: bool | None = None) -> tuple[Config, str | None]:
    """The config and the name of the file it came from (None: no config applies)."""
    if config_path:
        found = Found(Path(config_path), PYPROJECT_TABLE if Path(config_path).name == "pyproject.toml" else ())
        if not found.path.is_file():
            raise LoglensError(f"no such config file: {printable_lines(config_path)}")
    else:
        located = find_config()
        if located is None:
            return Config(), None
        found = located
    # as the user typed it, or (found by walking up) relative to here: `../.loglens.toml`
    shown = printable_lines(config_path or _relative(found.path))
    try:
        text = found.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LoglensError(f"cannot read config file {shown}") from exc
    config = parse_config(text, shown, found.table)
    if found.table:
        shown += f" [{'.'.join(found.table)}]"
    if not (settings().quiet if quiet is None else quiet):
        click.echo(f"loglens: using config {shown}", err=True)
    return config, shown


def _relative(path: Path) -> str:
    """The path as the user would type it from here (`../../.loglens.toml`)."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
