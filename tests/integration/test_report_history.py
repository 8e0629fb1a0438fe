"""``archlint report --history``: a real git history, counted by hand, read without touching
the working tree or the index."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ..helpers import make_project, run, write_tree

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

CONTRACTS = """
[[contracts]]
id = "layers"
type = "layers"
containers = ["pkg"]
layers = ["high", "low"]

[[contracts]]
id = "no-cycles"
type = "acyclic"
packages = ["pkg"]

[[deprecations]]
old = "pkg.legacy"
new = "pkg.low"
"""

# C1: three references to pkg.legacy (high.py, a.py, and a mock.patch string in tests/),
# two mutual pairs (high <-> low, a <-> b), so two tangles and two cycles for "no-cycles";
# low imports high: one break of "layers".
C1 = {
    "contracts/rules.toml": CONTRACTS,
    "src/pkg/__init__.py": "",  # 0 lines
    "src/pkg/legacy.py": "X = 1\n",  # 1
    "src/pkg/low.py": "import pkg.high\n",  # 1
    "src/pkg/high.py": "import pkg.low\nfrom pkg.legacy import X\n",  # 2
    "src/pkg/a.py": "import pkg.b\nimport pkg.legacy\n",  # 2
    "src/pkg/b.py": "import pkg.a\n",  # 1
    "tests/test_x.py": (
        "from unittest import mock\n\n\n@mock.patch('pkg.legacy.X')\ndef test(_): ...\n"
    ),
}
STEPS: list[tuple[str, dict[str, str]]] = [
    ("three references, two cycles, one layer break", C1),
    # C2: the string in the test points at the new place: two references left.
    (
        "test patches pkg.low",
        {
            "tests/test_x.py": (
                "from unittest import mock\n\n\n@mock.patch('pkg.low.X')\ndef test(_): ...\n"
            )
        },
    ),
    # C3: b no longer imports a: one cycle left.
    ("cut a <-> b", {"src/pkg/b.py": "X = 2\n"}),
    # C4: low no longer imports high: no cycle, no layer break.
    ("cut low -> high", {"src/pkg/low.py": "Y = 1\n"}),
    # C5: the last two references go.
    (
        "last references",
        {
            "src/pkg/high.py": "import pkg.low\nfrom pkg.low import X\n",
            "src/pkg/a.py": "import pkg.b\n",
        },
    ),
]
# Counted by hand, commit by commit.
EXPECTED = [
    # (refs by old path, layers breaks, no-cycles breaks, tangles, mutual pairs, pkg lines,
    #  files parsed)
    (3, 1, 2, 2, 2, 7, 7),
    (2, 1, 2, 2, 2, 7, 1),
    (2, 1, 1, 1, 1, 7, 1),
    (2, 0, 0, 0, 0, 7, 1),
    (0, 0, 0, 0, 0, 6, 2),
]

ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env={**os.environ, **ENV}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    project = root / "project"  # the project sits below the repository's top
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    for position, (subject, files) in enumerate(STEPS):
        if position == 0:
            make_project(project, files)
        else:
            write_tree(project, files)
        git(root, "add", "-A")
        git(root, "commit", "-qm", subject)
    return project


def _snapshot(root: Path) -> dict[str, str]:
    """Every file of the working tree and of .git/index, HEAD and the status, as digests."""
    found = {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git/objects" not in p.as_posix() and ".archlint_cache" not in p.parts
    }
    found["status"] = git(root, "status", "--porcelain", "--untracked-files=all")
    found["HEAD"] = git(root, "rev-parse", "HEAD")
    return found


def test_history_counts_each_commit_as_counted_by_hand(repo: Path) -> None:
    top = repo.parent
    # Changes the history must not disturb: an edit in the working tree, a staged file.
    (repo / "src/pkg/a.py").write_text("import pkg.legacy  # work in progress\n")
    (repo / "src/pkg/new.py").write_text("import pkg.legacy\n")
    git(top, "add", "project/src/pkg/new.py")
    before = _snapshot(top)

    done = run(["archlint", "report", "--history", "main", "--format", "json"], repo)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert _snapshot(top) == before

    commits = data["commits"]
    assert [c["subject"] for c in commits] == [s for s, _ in STEPS]
    for found, (refs, layers, cycles, tangles, mutual, lines, parsed) in zip(
        commits, EXPECTED, strict=True
    ):
        assert found["deprecated"] == {"pkg.legacy": refs}, found["subject"]
        assert found["deprecated_references"] == refs
        assert found["breaks"] == {"layers": layers, "no-cycles": cycles}, found["subject"]
        assert found["contract_breaks"] == layers + cycles
        assert (found["cycle_tangles"], found["mutual_pairs"]) == (tangles, mutual)
        assert found["packages"]["pkg"] == {"modules": 5, "lines": lines}
        assert found["packages"]["pkg.low"] == {"modules": 1, "lines": 1}
        assert found["files_parsed"] == parsed, found["subject"]
        assert found["problem"] is None


def test_history_range_every_and_the_other_formats(repo: Path) -> None:
    done = run(["archlint", "report", "--history", "main~2..main", "--format", "csv"], repo)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [r["subject"] for r in rows] == ["cut low -> high", "last references"]
    assert [r["deprecated:pkg.legacy"] for r in rows] == ["2", "0"]
    assert [r["breaks:layers"] for r in rows] == ["0", "0"]
    assert [r["lines:pkg"] for r in rows] == ["7", "6"]

    # Every 2nd commit counting back from the last: C1, C3, C5.
    done = run(["archlint", "report", "--history", "main", "--every", "2"], repo)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("archlint report --history main: 3 commits, every 2th")
    table = [line.split() for line in lines[3:6]]
    # Commit, date, refs, breaks, tangles, mutual pairs.
    assert [row[2:6] for row in table] == [
        ["3", "3", "2", "2"],
        ["2", "2", "1", "1"],
        ["0", "0", "0", "0"],
    ]
    assert re.search(r"pkg\.legacy\s+3\s+0\s+-3 \(-100%\)", done.stdout)

    done = run(["archlint", "report", "--history", "main", "--format", "markdown"], repo)
    assert (
        "| Commit | Date | Deprecated refs | Contract breaks | Tangles | Mutual pairs |"
        in done.stdout
    )
    assert "| `pkg.legacy` | 3 | 0 | -3 (-100%) |" in done.stdout


def test_history_in_the_html_page_is_a_chart(repo: Path) -> None:
    out = repo / "report.html"
    done = run(
        ["archlint", "report", "--format", "html", "--history", "main", "-o", str(out)], repo
    )
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    section = page.split('<section id="history">', 1)[1].split("</section>", 1)[0]
    assert section.count('<polyline class="series"') == 4
    assert "<td>cut a &lt;-&gt; b</td>" in section


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--history", "nosuchref"], "cannot read the commits of 'nosuchref'"),
        (["--history=--all"], "not a revision range"),
        (["--history", "main..main"], "no commit in 'main..main'"),
        (["--history", "main", "--every", "0"], "--every must be 1 or more"),
        (["--every", "2"], "--every needs --history"),
        (["--format", "csv"], "--format csv needs --history"),
        (["--history", "main", "--compare", "main~1"], "only with --format html"),
    ],
)
def test_bad_history_options_are_one_line(repo: Path, args: list[str], message: str) -> None:
    done = run(["archlint", "report", *args], repo)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr


def test_history_outside_git_is_an_error(tmp_path: Path) -> None:
    project = make_project(
        tmp_path / "p", {"src/pkg/__init__.py": "", "contracts/rules.toml": CONTRACTS}
    )
    write_tree(project, {"src/pkg/legacy.py": "", "src/pkg/low.py": "", "src/pkg/high.py": ""})
    done = run(["archlint", "report", "--history", "HEAD"], project)
    assert done.returncode == 2
    assert "is not in a git repository: --history needs one" in done.stderr


def test_a_commit_whose_contracts_cannot_be_checked_is_reported_and_counted(repo: Path) -> None:
    # A contract naming a module that does not exist yet.
    write_tree(
        repo,
        {
            "contracts/more.toml": (
                '[[contracts]]\nid = "x"\ntype = "acyclic"\npackages = ["pkg.later"]\n'
            )
        },
    )
    git(repo.parent, "add", "-A")
    git(repo.parent, "commit", "-qm", "names pkg.later")
    (repo / "contracts/more.toml").unlink()
    git(repo.parent, "add", "-A")
    git(repo.parent, "commit", "-qm", "drops it")
    done = run(["archlint", "report", "--history", "main~2..main", "--format", "json"], repo)
    assert done.returncode == 0, done.stderr
    bad, good = json.loads(done.stdout)["commits"]
    assert bad["breaks"] is None and "pkg.later" in bad["problem"]
    assert bad["problem"].startswith(bad["commit"][:12] + ":contracts/more.toml:4: ")
    assert bad["deprecated_references"] == 0 and bad["packages"]["pkg"]["modules"] == 5
    assert good["breaks"] == {"layers": 0, "no-cycles": 0} and good["problem"] is None
    assert "warning: " in done.stderr and "pkg.later" in done.stderr
