"""Checking one file: its deprecated imports, string references and direct contract breaks.

This is the flake8 plugin's work, and ``archlint lint``'s. The project's rules are compiled
once into :class:`~archlint.application.file_rules.FileRules`; checking a file then costs one
pass over its statements, a few dictionary lookups per import, and, only for files whose text
names a deprecated path, one pass over its expressions for string references.
"""

from __future__ import annotations

import ast
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from archlint.domain import model
from archlint.domain.codes import CODES
from archlint.domain.deprecations import (
    Match,
    join_replacements,
    replacement,
    replacement_target,
)
from archlint.domain.expressions import is_in_package
from archlint.domain.import_targets import external_target, internal_target
from archlint.domain.imports import ImportRecord, StringReference
from archlint.domain.shims import shim_findings
from archlint.scanning.imports import scan_imports
from archlint.scanning.modules import ModuleName
from archlint.scanning.noqa import NoqaLines
from archlint.scanning.screen import climbing_import, package_depth
from archlint.scanning.strings import scan_string_references

from .file_rules import FileRules
from .shims import shim_at


@dataclass(frozen=True, slots=True)
class Finding:
    """One message at one place: what flake8 shows as ``path:line:col: CODE message``."""

    line: int
    col: int
    code: str
    message: str
    #: True when the message carries a replacement that resolves: ``archlint fix`` can
    #: write it (ARC0xx only).
    fixable: bool = False
    #: True for a deprecated (not removed, not overdue) site whose ``new`` does not resolve
    #: yet: a planned move. It is shown, but, like ``check``'s warning about the plan, it
    #: does not fail ``check``, ``lint`` or ``fix`` (flake8 decides for itself).
    planned: bool = False

    @property
    def text(self) -> str:
        """``"ARC001 ..."``: the code and the message, as flake8 wants them."""
        return f"{self.code} {self.message}"


def _since(deprecation: model.Deprecation) -> str:
    return f" since {deprecation.since.isoformat()}" if deprecation.since else ""


def _why(text: str | None) -> str:
    return f" ({' '.join(text.split())})" if text else ""


def _deprecated_since(d: model.Deprecation) -> str:
    """`` (deprecated since 2025-10-05: why)``, with whichever parts are known."""
    parts = [f"deprecated{_since(d)}"] if d.since else []
    if d.why:
        parts.append(" ".join(d.why.split()))
    return f" ({': '.join(parts)})" if parts else ""


def _is_error(match: Match, today: dt.date) -> bool:
    return match.removed or match.deprecation.is_expired(today)


def import_code(match: Match, today: dt.date) -> str:
    """The code of an import under ``match``: ARC002 once removed (or moved to a path that
    was removed) or past its ``remove_after``, else ARC001."""
    return "ARC002" if _is_error(match, today) else "ARC001"


def planned_advice(new: str) -> str:
    """What a finding says instead of a replacement while ``new`` does not resolve (see
    :meth:`FileRules.planned_new`)."""
    return f"planned: `{new}` does not exist yet"


def _deprecated_import(rules: FileRules, records: list[tuple[ImportRecord, Match]]) -> Finding:
    """One finding for the imports of one statement under one deprecation (and, where they
    have one, one replacement statement), at the statement's first line and column."""
    record, match = records[0]
    d = match.deprecation
    found = [new for r, m in records if (new := replacement(r, m)) is not None]
    replacement_text = join_replacements(found) if found else ""
    planned_new = next((p for r, m in records if (p := rules.planned_for(r, m)) is not None), None)
    planned = planned_new is not None
    advice = planned_advice(planned_new) if planned_new else f"use: {replacement_text}"
    fixable = bool(replacement_text) and not planned
    if not _is_error(match, rules.today):
        message = CODES["ARC001"].message(
            path=d.old, since=_since(d), why=_why(d.why), advice=advice
        )
    elif match.removed:
        # This path was removed, or moved to one that was removed later: say which.
        gone = match.steps[-1]
        message = CODES["ARC002"].message(
            path=d.old,
            state="was removed" if gone is d else f"moved to {gone.old}, which was removed",
            since=f" (deprecated{_since(gone)})" if gone.since else "",
            why=f": {' '.join(gone.why.split())}" if gone.why else "",
            advice="",
        )
    else:
        assert d.remove_after is not None
        message = CODES["ARC002"].message(
            path=d.old,
            state=f"is past its remove_after date {d.remove_after.isoformat()}",
            since=_deprecated_since(d),
            why="",
            advice=f"; {advice}" if replacement_text else "",
        )
    code, text = message.split(" ", 1)
    planned_site = planned and not _is_error(match, rules.today)
    return Finding(record.stmt_line, record.stmt_col, code, text, fixable, planned_site)


