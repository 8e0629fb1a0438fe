"""Import statements parsed from their own lines (``archlint check``'s quick trees) give the
same import records as the whole file parsed, or decline (None) and the file is parsed.

Each case gives every statement's first line, as grimp reports them, and compares what
:func:`~archlint.scanning.imports.scan_imports` reads from both trees: names, lines, columns,
and the lazy and TYPE_CHECKING marks.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from archlint.application.import_lines import import_statements
from archlint.scanning.imports import scan_imports
from archlint.scanning.modules import ModuleName

MODULE = ModuleName("pkg.sub.mod", False)
REPO = Path(__file__).resolve().parents[2]


def _same(text: str) -> bool | None:
    """True when the quick tree reads as the whole file; None when it declines."""
    full = scan_imports(ast.parse(text), MODULE)
    quick = import_statements(text, {r.stmt_line for r in full})
    if quick is None:
        return None
    assert scan_imports(quick, MODULE) == full
    return True


READ_ALONE = {
    "plain": "import os\nfrom pkg import a, b as c\n",
    "relative": "from . import x\nfrom ..other import (y,\n    z)\n",
    "parenthesised": "from pkg.sub import (\n    a,  # one\n    b,\n)\nimport q\n",
    "backslash": "from pkg.sub import a, \\\n    b\n",
    "semicolons": "import a; from b import c; x = 1\n",
    "one-line blocks": "if x: import a\ndef f(): import b\nclass C: from c import d\n",
    "type checking": (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import a\n"
        "else:\n    from pkg import b\n"
    ),
    "lazy under type checking": (
        "import typing\nif typing.TYPE_CHECKING:\n    def f():\n        import a\n"
        "        if True:\n            from b import (\n                c,\n            )\n"
    ),
    "nested blocks": (
        "class A:\n    def m(self):\n        try:\n            import a\n"
        "        except ImportError:\n            import b\n        with x:\n"
        "            for i in y:\n                while z:\n                    import c\n"
    ),
    "elif type checking": (
        "if sys.version_info >= (3, 8):\n    from typing import Protocol\n"
        "elif TYPE_CHECKING:\n    from typing_extensions import Protocol\n"
        "elif typing.TYPE_CHECKING:\n    import a\nelse:\n    import b\n"
    ),
    "try one-liner": "try: import a\nexcept ImportError: a = None\n",
    "tabs": "if x:\n\tdef f():\n\t\tfrom pkg import a\n",
    "non-ASCII before the import": (
        'x = "é€"; import a\ndef f():\n    y = "日本"; from b import c\n'
    ),
    "CRLF": "import a\r\nif x:\r\n    from b import (\r\n        c)\r\n",
    "async": "async def f():\n    import a\n    async with x:\n        from b import c\n",
    "docstring above": 'def f():\n    """Text\n\n    more."""\n    import a\n',
}


@pytest.mark.parametrize("text", READ_ALONE.values(), ids=READ_ALONE.keys())
def test_statements_read_alone_are_read_as_in_the_file(text: str) -> None:
    assert _same(text) is True


DECLINED = {
    "else one-liner": "if x:\n    pass\nelse: import a\n",
    "open string above": 'x = """\nif TYPE_CHECKING:\n"""\nif y:\n    import a\n',
    "multi-line header": "if (TYPE_CHECKING\n        or x):\n    import a\n",
}


@pytest.mark.parametrize("text", DECLINED.values(), ids=DECLINED.keys())
def test_what_cannot_be_read_for_certain_is_declined_or_right(text: str) -> None:
    # Declining is always allowed (the file is parsed); a wrong reading never is.
    assert _same(text) in (None, True)


def test_no_statement_gives_an_empty_tree() -> None:
    tree = import_statements("x = 1\n", ())
    assert tree is not None and tree.body == []


def test_a_line_past_the_end_or_not_a_statement_is_declined() -> None:
    assert import_statements("import a\n", [5]) is None
    assert import_statements("x = (1,\n     2); import a\n", [2]) is None


def test_every_file_of_archlint_reads_the_same() -> None:
    # Real code: archlint's own sources and tests, every import statement of each.
    files = sorted((REPO / "src").rglob("*.py")) + sorted((REPO / "tests").rglob("*.py"))
    read = declined = 0
    for path in files:
        same = _same(path.read_text(encoding="utf-8"))
        if same is None:
            declined += 1
        else:
            read += 1
    assert read > 100 and declined <= read // 10, (read, declined)
