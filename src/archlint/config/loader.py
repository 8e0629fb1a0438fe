"""Find a project and read its rules into the model, reporting every problem at once.

:func:`find_project_root` walks up to the nearest ``pyproject.toml`` with ``[tool.archlint]``.
:func:`load_project` reads the settings and every ``contracts/*.toml`` in name order and returns
a :class:`~archlint.domain.model.Project`, or raises one
:class:`~archlint.domain.errors.ConfigError` holding every problem found, each with its file,
line, owner and field. It reads no Python code: whether named modules exist is checked later,
against the project's modules (see :mod:`archlint.application.project`).
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archlint.domain import model
from archlint.domain.errors import ConfigError, ConfigProblem, ProjectNotFound

from . import schema, toml
from .fields import FieldError, FieldSpec

PYPROJECT = "pyproject.toml"
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_TOOL_TABLE = re.compile(r"^\s*\[\s*tool\s*\.\s*archlint\s*\]", re.MULTILINE)


def display_path(path: Path) -> str:
    """``path`` relative to the current folder when it lies below it, else absolute."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


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
    """True when ``pyproject`` exists and has a ``[tool.archlint]`` table.

    A text search first, so that walking up from every file stays cheap; the table is parsed
    properly by :func:`load_project`.
    """
    try:
        text = pyproject.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return _TOOL_TABLE.search(text) is not None or "[tool.archlint." in text


@dataclass
class _Collector:
    """Gathers problems while reading, so that all of them are reported together."""

    problems: list[ConfigProblem] = field(default_factory=list)

    def add(
        self,
        file: str,
        message: str,
        line: int | None = None,
        owner: str | None = None,
        field: str | None = None,
    ) -> None:
        self.problems.append(ConfigProblem(file, message, line, owner, field))


def _did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _read_fields(
    raw: dict[str, Any],
    specs: dict[str, FieldSpec],
    *,
    skip: tuple[str, ...],
    report: _Collector,
    file: str,
    lines: toml.TableLines | None,
    owner: str,
) -> dict[str, Any] | None:
    """Parse every known field of ``raw`` with its spec; report unknown, missing and bad ones.

    Returns the parsed values (absent optional fields left out), or None if any problem was
    found in this table.
    """
    ok = True
    values: dict[str, Any] = {}
    known = [*skip, *specs]
    for key in raw:
        if key not in known:
            ok = False
            report.add(
                file,
                f"unknown field{_did_you_mean(key, known)}",
                lines.of(key) if lines else None,
                owner,
                key,
            )
    for key, spec in specs.items():
        if key not in raw:
            if spec.required:
                ok = False
                report.add(
                    file, "required field is missing", lines.of(None) if lines else None, owner, key
                )
            continue
        try:
            values[key] = spec.parse(raw[key])
        except FieldError as e:
            ok = False
            report.add(file, str(e), lines.of(key) if lines else None, owner, key)
    return values if ok else None


def _read_settings(root: Path, report: _Collector) -> model.Settings | None:
    path = root / PYPROJECT
    file = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = toml.loads(text)
    except UnicodeDecodeError as e:
        report.add(file, f"cannot decode as UTF-8: {e.reason} at byte {e.start}")
        return None
    except toml.TOMLDecodeError as e:
        line, message = toml.error_line(e)
        report.add(file, f"malformed TOML: {message}", line)
        return None
    except OSError as e:
        report.add(file, f"cannot read: {e.strerror}")
        return None
    table = data.get("tool", {}).get("archlint")
    layout = toml.locate(text)
    lines = layout.tables.get("tool.archlint")
    if not isinstance(table, dict):
        report.add(file, "[tool.archlint] must be a table", lines.line if lines else None)
        return None
    values = _read_fields(
        table,
        schema.SETTINGS_FIELDS,
        skip=(),
        report=report,
        file=file,
        lines=lines,
        owner="[tool.archlint]",
    )
    if values is None:
        return None
    return model.Settings(**values, origin=_origin(file, lines))


def _contract_files(root: Path, settings: model.Settings, report: _Collector) -> list[Path]:
    folder = root / settings.contracts_dir
    if not folder.is_dir():
        report.add(
            display_path(root / PYPROJECT),
            f"contracts folder '{settings.contracts_dir}' not found in {display_path(root)}",
            owner="[tool.archlint]",
            field="contracts_dir",
        )
        return []
    return sorted(p for p in folder.glob("*.toml") if p.is_file())


def _origin(file: str, lines: toml.TableLines | None) -> model.Origin:
    if lines is None:
        return model.Origin(file)
    return model.Origin(file, lines.line, tuple(sorted(lines.keys.items())))


