"""The README's install and pre-commit instructions, run for real from this repository.

Both install archlint from a commit of the repository (what pre-commit and pip see is what
is committed), so they are slow and marked so: ``python -m pytest -m slow``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import BIN

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def head() -> str:
    """The commit the instructions are tried on (uncommitted changes are not in it)."""
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_readme_names_no_install_that_cannot_work() -> None:
    assert "pip install archlint " not in README and "pip install archlint\n" not in README
    assert "rev: v0.1.0" not in README  # not a tag of this repository
    assert "additional_dependencies: [archlint]" not in README
    assert 'python -m pip install "archlint @ git+URL@REV"' in README


@pytest.mark.slow
def test_pip_installs_from_a_git_url_at_a_commit(tmp_path: Path) -> None:
    url = f"archlint @ git+file://{REPO}@{head()}"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
         str(tmp_path / "site"), url],
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    adapters = tmp_path / "site" / "archlint" / "adapters"
    # The console script's module and the CLI package it imports, subpackage included.
    assert (adapters / "entry.py").is_file()
    assert (adapters / "cli" / "__init__.py").is_file()
    assert (adapters / "cli" / "parser.py").is_file()


@pytest.mark.slow
def test_pre_commit_installs_the_hooks_from_the_repository_at_a_sha(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(
        REPO / "examples" / "bot_v2", project, ignore=shutil.ignore_patterns(".archlint_cache")
    )
    config = (
        f"repos:\n  - repo: file://{REPO}\n    rev: {head()}\n    hooks:\n"
        "      - id: archlint-check\n"
    )
    (project / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    for args in (["init", "-q"], ["add", "-A"]):
        subprocess.run(["git", *args], cwd=project, check=True, capture_output=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "home"), "NO_COLOR": "1"}
    proc = subprocess.run(
        [str(BIN / "pre-commit"), "run", "--all-files", "--color", "never"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    # The example breaks its contracts: the hook, installed from the repository, says so.
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert re.search(r"^archlint check\.+Failed$", proc.stdout, re.M), proc.stdout
    assert "6 contracts: 0 kept, 6 broken" in proc.stdout
