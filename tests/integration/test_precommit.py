"""The hooks of ``.pre-commit-hooks.yaml``, run by the real pre-commit in a git repository.

pre-commit installs a ``language: python`` hook from a clone of archlint's repository, which
would test committed work only and need the network; so the hooks are copied from the
manifest into a ``repo: local`` configuration as ``language: system`` hooks, which run the
archlint installed beside the tests, with everything else as the manifest says.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import BIN, make_project, run

REPO = Path(__file__).resolve().parents[2]
MANIFEST = REPO / ".pre-commit-hooks.yaml"

pytestmark = pytest.mark.skipif(
    not (BIN / "pre-commit").exists() or shutil.which("git") is None,
    reason="needs pre-commit and git",
)


def manifest() -> dict[str, dict[str, Any]]:
    hooks = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return {hook["id"]: hook for hook in hooks}


def test_manifest_declares_the_hooks() -> None:
    hooks = manifest()
    assert set(hooks) == {"archlint-fix", "archlint-check"}
    fix, check = hooks["archlint-fix"], hooks["archlint-check"]
    assert fix["entry"] == "archlint fix"
    assert fix["language"] == "python"
    assert fix["types"] == ["python"]
    assert fix["require_serial"] is True
    assert fix.get("pass_filenames", True) is True
    assert check["entry"] == "archlint check"
    assert check["pass_filenames"] is False
    valid = subprocess.run(
        [str(BIN / "pre-commit"), "validate-manifest", str(MANIFEST)],
        capture_output=True,
        text=True,
    )
    assert valid.returncode == 0, valid.stdout + valid.stderr


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def pre_commit(root: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(home),
        "NO_COLOR": "1",
    }
    return subprocess.run(
        [str(BIN / "pre-commit"), "run", "--all-files", "--color", "never"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_hooks_fix_then_pass(tmp_path: Path) -> None:
    root = make_project(
        tmp_path / "repo",
        {
            "contracts/rules.toml": """
                [[contracts]]
                id = "layers"
                type = "layers"
                containers = ["pkg"]
                layers = ["app", "lib"]

                [[deprecations]]
                old = "pkg.lib.old"
                new = "pkg.lib.new"
                why = "renamed"
            """,
            "src/pkg/__init__.py": "",
            "src/pkg/lib/__init__.py": "",
            "src/pkg/lib/old.py": "from pkg.lib.new import *  # noqa: F403\n",
            "src/pkg/lib/new.py": "def helper():\n    return 1\n",
            "src/pkg/app.py": "from pkg.lib.old import helper\n\nprint(helper())\n",
            "tests/test_app.py": (
                "from unittest import mock\n\n\n"
                "@mock.patch('pkg.lib.old.helper')\ndef test_app(m):\n    pass\n"
            ),
        },
    )
    hooks = [{**hook, "language": "system"} for hook in manifest().values()]
    config = {"repos": [{"repo": "local", "hooks": hooks}]}
    (root / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")

    first = pre_commit(root, tmp_path / "pre-commit-home")
    assert first.returncode == 1, first.stdout + first.stderr
    lines = first.stdout.splitlines()
    assert any(line.startswith("archlint fix") and line.endswith("Failed") for line in lines)
    assert "- files were modified by this hook" in first.stdout
    assert "Fixed 1 import and 1 string in 2 files." in first.stdout
    assert any(line.startswith("archlint check") and line.endswith("Passed") for line in lines)
    assert (
        root / "src/pkg/app.py"
    ).read_text() == "from pkg.lib.new import helper\n\nprint(helper())\n"
    assert "@mock.patch('pkg.lib.new.helper')" in (root / "tests/test_app.py").read_text()

    git(root, "add", "-A")
    second = pre_commit(root, tmp_path / "pre-commit-home")
    assert second.returncode == 0, second.stdout + second.stderr
    lines = second.stdout.splitlines()
    assert any(line.startswith("archlint fix") and line.endswith("Passed") for line in lines)
    assert any(line.startswith("archlint check") and line.endswith("Passed") for line in lines)


def test_check_hook_with_a_baseline_is_a_ratchet(tmp_path: Path) -> None:
    """Old breaks pass, a new one fails, and under --strict-baseline a fix that leaves its
    entry in the baseline fails until the baseline is rewritten."""
    root = make_project(
        tmp_path / "repo",
        {
            "contracts/rules.toml": """
                [[contracts]]
                id = "layers"
                type = "layers"
                containers = ["pkg"]
                layers = ["app", "lib"]
            """,
            "src/pkg/__init__.py": "",
            "src/pkg/app.py": "",
            "src/pkg/lib/__init__.py": "",
            "src/pkg/lib/one.py": "import pkg.app\n",
            "src/pkg/lib/two.py": "from pkg import app\n",
        },
        extra_settings='baseline = "archlint-baseline.toml"\n',
    )
    home = tmp_path / "pre-commit-home"
    check = {**manifest()["archlint-check"], "language": "system"}

    def configure(*args: str) -> None:
        hook = {**check, "args": list(args)} if args else check
        config = {"repos": [{"repo": "local", "hooks": [hook]}]}
        (root / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")

    def hook_says(*args: str) -> tuple[int, str]:
        configure(*args)
        git(root, "add", "-A")
        result = pre_commit(root, home)
        return result.returncode, result.stdout + result.stderr

    written = run(["archlint", "check", "--write-baseline"], cwd=root)
    assert written.returncode == 0, written.stdout + written.stderr
    git(root, "init", "-q")

    status, out = hook_says()
    assert status == 0, out
    assert "archlint check" in out and "Passed" in out

    (root / "src/pkg/lib/three.py").write_text("import pkg.app\n")
    status, out = hook_says()
    assert status == 1, out
    assert "pkg.lib.three -> pkg.app (l.1)" in out
    assert "pkg.lib.one -> pkg.app" not in out
    (root / "src/pkg/lib/three.py").unlink()

    # An old break fixed: passes (pre-commit shows a passing hook's output only with -v);
    # fails when strict.
    (root / "src/pkg/lib/two.py").write_text("")
    status, out = hook_says()
    assert status == 0, out
    status, out = hook_says("--strict-baseline")
    assert status == 1, out
    assert "layers: pkg.lib.two -> pkg.app" in out
    assert "(fails with --strict-baseline:" in out

    # The baseline shrinks with the fix: strict passes again.
    assert run(["archlint", "check", "--write-baseline"], cwd=root).returncode == 0
    assert "pkg.lib.two" not in (root / "archlint-baseline.toml").read_text()
    status, out = hook_says("--strict-baseline")
    assert status == 0, out
