"""Find a project and read its rules into the model, reporting every problem at once.

:func:`find_project_root` walks up to the nearest ``pyproject.toml`` with ``[tool.archlint]``.
:func:`load_project` reads the settings and every ``contracts/*.toml`` in name order and returns
a :class:`~archlint.domain.model.Project`, or raises one
:class:`~archlint.domain.errors.ConfigError` holding every problem found, each with its file,
line, owner and field. It reads no Python code: whether named modules exist is checked later,
against the project's modules (see :mod:`archlint.application.project`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archlint.domain import model
from archlint.domain.deprecations import deprecation_cycles
from archlint.domain.errors import ConfigError, ConfigProblem, ProjectNotFound

from . import schema, toml
from .collect import Collector, did_you_mean, display_path, origin, read_fields, shorten
from .reading import Unreadable, decode, parse, read_bytes, read_toml
from .settings import INLINE_KEYS, OWNER, PYPROJECT, InlineRules, read_settings

__all__ = ["PYPROJECT", "display_path", "find_project_root", "has_archlint_table", "load_project"]

_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
#: Text that shows an archlint table was meant, in a file that does not parse as one.
_MENTION = re.compile(r"""\btool["']?\s*\.\s*["']?archlint\b|\barchlint["']?\s*=\s*\{""")


def find_project_root(start: Path) -> Path:
    """The nearest folder, from ``start`` upwards, whose ``pyproject.toml`` has
    ``[tool.archlint]``. Raises :class:`ProjectNotFound`."""
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        if has_archlint_table(candidate / PYPROJECT):
            return candidate
    raise ProjectNotFound(str(start))


def has_archlint_table(pyproject: Path) -> bool:
    """True when ``pyproject`` is a file with an archlint table, in any form TOML allows.

    A file that never says "archlint" is passed over without parsing, so that walking up from
    every file stays cheap. A file that does not parse, or whose ``tool`` is not a table,
    counts when its text shows an archlint table was meant: :func:`load_project` then says
    what is wrong with it, rather than the project being silently not found.
    """
    try:
        data = read_bytes(pyproject)
    except Unreadable:
        return False
    if b"archlint" not in data:
        return False
    try:
        parsed = parse(decode(data))
    except Unreadable:
        return _MENTION.search(data.decode("utf-8", errors="replace")) is not None
    tool = parsed.get("tool")
    if isinstance(tool, dict):
        return "archlint" in tool
    return tool is not None and _MENTION.search(data.decode("utf-8", errors="replace")) is not None


def _contract_files(root: Path, contracts_dir: str, report: Collector) -> list[Path]:
    """The ``*.toml`` files of the contracts folder, in name order. An entry that is not a
    regular file (a folder, a FIFO, a dangling or looping link) is reported, not skipped:
    a contract file that cannot be read must not pass as one with no contracts."""
    folder = root / contracts_dir
    try:
        found = sorted(folder.glob("*.toml"))
    except OSError as e:
        report.add(display_path(folder), f"cannot read the contracts folder: {e.strerror}")
        return []
    files = []
    for path in found:
        try:
            regular = path.is_file()
        except OSError:
            regular = False
        if regular:
            files.append(path)
            continue
        try:
            read_bytes(path)
        except Unreadable as e:
            report.add(display_path(path), e.message)
        else:  # pragma: no cover - became a regular file in between
            files.append(path)
    return files


@dataclass
class _Seen:
    contract_ids: dict[str, str] = field(default_factory=dict)
    deprecation_olds: dict[str, str] = field(default_factory=dict)


#: import-linter's field name for a contract's ``why``.
_GUIDANCE = "broken_contract_guidance"


def _item_lines(layout: toml.Layout, name: str, index: int) -> toml.TableLines | None:
    """Where the ``index``-th table of array ``name`` was written: its ``[[name]]`` header,
    or, for an array written inline (``name = [{...}, ...]``), the line of ``name =``.

    ``name`` is a full path: ``contracts`` in a contract file, ``tool.archlint.contracts``
    in ``pyproject.toml``."""
    lines = layout.array_item(name, index)
    parent, _, key = name.rpartition(".")
    holder = layout.table(parent) if parent else layout.top
    if lines is None and holder is not None and key in holder.keys:
        return toml.TableLines(holder.keys[key])
    return lines


def _read_contract(
    raw: Any,
    index: int,
    file: str,
    layout: toml.Layout,
    report: Collector,
    seen: _Seen,
    prefix: str = "",
) -> model.Contract | None:
    lines = _item_lines(layout, f"{prefix}contracts", index)
    line = lines.line if lines else None
    if not isinstance(raw, dict):
        report.add(file, f"each [[{prefix}contracts]] entry must be a table", line)
        return None
    raw_id = raw.get("id")
    if raw_id is None:
        owner = f"contract #{index + 1}"
        report.add(file, "required field is missing", line, owner, "id")
        contract_id = None
    elif not isinstance(raw_id, str) or not _ID.fullmatch(raw_id):
        owner = f"contract #{index + 1}"
        report.add(
            file,
            f"{shorten(repr(raw_id))} is not a valid id: use lower-case letters, digits, "
            "'-' and '_', starting with a letter or digit",
            lines.of("id") if lines else None,
            owner,
            "id",
        )
        contract_id = None
    else:
        contract_id = raw_id
        owner = f"contract '{contract_id}'"
        where = f"{file}:{lines.of('id')}" if lines else file
        if contract_id in seen.contract_ids:
            report.add(
                file,
                f"duplicate id: already used at {seen.contract_ids[contract_id]}",
                lines.of("id") if lines else None,
                owner,
                "id",
            )
            contract_id = None
        else:
            seen.contract_ids[contract_id] = where

    raw_type = raw.get("type")
    types = list(model.CONTRACT_TYPES)
    cls: type[model.Contract] | None = None
    if raw_type is None:
        report.add(file, "required field is missing", line, owner, "type")
    elif not isinstance(raw_type, str) or raw_type not in model.CONTRACT_TYPES:
        report.add(
            file,
            f"unknown contract type {raw_type!r}{did_you_mean(str(raw_type), types)}; "
            f"known types: {', '.join(types)}",
            lines.of("type") if lines else None,
            owner,
            "type",
        )
    else:
        cls = model.CONTRACT_TYPES[raw_type]
    if cls is None:
        return None
    specs = {**schema.COMMON_CONTRACT_FIELDS, **schema.CONTRACT_FIELDS[cls]}
    if _GUIDANCE in raw:
        # import-linter's name for ``why``, accepted so that its contracts carry over as written.
        if "why" in raw:
            report.add(
                file,
                f"'why' and '{_GUIDANCE}' are the same field: keep one",
                lines.of(_GUIDANCE) if lines else None,
                owner,
                _GUIDANCE,
            )
            return None
        raw = {("why" if k == _GUIDANCE else k): v for k, v in raw.items()}
    values, ok = read_fields(
        raw, specs, skip=("id", "type"), report=report, file=file, lines=lines, owner=owner
    )
    if cls is model.LayersContract and values.get("exhaustive") and "containers" not in raw:
        report.add(
            file,
            "exhaustive = true needs containers",
            lines.of("exhaustive") if lines else None,
            owner,
            "exhaustive",
        )
        ok = False
    if not ok or contract_id is None:
        return None
    values.setdefault("name", contract_id)
    return cls(id=contract_id, origin=origin(file, lines), **values)


def _read_deprecation(
    raw: Any,
    index: int,
    file: str,
    layout: toml.Layout,
    report: Collector,
    seen: _Seen,
    prefix: str = "",
) -> model.Deprecation | None:
    lines = _item_lines(layout, f"{prefix}deprecations", index)
    line = lines.line if lines else None
    if not isinstance(raw, dict):
        report.add(file, f"each [[{prefix}deprecations]] entry must be a table", line)
        return None
    old = raw.get("old")
    owner = f"deprecation '{old}'" if isinstance(old, str) else f"deprecation #{index + 1}"
    values, ok = read_fields(
        raw,
        schema.DEPRECATION_FIELDS,
        skip=(),
        report=report,
        file=file,
        lines=lines,
        owner=owner,
    )
    old = values.get("old")
    new = values.get("new")
    if new is not None and new == old:
        report.add(file, "is the same as 'old'", lines.of("new") if lines else None, owner, "new")
        ok = False
    since, remove_after = values.get("since"), values.get("remove_after")
    if since and remove_after and remove_after < since:
        report.add(
            file,
            f"{remove_after} is before since = {since}",
            lines.of("remove_after") if lines else None,
            owner,
            "remove_after",
        )
        ok = False
    where = f"{file}:{lines.of('old')}" if lines else file
    if old is None:
        pass  # missing or bad: already reported
    elif old in seen.deprecation_olds:
        report.add(
            file,
            f"duplicate entry: the same 'old' is already at {seen.deprecation_olds[old]}",
            lines.of("old") if lines else None,
            owner,
            "old",
        )
        ok = False
    else:
        seen.deprecation_olds[old] = where
    if not ok or old is None:
        return None
    return model.Deprecation(
        old=old,
        new=new,
        origin=origin(file, lines),
        since=since,
        remove_after=remove_after,
        why=values.get("why"),
    )


def _top_level_line(layout: toml.Layout, key: str) -> int | None:
    """The first line that writes the top-level ``key`` of a file: ``[key]``, ``[[key]]``,
    ``[key.sub]`` or ``key = ...``, if found."""

    def is_key(name: str) -> bool:
        return name == key or name.startswith(f"{key}.")

    lines = [t.line for name, items in layout.arrays.items() if is_key(name) for t in items]
    lines += [t.line for name, t in layout.tables.items() if is_key(name)]
    if key in layout.top.keys:
        lines.append(layout.top.keys[key])
    return min(lines, default=None)


def _read_contract_file(
    path: Path,
    report: Collector,
    seen: _Seen,
    contracts: list[model.Contract],
    deprecations: list[model.Deprecation],
) -> None:
    file = display_path(path)
    try:
        text, data = read_toml(path)
    except Unreadable as e:
        report.add(file, e.message, e.line)
        return
    layout = toml.locate(text)
    for key, value in data.items():
        if key not in schema.FILE_KEYS:
            report.add(
                file,
                f"unknown table '{shorten(key)}'{did_you_mean(key, schema.FILE_KEYS)}; "
                "a contract file holds [[contracts]] and [[deprecations]]",
                _top_level_line(layout, key),
            )
        elif not isinstance(value, list):
            report.add(
                file,
                f"'{key}' must be an array of tables: write [[{key}]]",
                _top_level_line(layout, key),
            )
    for index, raw in enumerate(
        data.get("contracts", []) if isinstance(data.get("contracts"), list) else []
    ):
        contract = _read_contract(raw, index, file, layout, report, seen)
        if contract is not None:
            contracts.append(contract)
    raw_deprecations = data.get("deprecations")
    for index, raw in enumerate(raw_deprecations if isinstance(raw_deprecations, list) else []):
        deprecation = _read_deprecation(raw, index, file, layout, report, seen)
        if deprecation is not None:
            deprecations.append(deprecation)


def _read_inline(
    inline: InlineRules,
    report: Collector,
    seen: _Seen,
    contracts: list[model.Contract],
    deprecations: list[model.Deprecation],
) -> None:
    """The ``[[tool.archlint.contracts]]`` and ``[[tool.archlint.deprecations]]`` of
    ``pyproject.toml``, read and checked as a contract file's."""
    prefix = "tool.archlint."
    file, layout = inline.file, inline.layout
    tool = layout.table("tool.archlint")
    for key in INLINE_KEYS:
        value = inline.table.get(key)
        if value is None:
            continue
        if not isinstance(value, list):
            line = _item_lines(layout, f"{prefix}{key}", 0)
            report.add(
                file,
                f"'{key}' must be an array of tables: write [[{prefix}{key}]]",
                line.line if line else (tool.of(key) if tool else None),
                OWNER,
                key,
            )
            continue
        for index, raw in enumerate(value):
            if key == "contracts":
                contract = _read_contract(raw, index, file, layout, report, seen, prefix)
                if contract is not None:
                    contracts.append(contract)
            else:
                deprecation = _read_deprecation(raw, index, file, layout, report, seen, prefix)
                if deprecation is not None:
                    deprecations.append(deprecation)


def _cycle_problems(deprecations: list[model.Deprecation]) -> list[ConfigProblem]:
    """One problem for each cycle of deprecations, at its first entry, naming every entry of
    it with its place: a path that leads back to itself has no replacement to suggest."""
    problems = []
    for cycle in deprecation_cycles(deprecations):
        first = cycle.entries[0]
        where = ", ".join(
            f"'{e.old}' at {e.origin.file}:{e.origin.line_of('old')}"
            if e.origin.line_of("old") is not None
            else f"'{e.old}' in {e.origin.file}"
            for e in cycle.entries
        )
        steps = " -> ".join(cycle.paths)
        if cycle.paths[-1] != cycle.paths[0]:  # moved below itself: it grows for ever
            steps += f", which falls under '{first.old}' again"
        problems.append(
            ConfigProblem(
                first.origin.file,
                f"a cycle of deprecations: {steps} (entries: {where})",
                first.origin.line_of("new"),
                f"deprecation '{first.old}'",
                "new",
            )
        )
    return problems


def load_project(root: Path) -> model.Project:
    """Read ``root/pyproject.toml`` and every contract file into a :class:`Project`.

    Raises :class:`ConfigError` with every problem found in any file.
    """
    root = root.resolve()
    report = Collector()
    read = read_settings(root, report)
    settings, contracts_dir = read.settings, read.contracts_dir
    contracts: list[model.Contract] = []
    deprecations: list[model.Deprecation] = []
    files: list[Path] = [root / PYPROJECT]
    seen = _Seen()
    if read.inline is not None:
        _read_inline(read.inline, report, seen, contracts, deprecations)
    if contracts_dir is not None:
        for path in _contract_files(root, contracts_dir, report):
            files.append(path)
            _read_contract_file(path, report, seen, contracts, deprecations)
    if read.inline is not None or contracts_dir is not None:
        report.problems.extend(_cycle_problems(deprecations))
    if not report.problems and not contracts and not deprecations:
        if contracts_dir is not None:
            where = display_path(root / contracts_dir)
            message = (
                "no [[contracts]] or [[deprecations]] found in any *.toml file, nor in "
                "[tool.archlint] of pyproject.toml"
            )
        else:
            where = display_path(root / PYPROJECT)
            message = "no [[tool.archlint.contracts]] or [[tool.archlint.deprecations]] found"
        report.add(where, message)
    if report.problems:
        raise ConfigError(report.problems)
    assert settings is not None  # no problems means settings were read
    return model.Project(
        root=root,
        settings=settings,
        contracts=tuple(contracts),
        deprecations=tuple(deprecations),
        config_files=tuple(files),
    )
