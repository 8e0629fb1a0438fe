"""scan_imports: every import statement of a file, as ImportRecord objects."""

from __future__ import annotations

import ast
import sys
import textwrap
from dataclasses import dataclass, field

import pytest

from archlint.domain.imports import ImportRecord
from archlint.scanning.imports import scan_imports
from archlint.scanning.modules import ModuleName

PLAIN = ModuleName("pkg.sub.mod", is_package=False)
PACKAGE = ModuleName("pkg.sub", is_package=True)


def rec(
    module: str,
    name: str | None = None,
    asname: str | None = None,
    *,
    at: tuple[int, int],
    stmt: tuple[int, int] | None = None,
    level: int = 0,
    tc: bool = False,
    lazy: bool = False,
) -> ImportRecord:
    """An expected record; ``stmt`` defaults to ``at`` (single-name statements)."""
    stmt = at if stmt is None else stmt
    return ImportRecord(
        module=module,
        name=name,
        asname=asname,
        line=at[0],
        col=at[1],
        stmt_line=stmt[0],
        stmt_col=stmt[1],
        level=level,
        is_type_checking=tc,
        is_lazy=lazy,
    )


@dataclass
class Case:
    id: str
    source: str
    expected: list[ImportRecord]
    module: ModuleName | None = field(default=PLAIN)


