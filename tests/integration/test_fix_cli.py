"""``archlint fix`` through the real executable: files rewritten, or left byte for byte."""

from __future__ import annotations

import ast
import hashlib
import os
import py_compile
import shutil
import stat
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from archlint.rewrite.imports import Edit, Rewritten
from tests.helpers import make_project, run

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "bot_v2"

DEPRECATIONS = """
[[deprecations]]
old = "pkg.old"
new = "pkg.new"
why = "moved in 2.0"

[[deprecations]]
old = "pkg.old.Thing"
new = "pkg.other.Thing"

[[deprecations]]
old = "pkg.gone"
why = "use pkg.new.helpers instead"
"""

PACKAGE = {
    "contracts/deprecations.toml": DEPRECATIONS,
    "src/pkg/__init__.py": "",
    "src/pkg/old.py": "from pkg.new import *  # noqa: F403\nThing = 1\n",
    "src/pkg/new.py": "def f():\n    return 1\n",
    "src/pkg/other.py": "Thing = 2\n",
    "src/pkg/gone.py": "",
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): sha256(p)
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".archlint_cache" not in p.parts
    }


def project(tmp_path: Path, files: dict[str, str]) -> Path:
    return make_project(tmp_path / "proj", {**PACKAGE, **files})


# --- the example ------------------------------------------------------------------------


def test_example_is_fixed_completely(tmp_path: Path) -> None:
    root = tmp_path / "bot_v2"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".archlint_cache"))
    before = hashes(root)
    flagged = run(["flake8", "--select", "ARC0", "."], cwd=root)
    assert flagged.returncode == 1
    flagged_files = {
        line.split(":", 1)[0].removeprefix("./") for line in flagged.stdout.splitlines()
    }

    fixed = run(["archlint", "fix"], cwd=root)
    assert fixed.returncode == 0, fixed.stderr
    assert fixed.stdout == "Fixed 11 imports and 5 strings in 11 files.\n"
    assert fixed.stderr == ""

    lint = run(["flake8", "--select", "ARC0", "."], cwd=root)
    assert (lint.returncode, lint.stdout, lint.stderr) == (0, "", "")
    for path in root.rglob("*.py"):
        py_compile.compile(str(path), cfile=str(tmp_path / "x.pyc"), doraise=True)
    after = hashes(root)
    changed = {p for p in before if before[p] != after[p]}
    assert changed == flagged_files
    # Only the flagged files changed; every other file is byte for byte the same.
    assert all(before[p] == after[p] for p in before if p not in flagged_files)

    again = run(["archlint", "fix", "--diff"], cwd=root)
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
    assert hashes(root) == after


def test_example_diff_changes_nothing_and_applies(tmp_path: Path) -> None:
    root = tmp_path / "bot_v2"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".archlint_cache"))
    before = hashes(root)
    diff = run(["archlint", "fix", "--diff"], cwd=root)
    assert diff.returncode == 1
    assert hashes(root) == before
    assert "--- a/src/bot_v2/cli.py\n+++ b/src/bot_v2/cli.py\n" in diff.stdout
    assert "-from bot_v2.orchestration.account_telemetry import (\n" in diff.stdout
    assert "+from bot_v2.monitoring.telemetry import (\n" in diff.stdout
    assert diff.stderr == "Would fix 11 imports and 5 strings in 11 files.\n"

    # The diff is the fix: git apply gives the same bytes as archlint fix.
    subprocess.run(["git", "apply", "-"], cwd=root, input=diff.stdout, text=True, check=True)
    applied = hashes(root)
    other = tmp_path / "other"
    shutil.copytree(EXAMPLE, other, ignore=shutil.ignore_patterns(".archlint_cache"))
    assert run(["archlint", "fix"], cwd=other).returncode == 0
    assert hashes(other) == applied


# --- data safety ------------------------------------------------------------------------


def test_files_with_nothing_to_fix_are_not_written(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "src/pkg/clean.py": "import os\n# pkg.old in a comment only\nfrom pkg import new\n",
            "src/pkg/uses_old.py": "from pkg.old import f\n",
            "tests/test_x.py": "from pkg.new import f\n",
        },
    )
    clean = root / "src/pkg/clean.py"
    mtime = clean.stat().st_mtime_ns
    before = hashes(root)
    result = run(["archlint", "fix"], cwd=root)
    assert result.returncode == 0, result.stderr
    after = hashes(root)
    assert [p for p in before if before[p] != after[p]] == ["src/pkg/uses_old.py"]
    assert clean.stat().st_mtime_ns == mtime
    assert (root / "src/pkg/uses_old.py").read_text() == "from pkg.new import f\n"


