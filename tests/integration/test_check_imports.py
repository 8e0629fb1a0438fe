"""`archlint check` imports what the command and the chosen output need, and nothing else.

Every module imported is a cost paid on every run in CI and in the pre-commit hook; the
modules of the other subcommands (fix, move, report, the baseline ratchet) and of the other
output formats stay unimported, and a check answered from the caches imports neither
import-linter nor grimp. Read from ``python -X importtime`` of the real command.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import make_project, run

_IMPORTED = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)\s*$", re.MULTILINE)

FILES = {
    "contracts/rules.toml": """
[[deprecations]]
old = "pkg.old"
new = "pkg.new"
since = 2025-01-01

[[contracts]]
id = "low-not-high"
type = "forbidden"
source_modules = ["pkg.low"]
forbidden_modules = ["pkg.high"]
""",
    "src/pkg/__init__.py": "",
    "src/pkg/old.py": "from pkg.new import X as X\n",
    "src/pkg/new.py": "X = 1\n",
    "src/pkg/high.py": "",
    "src/pkg/low.py": "import pkg.high\n",
    "tests/test_a.py": "from pkg.old import X\n",
}

#: Modules of other subcommands and of the autofix: never needed by check.
OTHER_COMMANDS = (
    "archlint.application.baseline",
    "archlint.application.baseline_file",
    "archlint.adapters.render_baseline",
    "archlint.application.fix",
    "archlint.application.move",
    "archlint.application.report",
    "archlint.adapters.render_html",
    "archlint.adapters.render_fix",
    "archlint.rewrite",
    "libcst",
)


def _imported(root: Path, *args: str) -> set[str]:
    proc = run(["python", "-X", "importtime", "-m", "archlint", "check", *args], cwd=root)
    assert proc.returncode == 1, proc.stderr[-2000:]  # the project has findings
    return set(_IMPORTED.findall(proc.stderr))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path, FILES)


def test_cold_text_check_imports_no_other_command_nor_format(project: Path) -> None:
    imported = _imported(project, "--no-cache", "--color", "never")
    assert "archlint.adapters.render_text" in imported
    assert "importlinter" in imported  # the contracts were checked
    assert not imported & {*OTHER_COMMANDS, "archlint.adapters.render_machine"}


def test_json_imports_its_renderer_only(project: Path) -> None:
    imported = _imported(project, "--no-cache", "--format", "json")
    assert "archlint.adapters.render_machine" in imported
    assert not imported & {*OTHER_COMMANDS, "archlint.adapters.render_text"}


def test_check_from_the_caches_imports_neither_import_linter_nor_grimp(project: Path) -> None:
    _imported(project, "--color", "never")  # fills the caches
    imported = _imported(project, "--color", "never")
    assert not imported & {"importlinter", "grimp", "rich", *OTHER_COMMANDS}
    # Colour is rich's: imported when asked for, and the report still comes from the cache.
    coloured = _imported(project, "--color", "always")
    assert "rich" in coloured
    assert not coloured & {"importlinter", "grimp"}


def test_a_baseline_imports_the_ratchet(project: Path) -> None:
    run(["archlint", "check", "--write-baseline", "known.toml"], cwd=project)
    proc = run(
        ["python", "-X", "importtime", "-m", "archlint", "check", "--baseline", "known.toml"],
        cwd=project,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "archlint.application.baseline" in set(_IMPORTED.findall(proc.stderr))
