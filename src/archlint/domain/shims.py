"""Shims: what may stay at a deprecated module path, and what has grown there since.

A **shim** is a module that is the ``old`` of a ``[[deprecations]]`` entry (or lies below it)
and still exists, while the entry's ``new`` resolves: it stands in for ``new`` for a
deprecation window, so that code outside the project keeps working. ``archlint move`` writes
one (:mod:`archlint.rewrite.shim`). A shim only re-exports; every statement below is allowed
at module level, and nothing else (:func:`grown_code`):

- a docstring, or any other bare string;
- ``import`` and ``from ... import ...`` of any form: ``__future__``, ``as``, ``*``;
- ``__all__``, ``__getattr__`` and ``__dir__`` assigned anything (a literal list, another
  module's ``__all__``, ``lazy_loader.attach(...)``); an alias ``Old = New`` or
  ``Old = module.New``; ``None``; a literal (strings, numbers, and lists, tuples, sets and
  dicts of them) bound to a private ``_name`` (the table a ``__getattr__`` reads);
  ``sys.modules[...] = ...`` bound to a name or an ``import_module(...)``;
- a call to ``warn(...)`` (``warnings.warn``, a bare ``warn``) with plain arguments:
  literals, names, f-strings, ``"...".format(...)``; the category is not judged;
- ``def __getattr__`` and ``def __dir__``, whatever they hold (the lazy re-export of PEP 562);
- ``if`` on a plain test (``TYPE_CHECKING``, ``sys.version_info >= ...``) whose branches
  hold only these statements;
- ``try`` whose handlers catch only ``ImportError`` / ``ModuleNotFoundError``, all of whose
  blocks hold only these statements;
- ``del NAME``, ``pass``, and ``raise`` with plain arguments (a tombstone's ``ImportError``).

Anything else is code of the shim's own (a class, another function, an assignment that
computes, a loop, a call): ARC004. This module reads the AST only; it never imports anything.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from .codes import CODES
from .deprecations import DeprecationIndex, Match
from .expressions import is_in_package

__all__ = [
    "Growth",
    "Shim",
    "ShimFinding",
    "binds",
    "grown_code",
    "resolves",
    "shim_findings",
    "shim_of",
]

#: Names a shim may bind to anything: the module's public list and its PEP 562 hooks.
_LAZY_NAMES = frozenset({"__all__", "__getattr__", "__dir__"})
_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})
#: Expression nodes that compute nothing (calls are judged on their own).
_PLAIN = (
    ast.Constant,
    ast.Name,
    ast.Attribute,
    ast.JoinedStr,
    ast.FormattedValue,
    ast.BinOp,
    ast.BoolOp,
    ast.UnaryOp,
    ast.Compare,
    ast.Tuple,
    ast.List,
    ast.Set,
    ast.Dict,
    ast.Starred,
    ast.Subscript,
    ast.Slice,
    ast.expr_context,
    ast.operator,
    ast.boolop,
    ast.unaryop,
    ast.cmpop,
)
_LITERAL = (ast.Constant, ast.Tuple, ast.List, ast.Set, ast.Dict, ast.expr_context)


@dataclass(frozen=True, slots=True)
class Shim:
    """A module at a deprecated path, standing in for ``new``."""

    module: str
    #: The module (or name) it stands in for: the deprecation's ``new``, with the part of
    #: ``module`` below ``old`` appended.
    new: str
    match: Match


@dataclass(frozen=True, slots=True)
class Growth:
    """A statement of a shim that is code of its own."""

    line: int
    col: int
    #: What it is, for a message: ``class Helper``, ``function setup()``, ``for loop``.
    what: str


@dataclass(frozen=True, slots=True)
class ShimFinding:
    """An ARC004 finding: where, and the message after the code."""

    line: int
    col: int
    code: str
    message: str


def resolves(
    path: str,
    exists: Callable[[str], bool],
    internal: Callable[[str], bool],
    tree_of: Callable[[str], ast.Module | None],
) -> bool:
    """Whether ``path`` names something that exists: a module of the project, a name the
    top level of a project module binds (read with ``tree_of``, which gives None for a module
    it cannot read), or anything outside the project (which archlint cannot see, and takes
    on trust)."""
    if exists(path) or not internal(path):
        return True
    parent, _, name = path.rpartition(".")
    if not parent or not exists(parent):
        return False
    tree = tree_of(parent)
    return tree is not None and binds(tree, name)


def shim_of(index: DeprecationIndex, module: str, resolves: Callable[[str], bool]) -> Shim | None:
    """The shim ``module`` is, if it is one.

    ``module`` must be under a deprecation that has a ``new``, that ``new`` must resolve (see
    :func:`resolves`; a deprecation whose ``new`` does not exist yet is a planned move: the
    code at ``old`` is still the real thing), its chain of moves must not end in a removal
    (nothing is left to re-export), and ``module`` must not lie in ``new`` itself
    (``a.util`` moved to ``a.util.core`` leaves ``a.util.core`` real).
    """
    if not index:
        return None
    match = index.lookup(module)
    if match is None or match.deprecation.new is None:
        return None
    new = match.deprecation.new
    if is_in_package(module, new) or not resolves(new):
        return None
    replacement = match.new_path
    if replacement is None:
        return None  # moved to a path removed since: there is nothing left to re-export
    return Shim(module, replacement, match)


def _plain(node: ast.AST) -> bool:
    """True when evaluating ``node`` runs no code: literals, names, attributes, operators, and
    ``"...".format(...)`` of such. Walked without recursion (a huge expression is fine)."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            func = sub.func
            if not (
                isinstance(func, ast.Attribute)
                and func.attr == "format"
                and isinstance(func.value, ast.Constant)
                and isinstance(func.value.value, str)
            ):
                return False
        elif isinstance(sub, ast.keyword):
            continue
        elif not isinstance(sub, _PLAIN):
            return False
    return True


