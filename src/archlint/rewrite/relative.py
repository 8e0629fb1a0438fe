"""Relative imports of moved code, rewritten so that they resolve as before from the new place.

``archlint move pkg.a.mod pkg.b.sub.mod``: in the moved file, ``from .helpers import h``
meant ``pkg.a.helpers``; from ``pkg.b.sub`` it would mean ``pkg.b.sub.helpers``. Each relative
``from`` import is resolved against the module's old name, and its target, moved along when it
lies inside the moved code, is written again:

- relative, from the new place, when the target moved too (the moved code keeps its shape);
- absolute otherwise (``from pkg.a.helpers import h``): the target stayed where it was, and a
  relative path climbing out of the new place and back down would hide that.

Only the module part between ``from`` and ``import`` changes; the names, their aliases,
parentheses and comments are kept byte for byte.
"""

from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass

from archlint.scanning.modules import ModuleName
from archlint.scanning.source import parse_source

__all__ = ["MovedName", "relative_spec", "rewrite_relative_imports"]


@dataclass(frozen=True, slots=True)
class MovedName:
    """What moved: every module named ``old`` or below it is now under ``new``."""

    old: str
    new: str

    def apply(self, module: str) -> str | None:
        """``module`` renamed by the move, or None when it did not move."""
        if module == self.old:
            return self.new
        if module.startswith(self.old + "."):
            return self.new + module[len(self.old) :]
        return None


def _package(module: ModuleName) -> list[str]:
    parts = module.name.split(".")
    return parts if module.is_package else parts[:-1]


def _resolve(package: list[str], level: int, name: str | None) -> str | None:
    if level > len(package):
        return None
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, name] if name else base)


def relative_spec(module: ModuleName, target: str) -> str | None:
    """The ``from`` part that names ``target`` relatively from ``module`` (``..a.b``), or None
    when they are in different top-level packages."""
    package = _package(module)
    parts = target.split(".")
    common = 0
    for a, b in zip(package, parts, strict=False):
        if a != b:
            break
        common += 1
    if common == 0:
        return None
    level = len(package) - common + 1
    return "." * level + ".".join(parts[common:])


def rewrite_relative_imports(
    text: str, old: ModuleName, new: ModuleName, moved: MovedName, display: str = "<source>"
) -> tuple[str, int]:
    """``text`` (the module once named ``old``, now ``new``) with every relative import that
    would resolve elsewhere from ``new`` written again; and how many were.

    Raises:
        SourceError: ``text`` does not parse.
    """
    tree = parse_source(text, display)
    old_package, new_package = _package(old), _package(new)
    edits: list[tuple[ast.ImportFrom, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or node.level == 0:
            continue
        target = _resolve(old_package, node.level, node.module)
        if target is None:
            continue  # did not resolve before the move either: leave it as it was
        renamed = moved.apply(target)
        wanted = renamed or target
        if _resolve(new_package, node.level, node.module) == wanted:
            continue  # resolves to the same place from the new one
        spec = (relative_spec(new, renamed) if renamed is not None else None) or wanted
        edits.append((node, spec))
    if not edits:
        return text, 0
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    result = text
    for node, spec in sorted(edits, key=lambda e: (e[0].lineno, e[0].col_offset), reverse=True):
        line = lines[node.lineno - 1]
        col = len(line.encode("utf-8")[: node.col_offset].decode("utf-8", errors="replace"))
        begin = starts[node.lineno - 1] + col
        first, last = _module_span(result[begin:])
        result = result[: begin + first] + f" {spec} " + result[begin + last :]
    return result, len(edits)


def _module_span(statement: str) -> tuple[int, int]:
    """In text starting with ``from``, the offsets between the end of ``from`` and the start
    of ``import``."""
    offsets = [0]
    for line in statement.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))
    first: int | None = None
    for token in tokenize.generate_tokens(io.StringIO(statement).readline):
        row, col = token.start
        at = offsets[row - 1] + col
        if token.type == tokenize.NAME and token.string == "from" and first is None:
            first = at + 4
        elif token.type == tokenize.NAME and token.string == "import" and first is not None:
            return first, at
    raise ValueError("not a from-import statement")
