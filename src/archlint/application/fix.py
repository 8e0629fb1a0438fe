"""``archlint fix``: rewrite deprecated imports and module paths in strings to their replacements.

What is rewritten, and what is left as a hand fix, is decided by :mod:`archlint.rewrite.plan`
(with the flake8 plugin's own code); the edits are made by :mod:`archlint.rewrite.imports`.
This module runs that over files and says what happened to each.

Nothing is lost: a file with nothing to change is not written; the new text must parse (with
:mod:`ast` and libcst) and be stable (planning again on it finds nothing more to do), and its
bytes must read back as that text in the file's own encoding, before it is written. It is
written by :func:`archlint.rewrite.replace.replace_file`, which never overwrites an edit made
since the file was read. Nothing is written outside the project: a file whose real path (links
followed) is not below the project's folder is reported and skipped. A read-only file, a file
that is not a regular file, and a file too deeply nested for the parsers are reported and
skipped too, each with one line.
"""

from __future__ import annotations

import ast
import os
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from archlint.application.file_rules import FileRules
from archlint.application.files import PathNotFound, default_paths, display_path, python_files
from archlint.application.fix_safety import Veto, safe_vetoes
from archlint.application.fix_skips import Skips
from archlint.application.lint import climbing_import_in
from archlint.application.project import OpenProject
from archlint.domain.deprecations import DeprecationIndex
from archlint.domain.wording import counted
from archlint.rewrite.files import check_parses, encode_like
from archlint.rewrite.imports import Edit, ImportEdit, RewriteError, Rewritten, StringEdit
from archlint.rewrite.imports import rewrite_source as rewrite_source
from archlint.rewrite.plan import HandFix, plan_edits
from archlint.rewrite.replace import (
    FileChanged,
    NotWritable,
    Replaced,
    read_file,
    replace_file,
    writable,
)
from archlint.scanning.modules import ModuleName
from archlint.scanning.source import SourceError, decode_source, parse_source

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
    #: Sites left alone on purpose: planned moves (see :mod:`.fix_skips`).
    skipped: list[Site] = field(default_factory=list)


