"""archlint lint: the flake8 plugin's findings over a tree, without flake8."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ..helpers import make_project, run

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "bot_v2"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    target = tmp_path / "bot_v2"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns(".archlint_cache"))
    return target


def _lines(text: str) -> list[str]:
    return sorted(line.removeprefix("./") for line in text.splitlines() if ": ARC" in line)


def test_same_findings_as_flake8(example: Path) -> None:
    linted = run(["archlint", "lint"], cwd=example)
    flaked = run(["flake8", "--select", "ARC", "src", "tests"], cwd=example)
    assert linted.returncode == flaked.returncode == 1
    assert "Traceback" not in linted.stdout + linted.stderr
    assert _lines(linted.stdout) == _lines(flaked.stdout)
    assert len(_lines(linted.stdout)) >= 30
    assert linted.stdout.splitlines()[-1] == f"Found {len(_lines(linted.stdout))} findings."


def test_select_keeps_only_those_codes(example: Path) -> None:
    linted = run(["archlint", "lint", "--select", "ARC0"], cwd=example)
    flaked = run(["flake8", "--select", "ARC0", "src", "tests"], cwd=example)
    assert _lines(linted.stdout) == _lines(flaked.stdout)
    assert all(" ARC0" in line for line in _lines(linted.stdout))
    only = run(["archlint", "lint", "--select", "ARC104", "src"], cwd=example)
    assert [line.split(": ", 1)[1][:6] for line in _lines(only.stdout)] == ["ARC104"]


def test_clean_tree_exits_0_and_bad_files_are_reported(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {
            "src/pkg/__init__.py": "",
            "src/pkg/a.py": "import pkg.new\n",
            "src/pkg/new.py": "",
            "contracts/d.toml": '[[deprecations]]\nold = "pkg.old"\nnew = "pkg.new"\n',
        },
    )
    clean = run(["archlint", "lint"], cwd=project)
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "", "")
    (project / "src" / "pkg" / "broken.py").write_text("import pkg.old\ndef (:\n")
    (project / "src" / "pkg" / "latin.py").write_bytes(b"x = '\xff'\n")
    result = run(["archlint", "lint"], cwd=project)
    assert result.returncode == 2  # files it could not read: never 1 ("findings")
    assert "Traceback" not in result.stdout + result.stderr
    assert "src/pkg/broken.py:2: syntax error" in result.stderr
    assert "src/pkg/latin.py:1: cannot decode" in result.stderr
    missing = run(["archlint", "lint", "nowhere"], cwd=project)
    assert missing.returncode == 2
    assert "nowhere: no such file or directory" in missing.stderr