def check_imports(
    rules: FileRules,
    records: list[ImportRecord],
    module: ModuleName | None,
    *,
    contracts: bool = True,
) -> list[Finding]:
    """ARC001/ARC002 for deprecated imports and ARC101-106 for direct contract breaks
    (unless ``contracts`` is false).

    One finding, one place: each is reported at its statement's first line and column (what
    grimp reports, what baselines and ``# noqa`` key on), once per statement and rule. The
    names a statement imports under one deprecation make one finding whose replacement lists
    them all, unless they need different replacement statements; names that break a
    contract by importing the same module make one finding.
    """
    findings: list[Finding] = []
    index = rules.deprecations
    check_contracts = (
        contracts and module is not None and bool(rules.contracts.contracts or rules.acyclic)
    )
    deprecated: dict[tuple[int, int, int, str | None], list[tuple[ImportRecord, Match]]] = {}
    seen: set[tuple[int, int, str, str]] = set()
    for record in records:
        if index:
            match = index.lookup_import(record)
            if match is not None:
                new = replacement(record, match)
                # One replacement statement per ``from`` module (``import`` for plain ones).
                statement = None if new is None else f"{new.module is None}:{new.module}"
                key = (record.stmt_line, record.stmt_col, id(match.deprecation), statement)
                deprecated.setdefault(key, []).append((record, match))
        if check_contracts and module is not None:
            for finding in _contract_findings(rules, record, module.name):
                identity = (finding.line, finding.col, finding.code, finding.message)
                if identity not in seen:
                    seen.add(identity)
                    findings.append(finding)
    findings.extend(_deprecated_import(rules, group) for group in deprecated.values())
    return findings


@dataclass(frozen=True, slots=True)
class Target:
    """The module an import makes its importer depend on in the graph."""

    module: str
    #: In the graph only when it is built with external packages.
    external: bool = False


def resolve_imported(rules: FileRules, record: ImportRecord) -> Target | None:
    """The module an import makes its importer depend on, as grimp resolves it.

    ``from a.b import c`` depends on ``a.b.c`` when that is a module, else on ``a.b``;
    ``import a.b.c`` on ``a.b.c``, else on ``a.b``; anything else is external, and depends
    on its top-level package in a graph with external packages (see
    :mod:`~archlint.domain.import_targets`). None when no graph holds the import.
    """
    modules = rules.modules
    internal = internal_target(record.path, modules.exists)
    if internal is not None:
        return Target(internal)
    external = external_target(record.path, modules.root_packages)
    return None if external is None else Target(external, external=True)


def _contract_findings(rules: FileRules, record: ImportRecord, importer: str) -> list[Finding]:
    if not rules.contracts.concerns_external and rules.modules.root_of(record.module) is None:
        return []  # outside the project, and no contract is about such imports
    target = resolve_imported(rules, record)
    if target is None:
        return []
    imported = target.module
    out = []
    for breach in rules.contracts.breaches(
        importer,
        imported,
        type_checking=record.is_type_checking,
        project=rules.project,
        external=target.external,
    ):
        contract = breach.contract
        assert contract.code is not None
        message = CODES[contract.code].message(
            imported=imported, contract=contract.id, rule=breach.rule, why=_why(contract.why)
        )
        out.append(
            Finding(record.stmt_line, record.stmt_col, contract.code, message.split(" ", 1)[1])
        )
    out.extend(_cycle_findings(rules, record, importer, target))
    return out


def _counts(
    contract: model.AcyclicContract,
    record: ImportRecord,
    project: model.Project,
    target: Target | None,
) -> bool:
    """Whether the import ``record`` (resolved to ``target``) is an edge of the graph
    ``contract`` is checked on."""
    if target is None or (target.external and not project.includes_external_packages(contract)):
        return False
    if contract.exclude_lazy_imports and record.is_lazy:
        return False
    return not (record.is_type_checking and project.excludes_type_checking(contract))


