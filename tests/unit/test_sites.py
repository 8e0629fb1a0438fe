"""Reading an import's context from the lines above it agrees with the parser, or abstains."""

from __future__ import annotations

import ast
import itertools
import sysconfig
import textwrap
from pathlib import Path

import pytest

from archlint.backend import sites
from archlint.backend.sites import Site, context_from_lines
from archlint.scanning.imports import scan_imports
from archlint.scanning.modules import ModuleName


def _parsed_sites(source: bytes) -> dict[int, Site]:
    tree = ast.parse(source)
    sites: dict[int, Site] = {}
    for record in scan_imports(tree, ModuleName("pkg.mod", False)):
        sites.setdefault(record.stmt_line, Site(record.is_lazy, record.is_type_checking))
    return sites


CASES = {
    "module level": ("import a\n", 1, Site(False, False)),
    "in a function": ("def f():\n    import a\n", 2, Site(True, False)),
    "type checking": ("if TYPE_CHECKING:\n    import a\n", 2, Site(False, True)),
    "typing.TYPE_CHECKING": ("if typing.TYPE_CHECKING:  # x\n    import a\n", 2, Site(False, True)),
    "else of type checking": (
        "if TYPE_CHECKING:\n    import a\nelse:\n    import b\n",
        4,
        Site(False, False),
    ),
    "elif type checking": (
        "if sys.version_info >= (3, 8):\n    import a\nelif TYPE_CHECKING:\n    import b\n",
        4,
        Site(False, True),
    ),
    "else after elif type checking": (
        "if x:\n    pass\nelif t.TYPE_CHECKING:\n    pass\nelse:\n    import b\n",
        6,
        Site(False, False),
    ),
    "elif chain": (
        "if TYPE_CHECKING:\n    pass\nelif x:\n    pass\nelse:\n    import b\n",
        6,
        Site(False, False),
    ),
    "method in class in type checking": (
        "if TYPE_CHECKING:\n    class C:\n        def m(self):\n            import a\n",
        4,
        Site(True, True),
    ),
    "try in function": (
        "def f():\n    try:\n        import a\n    except ImportError:\n        a = None\n",
        3,
        Site(True, False),
    ),
    "multi-line def header": ("def f(\n    x,\n):\n    import a\n", 4, Site(True, False)),
    "multi-line def header with return type": (
        "class C:\n    def f(\n        self,  # (\n    ) -> int:\n        import a\n",
        5,
        Site(True, False),
    ),
    "multi-line if header in a function": (
        "def f():\n    if (\n        x\n        or y[0]\n    ):\n        import a\n",
        6,
        Site(True, False),
    ),
    "multi-line elif after type checking": (
        "if TYPE_CHECKING:\n    pass\nelif (\n    x\n):\n    import a\n",
        6,
        Site(False, False),
    ),
    "multi-line header naming TYPE_CHECKING": (
        "if (\n    TYPE_CHECKING\n):\n    import a\n",
        4,
        None,
    ),
    "multi-line header with a string": ('if (\n    x == ")"\n):\n    import a\n', 4, None),
    "multi-line header closing deeper": ("def f(a,\n      b):\n    import a\n", 3, None),
    "multi-line header, first line less indented": (
        "def g():\n    x = (\n  1\n    ):\n        import a\n",
        5,
        None,
    ),
    "docstring at column 0": (
        'def f():\n    """\ndoc\nif TYPE_CHECKING:\n    """\n    import a\n',
        6,
        Site(True, False),
    ),
    "one-line docstring": ('def f():\n    """Doc."""\n    import a\n', 3, Site(True, False)),
    "string opening on a header": ('def f(x="""\n"""):\n    import a\n', 3, None),
    "not type checking": ("if not TYPE_CHECKING:\n    import a\n", 2, None),
    "continuation at column 0": ("def f():\n    x = [a\nfor a in b]\n    import a\n", 4, None),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_cases(case: str) -> None:
    source, line, expected = CASES[case]
    lines = tuple(source.encode().splitlines())
    assert context_from_lines(lines, line) == expected
    if expected is not None:
        assert _parsed_sites(source.encode())[line] == expected


def _corpus() -> list[Path]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(p for p in stdlib.rglob("*.py") if "test" not in p.parts)
    return files[::7][:400]


def test_agrees_with_the_parser_on_the_standard_library() -> None:
    """Every answer given is the parser's; abstentions are rare."""
    answered = abstained = 0
    for path in _corpus():
        source = path.read_bytes()
        try:
            parsed = _parsed_sites(source)
        except (SyntaxError, ValueError):
            continue
        lines = tuple(source.splitlines())
        for number, site in parsed.items():
            quick = context_from_lines(lines, number)
            if quick is None:
                abstained += 1
                continue
            answered += 1
            assert quick == site, f"{path}:{number}: {quick} != {site}"
    assert answered > 1000
    assert abstained < answered / 20, textwrap.shorten(f"{abstained} of {answered}", 80)


def test_link_facts_are_link_context_and_link_marks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One reading of the lines gives what the two questions give asked apart, whether each
    line is answered from the text or one needs the parser."""
    files: dict[str, tuple[Path, bool]] = {}
    for number, name in enumerate(sorted(CASES)):
        path = tmp_path / f"m{number}.py"
        path.write_text(CASES[name][0])
        files[f"pkg.m{number}"] = (path, False)
    mixed = tmp_path / "mixed.py"  # answered, abstaining, lazy and TYPE_CHECKING lines
    mixed.write_text(
        "import a\nif TYPE_CHECKING:\n    import b\ndef f(\n    x,\n):\n    import c\n"
        "def g():\n    import d\n"
    )
    files["pkg.mixed"] = (mixed, False)
    monkeypatch.setattr(sites, "module_file", files.get)
    sites.clear()
    try:
        for module, (path, _) in files.items():
            count = len(path.read_text().splitlines())
            choices = range(0, count + 2)  # 0 and count + 1: lines no import is on
            for size in range(4):
                for lines in itertools.combinations(choices, size):
                    expected = (
                        sites.link_context(module, lines),
                        *sites.link_marks(module, lines),
                    )
                    assert sites.link_facts(module, lines) == expected, (module, lines)
        assert sites.link_facts("pkg.absent", (1,)) == (Site(False, False), (), ())
    finally:
        sites.clear()
