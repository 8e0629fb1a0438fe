"""Every import statement of a module AST, as :class:`ImportRecord` objects.

This runs on every file a flake8 run checks, so it visits statements only: the module body
and the statement lists of compound statements. Import statements cannot occur inside
expressions, so walking expressions (most of an AST's nodes) would be wasted work.
"""

from __future__ import annotations

import ast
import sys

from archlint.domain.imports import ImportRecord
from archlint.scanning.modules import ModuleName

__all__ = ["scan_imports"]

# Statement types that are, or may contain, import statements. Checking membership first
# lets the common leaf statements (assignments, expressions, returns) cost one set lookup.
_INTERESTING: frozenset[type[ast.stmt]] = frozenset(
    {
        ast.Import,
        ast.ImportFrom,
        ast.FunctionDef,
        ast.AsyncFunctionDef,
        ast.ClassDef,
        ast.If,
        ast.For,
        ast.AsyncFor,
        ast.While,
        ast.With,
        ast.AsyncWith,
        ast.Try,
        ast.Match,
    }
)
if sys.version_info >= (3, 11):
    _INTERESTING |= {ast.TryStar}


def scan_imports(tree: ast.Module, module: ModuleName | None) -> list[ImportRecord]:
    """List every import in ``tree``, one record per imported name, in source order.

    ``module`` is the module the tree belongs to, used to resolve relative imports; pass
    ``None`` when it is unknown (a file outside every source root).

    Imports are found at module level and in every nested block: ``if``/``else``,
    ``try``/``except``/``else``/``finally`` (and ``except*``), ``with``, ``for``, ``while``,
    ``match`` cases and class bodies. Imports inside a function or method body (at any depth,
    including nested functions) get ``is_lazy=True``: they run when the function is called,
    not when the module is imported. Imports in the body of ``if TYPE_CHECKING:`` (also
    ``if typing.TYPE_CHECKING:`` or any ``if <expression>.TYPE_CHECKING:``, as grimp reads
    it) get ``is_type_checking=True``; its ``else``/``elif`` branches do not (the body of an
    ``elif TYPE_CHECKING:`` does).

    Relative imports are resolved against ``module``: in ``pkg.sub.mod``,
    ``from ..w import v`` gives ``module="pkg.w"``, ``name="v"``, ``level=2``. A relative
    import that cannot be resolved, because ``module`` is ``None`` or because it climbs above
    the top-level package, is skipped: at run time it would raise ImportError, and there is
    no absolute module name to check it against.

    ``line``/``col`` are the position of each imported name (``ast.alias``), and
    ``stmt_line``/``stmt_col`` that of the statement; columns are the AST's, as pyflakes
    reports them.
    """
    scanner = _Scanner(_package_parts(module))
    scanner.visit(tree.body, lazy=False, type_checking=False)
    return scanner.records


def _package_parts(module: ModuleName | None) -> list[str] | None:
    """The package relative imports start from, as name parts; None if there is none.

    For a package (``__init__.py``) it is the module itself, for a plain module its parent.
    A top-level plain module has no package (an empty list): its relative imports all fail.
    """
    if module is None:
        return None
    parts = module.name.split(".")
    return parts if module.is_package else parts[:-1]


