"""The same code and contracts give the same bytes on every run, and a baseline keeps passing.

The project below is made of diamonds: a module reaches a forbidden one through two middle
modules that both import the same third, so two chains are equally short and share their last
import. grimp reports only one of them, and which one depended on the order modules entered
its graph (and on ``PYTHONHASHSEED``, through the sets import-linter hands over). Every run
below is a fresh ``archlint check --no-cache`` process with another hash seed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..helpers import make_project, run

#: Diamonds per contract: enough that a random pick among ties shows in nearly every run.
DIAMONDS = 4

CONTRACTS = """
[[contracts]]
id = "layers"
type = "layers"
containers = ["pkg"]
layers = ["app", "core"]

[[contracts]]
id = "no-app-in-core"
type = "forbidden"
source_modules = ["pkg.core"]
forbidden_modules = ["pkg.app"]
ignore_imports = ["pkg.ghost_b -> pkg.app", "pkg.ghost_a -> pkg.app", "pkg.ghost_c -> pkg.app"]
unmatched_ignore_imports_alerting = "warn"

[[contracts]]
id = "features"
type = "independence"
modules = ["pkg.feat.*"]

[[contracts]]
id = "lib-protected"
type = "protected"
protected_modules = ["pkg.lib", "pkg.cyc.q"]
allowed_importers = ["pkg.cyc.p"]

[[contracts]]
id = "no-cycles"
type = "acyclic"
packages = ["pkg.cyc"]

[[contracts]]
id = "sibling-cycles"
type = "acyclic_siblings"
ancestors = ["pkg.cyc"]

