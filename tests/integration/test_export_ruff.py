"""``archlint export ruff``: the deprecations as ruff's banned-api, checked by the real ruff."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from archlint.config import toml

from ..helpers import make_project, run
from .test_contract_types import cli

DEPRECATIONS = """
    [[deprecations]]
    old = "pkg.old"
    new = "pkg.new"
    since = 2025-10-05
    why = "split up"
    remove_after = 2027-01-05

    [[deprecations]]
    old = "pkg.util.Helper"
    new = "pkg.shared.Helper"

    [[deprecations]]
    old = "pkg.gone"
    why = "use pkg.new.thing"
"""

CODE = {
    "src/pkg/__init__.py": "",
    "src/pkg/new.py": "def thing():\n    return 1\n",
    "src/pkg/old.py": "from pkg.new import *  # noqa: F403\n",
    "src/pkg/gone.py": "",
    "src/pkg/shared.py": "class Helper:\n    pass\n",
    "src/pkg/util.py": "from pkg.shared import Helper\n",
    "src/pkg/app.py": (
        "from pkg.old import thing\n"
        "import pkg.gone\n"
        "from pkg.util import Helper\n"
        "from pkg import util\n"
        "\n"
        "print(thing, pkg.gone, Helper, util)\n"
    ),
    "contracts/rules.toml": DEPRECATIONS,
}

#: What ruff says about pkg/app.py once the table is exported.
RUFF_SAYS = [
    "src/pkg/app.py:1:1: TID251 `pkg.old` is banned: moved to pkg.new (deprecated since "
    "2025-10-05; split up; to be removed after 2027-01-05) [archlint]",
    "src/pkg/app.py:2:8: TID251 `pkg.gone` is banned: removed (use pkg.new.thing) [archlint]",
    "src/pkg/app.py:3:22: TID251 `pkg.util.Helper` is banned: moved to pkg.shared.Helper "
    "[archlint]",
    # ruff also flags a use of a banned module through its attribute; archlint flags imports.
    "src/pkg/app.py:6:14: TID251 `pkg.gone` is banned: removed (use pkg.new.thing) [archlint]",
]

PYPROJECT_TAIL = """
# ruff's settings, by hand.
[tool.ruff]
line-length = 100

[tool.ruff.lint]
select = ["E", "F"]   # TID251 not selected here

[tool.ruff.lint.flake8-tidy-imports]
ban-relative-imports = "all"

[tool.ruff.lint.flake8-tidy-imports.banned-api]
"requests".msg = "use httpx"   # the team's own ban

[tool.other]
x = 1
"""


def project_with(tmp_path: Path, tail: str = PYPROJECT_TAIL) -> Path:
    root = make_project(tmp_path, CODE)
    with (root / "pyproject.toml").open("a", encoding="utf-8") as f:
        f.write(tail)
    return root


def ruff(root: Path, *paths: str) -> list[str]:
    proc = run(
        ["ruff", "check", "--no-cache", "--select", "TID251", "--output-format", "concise", *paths],
        cwd=root,
    )
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    return [line for line in proc.stdout.splitlines() if "TID251" in line]


def test_ruff_reports_tid251_with_the_replacement(tmp_path: Path) -> None:
    root = project_with(tmp_path)
    assert ruff(root, "src/pkg/app.py") == []
    before = (root / "pyproject.toml").read_text(encoding="utf-8")
    proc = cli(["archlint", "export", "ruff"], cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Wrote 3 banned-api entries to pyproject.toml (kept 1 of your")
    assert ruff(root, "src/pkg/app.py") == RUFF_SAYS

    after = (root / "pyproject.toml").read_text(encoding="utf-8")
    start = before.index("[tool.ruff.lint.flake8-tidy-imports.banned-api]")
    end = before.index("[tool.other]")
    assert after.startswith(before[:start]) and after.endswith(before[end:])
    table = toml.loads(after)["tool"]["ruff"]["lint"]["flake8-tidy-imports"]
    assert table["ban-relative-imports"] == "all"
    assert table["banned-api"]["requests"] == {"msg": "use httpx"}  # the team's own ban, kept

    # archlint's own view of the same file: the same three imports (at the imported name).
    lint = cli(["archlint", "lint", "--select", "ARC0", "src/pkg/app.py"], cwd=root)
    assert [line.split(":")[1] for line in lint.stdout.splitlines()[:-1]] == ["1", "2", "3"]

    # A second export changes nothing; a deprecation taken out is taken out of ruff's table.
    assert cli(["archlint", "export", "ruff"], cwd=root).returncode == 0
    assert (root / "pyproject.toml").read_text(encoding="utf-8") == after
    rules = root / "contracts/rules.toml"
    rules.write_text(DEPRECATIONS.split('[[deprecations]]\n    old = "pkg.gone"')[0])
    assert cli(["archlint", "export", "ruff"], cwd=root).returncode == 0
    assert [line for line in ruff(root, "src/pkg/app.py") if "pkg.gone" in line] == []
    assert len(ruff(root, "src/pkg/app.py")) == 2  # pkg.old and pkg.util.Helper


def test_ruff_toml_gets_the_lint_table(tmp_path: Path) -> None:
    root = make_project(tmp_path, CODE)
    (root / "ruff.toml").write_text("line-length = 90\n", encoding="utf-8")
    proc = cli(["archlint", "export", "ruff", "-o", "ruff.toml"], cwd=root)
    assert proc.returncode == 0, proc.stderr
    text = (root / "ruff.toml").read_text(encoding="utf-8")
    assert text.startswith("line-length = 90\n\n[lint.flake8-tidy-imports.banned-api]\n")
    assert ruff(root, "src/pkg/app.py") == RUFF_SAYS


def test_stdout(tmp_path: Path) -> None:
    root = make_project(tmp_path, CODE)
    before = (root / "pyproject.toml").read_bytes()
    proc = cli(["archlint", "export", "ruff", "-o", "-"], cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("[tool.ruff.lint.flake8-tidy-imports.banned-api]\n")
    assert '"pkg.old".msg = "moved to pkg.new' in proc.stdout
    assert (root / "pyproject.toml").read_bytes() == before


def test_a_replaced_entry_is_named(tmp_path: Path) -> None:
    tail = '\n[tool.ruff.lint.flake8-tidy-imports.banned-api]\n"pkg.old".msg = "mine"\n'
    root = project_with(tmp_path, tail)
    proc = cli(["archlint", "export", "ruff"], cwd=root)
    assert "Replaced your entry for pkg.old: a deprecation names it." in proc.stdout


@pytest.mark.parametrize(
    ("tail", "reason"),
    [
        (
            '\n[tool.ruff.lint]\nflake8-tidy-imports.banned-api."a".msg = "x"\n',
            "cannot replace in place",
        ),
        ("\n[tool.ruff\n", "it is not valid TOML"),
    ],
    ids=["dotted-keys", "invalid"],
)
def test_refuses_what_it_cannot_keep(tail: str, reason: str, tmp_path: Path) -> None:
    root = make_project(tmp_path, CODE)
    target = root / "other.toml"
    target.write_text(tail, encoding="utf-8")
    proc = cli(["archlint", "export", "ruff", "-o", "other.toml"], cwd=root)
    assert proc.returncode == 2
    assert re.match(r"error: cannot update other.toml: .*; nothing written\n$", proc.stderr)
    assert reason in proc.stderr
    assert target.read_text(encoding="utf-8") == tail
