"""The names a module defines at its top level, read statically.

Used to tell whether ``from a.b import Name`` can work: the name must be defined there (a
``def``, a ``class``, an assignment), imported there, or re-exported there.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field


@dataclass
class ModuleNames:
    """What a module binds at its top level."""

    names: set[str] = field(default_factory=set)
    #: Modules whose every public name this module re-exports (``from x import *``),
    #: resolved to absolute names where they are relative.
    star_imports: list[str] = field(default_factory=list)
    #: A module-level ``__getattr__`` answers any name: nothing can be ruled out.
    dynamic: bool = False


def _targets(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, (ast.Tuple, ast.List)):
        return [n for elt in node.elts for n in _targets(elt)]
    if isinstance(node, ast.Starred):
        return _targets(node.value)
    return []


def _resolve(node: ast.ImportFrom, package: str) -> str | None:
    if not node.level:
        return node.module
    parts = package.split(".")
    if node.level - 1 > len(parts) - 1:
        return None
    base = parts[: len(parts) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def module_names(tree: ast.Module, package: str) -> ModuleNames:
    """The names ``tree`` binds at module level (in any ``if``/``try``/``with`` block too).

    ``package`` is the package relative imports are resolved against (the module itself for
    an ``__init__.py``, its parent otherwise).
    """
    found = ModuleNames()
    stack: list[list[ast.stmt]] = [tree.body]
    while stack:
        for node in stack.pop():
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                found.names.add(node.name)
                if node.name == "__getattr__":
                    found.dynamic = True
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    found.names.update(_targets(target))
            elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
                found.names.update(_targets(node.target))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    found.names.add(alias.asname or alias.name.split(".")[0])
            elif isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if alias.name == "*":
                        module = _resolve(node, package)
                        if module is None:
                            found.dynamic = True
                        else:
                            found.star_imports.append(module)
                    else:
                        found.names.add(alias.asname or alias.name)
            elif isinstance(node, (ast.If, ast.For, ast.AsyncFor, ast.While)):
                stack.extend([node.body, node.orelse])
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                stack.append(node.body)
            elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
                stack.extend([node.body, node.orelse, node.finalbody])  # type: ignore[attr-defined]
                stack.extend(h.body for h in node.handlers)  # type: ignore[attr-defined]
    return found
