"""archlint fix on source text: every import form the flake8 plugin reports, rewritten exactly.

Each case gives the text before and the exact text after; every case also checks that the
result parses and that fixing it again changes nothing. Cases that cannot be fixed safely are
left byte-identical and reported as needing a hand fix, with the reason.
"""

from __future__ import annotations

import ast
import io
import re
import textwrap
import tokenize
from collections.abc import Sequence

import libcst as cst
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archlint.application.fix import FixError, fix_source
from archlint.domain.deprecations import DeprecationIndex
from archlint.domain.model import Deprecation, Origin
from archlint.rewrite.imports import Edit, Rewritten, rewrite_source
from archlint.scanning.modules import ModuleName

ORIGIN = Origin("contracts/deprecations.toml", 1)


def dep(old: str, new: str | None, why: str | None = None) -> Deprecation:
    return Deprecation(old, new, ORIGIN, why=why)


INDEX = DeprecationIndex(
    [
        dep("a.old", "a.new"),
        dep("a.old.Moved", "b.place.NewName"),
        dep("a.old.Renamed", "c.d.Fresh"),
        dep("a.old.Same", "a.new.Same"),
        dep("a.old.Top", "topmod"),
        dep("a.gone", None, why="use a.other instead"),
        dep("pkg.oldmod", "pkg.newmod"),
        dep("pkg.sub.legacy", "pkg.modern"),
        dep("x.y", "z"),
        dep("s.sym", "t.sym_utils"),
        dep("s.sym.SU", "t.sym_utils.SU"),
        dep("q.old", "q.new"),
        dep("lone", "far.away"),
    ]
)
#: The module the fixed text belongs to, for relative imports.
MODULE = ModuleName("pkg.sub.mod", is_package=False)


def fix(source: str, index: DeprecationIndex = INDEX):
    return fix_source(source, index, MODULE, "m.py")


def check_fixed(before: str, after: str, *, imports: int | None = None, strings: int = 0):
    """``before`` fixes to exactly ``after``, which parses and is fixed already."""
    result = fix(before)
    assert result.text == after
    assert result.hand_fixes == []
    if imports is not None:
        assert (result.imports, result.strings) == (imports, strings)
    ast.parse(after)
    cst.parse_module(after)
    again = fix(after)
    assert again.text == after
    assert (again.imports, again.strings, again.hand_fixes) == (0, 0, [])