def test_encodings_line_endings_and_mode_are_kept(tmp_path: Path) -> None:
    root = project(tmp_path, {})
    src = root / "src/pkg"
    (src / "crlf.py").write_bytes(b"import os\r\nfrom pkg.old import f, Thing\r\nx = 1\r\n")
    (src / "mixed.py").write_bytes(b"import os\nfrom pkg.old import f\r\nx = 1\n")
    (src / "bom.py").write_bytes(b"\xef\xbb\xbffrom pkg.old import f\n# caf\xc3\xa9\n")
    (src / "latin.py").write_bytes(
        b"# -*- coding: latin-1 -*-\nfrom pkg.old import f\ns = 'caf\xe9'\n"
    )
    script = src / "script.py"
    script.write_bytes(b"#!/usr/bin/env python\nfrom pkg.old import f\n")
    script.chmod(0o755)
    result = run(["archlint", "fix"], cwd=root)
    assert result.returncode == 0, result.stderr
    assert (src / "crlf.py").read_bytes() == (
        b"import os\r\nfrom pkg.new import f\r\nfrom pkg.other import Thing\r\nx = 1\r\n"
    )
    assert (src / "mixed.py").read_bytes() == b"import os\nfrom pkg.new import f\r\nx = 1\n"
    assert (src / "bom.py").read_bytes() == b"\xef\xbb\xbffrom pkg.new import f\n# caf\xc3\xa9\n"
    assert (src / "latin.py").read_bytes() == (
        b"# -*- coding: latin-1 -*-\nfrom pkg.new import f\ns = 'caf\xe9'\n"
    )
    assert script.read_bytes() == b"#!/usr/bin/env python\nfrom pkg.new import f\n"
    assert stat.S_IMODE(script.stat().st_mode) == 0o755
    # No temporary file is left behind.
    assert not [p for p in src.iterdir() if p.name.startswith(".")]


def test_unreadable_files_are_reported_and_left_alone(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "src/pkg/broken.py": "from pkg.old import f\ndef broken(:\n",
            "src/pkg/fine.py": "from pkg.old import f\n",
        },
    )
    (root / "src/pkg/undecodable.py").write_bytes(b"from pkg.old import f\ns = '\xff'\n")
    before = hashes(root)
    result = run(["archlint", "fix"], cwd=root)
    assert result.returncode == 2  # files it could not read: never 1 ("findings")
    errors = result.stderr.splitlines()
    assert errors == [
        "src/pkg/broken.py:2:1: syntax error: invalid syntax; file skipped",
        "src/pkg/undecodable.py:2:1: cannot decode: 'utf-8' codec can't decode byte 0xff "
        "in position 27: invalid start byte",
    ]
    assert result.stdout == "Fixed 1 import and 0 strings in 1 file; 2 files could not be fixed.\n"
    after = hashes(root)
    assert [p for p in before if before[p] != after[p]] == ["src/pkg/fine.py"]


def test_hand_fixes_are_listed_and_fail(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "src/pkg/a.py": "from pkg.gone import x\nfrom pkg.old import f\n",
            "src/pkg/b.py": "import pkg.old\npkg = None\n",
        },
    )
    result = run(["archlint", "fix"], cwd=root)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "src/pkg/a.py:1:1: from pkg.gone import x: pkg.gone was removed "
        "(use pkg.new.helpers instead); there is no replacement to write",
        "src/pkg/b.py:1:1: import pkg.old: cannot rewrite to `import pkg.new` and its uses "
        "safely: `pkg` is also bound by an assignment at line 2",
    ]
    assert result.stdout == "Fixed 1 import and 0 strings in 1 file; 2 sites need a hand fix.\n"
    assert (root / "src/pkg/a.py").read_text() == "from pkg.gone import x\nfrom pkg.new import f\n"
    again = run(["archlint", "fix"], cwd=root)
    assert again.returncode == 1
    assert again.stdout == "Fixed 0 imports and 0 strings in 0 files; 2 sites need a hand fix.\n"


def test_diff_with_nothing_to_change_prints_nothing(tmp_path: Path) -> None:
    root = project(tmp_path, {"src/pkg/clean.py": "from pkg.new import f\n"})
    result = run(["archlint", "fix", "--diff"], cwd=root)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    result = run(["archlint", "fix"], cwd=root)
    assert (result.returncode, result.stdout) == (0, "Nothing to fix.\n")


def test_diff_format(tmp_path: Path) -> None:
    root = project(tmp_path, {"src/pkg/m.py": "import os\nfrom pkg.old import f"})
    result = run(["archlint", "fix", "--diff", "src/pkg/m.py"], cwd=root)
    assert result.returncode == 1
    assert result.stdout == (
        "--- a/src/pkg/m.py\n"
        "+++ b/src/pkg/m.py\n"
        "@@ -1,2 +1,2 @@\n"
        " import os\n"
        "-from pkg.old import f\n"
        "\\ No newline at end of file\n"
        "+from pkg.new import f\n"
        "\\ No newline at end of file\n"
    )
    assert (root / "src/pkg/m.py").read_text() == "import os\nfrom pkg.old import f"


# --- which files ------------------------------------------------------------------------


