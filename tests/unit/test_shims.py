"""What a shim may hold (ARC004's rule), from source snippets to the statements flagged."""

from __future__ import annotations

import ast
import keyword
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archlint.domain.deprecations import DeprecationIndex
from archlint.domain.model import Deprecation, Origin
from archlint.domain.shims import binds, grown_code, resolves, shim_findings, shim_of
from archlint.rewrite.shim import shim_text


def grown(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(textwrap.dedent(source))
    return [(g.line, g.what) for g in grown_code(tree.body)]


CLEAN = {
    "archlint move's shim": shim_text("pkg.old", "pkg.new", ["A", "b"]),
    "star shim": shim_text("pkg.old", "pkg.new", None),
    "empty shim": shim_text("pkg.old", "pkg.new", []),
    "no warning": shim_text("pkg.old", "pkg.new", ["A"], warn=False),
    "future, as, aliases, del": """
        '''Moved.'''
        from __future__ import annotations
        import pkg.new as _new
        from pkg.new import Thing as OldThing, other
        Alias = OldThing
        Deep = _new.sub.Thing
        fallback = None
        __all__ = ("OldThing", "Alias") + ("other",)
        __all__ += _new.__all__
        del _new
    """,
    "lazy re-export (PEP 562, scipy style)": """
        import warnings
        from pkg._lib.deprecation import _sub_module_deprecation
        __all__ = ["f", "g"]
        _MOVED = {"f": "pkg.new", "g": ("pkg.new", 2)}

        def __dir__():
            return __all__

        def __getattr__(name):
            if name not in _MOVED:
                raise AttributeError(name)
            warnings.warn(f"{__name__}.{name} moved", DeprecationWarning, stacklevel=2)
            return _sub_module_deprecation(module=_MOVED[name], attribute=name)
    """,
    "lazy_loader": """
        import lazy_loader as lazy
        __getattr__, __dir__, __all__ = lazy.attach(__name__, submodules=["a"])
    """,
    "TYPE_CHECKING, version checks, ImportError fallbacks": """
        import sys
        import typing
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from pkg.new import A
        elif sys.version_info >= (3, 11):
            from pkg.new import A
        else:
            pass
        if typing.TYPE_CHECKING:
            from pkg.new import B
        try:
            from pkg.new import C
        except (ImportError, ModuleNotFoundError):
            C = None
        else:
            D = C
        finally:
            pass
        try:
            from pkg.new import E
        except ImportError as error:
            raise ImportError("pkg.old moved to pkg.new") from error
    """,
    "warn, every spelling": """
        import warnings
        from warnings import warn
        warnings.warn("moved", DeprecationWarning, stacklevel=2)
        warn("{} moved".format(__name__), category=FutureWarning)
        warnings.warn(f"{__name__} moved to " + "pkg.new", PendingDeprecationWarning)
    """,
    "module alias through sys.modules": """
        import importlib
        import sys
        sys.modules[__name__] = importlib.import_module("pkg.new")
    """,
    "tombstone": """
        raise ImportError("pkg.old was removed: use pkg.new")
    """,
}


@pytest.mark.parametrize("name", sorted(CLEAN))
def test_what_shims_are_made_of_is_allowed(name: str) -> None:
    assert grown(CLEAN[name]) == []


GROWN = {
    "class": ("from pkg.new import A\n\nclass B(A):\n    pass\n", [(3, "class B")]),
    "function": ("def helper():\n    return 1\n", [(1, "function helper()")]),
    "async function": ("async def helper():\n    pass\n", [(1, "function helper()")]),
    "computed assignment": ("from pkg.new import f\nX = f()\n", [(2, "assignment to X")]),
    "public literal": ("TIMEOUT = 30\n", [(1, "assignment to TIMEOUT")]),
    "arithmetic": ("_X = 2 ** 10\n", [(1, "assignment to _X")]),
    "augmented": ("from pkg.new import n\nn += 1\n", [(2, "assignment to n")]),
    "loop": ("for i in range(3):\n    pass\n", [(1, "for loop")]),
    "while": ("while False:\n    pass\n", [(1, "while loop")]),
    "call": ("import logging\nlogging.basicConfig()\n", [(2, "call to logging.basicConfig()")]),
    "with": ("with open('x') as f:\n    pass\n", [(1, "with block")]),
    "code in a TYPE_CHECKING block": (
        "if TYPE_CHECKING:\n    from a import b\n    class P: ...\n",
        [(3, "class P")],
    ),
    "if on a call": ("if check():\n    import a\n", [(1, "if statement whose test runs code")]),
    "broad try": (
        "try:\n    import a\nexcept Exception:\n    pass\n",
        [(1, "try statement that catches more than ImportError")],
    ),
    "bare except": (
        "try:\n    import a\nexcept:\n    pass\n",
        [(1, "try statement that catches more than ImportError")],
    ),
    "code in an ImportError handler": (
        "try:\n    import a\nexcept ImportError:\n    a = make()\n",
        [(4, "assignment to a")],
    ),
    "warn with a computed argument": (
        "import warnings\nwarnings.warn(message())\n",
        [(2, "call to warnings.warn()")],
    ),
    "another function of warnings": (
        "import warnings\nwarnings.simplefilter('ignore')\n",
        [(2, "call to warnings.simplefilter()")],
    ),
    "attribute assignment": ("import a\na.x = 1\n", [(2, "assignment to a.x")]),
    "lambda alias": ("f = lambda: 1\n", [(1, "assignment to f")]),
    "assert": ("assert True\n", [(1, "assert statement")]),
}


@pytest.mark.parametrize("name", sorted(GROWN))
def test_code_of_its_own_is_flagged_at_its_line(name: str) -> None:
    source, expected = GROWN[name]
    assert grown(source) == expected


def test_every_grown_statement_is_found_in_file_order() -> None:
    source = shim_text("pkg.old", "pkg.new", ["A"]) + "\nclass B:\n    pass\n\nX = A()\n"
    assert [what for _, what in grown(source)] == ["class B", "assignment to X"]


def _deprecation(old: str, new: str | None, **kwargs: object) -> Deprecation:
    return Deprecation(old=old, new=new, origin=Origin("contracts/d.toml", 3), **kwargs)  # type: ignore[arg-type]


MODULES = {"pkg", "pkg.new", "pkg.new.sub", "pkg.old", "pkg.old.sub", "pkg.util", "pkg.util.core"}
TREES = {"pkg.new": ast.parse("class Thing: ...\n"), "pkg": ast.parse("")}


def _resolves(path: str) -> bool:
    return resolves(path, MODULES.__contains__, lambda p: p.startswith("pkg"), TREES.get)


@pytest.mark.parametrize(
    ("deprecations", "module", "new"),
    [
        ([_deprecation("pkg.old", "pkg.new")], "pkg.old", "pkg.new"),
        ([_deprecation("pkg.old", "pkg.new")], "pkg.old.sub", "pkg.new.sub"),
        # A name-level new resolves when its module binds the name.
        ([_deprecation("pkg.old", "pkg.new.Thing")], "pkg.old", "pkg.new.Thing"),
        ([_deprecation("pkg.old", "pkg.new.Other")], "pkg.old", None),
        # Outside the project: taken on trust.
        ([_deprecation("pkg.old", "tomllib")], "pkg.old", "tomllib"),
        # Removed (no new): nothing to re-export, not a shim.
        ([_deprecation("pkg.old", None)], "pkg.old", None),
        # Planned: new does not exist yet, so the code at old is the real thing; a new
        # module in an existing package is no name of that package either.
        ([_deprecation("pkg.old", "pkg.later.place")], "pkg.old", None),
        ([_deprecation("pkg.old", "pkg.later")], "pkg.old", None),
        # A module that became a package: its new submodule is real.
        # (pkg.util itself is no shim to judge: a deprecation of a module into its own
        # submodule never ends as a chain, and the loader refuses it.)
        ([_deprecation("pkg.util", "pkg.util.core")], "pkg.util.core", None),
        # A name deprecated inside a module does not make the module a shim.
        ([_deprecation("pkg.old.Thing", "pkg.new.Thing")], "pkg.old", None),
        ([], "pkg.old", None),
    ],
)
def test_which_modules_are_shims(
    deprecations: list[Deprecation], module: str, new: str | None
) -> None:
    shim = shim_of(DeprecationIndex(deprecations), module, _resolves)
    assert (shim.new if shim else None) == new


def test_one_finding_per_shim_names_the_deprecation_and_new() -> None:
    index = DeprecationIndex(
        [_deprecation("pkg.old", "pkg.new", since=__import__("datetime").date(2025, 10, 5))]
    )
    shim = shim_of(index, "pkg.old.sub", _resolves)
    assert shim is not None
    tree = ast.parse("import a\nclass B: ...\nX = a.f()\nfor _ in a: ...\n")
    [finding] = shim_findings(shim, tree)
    assert (finding.line, finding.col, finding.code) == (2, 0, "ARC004")
    assert finding.message == (
        "shim pkg.old.sub grew code: class B (and 2 more statements); a shim only re-exports "
        "pkg.new.sub (deprecation of pkg.old since 2025-10-05): move the code to pkg.new.sub"
    )


@pytest.mark.parametrize(
    ("source", "name", "expected"),
    [
        ("def f(): ...", "f", True),
        ("from x import f as g", "g", True),
        ("from x import *", "anything", True),
        ("def __getattr__(name): ...", "anything", True),
        ("try:\n    from x import f\nexcept ImportError:\n    f = None", "f", True),
        ("import a.b", "a", True),
        ("g = 1\nclass H: ...", "f", False),
    ],
)
def test_binds(source: str, name: str, expected: bool) -> None:
    assert binds(ast.parse(source), name) is expected


def test_a_huge_expression_is_walked_without_recursion() -> None:
    # As deep as the parser takes (2,500 levels): beyond the 1,000 a recursive walk could.
    source = "import warnings\nwarnings.warn(" + " + ".join(["'x'"] * 2500) + ")\n"
    assert grown(source) == []
    assert grown("_X = " + " + ".join(["f()"] * 2500) + "\n") == [(1, "assignment to _X")]


_IDENT = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,12}", fullmatch=True).filter(
    lambda s: not keyword.iskeyword(s)
)
_DOTTED = st.lists(_IDENT, min_size=1, max_size=4).map(".".join)


@settings(max_examples=60, deadline=None)
@given(
    old=_DOTTED,
    new=_DOTTED,
    names=st.none() | st.lists(_IDENT, max_size=8, unique=True),
    warn=st.booleans(),
)
def test_every_shim_archlint_move_writes_is_clean(
    old: str, new: str, names: list[str] | None, warn: bool
) -> None:
    assert grown(shim_text(old, new, names, warn=warn)) == []
