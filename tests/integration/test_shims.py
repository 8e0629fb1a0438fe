"""``archlint check``, ``archlint lint`` and flake8 on shims, through the real executables.

The shims are made by ``archlint move`` itself, then edited as a team would.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest

from tests.helpers import make_project, run

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "bot_v2"

FILES = {
    "contracts/rules.toml": """
        [[contracts]]
        id = "acyclic"
        type = "acyclic"
        packages = ["pkg"]
    """,
    "src/pkg/__init__.py": "",
    "src/pkg/features/__init__.py": "",
    "src/pkg/monitor.py": """
        class Monitor:
            pass


        def helper():
            return 1
    """,
    "src/pkg/user.py": "from pkg.monitor import Monitor\n",
}

SHIM = "src/pkg/monitor.py"
ARC004 = re.compile(r"^[ \t]*(?P<path>\S+):(?P<line>\d+):(?P<col>\d+): (?P<text>ARC004 .*)$", re.M)


def moved(tmp_path: Path) -> Path:
    """A project in which ``archlint move`` has just moved ``pkg.monitor``."""
    root = make_project(tmp_path, FILES)
    done = run(["archlint", "move", "pkg.monitor", "pkg.features.monitor"], cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "archlint move" in (root / SHIM).read_text(encoding="utf-8")
    return root


COMMANDS = {
    "check": ["archlint", "check", "--no-cache"],
    "lint": ["archlint", "lint"],
    "flake8": ["flake8", "--select", "ARC", "src"],
}


def all_three(root: Path) -> dict[str, list[tuple[str, str, str]]]:
    """The ARC004 findings of check, lint and flake8, as (path, line, text)."""
    found = {}
    for name, command in COMMANDS.items():
        result = run(command, cwd=root)
        assert "Traceback" not in result.stdout + result.stderr
        assert "failed during execution" not in result.stdout + result.stderr
        found[name] = [(m["path"], m["line"], m["text"]) for m in ARC004.finditer(result.stdout)]
    return found


def test_a_clean_shim_gives_nothing(tmp_path: Path) -> None:
    root = moved(tmp_path)
    check = run(["archlint", "check"], cwd=root)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stderr == ""
    lint = run(["archlint", "lint"], cwd=root)
    assert (lint.returncode, lint.stdout, lint.stderr) == (0, "", "")
    flake8 = run(["flake8", "--select", "ARC", "src"], cwd=root)
    assert (flake8.returncode, flake8.stdout) == (0, "")


def test_a_class_added_to_a_shim_is_arc004_at_its_line_everywhere(tmp_path: Path) -> None:
    root = moved(tmp_path)
    shim = root / SHIM
    before = shim.read_text(encoding="utf-8")
    shim.write_text(before + "\n\nclass QuietMonitor(Monitor):\n    pass\n", encoding="utf-8")
    line = before.count("\n") + 3
    found = all_three(root)
    text = (
        "ARC004 shim pkg.monitor grew code: class QuietMonitor; a shim only re-exports "
        f"pkg.features.monitor (deprecation of pkg.monitor since {dt.date.today().isoformat()}): "
        "move the code to pkg.features.monitor"
    )
    assert found == {name: [(SHIM, str(line), text)] for name in ("check", "lint", "flake8")}
    assert run(["archlint", "check"], cwd=root).returncode == 1
    assert run(["archlint", "lint"], cwd=root).returncode == 1
    # Machine output carries it as one of check's per-file findings.
    as_json = run(["archlint", "check", "--format", "json"], cwd=root)
    assert as_json.returncode == 1
    codes = [f["code"] for f in json.loads(as_json.stdout)["findings"]]
    assert codes == ["ARC004"] and "ARC004" not in as_json.stderr
    # --select ARC0 (the quick deprecation scan) still parses the shim.
    quick = run(["archlint", "lint", "--select", "ARC0"], cwd=root)
    assert [m["text"] for m in ARC004.finditer(quick.stdout)] == [text]
    # flake8's noqa works as for any code.
    lines = shim.read_text(encoding="utf-8").splitlines()
    lines[line - 1] += "  # noqa: ARC004"
    shim.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run(["flake8", "--select", "ARC", "src"], cwd=root).stdout == ""


def test_many_statements_are_one_finding_at_the_first(tmp_path: Path) -> None:
    root = moved(tmp_path)
    shim = root / SHIM
    text = shim.read_text(encoding="utf-8")
    line = text.count("\n") + 1
    shim.write_text(text + "TIMEOUT = helper() * 2\nfor _ in range(3):\n    pass\n", "utf-8")
    found = all_three(root)
    for name in ("check", "lint", "flake8"):
        [(_, at, message)] = found[name]
        assert at == str(line)
        assert "assignment to TIMEOUT (and 1 more statement);" in message


def test_an_import_of_a_shim_from_inside_is_arc001_not_arc004(tmp_path: Path) -> None:
    root = moved(tmp_path)
    (root / "src/pkg/late.py").write_text("from pkg.monitor import helper\n", encoding="utf-8")
    lint = run(["archlint", "lint"], cwd=root)
    flake8 = run(["flake8", "--select", "ARC", "src"], cwd=root)
    expected = (
        "src/pkg/late.py:1:1: ARC001 pkg.monitor is deprecated since "
        f"{dt.date.today().isoformat()}; use: from pkg.features.monitor import helper\n"
    )
    assert lint.stdout == expected + "Found 1 finding.\n"
    assert flake8.stdout == expected


def test_a_moved_package_leaves_shims_below_it(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "contracts/rules.toml": FILES["contracts/rules.toml"],
            "src/pkg/__init__.py": "",
            "src/pkg/old/__init__.py": "from .core import run\n",
            "src/pkg/old/core.py": "def run():\n    return 1\n",
            "src/pkg/app.py": "from pkg.old import run\n",
        },
    )
    done = run(["archlint", "move", "pkg.old", "pkg.new"], cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert all_three(root) == {"check": [], "lint": [], "flake8": []}
    sub = root / "src/pkg/old/core.py"
    sub.write_text(sub.read_text(encoding="utf-8") + "VALUE = run()\n", encoding="utf-8")
    found = all_three(root)
    for name in ("check", "lint", "flake8"):
        [(path, _, message)] = found[name]
        assert path == "src/pkg/old/core.py"
        assert message.startswith("ARC004 shim pkg.old.core grew code: assignment to VALUE;")
        assert "re-exports pkg.new.core (deprecation of pkg.old since" in message


def test_a_planned_move_leaves_the_real_code_alone(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            **FILES,
            "contracts/deprecations.toml": """
                [[deprecations]]
                old = "pkg.monitor"
                new = "pkg.features.monitoring"
            """,
        },
    )
    assert all_three(root) == {"check": [], "lint": [], "flake8": []}
    assert "shim" not in run(["archlint", "check"], cwd=root).stderr


def _remove_shim(root: Path, remove_after: dt.date | None) -> None:
    (root / SHIM).unlink()
    contracts = root / "contracts" / "deprecations.toml"
    text = contracts.read_text(encoding="utf-8")
    # Moved two months ago, so that any remove_after of the tests comes after since.
    since = dt.date.today() - dt.timedelta(days=60)
    text = text.replace(f"since = {dt.date.today().isoformat()}", f"since = {since.isoformat()}")
    if remove_after is not None:
        text += f"remove_after = {remove_after.isoformat()}\n"
    contracts.write_text(text, encoding="utf-8")


def test_a_shim_removed_before_its_remove_after_is_a_warning(tmp_path: Path) -> None:
    root = moved(tmp_path)
    later = dt.date.today() + dt.timedelta(days=30)
    _remove_shim(root, later)
    check = run(["archlint", "check"], cwd=root)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stderr == (
        "warning: contracts/deprecations.toml:1: shim for pkg.monitor removed before its "
        f"remove_after {later.isoformat()}: code outside the project that imports it breaks "
        "now; restore the shim (archlint move writes one) or set remove_after to the day it "
        "was removed\n"
    )
    assert "warning" not in check.stdout


@pytest.mark.parametrize("days", [0, -1])
def test_a_shim_removed_on_or_after_its_remove_after_is_fine(tmp_path: Path, days: int) -> None:
    root = moved(tmp_path)
    _remove_shim(root, dt.date.today() + dt.timedelta(days=days))
    check = run(["archlint", "check"], cwd=root)
    assert (check.returncode, check.stderr) == (0, "")


def test_a_shim_removed_without_any_remove_after_is_a_warning(tmp_path: Path) -> None:
    root = moved(tmp_path)
    _remove_shim(root, None)
    check = run(["archlint", "check"], cwd=root)
    assert check.returncode == 0
    assert check.stderr.startswith(
        "warning: contracts/deprecations.toml:1: shim for pkg.monitor removed, and its "
        "deprecation has no remove_after:"
    )
    assert check.stderr.count("\n") == 1


def test_archlint_move_no_shim_gives_no_warning(tmp_path: Path) -> None:
    root = make_project(tmp_path, FILES)
    done = run(["archlint", "move", "pkg.monitor", "pkg.features.monitor", "--no-shim"], root)
    assert done.returncode == 0, done.stdout + done.stderr
    check = run(["archlint", "check"], cwd=root)
    assert (check.returncode, check.stderr) == (0, "")


def test_a_name_that_its_module_still_binds_is_no_removed_shim(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "src/pkg/__init__.py": "",
            "src/pkg/new.py": "class Thing: ...\n",
            "src/pkg/old.py": "from pkg.new import Thing as OldThing\n",
            "contracts/d.toml": """
                [[deprecations]]
                old = "pkg.old.OldThing"
                new = "pkg.new.Thing"

                [[deprecations]]
                old = "pkg.old.Gone"
                new = "pkg.new.Thing"
            """,
        },
    )
    check = run(["archlint", "check"], cwd=root)
    assert check.returncode == 0
    assert check.stderr.splitlines() == [
        "warning: contracts/d.toml:5: shim for pkg.old.Gone removed, and its deprecation has "
        "no remove_after: code outside the project that imports it breaks without notice; "
        "set remove_after to the day it was removed"
    ]


def test_the_example_shims_are_clean(tmp_path: Path) -> None:
    root = tmp_path / "bot_v2"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".archlint_cache"))
    check = run(["archlint", "check", "--no-cache"], cwd=root)
    assert "ARC004" not in check.stdout
    assert "shim" not in check.stderr
    lint = run(["archlint", "lint", "--select", "ARC004"], cwd=root)
    assert (lint.returncode, lint.stdout) == (0, "")


def test_a_shim_that_does_not_parse_is_one_line(tmp_path: Path) -> None:
    root = moved(tmp_path)
    (root / SHIM).write_text("from pkg.features.monitor import (\n", encoding="utf-8")
    check = run(["archlint", "check"], cwd=root)
    assert check.returncode == 2
    assert "Traceback" not in check.stderr
    assert [line for line in check.stderr.splitlines() if SHIM in line] == [
        next(line for line in check.stderr.splitlines() if SHIM in line)
    ]
    lint = run(["archlint", "lint"], cwd=root)
    assert lint.returncode == 2
    assert [line for line in lint.stderr.splitlines() if "monitor.py" in line] == [
        next(line for line in lint.stderr.splitlines() if "monitor.py" in line)
    ]
    flake8 = run(["flake8", "--select", "ARC,E999", "src"], cwd=root)
    assert "Traceback" not in flake8.stdout + flake8.stderr
    assert [line.split(": ", 1)[1][:4] for line in flake8.stdout.splitlines()] == ["E999"]


def test_a_huge_shim_is_one_line(tmp_path: Path) -> None:
    root = moved(tmp_path)
    shim = root / SHIM
    aliases = "".join(f"Alias{i} = Monitor\n" for i in range(5_000))
    # As deep as Python's parser goes; pyflakes (in flake8) cannot walk it, so flake8 gets
    # the same file without it.
    deep = "warnings.warn(" + " + ".join(["'x'"] * 2000) + ")\n"
    head = shim.read_text(encoding="utf-8") + aliases
    for name, text in (("check", head + deep), ("lint", head + deep), ("flake8", head)):
        shim.write_text(text + "class Late:\n    pass\n" + aliases, encoding="utf-8")
        result = run(COMMANDS[name], cwd=root)
        assert "Traceback" not in result.stdout + result.stderr
        [(at, message)] = [(m["line"], m["text"]) for m in ARC004.finditer(result.stdout)]
        assert at == str(text.count("\n") + 1)
        assert "grew code: class Late;" in message


def test_removed_shims_nested_in_one_another_warn_once_each_top(tmp_path: Path) -> None:
    # pkg.old went with everything in it: one line for it, none for the names below it;
    # pkg.older.deep is not below pkg.old (a prefix of the text, not of the path).
    lines = []
    for old in ("pkg.old", "pkg.old.Thing", "pkg.old.sub.Other", "pkg.older", "pkg.olderx"):
        lines.append(f'[[deprecations]]\nold = "{old}"\nnew = "pkg.new.Thing"\n')
    root = make_project(
        tmp_path,
        {
            "src/pkg/__init__.py": "",
            "src/pkg/new.py": "class Thing: ...\n",
            "contracts/d.toml": "\n".join(lines),
        },
    )
    check = run(["archlint", "check"], cwd=root)
    assert check.returncode == 0, check.stdout + check.stderr
    removed = re.findall(r"shim for (\S+) removed", check.stderr)
    assert removed == ["pkg.old", "pkg.older", "pkg.olderx"]


def test_a_module_moved_to_a_removed_path_is_no_shim(tmp_path: Path) -> None:
    # pkg.a moved to pkg.core.util, and pkg.core was removed later: pkg.a has nothing to
    # re-export (its importers get ARC002), so it is not a shim, and nothing crashes.
    files = {
        "contracts/d.toml": """
            [[deprecations]]
            old = "pkg.core"

            [[deprecations]]
            old = "pkg.a"
            new = "pkg.core.util"
        """,
        "src/pkg/__init__.py": "",
        "src/pkg/core/__init__.py": "",
        "src/pkg/core/util.py": "",
        "src/pkg/a.py": "from pkg.core.util import *\n",
        "src/pkg/user.py": "import pkg.a\n",
    }
    root = make_project(tmp_path, files)
    for name, command in COMMANDS.items():
        proc = run(command, cwd=root)
        assert "Traceback" not in proc.stderr and "ARC900" not in proc.stdout, name
        assert "src/pkg/user.py:1:1: ARC002 pkg.a moved to pkg.core, which was removed" in (
            proc.stdout
        ), name
        assert "ARC004" not in proc.stdout, name
