"""``archlint init --from-importlinter``: an import-linter configuration made archlint's.

It reads the configuration with import-linter's reader, writes ``[tool.archlint]`` into
``pyproject.toml`` (every other byte kept) and the contracts into
``contracts/importlinter.toml``, then checks the project both ways, ``archlint check`` in-process
and the real ``lint-imports`` on the original file, and compares the verdicts contract by
contract. Nothing is written when something is in the way (an existing ``[tool.archlint]`` or
contract file without ``force``, a ``pyproject.toml`` that cannot be kept exactly).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from archlint.backend.importlinter_config import (
    ImportLinterConfig,
    ImportLinterConfigError,
    LintImportsRun,
    read_config,
    run_lint_imports,
)
from archlint.config import toml
from archlint.config.loader import PYPROJECT
from archlint.config.splice import SpliceError, splice_toml
from archlint.domain.errors import ArchlintError, ConfigError
from archlint.domain.results import CheckReport

from .compile import _write_atomically
from .migrate_translate import Migration, Translated, contracts_file, settings_table, translate
from .project import OpenProject

#: The contract file written, relative to the project folder.
CONTRACTS_FILE = Path("contracts") / "importlinter.toml"


@dataclass(frozen=True)
class Comparison:
    """One contract's verdict both ways (None: that tool gave none) and why they differ."""

    contract: Translated
    archlint: bool | None
    lint_imports: bool | None
    reasons: tuple[str, ...] = ()

    @property
    def same(self) -> bool:
        """True when both tools gave the same verdict."""
        return self.archlint is not None and self.archlint == self.lint_imports


@dataclass(frozen=True)
class MigrationResult:
    """What was read, written and found."""

    config: ImportLinterConfig
    migration: Migration
    #: Files written, relative to the project folder.
    written: tuple[str, ...]
    source_roots: tuple[str, ...] | None
    #: Other contract files archlint will read besides ours.
    other_contract_files: tuple[str, ...] = ()
    comparisons: tuple[Comparison, ...] = ()
    #: Why archlint could not check (configuration errors), one line each.
    archlint_problems: tuple[str, ...] = ()
    lint_imports: LintImportsRun | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def verdicts_match(self) -> bool:
        """True when every migrated contract got the same verdict from both tools."""
        return all(c.same for c in self.comparisons)