class _Scanner:
    """Collects records while walking statement lists; holds what every visit shares."""

    __slots__ = ("package", "records")

    def __init__(self, package: list[str] | None) -> None:
        self.package = package
        self.records: list[ImportRecord] = []

    def visit(self, body: list[ast.stmt], lazy: bool, type_checking: bool) -> None:
        """Record the imports of one statement list and of the blocks nested in it.

        ``lazy`` and ``type_checking`` describe the block ``body`` belongs to.
        """
        tc = type_checking
        # Recursion depth is bounded by the parser's own limit on nested blocks (100).
        for node in body:
            if type(node) not in _INTERESTING:
                continue
            if isinstance(node, ast.ImportFrom):
                self._add_import_from(node, lazy, tc)
            elif isinstance(node, ast.Import):
                self._add_import(node, lazy, tc)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                # Runs when called, not when the module is imported.
                self.visit(node.body, True, tc)
            elif isinstance(node, ast.If):
                self.visit(node.body, lazy, tc or _is_type_checking_test(node.test))
                # The ``else``/``elif`` of ``if TYPE_CHECKING:`` is what runs at run time.
                self.visit(node.orelse, lazy, tc)
            elif isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
                self.visit(node.body, lazy, tc)
                self.visit(node.orelse, lazy, tc)
            elif isinstance(node, (ast.With, ast.AsyncWith, ast.ClassDef)):
                # A class body runs when the class statement runs: as eager as its context.
                self.visit(node.body, lazy, tc)
            elif isinstance(node, ast.Match):
                for case in node.cases:
                    self.visit(case.body, lazy, tc)
            # Two branches, not one "or": mypy narrows each on its own (ast.TryStar is 3.11+).
            elif isinstance(node, ast.Try):  # noqa: SIM114
                self._visit_try(node.body, node.handlers, node.orelse, node.finalbody, lazy, tc)
            elif sys.version_info >= (3, 11) and isinstance(node, ast.TryStar):
                self._visit_try(node.body, node.handlers, node.orelse, node.finalbody, lazy, tc)

    def _visit_try(
        self,
        body: list[ast.stmt],
        handlers: list[ast.ExceptHandler],
        orelse: list[ast.stmt],
        finalbody: list[ast.stmt],
        lazy: bool,
        type_checking: bool,
    ) -> None:
        """Visit the blocks of a ``try`` or ``try``/``except*``, in source order."""
        self.visit(body, lazy, type_checking)
        for handler in handlers:
            self.visit(handler.body, lazy, type_checking)
        self.visit(orelse, lazy, type_checking)
        self.visit(finalbody, lazy, type_checking)

    def _add_import(self, node: ast.Import, lazy: bool, type_checking: bool) -> None:
        """One record per alias of ``import a.b, c as d``."""
        for alias in node.names:
            self.records.append(
                ImportRecord(
                    module=alias.name,
                    name=None,
                    asname=alias.asname,
                    line=alias.lineno,
                    col=alias.col_offset,
                    stmt_line=node.lineno,
                    stmt_col=node.col_offset,
                    level=0,
                    is_type_checking=type_checking,
                    is_lazy=lazy,
                )
            )

    def _add_import_from(self, node: ast.ImportFrom, lazy: bool, type_checking: bool) -> None:
        """One record per alias of ``from m import a, b as c`` with ``m`` made absolute."""
        level = node.level
        if level == 0:
            # ``node.module`` is only None for ``from . import x``, which has level >= 1.
            module = node.module or ""
        else:
            package = self.package
            # Each dot after the first climbs one package; the top-level package must remain.
            if package is None or level > len(package):
                return
            base = ".".join(package[: len(package) - (level - 1)])
            module = base if node.module is None else f"{base}.{node.module}"
        for alias in node.names:
            self.records.append(
                ImportRecord(
                    module=module,
                    name=alias.name,
                    asname=alias.asname,
                    line=alias.lineno,
                    col=alias.col_offset,
                    stmt_line=node.lineno,
                    stmt_col=node.col_offset,
                    level=level,
                    is_type_checking=type_checking,
                    is_lazy=lazy,
                )
            )


def _is_type_checking_test(test: ast.expr) -> bool:
    """Whether an ``if`` test is ``TYPE_CHECKING`` or ``<expression>.TYPE_CHECKING``.

    grimp's reading, so that the plugin leaves out the imports the graph leaves out: any
    attribute named ``TYPE_CHECKING`` counts (``typing.TYPE_CHECKING``, ``t.typing.
    TYPE_CHECKING``, ``f().TYPE_CHECKING``); ``not TYPE_CHECKING`` and other tests do not.
    """
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
