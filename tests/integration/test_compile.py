"""``archlint compile``: what it writes, where, and that plain ``lint-imports`` agrees with it.

The configuration must rest on import-linter's public behaviour only (namespace portions as
root packages, archlint's types registered only where needed), its header must say how to run
it, and ``-o`` into a file of the user's must keep every byte outside import-linter's tables.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ..helpers import make_project, run
from .test_contract_types import (
    CHECKERS,
    FORBIDDEN,
    LOW_IMPORTS_HIGH,
    build,
    cli,
    compiled_command,
    contract,
    module,
    run_checker,
)

# --- namespace portions ----------------------------------------------------------------------

#: kedro's shape: ``pkg/templates/project/hooks`` where only ``hooks`` has an ``__init__.py``.
TEMPLATES = {
    "src/pkg/templates/project/hooks/__init__.py": "",
    "src/pkg/templates/project/hooks/h.py": module("import pkg.low.x"),
    "src/pkg/templates/project/settings.py": module(),
    "src/pkg/templates/extra/deep/__init__.py": "",
    "src/pkg/templates/extra/deep/inner/d.py": module("import pkg.high.y"),
}


@pytest.mark.parametrize("checker", CHECKERS)
def test_namespace_folders_named_in_contracts_and_reached_only_through_them(
    checker: str, tmp_path: Path
) -> None:
    contracts = (
        contract(
            "templates-not-low",
            'type = "forbidden"\nsource_modules = ["pkg.templates"]\n'
            'forbidden_modules = ["pkg.low"]',
        )
        + contract(
            "templates-not-mid",
            'type = "forbidden"\nsource_modules = ["pkg.templates"]\n'
            'forbidden_modules = ["pkg.mid"]',
        )
        + contract(
            "deep-namespace-not-high",
            'type = "forbidden"\nsource_modules = ["pkg.templates.extra.deep.inner"]\n'
            'forbidden_modules = ["pkg.high"]',
        )
    )
    project = build(tmp_path, TEMPLATES, contracts)
    outcome = run_checker(checker, project)
    assert outcome.verdicts == {
        "templates-not-low": False,
        "templates-not-mid": True,
        "deep-namespace-not-high": False,
    }


def test_compile_lists_each_namespace_portion_as_a_root_package(tmp_path: Path) -> None:
    project = build(tmp_path, TEMPLATES, contract("forbid", FORBIDDEN))
    proc = cli(["archlint", "compile"], cwd=project)
    assert proc.returncode == 0, proc.stderr
    roots = re.search(r"root_packages = \[(.*?)\]", proc.stdout, re.S)
    assert roots is not None
    assert re.findall(r'"([^"]+)"', roots.group(1)) == [
        "pkg",
        "pkg.templates",
        "pkg.templates.extra.deep.inner",
    ]
    assert "runs pkg/__init__.py" in proc.stdout.replace("\n# ", " ")


# --- archlint's types only where needed ----------------------------------------------------


def test_built_in_types_register_nothing_of_archlints(tmp_path: Path) -> None:
    project = build(tmp_path, LOW_IMPORTS_HIGH, contract("forbid", FORBIDDEN))
    for fmt in ("toml", "ini"):
        proc = cli(["archlint", "compile", "--format", fmt], cwd=project)
        assert "contract_types" not in proc.stdout
        assert "archlint need not be installed" in proc.stdout


def test_archlint_types_are_registered_and_named_in_the_header(tmp_path: Path) -> None:
    contracts = contract("forbid", FORBIDDEN) + contract(
        "no-cycles", 'type = "acyclic"\npackages = ["pkg"]'
    )
    contracts += contract("own-tc", FORBIDDEN + "\nexclude_type_checking_imports = true")
    project = build(tmp_path, LOW_IMPORTS_HIGH, contracts)
    proc = cli(["archlint", "compile"], cwd=project)
    assert (
        "# These contracts need archlint installed (its contract types): "
        "no-cycles (acyclic), own-tc (archlint_forbidden)." in proc.stdout
    )
    types = re.search(r"contract_types = \[(.*?)\]", proc.stdout, re.S)
    assert types is not None
    assert re.findall(r'"(\w+):', types.group(1)) == ["acyclic", "archlint_forbidden"]


# --- the header tells the truth --------------------------------------------------------------


def test_header_names_the_file_written_and_the_real_source_root(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/low/__init__.py": "",
        "pkg/low/x.py": module("import pkg.high.y"),
        "pkg/high/__init__.py": "",
        "pkg/high/y.py": module(),
        "contracts/rules.toml": contract("forbid", FORBIDDEN),
    }
    project = make_project(tmp_path, files, source_roots=["src", "."])
    out = project / "config" / "il.toml"
    out.parent.mkdir()
    proc = cli(["archlint", "compile", "-o", "config/il.toml"], cwd=project)
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8")
    python_path, args = compiled_command(text)
    assert python_path is None  # the package is in the project folder itself: no src
    assert args[-1] == "config/il.toml"
    assert "--config" not in args or "import-linter 2.17" not in text
    lint = run(["lint-imports", *args, "--no-cache"], cwd=project, env={"PYTHONPATH": ""})
    assert lint.returncode == 1, lint.stdout + lint.stderr
    assert "DeprecationWarning" not in lint.stderr


# --- -o into a file that holds other things ----------------------------------------------------

PYPROJECT_BEFORE = """\
# The demo project.
[project]
name = "demo"
version = "0"