CASES = [
    Case("plain import", "import a.b.c\n", [rec("a.b.c", at=(1, 7), stmt=(1, 0))]),
    Case(
        "import as",
        "import a.b as c\n",
        [rec("a.b", asname="c", at=(1, 7), stmt=(1, 0))],
    ),
    Case(
        "several names in one import",
        "import os, sys as system\n",
        [
            rec("os", at=(1, 7), stmt=(1, 0)),
            rec("sys", asname="system", at=(1, 11), stmt=(1, 0)),
        ],
    ),
    Case(
        "from import",
        "from a.b import c, d as e\n",
        [
            rec("a.b", "c", at=(1, 16), stmt=(1, 0)),
            rec("a.b", "d", "e", at=(1, 19), stmt=(1, 0)),
        ],
    ),
    Case("star import", "from a import *\n", [rec("a", "*", at=(1, 14), stmt=(1, 0))]),
    Case(
        "future import is an import",
        "from __future__ import annotations\n",
        [rec("__future__", "annotations", at=(1, 23), stmt=(1, 0))],
    ),
    Case(
        "multi-line parenthesised from-import with comments",
        """\
        from x.y import (  # why
            a,  # first
            # a comment line
            b as c,
        )
        """,
        [
            rec("x.y", "a", at=(2, 4), stmt=(1, 0)),
            rec("x.y", "b", "c", at=(4, 4), stmt=(1, 0)),
        ],
    ),
    Case(
        "backslash continuation",
        "from x import a, \\\n    b\n",
        [rec("x", "a", at=(1, 14), stmt=(1, 0)), rec("x", "b", at=(2, 4), stmt=(1, 0))],
    ),
    Case(
        "source order across blocks",
        """\
        import first
        if x:
            import second
        else:
            import third
        import fourth
        """,
        [
            rec("first", at=(1, 7), stmt=(1, 0)),
            rec("second", at=(3, 11), stmt=(3, 4)),
            rec("third", at=(5, 11), stmt=(5, 4)),
            rec("fourth", at=(6, 7), stmt=(6, 0)),
        ],
    ),
    Case(
        "function body is lazy",
        """\
        def f():
            import a
        async def g():
            from b import c
        """,
        [
            rec("a", at=(2, 11), stmt=(2, 4), lazy=True),
            rec("b", "c", at=(4, 18), stmt=(4, 4), lazy=True),
        ],
    ),
    Case(
        "nested functions and methods are lazy, class body is not",
        """\
        class C:
            import eager
            def method(self):
                import in_method
                def inner():
                    import in_inner
            class Inner:
                import eager_too
        def f():
            class Local:
                import lazy_class_body
        """,
        [
            rec("eager", at=(2, 11), stmt=(2, 4)),
            rec("in_method", at=(4, 15), stmt=(4, 8), lazy=True),
            rec("in_inner", at=(6, 19), stmt=(6, 12), lazy=True),
            rec("eager_too", at=(8, 15), stmt=(8, 8)),
            rec("lazy_class_body", at=(11, 15), stmt=(11, 8), lazy=True),
        ],
    ),
    Case(
        "decorated function body is lazy",
        """\
        @decorator
        def f():
            import a
        """,
        [rec("a", at=(3, 11), stmt=(3, 4), lazy=True)],
    ),
    Case(
        "try except ImportError else finally",
        """\
        try:
            import fast
        except ImportError:
            import slow as fast
        else:
            import extra
        finally:
            import cleanup
        """,
        [
            rec("fast", at=(2, 11), stmt=(2, 4)),
            rec("slow", asname="fast", at=(4, 11), stmt=(4, 4)),
            rec("extra", at=(6, 11), stmt=(6, 4)),
            rec("cleanup", at=(8, 11), stmt=(8, 4)),
        ],
    ),
    Case(
        "with for while and their else",
        """\
        with ctx():
            import a
        for i in x:
            import b
        else:
            import c
        while y:
            import d
        else:
            import e
        async def f():
            async with ctx():
                import g
            async for i in x:
                import h
        """,
        [
            rec("a", at=(2, 11), stmt=(2, 4)),
            rec("b", at=(4, 11), stmt=(4, 4)),
            rec("c", at=(6, 11), stmt=(6, 4)),
            rec("d", at=(8, 11), stmt=(8, 4)),
            rec("e", at=(10, 11), stmt=(10, 4)),
            rec("g", at=(13, 15), stmt=(13, 8), lazy=True),
            rec("h", at=(15, 15), stmt=(15, 8), lazy=True),
        ],
    ),
    Case(
        "match cases",
        """\
        match sys.platform:
            case "win32":
                import winreg
            case _:
                import posix
        """,
        [
            rec("winreg", at=(3, 15), stmt=(3, 8)),
            rec("posix", at=(5, 15), stmt=(5, 8)),
        ],
    ),
    Case(
        "TYPE_CHECKING body, not its else",
        """\
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from a import A
            if x:
                import nested_tc
        else:
            import runtime
        """,
        [
            rec("typing", "TYPE_CHECKING", at=(1, 19), stmt=(1, 0)),
            rec("a", "A", at=(3, 18), stmt=(3, 4), tc=True),
            rec("nested_tc", at=(5, 15), stmt=(5, 8), tc=True),
            rec("runtime", at=(7, 11), stmt=(7, 4)),
        ],
    ),
    Case(
        "typing.TYPE_CHECKING and t.TYPE_CHECKING",
        """\
        if typing.TYPE_CHECKING:
            import a
        if t.TYPE_CHECKING:
            import b
        """,
        [rec("a", at=(2, 11), stmt=(2, 4), tc=True), rec("b", at=(4, 11), stmt=(4, 4), tc=True)],
    ),
    Case(
        "elif of TYPE_CHECKING is not type-checking",
        """\
        if TYPE_CHECKING:
            import a
        elif other:
            import b
        """,
        [rec("a", at=(2, 11), stmt=(2, 4), tc=True), rec("b", at=(4, 11), stmt=(4, 4))],
    ),
    Case(
        "other tests are not TYPE_CHECKING",
        """\
        if not TYPE_CHECKING:
            import a
        if TYPE_CHECKING_OTHER:
            import b
        while TYPE_CHECKING:
            import c
        """,
        [
            rec("a", at=(2, 11), stmt=(2, 4)),
            rec("b", at=(4, 11), stmt=(4, 4)),
            rec("c", at=(6, 11), stmt=(6, 4)),
        ],
    ),
    Case(
        # grimp reads any attribute named TYPE_CHECKING as the flag, whatever it is read from;
        # the plugin must leave out the same imports as the graph.
        "TYPE_CHECKING read from any expression, and elif TYPE_CHECKING",
        """\
        if f().TYPE_CHECKING:
            import a
        if x.typing.TYPE_CHECKING:
            import b
        if mods[0].TYPE_CHECKING:
            import c
        if other:
            pass
        elif TYPE_CHECKING:
            import d
        """,
        [
            rec("a", at=(2, 11), stmt=(2, 4), tc=True),
            rec("b", at=(4, 11), stmt=(4, 4), tc=True),
            rec("c", at=(6, 11), stmt=(6, 4), tc=True),
            rec("d", at=(10, 11), stmt=(10, 4), tc=True),
        ],
    ),
    Case(
        "function inside TYPE_CHECKING is both",
        """\
        if TYPE_CHECKING:
            def f():
                import a
        """,
        [rec("a", at=(3, 15), stmt=(3, 8), tc=True, lazy=True)],
    ),
    Case(
        "relative imports from a plain module",
        """\
        from . import x
        from .y import z
        from ..w import v
        from .. import u as uu
        """,
        [
            rec("pkg.sub", "x", at=(1, 14), stmt=(1, 0), level=1),
            rec("pkg.sub.y", "z", at=(2, 15), stmt=(2, 0), level=1),
            rec("pkg.w", "v", at=(3, 16), stmt=(3, 0), level=2),
            rec("pkg", "u", "uu", at=(4, 15), stmt=(4, 0), level=2),
        ],
    ),
    Case(
        "relative imports from a package",
        """\
        from . import x
        from .y import z
        from .. import w
        from ..a.b import c
        """,
        [
            rec("pkg.sub", "x", at=(1, 14), stmt=(1, 0), level=1),
            rec("pkg.sub.y", "z", at=(2, 15), stmt=(2, 0), level=1),
            rec("pkg", "w", at=(3, 15), stmt=(3, 0), level=2),
            rec("pkg.a.b", "c", at=(4, 18), stmt=(4, 0), level=2),
        ],
        module=PACKAGE,
    ),
    Case(
        "relative import above the top package is skipped",
        """\
        from ... import too_far
        from .ok import fine
        from ...x import too_far_too
        """,
        [rec("pkg.sub.ok", "fine", at=(2, 16), stmt=(2, 0), level=1)],
    ),
    Case(
        "relative import in a top-level plain module is skipped",
        "from . import x\nimport y\n",
        [rec("y", at=(2, 7), stmt=(2, 0))],
        module=ModuleName("top", is_package=False),
    ),
    Case(
        "relative import in a top-level package goes one level only",
        "from . import x\nfrom .. import y\n",
        [rec("top", "x", at=(1, 14), stmt=(1, 0), level=1)],
        module=ModuleName("top", is_package=True),
    ),
    Case(
        "relative import of an unknown module is skipped, absolute kept",
        "from . import x\nfrom .y import z\nimport a\n",
        [rec("a", at=(3, 7), stmt=(3, 0))],
        module=None,
    ),
    Case(
        "imports after other statements, and none in expressions",
        """\
        x = __import__("not_a_statement")
        y = [i for i in range(3)]
        import a; import b
        """,
        [rec("a", at=(3, 7), stmt=(3, 0)), rec("b", at=(3, 17), stmt=(3, 10))],
    ),
    Case("empty module", "", []),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_scan_imports(case: Case) -> None:
    tree = ast.parse(textwrap.dedent(case.source))
    assert scan_imports(tree, case.module) == case.expected


@pytest.mark.skipif(sys.version_info < (3, 11), reason="except* is Python 3.11+")
def test_try_star_blocks_are_scanned() -> None:
    source = textwrap.dedent(
        """\
        try:
            import a
        except* ValueError:
            import b
        else:
            import c
        finally:
            import d
        """
    )
    records = scan_imports(ast.parse(source), PLAIN)
    assert [record.module for record in records] == ["a", "b", "c", "d"]


def test_deeply_nested_blocks() -> None:
    # Well inside the parser's nesting limit, but deep enough to catch a lost flag.
    depth = 50
    lines = ["def f():"]
    lines += ["    " * level + "if x:" for level in range(1, depth)]
    lines.append("    " * depth + "import deep")
    (record,) = scan_imports(ast.parse("\n".join(lines) + "\n"), PLAIN)
    assert record.module == "deep"
    assert record.is_lazy
    assert record.line == depth + 1


def test_path_property_of_records() -> None:
    records = scan_imports(ast.parse("import a.b\nfrom c.d import e\n"), PLAIN)
    assert [record.path for record in records] == ["a.b", "c.d.e"]
