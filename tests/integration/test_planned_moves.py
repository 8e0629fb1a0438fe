"""A planned move (a deprecation whose ``new`` does not exist yet) is a state, not an error.

Through the real executables: ``check`` warns and exits 0, ``fix`` rewrites every other site
and lists the planned ones as skipped, flake8 and ``lint`` say "planned" instead of offering
an import that would fail. Once the module is added, the same configuration gives paste-ready
imports and ``fix`` rewrites the rest. ``unresolved_new = "error"`` makes the plan an error in
every face.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..helpers import make_project, python_import, run

DEPRECATIONS = """
[[deprecations]]
old = "pkg.old"
new = "pkg.new"
why = "moving"

[[deprecations]]
old = "pkg.legacy"
new = "pkg.modern"
"""

FILES = {
    "contracts/deprecations.toml": DEPRECATIONS,
    "src/pkg/__init__.py": "",
    "src/pkg/old.py": "def f():\n    return 1\n",
    # A move that landed: the old module is a shim (code left in it would be ARC004).
    "src/pkg/legacy.py": "from pkg.modern import g as g\n",
    "src/pkg/modern.py": "def g():\n    return 2\n",
    "src/pkg/a.py": "from pkg.old import f\nfrom pkg.legacy import g\n",
    "src/pkg/b.py": 'import importlib\n\nimportlib.import_module("pkg.old")\n',
}

WARNING = (
    "warning: contracts/deprecations.toml:3: deprecation 'pkg.old': new: "
    "planned: 'pkg.new' does not exist yet"
)


def test_planned_move_then_the_move(tmp_path: Path) -> None:
    root = make_project(tmp_path / "proj", FILES)

    flake8 = run(["flake8", "--select", "ARC", "src"], cwd=root)
    assert flake8.stdout.splitlines() == [
        "src/pkg/a.py:1:1: ARC001 pkg.old is deprecated (moving); "
        "planned: `pkg.new` does not exist yet",
        "src/pkg/a.py:2:1: ARC001 pkg.legacy is deprecated; use: from pkg.modern import g",
        "src/pkg/b.py:3:25: ARC003 string 'pkg.old' passed to importlib.import_module() names "
        "pkg.old, deprecated (moving); planned: `pkg.new` does not exist yet",
    ]

    fixed = run(["archlint", "fix"], cwd=root)
    assert fixed.returncode == 0, fixed.stderr  # a planned move never fails the hook
    assert fixed.stderr.splitlines() == [
        "src/pkg/a.py:1:1: skipped: from pkg.old import f: "
        "planned: `pkg.new` does not exist yet; left as it is",
        "src/pkg/b.py:3:25: skipped: string 'pkg.old': "
        "planned: `pkg.new` does not exist yet; left as it is",
    ]
    assert fixed.stdout == (
        "Fixed 1 import and 0 strings in 1 file; 2 sites skipped (planned moves).\n"
    )
    assert (
        root / "src/pkg/a.py"
    ).read_text() == "from pkg.old import f\nfrom pkg.modern import g\n"

    check = run(["archlint", "check"], cwd=root)
    assert check.returncode == 0, check.stdout + check.stderr
    assert WARNING in check.stderr.splitlines()

    lint = run(["archlint", "lint"], cwd=root)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert "planned: `pkg.new` does not exist yet" in lint.stdout
    assert lint.stdout.endswith("Found 2 findings (2 of a planned move).\n")

    # The move lands: the same configuration now offers the import and fix writes it.
    (root / "src/pkg/new.py").write_text("def f():\n    return 1\n")
    (root / "src/pkg/old.py").write_text("from pkg.new import f as f\n")  # the shim
    flake8 = run(["flake8", "--select", "ARC", "src"], cwd=root)
    assert flake8.stdout.splitlines() == [
        "src/pkg/a.py:1:1: ARC001 pkg.old is deprecated (moving); use: from pkg.new import f",
        "src/pkg/b.py:3:25: ARC003 string 'pkg.old' passed to importlib.import_module() names "
        "pkg.old, deprecated (moving); use: 'pkg.new'",
    ]
    check = run(["archlint", "check"], cwd=root)
    assert "warning" not in check.stderr
    fixed = run(["archlint", "fix"], cwd=root)
    assert fixed.returncode == 0, fixed.stderr
    assert fixed.stderr == ""
    assert fixed.stdout == "Fixed 1 import and 1 string in 2 files.\n"
    assert (
        root / "src/pkg/a.py"
    ).read_text() == "from pkg.new import f\nfrom pkg.modern import g\n"
    assert 'import_module("pkg.new")' in (root / "src/pkg/b.py").read_text()
    assert run(["archlint", "lint"], cwd=root).returncode == 0


def test_a_name_not_defined_yet_is_planned_too(tmp_path: Path) -> None:
    files = {
        **FILES,
        "contracts/deprecations.toml": (
            '[[deprecations]]\nold = "pkg.old.f"\nnew = "pkg.modern.f"\n'
        ),
    }
    root = make_project(tmp_path / "proj", files)
    flake8 = run(["flake8", "--select", "ARC", "src/pkg/a.py"], cwd=root)
    assert "planned: `pkg.modern.f` does not exist yet" in flake8.stdout
    (root / "src/pkg/modern.py").write_text("from pkg.old import f as f\n")  # a re-export
    flake8 = run(["flake8", "--select", "ARC", "src/pkg/a.py"], cwd=root)
    assert "use: from pkg.modern import f" in flake8.stdout


def test_unresolved_new_error_fails_every_face(tmp_path: Path) -> None:
    root = make_project(tmp_path / "proj", FILES, extra_settings='unresolved_new = "error"\n')
    error = (
        "contracts/deprecations.toml:3: deprecation 'pkg.old': new: 'pkg.new' does not "
        "resolve: 'new' is not defined, imported or re-exported in module 'pkg'"
    )
    for command in (["check"], ["fix"], ["lint"]):
        result = run(["archlint", *command], cwd=root)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert f"error: {error}" in result.stderr.splitlines(), command
    flake8 = run(["flake8", "--select", "ARC", "src/pkg/a.py"], cwd=root)
    assert flake8.stdout.splitlines() == [
        f"src/pkg/a.py:1:1: ARC900 archlint could not load its contracts: {error}"
    ]
    assert (root / "src/pkg/a.py").read_text() == FILES["src/pkg/a.py"]


def test_unresolved_new_takes_only_its_two_values(tmp_path: Path) -> None:
    root = make_project(tmp_path / "proj", FILES, extra_settings='unresolved_new = "warn"\n')
    result = run(["archlint", "check"], cwd=root)
    assert result.returncode == 2
    assert "unresolved_new: expected one of 'warning', 'error', got 'warn'" in result.stderr


def test_a_name_the_new_module_does_not_define_yet_is_planned(tmp_path: Path) -> None:
    """A module moved whole, but one name it held is not in its new place yet: a statement
    importing that name is planned, whole (never a paste-ready import that fails); the
    statements whose names are all there are ready to paste, and fix writes those."""
    files = {
        "contracts/deprecations.toml": '[[deprecations]]\nold = "pkg.a"\nnew = "pkg.future"\n',
        "src/pkg/__init__.py": "",
        "src/pkg/a.py": "from pkg.future import f as f\n\n\ndef g():\n    return 2\n",
        "src/pkg/future.py": "def f():\n    return 1\n",
        "src/pkg/user.py": "from pkg.a import f, g\nfrom pkg.a import f as f2\n",
    }
    root = make_project(tmp_path, files)
    flake8 = run(["flake8", "--select", "ARC001", "src/pkg/user.py"], cwd=root)
    assert flake8.stdout.splitlines() == [
        "src/pkg/user.py:1:1: ARC001 pkg.a is deprecated; planned: `pkg.future.g` does not "
        "exist yet",
        "src/pkg/user.py:2:1: ARC001 pkg.a is deprecated; use: from pkg.future import f as f2",
    ]
    check = run(["archlint", "check", "--format", "json"], cwd=root)
    user = [f for f in json.loads(check.stdout)["findings"] if f["path"] == "src/pkg/user.py"]
    assert [(f["line"], f["fixable"], "planned:" in f["message"]) for f in user] == [
        (1, False, True),
        (2, True, False),
    ]
    fixed = run(["archlint", "fix"], cwd=root)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    # The planned statement is one site, left whole, as check counts it.
    assert fixed.stdout.startswith("Fixed 1 import and 0 strings in 1 file; 1 site skipped")
    assert (root / "src/pkg/user.py").read_text() == (
        "from pkg.a import f, g\nfrom pkg.future import f as f2\n"
    )
    assert fixed.stderr.splitlines() == [
        "src/pkg/user.py:1:1: skipped: from pkg.a import f, g: planned: `pkg.future.g` does "
        "not exist yet; left as it is"
    ]
    # The name lands: the same configuration gives the import, and fix writes it.
    future = root / "src/pkg/future.py"
    future.write_text(future.read_text() + "\n\ndef g():\n    return 2\n")
    assert run(["archlint", "fix"], cwd=root).returncode == 0
    assert "pkg.a" not in (root / "src/pkg/user.py").read_text()
    # The program imports after every step.
    done = python_import(root, "pkg.user")
    assert done.returncode == 0, done.stderr
