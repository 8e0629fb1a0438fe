"""``archlint check --write-baseline`` and the ratchet: known findings pass, new ones fail, and
with ``--strict-baseline`` the baseline can only shrink. Through the real ``archlint``."""

from __future__ import annotations

from pathlib import Path

import pytest

from archlint.config import toml

from ..helpers import make_project, run
from .test_determinism import diamond_files

RULES = """
[[contracts]]
id = "layers"
type = "layers"
containers = ["pkg"]
layers = ["app", "lib"]

[[deprecations]]
old = "pkg.lib.old"
new = "pkg.lib.new"
why = "renamed"
"""

FILES = {
    "contracts/rules.toml": RULES,
    "src/pkg/__init__.py": "",
    "src/pkg/app.py": "",
    "src/pkg/lib/__init__.py": "",
    "src/pkg/lib/new.py": "def helper():\n    return 1\n",
    "src/pkg/lib/old.py": "from pkg.lib.new import helper\n",
    # Two identical deprecated imports in one file, and a direct layers break.
    "src/pkg/lib/user.py": (
        "from pkg.lib.old import helper\nimport pkg.app\n\n\n"
        "def again():\n    from pkg.lib.old import helper\n\n    return helper\n"
    ),
    "tests/test_user.py": "from unittest import mock\n\nmock.patch('pkg.lib.old.helper')\n",
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", FILES)


def check(root: Path, *args: str) -> tuple[int, str, str]:
    result = run(["archlint", "check", "--no-cache", *args], cwd=root)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result.returncode, result.stdout, result.stderr


def test_write_records_every_finding_sorted_without_lines(project: Path) -> None:
    status, out, err = check(project, "--write-baseline")
    assert status == 0, out + err
    assert out.startswith(
        "Wrote archlint-baseline.toml: 1 contract break and 4 per-file findings in 2 files.\n"
    )
    text = (project / "archlint-baseline.toml").read_text()
    entries = [line.strip() for line in text.splitlines() if line.startswith("  {")]
    assert entries == [
        '{ contract = "layers", importer = "pkg.lib.user", imported = "pkg.app" },',
        '{ code = "ARC001", path = "src/pkg/lib/user.py", imported = "pkg.lib.old.helper", '
        "count = 2 },",
        '{ code = "ARC101", path = "src/pkg/lib/user.py", imported = "pkg.app" },',
        '{ code = "ARC003", path = "tests/test_user.py", imported = "pkg.lib.old.helper" },',
    ]
    document = toml.loads(text)  # the reader Python 3.10 has too
    assert document["version"] == 1
    assert len(document["breaks"]) == 1 and len(document["findings"]) == 3


def test_known_findings_pass_new_ones_fail(project: Path) -> None:
    assert check(project, "--write-baseline")[0] == 0
    status, out, _ = check(project, "--baseline", "archlint-baseline.toml")
    assert status == 0, out
    assert "1 contract: 1 kept, 0 broken." in out
    assert "Per-file findings: 0 new, 4 known in the baseline." in out

    # A third identical deprecated import in the same file: the count grows, every site shown.
    user = project / "src/pkg/lib/user.py"
    user.write_text(user.read_text() + "\nfrom pkg.lib.old import helper as h2\n")
    status, out, _ = check(project, "--baseline", "archlint-baseline.toml")
    assert status == 1, out
    # Every site of the identity whose count grew is in check's report (which of them is new
    # cannot be told), and the ratchet says by how much it grew.
    assert "src/pkg/lib/user.py:1:1: ARC001 pkg.lib.old is deprecated" in out
    assert "src/pkg/lib/user.py:10:1: ARC001" in out
    assert "src/pkg/lib/user.py: ARC001 pkg.lib.old.helper: 3 found, 2 in the baseline" in out
    assert "Per-file findings: 1 new, 4 known in the baseline." in out


def test_a_new_graph_break_fails_and_only_it_is_shown(project: Path) -> None:
    assert check(project, "--write-baseline")[0] == 0
    (project / "src/pkg/lib/late.py").write_text("import pkg.app\n")
    status, out, _ = check(project, "--baseline", "archlint-baseline.toml")
    assert status == 1, out
    assert "pkg.lib.late -> pkg.app (l.1)" in out
    assert "pkg.lib.user -> pkg.app" not in out
    assert "src/pkg/lib/late.py:1:1: ARC101 import of pkg.app breaks contract 'layers'" in out


def test_fixed_entries_are_listed_and_fail_only_when_strict(project: Path) -> None:
    assert check(project, "--write-baseline")[0] == 0
    user = project / "src/pkg/lib/user.py"
    user.write_text(user.read_text().replace("import pkg.app\n", ""))
    status, out, _ = check(project, "--baseline", "archlint-baseline.toml")
    assert status == 0, out
    assert "2 baseline entries no longer occur (shrink it:" in out
    assert "  layers: pkg.lib.user -> pkg.app\n" in out
    assert "  src/pkg/lib/user.py: ARC101 pkg.app (1 in the baseline, 0 now)\n" in out
    status, out, _ = check(project, "--baseline", "archlint-baseline.toml", "--strict-baseline")
    assert status == 1, out
    assert "(fails with --strict-baseline:" in out
    # A count that shrank is an entry to update, too.
    user.write_text("from pkg.lib.old import helper\n")
    status, out, _ = check(project, "--baseline", "archlint-baseline.toml", "--strict-baseline")
    assert status == 1
    assert "src/pkg/lib/user.py: ARC001 pkg.lib.old.helper (2 in the baseline, 1 now)" in out
    # Rewritten, the baseline shrinks and the strict check passes.
    assert check(project, "--write-baseline")[0] == 0
    assert check(project, "--baseline", "archlint-baseline.toml", "--strict-baseline")[0] == 0
    assert "count" not in (project / "archlint-baseline.toml").read_text()


def test_the_setting_makes_it_the_default(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", FILES, extra_settings='baseline = "debt/known.toml"\n')
    status, _, err = check(root)
    assert status == 2
    assert err.splitlines() == [
        "error: pyproject.toml:8: [tool.archlint]: baseline: baseline file 'debt/known.toml' "
        "does not exist next to pyproject.toml; write it with 'archlint check --write-baseline'",
        "archlint: 1 configuration error",
    ]
    status, _, err = check(root, "--write-baseline")
    assert status == 2 and "cannot write" in err  # the folder debt/ does not exist
    (root / "debt").mkdir()
    status, out, _ = check(root, "--write-baseline")
    assert status == 0, out
    assert "'archlint check' reads it and now fails only on new findings." in out
    assert check(root)[0] == 0
    assert check(root, "--strict-baseline")[0] == 0
    status, out, _ = check(root, "--no-baseline")
    assert status == 1 and "BROKEN layers" in out
    # --baseline FILE wins over the setting.
    (root / "other.toml").write_text("version = 1\n")
    assert check(root, "--baseline", "other.toml")[0] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--write-baseline", "--baseline", "x.toml"], "choose one"),
        (["--write-baseline", "--contract", "layers"], "drop --contract"),
        (["--no-baseline", "--strict-baseline"], "--no-baseline with"),
        (["--strict-baseline"], "--strict-baseline needs a baseline"),
    ],
)
def test_contradicting_options_are_usage_errors(
    project: Path, args: list[str], message: str
) -> None:
    status, _, err = check(project, *args)
    assert status == 2
    assert message in err


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("version = 2\n", "'version' must be 1, not 2"),
        ("breaks = []\n", "'version' must be 1, not None"),
        ("version = 1\nextra = 1\n", "unknown key 'extra'"),
        ("version = 1\nbreaks = 3\n", "'breaks' must be an array"),
        ("version = 1\nbreaks = [1]\n", "breaks[0]: each entry must be a table"),
        ('version = 1\nbreaks = [{ contract = "a" }]\n', "breaks[0]: field 'importer' is missing"),
        (
            'version = 1\nbreaks = [{ contract = "a", cycle = ["x"] }]\n',
            "two modules or more",
        ),
        (
            'version = 1\nbreaks = [{ contract = "a", cycle = ["x", "y"], importer = "x" }]\n',
            "a cycle has no 'importer'",
        ),
        (
            'version = 1\nfindings = [{ code = "ARC001", path = "a.py", imported = "m", '
            "count = 0 }]\n",
            "findings[0]: 'count' must be a positive integer",
        ),
        (
            'version = 1\nfindings = [{ code = "ARC001", path = "a.py", imported = "m", '
            "count = true }]\n",
            "'count' must be a positive integer",
        ),
        ('version = 1\nfindings = [{ code = "", path = "a.py", imported = "m" }]\n', "non-empty"),
        ('version = 1\nfindings = [{ code = "X", path = "a.py" }]\n', "'imported' is missing"),
        (
            'version = 1\nfindings = [{ code = "X", path = "a", imported = "m", line = 3 }]\n',
            "'line'",
        ),
        ("version = 1\nbreaks = [\n", "malformed TOML: Invalid value"),
        ("version = 1\nbreaks = [\n  {\n", "malformed TOML: line 3:"),
        ("version = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
        ("\udcff", "UTF-8"),
    ],
)
def test_a_bad_toml_baseline_is_one_line(project: Path, content: str, reason: str) -> None:
    path = project / "known.toml"
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    status, out, err = check(project, "--baseline", "known.toml")
    assert status == 2, out
    (line,) = err.splitlines()
    assert line.startswith("error: known.toml: not a baseline (")
    assert reason in line


