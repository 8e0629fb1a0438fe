"""scan_string_references: string literals passed to calls that take a module path."""

from __future__ import annotations

import ast
import textwrap

import pytest

from archlint.domain.imports import StringReference, StringRefKind
from archlint.scanning.strings import scan_string_references

MODULE = StringRefKind.MODULE
TARGET = StringRefKind.TARGET


def scan(source: str) -> list[StringReference]:
    return scan_string_references(ast.parse(textwrap.dedent(source)))


def summary(source: str) -> list[tuple[str, StringRefKind, str]]:
    """(value, kind, call) of each reference: what most tests care about."""
    return [(ref.value, ref.kind, ref.call) for ref in scan(source)]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # MODULE kind.
        ('importlib.import_module("a.b")', [("a.b", MODULE, "importlib.import_module")]),
        ('import_module("a")', [("a", MODULE, "import_module")]),
        ('import_module(name="a.b")', [("a.b", MODULE, "import_module")]),
        ('import_module("a.b", package="x")', [("a.b", MODULE, "import_module")]),
        ('__import__("a.b")', [("a.b", MODULE, "__import__")]),
        ('__import__(name="a.b")', [("a.b", MODULE, "__import__")]),
        ('builtins.__import__("a")', [("a", MODULE, "builtins.__import__")]),
        ('__import__("a", globals(), None, ["x"], 0)', [("a", MODULE, "__import__")]),
        ('importlib.util.find_spec("a.b")', [("a.b", MODULE, "importlib.util.find_spec")]),
        ('find_spec("a")', [("a", MODULE, "find_spec")]),
        ('find_spec(name="a")', [("a", MODULE, "find_spec")]),
        ('pytest.importorskip("numpy")', [("numpy", MODULE, "pytest.importorskip")]),
        ('importorskip("a.b")', [("a.b", MODULE, "importorskip")]),
        ('pytest.importorskip(modname="a.b")', [("a.b", MODULE, "pytest.importorskip")]),
        # TARGET kind.
        ('mock.patch("a.b.C")', [("a.b.C", TARGET, "mock.patch")]),
        ('unittest.mock.patch("a.b")', [("a.b", TARGET, "unittest.mock.patch")]),
        ('patch("a.b.C.meth")', [("a.b.C.meth", TARGET, "patch")]),
        ('mocker.patch("a.b")', [("a.b", TARGET, "mocker.patch")]),
        ('patch(target="a.b", new=1)', [("a.b", TARGET, "patch")]),
        ('mock.patch.dict("os.environ", {"A": "1"})', [("os.environ", TARGET, "mock.patch.dict")]),
        ('patch.dict("a.b")', [("a.b", TARGET, "patch.dict")]),
        ('patch.dict("sys")', [("sys", TARGET, "patch.dict")]),
        ('mocker.patch.dict(in_dict="a.b")', [("a.b", TARGET, "mocker.patch.dict")]),
        ('patch.multiple("a.b", x=1)', [("a.b", TARGET, "patch.multiple")]),
        ('mock.patch.multiple(target="a", x=1)', [("a", TARGET, "mock.patch.multiple")]),
        ('monkeypatch.setattr("a.b.c", 1)', [("a.b.c", TARGET, "monkeypatch.setattr")]),
        ('monkeypatch.delattr("a.b.c")', [("a.b.c", TARGET, "monkeypatch.delattr")]),
        (
            'self.monkeypatch.setattr(target="a.b", value=1)',
            [("a.b", TARGET, "self.monkeypatch.setattr")],
        ),
        ('my_monkeypatch.setattr("a.b", 1)', [("a.b", TARGET, "my_monkeypatch.setattr")]),
        ('pkgutil.resolve_name("a.b:C.d")', [("a.b:C.d", TARGET, "pkgutil.resolve_name")]),
        ('resolve_name("a.b.C")', [("a.b.C", TARGET, "resolve_name")]),
        ('resolve_name("a.b:")', [("a.b:", TARGET, "resolve_name")]),
    ],
)
def test_each_call_form(source: str, expected: list[tuple[str, StringRefKind, str]]) -> None:
    assert summary(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        # Non-dotted monkeypatch forms are attribute names on an object, not paths.
        'monkeypatch.setattr(obj, "name", 1)',
        'monkeypatch.setattr(obj, "a.b", 1)',
        'monkeypatch.setattr("name", 1)',
        'monkeypatch.delattr(obj, "name")',
        # setattr on something not named like the fixture.
        'setattr("a.b", 1)',
        'obj.setattr("a.b", 1)',
        # f-strings, bytes, non-strings, non-literals.
        'import_module(f"a.{b}")',
        'import_module(f"a.b")',
        'import_module(b"a.b")',
        "import_module(name)",
        "import_module(1)",
        'import_module(*["a.b"])',
        # patch needs a dotted target; HTTP-style patch calls are not targets.
        'mock.patch("a")',
        'client.patch("/api/v1.0/items")',
        'requests.patch("https://example.com/a.b")',
        # Strings that cannot name a module.
        'import_module("my-pkg.x")',
        'import_module("")',
        'import_module("a..b")',
        'resolve_name("a.b:C-d")',
        # Relative names: the absolute module is not in the string.
        'import_module(".sub", package="pkg")',
        'import_module("..sub", "pkg.x")',
        '__import__("a", globals(), None, ["x"], 1)',
        '__import__("a", level=2)',
        '__import__("a", level=lvl)',
        # Other patch helpers and other dict/multiple.
        'mock.patch.object(obj, "a.b")',
        'dict("a.b")',
        'other.dict("a.b")',
        'other.multiple("a.b")',
        # Wrong keyword, or a positional argument that is not the string.
        'import_module(package="a.b")',
        'patch(new="a.b")',
        # Callees that are not written as a dotted name.
        'get_mocker().patch("a.b")',
        'fixtures["mp"].setattr("a.b", 1)',
    ],
)
def test_not_a_reference(source: str) -> None:
    assert scan(source) == []


def test_decorator_form_and_positions() -> None:
    source = """\
    @mock.patch("a.b.C")
    @mock.patch.object(Thing, "attr")
    def test(m):
        x = 1; importlib.import_module(  "pkg.mod")
    """
    assert scan(source) == [
        StringReference(
            value="a.b.C",
            kind=TARGET,
            call="mock.patch",
            line=1,
            col=12,
            end_line=1,
            end_col=19,
        ),
        StringReference(
            value="pkg.mod",
            kind=MODULE,
            call="importlib.import_module",
            line=4,
            col=37,
            end_line=4,
            end_col=46,
        ),
    ]


def test_implicitly_concatenated_string_spans_lines() -> None:
    source = """\
    mock.patch(
        "a.b."
        "C"
    )
    """
    (ref,) = scan(source)
    assert (ref.value, ref.line, ref.col, ref.end_line, ref.end_col) == ("a.b.C", 2, 4, 3, 7)


def test_results_in_source_order_despite_nesting() -> None:
    source = """\
    def f():
        if x:
            with mock.patch("deep.first"):
                pass
    import_module("shallow.second")
    g(patch("nested.third"), import_module("nested.fourth"))
    """
    assert [ref.value for ref in scan(source)] == [
        "deep.first",
        "shallow.second",
        "nested.third",
        "nested.fourth",
    ]


def test_keyword_ignored_when_a_positional_argument_is_given() -> None:
    # The positional argument is the target; the keyword string is the replacement value.
    assert scan('mock.patch(target_var, new="a.b")') == []