def find_source_roots(folder: Path, packages: Sequence[str]) -> tuple[str, ...] | None:
    """Where the root packages are: ``src``, the project folder, or a folder right below it
    (relative names, in that order); None when one of them is in none."""
    below = (p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    candidates = ["src", ".", *sorted(name for name in below if name != "src")]
    found: list[str] = []
    for package in packages:
        relative = Path(*package.split("."))
        where = next((c for c in candidates if (folder / c / relative).is_dir()), None)
        if where is None:
            return None
        if where not in found:
            found.append(where)
    return tuple(found)


def _has_archlint_table(text: str) -> bool:
    tool = toml.loads(text).get("tool", {})
    return isinstance(tool, dict) and "archlint" in tool


def _pyproject_text(folder: Path, block: str, force: bool) -> str:
    path = folder / PYPROJECT
    if not path.exists():
        return block
    try:
        existing = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        reason = e.strerror if isinstance(e, OSError) else "it is not UTF-8 text"
        raise ArchlintError(f"cannot update {PYPROJECT}: {reason}; nothing written") from None
    try:
        if _has_archlint_table(existing) and not force:
            raise ArchlintError(
                f"{PYPROJECT} already has [tool.archlint]: nothing written "
                "(--force replaces it, and the contract file)"
            )
        return splice_toml(existing, block, table=("tool", "archlint"))
    except (SpliceError, toml.TOMLDecodeError) as e:
        raise ArchlintError(f"cannot update {PYPROJECT}: {e}; nothing written") from None


def migrate(
    folder: Path, given: Path | None, *, force: bool, compare: bool = True
) -> MigrationResult:
    """Read the import-linter configuration (``given``, else the one ``lint-imports`` finds in
    ``folder``), write archlint's, and compare verdicts. Raises ``ArchlintError`` when nothing
    could be written."""
    folder = folder.resolve()
    try:
        config = read_config(folder, given)
    except ImportLinterConfigError as e:
        raise ArchlintError(str(e)) from None
    shown = _shown(config.path, folder)
    migration = translate(config.format, shown, config.session, config.contracts)
    if not migration.root_packages:
        raise ArchlintError(f"{shown}: no root_packages (or root_package): nothing to migrate")
    source_roots = find_source_roots(folder, migration.root_packages)
    warnings = []
    if source_roots is None:
        warnings.append(
            "the root packages are in none of src/, the project folder or a folder below it: "
            "set source_roots in [tool.archlint]"
        )
    contracts_path = folder / CONTRACTS_FILE
    if contracts_path.exists() and not force:
        raise ArchlintError(f"{CONTRACTS_FILE} exists: nothing written (--force overwrites it)")
    pyproject = _pyproject_text(folder, settings_table(migration, source_roots), force)
    contracts_path.parent.mkdir(exist_ok=True)
    _write_atomically(contracts_path, contracts_file(migration), CONTRACTS_FILE)
    _write_atomically(folder / PYPROJECT, pyproject, Path(PYPROJECT))
    others = tuple(
        str(p.relative_to(folder))
        for p in sorted(contracts_path.parent.glob("*.toml"))
        if p != contracts_path
    )
    result = MigrationResult(
        config,
        migration,
        (PYPROJECT, str(CONTRACTS_FILE)),
        source_roots,
        others,
        warnings=tuple(warnings),
    )
    if not compare:
        return result
    return _compare(result, folder)


def _shown(path: Path, folder: Path) -> str:
    absolute = path.resolve()
    return str(absolute.relative_to(folder)) if absolute.is_relative_to(folder) else str(path)


def _compare(result: MigrationResult, folder: Path) -> MigrationResult:
    from .check import check
    from .project import open_project

    report: CheckReport | None = None
    opened: OpenProject | None = None
    problems: tuple[str, ...] = ()
    try:
        opened = open_project(root=folder)
        report = check(opened, use_cache=False)
    except ConfigError as e:
        problems = tuple(str(p) for p in e.problems)
    except ArchlintError as e:
        problems = (str(e),)
    run = run_lint_imports(result.config, folder, result.source_roots or ())
    archlint_verdicts = {r.contract.id: r.kept for r in report.results} if report else {}
    comparisons = []
    for contract in result.migration.contracts:
        if contract.unsupported:
            continue
        mine = archlint_verdicts.get(contract.id)
        theirs = run.verdicts.get(contract.index)
        reasons: tuple[str, ...] = ()
        if mine is None or mine != theirs:
            reasons = _reasons(contract, mine, theirs, report, opened, problems, run)
        comparisons.append(Comparison(contract, mine, theirs, reasons))
    return MigrationResult(
        result.config,
        result.migration,
        result.written,
        result.source_roots,
        result.other_contract_files,
        tuple(comparisons),
        problems,
        run,
        result.warnings,
    )


def hidden_from_import_linter(opened: OpenProject) -> set[str]:
    """Modules archlint sees that import-linter's graph leaves out: those in a folder without
    ``__init__.py`` inside a regular package, and everything below such a folder."""
    namespace = opened.inventory.namespace_packages
    hidden = set(namespace)
    for name in opened.inventory.names():
        parts = name.split(".")
        if any(".".join(parts[:i]) in namespace for i in range(1, len(parts) + 1)):
            hidden.add(name)
    return hidden


def _reasons(
    contract: Translated,
    mine: bool | None,
    theirs: bool | None,
    report: CheckReport | None,
    opened: OpenProject | None,
    problems: tuple[str, ...],
    run: LintImportsRun,
) -> tuple[str, ...]:
    reasons: list[str] = []
    if mine is None:
        own = [p for p in problems if f"contract '{contract.id}'" in p] or list(problems)
        reasons += [f"archlint could not check it: {p}" for p in own[:5]]
    if theirs is None:
        missing = set(re.findall(r"Module '([\w.]+)' does not exist", run.output))
        hidden = hidden_from_import_linter(opened) if opened is not None else set()
        for name in sorted(missing & hidden):
            reasons.append(
                f"{name} is in a folder without __init__.py: archlint reads it (Python imports "
                "it as a namespace package), import-linter's graph leaves it out"
            )
        tail = [line for line in run.output.strip().splitlines() if line.strip()][-3:]
        said = ": " + " / ".join(tail) if tail else ", and printed nothing"
        reasons.append(f"lint-imports gave no verdict for it (exit status {run.returncode}){said}")
    if mine is None or theirs is None or report is None or opened is None:
        return tuple(reasons)
    hidden = hidden_from_import_linter(opened)
    result = next(r for r in report.results if r.contract.id == contract.id)
    on_chains = sorted(
        {m for v in result.violations for chain in v.chains for m in chain.modules if m in hidden}
    )
    if not mine and theirs and on_chains:
        namespace = opened.inventory.namespace_packages
        folders = sorted({_outermost(m, namespace) for m in on_chains})
        listed = ", ".join(on_chains[:5]) + (", ..." if len(on_chains) > 5 else "")
        plural = "folders" if len(folders) > 1 else "a folder"
        reasons.append(
            f"archlint's chains go through {listed}, below {', '.join(folders)}: {plural} "
            "without __init__.py, which archlint reads (Python imports it as a namespace "
            "package) and import-linter's graph leaves out"
        )
    elif hidden:
        reasons.append(
            f"archlint sees {len(hidden)} modules import-linter does not (folders without "
            f"__init__.py: {', '.join(sorted(opened.inventory.namespace_packages)[:5])})"
        )
    else:
        reasons.append(
            "both read the same modules; compare `archlint check --contract "
            f"{contract.id}` with `{run.command}`"
        )
    return tuple(reasons)


def _outermost(module: str, namespace: frozenset[str]) -> str:
    """The outermost folder without ``__init__.py`` that holds ``module``."""
    parts = module.split(".")
    return next(
        (".".join(parts[:i]) for i in range(1, len(parts) + 1) if ".".join(parts[:i]) in namespace),
        module,
    )
