"""``archlint fix``: rewrite deprecated imports and module paths in strings to their replacements.

What is rewritten is exactly what the flake8 plugin reports, decided by the same code:
:func:`archlint.scanning.imports.scan_imports` and :meth:`DeprecationIndex.lookup_import` for
ARC001/ARC002, :func:`archlint.scanning.strings.scan_string_references` and
:meth:`DeprecationIndex.lookup_reference` for ARC003, and :func:`replacement` /
:func:`replacement_target` for what each becomes. A site that cannot be rewritten safely is
left alone and reported as needing a hand fix, with the reason.

``import a.b.c`` rewritten to ``import x.y`` changes the name the code reaches the module by,
so every ``a.b.c.X`` chain in the file is rewritten with it, and only when that is safe:
``a`` is bound by nothing else in the file, is not used on its own, and no other chain from
``a`` may depend on the import being rewritten.

Nothing is lost: a file with nothing to change is not written; the new text must parse (with
:mod:`ast` and libcst) and be stable (planning again on it finds nothing more to do) before it
is written, atomically, in the file's encoding and with its mode.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from archlint.application.files import PathNotFound, default_paths, display_path, python_files
from archlint.application.fix_safety import Veto, safe_vetoes
from archlint.application.lint import FileRules
from archlint.application.project import OpenProject
from archlint.domain.deprecations import (
    DeprecationIndex,
    Match,
    Replacement,
    replacement,
    replacement_target,
)
from archlint.domain.imports import ImportRecord
from archlint.domain.model import Deprecation
from archlint.rewrite.files import FileChanged, check_parses, encode_like, replace_file
from archlint.rewrite.imports import (
    ChainEdit,
    Edit,
    ImportEdit,
    Position,
    RewriteError,
    Rewritten,
    StringEdit,
    rewrite_source,
)
from archlint.scanning.chains import NameUses, name_uses
from archlint.scanning.imports import scan_imports
from archlint.scanning.modules import ModuleName
from archlint.scanning.screen import BadFile, read_source
from archlint.scanning.source import SourceError, decode_source, parse_source
from archlint.scanning.strings import scan_string_references

__all__ = [
    "FileResult",
    "FixError",
    "FixReport",
    "FixedSource",
    "PathNotFound",
    "Site",
    "default_paths",
    "fix_file",
    "fix_paths",
    "fix_source",
    "python_files",
]

Rewriter = Callable[[str, Sequence[Sequence[Edit]], ast.Module], Rewritten]


class FixError(Exception):
    """A file could not be fixed; the message says why. The file is left as it was."""

    def __init__(self, line: int | None, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Site:
    """A place to report: ``path:line:col: reason`` (line and column from 1)."""

    path: str
    line: int
    col: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.reason}"


@dataclass
class FixedSource:
    """One file's text after the fix, and what was done or left to do."""

    text: str
    imports: int = 0
    strings: int = 0
    hand_fixes: list[Site] = field(default_factory=list)


@dataclass
class FileResult:
    """What fixing one file did."""

    path: Path
    display: str
    before: str = ""
    after: str = ""
    imports: int = 0
    strings: int = 0
    hand_fixes: list[Site] = field(default_factory=list)
    #: Why the file could not be read, parsed or written (it was left as it was).
    error: Site | None = None
    #: True when ``error`` says the file could not be read, decoded or parsed.
    unreadable: bool = False

    @property
    def changed(self) -> bool:
        """Whether the fix changes the file (or, with ``--diff``, would)."""
        return self.before != self.after


