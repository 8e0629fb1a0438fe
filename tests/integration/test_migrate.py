"""``archlint init --from-importlinter``: one configuration in each of import-linter's three file
formats, covering every built-in contract type and option, migrated and then checked by the real
``lint-imports`` (on the original file) and the real ``archlint check`` (on what was written):
both must give every contract the same verdict, and the expected one.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from archlint.config import toml

from ..helpers import BIN, write_tree
from .test_contract_types import cli, module, text_verdicts

#: The code every fixture checks. Lines: the first import of each module is on line 3.
CODE: dict[str, str] = {
    "src/pkg/__init__.py": "",
    "src/pkg/high/__init__.py": "",
    "src/pkg/high/y.py": module("import pkg.mid.m"),
    "src/pkg/mid/__init__.py": "",
    "src/pkg/mid/m.py": module("import pkg.low.x"),
    "src/pkg/mid/m2.py": module("import pkg.high.y"),
    "src/pkg/low/__init__.py": "",
    # Up a layer, but only for the type checker: excluded by exclude_type_checking_imports.
    "src/pkg/low/x.py": module(
        "from typing import TYPE_CHECKING", "if TYPE_CHECKING:", "    import pkg.high.y"
    ),
    "src/pkg/low/z.py": module("import requests"),
    "src/pkg/left/__init__.py": "",
    "src/pkg/left/a.py": module("import pkg.low.x"),
    "src/pkg/right/__init__.py": "",
    "src/pkg/right/b.py": module("import pkg.left.a"),
    "src/pkg/legacy/__init__.py": "",
    "src/pkg/legacy/old.py": module("import pkg.high.y"),
    "src/pkg/cyc/__init__.py": "",
    "src/pkg/cyc/a.py": module("import pkg.cyc.b"),
    "src/pkg/cyc/b.py": module("import pkg.cyc.a"),
    "src/pkg/cyc/skip/__init__.py": "",
    "src/pkg/cyc/skip/s1.py": module("import pkg.cyc.skip.s2"),
    "src/pkg/cyc/skip/s2.py": module("import pkg.cyc.skip.s1"),
    # A custom import-linter contract type, importable by lint-imports through PYTHONPATH=src.
    "src/custom_types.py": """
        from importlinter import Contract, ContractCheck, output


        class AlwaysKept(Contract):
            def check(self, graph, verbose):
                return ContractCheck(kept=True, warnings=None)

            def render_broken_contract(self, check):
                output.print("never broken")
    """,
}

#: (INI section key or TOML id (None: made from the name), options, expected verdict).
CONTRACTS: list[tuple[str | None, dict[str, Any], bool | None]] = [
    (
        "Main Layers",
        {
            "name": "Main layers",
            "type": "layers",
            "layers": ["high", "left : right", "(ghost)", "mid", "low"],
            "containers": ["pkg"],
            "exhaustive": True,
            "exhaustive_ignores": ["legacy", "cyc"],
            "ignore_imports": ["pkg.mid.m2 -> pkg.high.y", "pkg.low.x -> pkg.left.a"],
            "unmatched_ignore_imports_alerting": "warn",
            "broken_contract_guidance": "Lower layers never reach up.",
        },
        True,
    ),
    (
        "siblings",
        {
            "name": "Independent siblings",
            "type": "layers",
            "layers": ["pkg.high", "pkg.left | pkg.right", "pkg.low"],
        },
        False,
    ),
    (
        None,
        {"name": "Slices", "type": "independence", "modules": ["pkg.left", "pkg.right"]},
        False,
    ),
    (
        None,
        {
            "name": "Slices",  # the same name: the id is made unique
            "type": "independence",
            "modules": ["pkg.left", "pkg.right"],
            "ignore_imports": ["pkg.right.b -> pkg.left.a"],
        },
        True,
    ),
    (
        "right-not-low",
        {
            "name": "Right not low",
            "type": "forbidden",
            "source_modules": ["pkg.right"],
            "forbidden_modules": ["pkg.low"],
        },
        False,
    ),
    (
        "right_not_low_direct",
        {
            "name": "Right not low, directly",
            "type": "forbidden",
            "source_modules": ["pkg.right"],
            "forbidden_modules": ["pkg.low"],
            "allow_indirect_imports": True,
        },
        True,
    ),
    (
        "HIGH-NOT-MID-ITSELF",
        {
            "name": "pkg.high itself not pkg.mid itself",
            "type": "forbidden",
            "source_modules": ["pkg.high"],
            "forbidden_modules": ["pkg.mid"],
            "as_packages": False,
        },
        True,
    ),
    (
        "no-requests",
        {
            "name": "Low uses no requests",
            "type": "forbidden",
            "source_modules": ["pkg.low"],
            "forbidden_modules": ["requests"],
        },
        False,
    ),
    (
        "low-front-door",
        {
            "name": "Low through mid and left",
            "type": "protected",
            "protected_modules": ["pkg.low"],
            "allowed_importers": ["pkg.mid", "pkg.left"],
        },
        True,
    ),
    (
        "x-only-from-mid",
        {
            "name": "x only from mid",
            "type": "protected",
            "protected_modules": ["pkg.low.x"],
            "allowed_importers": ["pkg.mid.m"],
            "as_packages": False,
        },
        False,
    ),
    (
        "cyc siblings",
        {
            "name": "No sibling cycles in cyc",
            "type": "acyclic_siblings",
            "ancestors": ["pkg.cyc"],
            "depth": 3,
            "skip_descendants": ["pkg.cyc.skip"],
        },
        False,
    ),
    (
        "skip-only",
        {
            "name": "No sibling cycles in low",
            "type": "acyclic_siblings",
            "ancestors": ["pkg.low"],
        },
        True,
    ),
    ("custom", {"name": "Custom rule", "type": "always_kept"}, None),
]

#: The id each contract gets, in order.
IDS = [
    "main-layers",
    "siblings",
    "slices",
    "slices-2",
    "right-not-low",
    "right_not_low_direct",
    "high-not-mid-itself",
    "no-requests",
    "low-front-door",
    "x-only-from-mid",
    "cyc-siblings",
    "skip-only",
]

SESSION = {
    "root_package": "pkg",
    "include_external_packages": True,
    "exclude_type_checking_imports": True,
    "contract_types": ["always_kept: custom_types.AlwaysKept"],
}


def _ini_value(value: Any, key: str) -> str:
    if isinstance(value, bool):
        return " True" if value else " False"
    if isinstance(value, list):
        # Multi-line, with a comment line and a blank line inside: import-linter's reader turns
        # the blank line into an empty entry, which the migration must drop.
        lines = [f"    {v}" for v in value]
        if len(lines) > 1:
            lines[1:1] = ["    # a comment in the list", ""]
        return "\n" + "\n".join(lines)
    return f" {value}"


def ini_config(section: str = "importlinter") -> str:
    out = [f"[{section}]"]
    out += [f"{k} ={_ini_value(v, k)}" for k, v in SESSION.items()]
    taken: set[str] = set()
    for key, options, _ in CONTRACTS:
        wanted = key or options["name"]
        section_key = wanted if wanted not in taken else f"{wanted} 2"
        taken.add(section_key)
        out += ["", f"[{section}:contract:{section_key}]"]
        out += [f"{k} ={_ini_value(v, k)}" for k, v in options.items()]
    return "\n".join(out) + "\n"


def _toml_value(value: Any, key: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        if len(value) == 1 and key != "contract_types":
            return f'"{value[0]}"'  # a string where a list is meant
        return "[" + ", ".join(f'"{v}"' for v in value) + "]"
    return f'"{value}"'


def toml_config() -> str:
    out = ["[tool.importlinter]"]
    out += [f"{k} = {_toml_value(v, k)}" for k, v in SESSION.items()]
    for key, options, _ in CONTRACTS:
        out += ["", "[[tool.importlinter.contracts]]"]
        if key is not None:
            out.append(f'id = "{key}"')
        out += [f"{k} = {_toml_value(v, k)}" for k, v in options.items()]
    return "\n".join(out) + "\n"


def lint_imports(project: Path, config: str) -> dict[str, bool]:
    """The real lint-imports on ``config``: each contract's verdict, by name."""
    env = {**os.environ, "PYTHONPATH": "src", "COLUMNS": "10000", "NO_COLOR": "1"}
    proc = subprocess.run(
        [str(BIN / "lint-imports"), config, "--no-cache", "--no-logo"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    found = re.findall(r"^(.+) (KEPT|BROKEN)(?: \(.*\))?$", proc.stdout, re.M)
    assert found, proc.stdout + proc.stderr
    assert proc.returncode == (0 if all(v == "KEPT" for _, v in found) else 1), proc.stdout
    return {name: verdict == "KEPT" for name, verdict in found}


def expected_by_name() -> dict[str, bool]:
    """Names are not unique (two 'Slices'): lint-imports prints both, the last wins here."""
    return {o["name"]: v for _, o, v in CONTRACTS if v is not None} | {"Custom rule": True}


FORMATS: dict[str, tuple[str, str]] = {
    ".importlinter": (".importlinter", ini_config()),
    "setup.cfg": ("setup.cfg", "[metadata]\nname = demo\n\n" + ini_config()),
    "pyproject": (
        "pyproject.toml",
        '[project]\nname = "demo"\nversion = "0"\n\n' + toml_config() + "\n[tool.ruff]\n",
    ),
}


def migrated(
    tmp_path: Path, fmt: str, *extra: str
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    name, text = FORMATS[fmt]
    project = write_tree(tmp_path / "project", CODE)
    (project / name).write_text(text, encoding="utf-8")
    proc = cli(["archlint", "init", "--from-importlinter", *extra], cwd=project)
    return project, proc


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_type_and_option_gets_the_same_verdicts(fmt: str, tmp_path: Path) -> None:
    project, proc = migrated(tmp_path, fmt)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{len(IDS)} of {len(IDS)} contracts: same verdict." in proc.stdout
    assert "DIFFERENT" not in proc.stdout
    for cid in IDS:
        assert re.search(rf"^  same +{re.escape(cid)}: (KEPT|BROKEN) by both$", proc.stdout, re.M)

    # The real tools, each on its own configuration, give the expected verdicts.
    name = FORMATS[fmt][0]
    theirs = lint_imports(project, name)
    assert theirs == expected_by_name()
    check = cli(["archlint", "check", "--no-cache"], cwd=project)
    mine = text_verdicts(check.stdout)
    assert check.returncode == 1, check.stdout + check.stderr
    expected = [v for _, _, v in CONTRACTS if v is not None]
    assert mine == dict(zip(IDS, expected, strict=True))
    assert "why: Lower layers never reach up." not in check.stdout  # main-layers is kept
    assert "warning:" in check.stdout  # the ignore_imports entry that matches nothing

    written = toml.loads((project / "contracts/importlinter.toml").read_text(encoding="utf-8"))
    contracts = {c["id"]: c for c in written["contracts"]}
    assert list(contracts) == IDS
    main = contracts["main-layers"]
    assert main["layers"] == ["high", "left : right", "(ghost)", "mid", "low"]  # no empty entry
    assert main["exhaustive"] is True and main["why"] == "Lower layers never reach up."
    assert main["unmatched_ignore_imports_alerting"] == "warn"
    assert contracts["right_not_low_direct"]["allow_indirect_imports"] is True
    assert contracts["high-not-mid-itself"]["as_packages"] is False
    assert contracts["x-only-from-mid"]["as_packages"] is False
    assert contracts["cyc-siblings"]["depth"] == 3
    assert contracts["skip-only"]["ancestors"] == ["pkg.low"]  # a string made a list
    settings = toml.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert settings["tool"]["archlint"] == {
        "root_packages": ["pkg"],
        "source_roots": ["src"],
        "include_external_packages": True,
        "exclude_type_checking_imports": True,
    }
    text = (project / "contracts/importlinter.toml").read_text(encoding="utf-8")
    assert '# [[contracts]]\n# id = "custom"' in text
    assert "always_kept: custom_types.AlwaysKept" in (project / "pyproject.toml").read_text()
    assert "(comment)" in proc.stdout and "custom import-linter type" in proc.stdout


def test_pyproject_keeps_every_other_byte(tmp_path: Path) -> None:
    project, proc = migrated(tmp_path, "pyproject")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    before = FORMATS["pyproject"][1]
    after = (project / "pyproject.toml").read_text(encoding="utf-8")
    assert after.startswith(before)
    assert after[len(before) :].startswith("\n[tool.archlint]\n")


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    project, first = migrated(tmp_path, ".importlinter")
    assert first.returncode == 0, first.stdout + first.stderr
    snapshot = {p: p.read_bytes() for p in (project / "pyproject.toml", project / "contracts")
                if p.is_file()}  # fmt: skip
    contracts = (project / "contracts/importlinter.toml").read_bytes()
    again = cli(["archlint", "init", "--from-importlinter"], cwd=project)
    assert again.returncode == 2
    assert again.stderr.startswith("error: contracts/importlinter.toml exists: nothing written")
    (project / "contracts/importlinter.toml").unlink()
    again = cli(["archlint", "init", "--from-importlinter"], cwd=project)
    assert again.returncode == 2
    assert "pyproject.toml already has [tool.archlint]" in again.stderr
    assert not (project / "contracts/importlinter.toml").exists()
    for path, data in snapshot.items():
        assert path.read_bytes() == data
    forced = cli(["archlint", "init", "--from-importlinter", "--force"], cwd=project)
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert (project / "contracts/importlinter.toml").read_bytes() == contracts
    assert (project / "pyproject.toml").read_bytes() == snapshot[project / "pyproject.toml"]


def test_a_folder_without_init_is_the_difference(tmp_path: Path) -> None:
    files: Mapping[str, str] = {
        "src/pkg/__init__.py": "",
        "src/pkg/high/__init__.py": "",
        "src/pkg/high/y.py": module(),
        "src/pkg/low/__init__.py": "",
        "src/pkg/low/x.py": module("import pkg.plugins.p"),
        "src/pkg/plugins/p.py": module("import pkg.high.y"),  # pkg/plugins has no __init__.py
        ".importlinter": """
            [importlinter]
            root_package = pkg

            [importlinter:contract:low-not-high]
            name = Low not high
            type = forbidden
            source_modules = pkg.low
            forbidden_modules = pkg.high
        """,
    }
    project = write_tree(tmp_path, files)
    proc = cli(["archlint", "init", "--from-importlinter", ".importlinter"], cwd=project)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "DIFFERENT  low-not-high: archlint BROKEN, lint-imports KEPT" in proc.stdout
    assert (
        "why: archlint's chains go through pkg.plugins.p, below pkg.plugins: a folder without "
        "__init__.py" in proc.stdout
    )
    assert "0 of 1 contracts: same verdict; 1 differs." in proc.stdout


@pytest.mark.parametrize(
    ("files", "args", "message"),
    [
        ({}, [], "error: no import-linter configuration in "),
        ({}, ["missing.ini"], "error: missing.ini: no such file\n"),
        ({"x.ini": "[other]\na = 1\n"}, ["x.ini"], "error: x.ini has no [importlinter]"),
        ({"x.ini": "[importlinter\n"}, ["x.ini"], "error: x.ini is not a valid INI file"),
        ({"x.toml": "[tool.importlinter\n"}, ["x.toml"], "error: x.toml is not valid TOML"),
        (
            {".importlinter": "[importlinter]\ninclude_external_packages = True\n"},
            [],
            "error: .importlinter: no root_packages (or root_package): nothing to migrate",
        ),
        (
            {".importlinter": "[importlinter]\nroot_packages = pkg\n", "pyproject.toml": "[x\n"},
            [],
            "error: cannot update pyproject.toml: ",
        ),
    ],
    ids=["none", "missing", "no-table", "bad-ini", "bad-toml", "no-roots", "bad-pyproject"],
)
def test_bad_input_is_one_line(
    files: dict[str, str], args: list[str], message: str, tmp_path: Path
) -> None:
    write_tree(tmp_path, files)
    proc = cli(["archlint", "init", "--from-importlinter", *args], cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith(message), proc.stderr
    assert len(proc.stderr.splitlines()) == 1
    assert not (tmp_path / "contracts").exists()
