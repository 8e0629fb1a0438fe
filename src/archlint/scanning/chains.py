"""How a module uses some top-level names: the attribute chains read from them, and the other
ways it binds them.

``import a.b.c`` binds ``a``, and the code then reaches the module as ``a.b.c.X``. Rewriting
such an import to another module means rewriting every such chain too, which is only safe when
``a`` means the same thing everywhere in the file. :func:`name_uses` gathers what that decision
needs, in one pass over the tree, without recursion (deeply nested expressions parse fine but
would exhaust a recursive visitor).
"""

from __future__ import annotations

import ast
from collections.abc import Collection
from dataclasses import dataclass, field

__all__ = ["NameBinding", "NameChain", "NameUses", "name_uses"]


@dataclass(frozen=True, slots=True)
class NameChain:
    """A name read with the attributes that follow it: ``a.b.c`` in ``a.b.c.f()``.

    ``parts`` is as long as the chain of dots goes (``("a", "b", "c", "f")`` there); a name
    read on its own gives one part. ``line``/``col`` locate the name (``col`` in UTF-8 bytes,
    as :mod:`ast` counts); ``ends[i]`` is where the chain of the first ``i + 1`` parts ends.
    """

    parts: tuple[str, ...]
    line: int
    col: int
    ends: tuple[tuple[int, int], ...]

    @property
    def path(self) -> str:
        """The chain as a dotted path."""
        return ".".join(self.parts)


@dataclass(frozen=True, slots=True)
class NameBinding:
    """A statement or expression that binds a name, other than ``import name[.more]``."""

    name: str
    line: int
    col: int
    #: What binds it, for messages: ``"an assignment"``, ``"def"``, ``"an import"``...
    how: str


@dataclass
class NameUses:
    """The chains read from, and the bindings of, each name asked about."""

    chains: dict[str, list[NameChain]] = field(default_factory=dict)
    bindings: dict[str, list[NameBinding]] = field(default_factory=dict)
    #: ``(line, value)`` of every string inside an annotation (``x: "a.b.C"``), which names
    #: modules the way code does but is not code to rewrite.
    annotation_strings: list[tuple[int, str]] = field(default_factory=list)


_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def name_uses(tree: ast.AST, names: Collection[str]) -> NameUses:
    """Every chain read from one of ``names``, and every binding of one of them.

    Bindings are assignments, deletions, ``for``/``with``/comprehension targets, ``:=``,
    ``def``/``class`` names, parameters, ``except ... as``, match captures and imports. A
    plain ``import name`` or ``import name.more`` (without ``as``) is not counted: it binds
    ``name`` to the same module as any other such import does.
    """
    uses = NameUses({n: [] for n in names}, {n: [] for n in names})
    chains, bindings = uses.chains, uses.bindings

    def bind(name: str | None, node: ast.AST, how: str) -> None:
        if name is not None and name in bindings:
            line = getattr(node, "lineno", 1)
            bindings[name].append(NameBinding(name, line, getattr(node, "col_offset", 0), how))

    def annotation(expr: ast.expr | None) -> None:
        if expr is not None:
            for sub in ast.walk(expr):
                if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                    uses.annotation_strings.append((sub.lineno, sub.value))

    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Attribute):
            attrs: list[ast.Attribute] = []
            base: ast.expr = node
            while isinstance(base, ast.Attribute):
                attrs.append(base)
                base = base.value
            if isinstance(base, ast.Name) and base.id in chains:
                attrs.reverse()
                ends = [(_end_line(base), _end_col(base))]
                ends.extend((_end_line(a), _end_col(a)) for a in attrs)
                parts = (base.id, *(a.attr for a in attrs))
                chains[base.id].append(NameChain(parts, base.lineno, base.col_offset, tuple(ends)))
            else:
                stack.append(base)
            continue
        if isinstance(node, ast.Name):
            if node.id in chains:
                if isinstance(node.ctx, ast.Load):
                    end = ((_end_line(node), _end_col(node)),)
                    chains[node.id].append(NameChain((node.id,), node.lineno, node.col_offset, end))
                else:
                    how = "a deletion" if isinstance(node.ctx, ast.Del) else "an assignment"
                    bind(node.id, node, how)
            continue
        if isinstance(node, _DEFS):
            bind(node.name, node, "class" if isinstance(node, ast.ClassDef) else "def")
            if not isinstance(node, ast.ClassDef):
                annotation(node.returns)
        elif isinstance(node, ast.arg):
            bind(node.arg, node, "a parameter")
            annotation(node.annotation)
        elif isinstance(node, ast.AnnAssign):
            annotation(node.annotation)
        elif isinstance(node, ast.ExceptHandler):
            bind(node.name, node, "except ... as")
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)):
            bind(node.name, node, "a match capture")
        elif isinstance(node, ast.MatchMapping):
            bind(node.rest, node, "a match capture")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname is not None:
                    bind(alias.asname, alias, "an import")
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                bind(alias.asname or alias.name, alias, "an import")
        elif type(node).__name__ in ("TypeVar", "ParamSpec", "TypeVarTuple"):
            # Type parameters (Python 3.12+): ``def f[a](): ...``.
            bind(getattr(node, "name", None), node, "a type parameter")
        stack.extend(ast.iter_child_nodes(node))
    for found in chains.values():
        found.sort(key=lambda c: (c.line, c.col))
    for bound in bindings.values():
        bound.sort(key=lambda b: (b.line, b.col))
    uses.annotation_strings.sort()
    return uses


def _end_line(node: ast.expr) -> int:
    # Always set by ast.parse; the fallback only satisfies the Optional type.
    return node.end_lineno if node.end_lineno is not None else node.lineno


def _end_col(node: ast.expr) -> int:
    return node.end_col_offset if node.end_col_offset is not None else node.col_offset
