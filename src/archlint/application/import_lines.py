"""The import statements of a file, parsed from their own lines instead of the whole file.

``archlint check`` already has, in grimp's graph, the line of every import statement of a
project module. When the per-file rules need only those statements (no string reference, no
shim, every deprecated path the file could name a module of the graph), the file's tree is
replaced by one holding just them: each statement is parsed alone, at its own line numbers
and columns, below stand-in headers (``if TYPE_CHECKING:``, ``def _():``) that give it the
context the lines above it give in the file. That is what the per-file rules read of a tree
(:func:`archlint.scanning.imports.scan_imports`), so the findings are the same.

Whenever a statement cannot be read this way for certain (a context the lines above do not
tell for sure, a statement that does not parse alone, such as ``else: import a``), the
answer is None and the caller parses the whole file.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Iterable

from archlint.backend.sites import context_from_lines

#: Python's line ends: what numbers the lines (``str.splitlines`` knows more).
_LINE_END = re.compile(rb"\r\n|\r|\n")
#: How many lines one statement may span before the whole file is parsed instead.
_MAX_SPAN = 40


def import_statements(text: str, lines: Iterable[int]) -> ast.Module | None:
    """A module holding the import statements that start at ``lines`` of ``text``, each at
    its place and in its context; None when one of them cannot be read alone."""
    wanted = sorted(set(lines))
    if not wanted:
        return ast.Module(body=[], type_ignores=[])
    # Bytes, as the parser reads a file: columns are UTF-8 offsets either way.
    data = text.encode("utf-8", "surrogatepass")
    # Most files end their lines with \n alone: bytes.split is many times faster than re.
    source = tuple(_LINE_END.split(data) if b"\r" in data else data.split(b"\n"))
    body: list[ast.stmt] = []
    covered = 0  # the last line of the statements parsed so far
    # As parse_source: what follows a statement on its line may warn (an invalid escape is a
    # SyntaxWarning on Python 3.12, shown by default); the parser keeps that to itself.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for number in wanted:
            if number <= covered:
                continue  # a line inside a statement already parsed (``try: import a`` ...)
            if number < 1 or number > len(source):
                return None
            parsed = _statement_at(source, number)
            if parsed is None:
                return None
            statements, last = parsed
            body.extend(statements)
            covered = last
    return ast.Module(body=body, type_ignores=[])


def _statement_at(source: tuple[bytes, ...], number: int) -> tuple[list[ast.stmt], int] | None:
    """The statements on the logical line starting at line ``number``, parsed at their
    place, and the last line they take; None when that cannot be done for certain."""
    site = context_from_lines(source, number)
    if site is None:
        return None
    first = source[number - 1]
    if number <= 2 and b"coding" in first:
        return None  # a line the parser would read as an encoding declaration
    indent = first[: len(first) - len(first.lstrip())]
    headers = []
    if site.type_checking:
        headers.append(b"if TYPE_CHECKING:")
    if site.lazy:
        headers.append(b"def _():")
    if indent and not headers:
        headers.append(b"if 1:")  # a block that changes nothing, for the indentation
    # Each header one level deeper, indented with the file's own characters (no TabError).
    if len(headers) > len(indent) or len(headers) >= number:
        return None
    prefix = b"".join(indent[:level] + header + b"\n" for level, header in enumerate(headers))
    for last in range(number, min(number + _MAX_SPAN, len(source) + 1)):
        fragment = prefix + b"\n".join(source[number - 1 : last]) + b"\n"
        try:
            tree = ast.parse(fragment)
        except (SyntaxError, ValueError):
            continue  # an open bracket or a continuation: take the next line too
        # Moved down to its place afterwards: blank lines in front cost the tokenizer more
        # than renumbering the few nodes. The headers stay around the statements: they are
        # the context the rules read.
        ast.increment_lineno(tree, number - 1 - len(headers))
        return tree.body, last
    return None
