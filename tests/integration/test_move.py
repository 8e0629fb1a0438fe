"""``archlint move`` through the real executables (``archlint``, ``git``, ``python``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import make_project, run

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "bot_v2"


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".archlint_cache" not in p.parts and ".git" not in p.parts
    }


def git(root: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    done = subprocess.run(
        ["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def imports_ok(root: Path, module: str) -> subprocess.CompletedProcess[str]:
    """``python -c "import MODULE"`` inside the test's own copy."""
    return subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        cwd=root,
        env={"PYTHONPATH": str(root / "src"), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )


CYCLE = {
    "contracts/rules.toml": """
        [[contracts]]
        id = "pkg-siblings"
        type = "acyclic_siblings"
        ancestors = ["pkg"]
    """,
    "src/pkg/__init__.py": "",
    "src/pkg/a/__init__.py": "",
    "src/pkg/a/y.py": "Y = 1\n",
    "src/pkg/b/__init__.py": "",
    "src/pkg/b/x.py": "from pkg.a.y import Y\n",
    "src/pkg/c.py": "from pkg.b.x import Y\n\nZ = Y + 1\n",
    "src/pkg/user.py": "from pkg.c import Z\n",
}


def test_dry_run_names_the_cycle_and_writes_nothing(tmp_path: Path) -> None:
    root = make_project(tmp_path, CYCLE)
    before = tree_bytes(root)
    result = run(["archlint", "move", "pkg.c", "pkg.a.c", "--dry-run"], cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "Cycles it creates (1):\n  pkg.a -> pkg.b -> pkg.a\n" in out
    assert "  pkg-siblings: kept -> BROKEN  (breaks)\n" in out
    assert "  src/pkg/user.py:1:19: ARC001 -> from pkg.a.c import Z\n" in out
    assert out.endswith("Dry run: nothing was written.\n")
    assert tree_bytes(root) == before


def test_move_in_git_keeps_history_and_undoes_nothing_needed(tmp_path: Path) -> None:
    files = {
        "contracts/rules.toml": '[[contracts]]\nid = "acyclic"\ntype = "acyclic"\npackages = ["pkg"]\n',
        "src/pkg/__init__.py": "",
        "src/pkg/old/__init__.py": "",
        "src/pkg/old/mod.py": (
            "from .helpers import h\n\n\n"
            + "".join(f"def f{i}(x):\n    return h(x) + {i}\n\n\n" for i in range(20))
        ),
        "src/pkg/old/helpers.py": "def h(x):\n    return x\n",
        "src/pkg/user.py": 'import importlib\n\nfrom pkg.old import mod\n\nM = importlib.import_module("pkg.old.mod")\n',
    }
    root = make_project(tmp_path, files)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "first")
    result = run(["archlint", "move", "pkg.old.mod", "pkg.new.mod", "--why", "split"], cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Done (git mv): pkg.old.mod -> pkg.new.mod" in result.stdout
    moved = (root / "src/pkg/new/mod.py").read_text()
    assert moved.startswith("from pkg.old.helpers import h\n")  # stayed behind: absolute
    assert (root / "src/pkg/new/__init__.py").exists()
    shim = (root / "src/pkg/old/mod.py").read_text()
    assert "from pkg.new.mod import (" in shim and "DeprecationWarning" in shim
    user = (root / "src/pkg/user.py").read_text()
    assert "from pkg.new import mod\n" in user and '"pkg.new.mod"' in user
    deprecations = (root / "contracts/deprecations.toml").read_text()
    assert 'old = "pkg.old.mod"\nnew = "pkg.new.mod"\nsince = ' in deprecations
    assert 'why = "split"' in deprecations
    assert imports_ok(root, "pkg.user").returncode == 0
    git(root, "add", "-A")
    git(root, "commit", "-qm", "move")
    log = git(root, "log", "--follow", "--format=%s", "--", "src/pkg/new/mod.py")
    assert log.split() == ["move", "first"]


def test_failed_move_leaves_the_tree_as_it_was(tmp_path: Path) -> None:
    root = make_project(tmp_path, CYCLE)
    before = tree_bytes(root)
    for args in (
        ["pkg.nothing", "pkg.x"],
        ["pkg.c", "pkg.b.x"],
        ["pkg.c", "pkg.c.d"],
        ["pkg", "q"],
    ):
        result = run(["archlint", "move", *args], cwd=root)
        assert result.returncode == 2, result.stdout
        assert "Traceback" not in result.stderr
        assert tree_bytes(root) == before
    # A contract file that cannot be written (a folder in its place): the plan, made on a
    # copy, fails with one line, and the project is untouched.
    (root / "contracts/deprecations.toml").mkdir()
    result = run(["archlint", "move", "pkg.c", "pkg.b.c"], cwd=root)
    assert result.returncode == 2, result.stdout
    assert "deprecations.toml: Is a directory" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_bytes(root) == before


def test_error_during_the_real_move_undoes_every_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from archlint.application import move_steps
    from archlint.application.move import MoveError, MoveRequest, move
    from archlint.application.project import open_project

    root = make_project(tmp_path, CYCLE)
    before = tree_bytes(root)
    original = move_steps._append_deprecation

    def failing(opened, request, journal):  # type: ignore[no-untyped-def]
        if journal.root == root.resolve():
            raise OSError(28, "No space left on device", "contracts/deprecations.toml")
        return original(opened, request, journal)

    monkeypatch.setattr(move_steps, "_append_deprecation", failing)
    with pytest.raises(MoveError, match="nothing was changed"):
        move(open_project(root=root), MoveRequest("pkg.c", "pkg.b.c"))
    assert tree_bytes(root) == before
    assert not (root / "src/pkg/b/c.py").exists()