@dataclass
class FixReport:
    """Every file looked at."""

    files: list[FileResult]
    written: bool

    @property
    def changed(self) -> list[FileResult]:
        """The files changed (or that would be)."""
        return [f for f in self.files if f.changed]

    @property
    def hand_fixes(self) -> list[Site]:
        """The sites left for a person to fix."""
        return [site for f in self.files for site in f.hand_fixes]

    @property
    def errors(self) -> list[Site]:
        """The files that could not be read, parsed or written."""
        return [f.error for f in self.files if f.error is not None]

    @property
    def unreadable(self) -> list[Site]:
        """The files that could not be read, decoded or parsed (skipped)."""
        return [f.error for f in self.files if f.error is not None and f.unreadable]

    @property
    def ok(self) -> bool:
        """Nothing left to fix by hand, and every file could be read."""
        return not self.hand_fixes and not self.errors

    def summary(self) -> str:
        """``Fixed 12 imports and 5 strings in 7 files; 1 site needs a hand fix.``"""
        changed = self.changed
        imports = sum(f.imports for f in changed)
        strings = sum(f.strings for f in changed)
        verb = "Fixed" if self.written else "Would fix"
        text = (
            f"{verb} {_count(imports, 'import')} and {_count(strings, 'string')} "
            f"in {_count(len(changed), 'file')}"
        )
        hand = len(self.hand_fixes)
        if hand:
            text += f"; {_count(hand, 'site')} {'needs' if hand == 1 else 'need'} a hand fix"
        errors = len(self.errors)
        if errors:
            text += f"; {_count(errors, 'file')} could not be fixed"
        return text + "."


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


# --- the use case ------------------------------------------------------------------------


def fix_paths(
    opened: OpenProject,
    paths: Sequence[Path] | None = None,
    *,
    write: bool = True,
    cwd: Path | None = None,
) -> FixReport:
    """Fix every Python file of ``paths`` (default: :func:`default_paths`).

    With ``write=False`` nothing is written: the report holds what each file would become.
    """
    cwd = cwd or Path.cwd()
    rules = FileRules.compile(opened.project)
    files = python_files(paths if paths else default_paths(opened.project))

    # fix_safety: plan once, refuse what would close a cycle or break a kept contract.
    def plan(path: Path, veto: Veto | None) -> tuple[str, str]:
        planned = fix_file(rules, path, "", write=False, veto=veto)
        return planned.before, planned.after

    vetoes = safe_vetoes(opened, [(p, rules.module_of(str(p))) for p in files], plan)
    results = [
        fix_file(rules, path, display_path(path, cwd), write=write, veto=vetoes.get(path))
        for path in files
    ]
    return FixReport(results, written=write)


def fix_file(
    rules: FileRules, path: Path, display: str, *, write: bool, veto: Veto | None = None
) -> FileResult:
    """Fix one file; write it (atomically) only when ``write`` and it changes."""
    result = FileResult(path, display)
    try:
        data = read_source(path)
    except OSError as error:
        result.error = Site(display, 1, 1, BadFile.from_os_error(path, error).why)
        result.unreadable = True
        return result
    try:
        text = decode_source(data, display)
    except SourceError as error:
        result.error = Site(display, error.line or 1, 1, error.message)
        result.unreadable = True
        return result
    result.before = result.after = text
    index = rules.deprecations
    if not index.could_mention(text, rules.package_of(str(path))):
        return result
    try:
        fixed = fix_source(text, index, rules.module_of(str(path)), display, veto=veto)
    except SourceError as error:
        result.error = Site(display, error.line or 1, 1, f"{error.message}; file skipped")
        result.unreadable = True
        return result
    except FixError as error:
        result.error = Site(display, error.line or 1, 1, f"{error.message}; file left unchanged")
        return result
    result.hand_fixes = fixed.hand_fixes
    if fixed.text == text:
        return result
    try:
        new_data = encode_like(data, text, fixed.text)
    except ValueError as error:
        result.error = Site(display, 1, 1, f"{error}; file left unchanged")
        return result
    if write:
        try:
            replace_file(path, new_data, data)
        except FileChanged:
            result.error = Site(display, 1, 1, "changed on disk while being fixed; left as it is")
            return result
        except OSError as error:
            result.error = Site(display, 1, 1, f"cannot write: {error.strerror or error}")
            return result
    result.after = fixed.text
    result.imports, result.strings = fixed.imports, fixed.strings
    return result


