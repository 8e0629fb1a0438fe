"""``archlint init``: starter contracts for a project, inferred from its imports.

The code is read, never imported (archlint's own scanner, whose edges are grimp's). The
contracts (see :mod:`archlint.application.infer`) are written to ``contracts/inferred.toml``,
each with a ``why`` saying it was inferred; then ``archlint check`` runs on them, and any that
does not hold today (which the inference should never produce) is taken out again with a
comment saying so, so that the file passes on the code it was made from. Today's breaks are
never written into ``ignore_imports``.

Without ``[tool.archlint]``, the root packages are the packages in ``src/`` (else in the
project folder), and the table is added to ``pyproject.toml`` (every other byte kept).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archlint.config import toml
from archlint.config.fields import (
    FieldError,
    parse_bool,
    parse_module_names,
    parse_names,
    parse_string,
)
from archlint.config.loader import PYPROJECT, display_path, has_archlint_table
from archlint.config.splice import SpliceError, splice_toml
from archlint.domain import model
from archlint.domain.errors import ArchlintError
from archlint.scanning.inventory import RootPackageNotFound, find_modules

from .compile import _write_atomically
from .infer import Inferred, infer
from .migrate_translate import toml_value
from .sources import read_module_graph

#: The contract file written, relative to the contracts folder.
INFERRED = "inferred.toml"

#: Folders that are not root packages even with an ``__init__.py``.
_NOT_ROOTS = frozenset({"tests", "test", "docs", "examples", "build", "dist", "benchmarks"})


@dataclass(frozen=True)
class InitResult:
    """What was written, and what was taken out again."""

    written: tuple[str, ...]
    contracts: tuple[Inferred, ...]
    #: Inferred contracts that did not hold and were left out, with why.
    dropped: tuple[tuple[str, str], ...]
    #: Whether ``[tool.archlint]`` was added, and with which root packages.
    settings_added: tuple[str, ...] | None
    #: ``archlint check``'s verdict on the written contracts: contract id -> kept.
    verdicts: tuple[tuple[str, bool], ...]


def detect_roots(folder: Path) -> tuple[list[str], str]:
    """The packages in ``src/`` (else the project folder) and that source root."""
    for source_root in ("src", "."):
        base = folder / source_root
        if not base.is_dir():
            continue
        found = sorted(
            p.name
            for p in base.iterdir()
            if p.is_dir()
            and p.name.isidentifier()
            and p.name not in _NOT_ROOTS
            and (p / "__init__.py").is_file()
        )
        if found:
            return found, source_root
    raise ArchlintError(
        f"no package found in {folder}/src or {folder}: add [tool.archlint] with root_packages "
        "to pyproject.toml"
    )


def _settings_table(roots: Sequence[str], source_root: str) -> str:
    return (
        "[tool.archlint]\n# Written by `archlint init`.\n"
        f"root_packages = {toml_value(list(roots))}\nsource_roots = {toml_value([source_root])}\n"
    )


def _add_settings(folder: Path) -> tuple[str, ...]:
    roots, source_root = detect_roots(folder)
    path = folder / PYPROJECT
    block = _settings_table(roots, source_root)
    try:
        existing = path.read_bytes().decode("utf-8") if path.exists() else ""
        text = splice_toml(existing, block, ("tool", "archlint")) if existing.strip() else block
    except (OSError, UnicodeDecodeError, SpliceError, toml.TOMLDecodeError) as e:
        reason = e.strerror if isinstance(e, OSError) else str(e)
        raise ArchlintError(f"cannot update {PYPROJECT}: {reason}; nothing written") from None
    _write_atomically(path, text, Path(PYPROJECT))
    return tuple(roots)


def render(contracts: Sequence[Inferred], dropped: Sequence[tuple[str, str]]) -> str:
    """The contract file: each contract with its notes as comments."""
    out = [
        "# Starter contracts written by `archlint init` from today's imports: each holds today.",
        "# Edit them into the architecture you mean; run `archlint check` after each change.",
    ]
    for contract in contracts:
        out.append("")
        out += [f"# {note}" for note in contract.notes]
        out += ["[[contracts]]", f"id = {toml_value(contract.id)}"]
        out += [f"{key} = {toml_value(value)}" for key, value in contract.fields]
    for cid, why in dropped:
        out += ["", f"# {cid}: inferred but left out: {why}"]
    return "\n".join(out) + "\n"


def init_project(folder: Path, *, force: bool) -> InitResult:
    """Infer and write starter contracts for the project in ``folder``; check them."""
    folder = folder.resolve()
    settings_added: tuple[str, ...] | None = None
    pyproject = folder / PYPROJECT
    if not has_archlint_table(pyproject):
        settings_added = _add_settings(folder)
    settings = _settings(pyproject)
    return _init(folder, settings, force, settings_added)


def _settings(pyproject: Path) -> model.Settings:
    """``[tool.archlint]``'s settings, read before any contract file exists (the loader wants
    one); the whole configuration is validated by the check that follows."""
    try:
        table = toml.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("archlint")
        if not isinstance(table, dict):
            raise FieldError("[tool.archlint] is not a table")
        values: dict[str, Any] = {"root_packages": parse_module_names(table.get("root_packages"))}
        for key, parse in (
            ("source_roots", parse_names),
            ("contracts_dir", parse_string),
            ("exclude_type_checking_imports", parse_bool),
            ("include_external_packages", parse_bool),
        ):
            if key in table:
                values[key] = parse(table[key])
    except (OSError, UnicodeDecodeError, toml.TOMLDecodeError, FieldError) as e:
        reason = e.strerror if isinstance(e, OSError) else str(e)
        raise ArchlintError(f"{PYPROJECT}: [tool.archlint]: {reason}") from None
    return model.Settings(**values)


def _init(
    folder: Path, settings: model.Settings, force: bool, settings_added: tuple[str, ...] | None
) -> InitResult:
    roots = tuple(p.resolve() for p in (folder / r for r in settings.source_roots) if p.is_dir())
    target = folder / settings.contracts_dir / INFERRED
    shown = display_path(target)
    if target.exists() and not force:
        raise ArchlintError(f"{shown} exists: nothing written (--force overwrites it)")
    try:
        inventory = find_modules(settings.root_packages, roots)
    except RootPackageNotFound as e:
        raise ArchlintError(str(e)) from None
    graph = read_module_graph(inventory, display_path).graph
    contracts = infer(
        graph, settings.root_packages, exclude_type_checking=settings.exclude_type_checking_imports
    )
    taken = _other_ids(folder / settings.contracts_dir, target)
    contracts = [c for c in contracts if c.id not in taken]
    target.parent.mkdir(parents=True, exist_ok=True)
    _write_atomically(target, render(contracts, []), Path(shown))
    verdicts = _check(folder)
    mine = {c.id for c in contracts}
    dropped = [
        (cid, "it does not hold on today's code")
        for cid, kept in verdicts
        if cid in mine and not kept
    ]
    if dropped:
        gone = {cid for cid, _ in dropped}
        contracts = [c for c in contracts if c.id not in gone]
        _write_atomically(target, render(contracts, dropped), Path(shown))
        verdicts = _check(folder)
    written = ((PYPROJECT,) if settings_added else ()) + (shown,)
    return InitResult(written, tuple(contracts), tuple(dropped), settings_added, tuple(verdicts))


def _other_ids(contracts_dir: Path, ours: Path) -> set[str]:
    """Contract ids the other contract files use already (ours must not clash with them)."""
    ids: set[str] = set()
    for path in contracts_dir.glob("*.toml"):
        if path == ours:
            continue
        try:
            data = toml.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, toml.TOMLDecodeError):
            continue  # the check reports it
        for contract in data.get("contracts", []):
            if isinstance(contract, dict) and isinstance(contract.get("id"), str):
                ids.add(contract["id"])
    return ids


def _check(folder: Path) -> list[tuple[str, bool]]:
    from .check import check
    from .project import open_project

    report = check(open_project(root=folder), use_cache=False)
    return [(r.contract.id, r.kept) for r in report.results]