@dataclass
class FileResult:
    """What fixing one file did."""

    path: Path
    display: str
    #: The file's bytes as read, and as fixed (the same when nothing changes).
    before: bytes = b""
    after: bytes = b""
    imports: int = 0
    strings: int = 0
    hand_fixes: list[Site] = field(default_factory=list)
    #: Sites left alone on purpose: planned moves (see :mod:`.fix_skips`).
    skipped: list[Site] = field(default_factory=list)
    #: Why the file could not be read, parsed or written (it was left as it was).
    error: Site | None = None
    #: The old file, once replaced, until its last look (see :meth:`settle`).
    replaced: Replaced | None = None
    #: True when ``error`` says the file could not be read, decoded or parsed.
    unreadable: bool = False

    def settle(self) -> None:
        """Take the last look at the file this one replaced (see
        :mod:`archlint.rewrite.replace`): a write that reached it is saved and reported."""
        replaced, self.replaced = self.replaced, None
        if replaced is None:
            return
        saved = replaced.settle()
        if saved is not None:
            self.error = Site(self.display, 1, 1, saved)

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
    def skipped(self) -> list[Site]:
        """The sites left alone on purpose (planned moves): not hand fixes."""
        return [site for f in self.files for site in f.skipped]

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
            f"{verb} {counted(imports, 'import')} and {counted(strings, 'string')} "
            f"in {counted(len(changed), 'file')}"
        )
        hand = len(self.hand_fixes)
        if hand:
            text += f"; {counted(hand, 'site')} {'needs' if hand == 1 else 'need'} a hand fix"
        skipped = len(self.skipped)
        if skipped:
            text += f"; {counted(skipped, 'site')} skipped (planned moves)"
        errors = len(self.errors)
        if errors:
            text += f"; {counted(errors, 'file')} could not be fixed"
        return text + "."


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
    A file reached twice (through a link inside the project and by its own name) is fixed
    once.
    """
    cwd = cwd or Path.cwd()
    rules = FileRules.compile(opened.project)
    root = os.path.realpath(opened.project.root)
    files = python_files(paths if paths else default_paths(opened.project))

    # fix_safety: plan once, refuse what would close a cycle or break a kept contract.
    def plan(path: Path, veto: Veto | None) -> tuple[str, str]:
        planned = fix_file(rules, path, "", write=False, root=root, veto=veto)
        if planned.error is not None or not planned.changed:
            return "", ""
        try:
            return decode_source(planned.before, ""), decode_source(planned.after, "")
        except SourceError:
            return "", ""

    vetoes = safe_vetoes(opened, [(p, rules.module_of(str(p))) for p in files], plan)
    results: list[FileResult] = []
    pending: deque[FileResult] = deque()
    try:
        for path in files:
            display = display_path(path, cwd)
            veto = vetoes.get(path)
            result = fix_file(rules, path, display, write=write, root=root, veto=veto)
            results.append(result)
            if result.replaced is not None:
                pending.append(result)
                if len(pending) > _MAX_PENDING:
                    pending.popleft().settle()
    finally:
        # The last look at each replaced file, as late as possible: at the end of the run.
        for result in pending:
            result.settle()
    return FixReport(results, written=write)


#: Replaced files held open for their last look at once, at most (a bound on descriptors).
_MAX_PENDING = 256


def fix_file(
    rules: FileRules,
    path: Path,
    display: str,
    *,
    write: bool,
    root: str | None = None,
    veto: Veto | None = None,
) -> FileResult:
    """Fix one file; write it only when ``write`` and it changes.

    ``root`` is the project's folder (real path): a file whose real path is not below it is
    skipped.
    """
    result = FileResult(path, display)

    def fail(line: int | None, message: str, *, unreadable: bool = False) -> FileResult:
        result.error = Site(display, line or 1, 1, message)
        result.unreadable = unreadable
        result.after = result.before
        result.imports = result.strings = 0
        return result

    if root is not None:
        outside = _outside(path, root)
        if outside is not None:
            return fail(1, outside)
    try:
        read = read_file(path)
    except NotWritable as error:
        return fail(1, f"{error}; skipped", unreadable=True)
    except OSError as error:
        return fail(1, f"cannot read: {error.strerror or error}", unreadable=True)
    data = result.before = result.after = read.data
    try:
        text = decode_source(data, display)
    except SourceError as error:
        return fail(error.line, error.message, unreadable=True)
    index = rules.deprecations
    if not index.could_mention(text, rules.package_of(str(path))):
        return result
    try:
        fixed = fix_source(text, index, rules.module_of(str(path)), display, rules=rules, veto=veto)
    except SourceError as error:
        return fail(error.line, f"{error.message}; file skipped", unreadable=True)
    except FixError as error:
        return fail(error.line, f"{error.message}; file left unchanged")
    except (RecursionError, MemoryError):
        # Every walk is guarded where it happens; this is the last line of defence.
        return fail(1, "too deeply nested to fix; file skipped")
    result.hand_fixes = fixed.hand_fixes
    result.skipped = fixed.skipped
    if fixed.text == text:
        return result
    try:
        new_data = encode_like(data, text, fixed.text)
    except ValueError as error:
        return fail(1, f"{error}; file left unchanged")
    why = writable(read)
    if why is not None:
        # Its mode is the user saying "do not change this file": shown, not written, and not
        # in the diff either, so that the diff is what fix would write.
        return fail(1, f"{why}; not written (make it writable to fix it)")
    if write:
        try:
            result.replaced = replace_file(path, new_data, read)
        except (FileChanged, NotWritable) as error:
            return fail(1, str(error))
        except OSError as error:
            return fail(1, f"cannot write: {error.strerror or error}; left as it was")
    result.after = new_data
    result.imports, result.strings = fixed.imports, fixed.strings
    return result


def _outside(path: Path, root: str) -> str | None:
    """Why ``path`` is outside the project whose real folder is ``root``, or None."""
    real = os.path.realpath(path)
    if real == root or real.startswith(root.rstrip(os.sep) + os.sep):
        return None
    if os.path.islink(path):
        return f"a link to {real}, outside the project; skipped"
    if os.path.realpath(path.parent) != os.path.abspath(path.parent):
        return f"in a linked folder, at {real}, outside the project; skipped"
    return "outside the project; skipped"


def fix_source(
    text: str,
    index: DeprecationIndex,
    module: ModuleName | None,
    display: str = "<source>",
    *,
    rewriter: Rewriter | None = None,
    rules: FileRules | None = None,
    veto: Veto | None = None,
) -> FixedSource:
    """``text`` with every deprecated import and string reference it can fix rewritten.

    ``module`` is the module the text belongs to (for relative imports). ``rewriter`` is the
    libcst rewriter; tests pass a broken one to see that a bad result is never returned.
    With ``rules``, sites under ``# noqa``, planned moves and removed imports are left out
    of the plan first (:mod:`.fix_skips`). ``veto`` may refuse an import rewrite (see
    :mod:`.fix_safety`).

    Raises:
        SourceError: ``text`` does not parse.
        FixError: the rewritten text would not parse, or would not be stable; or libcst
            cannot parse ``text``.
    """
    tree = parse_source(text, display)
    climbing = climbing_import_in(rules, module, display, tree) if rules is not None else None
    if climbing is not None:
        # A bad file in every face (lint and check name it): never rewritten.
        raise _ClimbingImport(display, *climbing)
    # Sites under noqa, planned moves and removed imports are left out of the plan.
    skips = Skips(rules, index, text, tree, module) if rules is not None else None
    plan = plan_edits(tree, text, skips.index if skips else index, module, veto)
    fixed = FixedSource(text, hand_fixes=[_site(display, h) for h in plan.hand_fixes])
    if skips is not None:
        fixed.hand_fixes += [Site(display, n, c + 1, why) for n, c, why in skips.removed()]
        fixed.skipped = [Site(display, n, c + 1, why) for n, c, why in skips.planned()]
    fixed.hand_fixes = _one_per_place(fixed.hand_fixes)
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
    fixed.hand_fixes = _one_per_place(fixed.hand_fixes)
    if not rewritten.applied:
        return fixed
    new_text = rewritten.code
    try:
        new_tree = parse_source(new_text, display)
    except SourceError as error:
        raise FixError(error.line, f"the fixed file would not parse ({error.message})") from None
    problem = check_parses(new_text)
    if problem is not None:
        raise FixError(None, f"the fixed file would not parse ({problem})")
    again_index = (
        Skips(rules, index, new_text, new_tree, module).index if rules is not None else index
    )
    again = plan_edits(new_tree, new_text, again_index, module, veto)
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
    # One finding per statement and replacement statement (what lint and check count as a
    # fixable site), not one per imported name.
    statements: set[tuple[object, bool, str | None]] = set()
    for number in rewritten.applied:
        for edit in plan.groups[number].edits:
            if isinstance(edit, ImportEdit):
                statements.add((edit.statement, edit.new.module is None, edit.new.module))
            elif isinstance(edit, StringEdit):
                fixed.strings += 1
    fixed.imports = len(statements)
    return fixed


class _ClimbingImport(SourceError):
    """A relative import above the top-level package: the file is skipped, as lint skips it."""

    def __init__(self, path: str, line: int, why: str) -> None:
        super().__init__(path, line, why)
        self.message = why


def _one_per_place(sites: list[Site]) -> list[Site]:
    """The hand fixes sorted, those of one statement made one: a statement is one finding in
    every face, so it is one hand fix, whose reason names each of its names that needs one."""
    merged: dict[tuple[int, int], Site] = {}
    for site in sorted(sites, key=lambda s: (s.line, s.col)):
        key = (site.line, site.col)
        first = merged.get(key)
        if first is None:
            merged[key] = site
        elif site.reason not in first.reason.split("; "):
            merged[key] = replace(first, reason=f"{first.reason}; {site.reason}")
    return list(merged.values())


def _site(display: str, hand: HandFix) -> Site:
    return Site(display, hand.line, hand.col, hand.reason)
