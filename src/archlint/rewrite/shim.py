"""The module ``archlint move`` leaves at the old path: it only re-exports the new one.

A shim keeps code outside the project working for a deprecation window: it imports the new
module's public names, lists them in ``__all__`` and (by default) warns with a
``DeprecationWarning`` that names the new path. It holds nothing else.
"""

from __future__ import annotations

import ast
import json

__all__ = ["public_names", "shim_text"]


def _static_all(tree: ast.Module) -> list[str] | None:
    """The names of a literal ``__all__ = [...]`` (or tuple) at module level, if any."""
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
        ) or (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == "__all__"
            and node.value is not None
        ):
            value = node.value
        else:
            continue
        if isinstance(value, (ast.List, ast.Tuple)) and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts
        ):
            return [
                e.value
                for e in value.elts
                if isinstance(e, ast.Constant) and isinstance(e.value, str)
            ]
        return None
    return None


def public_names(tree: ast.Module, internal: str) -> list[str] | None:
    """The names a shim must re-export, sorted; None when they cannot be known statically
    (a computed ``__all__``).

    A literal ``__all__`` decides. Otherwise: every name the module defines at top level (a
    ``def``, a ``class``, an assignment) not starting with ``_``, and names it imports from
    inside the project (``internal``, its root package), which are its re-exports; names it
    imports from elsewhere (``Decimal``, ``annotations``) are not its own.
    """
    declared = _static_all(tree)
    if declared is not None:
        return sorted(set(declared))
    if any(
        isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and "__all__" in ast.dump(node)
        for node in tree.body
    ):
        return None
    names: set[str] = set()
    blocks: list[list[ast.stmt]] = [tree.body]
    while blocks:
        for node in blocks.pop():
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Assign):
                names.update(
                    n.id for t in node.targets for n in ast.walk(t) if isinstance(n, ast.Name)
                )
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
            elif isinstance(node, ast.ImportFrom):
                inside = node.level > 0 or (node.module or "").split(".")[0] == internal
                if inside:
                    names.update((a.asname or a.name) for a in node.names if a.name != "*")
            elif isinstance(node, ast.If):
                blocks += [node.body, node.orelse]
            elif isinstance(node, ast.Try):
                blocks += [node.body, node.orelse, node.finalbody, *[h.body for h in node.handlers]]
    return sorted(n for n in names if not n.startswith("_"))


def shim_text(old: str, new: str, names: list[str] | None, *, warn: bool = True) -> str:
    """The text of the shim at ``old`` re-exporting ``names`` from ``new`` (every public name
    with a star import when ``names`` is None)."""
    lines = [
        f'"""Deprecated: moved to ``{new}``.',
        "",
        "This shim only re-exports it so that code outside the project keeps working for a",
        f"while; import from ``{new}`` instead. Written by ``archlint move``.",
        '"""',
        "",
    ]
    if warn:
        lines += ["import warnings", ""]
    if names is None:
        lines += [f"from {new} import *  # noqa: F403"]
    elif names:
        lines += [f"from {new} import ("]
        lines += [f"    {name}," for name in names]
        lines += [")", "", "__all__ = ["]
        lines += [f"    {json.dumps(name)}," for name in names]
        lines += ["]"]
    else:
        lines += [f"import {new}  # noqa: F401", "", "__all__: list[str] = []"]
    if warn:
        message = json.dumps(f"{old} is deprecated: import from {new} instead")
        lines += [
            "",
            "warnings.warn(",
            f"    {message},",
            "    DeprecationWarning,",
            "    stacklevel=2,",
            ")",
        ]
    return "\n".join(lines) + "\n"