def src(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


# --- every import form ------------------------------------------------------------------

FIXED = {
    "import a.b": ("import a.old\n", "import a.new\n"),
    "import a.b as c": ("import a.old as c\nc.f()\n", "import a.new as c\nc.f()\n"),
    "import a.b.c below the deprecated module": (
        "import a.old.sub as m\n",
        "import a.new.sub as m\n",
    ),
    "import a, single segment, keeps its name": (
        "import lone\nlone.f()\n",
        "import far.away as lone\nlone.f()\n",
    ),
    "import with other names": ("import os, a.old as ao, sys\n", "import os, a.new as ao, sys\n"),
    "from a import b (a module)": ("from a import old\n", "from a import new as old\n"),
    "from a import b as c": ("from a import old as o\n", "from a import new as o\n"),
    "from a import b, c: one moves": (
        "from a import old, other\n",
        "from a import new as old, other\n",
    ),
    "from a.b import c": ("from a.old import A\n", "from a.new import A\n"),
    "from a.b import c as d": ("from a.old import A as B\n", "from a.new import A as B\n"),
    "parenthesised multi-line with comments": (
        src(
            """
            from a.old import (  # the old place
                A,  # first
                # about B
                B as bb,  # second
            )
            """
        ),
        src(
            """
            from a.new import (  # the old place
                A,  # first
                # about B
                B as bb,  # second
            )
            """
        ),
    ),
    "parenthesised, no trailing comma": (
        "from a.old import (A,\n                   B)\n",
        "from a.new import (A,\n                   B)\n",
    ),
    "backslash continuation": (
        "from a.old import A, \\\n    B\n",
        "from a.new import A, \\\n    B\n",
    ),
    "from . import x (relative module)": (
        "from . import legacy\n",
        "from pkg import modern as legacy\n",
    ),
    "from . import x as y": ("from . import legacy as leg\n", "from pkg import modern as leg\n"),
    "from ..pkg import y (relative, two levels)": (
        "from ..oldmod import X\n",
        "from pkg.newmod import X\n",
    ),
    "relative, parenthesised": (
        "from ..oldmod import (\n    X,\n    Y,\n)\n",
        "from pkg.newmod import (\n    X,\n    Y,\n)\n",
    ),
    "inside a function": (
        src(
            """
            def f():
                from a.old import A
                return A
            """
        ),
        src(
            """
            def f():
                from a.new import A
                return A
            """
        ),
    ),
    "inside try/except ImportError": (
        src(
            """
            try:
                from a.old import A
            except ImportError:  # older versions
                from a.new import A
            """
        ),
        src(
            """
            try:
                from a.new import A
            except ImportError:  # older versions
                from a.new import A
            """
        ),
    ),
    "inside if TYPE_CHECKING": (
        src(
            """
            from typing import TYPE_CHECKING

            if TYPE_CHECKING:
                from a.old import Moved
            """
        ),
        src(
            """
            from typing import TYPE_CHECKING

            if TYPE_CHECKING:
                from b.place import NewName as Moved
            """
        ),
    ),
    "inside a class and a with block": (
        "class K:\n    with ctx():\n        from a.old import A\n",
        "class K:\n    with ctx():\n        from a.new import A\n",
    ),
    "name-level deprecation": (
        "from a.old import Moved\n",
        "from b.place import NewName as Moved\n",
    ),
    "name-level, local name kept": (
        "from a.old import Moved as M\n",
        "from b.place import NewName as M\n",
    ),
    "no redundant as": ("from a.old import Renamed as Fresh\n", "from c.d import Fresh\n"),
    "name that becomes a top-level module": ("from a.old import Top\n", "import topmod as Top\n"),
    "most specific wins, names to different modules": (
        "from a.old import A, Moved, B, Renamed\n",
        "from a.new import A, B\n"
        "from b.place import NewName as Moved\n"
        "from c.d import Fresh as Renamed\n",
    ),
    "most specific wins, same place": (
        "from a.old import Same, A\n",
        "from a.new import Same, A\n",
    ),
    "split, indented, pragma comment repeated": (
        src(
            """
            def f():
                from a.old import A, Moved  # noqa: E402
                return A, Moved
            """
        ),
        src(
            """
            def f():
                from a.new import A  # noqa: E402
                from b.place import NewName as Moved  # noqa: E402
                return A, Moved
            """
        ),
    ),
    "split, other comment stays on the first line": (
        "# above\nfrom a.old import Moved, A  # moved in 2.0\nx = 1\n",
        "# above\n"
        "from b.place import NewName as Moved  # moved in 2.0\n"
        "from a.new import A\n"
        "x = 1\n",
    ),
    "split, parenthesised multi-line with comments": (
        src(
            """
            from a.old import (  # head
                A,  # a
                # about Moved
                Moved,  # moved
                B as bb,  # b
            )
            """
        ),
        src(
            """
            from a.new import (  # head
                A,  # a
                B as bb,  # b
            )
            from b.place import (
                # about Moved
                NewName as Moved,  # moved
            )
            """
        ),
    ),
    "split, parenthesised without trailing comma": (
        "from a.old import (\n    Moved,\n    A\n)\n",
        "from b.place import (\n    NewName as Moved,\n)\nfrom a.new import (\n    A\n)\n",
    ),
    "explicit re-export form kept": ("from a.old import A as A\n", "from a.new import A as A\n"),
    "split, hanging indent": (
        "if x:\n    from a.old import (A,\n                       Moved)\n",
        "if x:\n    from a.new import (A)\n    from b.place import (NewName as Moved)\n",
    ),
    "split, one line in parentheses": (
        "from a.old import (A, Moved, B)\n",
        "from a.new import (A, B)\nfrom b.place import (NewName as Moved)\n",
    ),
    "split, backslash continuation": (
        "from a.old import A, \\\n    Moved\n",
        "from a.new import A\nfrom b.place import NewName as Moved\n",
    ),
    "split, on a line with other statements": (
        "x = 1; from a.old import A, Moved; y = 2\n",
        "x = 1; from a.new import A; from b.place import NewName as Moved; y = 2\n",
    ),
    "split, one-line suite": (
        "if x: from a.old import A, Moved\n",
        "if x: from a.new import A; from b.place import NewName as Moved\n",
    ),
    "split, names that stay keep a relative import": (
        "from ..oldmod import X\nfrom . import legacy, other\n",
        "from pkg.newmod import X\nfrom pkg import modern as legacy\nfrom . import other\n",
    ),
    "star import": ("from q.old import *\n", "from q.new import *\n"),
    "import a.b.c with attribute chains": (
        src(
            """
            import a.old
            import os.path

            @a.old.decorate
            def f(v: a.old.T = a.old.DEFAULT) -> a.old.T:
                a.old.state = os.path.join(a.old.sub.X, "a.old")
                return a.old.Same(v)
            """
        ),
        src(
            """
            import a.new
            import os.path

            @a.new.decorate
            def f(v: a.new.T = a.new.DEFAULT) -> a.new.T:
                a.new.state = os.path.join(a.new.sub.X, "a.old")
                return a.new.Same(v)
            """
        ),
    ),
    "import a.b to another top-level name": (
        "import x.y\n\nclass K(x.y.Base):\n    v = x.y.f()\n",
        "import z\n\nclass K(z.Base):\n    v = z.f()\n",
    ),
    "import a.b beside another import of a": (
        "import x.y\nimport x.q\nprint(x.y.Z, x.q.W)\n",
        "import z\nimport x.q\nprint(z.Z, x.q.W)\n",
    ),
    "chains under a name-level deprecation that agrees": (
        "import s.sym\n\ns.sym.SU.normalize('x')\n",
        "import t.sym_utils\n\nt.sym_utils.SU.normalize('x')\n",
    ),
    "import a.b twice, in a function too": (
        "import a.old\n\ndef f():\n    import a.old\n    return a.old.X\n",
        "import a.new\n\ndef f():\n    import a.new\n    return a.new.X\n",
    ),
    "tab indentation": (
        "if x:\n\tfrom a.old import A, Moved\n",
        "if x:\n\tfrom a.new import A\n\tfrom b.place import NewName as Moved\n",
    ),
    "nested one-line suite": (
        "def f():\n    if x: from a.old import A, Moved\n",
        "def f():\n    if x: from a.new import A; from b.place import NewName as Moved\n",
    ),
    "nested, CRLF": (
        "class K:\r\n    def f(self):\r\n        from a.old import A, Moved\r\n",
        "class K:\r\n    def f(self):\r\n"
        "        from a.new import A\r\n        from b.place import NewName as Moved\r\n",
    ),
    "nested, parenthesised with comments": (
        src(
            """
            class K:

                def f(self):
                    from a.old import (  # head
                        Moved,  # m

                        A,
                    )
            """
        ),
        src(
            """
            class K:

                def f(self):
                    from b.place import (  # head
                        NewName as Moved,  # m
                    )
                    from a.new import (

                        A,
                    )
            """
        ),
    ),
    "nested statement holding a string that leaves its indentation": (
        'def f():\n    return call(mock.patch("a.old.A"), """\ntext at column 0\n""")\n',
        'def f():\n    return call(mock.patch("a.new.A"), """\ntext at column 0\n""")\n',
    ),
    "decorator in a class": (
        "import a.old\n\nclass K:\n\n    @a.old.deco\n    def m(self):\n        pass\n",
        "import a.new\n\nclass K:\n\n    @a.new.deco\n    def m(self):\n        pass\n",
    ),
    "non-ASCII text before the edits": (
        "s = 'é'; import a.old\nt = 'ü'; print(a.old.X, mock.patch('a.old.Y'))\n",
        "s = 'é'; import a.new\nt = 'ü'; print(a.new.X, mock.patch('a.new.Y'))\n",
    ),
}


@pytest.mark.parametrize(("before", "after"), list(FIXED.values()), ids=list(FIXED))
def test_import_forms(before: str, after: str) -> None:
    check_fixed(before, after)


def test_counts() -> None:
    result = fix("from a.old import A, Moved\nimport x.y\nx.y.f()\nmock.patch('a.old.X')\n")
    assert (result.imports, result.strings) == (3, 1)


# --- string references, for each call form ----------------------------------------------

STRINGS = {
    "importlib.import_module": (
        "importlib.import_module('a.old')",
        "importlib.import_module('a.new')",
    ),
    "import_module by keyword": (
        'import_module(name="a.old.sub")',
        'import_module(name="a.new.sub")',
    ),
    "__import__": ("__import__('a.old')", "__import__('a.new')"),
    "importlib.util.find_spec": (
        "importlib.util.find_spec('x.y')",
        "importlib.util.find_spec('z')",
    ),
    "pytest.importorskip": ("pytest.importorskip('a.old')", "pytest.importorskip('a.new')"),
    "mock.patch": ("mock.patch('a.old.Moved.meth')", "mock.patch('b.place.NewName.meth')"),
    "unittest.mock.patch target=": (
        "unittest.mock.patch(target='a.old.A')",
        "unittest.mock.patch(target='a.new.A')",
    ),
    "mocker.patch": ('mocker.patch("a.old.A")', 'mocker.patch("a.new.A")'),
    "patch.dict": ("patch.dict('a.old.CONFIG', {})", "patch.dict('a.new.CONFIG', {})"),
    "patch.multiple": ("patch.multiple('a.old', f=1)", "patch.multiple('a.new', f=1)"),
    "monkeypatch.setattr": (
        "monkeypatch.setattr('a.old.A.f', None)",
        "monkeypatch.setattr('a.new.A.f', None)",
    ),
    "monkeypatch.delattr": ("monkeypatch.delattr('a.old.A')", "monkeypatch.delattr('a.new.A')"),
    "pkgutil.resolve_name with a colon": (
        "pkgutil.resolve_name('a.old:A.f')",
        "pkgutil.resolve_name('a.new:A.f')",
    ),
    "raw prefix": ("mock.patch(r'a.old.A')", "mock.patch(r'a.new.A')"),
    "unicode prefix, double quotes": ('mock.patch(U"a.old.A")', 'mock.patch(U"a.new.A")'),
    "triple quotes": ("mock.patch('''a.old.A''')", "mock.patch('''a.new.A''')"),
    "parenthesised string": ("mock.patch(('a.old.A'))", "mock.patch(('a.new.A'))"),
    "decorator": ("@mock.patch('a.old.A')\ndef t(m): ...", "@mock.patch('a.new.A')\ndef t(m): ..."),
}


@pytest.mark.parametrize(("before", "after"), list(STRINGS.values()), ids=list(STRINGS))
def test_string_references(before: str, after: str) -> None:
    check_fixed(before + "\n", after + "\n", imports=0, strings=1)


def test_strings_the_scanner_does_not_recognise_stay() -> None:
    text = "print('a.old')\nx = {'a.old': 1}\n# a.old\n"
    assert fix(text).text == text


# --- hand fixes: left alone, with the reason --------------------------------------------

HAND = {
    "removed import": (
        "from a.gone import thing\n",
        "1:1: from a.gone import thing: a.gone was removed (use a.other instead); "
        "there is no replacement to write",
    ),
    "removed module import": ("import a.gone\n", "1:1: import a.gone: a.gone was removed"),
    "removed string": (
        "importlib.import_module('a.gone')\n",
        "1:25: string 'a.gone': a.gone was removed (use a.other instead)",
    ),
    "star import whose names moved to different places": (
        "from a.old import *\n",
        "1:1: from a.old import *: names below a.old moved to different places "
        "(a.old.Moved, a.old.Renamed, a.old.Same, a.old.Top); import them by name",
    ),
    "top name rebound": (
        "import a.old\na = None\nprint(a.old.X)\n",
        "1:1: import a.old: cannot rewrite to `import a.new` and its uses safely: "
        "`a` is also bound by an assignment at line 2",
    ),
    "top name is a parameter somewhere": (
        "def f(a):\n    return a\nimport a.old\n",
        "`a` is also bound by a parameter at line 1",
    ),
    "top name bound by another import": (
        "import a.old\nfrom b import a\n",
        "`a` is also bound by an import at line 2",
    ),
    "top name deleted": ("import a.old\ndel a\n", "`a` is also bound by a deletion at line 2"),
    "top name used on its own": ("import a.old\nprint(a)\n", "`a` is used on its own at line 2"),
    "package of the module used on its own": (
        "import s.sym\nreload(s)\n",
        "`s` is used on its own at line 2",
    ),
    "chain that relies on the import to load the package": (
        "import x.y\nprint(x.q.W)\n",
        "`x.q.W` (line 2) may rely on the import to load x",
    ),
    "new top-level name already used": (
        "import x.y\nprint(z.thing)\n",
        "`z` is already used at line 2 without being imported",
    ),
    "new top-level name bound": ("import x.y\nz = 1\n", "`z` is also bound by an assignment"),
    "a more specific deprecation disagrees": (
        "import a.old\nprint(a.old.Moved)\n",
        "`a.old.Moved` (line 2) falls under the deprecation of a.old.Moved, "
        "which does not move it to a.new.Moved",
    ),
    "string annotation": (
        "import a.old\nx: 'a.old.T' = f()\n",
        "`a.old` is named in the string annotation 'a.old.T' at line 2",
    ),
    "string written in several parts": (
        "mock.patch('a.old' '.A')\n",
        "1:12: string 'a.old.A': the string is written in several parts; write 'a.new.A' by hand",
    ),
    "name to a top-level module, with comments in the statement": (
        "from a.old import (\n    Top,  # the top\n)\n",
        "would lose the comments inside the statement",
    ),
}


@pytest.mark.parametrize(("before", "reason"), list(HAND.values()), ids=list(HAND))
def test_hand_fixes(before: str, reason: str) -> None:
    result = fix(before)
    assert result.text == before
    assert (result.imports, result.strings) == (0, 0)
    assert len(result.hand_fixes) >= 1
    shown = [str(site) for site in result.hand_fixes]
    assert any(reason in line for line in shown), shown
    assert all(line.startswith("m.py:") for line in shown)


def test_replacement_in_the_module_itself_is_a_hand_fix() -> None:
    # In pkg/modern.py, ``from pkg.sub.legacy import f`` cannot become an import of itself.
    text = "from pkg.sub.legacy import f\n"
    result = fix_source(text, INDEX, ModuleName("pkg.modern", is_package=False), "m.py")
    assert result.text == text
    assert [str(s) for s in result.hand_fixes] == [
        "m.py:1:1: from pkg.sub.legacy import f: the replacement `from pkg.modern import f` "
        "would import this module from itself"
    ]


def test_hand_fix_beside_fixes_in_the_same_statement() -> None:
    result = fix("from a.old import A, Top\nfrom a.gone import g\n")
    assert result.text == "from a.new import A\nimport topmod as Top\nfrom a.gone import g\n"
    assert [s.line for s in result.hand_fixes] == [2]


def test_hand_fix_leaves_the_chains_alone_but_fixes_the_rest() -> None:
    before = "import a.old\nfrom a.old import A\na = 1\nprint(a.old.X)\n"
    result = fix(before)
    assert result.text == "import a.old\nfrom a.new import A\na = 1\nprint(a.old.X)\n"
    assert len(result.hand_fixes) == 1


def test_nothing_deprecated_is_untouched() -> None:
    text = "import os\nfrom a.other import thing  # a.old in a comment\n"
    result = fix(text)
    assert result.text is text
    assert (result.imports, result.strings, result.hand_fixes) == (0, 0, [])


def test_unresolvable_relative_import_is_not_touched() -> None:
    # Outside every source root there is no package to resolve ``.`` against; flake8 does not
    # report the import either.
    text = "from . import legacy\n"
    assert fix_source(text, INDEX, None).text == text


# --- data safety at the text level ------------------------------------------------------


def test_crlf_and_mixed_line_endings_are_kept() -> None:
    crlf = "from a.old import A, Moved\r\nx = 1\r\n"
    assert (
        fix(crlf).text == "from a.new import A\r\nfrom b.place import NewName as Moved\r\nx = 1\r\n"
    )
    mixed = "x = 1\nfrom a.old import A, Moved\r\ny = 2\n"
    fixed = fix(mixed).text
    assert fixed == "x = 1\nfrom a.new import A\r\nfrom b.place import NewName as Moved\r\ny = 2\n"
    multi = "from a.old import (\r\n    A,  # a\r\n    Moved,\r\n)\r\n"
    assert "\n" not in fix(multi).text.replace("\r\n", "")


def test_a_result_that_would_not_parse_is_refused() -> None:
    def broken(text: str, groups: Sequence[Sequence[Edit]], tree: ast.Module) -> Rewritten:
        done = rewrite_source(text, groups, tree)
        done.code = done.code.replace("import", "imprt", 1)
        return done

    with pytest.raises(FixError, match="would not parse"):
        fix_source("from a.old import A\n", INDEX, MODULE, rewriter=broken)


def test_a_chain_of_deprecations_is_fixed_to_its_end_in_one_run() -> None:
    index = DeprecationIndex([dep("m.one", "m.two"), dep("m.two", "m.three")])
    assert fix_source("from m.one import A\n", index, MODULE).text == "from m.three import A\n"


def test_an_unstable_result_is_refused() -> None:
    # A result that still holds a deprecated import would need a second run: refused.
    def unchanged(text: str, groups: Sequence[Sequence[Edit]], tree: ast.Module) -> Rewritten:
        done = rewrite_source(text, groups, tree)
        done.code = text
        return done

    with pytest.raises(FixError, match="not stable"):
        fix_source("from a.old import A\n", INDEX, MODULE, rewriter=unchanged)


def test_unparsable_text_is_an_error() -> None:
    from archlint.scanning.source import SourceSyntaxError

    with pytest.raises(SourceSyntaxError):
        fix("from a.old import (A\n")


# --- property: any mix of names, shapes and comments ------------------------------------

#: Names imported from a.old, and the name each has in its new place.
POOL = {"A": "A", "B": "B", "Moved": "NewName", "Renamed": "Fresh", "Same": "Same"}


@st.composite
def from_imports(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]]]:
    names = draw(st.lists(st.sampled_from(sorted(POOL)), min_size=1, max_size=5, unique=True))
    aliases = [(n, draw(st.sampled_from([None, n.lower(), POOL[n]]))) for n in names]
    written = [n if a is None else f"{n} as {a}" for n, a in aliases]
    shape = draw(st.sampled_from(["flat", "parens", "multi", "multi-comments", "hanging"]))
    indent = draw(st.sampled_from(["", "    "]))
    head = f"{indent}from a.old import "
    if shape == "flat":
        body = ", ".join(written)
    elif shape == "parens":
        body = "(" + ", ".join(written) + ")"
    elif shape == "hanging":
        body = "(" + (",\n" + " " * len(head)).join(written) + ")"
    else:
        comments = shape == "multi-comments"
        lines = ["(" + ("  # head" if comments else "")]
        for n, w in enumerate(written):
            if comments and draw(st.booleans()):
                lines.append(f"{indent}    # about {w}")
            lines.append(f"{indent}    {w}," + (f"  # c{n}" if comments else ""))
        lines.append(f"{indent})")
        body = "\n".join(lines)
    statement = head + body + "\n"
    text = ("if x:\n" if indent else "") + statement + f"{indent}y = 1\n"
    bound = [(a or n, n) for n, a in aliases]
    return text, bound


