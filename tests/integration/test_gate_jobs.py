"""``archlint check --jobs 2`` checks the deprecations in a forked child while the graph is
built: every output (findings, their order, errors, exit status) is the one ``--jobs 1``
gives, whatever the files hold: deprecated imports read from the graph's lines or parsed
whole, strings, shims, direct breaks, cycles, ``# noqa``, files that cannot be read, files
outside the graph."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from archlint.application import gate as gate_module
from archlint.application import gate_fork
from archlint.application.gate_fork import jobs_wanted
from archlint.application.project import open_project

from ..helpers import make_project, run
from .test_gate_quick import FILES

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")

MORE = {
    # A removed module outside the graph, imported more than one level deep: text only.
    "contracts/more.toml": '[[deprecations]]\nold = "pkg.gone"\n',
    "src/pkg/low/e.py": "import pkg.gone.deep\nfrom pkg.low import a  # noqa: ARC106\n",
    "src/pkg/high/s.py": 'import importlib\nimportlib.import_module("pkg.old")\n',
    "src/pkg/high/n.py": "from pkg import old  # noqa\nfrom pkg.old import X  # noqa: ARC101\n",
    "tests/test_b.py": "from pkg.old import (\n",  # cannot be parsed
    "tests/test_c.py": "x = 'caf\\xe9'\n",
    "tests/conftest.py": "import pkg.gone\nimport mock\nmock.patch('pkg.old.X')\n",
}


def _outputs(root: Path, jobs: str) -> list[tuple[int, str, str]]:
    out = []
    for fmt in ("json", "text"):
        proc = run(["archlint", "check", "--no-cache", "--jobs", jobs, "--format", fmt], cwd=root)
        out.append((proc.returncode, proc.stdout, proc.stderr))
    return out


#: No contract: no graph is built, so no lines come, and the child parses whole the files it
#: would otherwise read as their import statements alone (one process parses them whole too).
NO_CONTRACTS = {
    "contracts/architecture.toml": '[[deprecations]]\nold = "pkg.old"\nnew = "pkg.new"\n'
}


@pytest.mark.parametrize(
    "extra", [{}, MORE, NO_CONTRACTS], ids=["tricky", "tricky+more", "no-contracts"]
)
def test_two_jobs_give_what_one_gives(tmp_path: Path, extra: dict[str, str]) -> None:
    root = make_project(tmp_path, {**FILES, **extra})
    (root / "tests/test_d.py").write_bytes(b"x = '\xff'\n")  # not UTF-8
    one = _outputs(root, "1")
    assert one == _outputs(root, "2")
    assert one[0][0] == 2  # tests/test_d.py cannot be decoded
    assert "tests/test_d.py" in one[1][2]
    assert "ARC001" in one[0][1]
    if extra is MORE:
        assert "tests/test_b.py:1" in one[1][2]
        assert "ARC002" in one[0][1] and "ARC003" in one[0][1]


def test_two_jobs_in_process_match_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path, {**FILES, **MORE})
    monkeypatch.chdir(root)
    one = gate_module.gate(open_project(root), use_cache=False, jobs=1)
    two = gate_module.gate(open_project(root), use_cache=False, jobs=2)
    assert one == two
    assert two.findings and two.unreadable


def test_a_contract_failure_stops_the_child(tmp_path: Path) -> None:
    # The graph cannot be built (a module grimp cannot parse): one error line, exit 2, and
    # no child left behind (run() returns only once every process holding the pipes ended).
    root = make_project(tmp_path, {**FILES, "src/pkg/high/bad.py": "def (:\n"})
    one = run(["archlint", "check", "--no-cache", "--jobs", "1"], cwd=root)
    two = run(["archlint", "check", "--no-cache", "--jobs", "2"], cwd=root)
    assert two.returncode == one.returncode == 2
    assert (two.stdout, two.stderr) == (one.stdout, one.stderr)
    assert "Traceback" not in two.stderr


def test_jobs_come_from_the_option_then_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCHLINT_JOBS", "1")
    assert jobs_wanted(None) == 1
    assert jobs_wanted(2) == 2
    monkeypatch.setenv("ARCHLINT_JOBS", "2")
    assert jobs_wanted(None) == 2
    monkeypatch.setenv("ARCHLINT_JOBS", "lots")  # not a number: decided as by default
    assert jobs_wanted(None) in (1, 2)
    monkeypatch.setattr(gate_fork, "cores", lambda: 1)
    assert jobs_wanted(0) == 1  # one core: nothing to gain
    monkeypatch.setattr(gate_fork, "cores", lambda: 2)
    assert jobs_wanted(0) == 2  # whatever the load


def test_a_bad_jobs_value_is_one_line(tmp_path: Path) -> None:
    root = make_project(tmp_path, FILES)
    proc = run(["archlint", "check", "--jobs", "two"], cwd=root)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "--jobs" in proc.stderr


def test_statements_read_alone_warn_nothing(tmp_path: Path) -> None:
    # A statement read alone from the graph's lines is parsed with what follows it on its
    # line: an invalid escape there is a warning (SyntaxWarning on Python 3.12, shown by
    # default) that the parser must keep to itself, as it does for a whole file, whichever
    # process reads the statement and however many times.
    files = {
        **FILES,
        "src/pkg/low/c.py": 'from pkg.low import a; x = "\\d"\nimport pkg.old; y = "\\w"\n',
        "src/pkg/high/q.py": 'import pkg.old; z = "\\s"\n',
    }
    root = make_project(tmp_path, files)
    env = {"PYTHONWARNINGS": "default"}
    one = run(["archlint", "check", "--no-cache", "--jobs", "1"], cwd=root, env=env)
    two = run(["archlint", "check", "--no-cache", "--jobs", "2"], cwd=root, env=env)
    assert one.returncode == two.returncode == 1
    assert "ARC001" in one.stdout and "ARC106" in one.stdout
    assert (one.stdout, one.stderr) == (two.stdout, two.stderr)
    assert "escape sequence" not in one.stderr + two.stderr


def test_a_module_written_twice_is_read_whole_for_its_imports_back(tmp_path: Path) -> None:
    # pkg/dup.py and pkg/dup/__init__.py: the graph reads one file for module pkg.dup, the
    # per-file rules the other (the package, as Python imports it). ARC106 asks whether
    # pkg.dup imports pkg.a back: the lines of one file must not be read in the other's text
    # (line 4 of the package is 'z = 3'), so that file is parsed whole, as flake8 does.
    contracts = '[[contracts]]\nid = "cyc"\ntype = "acyclic"\npackages = ["pkg"]\n'
    files = {
        "contracts/c.toml": contracts,
        "src/pkg/__init__.py": "",
        "src/pkg/a.py": "from pkg import z\nimport pkg.dup\n",
        "src/pkg/z.py": "from pkg import a\n",
        "src/pkg/dup/__init__.py": "import pkg.a\nx = 1\ny = 2\nz = 3\n",
        "src/pkg/dup.py": "x = 1\n\n\nimport pkg.a\n",
        # A deprecation, so that the child reads the two files too.
        "contracts/d.toml": '[[deprecations]]\nold = "pkg.a"\nnew = "pkg.z"\n',
    }
    root = make_project(tmp_path, files)
    outputs = _outputs(root, "1")
    assert outputs == _outputs(root, "2")
    assert "src/pkg/a.py:2:1: ARC106 import of pkg.dup" in outputs[1][1]
    assert "pkg.dup imports pkg.a back (l.1)" in outputs[1][1]
    # Each of the two files is read whole too, as flake8 reads it.
    assert "src/pkg/dup/__init__.py:1:1: ARC106 import of pkg.a" in outputs[1][1]
    assert "src/pkg/dup.py:4:1: ARC106 import of pkg.a" in outputs[1][1]
