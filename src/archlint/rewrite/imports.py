"""Applying import, attribute-chain and string edits to source text, with libcst.

What to change is decided elsewhere (:mod:`archlint.application.fix`, from the same records the
flake8 plugin reports); this module only carries the edits out on the concrete syntax tree, so
that everything it is not asked to change (comments, parentheses, line breaks, quotes, line
endings) comes out as it went in.

Edits are located by position, as :mod:`ast` reports them but with columns counted in
characters: libcst's own positions agree with :mod:`ast`'s for the nodes edited here (an import
statement, an imported name, an attribute chain, a string literal). Edits come in groups that
are applied all together or not at all: an ``import a.b`` and the ``a.b.X`` chains that use it
must change together, or the code breaks.

libcst only ever sees the statements that hold an edit: each is cut out of the file (the
smallest statement around the edit that has its lines to itself, out of its indentation),
parsed, rewritten and put back; every other line is copied from the file as it is. This keeps
the cost to the size of what changes (libcst parses about ten times slower than :mod:`ast`)
and leaves libcst no chance to touch anything else.

This module finds each edit's node and checks the edit can be made; the edit itself is
:mod:`archlint.rewrite.transform`'s.
"""

from __future__ import annotations

import ast
import bisect
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from archlint.domain.deprecations import Replacement
from archlint.rewrite.transform import Accepted, Transformer

__all__ = [
    "TOO_DEEP",
    "ChainEdit",
    "Edit",
    "ImportEdit",
    "Position",
    "RewriteError",
    "Rewritten",
    "StringEdit",
    "rewrite_source",
]

#: ``(line, column)``: line from 1, column from 0 in characters.
Position = tuple[int, int]


@dataclass(frozen=True, slots=True)
class ImportEdit:
    """Imported name number ``alias`` of the statement at ``statement`` becomes ``new``.

    In ``from m import a, b`` the names are ``a`` (0) and ``b`` (1); ``from m import *`` has
    one, ``*``. Names of one ``from`` statement that go to different modules are split into
    one statement per module, in the order they first appear; names without an edit stay
    with the statement as written.
    """

    statement: Position
    alias: int
    new: Replacement


@dataclass(frozen=True, slots=True)
class ChainEdit:
    """The dotted expression from ``start`` to ``end`` (``a.b.c`` in ``a.b.c.X``) becomes
    ``path``."""

    start: Position
    end: Position
    path: str


@dataclass(frozen=True, slots=True)
class StringEdit:
    """The string literal from ``start`` to ``end``, whose value is ``old``, becomes ``new``,
    with the same prefix and quotes."""

    start: Position
    end: Position
    old: str
    new: str


Edit = ImportEdit | ChainEdit | StringEdit


class RewriteError(Exception):
    """The text cannot be rewritten at all: it does not parse, or is too deeply nested."""


#: Why a statement nested deeper than libcst's walks can go is left alone.
TOO_DEEP = "the statement is too deeply nested for libcst to rewrite"


@dataclass
class Rewritten:
    """The text after the edits, and which groups of edits were applied or refused."""

    code: str
    applied: list[int] = field(default_factory=list)
    #: Group index -> why it was left alone.
    refused: dict[int, str] = field(default_factory=dict)