def bindings(text: str) -> dict[str, str]:
    """Local name -> the dotted path it is bound to, for every import in ``text``."""
    found: dict[str, str] = {}
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                found[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                found[alias.asname or alias.name] = alias.name
    return found


def comments(text: str) -> list[str]:
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    return [t.string for t in tokens if t.type == tokenize.COMMENT]


@settings(max_examples=300, deadline=None)
@given(from_imports())
def test_any_from_import_keeps_names_and_comments(case: tuple[str, list[tuple[str, str]]]) -> None:
    text, bound = case
    result = fix(text)
    after = result.text
    assert result.hand_fixes == []
    # Every local name is bound to where its old path moved, and nothing else is bound.
    expected = {}
    for local, name in bound:
        match = INDEX.lookup(f"a.old.{name}")
        assert match is not None and match.new_path is not None
        expected[local] = match.new_path
    assert bindings(after) == expected
    # No comment lost, none made up; the statements keep their indentation.
    assert sorted(comments(after)) == sorted(comments(text))
    indent = re.match(r"\s*", text.splitlines()[-1])
    assert indent is not None
    for line in after.splitlines():
        if line.lstrip().startswith(("from ", "import ")):
            assert line.startswith(indent.group())
    cst.parse_module(after)
    assert fix(after).text == after


# --- the rewriter: groups are all or nothing --------------------------------------------


def test_a_group_is_applied_whole_or_not_at_all() -> None:
    from archlint.domain.deprecations import Replacement
    from archlint.rewrite.imports import ChainEdit, ImportEdit

    text = "import a.old\nprint(a.old.X)\n"
    rename = ImportEdit((1, 0), 0, Replacement(None, "a.new"))
    chain = ChainEdit((2, 6), (2, 11), "a.new")
    nowhere = ChainEdit((2, 0), (2, 3), "a.new")
    done = rewrite_source(text, [[rename, chain]])
    assert (done.code, done.applied, done.refused) == ("import a.new\nprint(a.new.X)\n", [0], {})
    done = rewrite_source(text, [[rename, nowhere]])
    assert done.code == text
    assert done.applied == []
    assert done.refused == {0: "cannot find the expression to rewrite at 2:1"}
    done = rewrite_source(text, [[rename], [nowhere]])
    assert done.code == "import a.new\nprint(a.old.X)\n"
    assert (done.applied, list(done.refused)) == ([0], [1])


def test_lines_outside_the_edited_statements_are_copied_not_regenerated() -> None:
    from archlint.domain.deprecations import Replacement
    from archlint.rewrite.imports import ImportEdit

    # A form feed and odd spacing elsewhere stay as they are.
    text = "x  =  [1,\n  2]\x0c\nimport a.old\ny = 1  ;  z = 2\n"
    done = rewrite_source(text, [[ImportEdit((3, 0), 0, Replacement(None, "a.new"))]])
    assert done.code == "x  =  [1,\n  2]\x0c\nimport a.new\ny = 1  ;  z = 2\n"
    # libcst drops a lone CR that ends a file: a statement whose lines all end with a lone
    # CR is handed to it with LF and turned back.
    text = "import a.old\ry = 1\n"
    done = rewrite_source(text, [[ImportEdit((1, 0), 0, Replacement(None, "a.new"))]])
    assert done.code == "import a.new\ry = 1\n"
    text = "x = 1\rimport a.old\r"
    done = rewrite_source(text, [[ImportEdit((2, 0), 0, Replacement(None, "a.new"))]])
    assert done.code == "x = 1\rimport a.new\r"
    # A statement whose lines end both ways is handed over as it is.
    text = "import os\nimport a.old, \\\r  b\n"
    done = rewrite_source(text, [[ImportEdit((2, 0), 0, Replacement(None, "a.new"))]])
    assert done.code == "import os\nimport a.new, \\\r  b\n"


def test_the_parsers_warnings_do_not_turn_into_errors() -> None:
    # Under ``-W error`` an invalid escape in the checked code is a SyntaxError to a bare
    # ast.parse: the file would be refused as not parsing.
    import warnings

    text = 'from pkg.old import X; y = "\\d"\n'
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        done = rewrite_source(text, [])
    assert done.code == text
