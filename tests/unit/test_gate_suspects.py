"""Which modules ``archlint check`` parses for direct breaks (:func:`gate._suspects`).

The findings do not depend on it (a module left out would lose findings, one let in costs
a parse): the differential tests in ``tests/integration/test_flake8_vs_check*.py`` pin the
findings; these pin that two-module cycles only make suspects where an ``acyclic`` contract
can report them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from archlint.application.file_rules import FileRules
from archlint.application.gate import _suspects
from archlint.config.loader import load_project

from ..helpers import make_project

CONTRACTS = """
[[contracts]]
id = "core-acyclic"
type = "acyclic"
packages = ["pkg.core"]
ignore_imports = ["pkg.core.x -> pkg.core.y"]
"""


def _rules(tmp_path: Path) -> FileRules:
    files = {
        "contracts/architecture.toml": CONTRACTS,
        **{f"src/pkg/{p}": "" for p in ("__init__.py", "core/__init__.py", "other/__init__.py")},
        **{f"src/pkg/core/{m}.py": "" for m in "abxy"},
        **{f"src/pkg/other/{m}.py": "" for m in "ab"},
    }
    root = make_project(tmp_path, files)
    return FileRules.compile(load_project(root), dt.date(2026, 1, 1))


def _edges(*pairs: tuple[str, str]) -> dict[str, frozenset[str]]:
    edges: dict[str, set[str]] = {}
    for importer, imported in pairs:
        edges.setdefault(importer, set()).add(imported)
    return {m: frozenset(t) for m, t in edges.items()}


def test_a_two_module_cycle_inside_the_packages_is_suspect(tmp_path: Path) -> None:
    rules = _rules(tmp_path)
    edges = _edges(("pkg.core.a", "pkg.core.b"), ("pkg.core.b", "pkg.core.a"))
    assert _suspects(rules, edges) == {"pkg.core.a", "pkg.core.b"}


def test_a_cycle_outside_every_acyclic_contract_is_not(tmp_path: Path) -> None:
    rules = _rules(tmp_path)
    edges = _edges(
        ("pkg.other.a", "pkg.other.b"),
        ("pkg.other.b", "pkg.other.a"),
        # Half in, half out: no contract's package holds both.
        ("pkg.core.a", "pkg.other.a"),
        ("pkg.other.a", "pkg.core.a"),
    )
    assert _suspects(rules, edges) == frozenset()


def test_an_ignored_import_makes_no_suspect_either_way(tmp_path: Path) -> None:
    rules = _rules(tmp_path)
    edges = _edges(("pkg.core.x", "pkg.core.y"), ("pkg.core.y", "pkg.core.x"))
    assert _suspects(rules, edges) == frozenset()