def rewrite_source(
    text: str, groups: Sequence[Sequence[Edit]], tree: ast.Module | None = None
) -> Rewritten:
    """Apply every group of edits that can be applied as a whole; leave the others out.

    Only the statements that hold an edit are parsed with libcst, rewritten and written back
    (the smallest statement around each edit that has its lines to itself, taken out of its
    indentation); every other line of ``text`` is copied as it is. ``tree`` is ``text``'s AST,
    if the caller has it.

    Raises:
        RewriteError: ``text`` does not parse.
    """
    if tree is None:
        try:
            # The parser's warnings are about the checked code, not about archlint (see
            # parse_source): never printed, never turned into errors by ``-W error``.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(text)
        except (SyntaxError, ValueError) as error:
            raise RewriteError(f"the file does not parse: {error}") from None
    lines = _LINES.findall(text)
    every = [edit for group in groups for edit in group]
    ranges = _Ranges(tree, lines).of([_line_of(edit) for edit in every])
    segments = {r: _Segment(r, lines) for r in dict.fromkeys(ranges.values())}
    where = iter(ranges[_line_of(edit)] for edit in every)

    result = Rewritten(text)
    for number, group in enumerate(groups):
        placed = [(segments[next(where)], edit) for edit in group]
        reasons = (segment.check(edit) for segment, edit in placed)
        reason = next((r for r in reasons if r is not None), None)
        if reason is not None:
            result.refused[number] = reason
            continue
        for segment, edit in placed:
            segment.accept(edit)
        result.applied.append(number)
    if result.applied:
        out: list[str] = []
        done = 0  # lines copied so far
        for segment in sorted(segments.values(), key=lambda s: s.first):
            if segment.plan.edits:
                out.extend(lines[done : segment.first - 1])
                try:
                    out.append(segment.rewritten())
                except (RecursionError, MemoryError):
                    raise RewriteError(TOO_DEEP) from None
                done = segment.last
        out.extend(lines[done:])
        result.code = "".join(out)
    return result


# A line with its line ending, as Python counts lines (``\n``, ``\r\n`` or ``\r``).
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_INDENT = re.compile(r"[ \t]*")
_LINE_TAIL = re.compile(r"[ \t]*(#[^\r\n]*)?(\r\n|\r|\n)?")

#: Lines ``first`` to ``last`` of the file, and the indentation they share.
_Range = tuple[int, int, str]


