"""``archlint report``: figures counted by hand, before / after a real git history.

Every test runs the real ``archlint`` executable. The git repositories are real too, built in
``tmp_path`` with the ``git`` command; ``--compare`` must read the old tree without touching
the working tree, the index or ``HEAD``.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest

from ..helpers import make_project, run, write_tree

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "bot_v2"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

# --- a small history, counted by hand ------------------------------------------------------
#
# Before: pkg.a <-> pkg.b (a mutual pair), pkg.c <-> pkg.d (another: c imports d inside a
# function, d imports c under TYPE_CHECKING), and a -> c, d -> e. Two tangles, {a, b} and
# {c, d}; the longest chain {a, b} -> {c, d} -> e has depth 3. e.py has no final newline.

BEFORE: dict[str, str] = {
    "src/pkg/__init__.py": '"""The package."""\n',  # 1 line
    "src/pkg/a.py": '"""a."""\nfrom pkg import b\nfrom pkg import c\n',  # 3
    "src/pkg/b.py": '"""b."""\nimport pkg.a\n',  # 2
    "src/pkg/c.py": '"""c."""\n\n\ndef load():\n    from pkg import d\n    return d\n',  # 6
    "src/pkg/d.py": (  # 7
        '"""d."""\nfrom typing import TYPE_CHECKING\n\nimport pkg.e\n\n'
        "if TYPE_CHECKING:\n    from pkg.c import load\n"
    ),
    "src/pkg/e.py": '"""e."""\nX = 1',  # 2: the last line has no newline
    "contracts/architecture.toml": (
        '[[contracts]]\nid = "no-cycles"\ntype = "acyclic"\npackages = ["pkg"]\n'
    ),
}

# After: b is gone, the cycles are cut, e moved to pkg.core; a -> c -> d -> core.e is the
# longest chain (depth 4). A new contract names pkg.core and pkg.a.

AFTER: dict[str, str] = {
    "src/pkg/__init__.py": '"""The package."""\n',  # 1
    "src/pkg/a.py": '"""a."""\nfrom pkg import c\n',  # 2
    "src/pkg/c.py": '"""c."""\nfrom pkg import d\n',  # 2
    "src/pkg/d.py": '"""d."""\nimport pkg.core.e\n',  # 2
    "src/pkg/core/__init__.py": '"""Core."""\n',  # 1
    "src/pkg/core/e.py": '"""e."""\nX = 1\n',  # 2
    "contracts/architecture.toml": (
        '[[contracts]]\nid = "no-cycles"\ntype = "acyclic"\npackages = ["pkg"]\n\n'
        '[[contracts]]\nid = "core-below"\ntype = "forbidden"\n'
        'source_modules = ["pkg.core"]\nforbidden_modules = ["pkg.a"]\n'
    ),
}

#: Figures counted by hand: modules, lines, mutual pairs, tangles, import depth.
EXPECTED_BEFORE = {
    "pkg": {"modules": 5, "lines": 21, "mutual_pairs": 2, "tangles": 2, "import_depth": 3},
    # Named only by the after side's contract, but it existed before.
    "pkg.a": {"modules": 1, "lines": 3, "mutual_pairs": 0, "tangles": 0, "import_depth": 1},
    "pkg.core": None,
}
EXPECTED_AFTER = {
    "pkg": {"modules": 4, "lines": 10, "mutual_pairs": 0, "tangles": 0, "import_depth": 4},
    "pkg.a": {"modules": 1, "lines": 2, "mutual_pairs": 0, "tangles": 0, "import_depth": 1},
    "pkg.core": {"modules": 1, "lines": 3, "mutual_pairs": 0, "tangles": 0, "import_depth": 1},
}
EXPECTED_CHANGE = {
    "pkg": {
        "modules": {"delta": -1, "percent": -20.0},
        "lines": {"delta": -11, "percent": -52.4},
        "mutual_pairs": {"delta": -2, "percent": -100.0},
        "tangles": {"delta": -2, "percent": -100.0},
        "import_depth": {"delta": 1, "percent": 33.3},
    },
    "pkg.a": {
        "modules": {"delta": 0, "percent": 0.0},
        "lines": {"delta": -1, "percent": -33.3},
        "mutual_pairs": {"delta": 0, "percent": 0.0},
        "tangles": {"delta": 0, "percent": 0.0},
        "import_depth": {"delta": 0, "percent": 0.0},
    },
    "pkg.core": None,
}

FIGURE_ROWS = ("Modules", "Lines", "Mutual imports", "Cycle tangles (SCCs)", "Import depth")


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd``; its output (fails the test on an error)."""
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def commit_tree(repo: Path, files: Mapping[str, str], message: str) -> str:
    """Make the working tree hold exactly ``files`` (and pyproject.toml), commit, return sha."""
    for path in sorted(repo.rglob("*"), reverse=True):
        if NOT_WORKING_TREE & set(path.relative_to(repo).parts) or path.name == "pyproject.toml":
            continue
        if path.is_file():
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    for rel, text in files.items():
        target = repo / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def new_repo(root: Path) -> Path:
    make_project(root, {})
    git(root, "init", "-q")
    return root