def _literal(node: ast.AST) -> bool:
    return all(isinstance(sub, _LITERAL) for sub in ast.walk(node))


def _alias(node: ast.AST) -> bool:
    """``Name`` or ``a.b.Name``: another binding of something imported."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def _names(target: ast.expr) -> list[str] | None:
    """The names a target binds, if it binds only names (``a``, ``a, b``)."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        names: list[str] = []
        for element in target.elts:
            inner = _names(element)
            if inner is None:
                return None
            names += inner
        return names
    return None


def _sys_modules(target: ast.expr) -> bool:
    return (
        isinstance(target, ast.Subscript)
        and isinstance(target.value, ast.Attribute)
        and target.value.attr == "modules"
        and isinstance(target.value.value, ast.Name)
        and target.value.value.id == "sys"
    )


def _import_module_call(value: ast.expr) -> bool:
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    return name == "import_module" and all(
        _plain(a) for a in [*value.args, *(k.value for k in value.keywords)]
    )


def _binding_allowed(targets: list[ast.expr], value: ast.expr | None) -> bool:
    if value is None:  # ``__all__: list[str]`` alone
        return all(_names(t) is not None for t in targets)
    if all(_sys_modules(t) for t in targets):
        return _alias(value) or _import_module_call(value)
    bound: list[str] = []
    for target in targets:
        names = _names(target)
        if names is None:
            return False
        bound += names
    if all(name in _LAZY_NAMES for name in bound):
        return True
    if _alias(value) or (isinstance(value, ast.Constant) and value.value is None):
        return True
    return _literal(value) and all(name.startswith("_") for name in bound)


def _warn_call(node: ast.expr) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name != "warn" or (isinstance(func, ast.Attribute) and not _alias(func)):
        return False
    return all(_plain(a) for a in [*node.args, *(k.value for k in node.keywords)])


def _catches_import_errors(handler: ast.ExceptHandler) -> bool:
    kinds = handler.type
    if kinds is None:
        return False
    elements = kinds.elts if isinstance(kinds, ast.Tuple) else [kinds]
    return all(
        (isinstance(e, ast.Name) and e.id in _IMPORT_ERRORS)
        or (isinstance(e, ast.Attribute) and e.attr in _IMPORT_ERRORS)
        for e in elements
    )


def _raise_allowed(node: ast.Raise) -> bool:
    for part in (node.exc, node.cause):
        if part is None:
            continue
        call = part
        if isinstance(call, ast.Call) and _alias(call.func):
            if not all(_plain(a) for a in [*call.args, *(k.value for k in call.keywords)]):
                return False
        elif not _plain(call):
            return False
    return True