def _first_line(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", None)
    return min(node.lineno, *(d.lineno for d in decorators)) if decorators else node.lineno


def _last_line(node: ast.stmt) -> int:
    return node.end_lineno if node.end_lineno is not None else node.lineno


def _blocks(node: ast.stmt) -> list[ast.stmt]:
    """The statements nested directly in ``node``."""
    found: list[ast.stmt] = []
    for name in ("body", "orelse", "finalbody"):
        block = getattr(node, name, None)
        if isinstance(block, list):
            found.extend(block)
    for handler in getattr(node, "handlers", ()):
        found.extend(handler.body)
    for case in getattr(node, "cases", ()):
        found.extend(case.body)
    return found


class _Ranges:
    """The piece of text to hand to libcst for each edit: the smallest statement around it
    that has its lines to itself (it starts its first line, ends its last one, and every line
    in between starts with its indentation), else the top-level statements around it."""

    def __init__(self, tree: ast.Module, lines: list[str]) -> None:
        self.tree = tree
        self.lines = lines
        self.top: list[tuple[int, int]] = []
        for node in tree.body:
            first, last = _first_line(node), _last_line(node)
            if self.top and first <= self.top[-1][1]:  # statements sharing a line
                self.top[-1] = (self.top[-1][0], max(last, self.top[-1][1]))
            else:
                self.top.append((first, last))
        self.firsts = [first for first, _ in self.top]

    def _top_range(self, first: int, last: int) -> _Range:
        """The top-level statements covering lines ``first`` to ``last``."""
        i = max(bisect.bisect_right(self.firsts, first) - 1, 0)
        j = max(bisect.bisect_right(self.firsts, last) - 1, 0)
        return (min(self.top[i][0], first), max(self.top[j][1], last), "")

    def _own(self, node: ast.stmt) -> _Range | None:
        """``node``'s lines and indentation, when it has its lines to itself."""
        first, last = _first_line(node), _last_line(node)
        if last > len(self.lines):
            return None
        opening = self.lines[first - 1]
        indent = _INDENT.match(opening)
        assert indent is not None
        prefix = indent.group()
        decorators = getattr(node, "decorator_list", None)
        if decorators:
            if not opening.startswith("@", len(prefix)):
                return None
        elif node.col_offset != len(prefix):
            return None
        closing = self.lines[last - 1].encode("utf-8")
        end = node.end_col_offset if node.end_col_offset is not None else len(closing)
        if not _LINE_TAIL.fullmatch(closing[end:].decode("utf-8", errors="replace")):
            return None
        if prefix and not all(line.startswith(prefix) for line in self.lines[first - 1 : last]):
            return None
        return (first, last, prefix)

    def _around(self, line: int) -> _Range:
        chain: list[ast.stmt] = []
        body = self.tree.body
        while True:
            node = next((n for n in body if _first_line(n) <= line <= _last_line(n)), None)
            if node is None:
                break
            chain.append(node)
            body = _blocks(node)
        for node in reversed(chain[1:]):
            owned = self._own(node)
            if owned is not None:
                return owned
        return self._top_range(line, line)

    def of(self, lines: Iterable[int]) -> dict[int, _Range]:
        """The range for an edit on each of ``lines``; ranges never overlap."""
        wanted = {line: self._around(line) for line in lines}
        merged: list[_Range] = []
        for first, last, prefix in sorted(set(wanted.values()), key=lambda r: (r[0], -r[1])):
            current: _Range = (first, last, prefix)
            while merged and current[0] <= merged[-1][1]:
                outer = merged.pop()
                if current[1] <= outer[1]:
                    current = outer  # nested: the outer statement holds it
                else:
                    current = self._top_range(min(outer[0], current[0]), current[1])
            merged.append(current)
        starts = [r[0] for r in merged]
        return {line: merged[bisect.bisect_right(starts, r[0]) - 1] for line, r in wanted.items()}


def _line_of(edit: Edit) -> int:
    return edit.statement[0] if isinstance(edit, ImportEdit) else edit.start[0]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _start(where: CodeRange) -> Position:
    return (where.start.line, where.start.column)


def _span(where: CodeRange) -> tuple[Position, Position]:
    return (_start(where), (where.end.line, where.end.column))


_Chain = cst.Attribute | cst.Name
_ImportNode = cst.Import | cst.ImportFrom
_StringNode = cst.SimpleString | cst.ConcatenatedString | cst.FormattedString


class _Locator(cst.CSTVisitor):
    """Every node an edit may name, by position."""

    def __init__(self, positions: Mapping[cst.CSTNode, object]) -> None:
        super().__init__()
        self.positions = positions
        self.imports: dict[Position, _ImportNode] = {}
        self.chains: dict[tuple[Position, Position], _Chain] = {}
        self.strings: dict[tuple[Position, Position], _StringNode] = {}

    def _where(self, node: cst.CSTNode) -> CodeRange:
        where = self.positions[node]
        assert isinstance(where, CodeRange)
        return where

    def visit_Import(self, node: cst.Import) -> bool:
        self.imports[_start(self._where(node))] = node
        return False  # the dotted names inside are not expressions to rewrite

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        self.imports[_start(self._where(node))] = node
        return False

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.chains.setdefault(_span(self._where(node)), node)

    def visit_Name(self, node: cst.Name) -> None:
        self.chains.setdefault(_span(self._where(node)), node)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self.strings.setdefault(_span(self._where(node)), node)

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> None:
        self.strings[_span(self._where(node))] = node

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        self.strings.setdefault(_span(self._where(node)), node)


class _Segment:
    """A statement (or a run of them), out of its indentation, parsed with libcst."""

    def __init__(self, where: _Range, lines: list[str]) -> None:
        self.first, self.last, self.indent = where
        cut = len(self.indent)
        self.text = "".join(line[cut:] for line in lines[self.first - 1 : self.last])
        # libcst does not keep lone "\r" line endings (a file's last one is dropped): a
        # statement whose lines all end so is handed to it with "\n", and turned back after.
        self.lone_cr = "\r" in self.text and "\n" not in self.text
        if self.lone_cr:
            self.text = self.text.replace("\r", "\n")
        self.plan = Accepted()
        self.error: str | None = None
        self.module = cst.Module(body=[])
        self.nodes = _Locator({})
        try:
            self.module = cst.parse_module(self.text)
            if self.module.code != self.text:
                self.error = "libcst does not reproduce the statement exactly"
                return
            wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)
            self.nodes = _Locator(wrapper.resolve(PositionProvider))
            self.module.visit(self.nodes)
        except cst.ParserSyntaxError as error:
            self.error = f"libcst cannot parse the statement: {_one_line(str(error))}"
        except (RecursionError, MemoryError):
            # libcst walks its tree with Python recursion: some 150 nested calls are enough.
            self.error = TOO_DEEP

    def _here(self, where: Position) -> Position:
        """A position in the file as a position in this segment's text."""
        return (where[0] - self.first + 1, where[1] - len(self.indent))

    def check(self, edit: Edit) -> str | None:
        """Why ``edit`` cannot be made here, or None."""
        if self.error is not None:
            return self.error
        nodes = self.nodes
        if isinstance(edit, ImportEdit):
            return _check_import(nodes.imports.get(self._here(edit.statement)), edit, self.module)
        where = (self._here(edit.start), self._here(edit.end))
        if isinstance(edit, ChainEdit):
            if where not in nodes.chains:
                line, col = edit.start
                return f"cannot find the expression to rewrite at {line}:{col + 1}"
            return None
        return _check_string(nodes.strings.get(where), edit)

    def accept(self, edit: Edit) -> None:
        """Plan ``edit`` (already checked)."""
        plan, nodes = self.plan, self.nodes
        plan.edits += 1
        if isinstance(edit, ImportEdit):
            statement = nodes.imports[self._here(edit.statement)]
            plan.imports.setdefault(statement, {})[edit.alias] = edit.new
            return
        where = (self._here(edit.start), self._here(edit.end))
        if isinstance(edit, ChainEdit):
            plan.chains[nodes.chains[where]] = edit.path
        else:
            string = nodes.strings[where]
            assert isinstance(string, cst.SimpleString)
            plan.strings[string] = edit.new

    def rewritten(self) -> str:
        """The segment's text with the accepted edits made, back in its indentation."""
        code = self.module.visit(Transformer(self.plan)).code
        if self.lone_cr:
            code = code.replace("\n", "\r")
        if not self.indent:
            return code
        return "".join(self.indent + line for line in _LINES.findall(code))


