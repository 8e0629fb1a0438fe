"""`archlint check` as the one gate: contracts and per-file rules, via the real executables."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import make_project, run

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "bot_v2"
ANSI = re.compile(r"\x1b\[[0-9;]*m")

DEPRECATIONS = """
[[deprecations]]
old = "pkg.old"
new = "pkg.new"
since = 2025-01-01
"""

FORBIDDEN = """
[[contracts]]
id = "low-not-high"
type = "forbidden"
why = "Low stays low."
source_modules = ["pkg.low"]
forbidden_modules = ["pkg.high"]
"""


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("example") / "bot_v2"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".archlint_cache"))
    return root


def _project(root: Path, extra: dict[str, str] | None = None, settings: str = "") -> Path:
    files = {
        "contracts/rules.toml": DEPRECATIONS + FORBIDDEN,
        "src/pkg/__init__.py": "",
        "src/pkg/old.py": "from pkg.new import X as X\n",  # a shim (ARC004 otherwise)
        "src/pkg/new.py": "X = 1\n",
        "src/pkg/high.py": "",
        "src/pkg/low.py": "import pkg.high\n",
        "tests/test_a.py": "from pkg.old import X\n",
        **(extra or {}),
    }
    return make_project(root, files, extra_settings=settings)


# Must show: the example's deprecated imports and strings, with the contracts, in every format.

EXAMPLE_SITES = [
    ("tests/unit/bot_v2/orchestration/test_risk_gate_validator.py", 7, 1, "ARC001"),
    ("tests/unit/bot_v2/orchestration/test_risk_gate_validator.py", 12, 29, "ARC003"),
    ("src/bot_v2/orchestration/runtime_coordinator.py", 30, 36, "ARC003"),
    ("src/bot_v2/cli.py", 11, 1, "ARC002"),
]


def test_example_text_reports_deprecations_with_the_contracts(example: Path) -> None:
    proc = run(["archlint", "check", "--root", str(example), "--no-cache"], cwd=example)
    assert proc.returncode == 1, proc.stderr
    assert "BROKEN layers" in proc.stdout
    for path, line, col, code in EXAMPLE_SITES:
        assert f"{path}:{line}:{col}: {code} " in proc.stdout
    assert "Next: archlint fix rewrites the 16 fixable sites." in proc.stdout
    # The seven cycles are printed once; the second contract refers to them.
    assert proc.stdout.count("bot_v2.orchestration.guardrails -> bot_v2.orchestration") == 1
    assert proc.stdout.count("shown above under 'orchestration-acyclic'") == 7
    # why is said once per contract.
    assert proc.stdout.count("Features receive the bot as an IBotRuntime") == 1


def test_example_json_sarif_github_carry_paths_lines_columns(example: Path) -> None:
    args = ["archlint", "check", "--root", str(example), "--no-cache", "--format"]
    document = json.loads(run([*args, "json"], cwd=example).stdout)
    found = {(f["path"], f["line"], f["col"], f["code"]) for f in document["findings"]}
    assert set(EXAMPLE_SITES) <= found
    assert document["summary"]["findings"] == 36 and document["summary"]["fixable"] == 16
    link = document["contracts"][0]["violations"][0]["chains"][0][0]
    assert link["path"].startswith("src/bot_v2/") and link["line"] and link["col"]
    sarif = json.loads(run([*args, "sarif"], cwd=example).stdout)
    places = set()
    for result in sarif["runs"][0]["results"]:
        physical = result["locations"][0]["physicalLocation"]
        region = physical["region"]
        places.add(
            (
                physical["artifactLocation"]["uri"],
                region["startLine"],
                region["startColumn"],
                result["ruleId"],
            )
        )
    assert set(EXAMPLE_SITES) <= places
    # One finding, one place: a broken contract's import sits where the per-file finding on
    # the same import statement does (its first line and column).
    per_file = {(f["path"], f["line"]): f["col"] for f in document["findings"]}
    graph = {
        (link["path"], link["line"]): link["col"]
        for contract in document["contracts"]
        for violation in contract["violations"]
        for chain in violation["chains"]
        for link in chain
    }
    shared = per_file.keys() & graph.keys()
    assert len(shared) >= 5
    assert {at: graph[at] for at in shared} == {at: per_file[at] for at in shared}
    github = run([*args, "github"], cwd=example).stdout
    for path, line, col, code in EXAMPLE_SITES:
        assert f"file={path},line={line},col={col},title=archlint {code}::" in github


def test_check_equals_lint_on_the_example(example: Path) -> None:
    check = json.loads(
        run(["archlint", "check", "--no-cache", "--format", "json"], cwd=example).stdout
    )
    lint = run(["archlint", "lint"], cwd=example).stdout
    from_lint = set(re.findall(r"^(\S+?):(\d+):(\d+): (ARC\d+)", lint, re.MULTILINE))
    from_check = {(f["path"], str(f["line"]), str(f["col"]), f["code"]) for f in check["findings"]}
    assert from_check == from_lint and len(from_check) == 35  # one per statement and rule


# The files checked: every Python file, minus exclude, .gitignore and what is never code.


def test_files_checked_respect_exclude_gitignore_and_venvs(tmp_path: Path) -> None:
    bad = "from pkg.old import X\n"
    root = _project(
        tmp_path,
        {
            "scripts/tool.py": bad,
            "generated/out.py": bad,
            "build/lib.py": bad,
            "env/lib/mod.py": bad,
            "env/pyvenv.cfg": "",
            "nested/pyproject.toml": "[tool.archlint]\nroot_packages = ['other']\n",
            "nested/x.py": bad,
            ".gitignore": "generated/\n",
            "setup.py": bad,
        },
        settings='exclude = ["scripts/*.py", "build"]\n',
    )
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    proc = run(["archlint", "check", "--no-cache", "--format", "json"], cwd=root)
    paths = {f["path"] for f in json.loads(proc.stdout)["findings"] if f["code"] == "ARC001"}
    assert paths == {"tests/test_a.py", "setup.py"}


@pytest.mark.parametrize("layout", ["src", "flat"])
def test_files_inside_the_root_package_follow_the_same_rules(tmp_path: Path, layout: str) -> None:
    # The folders of the root packages are listed once, by the module inventory, and the
    # walk of the project files reads those listings: every rule must hold there too.
    bad = "from pkg.old import X\n"
    top = "src/" if layout == "src" else ""
    files = {
        "contracts/rules.toml": DEPRECATIONS,
        f"{top}pkg/__init__.py": "",
        f"{top}pkg/old.py": "from pkg.new import X as X\n",
        f"{top}pkg/new.py": "X = 1\n",
        f"{top}pkg/env2/pyvenv.cfg": "",
        f"{top}pkg/env2/lib/m.py": bad,
        f"{top}pkg/inner/pyproject.toml": "[tool.archlint]\nroot_packages = ['inner']\n",
        f"{top}pkg/inner/x.py": bad,
        f"{top}pkg/plain/pyproject.toml": "[project]\nname = 'plain'\n",
        f"{top}pkg/plain/y.py": bad,
        f"{top}pkg/gen/z.py": bad,
        f"{top}pkg/skip/w.py": bad,
        f"{top}pkg/my-tools/t.py": bad,
        f"{top}pkg/cfgdir/pyvenv.cfg/keep.txt": "",
        f"{top}pkg/cfgdir/u.py": bad,
        f"{top}pkg/__pycache__/c.py": bad,
        ".gitignore": "gen/\n",
        "tests/test_a.py": bad,
    }
    root = make_project(
        tmp_path, files, source_roots=[top or "."], extra_settings='exclude = ["**/skip"]\n'
    )
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    expected = {
        "tests/test_a.py",
        f"{top}pkg/plain/y.py",
        f"{top}pkg/my-tools/t.py",
        f"{top}pkg/cfgdir/u.py",
    }
    for jobs in ("1", "2"):
        proc = run(
            ["archlint", "check", "--no-cache", "--format", "json", "--jobs", jobs], cwd=root
        )
        report = json.loads(proc.stdout)
        paths = {f["path"] for f in report["findings"] if f["code"] == "ARC001"}
        assert paths == expected, (jobs, proc.stderr)


def test_outside_git_gitignore_is_not_applied_and_says_so(tmp_path: Path) -> None:
    root = _project(tmp_path, {".gitignore": "tests/\n"})
    proc = run(
        ["archlint", "check", "--no-cache"],
        cwd=root,
        env={"GIT_CEILING_DIRECTORIES": str(tmp_path.parent)},
    )
    assert "note: not a git work tree: .gitignore is not applied" in proc.stdout
    assert "tests/test_a.py:1:1: ARC001" in proc.stdout


@pytest.mark.parametrize(
    "pattern", ["/abs/path", "../outside", "bad[glob", ""], ids=["abs", "dotdot", "glob", "empty"]
)
def test_bad_exclude_is_a_configuration_error(tmp_path: Path, pattern: str) -> None:
    root = _project(tmp_path, settings=f"exclude = [{json.dumps(pattern)}]\n")
    proc = run(["archlint", "check", "--no-cache"], cwd=root)
    assert proc.returncode == 2
    assert "exclude" in proc.stderr and "Traceback" not in proc.stderr


def test_unreadable_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    # A file the per-file rules must read (it names a deprecated path) and cannot parse.
    root = _project(tmp_path, {"tests/test_b.py": "from pkg.old import (\n"})
    proc = run(["archlint", "check", "--no-cache"], cwd=root)
    assert proc.returncode == 2
    assert re.search(r"^error: tests/test_b\.py:1: ", proc.stderr, re.MULTILINE)
    assert "tests/test_a.py:1:1: ARC001" in proc.stdout  # nothing else is lost


# Exit status and selection.


def test_exit_status_and_exit_zero(tmp_path: Path) -> None:
    root = _project(tmp_path, {"src/pkg/low.py": ""})
    assert run(["archlint", "check", "--no-cache"], cwd=root).returncode == 1  # ARC001 alone
    assert run(["archlint", "check", "--no-cache", "--exit-zero"], cwd=root).returncode == 0
    (root / "tests/test_a.py").write_text("from pkg.new import X\n")
    assert run(["archlint", "check"], cwd=root).returncode == 0
    assert run(["archlint", "check"], cwd=root).returncode == 0  # cached, same verdict
    (root / "tests/test_a.py").write_text("import pkg.old\n")
    assert run(["archlint", "check"], cwd=root).returncode == 1  # the cache sees the edit


def test_contract_selection_limits_direct_breaks_and_skips_deprecations(tmp_path: Path) -> None:
    root = _project(tmp_path)
    proc = run(
        ["archlint", "check", "--no-cache", "--contract", "low-not-high", "--format", "json"],
        cwd=root,
    )
    codes = {f["code"] for f in json.loads(proc.stdout)["findings"]}
    assert codes == {"ARC103"}


def test_baseline_covers_per_file_findings(tmp_path: Path) -> None:
    root = _project(tmp_path)
    written = run(["archlint", "check", "--no-cache", "--write-baseline", "b.toml"], cwd=root)
    assert written.returncode == 0, written.stdout + written.stderr
    assert run(["archlint", "check", "--baseline", "b.toml"], cwd=root).returncode == 0
    (root / "tests/test_c.py").write_text("import pkg.old\n")
    proc = run(["archlint", "check", "--baseline", "b.toml"], cwd=root)
    assert proc.returncode == 1 and "tests/test_c.py:1:1: ARC001" in proc.stdout


# Output people can read.


def test_quiet_statistics_and_colour(tmp_path: Path) -> None:
    root = _project(tmp_path)
    quiet = run(["archlint", "check", "--no-cache", "--quiet"], cwd=root).stdout
    assert quiet.startswith(
        "1 contract: 0 kept, 1 broken; 2 findings in 2 files (1 deprecated, 1 direct break)."
    )
    assert "BROKEN" not in quiet
    stats = run(["archlint", "check", "--no-cache", "--statistics", "-q"], cwd=root).stdout
    assert re.search(r"^  ARC001 +1  deprecated-import$", stats, re.MULTILINE)
    assert re.search(r"^  ARC103 +1  forbidden$", stats, re.MULTILINE)
    assert re.search(r"^  low-not-high +1 break +1 direct import$", stats, re.MULTILINE)
    plain = run(["archlint", "check", "--no-cache"], cwd=root).stdout
    assert not ANSI.search(plain)  # not a terminal
    always = run(["archlint", "check", "--no-cache", "--color", "always"], cwd=root).stdout
    assert ANSI.search(always) and ANSI.sub("", always) == plain
    never = run(
        ["archlint", "check", "--no-cache", "--color", "never"], cwd=root, env={"FORCE_COLOR": "1"}
    ).stdout
    assert never == plain


def test_no_color_is_respected_on_a_terminal(tmp_path: Path) -> None:
    pty = pytest.importorskip("pty")
    root = _project(tmp_path)
    exe = str(Path(run.__globals__["BIN"]) / "archlint")

    def on_terminal(env: dict[str, str]) -> bytes:
        import os

        pid, fd = pty.fork()
        if pid == 0:  # pragma: no cover - the child
            os.chdir(root)
            os.execve(exe, [exe, "check", "--no-cache"], {**os.environ, **env})
        chunks = []
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        os.waitpid(pid, 0)
        return b"".join(chunks)

    assert b"\x1b[" in on_terminal({})
    assert b"\x1b[" not in on_terminal({"NO_COLOR": "1"})


def test_github_paths_are_relative_to_the_repository(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    root = _project(tmp_path / "services" / "app")
    proc = run(["archlint", "check", "--no-cache", "--format", "github"], cwd=root / "src")
    assert "::error file=services/app/tests/test_a.py,line=1,col=1," in proc.stdout or (
        "::warning file=services/app/tests/test_a.py,line=1,col=1," in proc.stdout
    )
    # The last line counts in words that agree with their numbers.
    assert proc.stdout.splitlines()[-1] == "1 contract: 0 kept, 1 broken; 2 findings over 6 files."


def test_github_annotates_a_file_that_cannot_be_read_on_that_file(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    root = _project(
        tmp_path / "services" / "app", {"tests/test_bad.py": "from pkg.old import X\nif:\n"}
    )
    proc = run(["archlint", "check", "--no-cache", "--format", "github"], cwd=root)
    assert proc.returncode == 2, proc.stderr
    assert (
        "::error file=services/app/tests/test_bad.py,line=2,title=archlint::"
        "syntax error: invalid syntax" in proc.stdout.splitlines()
    )
    assert "error: tests/test_bad.py:2: syntax error: invalid syntax" in proc.stderr


# Marks that are right.

MARKS = """
[[contracts]]
id = "no-cycles"
type = "acyclic"
packages = ["pkg"]
{extra}
"""


def _links_from(root: Path, importer: str) -> list[dict[str, object]]:
    """The links of the first contract's chains that start at ``importer``, from check's
    JSON report."""
    document = json.loads(
        run(["archlint", "check", "--no-cache", "--format", "json"], cwd=root).stdout
    )
    return [
        link
        for v in document["contracts"][0]["violations"]
        for chain in v["chains"]
        for link in chain
        if link["importer"] == importer
    ]


def test_deferred_edge_of_mixed_kinds_is_not_import_time(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "contracts/c.toml": MARKS.format(extra=""),
            "src/pkg/__init__.py": "",
            "src/pkg/a.py": """
                from typing import TYPE_CHECKING
                if TYPE_CHECKING:
                    from pkg import b
                def f():
                    from pkg import b
                """,
            "src/pkg/b.py": "import pkg.a\n",
        },
    )
    links = _links_from(root, "pkg.a")
    assert links and all(not link["import_time"] for link in links)
    assert links[0]["type_checking_lines"] == [3] and links[0]["lazy_lines"] == [5]
    text = run(["archlint", "check", "--no-cache"], cwd=root).stdout
    assert (
        "pkg.a -> pkg.b (l.3, l.5, l.3 under TYPE_CHECKING, l.5 in a function; "
        "none runs at import time)" in text
    )


def test_excluded_lazy_import_is_never_listed(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "contracts/c.toml": MARKS.format(extra="exclude_lazy_imports = true"),
            "src/pkg/__init__.py": "",
            "src/pkg/a.py": """
                from pkg import b
                def f():
                    from pkg import b
                """,
            "src/pkg/b.py": "import pkg.a\n",
        },
    )
    links = _links_from(root, "pkg.a")
    assert links and all(link["line_numbers"] == [1] for link in links)
    assert all(link["lazy_lines"] == [] for link in links)


def test_statistics_columns_stay_put_across_plurals(example: Path) -> None:
    """'1 break' and '7 breaks', '1 direct import' and '14 direct imports' line up."""
    out = run(
        ["archlint", "check", "--no-cache", "--statistics", "-q", "--color", "never"], cwd=example
    ).stdout
    rows = [line for line in out.splitlines() if " break" in line and "direct import" in line]
    assert len(rows) == 6, out
    assert {line.index(" break") for line in rows} == {rows[0].index(" break")}
    assert {line.index(" direct import") for line in rows} == {rows[0].index(" direct import")}