#: Not the working tree: git's own folder, and archlint's cache (git-ignored from inside).
NOT_WORKING_TREE = {".git", ".archlint_cache"}


def snapshot(repo: Path) -> dict[str, str]:
    """A hash of every file of the working tree, and of HEAD and the index."""
    hashes = {
        str(p.relative_to(repo)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in repo.rglob("*")
        if p.is_file() and not NOT_WORKING_TREE & set(p.relative_to(repo).parts)
    }
    hashes["<HEAD>"] = git(repo, "rev-parse", "HEAD")
    hashes["<index>"] = hashlib.sha256((repo / ".git" / "index").read_bytes()).hexdigest()
    return hashes


@pytest.fixture
def history(tmp_path: Path) -> tuple[Path, str]:
    """A repository whose HEAD is AFTER, and the sha of the BEFORE commit."""
    repo = new_repo(tmp_path / "repo")
    before = commit_tree(repo, BEFORE, "before: two cycles")
    commit_tree(repo, AFTER, "after: cycles removed, e moved to core")
    assert git(repo, "status", "--porcelain") == ""
    return repo, before


def no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr + done.stdout


# --- the figures -----------------------------------------------------------------------------


def test_compare_json_gives_every_figure_counted_by_hand(history: tuple[Path, str]) -> None:
    repo, before = history
    files_before = snapshot(repo)

    done = run(["archlint", "report", "--compare", before, "--format", "json"], cwd=repo)

    no_traceback(done)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["compare"] == {
        "ref": before,
        "commit": before,
        "ref_used_current_config": False,
    }
    assert data["figures"] == ["modules", "lines", "mutual_pairs", "tangles", "import_depth"]
    by_package = {p["package"]: p for p in data["packages"]}
    assert sorted(by_package) == ["pkg", "pkg.a", "pkg.core"]
    for package in by_package:
        assert by_package[package]["before"] == EXPECTED_BEFORE[package], package
        assert by_package[package]["after"] == EXPECTED_AFTER[package], package
        assert by_package[package]["change"] == EXPECTED_CHANGE[package], package
    assert data["problems"] == []

    # Nothing was checked out, staged or written.
    assert git(repo, "status", "--porcelain") == ""
    assert snapshot(repo) == files_before


def test_without_compare_the_figures_are_the_working_tree(history: tuple[Path, str]) -> None:
    repo, _ = history
    done = run(["archlint", "report", "--format", "json"], cwd=repo)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["compare"] is None
    assert {p["package"]: p["figures"] for p in data["packages"]} == EXPECTED_AFTER


def test_compare_text_is_aligned_with_signed_changes(history: tuple[Path, str]) -> None:
    repo, before = history
    done = run(["archlint", "report", "--compare", before], cwd=repo)
    no_traceback(done)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    start = lines.index("pkg")
    table = lines[start + 1 : start + 7]
    assert table[0].split() == ["Figure", "Before", "After", "Change"]
    rows = {
        label: line for line in table[1:] for label in FIGURE_ROWS if line.strip().startswith(label)
    }
    assert rows["Modules"].split()[-4:] == ["5", "4", "-1", "(-20%)"]
    assert rows["Lines"].split()[-4:] == ["21", "10", "-11", "(-52%)"]
    assert rows["Mutual imports"].split()[-4:] == ["2", "0", "-2", "(-100%)"]
    assert rows["Import depth"].split()[-4:] == ["3", "4", "+1", "(+33%)"]
    # Aligned: every line of the table is as long as the header, right-aligned numbers.
    assert len({len(line) for line in table}) == 1
    core = lines[lines.index("pkg.core") + 2]
    assert core.split()[-3:] == ["—", "1", "—"]
    unchanged = lines[lines.index("pkg.a") + 4]  # Mutual imports of pkg.a
    assert unchanged.split()[-4:] == ["0", "0", "0", "(0%)"]


def test_markdown_is_one_valid_table_per_package(history: tuple[Path, str]) -> None:
    repo, before = history
    done = run(["archlint", "report", "--compare", before, "--format", "markdown"], cwd=repo)
    no_traceback(done)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()

    tables: list[list[str]] = []
    previous_was_table = False
    for line in lines:
        is_table = line.startswith("|")
        if is_table and not previous_was_table:
            tables.append([])
        if is_table:
            tables[-1].append(line)
        previous_was_table = is_table
    assert len(tables) == 3  # pkg, pkg.a, pkg.core

    for table in tables:
        for line in table:
            assert line.startswith("|") and line.endswith("|"), line
        cells = [len(line.strip("|").split("|")) for line in table]
        assert len(set(cells)) == 1, table
        header, separator, *rows = table
        assert [c.strip() for c in header.strip("|").split("|")] == [
            "Figure",
            "Before",
            "After",
            "Change",
        ]
        assert separator.startswith("|---|")
        assert re.fullmatch(r"\|(\s*:?-{3,}:?\s*\|)+", separator), separator
        labels = [row.strip("|").split("|")[0].strip() for row in rows]
        assert labels == list(FIGURE_ROWS)
    # A table is preceded by a blank line (GitHub needs one after a heading or paragraph).
    for index, line in enumerate(lines):
        if line.startswith("|") and not lines[index - 1].startswith("|"):
            assert lines[index - 1] == ""
    pkg_table = tables[0]
    assert "| Modules | 5 | 4 | -1 (-20%) |" in pkg_table
    assert "| Import depth | 3 | 4 | +1 (+33%) |" in pkg_table
    assert "| Modules | — | 1 | — |" in tables[2]


def test_a_ref_without_contracts_is_read_with_todays(tmp_path: Path) -> None:
    """The first commit has code only: today's pyproject and contracts are used for it."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    write_tree(repo, {rel: text for rel, text in BEFORE.items() if rel.startswith("src/")})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "code only")
    first = git(repo, "rev-parse", "HEAD").strip()
    make_project(repo, {})  # pyproject.toml
    commit_tree(repo, AFTER, "archlint set up")

    done = run(["archlint", "report", "--compare", first, "--format", "json"], cwd=repo)
    no_traceback(done)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["compare"]["ref_used_current_config"] is True
    by_package = {p["package"]: p for p in data["packages"]}
    assert by_package["pkg"]["before"] == EXPECTED_BEFORE["pkg"]
    assert by_package["pkg"]["after"] == EXPECTED_AFTER["pkg"]
    text = run(["archlint", "report", "--compare", first], cwd=repo).stdout
    assert "has no archlint contracts: the working tree's were used" in " ".join(text.split())


def test_project_below_the_top_of_the_repository(tmp_path: Path) -> None:
    """The project sits in a subfolder, as examples/bot_v2 does in archlint's repository."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    project = make_project(repo / "sub" / "project", BEFORE)
    write_tree(repo, {"src/pkg/__init__.py": "# another project's code: not read\n"})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "before")
    before = git(repo, "rev-parse", "HEAD").strip()
    (project / "src" / "pkg" / "b.py").unlink()
    git(repo, "commit", "-q", "-a", "-m", "drop b")
    files_before = snapshot(repo)

    done = run(["archlint", "report", "--compare", before, "--format", "json"], cwd=project)
    no_traceback(done)
    assert done.returncode == 0, done.stderr
    (row,) = json.loads(done.stdout)["packages"]
    assert row["before"] == EXPECTED_BEFORE["pkg"]
    assert row["after"]["modules"] == 4
    assert snapshot(repo) == files_before


