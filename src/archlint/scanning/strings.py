"""String literals that name modules: ``import_module("a.b")``, ``mock.patch("a.b.C")``...

Renaming or moving a module leaves these strings behind, and import-based analysis cannot
see them, so they are reported apart as :class:`StringReference` objects.

Calls are recognised by the callee as written (a dotted chain of names), on its last one or
two components, because the same functions reach the code under many receivers
(``mock.patch``, ``unittest.mock.patch``, ``patch``, ``mocker.patch``). The file is never
imported, so what the names are bound to is not known; matching is syntactic.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from archlint.domain.imports import StringReference, StringRefKind

__all__ = ["scan_string_references"]


@dataclass(frozen=True)
class _Rule:
    """How one recognised callee passes a module reference."""

    kind: StringRefKind
    #: Keyword names under which the reference may be passed instead of positionally.
    keywords: tuple[str, ...]
    #: Whether the string must contain a dot: ``mock.patch`` and the string form of
    #: ``monkeypatch.setattr`` need ``"module.attr"``; anything else is not a reference.
    needs_dot: bool = False
    #: Whether a ``"module:attr"`` form is allowed (``pkgutil.resolve_name``).
    allows_colon: bool = False


_MODULE = _Rule(StringRefKind.MODULE, ("name",))
# By the last component of the callee: ``a.b.import_module(...)`` and ``import_module(...)``.
_BY_LAST: dict[str, _Rule] = {
    "import_module": _MODULE,
    "__import__": _MODULE,
    # ``importlib.util.find_spec(name)``; ``fullname`` for ``PathFinder.find_spec``.
    "find_spec": _Rule(StringRefKind.MODULE, ("name", "fullname")),
    "importorskip": _Rule(StringRefKind.MODULE, ("modname",)),
    "patch": _Rule(StringRefKind.TARGET, ("target",), needs_dot=True),
    "resolve_name": _Rule(StringRefKind.TARGET, ("name",), allows_colon=True),
}
# ``patch.dict`` and ``patch.multiple`` import their string argument as a whole dotted
# path, so ``"os"`` alone is valid there, unlike for ``patch``.
_PATCH_HELPERS: dict[str, _Rule] = {
    "dict": _Rule(StringRefKind.TARGET, ("in_dict",)),
    "multiple": _Rule(StringRefKind.TARGET, ("target",)),
}
# ``monkeypatch.setattr("a.b.name", value)`` / ``monkeypatch.delattr("a.b.name")``; the
# ``setattr(obj, "name", value)`` form has a non-string first argument and is ignored.
_MONKEYPATCH = _Rule(StringRefKind.TARGET, ("target",), needs_dot=True)
_MONKEYPATCH_METHODS = frozenset({"setattr", "delattr"})

# Every last component that can match: a cheap first filter before building the callee text.
_LAST_NAMES = frozenset(_BY_LAST) | frozenset(_PATCH_HELPERS) | _MONKEYPATCH_METHODS


def scan_string_references(tree: ast.Module) -> list[StringReference]:
    """List the string literals in ``tree`` passed to calls that take a module path.

    Kind MODULE (the string is a module name): ``importlib.import_module(s)``,
    ``__import__(s)``, ``importlib.util.find_spec(s)``, ``pytest.importorskip(s)``, under any
    receiver or none. Kind TARGET (a module path possibly followed by attributes):
    ``mock.patch(s)`` (also ``unittest.mock.patch``, ``patch``, ``mocker.patch``),
    ``patch.dict(s)``, ``patch.multiple(s)``, ``monkeypatch.setattr(s, v)`` and
    ``monkeypatch.delattr(s)`` (receiver named ``monkeypatch`` or ending so), and
    ``pkgutil.resolve_name(s)`` (``"a.b:C"``, kept as written). Calls in decorators count.

    Only the argument that holds the path is looked at: the first positional one, or its
    keyword (``name=``, ``modname=``, ``target=``, ``in_dict=``) when there is no positional
    argument. Only plain string literals count, not f-strings, and only strings that can name
    a module: dotted identifiers, with a dot where the call requires one. Relative names
    (``import_module(".sub", package)``) and ``__import__`` with a non-zero ``level`` are
    skipped, as their absolute name is not in the string.

    Results are in source order.
    """
    found: list[StringReference] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        # Cheap check on the last component before building the full callee text.
        if isinstance(func, ast.Attribute):
            if func.attr not in _LAST_NAMES:
                continue
        elif not (isinstance(func, ast.Name) and func.id in _LAST_NAMES):
            continue
        parts = _callee_parts(func)
        if parts is None:
            continue
        rule = _rule_for(parts)
        if rule is None:
            continue
        arg = _path_argument(node, rule)
        if arg is None or not isinstance(arg.value, str):
            continue
        if not _names_module(arg.value, rule):
            continue
        if parts[-1] == "__import__" and not _is_absolute_dunder_import(node):
            continue
        found.append(
            StringReference(
                value=arg.value,
                kind=rule.kind,
                call=".".join(parts),
                line=arg.lineno,
                col=arg.col_offset,
                # Always set by ast.parse; the fallbacks only satisfy the Optional types.
                end_line=arg.end_lineno if arg.end_lineno is not None else arg.lineno,
                end_col=arg.end_col_offset if arg.end_col_offset is not None else arg.col_offset,
            )
        )
    # ast.walk is breadth-first; report in reading order.
    found.sort(key=lambda ref: (ref.line, ref.col))
    return found


def _callee_parts(func: ast.expr) -> list[str] | None:
    """``a.b.c`` as ``["a", "b", "c"]``; None unless the callee is a plain dotted name."""
    parts: list[str] = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name):
        # ``get_mocker().patch(...)``, ``fixtures["mp"].setattr(...)``: not written as a path.
        return None
    parts.append(func.id)
    parts.reverse()
    return parts


def _rule_for(parts: list[str]) -> _Rule | None:
    """The rule for a callee given as its dotted parts, if it is one that takes a path."""
    last = parts[-1]
    if len(parts) >= 2:
        receiver = parts[-2]
        if last in _PATCH_HELPERS and receiver == "patch":
            return _PATCH_HELPERS[last]
        if last in _MONKEYPATCH_METHODS and receiver.lower().endswith("monkeypatch"):
            return _MONKEYPATCH
    return _BY_LAST.get(last)


def _path_argument(call: ast.Call, rule: _Rule) -> ast.Constant | None:
    """The constant passed as the path argument, if it is a constant."""
    if call.args:
        first = call.args[0]
        # A ``*args`` first argument hides which value lands in the path parameter.
        return first if isinstance(first, ast.Constant) else None
    for keyword in call.keywords:
        if keyword.arg in rule.keywords:
            value = keyword.value
            return value if isinstance(value, ast.Constant) else None
    return None


def _names_module(value: str, rule: _Rule) -> bool:
    """Whether ``value`` can be what ``rule``'s call takes: a dotted path of identifiers."""
    path = value
    if rule.allows_colon and ":" in value:
        # pkgutil.resolve_name: "pkg.mod:obj.attr"; the part after the colon may be empty.
        path, _, attrs = value.partition(":")
        if attrs and not all(part.isidentifier() for part in attrs.split(".")):
            return False
    if rule.needs_dot and "." not in path:
        return False
    # Rejects "", relative ".sub", URLs and other strings that cannot name a module.
    return all(part.isidentifier() for part in path.split("."))


def _is_absolute_dunder_import(call: ast.Call) -> bool:
    """Whether ``__import__(...)`` is absolute: its ``level`` (5th argument) absent or 0."""
    level: ast.expr | None = call.args[4] if len(call.args) >= 5 else None
    for keyword in call.keywords:
        if keyword.arg == "level":
            level = keyword.value
    if level is None:
        return True
    return isinstance(level, ast.Constant) and level.value == 0
