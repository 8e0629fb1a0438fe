"""``archlint check`` reads most files' import statements from the lines grimp gives, not
from a parse of the whole file: the findings are still exactly flake8's.

The project below writes imports in every shape whose reading could go wrong from a line
alone (parenthesised, on one line with others, in one-line blocks, under ``TYPE_CHECKING``
and its ``elif``/``else``, in functions and classes, after non-ASCII text) and breaks a
layers contract, an ``acyclic`` one and a deprecation with them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from archlint.application import gate as gate_module
from archlint.application import gate_files
from archlint.application.project import open_project

from ..helpers import make_project, run

CONTRACTS = """
[[contracts]]
id = "layers"
type = "layers"
containers = ["pkg"]
layers = ["high", "low"]
# What sits under TYPE_CHECKING (the elif included) does not count: the marks must be right.
exclude_type_checking_imports = true

[[contracts]]
id = "low-acyclic"
type = "acyclic"
packages = ["pkg.low"]
# Imports in functions do not count either.
exclude_lazy_imports = true

[[deprecations]]
old = "pkg.old"
new = "pkg.new"
"""

TRICKY = """\
from __future__ import annotations
import typing
from typing import TYPE_CHECKING
from pkg.high import (
    b,
    b as again,
)
import pkg.old; from pkg import new
if TYPE_CHECKING:
    from pkg.high.b import thing
elif typing.TYPE_CHECKING:
    import pkg.high
else:
    from pkg import old as legacy
from pkg.low import d
def f():
    from pkg.old import X
    from . import c
class K:
    import pkg.high.b as hb
try: import pkg.old
except ImportError: pass
x = "é€"; from pkg.high import b as b2
if x: from pkg.old import \\
    X as Y
"""

FILES = {
    "contracts/architecture.toml": CONTRACTS,
    "src/pkg/__init__.py": "",
    "src/pkg/old.py": "from pkg.new import X\n",
    "src/pkg/new.py": "X = 1\n",
    "src/pkg/high/__init__.py": "",
    "src/pkg/high/b.py": "thing = 1\n",
    "src/pkg/low/__init__.py": "",
    "src/pkg/low/a.py": TRICKY,
    "src/pkg/low/c.py": "from pkg.low import a\n",
    "src/pkg/low/d.py": "from pkg.low import a\n",
    # Outside the graph: parsed whole, as before.
    "tests/test_a.py": "import pkg.old\n",
}

FLAKE8 = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>ARC\d+) (?P<msg>.*)$")


def _flake8(root: Path) -> set[tuple[str, int, int, str, str]]:
    result = run(["flake8", "--disable-noqa", "--select", "ARC", "src", "tests"], cwd=root)
    assert result.stderr == "", result.stderr
    found = set()
    for line in result.stdout.splitlines():
        match = FLAKE8.match(line)
        assert match, line
        found.add(
            (
                Path(match["path"]).as_posix(),
                int(match["line"]),
                int(match["col"]),
                match["code"],
                match["msg"],
            )
        )
    return found


def _check(root: Path) -> set[tuple[str, int, int, str, str]]:
    result = run(["archlint", "check", "--no-cache", "--format", "json"], cwd=root)
    assert result.returncode == 1, result.stdout + result.stderr
    return {
        (f["path"], f["line"], f["col"], f["code"], f["message"])
        for f in json.loads(result.stdout)["findings"]
    }


def test_check_reads_the_tricky_file_as_flake8_does(tmp_path: Path) -> None:
    root = make_project(tmp_path, FILES)
    check = _check(root)
    assert check == _flake8(root)
    codes = {code for _, _, _, code, _ in check}
    assert {"ARC001", "ARC101", "ARC106"} <= codes, check
    # The lazy cycle a -> c is left out, the eager one a -> d is not; nothing under
    # TYPE_CHECKING breaks the layers.
    cycles = {(path, line) for path, line, _, code, _ in check if code == "ARC106"}
    assert cycles == {("src/pkg/low/a.py", 15), ("src/pkg/low/d.py", 1)}, check
    assert not {line for path, line, _, code, _ in check if code == "ARC101"} & {10, 12}
    assert any(path == "tests/test_a.py" for path, *_ in check)


def test_the_tricky_file_is_not_parsed_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same check in this process, counting whole-file parses: the module files go by
    # their lines (the shim pkg.old is read whole for ARC004, and tests/ is outside the
    # graph); the findings are the same as the executable's.
    root = make_project(tmp_path, FILES)
    parsed: list[str] = []
    real = gate_files.parse_source

    def counting(text: str, shown: str):  # type: ignore[no-untyped-def]
        parsed.append(shown)
        return real(text, shown)

    monkeypatch.setattr(gate_files, "parse_source", counting)
    monkeypatch.chdir(root)
    # One process (a forked child's parses would not be counted here).
    report = gate_module.gate(open_project(root), use_cache=False, jobs=1)
    assert sorted(parsed) == ["src/pkg/old.py", "tests/test_a.py"]
    found = {(f.path, f.line, f.col, f.code, f.message) for f in report.findings}
    assert found == _check(root)


def test_only_the_statements_that_may_hold_a_finding_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pkg.low.e imports a module of its own layer (no break, no cycle), a module nothing
    # deprecates, and a deprecated one: only the last statement's line is read.
    files = {**FILES, "src/pkg/low/e.py": "from pkg.low import c\nimport pkg.new\nimport pkg.old\n"}
    root = make_project(tmp_path, files)
    from archlint.application import import_lines

    asked: dict[int, frozenset[int]] = {}
    real = import_lines.import_statements

    def recording(text: str, lines: frozenset[int]):  # type: ignore[no-untyped-def]
        asked[len(asked)] = lines
        return real(text, lines)

    monkeypatch.setattr(import_lines, "import_statements", recording)
    monkeypatch.chdir(root)
    report = gate_module.gate(open_project(root), use_cache=False, jobs=1)
    assert frozenset({3}) in asked.values()
    assert not any({1, 2} & lines and 3 in lines for lines in asked.values())
    found = {(f.path, f.line, f.col, f.code, f.message) for f in report.findings}
    assert ("src/pkg/low/e.py", 3, 1, "ARC001") in {f[:4] for f in found}
    assert found == _check(root) == _flake8(root)
