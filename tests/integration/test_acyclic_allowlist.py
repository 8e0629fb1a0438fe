"""archlint's own contract types, acyclic and allowlist: the same verdict in-process, from
``archlint check`` and from plain ``lint-imports`` on the compiled configuration; and the
seven cycles of the seed, found in the bundled example."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from archlint.application.check import check
from archlint.application.project import open_project

from .test_contract_types import CHECKERS, build, contract, module, run_checker

#: pkg.a -> pkg.b -> pkg.c -> pkg.a (lines 3), and pkg.c <-> pkg.d.
CYCLES = {
    "src/pkg/a.py": module("import pkg.b"),
    "src/pkg/b.py": module("import pkg.c"),
    "src/pkg/c.py": module("import pkg.a", "import pkg.d"),
    "src/pkg/d.py": module("import pkg.c"),
}
DAG = {
    "src/pkg/a.py": module("import pkg.b"),
    "src/pkg/b.py": module("import pkg.c"),
    "src/pkg/c.py": module(),
    "src/pkg/d.py": module("import pkg.c"),
}
#: The only way back from b to a is an import inside a function (line 4) or under
#: TYPE_CHECKING (line 5).
LAZY_BACK = {
    "src/pkg/a.py": module("import pkg.b"),
    "src/pkg/b.py": module("def f():", "    import pkg.a"),
}
TYPE_CHECKING_BACK = {
    "src/pkg/a.py": module("import pkg.b"),
    "src/pkg/b.py": module(
        "from typing import TYPE_CHECKING", "if TYPE_CHECKING:", "    import pkg.a"
    ),
}
ACYCLIC = 'type = "acyclic"\npackages = ["pkg"]'


def _verdicts(project: Path) -> dict[str, dict[str, bool]]:
    return {checker: run_checker(checker, project).verdicts for checker in CHECKERS}


@pytest.mark.parametrize(
    ("files", "body", "kept"),
    [
        (DAG, ACYCLIC, True),
        (CYCLES, ACYCLIC, False),
        (LAZY_BACK, ACYCLIC, False),
        (LAZY_BACK, ACYCLIC + "\nexclude_lazy_imports = true", True),
        (TYPE_CHECKING_BACK, ACYCLIC, False),
        (TYPE_CHECKING_BACK, ACYCLIC + "\nexclude_type_checking_imports = true", True),
        (CYCLES, ACYCLIC + '\nignore_imports = ["pkg.c -> pkg.a", "pkg.d -> pkg.c"]', True),
    ],
    ids=[
        "dag",
        "cycles",
        "lazy-counts",
        "lazy-excluded",
        "type-checking-counts",
        "type-checking-excluded",
        "ignored",
    ],
)
def test_acyclic_same_verdict_four_ways(
    tmp_path: Path, files: dict[str, str], body: str, kept: bool
) -> None:
    project = build(tmp_path, files, contract("no-cycles", body))
    for checker, verdicts in _verdicts(project).items():
        assert verdicts == {"no-cycles": kept}, checker


def test_acyclic_reports_covering_cycles_with_lines_and_breakers(tmp_path: Path) -> None:
    project = build(tmp_path, CYCLES, contract("no-cycles", ACYCLIC))
    (result,) = check(open_project(root=project), use_cache=False).results
    cycles = [
        [(link.importer, link.imported, link.line_numbers) for link in v.chains[0].links]
        for v in result.violations
    ]
    assert cycles == [
        [("pkg.c", "pkg.d", (4,)), ("pkg.d", "pkg.c", (3,))],
        [("pkg.a", "pkg.b", (3,)), ("pkg.b", "pkg.c", (3,)), ("pkg.c", "pkg.a", (3,))],
    ]
    assert result.violations[0].summary.startswith("cycle 1 of 2 among 4 modules of pkg: ")
    assert (
        result.notes[0] == "Removing 2 imports would break every cycle among the 4 modules of pkg:"
    )
    assert len(result.notes) == 3
    lint = run_checker("lint-imports-toml", project)
    assert "Import cycle among 4 modules of pkg:" in lint.text
    assert "pkg.c -> pkg.a (l.3)" in lint.text


@pytest.mark.parametrize(
    ("files", "marker"), [(LAZY_BACK, "in a function"), (TYPE_CHECKING_BACK, "under TYPE_CHECKING")]
)
def test_acyclic_marks_where_the_import_sits(
    tmp_path: Path, files: dict[str, str], marker: str
) -> None:
    project = build(tmp_path, files, contract("no-cycles", ACYCLIC))
    for checker in ("archlint-check", "lint-imports-toml"):
        text = run_checker(checker, project).text
        assert "pkg.b -> pkg.a (l." in text
        assert marker in text, checker


ALLOWLIST = 'type = "allowlist"\nsource_modules = ["pkg.low"]\nallowed_modules = ["pkg.mid"]'


@pytest.mark.parametrize(
    ("files", "body", "kept"),
    [
        ({"src/pkg/low/x.py": module("import pkg.mid.m", "import json")}, ALLOWLIST, True),
        ({"src/pkg/low/x.py": module("import pkg.mid.m", "import pkg.high.y")}, ALLOWLIST, False),
        (
            {"src/pkg/low/x.py": module("import pkg.mid.m", "import json")},
            ALLOWLIST + "\ninclude_external_packages = true",
            False,
        ),
        (
            {"src/pkg/low/x.py": module("import pkg.mid.m", "import json")},
            ALLOWLIST.replace('["pkg.mid"]', '["pkg.mid", "json"]')
            + "\ninclude_external_packages = true",
            True,
        ),
        (
            {"src/pkg/low/x.py": module("import pkg.high.y")},
            ALLOWLIST + '\nignore_imports = ["pkg.low.** -> pkg.high.**"]',
            True,
        ),
    ],
    ids=["allowed", "not-allowed", "external-checked", "external-allowed", "ignored"],
)
def test_allowlist_same_verdict_four_ways(
    tmp_path: Path, files: dict[str, str], body: str, kept: bool
) -> None:
    project = build(tmp_path, files, contract("low-allowlist", body))
    for checker, verdicts in _verdicts(project).items():
        assert verdicts == {"low-allowlist": kept}, checker


EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "bot_v2"

#: The seed's seven cycles, each as (module, line) -> (module, line): where each of the two
#: imports of the pair is written.
SEED_CYCLES = {
    ("live_execution", "perps_bot"): (15, 7),
    ("perps_bot", "runtime_coordinator"): (11, 10),
    ("execution_coordinator", "live_execution"): (5, 12),
    ("perps_bot", "perps_bot_builder"): (12, 22),
    ("config_controller", "perps_bot"): (7, 6),
    ("live_execution", "order_reconciler"): (8, 7),
    ("guardrails", "perps_bot"): (5, 11),
}


def test_the_example_has_the_seven_cycles_of_the_seed(tmp_path: Path) -> None:
    project = tmp_path / "bot_v2"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns(".archlint_cache"))
    report = check(open_project(root=project), ["orchestration-no-cycles"], use_cache=False)
    (result,) = report.results
    assert not result.kept
    found = {}
    for violation in result.violations:
        (chain,) = violation.chains
        assert len(chain.links) == 2, violation.summary
        first, second = chain.links
        a = first.importer.rsplit(".", 1)[1]
        b = first.imported.rsplit(".", 1)[1]
        assert second.importer == first.imported and second.imported == first.importer
        found[(a, b)] = (first.line_numbers[0], second.line_numbers[0])
    assert found == SEED_CYCLES
    lines = {
        (link.importer, link.type_checking, link.lazy)
        for v in result.violations
        for link in v.chains[0].links
    }
    assert ("bot_v2.orchestration.live_execution", True, False) in lines
    assert ("bot_v2.orchestration.perps_bot_builder", False, True) in lines
    assert len(result.notes) == 1 + 7