def fix_source(
    text: str,
    index: DeprecationIndex,
    module: ModuleName | None,
    display: str = "<source>",
    *,
    rewriter: Rewriter | None = None,
    veto: Veto | None = None,
) -> FixedSource:
    """``text`` with every deprecated import and string reference it can fix rewritten.

    ``module`` is the module the text belongs to (for relative imports). ``rewriter`` is the
    libcst rewriter; tests pass a broken one to see that a bad result is never returned.

    Raises:
        SourceError: ``text`` does not parse.
        FixError: the rewritten text would not parse, or would not be stable; or libcst
            cannot parse ``text``.
    """
    tree = parse_source(text, display)
    plan = _plan(tree, text, index, module, display, veto)
    fixed = FixedSource(text, hand_fixes=list(plan.hand_fixes))
    if not plan.groups:
        return fixed
    try:
        rewrite = rewriter or rewrite_source
        rewritten = rewrite(text, [g.edits for g in plan.groups], tree)
    except RewriteError as error:
        raise FixError(None, str(error)) from None
    for number, reason in rewritten.refused.items():
        group = plan.groups[number]
        fixed.hand_fixes.append(Site(display, group.line, group.col + 1, f"{group.what}: {reason}"))
    fixed.hand_fixes.sort(key=lambda s: (s.line, s.col))
    if not rewritten.applied:
        return fixed
    new_text = rewritten.code
    try:
        new_tree = parse_source(new_text, display)
    except SourceError as error:
        raise FixError(error.line, f"the fixed file would not parse ({error.message})") from None
    problem = check_parses(new_text, display)
    if problem is not None:
        raise FixError(None, f"the fixed file would not parse ({problem})")
    again = _plan(new_tree, new_text, index, module, display, veto)
    if len(again.groups) != len(rewritten.refused):
        # Planning again must find only what was refused: anything else means a replacement
        # is itself deprecated, and a second run would change the file again.
        refused = {(plan.groups[n].what, plan.groups[n].line) for n in rewritten.refused}
        extra = next((g for g in again.groups if (g.what, g.line) not in refused), None)
        where = f": `{extra.what}` would change again" if extra is not None else ""
        raise FixError(
            extra.line if extra is not None else None,
            f"the fix is not stable{where} (is a replacement deprecated too?)",
        )
    fixed.text = new_text
    for number in rewritten.applied:
        for edit in plan.groups[number].edits:
            if isinstance(edit, ImportEdit):
                fixed.imports += 1
            elif isinstance(edit, StringEdit):
                fixed.strings += 1
    return fixed


# --- deciding what to rewrite ------------------------------------------------------------


@dataclass(frozen=True)
class _Group:
    """Edits made together or not at all, and the site that names them in messages."""

    edits: list[Edit]
    line: int
    col: int
    what: str


@dataclass
class _Plan:
    groups: list[_Group] = field(default_factory=list)
    hand_fixes: list[Site] = field(default_factory=list)


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


def _plan(
    tree: ast.Module,
    text: str,
    index: DeprecationIndex,
    module: ModuleName | None,
    display: str,
    veto: Veto | None = None,
) -> _Plan:
    plan = _Plan()
    if not index:
        return plan
    pos = _Columns(text)

    def hand(line: int, col: int, reason: str) -> None:
        plan.hand_fixes.append(Site(display, line, col + 1, reason))

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
                record.line,
                record.col,
                f"{shown}: {deprecation.old} was removed{_why(deprecation)}; "
                "there is no replacement to write",
            )
            continue
        moved = index.below(record.module) if record.name == "*" else ()
        if moved:
            olds = ", ".join(d.old for d in moved)
            hand(
                record.line,
                record.col,
                f"{shown}: names below {record.module} moved to different places ({olds}); "
                "import them by name",
            )
            continue
        target = new.module if new.module is not None else new.name
        if module is not None and target == module.name:
            hand(
                record.line,
                record.col,
                f"{shown}: the replacement `{new}` would import this module from itself",
            )
            continue
        refused = veto(record, new) if veto is not None else None  # fix_safety
        if refused is not None:
            hand(record.line, record.col, f"{shown}: {refused}")
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
            plan.groups.append(_Group([edit], record.line, record.col, shown))

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
        plan.groups.append(_Group([edit_s], ref.line, ref.col, shown))
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
    plan: _Plan,
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
            plan.groups.append(_Group(edits + chains, first.line, first.col, _shown(first)))
            continue
        for p in found:
            hand(
                p.record.line,
                p.record.col,
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
