"""``archlint check`` on shims: code grown in one (ARC004), and one removed too early.

A shim is a module left at a deprecated path (see :mod:`archlint.domain.shims`). ``check``
reads every shim of the project and reports the ones that grew code, and warns about each
deprecation whose shim is gone while code outside the project may still import it: its
``new`` resolves, its ``old`` no longer does, and its ``remove_after`` has not come (or it has
none). A warning does not change the exit status: removing a shim is a release decision the
project may have made on purpose, and only the date says it was early.

The flake8 plugin and ``archlint lint`` report ARC004 through
:func:`archlint.application.lint.lint_tree`; this module is what ``check`` adds, in one pass
over the project's modules (a dictionary lookup each; only shims are read).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from archlint.domain.deprecations import DeprecationIndex
from archlint.domain.expressions import is_in_package
from archlint.domain.model import Deprecation
from archlint.domain.shims import binds, shim_findings
from archlint.scanning.inventory import ModuleInventory
from archlint.scanning.module_files import ModuleFiles
from archlint.scanning.screen import read_source
from archlint.scanning.source import SourceError, decode_source, parse_source

from .files import display_path
from .lint import Finding
from .project import OpenProject
from .shims import new_resolves, shim_at


@dataclass(frozen=True)
class ShimCheck:
    """What ``check`` reports about shims."""

    #: ARC004 findings, each with its file as shown (relative to the current folder).
    findings: tuple[tuple[str, Finding], ...] = ()
    #: ``warning: FILE:LINE: ...`` lines: shims removed before their ``remove_after``.
    warnings: tuple[str, ...] = ()
    #: ``FILE:LINE: why`` for shim files that could not be read or parsed.
    problems: tuple[str, ...] = ()


def check_shims(
    opened: OpenProject, today: dt.date | None = None, cwd: Path | None = None
) -> ShimCheck:
    """ARC004 for every shim of the project that grew code, and a warning for every shim
    removed before its deprecation's ``remove_after``."""
    project = opened.project
    index = DeprecationIndex(project.deprecations)
    if not index:
        return ShimCheck()
    inventory = opened.inventory
    roots = project.settings.root_packages
    modules = ModuleFiles(tuple(roots), project.source_root_paths)
    cwd = cwd or Path.cwd()
    findings: list[tuple[str, Finding]] = []
    problems: list[str] = []
    for module in inventory:
        shim = shim_at(index, modules, module.name)
        if shim is None:
            continue
        shown = display_path(module.path, cwd)
        try:
            tree = parse_source(decode_source(read_source(module.path), shown), shown)
        except SourceError as e:
            problems.append(str(e))
            continue
        except OSError as e:
            problems.append(f"{shown}: cannot read: {e.strerror}")
            continue
        for found in shim_findings(shim, tree):
            findings.append((shown, Finding(found.line, found.col, found.code, found.message)))
    exists = new_resolves(modules)
    gone = [
        d
        for d in project.deprecations
        if any(is_in_package(d.old, root) for root in roots) and _shim_removed(d, inventory, exists)
    ]
    today = today or dt.date.today()
    # Only the topmost of nested entries (a module and a name inside it) is worth a line.
    # The ``old`` paths are unique (the loader rejects duplicates): an entry is nested when
    # one of its proper prefixes is another's ``old``; a set lookup per prefix, not a
    # comparison with every other entry (1,000 removed shims made a million of those).
    olds = {d.old for d in gone}
    warnings = [
        _removed_warning(d)
        for d in gone
        if not any(prefix in olds for prefix in _proper_prefixes(d.old))
        and (d.remove_after is None or today < d.remove_after)
    ]
    return ShimCheck(tuple(findings), tuple(warnings), tuple(problems))


def _proper_prefixes(path: str) -> list[str]:
    """``a`` and ``a.b`` for ``a.b.c``."""
    parts = path.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts))]


def _shim_removed(
    d: Deprecation, inventory: ModuleInventory, exists: Callable[[str], bool]
) -> bool:
    """Whether ``d`` moved something (its ``new`` resolves) whose ``old`` resolves no more:
    neither a module nor a name its parent module binds."""
    if d.new is None or d.old in inventory or not exists(d.new):
        return False
    parent, _, name = d.old.rpartition(".")
    path = inventory.file_of(parent)
    if path is None:
        return True
    try:
        tree = parse_source(decode_source(read_source(path), str(path)), str(path))
    except (OSError, SourceError):
        return False  # cannot tell; check reports the unreadable file itself
    return not binds(tree, name)


def _removed_warning(d: Deprecation) -> str:
    where = f"{d.origin}: " if d.origin.file else ""
    if d.remove_after is not None:
        return (
            f"warning: {where}shim for {d.old} removed before its remove_after "
            f"{d.remove_after.isoformat()}: code outside the project that imports it breaks "
            "now; restore the shim (archlint move writes one) or set remove_after to the day "
            "it was removed"
        )
    return (
        f"warning: {where}shim for {d.old} removed, and its deprecation has no remove_after: "
        "code outside the project that imports it breaks without notice; set remove_after to "
        "the day it was removed"
    )
