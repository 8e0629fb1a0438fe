"""What a file says about other modules: its import statements and its string references."""

from __future__ import annotations

import enum
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ImportRecord:
    """One imported name, as written in one import statement.

    ``import a.b`` gives one record with ``module="a.b"`` and ``name=None``;
    ``from a.b import c, d as e`` gives two records with ``module="a.b"`` and ``name`` ``"c"``
    and ``"d"``. Relative imports are already resolved to absolute module names; ``level``
    keeps what was written (0 for an absolute import) so a rewrite can tell them apart.

    ``line`` and ``col`` point at the imported name itself (1-based line, 0-based column, as
    flake8 reports them), so that a message lands on the right line of a multi-line
    ``from ... import (...)``. ``stmt_line``/``stmt_col`` point at the statement.
    """

    module: str
    name: str | None
    asname: str | None
    line: int
    col: int
    stmt_line: int
    stmt_col: int
    level: int = 0
    is_type_checking: bool = False
    is_lazy: bool = False

    @property
    def path(self) -> str:
        """The dotted path this record imports: ``a.b`` or ``a.b.c`` for ``from a.b import c``."""
        return self.module if self.name is None else f"{self.module}.{self.name}"


class StringRefKind(enum.Enum):
    """Which call a string reference was passed to, and so how its text names a module."""

    #: ``importlib.import_module("a.b")``, ``__import__("a.b")``, ``pytest.importorskip("a.b")``:
    #: the whole string is a module path.
    MODULE = "module"
    #: ``mock.patch("a.b.C.meth")``, ``monkeypatch.setattr("a.b.C", value)``: a dotted path
    #: whose head is a module and whose tail may be attributes.
    TARGET = "target"


@dataclass(frozen=True, slots=True)
class StringReference:
    """A string literal that names a module (or something inside one), where refactors miss it.

    ``line``/``col`` point at the string literal; ``call`` is the callee as written
    (``"mock.patch"``, ``"importlib.import_module"``) for the message.
    """

    value: str
    kind: StringRefKind
    call: str
    line: int
    col: int
    end_line: int
    end_col: int
