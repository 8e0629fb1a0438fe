"""Contracts and deprecations written in ``pyproject.toml`` (``[[tool.archlint.contracts]]``,
``[[tool.archlint.deprecations]]``): read as ``contracts/*.toml`` are, with the same
validation, lines in errors, verdicts, and the same findings in flake8."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ..helpers import make_project, run

RULES = """
[[{prefix}contracts]]
id = "layers"
type = "layers"
why = "The app sits on the library."
containers = ["pkg"]
layers = ["app", "lib"]

[[{prefix}contracts]]
id = "no-cycles"
type = "acyclic"
packages = ["pkg"]

[[{prefix}deprecations]]
old = "pkg.lib.old"
new = "pkg.lib.new"
why = "renamed"
"""

CODE = {
    "src/pkg/__init__.py": "",
    "src/pkg/app.py": "from pkg.lib.old import helper\n",
    "src/pkg/lib/__init__.py": "",
    "src/pkg/lib/new.py": "def helper():\n    return 1\n",
    "src/pkg/lib/old.py": "from pkg.lib.new import helper\n",
    "src/pkg/lib/user.py": "import pkg.app\n",
    "src/pkg/lib/ring_a.py": "import pkg.lib.ring_b\n",
    "src/pkg/lib/ring_b.py": "import pkg.lib.ring_a\n",
}


def in_pyproject(root: Path, rules: str = RULES, files: dict[str, str] | None = None) -> Path:
    """A project whose rules are in pyproject.toml, after [tool.archlint]."""
    return make_project(
        root, {**CODE, **(files or {})}, extra_settings=rules.format(prefix="tool.archlint.")
    )


def in_folder(root: Path) -> Path:
    return make_project(root, {**CODE, "contracts/rules.toml": RULES.format(prefix="")})


def _without_places(text: str) -> str:
    """Output with the lines that say where a contract is defined left out."""
    return "\n".join(line for line in text.splitlines() if "defined at" not in line)


def _verdicts(report: str) -> list[tuple[str, bool, list[list[str]]]]:
    return [
        (
            c["id"],
            c["kept"],
            [
                [link["imported"] for link in chain]
                for v in c["violations"]
                for chain in v["chains"]
            ],
        )
        for c in json.loads(report)["contracts"]
    ]


def test_the_same_verdicts_as_in_a_contract_file(tmp_path: Path) -> None:
    inline = in_pyproject(tmp_path / "inline")
    folder = in_folder(tmp_path / "folder")
    assert not (inline / "contracts").exists()
    results = {}
    for name, root in (("inline", inline), ("folder", folder)):
        text = run(["archlint", "check", "--no-cache"], cwd=root)
        assert text.returncode == 1, text.stdout + text.stderr
        machine = run(["archlint", "check", "--no-cache", "--format", "json"], cwd=root)
        lint = run(["archlint", "lint"], cwd=root)
        results[name] = (_without_places(text.stdout), _verdicts(machine.stdout), lint.stdout)
    assert results["inline"] == results["folder"]
    text, verdicts, lint = results["inline"]
    assert [(v[0], v[1]) for v in verdicts] == [("layers", False), ("no-cycles", False)]
    assert "src/pkg/app.py:1:1: ARC001 pkg.lib.old is deprecated (renamed)" in lint
    assert "src/pkg/lib/user.py:1:1: ARC101 import of pkg.app breaks contract 'layers'" in lint
    shown = run(["archlint", "check", "--no-cache"], cwd=inline).stdout
    assert "defined at pyproject.toml:9" in shown  # the [[tool.archlint.contracts]] header


def test_flake8_sees_them(tmp_path: Path) -> None:
    root = in_pyproject(tmp_path / "p")
    result = run(["flake8", "--select", "ARC", "src"], cwd=root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "src/pkg/app.py:1:1: ARC001 pkg.lib.old is deprecated (renamed); use: "
        "from pkg.lib.new import helper",
        "src/pkg/lib/ring_a.py:1:1: ARC106 import of pkg.lib.ring_b breaks contract "
        "'no-cycles': pkg.lib.ring_b imports pkg.lib.ring_a back (l.1): a cycle of two modules",
        "src/pkg/lib/ring_b.py:1:1: ARC106 import of pkg.lib.ring_a breaks contract "
        "'no-cycles': pkg.lib.ring_a imports pkg.lib.ring_b back (l.1): a cycle of two modules",
        "src/pkg/lib/user.py:1:1: ARC101 import of pkg.app breaks contract 'layers': pkg.lib "
        "(layer 'lib') may not import pkg.app (layer 'app', above it) "
        "(The app sits on the library.)",
    ]
    # Edited in pyproject.toml, the rules change for flake8 at once (its cache keys the file).
    pyproject = root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace('layers = ["app", "lib"]', 'layers = ["lib", "app"]')
    )
    again = run(["flake8", "--select", "ARC1", "src"], cwd=root)
    assert "src/pkg/lib/user.py" not in again.stdout
    assert "src/pkg/app.py:1:1: ARC101 import of pkg.lib.old breaks" in again.stdout


def _errors(root: Path) -> list[str]:
    result = run(["archlint", "check", "--no-cache"], cwd=root)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return [line for line in result.stderr.splitlines() if line.startswith("error: ")]


def test_errors_name_their_line_in_pyproject(tmp_path: Path) -> None:
    rules = """