def test_default_paths_are_the_source_roots_and_tests(tmp_path: Path) -> None:
    old = "from pkg.old import f\n"
    root = project(
        tmp_path,
        {
            "src/pkg/m.py": old,
            "tests/test_m.py": old,
            "tests/.hidden/h.py": old,
            "tests/__pycache__/c.py": old,
            "tests/venv/lib/v.py": old,
            "tests/venv/pyvenv.cfg": "home = /usr\n",
            "scripts/s.py": old,
        },
    )
    result = run(["archlint", "fix"], cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Fixed 2 imports and 0 strings in 2 files.\n"
    for rel in (
        "tests/.hidden/h.py",
        "tests/__pycache__/c.py",
        "tests/venv/lib/v.py",
        "scripts/s.py",
    ):
        assert (root / rel).read_text() == old, rel
    # A file given by name is fixed wherever it is; so is a folder.
    result = run(["archlint", "fix", "scripts/s.py"], cwd=root)
    assert result.returncode == 0
    assert (root / "scripts/s.py").read_text() == "from pkg.new import f\n"


def test_root_option_and_paths_from_elsewhere(tmp_path: Path) -> None:
    root = project(tmp_path, {"src/pkg/m.py": "from pkg.old import f\n"})
    result = run(["archlint", "fix", "--root", str(root), "--diff"], cwd=tmp_path)
    assert result.returncode == 1
    assert "--- a/proj/src/pkg/m.py\n" in result.stdout


def test_symbolic_link_stays_a_link(tmp_path: Path) -> None:
    root = project(tmp_path, {"src/pkg/real.py": "from pkg.old import f\n"})
    link = root / "tests" / "link.py"
    link.parent.mkdir()
    os.symlink(root / "src/pkg/real.py", link)
    result = run(["archlint", "fix", "tests/link.py"], cwd=root)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    assert (root / "src/pkg/real.py").read_text() == "from pkg.new import f\n"


# --- usage and configuration errors -----------------------------------------------------


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    root = project(tmp_path, {})
    result = run(["archlint", "fix", "nowhere.py"], cwd=root)
    assert result.returncode == 2
    assert result.stderr == "error: nowhere.py: no such file or directory\n"


def test_no_project_is_a_configuration_error(tmp_path: Path) -> None:
    result = run(["archlint", "fix"], cwd=tmp_path)
    assert result.returncode == 2
    assert "no archlint project found" in result.stderr


def test_bad_deprecation_is_a_configuration_error(tmp_path: Path) -> None:
    # A ``new`` that does not resolve is a planned move unless the project says otherwise.
    root = make_project(
        tmp_path / "proj",
        {
            **PACKAGE,
            "contracts/deprecations.toml": (
                '[[deprecations]]\nold = "pkg.old"\nnew = "pkg.nowhere"\n'
            ),
        },
        extra_settings='unresolved_new = "error"\n',
    )
    before = hashes(root)
    result = run(["archlint", "fix"], cwd=root)
    assert result.returncode == 2
    assert "pkg.nowhere" in result.stderr
    assert hashes(root) == before


@pytest.mark.parametrize("flag", ["--bogus", "--diff=yes"])
def test_bad_option_is_a_usage_error(tmp_path: Path, flag: str) -> None:
    root = project(tmp_path, {})
    assert run(["archlint", "fix", flag], cwd=root).returncode == 2


def test_a_fix_that_would_not_parse_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from archlint.application import fix as fix_module
    from archlint.application.project import open_project

    root = project(tmp_path, {"src/pkg/m.py": "from pkg.old import f\n"})
    path = root / "src/pkg/m.py"
    before = sha256(path)
    real = fix_module.rewrite_source

    def broken(text: str, groups: Sequence[Sequence[Edit]], tree: ast.Module) -> Rewritten:
        done = real(text, groups, tree)
        done.code = done.code.replace("import", "import (", 1)
        return done

    monkeypatch.setattr(fix_module, "rewrite_source", broken)
    report = fix_module.fix_paths(open_project(root=root), [path], cwd=root)
    assert sha256(path) == before
    assert [str(e) for e in report.errors] == [
        "src/pkg/m.py:1:1: the fixed file would not parse (syntax error: '(' was never closed); "
        "file left unchanged"
    ]
    assert not report.ok


def test_the_parsers_warnings_about_the_code_are_not_printed(tmp_path: Path) -> None:
    # An invalid escape beside the import: Python warns about it (3.12 by default, 3.11 with
    # PYTHONWARNINGS), which is about the checked code, not about archlint.
    files = {
        "contracts/d.toml": '[[deprecations]]\nold = "pkg.old"\nnew = "pkg.new"\n',
        "src/pkg/__init__.py": "",
        "src/pkg/new.py": "X = 1\n",
        "src/pkg/a.py": 'from pkg.old import X; y = "\\d"\n',
    }
    root = make_project(tmp_path, files)
    proc = run(["archlint", "fix"], cwd=root, env={"PYTHONWARNINGS": "default"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Warning" not in proc.stderr, proc.stderr
    assert (root / "src/pkg/a.py").read_text() == 'from pkg.new import X; y = "\\d"\n'