def _check_import(node: _ImportNode | None, edit: ImportEdit, module: cst.Module) -> str | None:
    """Why ``edit`` cannot be made on ``node``, or None."""
    if node is None:
        line, col = edit.statement
        return f"cannot find the import statement at {line}:{col + 1}"
    new = edit.new
    if isinstance(node, cst.Import):
        if edit.alias >= len(node.names) or new.module is not None:
            return "the import statement is not the one expected"
        return None
    if isinstance(node.names, cst.ImportStar):
        if edit.alias != 0 or new.name != "*" or new.module is None:
            return "the import statement is not the one expected"
        return None
    if edit.alias >= len(node.names):
        return "the import statement is not the one expected"
    if new.module is None and "#" in module.code_for_node(node):
        # ``import x as y`` cannot hold the comments of a parenthesised ``from`` import.
        return f"`{new}` would lose the comments inside the statement"
    return None


_SAFE_TEXT = re.compile(r"[\w.:]*")


def _check_string(node: _StringNode | None, edit: StringEdit) -> str | None:
    """Why the string edit cannot be made, or None."""
    if node is None:
        return "cannot find the string to rewrite"
    if isinstance(node, cst.ConcatenatedString):
        return f"the string is written in several parts; write {edit.new!r} by hand"
    if not isinstance(node, cst.SimpleString):
        return "the string is an f-string"
    if "b" in node.prefix.lower() or node.evaluated_value != edit.old:
        return "the string is not the one expected"
    if not _SAFE_TEXT.fullmatch(edit.new):
        return f"{edit.new!r} cannot be written inside the same quotes"
    return None
