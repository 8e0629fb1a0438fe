"""Attacks on the baseline: what identifies a per-file finding, ``--contract`` with a
baseline, and baseline files that are not files. Through the real ``archlint``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ..helpers import make_project, run
from .test_ratchet import RULES

NAMES = (
    "def helper():\n    return 1\n\n\ndef other():\n    return 2\n\n\ndef third():\n    return 3\n"
)

# Statements that import several paths: a module beside a deprecated one, two names of a
# deprecated module, a layers break beside a module that breaks nothing.
USER = (
    "import os, pkg.lib.old\nfrom pkg.lib.old import helper, other\nimport pkg.app, pkg.lib.new\n"
)

FILES = {
    "contracts/rules.toml": RULES,
    "src/pkg/__init__.py": "",
    "src/pkg/app.py": "",
    "src/pkg/lib/__init__.py": "",
    "src/pkg/lib/new.py": NAMES,
    "src/pkg/lib/old.py": "from pkg.lib.new import helper, other, third\n",
    "src/pkg/lib/user.py": USER,
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "project", FILES)
    assert check(root, "--write-baseline")[0] == 0
    return root


def check(root: Path, *args: str) -> tuple[int, str]:
    result = run(["archlint", "check", "--no-cache", *args], cwd=root)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result.returncode, result.stdout + result.stderr


def judged(root: Path, *args: str) -> tuple[int, str]:
    return check(root, "--baseline", "archlint-baseline.toml", *args)


def test_each_path_a_finding_is_about_is_recorded_alone(project: Path) -> None:
    entries = [
        line.strip()
        for line in (project / "archlint-baseline.toml").read_text().splitlines()
        if line.startswith('  { code = "')
    ]
    assert entries == [
        '{ code = "ARC001", path = "src/pkg/lib/user.py", imported = "pkg.lib.old" },',
        '{ code = "ARC001", path = "src/pkg/lib/user.py", imported = "pkg.lib.old.helper" },',
        '{ code = "ARC001", path = "src/pkg/lib/user.py", imported = "pkg.lib.old.other" },',
        '{ code = "ARC101", path = "src/pkg/lib/user.py", imported = "pkg.app" },',
    ]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # Before, the identity was every path of the statement in source order, so each of
        # these edits turned a known finding into a new one (and its entry into a gone one).
        ("import os, pkg.lib.old\n", "import pkg.lib.old, os\n"),
        ("import os, pkg.lib.old\n", "import os, sys, pkg.lib.old\n"),
        ("helper, other\n", "other, helper\n"),
        ("helper, other\n", "(\n    other,\n    helper,\n)\n"),
        ("import pkg.app, pkg.lib.new\n", "import pkg.lib.new, pkg.app, json\n"),
    ],
)
def test_reordering_a_statement_or_adding_an_unrelated_name_is_no_new_finding(
    project: Path, before: str, after: str
) -> None:
    user = project / "src/pkg/lib/user.py"
    user.write_text(user.read_text().replace(before, after))
    status, out = judged(project, "--strict-baseline")
    assert status == 0, out
    assert "Per-file findings: 0 new, 3 known in the baseline." in out
    assert "no longer occur" not in out


def test_fixing_one_name_of_a_statement_shrinks_the_baseline(project: Path) -> None:
    user = project / "src/pkg/lib/user.py"
    user.write_text(user.read_text().replace("helper, other\n", "helper\n"))
    status, out = judged(project)
    assert status == 0, out
    assert "0 new" in out
    assert "  src/pkg/lib/user.py: ARC001 pkg.lib.old.other (1 in the baseline, 0 now)" in out
    assert judged(project, "--strict-baseline")[0] == 1


def test_a_new_deprecated_name_in_a_known_statement_is_new(project: Path) -> None:
    user = project / "src/pkg/lib/user.py"
    user.write_text(user.read_text().replace("helper, other\n", "helper, other, third\n"))
    status, out = judged(project)
    assert status == 1, out
    assert "src/pkg/lib/user.py:2:1: ARC001 pkg.lib.old is deprecated" in out
    assert "src/pkg/lib/user.py: ARC001 pkg.lib.old.third" not in out  # not a gone entry
    assert "Per-file findings: 1 new, 2 known in the baseline." in out


def test_a_baseline_with_whole_statement_identities_still_knows_them(project: Path) -> None:
    """What ``--write-baseline`` wrote before: one entry per statement, naming every path
    it imports in source order. Those findings stay known, and are not listed as gone."""
    written = project / "archlint-baseline.toml"
    text = written.read_text()
    text = text.replace('imported = "pkg.lib.old" }', 'imported = "os, pkg.lib.old" }')
    text = text.replace(
        '  { code = "ARC001", path = "src/pkg/lib/user.py", imported = "pkg.lib.old.helper" },\n',
        "",
    )
    text = text.replace('"pkg.lib.old.other"', '"pkg.lib.old.helper, pkg.lib.old.other"')
    text = text.replace(
        'user.py", imported = "pkg.app" }', 'user.py", imported = "pkg.app, pkg.lib.new" }'
    )
    assert text.count('"os, pkg.lib.old"') == 1 and text.count('"pkg.app, pkg.lib.new"') == 1
    written.write_text(text)
    status, out = judged(project, "--strict-baseline")
    assert status == 0, out
    assert "Per-file findings: 0 new, 3 known in the baseline." in out


def test_contract_option_knows_the_recorded_direct_breaks(project: Path) -> None:
    """With ``--contract``, the contract's ARC1xx findings are judged as well: a recorded one
    does not fail the check that calls its contract kept."""
    status, out = judged(project, "--contract", "layers", "--strict-baseline")
    assert status == 0, out
    assert "1 contract: 1 kept, 0 broken. 1 finding known in the baseline." in out
    assert "ARC101" not in out
    (project / "src/pkg/lib/late.py").write_text("import pkg.app\n")
    status, out = judged(project, "--contract", "layers")
    assert status == 1, out
    assert "src/pkg/lib/late.py:1:1: ARC101 import of pkg.app" in out


def test_with_a_baseline_the_advice_is_not_to_record_the_new_findings(project: Path) -> None:
    """Without a baseline, a failing check says how to adopt (--write-baseline). With one,
    that advice would record the new findings it just failed on."""
    (project / "src/pkg/lib/late.py").write_text("import pkg.lib.old\n")
    status, out = check(project)
    assert status == 1 and "archlint check --write-baseline records them" in out
    status, out = judged(project)
    assert status == 1, out
    assert "src/pkg/lib/late.py:1:1: ARC001" in out
    assert "--write-baseline records them" not in out


def _special(root: Path, kind: str) -> None:
    path = root / "known.toml"
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "endless":
        path.symlink_to("/dev/zero")
    elif kind == "huge":
        with path.open("wb") as f:
            f.truncate(65 * 1024 * 1024)  # sparse: takes no room
    else:
        path.write_text("version = 1.0\n")


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("folder", "cannot read: it is a folder, not a file"),
        ("fifo", "cannot read: not a regular file"),
        ("endless", "cannot read: not a regular file"),
        ("huge", "too large for a baseline (at most 64 MiB)"),
        ("float", "'version' must be 1, not 1.0"),
    ],
)
def test_a_baseline_that_is_no_file_is_one_line(project: Path, kind: str, reason: str) -> None:
    """A FIFO blocked the read for ever and /dev/zero filled the memory; a folder said
    'Is a directory', or, named by the setting, 'does not exist'."""
    _special(project, kind)
    for args in (["--baseline", "known.toml"], []):
        if not args:
            pyproject = project / "pyproject.toml"
            pyproject.write_text(pyproject.read_text() + 'baseline = "known.toml"\n')
        status, out = check(project, *args)
        assert status == 2, out
        (line,) = out.splitlines()
        assert line.startswith("error: known.toml: not a baseline ("), line
        assert reason in line
