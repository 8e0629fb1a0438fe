"""Reading ``[tool.archlint]`` from ``pyproject.toml``, and checking the paths it names.

TOML lets the table be written as a ``[tool.archlint]`` header, as dotted keys
(``tool.archlint.root_packages = [...]``, or ``archlint.root_packages`` under ``[tool]``) or
as an inline table (``tool = {archlint = {...}}``): all are the same table and all are read.
A ``tool`` that is not a table (``[[tool]]``, ``tool = "..."``) is reported, never a traceback.

Paths are checked here, where a message can point at the setting: a ``contracts_dir`` must be a
folder inside the project, and a source root or root package whose path the system cannot even
look up (a name longer than a file name may be, a symbolic link that loops) is reported rather
than left to fail later.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archlint.domain import model

from . import schema, toml
from .collect import Collector, display_path, origin, read_fields, shorten
from .reading import Unreadable, read_toml

PYPROJECT = "pyproject.toml"
OWNER = "[tool.archlint]"

_INSIDE = f"name a folder inside the project, relative to {PYPROJECT}"
_TYPE_NAMES = {str: "a string", list: "an array", bool: "a boolean", int: "an integer"}


def _kind(value: object) -> str:
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return "an array of tables"
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _tool_line(layout: toml.Layout, name: str) -> int | None:
    """The first line that writes ``name`` (a table path), by any of TOML's forms."""
    lines = [t.line for t in layout.arrays.get(name, [])[:1]]
    table = layout.table(name)
    if table is not None:
        lines.append(table.line)
    parent, _, key = name.rpartition(".")
    holder = layout.tables.get(parent) if parent else layout.top
    if holder is not None and key in holder.keys:
        lines.append(holder.keys[key])
    return min(lines, default=None)


#: The arrays of tables ``[tool.archlint]`` may hold besides the settings, as a contract file
#: does: ``[[tool.archlint.contracts]]``, ``[[tool.archlint.deprecations]]``.
INLINE_KEYS = schema.FILE_KEYS


@dataclass(frozen=True)
class InlineRules:
    """``[tool.archlint]`` as read, for the contracts and deprecations written inside it."""

    file: str
    table: dict[str, Any]
    layout: toml.Layout

    @property
    def has_rules(self) -> bool:
        """Whether the table holds a ``contracts`` or ``deprecations`` key."""
        return any(key in self.table for key in INLINE_KEYS)


@dataclass(frozen=True)
class SettingsRead:
    """What :func:`read_settings` found: each part known even when another is wrong."""

    #: None if any setting is wrong.
    settings: model.Settings | None = None
    #: The contracts folder to read: None if it is wrong, or missing where it may be.
    contracts_dir: str | None = None
    #: ``[tool.archlint]``, for the rules written inside it; None if it cannot be read.
    inline: InlineRules | None = None


def read_settings(root: Path, report: Collector) -> SettingsRead:
    """The settings, the contracts folder to read and ``[tool.archlint]`` itself, each known
    even when another part is wrong, so that every file is checked."""
    path = root / PYPROJECT
    file = display_path(path)
    try:
        text, data = read_toml(path)
    except Unreadable as e:
        report.add(file, e.message, e.line)
        return SettingsRead()
    layout = toml.locate(text)
    tool = data.get("tool")
    if not isinstance(tool, dict):
        found = "no 'tool' table" if tool is None else f"'tool' is {_kind(tool)}"
        report.add(
            file,
            f"{OWNER} must be a table inside the 'tool' table, but {found}",
            _tool_line(layout, "tool"),
        )
        return SettingsRead()
    table = tool.get("archlint")
    lines = layout.table("tool.archlint")
    if not isinstance(table, dict):
        found = "there is none" if table is None else f"it is {_kind(table)}"
        line = _tool_line(layout, "tool.archlint")
        report.add(file, f"{OWNER} must be a table, but {found}", line)
        return SettingsRead()
    inline = InlineRules(file, table, layout)
    values, ok = read_fields(
        table,
        schema.SETTINGS_FIELDS,
        skip=INLINE_KEYS,
        report=report,
        file=file,
        lines=lines,
        owner=OWNER,
    )

    def problem(field: str, message: str) -> None:
        report.add(file, message, lines.of(field) if lines else None, OWNER, field)

    contracts_dir: str | None = values.get("contracts_dir", "contracts")
    if "contracts_dir" in table and "contracts_dir" not in values:
        contracts_dir = None  # wrong, and reported
    if contracts_dir is not None:
        reason = _contracts_dir_problem(root, contracts_dir)
        if (
            reason is not None
            and "contracts_dir" not in table
            and not os.path.lexists(root / contracts_dir)
        ):
            # The default folder, absent: fine when the rules are in pyproject.toml.
            if not inline.has_rules:
                problem(
                    "contracts_dir",
                    f"{reason}; write the rules there, or in {PYPROJECT} as "
                    "[[tool.archlint.contracts]] and [[tool.archlint.deprecations]]",
                )
            contracts_dir, reason = None, None
        if reason is not None:
            problem("contracts_dir", reason)
            contracts_dir = None
    for field, reason in _lookup_problems(root, values):
        problem(field, reason)
        ok = False
    if not ok:
        return SettingsRead(None, contracts_dir, inline)
    return SettingsRead(model.Settings(**values, origin=origin(file, lines)), contracts_dir, inline)


def _contracts_dir_problem(root: Path, name: str) -> str | None:
    """Why ``contracts_dir = name`` cannot be read, or None."""
    shown = shorten(name)
    if os.path.isabs(name) or Path(name).drive:
        return f"'{shown}' is an absolute path: {_INSIDE}"
    if os.path.normpath(name).split(os.sep)[0] == os.pardir:
        return f"'{shown}' lies outside the project: {_INSIDE}"
    try:
        info = (root / name).stat()
    except OSError as e:
        if e.errno in (errno.ENOENT, errno.ENOTDIR):
            return f"contracts folder '{shown}' does not exist next to {PYPROJECT}"
        return f"cannot read contracts folder '{shown}': {e.strerror}"
    if not stat.S_ISDIR(info.st_mode):
        return f"'{shown}' is not a folder"
    return None


def _lookup_problems(root: Path, values: dict[str, Any]) -> list[tuple[str, str]]:
    """Source roots and root packages whose paths cannot even be looked up.

    A missing one is fine here (a missing root package is reported once the modules are
    looked for); a name the system refuses (too long, a loop of symbolic links) is not.
    """
    problems: list[tuple[str, str]] = []
    roots: list[str] = []
    for source_root in values.get("source_roots", model.Settings.source_roots):
        reason = _cannot_look_up(root / source_root)
        if reason is not None:
            problems.append(
                ("source_roots", f"cannot look up source root '{shorten(source_root)}': {reason}")
            )
        else:
            roots.append(source_root)
    for package in values.get("root_packages", ()):
        for source_root in roots:
            reason = _cannot_look_up(root / source_root / Path(*package.split(".")))
            if reason is not None:
                problems.append(
                    (
                        "root_packages",
                        f"cannot look up '{shorten(package)}' in source root "
                        f"'{shorten(source_root)}': {reason}",
                    )
                )
                break
    return problems


def _cannot_look_up(path: Path) -> str | None:
    """Why the system refuses to look ``path`` up (missing is fine), or None."""
    try:
        path.stat()
    except OSError as e:
        if e.errno in (errno.ENOENT, errno.ENOTDIR):
            return None
        return e.strerror or str(e)
    except ValueError as e:  # a NUL byte: the field parsers refuse one first
        return str(e)
    return None