[[tool.archlint.contracts]]
id = "layers"
type = "layers"
layers = "app"
colour = "red"

[[tool.archlint.contracts]]
id = "Bad Id"
type = "forbidden"

[[tool.archlint.deprecations]]
old = "pkg.lib.old"
new = "pkg.lib.old"
"""
    root = in_pyproject(tmp_path / "p", rules)
    assert _errors(root) == [
        "error: pyproject.toml:13: contract 'layers': colour: unknown field",
        "error: pyproject.toml:12: contract 'layers': layers: expected an array of strings, "
        'got a string (write ["app"])',
        "error: pyproject.toml:16: contract #2: id: 'Bad Id' is not a valid id: use lower-case "
        "letters, digits, '-' and '_', starting with a letter or digit",
        "error: pyproject.toml:15: contract #2: source_modules: required field is missing",
        "error: pyproject.toml:15: contract #2: forbidden_modules: required field is missing",
        "error: pyproject.toml:21: deprecation 'pkg.lib.old': new: is the same as 'old'",
    ]


def test_ids_are_unique_across_pyproject_and_contract_files(tmp_path: Path) -> None:
    rules = RULES.format(prefix="tool.archlint.")
    root = make_project(
        tmp_path / "p",
        {
            **CODE,
            "contracts/more.toml": '[[contracts]]\nid = "layers"\ntype = "acyclic"\n'
            'packages = ["pkg"]\n',
        },
        extra_settings=rules,
    )
    assert _errors(root) == [
        "error: contracts/more.toml:2: contract 'layers': id: duplicate id: already used at "
        "pyproject.toml:10"
    ]


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        # A single table where an array of tables is meant.
        (
            '\n[tool.archlint.contracts]\nid = "x"\n',
            "error: pyproject.toml:9: [tool.archlint]: contracts: 'contracts' must be an array "
            "of tables: write [[tool.archlint.contracts]]",
        ),
        (
            'deprecations = "pkg.lib.old"\n',
            "error: pyproject.toml:8: [tool.archlint]: deprecations: 'deprecations' must be an "
            "array of tables: write [[tool.archlint.deprecations]]",
        ),
        # A typo points at the key meant, never at contracts_dir.
        (
            '\n[[tool.archlint.contract]]\nid = "x"\n',
            "error: pyproject.toml:9: [tool.archlint]: contract: unknown field (did you mean "
            "'contracts'?)\n"
            "error: pyproject.toml:5: [tool.archlint]: contracts_dir: contracts folder 'contracts' "
            "does not exist next to pyproject.toml; write the rules there, or in pyproject.toml "
            "as [[tool.archlint.contracts]] and [[tool.archlint.deprecations]]",
        ),
        # Written inline: the line of the key.
        (
            'contracts = [{ id = "x", type = "acyclic" }]\n',
            "error: pyproject.toml:8: contract 'x': packages: required field is missing",
        ),
        (
            "contracts = [3]\n",
            "error: pyproject.toml:8: each [[tool.archlint.contracts]] entry must be a table",
        ),
        # Nothing anywhere.
        (
            "contracts = []\n",
            "error: pyproject.toml: no [[tool.archlint.contracts]] or "
            "[[tool.archlint.deprecations]] found",
        ),
        # A contracts_dir set on purpose must exist, pyproject rules or not.
        (
            'contracts_dir = "rules"\n' + RULES.format(prefix="tool.archlint."),
            "error: pyproject.toml:8: [tool.archlint]: contracts_dir: contracts folder 'rules' "
            "does not exist next to pyproject.toml",
        ),
    ],
)
def test_bad_pyproject_rules_are_one_line_each(
    tmp_path: Path, settings: str, expected: str
) -> None:
    root = make_project(tmp_path / "p", CODE, extra_settings=settings)
    assert _errors(root) == expected.splitlines()


def test_no_rules_anywhere_says_where_to_write_them(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", CODE)
    (error,) = _errors(root)
    assert re.fullmatch(
        r"error: pyproject.toml:\d+: \[tool.archlint\]: contracts_dir: contracts folder "
        r"'contracts' does not exist next to pyproject.toml; write the rules there, or in "
        r"pyproject.toml as \[\[tool.archlint.contracts\]\] and "
        r"\[\[tool.archlint.deprecations\]\]",
        error,
    ), error


def test_both_places_are_read_together(tmp_path: Path) -> None:
    root = make_project(
        tmp_path / "p",
        {
            **CODE,
            "contracts/deprecations.toml": RULES.format(prefix="")
            .split("[[deprecations]]")[0]
            .replace('id = "layers"', 'id = "layers-2"')
            .replace('id = "no-cycles"', 'id = "no-cycles-2"'),
        },
        extra_settings=(
            '\n[[tool.archlint.deprecations]]\nold = "pkg.lib.old"\nnew = "pkg.lib.new"\n'
        ),
    )
    report = run(["archlint", "check", "--no-cache", "--format", "json"], cwd=root)
    assert [c["id"] for c in json.loads(report.stdout)["contracts"]] == ["layers-2", "no-cycles-2"]
    lint = run(["archlint", "lint", "--select", "ARC0"], cwd=root)
    assert "src/pkg/app.py:1:1: ARC001 pkg.lib.old is deprecated" in lint.stdout