def _cycle_findings(
    rules: FileRules, record: ImportRecord, importer: str, target: Target
) -> list[Finding]:
    """ARC106: ``imported`` imports ``importer`` back, under an ``acyclic`` contract.

    Longer cycles need the whole graph and stay with ``archlint check``.
    """
    out: list[Finding] = []
    imported = target.module
    for contract in rules.acyclic:
        if not _counts(contract, record, rules.project, target):
            continue
        if contract.is_ignored(importer, imported):
            continue
        packages = [
            package
            for p in contract.packages
            if (package := p.package_of(importer)) is not None and is_in_package(imported, package)
        ]
        if not packages or importer == imported:
            continue
        back = [
            other
            for other in rules.imports_of(imported, importer)
            if _counts(contract, other, rules.project, back := resolve_imported(rules, other))
            and back is not None
            and back.module == importer
            and not contract.is_ignored(imported, importer)
        ]
        if not back:
            continue
        rule = f"{imported} imports {importer} back (l.{back[0].stmt_line}): a cycle of two modules"
        message = CODES["ARC106"].message(
            imported=imported, contract=contract.id, rule=rule, why=_why(contract.why)
        )
        out.append(Finding(record.stmt_line, record.stmt_col, "ARC106", message.split(" ", 1)[1]))
    return out


def _string_finding(rules: FileRules, ref: StringReference, match: Match) -> Finding:
    d = match.deprecation
    today = rules.today
    new_value = replacement_target(ref.value, match)
    planned_new = rules.planned_new(match) if new_value is not None else None
    planned = planned_new is not None
    advice = f"; use: {new_value!r}" if new_value else ""
    if planned_new is not None:
        advice = f"; {planned_advice(planned_new)}"
    if match.removed:
        state = "removed"
    elif d.is_expired(today):
        state = f"deprecated{_since(d)}, past its remove_after date {d.remove_after}"
    else:
        state = f"deprecated{_since(d)}"
    message = CODES["ARC003"].message(
        call=ref.call,
        value=ref.value,
        path=d.old,
        state=state + _why(d.why),
        advice=advice,
    )
    fixable = new_value is not None and not planned
    planned_site = planned and not _is_error(match, today)
    return Finding(ref.line, ref.col, "ARC003", message.split(" ", 1)[1], fixable, planned_site)


def check_strings(rules: FileRules, tree: ast.Module) -> list[Finding]:
    """ARC003 for deprecated or removed paths in strings that name modules."""
    findings = []
    for ref in scan_string_references(tree):
        match = rules.deprecations.lookup_reference(ref)
        if match is not None:
            findings.append(_string_finding(rules, ref, match))
    return findings


def climbing_import_in(
    rules: FileRules, module: ModuleName | None, path: str, tree: ast.Module
) -> tuple[int, str] | None:
    """The line of a relative import that climbs above the top-level package, and why, in a
    module of the root packages (the modules ``check`` reads into its graph); None otherwise.

    Such a file is a bad file in every face: ``check`` names it, ``lint`` and ``fix`` skip
    it (a fix of it could not be checked against the graph either).
    """
    if module is None or not any(
        is_in_package(module.name, root) for root in rules.project.settings.root_packages
    ):
        return None
    found = climbing_import(Path(path), tree, package_depth(module.name, module.is_package))
    return None if found is None else (found.line, found.why)


def lint_tree(
    rules: FileRules,
    tree: ast.Module,
    filename: str,
    text: str | None,
    *,
    contracts: bool = True,
    noqa: bool = True,
    references: bool | None = None,
) -> list[Finding]:
    """Every finding in one parsed file, sorted by position.

    ``text`` is the file's source, used to skip the search for string references in files
    that cannot hold one (most files; pass None to always search), and to read its
    ``# noqa`` comments (:mod:`~archlint.scanning.noqa`): with ``noqa`` (the default) a
    finding they suppress is left out. The flake8 plugin passes ``noqa=False``: flake8
    applies them itself (and knows ``--disable-noqa``).
    ``contracts=False`` checks the deprecations alone (ARC0xx). ``references`` is the
    deprecation index's ``could_reference(text)``, when the caller has it already.
    """
    module = rules.module_of(filename)
    findings = check_imports(rules, scan_imports(tree, module), module, contracts=contracts)
    if rules.deprecations and (
        text is None
        or (rules.deprecations.could_reference(text) if references is None else references)
    ):
        findings.extend(check_strings(rules, tree))
    # A module at a deprecated path only re-exports (ARC004).
    shim = shim_at(rules.deprecations, rules.modules, module.name) if module else None
    for grown in shim_findings(shim, tree) if shim is not None else ():
        findings.append(Finding(grown.line, grown.col, grown.code, grown.message))
    # Suppression comments last: they apply to every finding above, ARC004 included.
    if noqa and text is not None and findings:
        comments = NoqaLines(text)
        findings = [f for f in findings if not comments.suppressed(f.line, f.code, f.col)]
    findings.sort(key=lambda f: (f.line, f.col, f.code))
    return findings
