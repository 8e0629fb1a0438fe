"""Attacks on "check, lint, fix and flake8 agree" (issue 10): inputs a careless or hostile user
gives, each kept as a test through the real executables. flake8 is the reference for
``# noqa``.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..helpers import make_project, run

PACKAGE = {
    "src/shop/__init__.py": "",
    "src/shop/app.py": "",
    "src/shop/old.py": "",
    # Any name may be imported from the new module (a module-level __getattr__).
    "src/shop/new.py": "def __getattr__(name): ...\n",
}

DEPRECATIONS = '[[deprecations]]\nold = "shop.old"\nnew = "shop.new"\n'


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.match(r"\S+:\d+:\d+: ARC\d{3} ", line)]


def test_noqa_after_a_backslash_continuation_in_a_file_of_lone_cr_line_ends(
    tmp_path: Path,
) -> None:
    """flake8 reads a file's lines with universal newlines and joins the lines of a backslash
    continuation to find the comment; the raw text of a lone-CR file is one line to Python's
    tokenizer, so reading it raw missed the comment and lint, check and fix disagreed."""
    root = make_project(
        tmp_path / "proj",
        root_packages=("shop",),
        files={**PACKAGE, "contracts/deprecations.toml": DEPRECATIONS},
    )
    source = b"from shop.old import x, \\\r    y  # noqa: ARC001\rfrom shop.old import z\r"
    (root / "src/shop/user.py").write_bytes(source)
    expected = ["src/shop/user.py:3:1: ARC001 shop.old is deprecated; use: from shop.new import z"]
    assert lines(run(["flake8", "--select", "ARC", "src"], cwd=root).stdout) == expected
    assert lines(run(["archlint", "lint"], cwd=root).stdout) == expected
    check = run(["archlint", "check", "--no-cache"], cwd=root)
    assert lines(check.stdout.replace("    src/", "src/")) == expected
    fix = run(["archlint", "fix"], cwd=root)
    assert fix.returncode == 0, fix.stderr
    assert (root / "src/shop/user.py").read_bytes() == source.replace(
        b"from shop.old import z", b"from shop.new import z"
    )


def test_fix_counts_a_statement_once_as_check_counts_its_finding(tmp_path: Path) -> None:
    """One finding per statement and replacement: check's "N fixable sites" and fix's "N
    imports" count the same thing (fix counted every imported name)."""
    source = "import shop.old, shop.old as b\nfrom shop.old import (\n    f,\n    g,\n)\n"
    root = make_project(
        tmp_path / "proj",
        root_packages=("shop",),
        files={**PACKAGE, "contracts/deprecations.toml": DEPRECATIONS, "src/shop/user.py": source},
    )
    flake8 = lines(run(["flake8", "--select", "ARC", "src"], cwd=root).stdout)
    assert [line.split(": ARC")[0] for line in flake8] == [
        "src/shop/user.py:1:1",
        "src/shop/user.py:2:1",
    ]
    check = run(["archlint", "check", "--no-cache", "-q"], cwd=root)
    assert "Next: archlint fix rewrites the 2 fixable sites." in check.stdout
    fix = run(["archlint", "fix"], cwd=root)
    assert fix.returncode == 0, fix.stderr
    assert fix.stdout == "Fixed 2 imports and 0 strings in 1 file.\n"
    assert (root / "src/shop/user.py").read_text() == source.replace("shop.old", "shop.new")


def test_a_statement_fix_cannot_rewrite_is_one_hand_fix(tmp_path: Path) -> None:
    """Two names of one statement that fix refuses for the same reason (the replacement would
    import the module from itself) are one finding in flake8, so one hand fix, not two."""
    root = make_project(
        tmp_path / "proj",
        root_packages=("shop",),
        files={
            **PACKAGE,
            "src/shop/old.py": "f = g = 1\n",
            "src/shop/new.py": "from shop.old import (\n    f,\n    g,\n)\n",
            "contracts/deprecations.toml": DEPRECATIONS,
        },
    )
    flake8 = lines(run(["flake8", "--select", "ARC", "src/shop/new.py"], cwd=root).stdout)
    assert len(flake8) == 1 and flake8[0].startswith("src/shop/new.py:1:1: ARC001 ")
    fix = run(["archlint", "fix", "src/shop/new.py"], cwd=root)
    assert fix.returncode == 1
    (site,) = fix.stderr.splitlines()
    assert site.startswith("src/shop/new.py:1:1: from shop.old import f: ")
    assert "from shop.old import g: " in site
    assert fix.stdout == "Fixed 0 imports and 0 strings in 0 files; 1 site needs a hand fix.\n"


def test_a_relative_import_above_the_top_package_is_a_bad_file_in_every_face(
    tmp_path: Path,
) -> None:
    """lint names such a file and skips it (exit 2), as check does when it builds the graph;
    check with deprecations alone reported its findings and exited 1, and fix rewrote it."""
    source = "from .old import x\nfrom .. import shop\n"
    root = make_project(
        tmp_path / "proj",
        root_packages=("shop",),
        files={
            **PACKAGE,
            "src/shop/__init__.py": source,
            "src/shop/user.py": "from shop.old import y\n",
            "contracts/deprecations.toml": DEPRECATIONS,
        },
    )
    bad = "src/shop/__init__.py:2: relative import climbs 2 levels, above the top-level package"
    lint = run(["archlint", "lint"], cwd=root)
    assert lint.returncode == 2
    assert lint.stderr.splitlines() == [bad]
    check = run(["archlint", "check", "--no-cache"], cwd=root)
    assert check.returncode == 2, check.stdout + check.stderr
    assert check.stderr.splitlines()[0] == f"error: {bad}"
    # The other files' findings are still reported, in check as in lint.
    assert lines(check.stdout.replace("    src/", "src/")) == lines(lint.stdout)
    fix = run(["archlint", "fix"], cwd=root)
    assert fix.returncode == 2
    assert (root / "src/shop/__init__.py").read_text() == source
    assert (root / "src/shop/user.py").read_text() == "from shop.new import y\n"
    assert fix.stderr.splitlines() == [
        "src/shop/__init__.py:2:1: relative import climbs 2 levels, above the top-level "
        "package; file skipped"
    ]