[[contracts]]
id = "core-allowlist"
type = "allowlist"
source_modules = ["pkg.core"]
allowed_modules = ["pkg.app"]
"""


def _module(*imports: str) -> str:
    return "".join(f"import {name}\n" for name in imports)


def diamond_files(diamonds: int = DIAMONDS) -> dict[str, str]:
    """``core.s{i} -> lib.d{i}_1 | lib.d{i}_2 -> lib.j{i} -> app.v{i}`` and the same shape
    between two feature slices and inside a cyclic package."""
    files: dict[str, str] = {"contracts/rules.toml": CONTRACTS}
    for package in ("pkg", "pkg.app", "pkg.core", "pkg.lib", "pkg.feat", "pkg.cyc"):
        files[f"src/{package.replace('.', '/')}/__init__.py"] = ""
    for package in ("pkg.feat.a", "pkg.feat.b", "pkg.cyc.p", "pkg.cyc.q"):
        files[f"src/{package.replace('.', '/')}/__init__.py"] = ""
    for i in range(diamonds):
        files[f"src/pkg/core/s{i}.py"] = _module(f"pkg.lib.d{i}_1", f"pkg.lib.d{i}_2")
        for k in (1, 2):
            files[f"src/pkg/lib/d{i}_{k}.py"] = _module(f"pkg.lib.j{i}")
        files[f"src/pkg/lib/j{i}.py"] = _module(f"pkg.app.v{i}")
        files[f"src/pkg/app/v{i}.py"] = ""
        # Feature a reaches feature b through a diamond of shared helpers.
        files[f"src/pkg/feat/a/x{i}.py"] = _module(f"pkg.lib.e{i}_1", f"pkg.lib.e{i}_2")
        for k in (1, 2):
            files[f"src/pkg/lib/e{i}_{k}.py"] = _module(f"pkg.lib.f{i}")
        files[f"src/pkg/lib/f{i}.py"] = _module(f"pkg.feat.b.y{i}")
        files[f"src/pkg/feat/b/y{i}.py"] = ""
        # A cycle through a diamond: p.r{i} -> q.m{i}_1 | q.m{i}_2 -> q.n{i} -> p.r{i}.
        files[f"src/pkg/cyc/p/r{i}.py"] = _module(f"pkg.cyc.q.m{i}_1", f"pkg.cyc.q.m{i}_2")
        for k in (1, 2):
            files[f"src/pkg/cyc/q/m{i}_{k}.py"] = _module(f"pkg.cyc.q.n{i}")
        files[f"src/pkg/cyc/q/n{i}.py"] = _module(f"pkg.cyc.p.r{i}")
    return files


@pytest.fixture(scope="module")
def diamonds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("diamonds"), diamond_files())


def _check(project: Path, seed: int, *args: str) -> tuple[int, str]:
    result = run(
        ["archlint", "check", "--no-cache", *args], cwd=project, env={"PYTHONHASHSEED": str(seed)}
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout


def test_the_project_has_ties_in_every_contract_type(diamonds: Path) -> None:
    """The test below means something: every contract is broken, with chains to choose."""
    status, out = _check(diamonds, 0, "--format", "json")
    assert status == 1
    report = json.loads(out)
    assert all(not c["kept"] for c in report["contracts"]), out
    forbidden = next(c for c in report["contracts"] if c["id"] == "no-app-in-core")
    # One chain per diamond, three modules long: only one of its two equally short chains.
    chains = [chain for v in forbidden["violations"] for chain in v["chains"]]
    assert len(chains) == DIAMONDS
    assert all(len(chain) == 3 for chain in chains)
    # The rule for ties: the smallest chain by module names.
    assert [link["imported"] for link in chains[0]] == ["pkg.lib.d0_1", "pkg.lib.j0", "pkg.app.v0"]
    assert len(forbidden["warnings"]) == 3
    assert forbidden["warnings"] == sorted(forbidden["warnings"])


#: (format, runs): a few runs in the default test run, 20 in the slow one.
SAME_BYTES = [
    ("json", 6),
    ("text", 4),
    ("sarif", 4),
    ("github", 4),
    pytest.param("json", 20, marks=pytest.mark.slow),
    pytest.param("text", 20, marks=pytest.mark.slow),
    pytest.param("sarif", 20, marks=pytest.mark.slow),
]


@pytest.mark.parametrize(("fmt", "runs"), SAME_BYTES)
def test_every_run_gives_the_same_bytes(diamonds: Path, fmt: str, runs: int) -> None:
    outputs = {_check(diamonds, seed, "--format", fmt) for seed in range(runs)}
    assert len(outputs) == 1, f"{len(outputs)} different outputs in {runs} runs"


@pytest.mark.parametrize("runs", [6, pytest.param(20, marks=pytest.mark.slow)])
def test_a_baseline_from_the_first_run_passes_every_run(
    diamonds: Path, tmp_path: Path, runs: int
) -> None:
    status, first = _check(diamonds, 0, "--format", "json")
    assert status == 1
    baseline = tmp_path / "baseline.json"
    baseline.write_text(first)
    failed = []
    for seed in range(1, runs + 1):
        status, out = _check(diamonds, seed, "--baseline", str(baseline))
        if status != 0:
            failed.append(out)
    assert not failed, f"{len(failed)} of {runs} runs failed; the first said:\n{failed[0]}"


@pytest.fixture
def baselined(tmp_path: Path) -> tuple[Path, Path]:
    """A fresh diamond project and a baseline of its breaks."""
    project = make_project(tmp_path / "project", diamond_files())
    status, first = _check(project, 0, "--format", "json")
    assert status == 1
    baseline = tmp_path / "baseline.json"
    baseline.write_text(first)
    return project, baseline


def _lines(report: str) -> list[list[int]]:
    return [
        link["line_numbers"]
        for contract in json.loads(report)["contracts"]
        for violation in contract["violations"]
        for chain in violation["chains"]
        for link in chain
    ]


def test_a_baseline_survives_an_edit_that_moves_every_line(baselined: tuple[Path, Path]) -> None:
    project, baseline = baselined
    for path in (project / "src").rglob("*.py"):
        path.write_text(
            '"""Moved down."""\n\nfrom __future__ import annotations\n\n' + path.read_text()
        )
    _, moved = _check(project, 3, "--format", "json")
    assert _lines(moved) != _lines(baseline.read_text())  # every line number moved
    status, out = _check(project, 4, "--baseline", str(baseline))
    assert status == 0, out
    assert "kept, 0 broken." in out


def test_a_baseline_survives_a_new_middle_module(baselined: tuple[Path, Path]) -> None:
    """The chains between the same two ends now run through other modules: the same breaks."""
    project, baseline = baselined
    src = project / "src" / "pkg"
    for i in range(DIAMONDS):
        (src / "lib" / f"g{i}.py").write_text(f"import pkg.app.v{i}\n")
        (src / "lib" / f"j{i}.py").write_text(f"import pkg.lib.g{i}\n")
        (src / "lib" / f"h{i}.py").write_text(f"import pkg.feat.b.y{i}\n")
        (src / "lib" / f"f{i}.py").write_text(f"import pkg.lib.h{i}\n")
    _, changed = _check(project, 5, "--format", "json")
    assert "pkg.lib.g0" in changed and "pkg.lib.h0" in changed  # the middles did change
    status, out = _check(project, 6, "--baseline", str(baseline))
    assert status == 0, out


def test_a_new_break_fails_the_baseline(baselined: tuple[Path, Path]) -> None:
    project, baseline = baselined
    (project / "src" / "pkg" / "core" / "late.py").write_text("import pkg.app.v1\n")
    status, out = _check(project, 7, "--baseline", str(baseline))
    assert status == 1, out
    assert "BROKEN no-app-in-core" in out
    assert "pkg.core.late -> pkg.app.v1 (l.1)" in out
    # Only the new break is shown; the known ones are counted.
    assert "pkg.core.s0" not in out
    assert "known in the baseline" in out


def test_a_new_cycle_between_known_ends_fails_the_baseline(baselined: tuple[Path, Path]) -> None:
    """A cycle has no ends: a new one through a known module is still new."""
    project, baseline = baselined
    q = project / "src" / "pkg" / "cyc" / "q"
    (q / "extra.py").write_text("import pkg.cyc.p.r0\n")
    (project / "src" / "pkg" / "cyc" / "p" / "r0.py").write_text(
        "import pkg.cyc.q.m0_1\nimport pkg.cyc.q.m0_2\nimport pkg.cyc.q.extra\n"
    )
    status, out = _check(project, 8, "--baseline", str(baseline))
    assert status == 1, out
    assert "BROKEN no-cycles" in out
    assert "pkg.cyc.q.extra" in out