# --- errors ------------------------------------------------------------------------------


def test_compare_outside_a_git_repository_is_a_clear_error(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", AFTER)
    env = {"GIT_CEILING_DIRECTORIES": str(tmp_path)}
    done = run(["archlint", "report", "--compare", "HEAD"], cwd=project, env=env)
    no_traceback(done)
    assert done.returncode == 2
    assert done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("error: ") and "not in a git repository" in line


@pytest.mark.parametrize("ref", ["no-such-branch", "0123456789abcdef", "--output=x", "HEAD~5"])
def test_unknown_ref_is_a_clear_error(history: tuple[Path, str], ref: str) -> None:
    repo, _ = history
    files_before = snapshot(repo)
    done = run(["archlint", "report", f"--compare={ref}"], cwd=repo)
    no_traceback(done)
    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert line == f"error: unknown git ref '{ref}'" or line.startswith(
        f"error: unknown git ref '{ref}':"
    )
    assert snapshot(repo) == files_before
    assert not (repo / "x").exists()


def test_broken_contracts_at_the_ref_are_reported_at_the_ref(history: tuple[Path, str]) -> None:
    repo, _ = history
    broken = {**AFTER, "contracts/architecture.toml": '[[contracts]]\nid = "x"\ntype = "nope"\n'}
    bad = commit_tree(repo, broken, "broken contracts")
    commit_tree(repo, AFTER, "fixed")
    done = run(["archlint", "report", "--compare", bad], cwd=repo)
    no_traceback(done)
    assert done.returncode == 2
    assert f"error: {bad}:contracts/architecture.toml" in done.stderr


# --- the bundled example -----------------------------------------------------------------


@pytest.fixture
def example(tmp_path: Path) -> Path:
    copy = tmp_path / "bot_v2"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns(".archlint_cache"))
    return copy