def test_strange_module_and_file_names_survive_the_round_trip(tmp_path: Path) -> None:
    """Quotes, backslashes and non-ASCII letters in file names are written as valid TOML."""
    files = {**FILES, 'tests/ödd "name" \\ here.py': "import pkg.lib.old\n"}
    root = make_project(tmp_path / "p", files)
    status, out, err = check(root, "--write-baseline")
    assert status == 0, out + err
    text = (root / "archlint-baseline.toml").read_text(encoding="utf-8")
    assert 'path = "tests/ödd \\"name\\" \\\\ here.py"' in text
    assert check(root, "--baseline", "archlint-baseline.toml")[0] == 0


# --- the same verdict on every run, and after an edit that moves every line ----------------

DEPRECATIONS = """
[[deprecations]]
old = "pkg.lib.j0"
why = "gone"
"""


def _diamonds(root: Path) -> Path:
    files = {
        **diamond_files(),
        "contracts/deprecations.toml": DEPRECATIONS,
        "tests/test_j0.py": "from unittest import mock\n\nmock.patch('pkg.lib.j0.x')\n",
    }
    return make_project(root, files)


def _seeded(root: Path, seed: int, *args: str) -> tuple[int, str]:
    result = run(
        ["archlint", "check", "--no-cache", *args], cwd=root, env={"PYTHONHASHSEED": str(seed)}
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout + result.stderr


@pytest.mark.parametrize("runs", [4, pytest.param(20, marks=pytest.mark.slow)])
def test_a_written_baseline_passes_every_run(tmp_path: Path, runs: int) -> None:
    root = _diamonds(tmp_path / "p")
    status, out = _seeded(root, 0, "--write-baseline")
    assert status == 0, out
    written = (root / "archlint-baseline.toml").read_text()
    assert "ARC002" in written and "ARC003" in written and "ARC104" in written
    assert "cycle = " in written
    failed = []
    for seed in range(1, runs + 1):
        status, out = _seeded(root, seed, "--baseline", "archlint-baseline.toml")
        if status != 0 or "no longer occur" in out:
            failed.append(out)
        assert _seeded(root, seed, "--write-baseline")[0] == 0
        assert (root / "archlint-baseline.toml").read_text() == written  # byte for byte
    assert not failed, f"{len(failed)} of {runs} runs failed; the first said:\n{failed[0]}"

    # An unrelated edit that moves every line of every file still passes, strictly.
    for path in [*(root / "src").rglob("*.py"), *(root / "tests").rglob("*.py")]:
        path.write_text('"""Moved down."""\n\nimport os\n\n' + path.read_text())
    status, out = _seeded(root, 99, "--baseline", "archlint-baseline.toml", "--strict-baseline")
    assert status == 0, out
    assert "0 new" in out