def _describe(node: ast.stmt) -> str:
    if isinstance(node, ast.ClassDef):
        return f"class {node.name}"
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return f"function {node.name}()"
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        shown = ", ".join(_target_text(t) for t in targets)
        return f"assignment to {shown}"
    if isinstance(node, (ast.For, ast.AsyncFor)):
        return "for loop"
    if isinstance(node, ast.While):
        return "while loop"
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return "with block"
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        return f"call to {_target_text(node.value.func)}()"
    if isinstance(node, ast.If):
        return "if statement whose test runs code"
    if isinstance(node, ast.Try):
        return "try statement that catches more than ImportError"
    if isinstance(node, ast.Match):
        return "match statement"
    return f"{type(node).__name__.lower()} statement"


def _target_text(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_target_text(node.value)}.{node.attr}"
    return "an expression"


def _growth(node: ast.stmt) -> Growth:
    return Growth(node.lineno, node.col_offset, _describe(node))


def grown_code(body: list[ast.stmt]) -> list[Growth]:
    """Every statement of ``body`` (a module's) that a shim may not hold, in file order.

    Blocks a shim may hold (``if``, ``try``) are looked into: the statement reported is the
    innermost one that is code. Python allows at most 100 nested blocks, so the recursion
    is bounded.
    """
    found: list[Growth] = []
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom, ast.Pass)):
            continue
        if isinstance(node, ast.Expr):
            if isinstance(node.value, ast.Constant) or _warn_call(node.value):
                continue
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if node.name in ("__getattr__", "__dir__"):
                continue
        elif isinstance(node, ast.Assign):
            if _binding_allowed(list(node.targets), node.value):
                continue
        elif isinstance(node, ast.AnnAssign):
            if _binding_allowed([node.target], node.value):
                continue
        elif isinstance(node, ast.AugAssign):
            if _names(node.target) == ["__all__"]:
                continue
        elif isinstance(node, ast.Delete):
            if all(_names(t) is not None for t in node.targets):
                continue
        elif isinstance(node, ast.Raise):
            if _raise_allowed(node):
                continue
        elif isinstance(node, ast.If):
            if _plain(node.test):
                found += grown_code(node.body) + grown_code(node.orelse)
                continue
        elif isinstance(node, ast.Try) and all(_catches_import_errors(h) for h in node.handlers):
            found += grown_code(node.body)
            for handler in node.handlers:
                found += grown_code(handler.body)
            found += grown_code(node.orelse) + grown_code(node.finalbody)
            continue
        found.append(_growth(node))
    return found


def shim_findings(shim: Shim, tree: ast.Module) -> list[ShimFinding]:
    """ARC004 for a shim that grew code: one finding, at its first statement that is code,
    counting the others (a shim that became a whole module again is one problem, not one
    per line)."""
    grown = grown_code(tree.body)
    if not grown:
        return []
    first = grown[0]
    others = len(grown) - 1
    more = f" (and {others} more statement{'s' if others != 1 else ''})" if others else ""
    d = shim.match.deprecation
    since = f" since {d.since.isoformat()}" if d.since else ""
    message = CODES["ARC004"].message(
        module=shim.module, what=first.what, more=more, new=shim.new, old=d.old, since=since
    )
    code, text = message.split(" ", 1)
    return [ShimFinding(first.line, first.col, code, text)]


def binds(tree: ast.Module, name: str) -> bool:
    """Whether a module's top level (its ``if`` and ``try`` blocks included) may bind
    ``name``: defines, assigns or imports it, or has a star import or a ``__getattr__``
    that might provide it."""
    blocks: list[list[ast.stmt]] = [tree.body]
    while blocks:
        for node in blocks.pop():
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                if node.name in (name, "__getattr__"):
                    return True
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    bound = alias.asname or alias.name.split(".")[0]
                    if alias.name == "*" or bound == name:
                        return True
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(
                    isinstance(sub, ast.Name) and sub.id in (name, "__getattr__")
                    for t in targets
                    for sub in ast.walk(t)
                ):
                    return True
            elif isinstance(node, ast.If):
                blocks += [node.body, node.orelse]
            elif isinstance(node, ast.Try):
                blocks += [node.body, node.orelse, node.finalbody, *[h.body for h in node.handlers]]
            elif isinstance(node, (ast.With, ast.For, ast.While)):
                blocks += [node.body, getattr(node, "orelse", [])]
    return False
