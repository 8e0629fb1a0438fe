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


def _line_of(error: UnicodeDecodeError) -> int:
    """The line of the first byte that could not be decoded."""
    return error.object[: error.start].count(b"\n") + 1


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
) -> tuple[dict[str, Any], bool]:
    """Parse every known field of ``raw`` with its spec; report unknown, missing and bad ones.

    Returns the values that could be parsed (absent and bad fields left out), so that checks
    across fields still run on them, and whether the table had no problem.
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
    return values, ok


def _read_settings(root: Path, report: _Collector) -> tuple[model.Settings | None, str | None]:
    """The settings (None if any is wrong) and the contracts folder to read (None if it is
    wrong or missing), known even when another setting is wrong, so that the contract files
    are checked too."""
    path = root / PYPROJECT
    file = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = toml.loads(text)
    except UnicodeDecodeError as e:
        report.add(file, f"cannot decode as UTF-8: {e.reason} at byte {e.start}", _line_of(e))
        return None, None
    except toml.TOMLDecodeError as e:
        line, message = toml.error_line(e)
        report.add(file, f"malformed TOML: {message}", line)
        return None, None
    except OSError as e:
        report.add(file, f"cannot read: {e.strerror}")
        return None, None
    table = data.get("tool", {}).get("archlint")
    layout = toml.locate(text)
    lines = layout.tables.get("tool.archlint")
    if not isinstance(table, dict):
        report.add(file, "[tool.archlint] must be a table", lines.line if lines else None)
        return None, None
    values, ok = _read_fields(
        table,
        schema.SETTINGS_FIELDS,
        skip=(),
        report=report,
        file=file,
        lines=lines,
        owner="[tool.archlint]",
    )
    contracts_dir = values.get("contracts_dir", "contracts")
    if "contracts_dir" in table and "contracts_dir" not in values:
        contracts_dir = None  # wrong, and reported
    if contracts_dir is not None and not (root / contracts_dir).is_dir():
        report.add(
            file,
            f"contracts folder '{contracts_dir}' does not exist next to pyproject.toml",
            lines.of("contracts_dir") if lines else None,
            "[tool.archlint]",
            "contracts_dir",
        )
        contracts_dir = None
    if not ok:
        return None, contracts_dir
    return model.Settings(**values, origin=_origin(file, lines)), contracts_dir


def _contract_files(root: Path, contracts_dir: str) -> list[Path]:
    return sorted(p for p in (root / contracts_dir).glob("*.toml") if p.is_file())


def _origin(file: str, lines: toml.TableLines | None) -> model.Origin:
    if lines is None:
        return model.Origin(file)
    return model.Origin(file, lines.line, tuple(sorted(lines.keys.items())))


@dataclass
class _Seen:
    contract_ids: dict[str, str] = field(default_factory=dict)
    deprecation_olds: dict[str, str] = field(default_factory=dict)


#: import-linter's field name for a contract's ``why``.
_GUIDANCE = "broken_contract_guidance"


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
    values, ok = _read_fields(
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
    values, ok = _read_fields(
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
        origin=_origin(file, lines),
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
    report: _Collector,
    seen: _Seen,
    contracts: list[model.Contract],
    deprecations: list[model.Deprecation],
) -> None:
    file = display_path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        report.add(file, f"cannot decode as UTF-8: {e.reason} at byte {e.start}", _line_of(e))
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
            report.add(
                file,
                f"unknown table '{key}'{_did_you_mean(key, schema.FILE_KEYS)}; a contract file "
                "holds [[contracts]] and [[deprecations]]",
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


def load_project(root: Path) -> model.Project:
    """Read ``root/pyproject.toml`` and every contract file into a :class:`Project`.

    Raises :class:`ConfigError` with every problem found in any file.
    """
    root = root.resolve()
    report = _Collector()
    settings, contracts_dir = _read_settings(root, report)
    contracts: list[model.Contract] = []
    deprecations: list[model.Deprecation] = []
    files: list[Path] = [root / PYPROJECT]
    if contracts_dir is not None:
        seen = _Seen()
        for path in _contract_files(root, contracts_dir):
            files.append(path)
            _read_contract_file(path, report, seen, contracts, deprecations)
        if not report.problems and not contracts and not deprecations:
            report.add(
                display_path(root / contracts_dir),
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