@dataclass
class _Seen:
    contract_ids: dict[str, str] = field(default_factory=dict)
    deprecation_olds: dict[str, str] = field(default_factory=dict)


def _read_contract(
    raw: Any,
    index: int,
    file: str,
    layout: toml.Layout,
    report: _Collector,
    seen: _Seen,
) -> model.Contract | None:
    lines = layout.array_item("contracts", index)
    line = lines.line if lines else None
    if not isinstance(raw, dict):
        report.add(file, "each [[contracts]] entry must be a table", line)
        return None
    raw_id = raw.get("id")
    if raw_id is None:
        owner = f"contract #{index + 1}"
        report.add(file, "required field is missing", line, owner, "id")
        contract_id = None
    elif not isinstance(raw_id, str) or not _ID.match(raw_id):
        owner = f"contract #{index + 1}"
        report.add(
            file,
            f"{raw_id!r} is not a valid id: use lower-case letters, digits, '-' and '_', "
            "starting with a letter or digit",
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
            f"unknown contract type {raw_type!r}{_did_you_mean(str(raw_type), types)}; "
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
    values = _read_fields(
        raw, specs, skip=("id", "type"), report=report, file=file, lines=lines, owner=owner
    )
    if values is None or contract_id is None:
        return None
    if cls is model.LayersContract and values.get("exhaustive") and not values.get("containers"):
        report.add(
            file,
            "exhaustive = true needs containers",
            lines.of("exhaustive") if lines else None,
            owner,
            "exhaustive",
        )
        return None
    values.setdefault("name", contract_id)
    return cls(id=contract_id, origin=_origin(file, lines), **values)


def _read_deprecation(
    raw: Any,
    index: int,
    file: str,
    layout: toml.Layout,
    report: _Collector,
    seen: _Seen,
) -> model.Deprecation | None:
    lines = layout.array_item("deprecations", index)
    line = lines.line if lines else None
    if not isinstance(raw, dict):
        report.add(file, "each [[deprecations]] entry must be a table", line)
        return None
    old = raw.get("old")
    owner = f"deprecation '{old}'" if isinstance(old, str) else f"deprecation #{index + 1}"
    values = _read_fields(
        raw,
        schema.DEPRECATION_FIELDS,
        skip=(),
        report=report,
        file=file,
        lines=lines,
        owner=owner,
    )
    if values is None:
        return None
    old = values["old"]
    new = values.get("new")
    ok = True
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
    if old in seen.deprecation_olds:
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
    if not ok:
        return None
    return model.Deprecation(
        old=old,
        new=new,
        origin=_origin(file, lines),
        since=since,
        remove_after=remove_after,
        why=values.get("why"),
    )


def _read_contract_file(
    path: Path,
    report: _Collector,
    seen: _Seen,
    contracts: list[model.Contract],
    deprecations: list[model.Deprecation],
) -> None:
    file = display_path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        report.add(file, f"cannot decode as UTF-8: {e.reason} at byte {e.start}")
        return
    except OSError as e:
        report.add(file, f"cannot read: {e.strerror}")
        return
    try:
        data = toml.loads(text)
    except toml.TOMLDecodeError as e:
        line, message = toml.error_line(e)
        report.add(file, f"malformed TOML: {message}", line)
        return
    layout = toml.locate(text)
    for key, value in data.items():
        if key not in schema.FILE_KEYS:
            lines = layout.arrays.get(key) or [layout.tables.get(key) or layout.top]
            report.add(
                file,
                f"unknown table '{key}'{_did_you_mean(key, schema.FILE_KEYS)}; a contract file "
                "holds [[contracts]] and [[deprecations]]",
                lines[0].line,
            )
        elif not isinstance(value, list):
            report.add(file, f"'{key}' must be an array of tables: write [[{key}]]")
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


def load_project(root: Path) -> model.Project:
    """Read ``root/pyproject.toml`` and every contract file into a :class:`Project`.

    Raises :class:`ConfigError` with every problem found in any file.
    """
    root = root.resolve()
    report = _Collector()
    settings = _read_settings(root, report)
    contracts: list[model.Contract] = []
    deprecations: list[model.Deprecation] = []
    files: list[Path] = [root / PYPROJECT]
    if settings is not None:
        seen = _Seen()
        for path in _contract_files(root, settings, report):
            files.append(path)
            _read_contract_file(path, report, seen, contracts, deprecations)
        if not report.problems and not contracts and not deprecations:
            report.add(
                display_path(root / settings.contracts_dir),
                "no [[contracts]] or [[deprecations]] found in any *.toml file",
            )
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
