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
    "src/shop/new.py": "",
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
