"""The plan of ``archlint move``: what it will change and what that does to the architecture.

The plan is computed on the project as it would be after the move, not on a model of it: the
move's steps (:mod:`archlint.application.move_steps`) run on a temporary copy of the project,
and ``check`` and ``report`` run on both trees. So the verdicts, cycles and figures of the plan
are the ones ``check`` and ``report`` will give after the real move.
"""

from __future__ import annotations

import dataclasses
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from archlint.application.check import check
from archlint.application.file_rules import FileRules
from archlint.application.files import default_paths, display_path, python_files
from archlint.application.fix import Site
from archlint.application.lint import lint_tree
from archlint.application.move_steps import (
    Journal,
    MoveRequest,
    Performed,
    copy_project,
    perform,
)
from archlint.application.project import OpenProject, open_project
from archlint.application.report import report
from archlint.application.sources import read_module_graph
from archlint.domain import model
from archlint.domain.cycles import shortest_cycle_through
from archlint.domain.expressions import is_in_package
from archlint.domain.metrics import Figures
from archlint.domain.results import CheckReport
from archlint.rewrite.relative import MovedName
from archlint.scanning.screen import read_source
from archlint.scanning.source import SourceError, decode_source, parse_source

__all__ = ["MovePlan", "plan_move", "verdicts"]


@dataclass
class MovePlan:
    """Everything ``archlint move`` prints before it moves anything."""

    request: MoveRequest
    performed: Performed
    #: ``path:line:col: message`` for every import and string that names the old path.
    references: list[str] = field(default_factory=list)
    #: The references ``fix`` would leave alone (refused or impossible), with why.
    hand_fixes: list[Site] = field(default_factory=list)
    #: Contract id -> (kept before, kept after).
    contracts: dict[str, tuple[bool, bool]] = field(default_factory=dict)
    #: Cycles the move creates and removes, each ``(a, b, ..., a)``.
    cycles_created: list[tuple[str, ...]] = field(default_factory=list)
    cycles_removed: list[tuple[str, ...]] = field(default_factory=list)
    #: Package -> (figures before, after); None where the package does not exist.
    figures: dict[str, tuple[Figures | None, Figures | None]] = field(default_factory=dict)


def verdicts(checked: CheckReport) -> dict[str, bool]:
    """Contract id -> kept."""
    return {r.contract.id: r.kept for r in checked.results}


def plan_move(opened: OpenProject, request: MoveRequest) -> MovePlan:
    """Plan the move on a temporary copy of the project; nothing in the project is written.

    Raises ``MoveError`` when the move cannot be made, ``ConfigError`` when the project (or
    the copy after the move) cannot be checked.
    """
    references = _references(opened, request)
    before_check = verdicts(check(opened, use_cache=False))
    before_graph = _graph(opened)
    before_report = report(root=opened.root)
    with tempfile.TemporaryDirectory(prefix="archlint-move-") as tmp:
        copy = copy_project(opened.root, Path(tmp).resolve() / "project")
        copied = open_project(root=copy)
        performed = perform(copied, request, Journal(copy), use_git=False)
        after = open_project(root=copy)
        after_check = verdicts(check(after, use_cache=False))
        after_graph = _graph(after)
        after_report = report(root=copy)
    plan = MovePlan(request, performed, references)
    if performed.fix is not None:
        plan.hand_fixes = [dataclasses.replace(s, path=s.path) for s in performed.fix.hand_fixes]
    plan.contracts = {
        cid: (before_check[cid], after_check.get(cid, before_check[cid])) for cid in before_check
    }
    moved = MovedName(request.old, request.new)
    plan_seen: set[str] = set()
    renamed = {_rename(moved, a): {_rename(moved, b) for b in bs} for a, bs in before_graph.items()}
    # Module-level cycles, then cycles among the children of each package on the way to OLD
    # and NEW (what an acyclic_siblings contract forbids): a move changes those most.
    for package in ["", *_ancestors(request.old), *_ancestors(request.new)]:
        if package in plan_seen:
            continue
        plan_seen.add(package)
        # A module-level cycle is the same one under new names; a cycle among a package's
        # children is new when the move put a module in another child.
        was = _collapse(before_graph, package) if package else renamed
        will = _collapse(after_graph, package)
        plan.cycles_created += _cycles_through_new_edges(will, was)
        plan.cycles_removed += _cycles_through_new_edges(was, will)
    before_rows = {row.package: row.after for row in before_report.rows}
    after_rows = {row.package: row.after for row in after_report.rows}
    for package in sorted(set(before_rows) | set(after_rows)):
        if any(is_in_package(m, package) for m in (request.old, request.new)):
            plan.figures[package] = (before_rows.get(package), after_rows.get(package))
    return plan


def _ancestors(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts))]


def _collapse(graph: dict[str, set[str]], package: str) -> dict[str, set[str]]:
    """``graph`` with every module below ``package`` counted as the child of ``package`` it
    lies in, and the rest left out; ``package`` "" is the module graph itself."""
    if not package:
        return graph

    def child(module: str) -> str | None:
        if not module.startswith(package + "."):
            return None
        return package + "." + module[len(package) + 1 :].split(".", 1)[0]

    collapsed: dict[str, set[str]] = {}
    for importer, imported in graph.items():
        a = child(importer)
        if a is None:
            continue
        targets = collapsed.setdefault(a, set())
        for module in imported:
            b = child(module)
            if b is not None and b != a:
                targets.add(b)
    return collapsed


def _rename(moved: MovedName, module: str) -> str:
    return moved.apply(module) or module


def _graph(opened: OpenProject) -> dict[str, set[str]]:
    return read_module_graph(opened.inventory).graph.adjacency()


def _cycles_through_new_edges(
    graph: dict[str, set[str]], other: dict[str, set[str]]
) -> list[tuple[str, ...]]:
    """The shortest cycle through each edge of ``graph`` that ``other`` lacks, once each."""
    found: set[tuple[str, ...]] = set()
    for importer in sorted(graph):
        for imported in sorted(graph[importer]):
            if imported in other.get(importer, set()):
                continue
            cycle = shortest_cycle_through(graph, importer, imported)
            if cycle is not None:
                body = cycle[:-1]
                start = body.index(min(body))
                found.add((*body[start:], *body[:start], body[start]))
    return sorted(found)


def _references(opened: OpenProject, request: MoveRequest) -> list[str]:
    """Every import and string naming ``old``, as ``archlint lint`` would show them if it
    were deprecated already."""
    deprecation = model.Deprecation(request.old, request.new, model.Origin("<move>"))
    project = dataclasses.replace(opened.project, deprecations=(deprecation,))
    rules = FileRules.compile(project)
    rules.assume_exists(request.new)  # the move creates it
    found: list[str] = []
    for path in python_files(default_paths(opened.project)):
        shown = display_path(path, opened.root)
        try:
            text = decode_source(read_source(path), shown)
            if request.old.rpartition(".")[2] not in text:
                continue
            tree = parse_source(text, shown)
        except (OSError, SourceError):
            continue
        for finding in lint_tree(rules, tree, str(path), text, contracts=False):
            message = finding.message.split("; use: ", 1)
            target = f" -> {message[1]}" if len(message) > 1 else ""
            found.append(f"{shown}:{finding.line}:{finding.col + 1}: {finding.code}{target}")
    return found
