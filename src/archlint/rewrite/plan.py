"""Deciding what ``archlint fix`` rewrites in one file: groups of edits, and hand fixes.

What is rewritten is exactly what the flake8 plugin reports, decided by the same code:
:func:`archlint.scanning.imports.scan_imports` and :meth:`DeprecationIndex.lookup_import` for
ARC001/ARC002, :func:`archlint.scanning.strings.scan_string_references` and
:meth:`DeprecationIndex.lookup_reference` for ARC003, and :func:`replacement` /
:func:`replacement_target` for what each becomes. A site that cannot be rewritten safely is
a hand fix, with the reason.

``import a.b.c`` rewritten to ``import x.y`` changes the name the code reaches the module by,
so every ``a.b.c.X`` chain in the file is rewritten with it, and only when that is safe:
``a`` is bound by nothing else in the file, is not used on its own, and no other chain from
``a`` may depend on the import being rewritten.

Carrying the edits out is :mod:`archlint.rewrite.imports`'s job; this module only reads the
AST.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from archlint.domain.deprecations import (
    DeprecationIndex,
    Match,
    Replacement,
    replacement,
    replacement_target,
)
from archlint.domain.imports import ImportRecord
from archlint.domain.model import Deprecation
from archlint.rewrite.imports import ChainEdit, Edit, ImportEdit, Position, StringEdit
from archlint.scanning.chains import NameUses, name_uses
from archlint.scanning.imports import scan_imports
from archlint.scanning.modules import ModuleName
from archlint.scanning.strings import scan_string_references

__all__ = ["Group", "HandFix", "Plan", "plan_edits"]


@dataclass(frozen=True, slots=True)
class HandFix:
    """A site left for a person to fix: line and column from 1, and why."""

    line: int
    col: int
    reason: str


@dataclass(frozen=True)
class Group:
    """Edits made together or not at all, and the site that names them in messages."""

    edits: list[Edit]
    line: int
    col: int
    what: str


@dataclass
class Plan:
    """The groups of edits to make (each whole or not at all), and the hand fixes."""

    groups: list[Group] = field(default_factory=list)
    hand_fixes: list[HandFix] = field(default_factory=list)


@dataclass(frozen=True)
class _Plain:
    """``import a.b.c`` (no ``as``) becoming ``import x.y``: the name ``a`` changes."""

    record: ImportRecord
    new: Replacement
    match: Match
    edit: ImportEdit


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class _Columns:
    """Columns as :mod:`ast` gives them (UTF-8 bytes) turned into characters (libcst's)."""

    def __init__(self, text: str) -> None:
        self.lines: list[str] | None = None if text.isascii() else _LINE_BREAK.split(text)

    def __call__(self, line: int, col: int) -> Position:
        if self.lines is None or line > len(self.lines):
            return (line, col)
        text = self.lines[line - 1]
        if text.isascii():
            return (line, col)
        return (line, len(text.encode("utf-8")[:col].decode("utf-8", errors="replace")))


def _why(deprecation: Deprecation) -> str:
    return f" ({' '.join(deprecation.why.split())})" if deprecation.why else ""


#: Says why an import rewrite must not be made (or None): see application/fix_safety.py.
Veto = Callable[[ImportRecord, Replacement], "str | None"]


def plan_edits(
    tree: ast.Module,
    text: str,
    index: DeprecationIndex,
    module: ModuleName | None,
    veto: Veto | None = None,
) -> Plan:
    """What to rewrite in ``text`` (whose AST is ``tree``), the module ``module`` (for
    relative imports), in reading order. ``veto`` may refuse an import rewrite (a hand fix)."""
    plan = Plan()
    if not index:
        return plan
    pos = _Columns(text)

    def hand(line: int, col: int, reason: str) -> None:
        plan.hand_fixes.append(HandFix(line, col + 1, reason))

    statements: dict[tuple[int, int], ast.Import | ast.ImportFrom] = {}
    records = scan_imports(tree, module)
    plain: dict[str, list[_Plain]] = {}
    for record in records:
        match = index.lookup_import(record)
        if match is None:
            continue
        deprecation = match.deprecation
        new = replacement(record, match)
        shown = _shown(record)
        if new is None:
            hand(
                record.stmt_line,
                record.stmt_col,
                f"{shown}: {deprecation.old} was removed{_why(deprecation)}; "
                "there is no replacement to write",
            )
            continue
        moved = index.below(record.module) if record.name == "*" else ()
        if moved:
            olds = ", ".join(d.old for d in moved)
            hand(
                record.stmt_line,
                record.stmt_col,
                f"{shown}: names below {record.module} moved to different places ({olds}); "
                "import them by name",
            )
            continue
        target = new.module if new.module is not None else new.name
        if module is not None and target == module.name:
            hand(
                record.stmt_line,
                record.stmt_col,
                f"{shown}: the replacement `{new}` would import this module from itself",
            )
            continue
        refused = veto(record, new) if veto is not None else None  # fix_safety
        if refused is not None:
            hand(record.stmt_line, record.stmt_col, f"{shown}: {refused}")
            continue
        if not statements:
            statements = _import_statements(tree)
        statement = statements[(record.stmt_line, record.stmt_col)]
        alias = next(
            n
            for n, a in enumerate(statement.names)
            if (a.lineno, a.col_offset) == (record.line, record.col)
        )
        edit = ImportEdit(pos(record.stmt_line, record.stmt_col), alias, new)
        if record.name is None and new.asname is None and new.name != record.module:
            top = record.module.split(".", 1)[0]
            plain.setdefault(top, []).append(_Plain(record, new, match, edit))
        else:
            plan.groups.append(Group([edit], record.stmt_line, record.stmt_col, shown))

    if plain:
        _plan_plain(plain, tree, records, index, pos, plan, hand)

    for ref in scan_string_references(tree):
        match = index.lookup_reference(ref)
        if match is None:
            continue
        new_value = replacement_target(ref.value, match)
        shown = f"string {ref.value!r}"
        if new_value is None:
            deprecation = match.deprecation
            hand(
                ref.line,
                ref.col,
                f"{shown}: {deprecation.old} was removed{_why(deprecation)}; "
                "there is no replacement to write",
            )
            continue
        edit_s = StringEdit(
            pos(ref.line, ref.col), pos(ref.end_line, ref.end_col), ref.value, new_value
        )
        plan.groups.append(Group([edit_s], ref.line, ref.col, shown))
    plan.groups.sort(key=lambda g: (g.line, g.col))
    plan.hand_fixes.sort(key=lambda s: (s.line, s.col))
    return plan


def _import_statements(tree: ast.Module) -> dict[tuple[int, int], ast.Import | ast.ImportFrom]:
    """Every import statement, by position."""
    return {
        (node.lineno, node.col_offset): node
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
    }


def _shown(record: ImportRecord) -> str:
    """The import as the message names it."""
    if record.name is None:
        return f"import {record.module}" + (f" as {record.asname}" if record.asname else "")
    return f"from {record.module} import {record.name}"


def _plan_plain(
    plain: dict[str, list[_Plain]],
    tree: ast.Module,
    records: list[ImportRecord],
    index: DeprecationIndex,
    pos: _Columns,
    plan: Plan,
    hand: Callable[[int, int, str], None],
) -> None:
    """Plan each ``import a.b.c`` whose bound name changes, with the chains that use it.

    All such imports binding the same name ``a`` are rewritten together or not at all.
    """
    new_tops = {p.new.name.split(".", 1)[0] for found in plain.values() for p in found}
    uses = name_uses(tree, set(plain) | new_tops)
    # Modules the file imports plainly and keeps: they still load their packages afterwards.
    kept = {
        r.module
        for r in records
        if r.name is None and r.asname is None and index.lookup_import(r) is None
    }
    plainly_imported_tops = {r.module.split(".", 1)[0] for r in records if r.name is None}
    for top, found in plain.items():
        chains: list[Edit] = []
        problem = _chain_problem(top, found, uses, kept, plainly_imported_tops, index, pos, chains)
        if problem is None:
            edits: list[Edit] = [p.edit for p in found]
            first = found[0].record
            plan.groups.append(
                Group(edits + chains, first.stmt_line, first.stmt_col, _shown(first))
            )
            continue
        for p in found:
            hand(
                p.record.stmt_line,
                p.record.stmt_col,
                f"{_shown(p.record)}: cannot rewrite to `import {p.new.name}` and its uses "
                f"safely: {problem}",
            )


def _chain_problem(
    top: str,
    found: list[_Plain],
    uses: NameUses,
    kept: set[str],
    plainly_imported_tops: set[str],
    index: DeprecationIndex,
    pos: _Columns,
    out: list[Edit],
) -> str | None:
    """Why the chains from ``top`` cannot follow the imports in ``found``; else None, with
    the chain edits added to ``out``."""
    bindings, chains_of = uses.bindings, uses.chains
    paths = {p.record.module: p for p in found}
    deprecations = {id(p.match.deprecation) for p in found}
    new_paths = {p.new.name for p in found}
    new_tops = {n.split(".", 1)[0] for n in new_paths}
    for name in sorted({top} | new_tops):
        for binding in bindings.get(name, []):
            return f"`{name}` is also bound by {binding.how} at line {binding.line}"
    for name in sorted(new_tops - {top}):
        used = chains_of.get(name, [])
        if used and name not in plainly_imported_tops:
            return f"`{name}` is already used at line {used[0].line} without being imported"
    for line, value in uses.annotation_strings:
        for path in paths:
            if re.search(rf"(?<![\w.]){re.escape(path)}(?![\w])", value):
                return f"`{path}` is named in the string annotation {value!r} at line {line}"
    coverage = kept | new_paths
    for chain in chains_of.get(top, []):
        parts = chain.parts
        under = [p for p in paths if _starts_with(parts, p.split("."))]
        if under:
            path = max(under, key=len)
            plain = paths[path]
            depth = len(path.split("."))
            rewritten = ".".join((plain.new.name, *parts[depth:]))
            specific = index.lookup(chain.path)
            if specific is not None and specific.new_path != rewritten:
                # A more specific deprecation (of a name in the module) says otherwise.
                return (
                    f"`{chain.path}` (line {chain.line}) falls under the deprecation of "
                    f"{specific.deprecation.old}, which does not move it to {rewritten}"
                )
            end_line, end_col = chain.ends[depth - 1]
            out.append(
                ChainEdit(pos(chain.line, chain.col), pos(end_line, end_col), plain.new.name)
            )
            continue
        if any(_starts_with(p.split("."), parts) for p in paths):
            return f"`{chain.path}` is used on its own at line {chain.line}"
        specific = index.lookup(chain.path)
        if specific is not None and id(specific.deprecation) in deprecations:
            return (
                f"`{chain.path}` (line {chain.line}) is under the deprecated "
                f"{specific.deprecation.old} but is not what the import imports"
            )
        shared = max(_common(parts, p.split(".")) for p in paths)
        prefix = parts[:shared]
        if not any(_starts_with(m.split("."), prefix) for m in coverage):
            return (
                f"`{chain.path}` (line {chain.line}) may rely on the import to load "
                f"{'.'.join(prefix)}"
            )
    return None


def _starts_with(parts: Sequence[str], prefix: Sequence[str]) -> bool:
    return len(parts) >= len(prefix) and tuple(parts[: len(prefix)]) == tuple(prefix)


def _common(a: Sequence[str], b: Sequence[str]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