def test_example_orchestration_has_seven_mutual_pairs_in_one_tangle(example: Path) -> None:
    done = run(["archlint", "report", "--format", "json"], cwd=example)
    assert done.returncode == 0, done.stderr
    by_package = {p["package"]: p["figures"] for p in json.loads(done.stdout)["packages"]}
    orchestration = by_package["bot_v2.orchestration"]
    assert orchestration["mutual_pairs"] == 7
    assert orchestration["tangles"] == 1
    assert orchestration["modules"] == 14
    # Every package a contract names is there, wildcards expanded.
    assert {
        "bot_v2",
        "bot_v2.orchestration",
        "bot_v2.features",
        "bot_v2.features.live_trade",
        "bot_v2.features.market_data",
        "bot_v2.monitoring",
        "bot_v2.shared",
        "bot_v2.orchestration.perps_bot",
        "bot_v2.orchestration.perps_bot_builder",
        "bot_v2.cli",
    } == set(by_package)
    assert by_package["bot_v2.features.live_trade"]["mutual_pairs"] == 0

    text = run(["archlint", "report"], cwd=example)
    assert text.returncode == 0
    block = text.stdout.split("\nbot_v2.orchestration\n", 1)[1].split("\n\n", 1)[0]
    assert re.search(r"Mutual imports\s+7$", block, re.MULTILINE)
    assert re.search(r"Cycle tangles \(SCCs\)\s+1$", block, re.MULTILINE)


def test_example_before_and_after_the_cycles_are_cut(example: Path) -> None:
    """The seed's table, on the example: cut the seven cycles and compare with the commit."""
    git(example, "init", "-q")
    git(example, "add", "-A")
    git(example, "commit", "-q", "-m", "the example")
    before = git(example, "rev-parse", "HEAD").strip()
    orchestration = example / "src" / "bot_v2" / "orchestration"
    for name in ("account_telemetry", "equity_calculator", "market_data_service"):
        (orchestration / f"{name}.py").unlink()
    done = run(["archlint", "report", "--compare", before, "--format", "json"], cwd=example)
    no_traceback(done)
    assert done.returncode == 0, done.stderr
    row = next(
        p for p in json.loads(done.stdout)["packages"] if p["package"] == "bot_v2.orchestration"
    )
    assert row["before"]["modules"] == 14
    assert row["after"]["modules"] == 11
    assert row["change"]["modules"] == {"delta": -3, "percent": -21.4}
    assert row["before"]["mutual_pairs"] == 7


def test_report_leaves_no_temporary_files(history: tuple[Path, str]) -> None:
    repo, before = history
    tmp = repo.parent / "tmp"
    tmp.mkdir()
    env = {"TMPDIR": str(tmp)}
    done = run(["archlint", "report", "--compare", before], cwd=repo, env=env)
    assert done.returncode == 0, done.stderr
    assert list(tmp.iterdir()) == []
    assert git(repo, "status", "--porcelain") == ""