[tool.archlint]
root_packages = ["pkg"]
source_roots = ["src"]

# Settings of import-linter, kept by hand before archlint.
[tool.importlinter]
root_packages = ["old"]

[[tool.importlinter.contracts]]
name = "stale"
type = "forbidden"
source_modules = ["old.a"]
forbidden_modules = ["old.b"]

# Ruff comes after: this comment belongs to it.
[tool.ruff]
line-length = 100   # keep
"""


def _pyproject_project(tmp_path: Path, text: str) -> Path:
    project = build(tmp_path, LOW_IMPORTS_HIGH, contract("forbid", FORBIDDEN))
    (project / "pyproject.toml").write_bytes(text.encode("utf-8"))
    return project


def test_compile_into_pyproject_keeps_every_other_byte(tmp_path: Path) -> None:
    project = _pyproject_project(tmp_path, PYPROJECT_BEFORE)
    proc = cli(["archlint", "compile", "-o", "pyproject.toml"], cwd=project)
    assert proc.returncode == 0, proc.stderr
    after = (project / "pyproject.toml").read_bytes()
    before = PYPROJECT_BEFORE.encode()
    head = before[: before.index(b"[tool.importlinter]")]
    tail = before[before.index(b"# Ruff comes after") :]
    assert after.startswith(head) and after.endswith(tail)
    middle = after[len(head) : len(after) - len(tail)]
    assert middle.startswith(b"[tool.importlinter]\n# Generated by `archlint compile`")
    assert b'"old"' not in middle and b'"pkg"' in middle

    # archlint still finds its project, and compiling again changes nothing.
    again = cli(["archlint", "compile", "-o", "pyproject.toml"], cwd=project)
    assert again.returncode == 0, again.stderr
    assert (project / "pyproject.toml").read_bytes() == after
    assert cli(["archlint", "check", "--no-cache"], cwd=project).returncode == 1

    # plain lint-imports reads it, as the header says.
    _, args = compiled_command(after.decode())
    assert args[-1] == "pyproject.toml"
    lint = run(["lint-imports", *args, "--no-cache"], cwd=project, env={"PYTHONPATH": "src"})
    assert lint.returncode == 1 and "Rule forbid BROKEN" in lint.stdout, lint.stdout


def test_compile_into_pyproject_without_importlinter_appends(tmp_path: Path) -> None:
    text = '[project]\r\nname = "demo"\r\n\r\n[tool.archlint]\r\nroot_packages = ["pkg"]\r\n'
    text += 'source_roots = ["src"]\r\n'
    project = _pyproject_project(tmp_path, text)
    assert cli(["archlint", "compile", "-o", "pyproject.toml"], cwd=project).returncode == 0
    after = (project / "pyproject.toml").read_bytes()
    assert after.startswith(text.encode())
    assert b"\r\n[tool.importlinter]\r\n" in after
    assert b"\n" not in after.replace(b"\r\n", b"")  # the file's line endings are kept


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ('[tool]\nimportlinter.root_packages = ["x"]\n', "cannot replace in place"),
        ('[tool]\nimportlinter = { root_packages = ["x"] }\n', "cannot replace in place"),
        ("[broken\n", "it is not valid TOML"),
    ],
    ids=["dotted-keys", "inline-table", "invalid"],
)
def test_compile_refuses_what_it_cannot_keep_exactly(
    extra: str, reason: str, tmp_path: Path
) -> None:
    text = '[tool.archlint]\nroot_packages = ["pkg"]\nsource_roots = ["src"]\n\n' + extra
    project = build(tmp_path, LOW_IMPORTS_HIGH, contract("forbid", FORBIDDEN))
    target = project / "other.toml"
    target.write_text(text, encoding="utf-8")
    proc = cli(["archlint", "compile", "-o", "other.toml"], cwd=project)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: cannot update other.toml: ")
    assert reason in proc.stderr and "nothing written" in proc.stderr
    assert len(proc.stderr.splitlines()) == 1
    assert target.read_text(encoding="utf-8") == text


def test_compile_refuses_a_special_file(tmp_path: Path) -> None:
    project = build(tmp_path, LOW_IMPORTS_HIGH, contract("forbid", FORBIDDEN))
    (project / "out.toml").mkdir()
    proc = cli(["archlint", "compile", "-o", "out.toml"], cwd=project)
    assert proc.returncode == 2
    assert (
        proc.stderr == "error: cannot write out.toml: it is not a regular file; nothing written\n"
    )


def test_compile_into_setup_cfg_keeps_every_other_byte(tmp_path: Path) -> None:
    text = (
        "[metadata]\nname = demo\n\n[importlinter]\nroot_packages = old\n\n"
        "[importlinter:contract:stale]\nname = stale\ntype = forbidden\n"
        "source_modules = old.a\nforbidden_modules = old.b\n\n"
        "; flake8 below\n[flake8]\nmax-line-length = 100\n"
    )
    project = build(tmp_path, LOW_IMPORTS_HIGH, contract("forbid", FORBIDDEN))
    (project / "setup.cfg").write_text(text, encoding="utf-8")
    proc = cli(["archlint", "compile", "-o", "setup.cfg"], cwd=project)
    assert proc.returncode == 0, proc.stderr
    after = (project / "setup.cfg").read_text(encoding="utf-8")
    assert after.startswith("[metadata]\nname = demo\n\n[importlinter]\n# Generated by")
    assert after.endswith("\n\n; flake8 below\n[flake8]\nmax-line-length = 100\n")
    assert "stale" not in after and "[importlinter:contract:forbid]" in after
    _, args = compiled_command(after)
    lint = run(["lint-imports", *args, "--no-cache"], cwd=project, env={"PYTHONPATH": "src"})
    assert lint.returncode == 1 and "Rule forbid BROKEN" in lint.stdout, lint.stdout


def test_compile_over_its_own_earlier_output_replaces_it_whole(tmp_path: Path) -> None:
    project = build(tmp_path, LOW_IMPORTS_HIGH, contract("forbid", FORBIDDEN))
    assert cli(["archlint", "compile", "-o", "il.ini"], cwd=project).returncode == 0
    first = (project / "il.ini").read_text(encoding="utf-8")
    assert first.startswith("# Generated by `archlint compile`")
    assert "[importlinter:contract:forbid]" in first  # -o *.ini implies the INI format
    (project / "contracts/rules.toml").write_text(contract("renamed", FORBIDDEN), encoding="utf-8")
    assert cli(["archlint", "compile", "-o", "il.ini"], cwd=project).returncode == 0
    second = (project / "il.ini").read_text(encoding="utf-8")
    assert "[importlinter:contract:renamed]" in second and "forbid]" not in second
