"""The flake8 plugin through the real ``flake8`` executable.

One project holds a file per topic (every import form, relative imports, imports in blocks,
strings that name modules, one direct break of each contract type, ``# noqa``); it is checked
once and each test reads its part of the output, which must be exactly the expected lines,
``path:line:col: CODE message`` with flake8's 1-based column. Other tests run flake8 the ways
editors and CI do: on stdin with ``--stdin-display-name``, with ``-j``, with select/ignore
options, on files outside any archlint project, with ``--archlint-root``, and on projects whose
contracts cannot be loaded. No run may print a traceback.
"""

from __future__ import annotations

import re
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

from archlint.domain import model

from ..helpers import make_project, run, write_tree

DEPRECATIONS = """
[[deprecations]]
old = "pkg.old"
new = "pkg.new"
since = 2025-10-05
why = "moved"

[[deprecations]]
old = "pkg.legacy.Thing"
new = "pkg.new.Widget"
since = 2025-10-05

[[deprecations]]
old = "pkg.mod"
new = "pkg.modern"
since = 2025-10-05

[[deprecations]]
old = "pkg.mod.Name"
new = "pkg.names.Renamed"
since = 2025-10-05

[[deprecations]]
old = "pkg.gone"
since = 2025-10-05
why = "dropped in 2.0; use pkg.new"

[[deprecations]]
old = "pkg.expired"
new = "pkg.fresh"
since = 2000-01-01
remove_after = 2000-06-01
why = "long overdue"

[[deprecations]]
old = "pkg.later"
new = "pkg.fresh"
since = 2025-10-05
remove_after = 2999-01-01

[[deprecations]]
old = "pkg.sub.sibling"
new = "pkg.sub.cousin"
"""

CONTRACTS = """
[[contracts]]
id = "layers"
type = "layers"
why = "Nothing below reaches back up."
containers = ["pkg"]
layers = ["app", "domain", "infra"]

[[contracts]]
id = "slices"
type = "independence"
modules = ["pkg.feat.*"]

[[contracts]]
id = "no-vendor"
type = "forbidden"
source_modules = ["pkg.domain"]
forbidden_modules = ["pkg.vendor"]

[[contracts]]
id = "core-door"
type = "protected"
protected_modules = ["pkg.core"]
allowed_importers = ["pkg.app"]

[[contracts]]
id = "util-allow"
type = "allowlist"
source_modules = ["pkg.util"]
allowed_modules = ["pkg.base"]

[[contracts]]
id = "no-cycles"
type = "acyclic"
packages = ["pkg.cyc"]
"""

#: What each topic file holds, and below (EXPECTED) what flake8 must say about it.
SOURCES = {
    "src/pkg/forms.py": '''
        """Every import form of a deprecated path."""
        import pkg.old
        import pkg.old as po
        from pkg import old
        from pkg.old import Thing as Old
        from pkg.mod import (
            Name,
            Other as O2,
        )
        from pkg.legacy import Thing
        import os, pkg.later
        ''',
    "src/pkg/sub/rel.py": '''
        """Relative imports, resolved from the file's path."""
        from . import sibling
        from ..old import Thing
        from .. import gone
        from ... import beyond_the_top
        ''',
    "src/pkg/blocks.py": '''
        """Imports in functions, try/except ImportError and if TYPE_CHECKING."""
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from pkg.mod import Name

        try:
            import pkg.expired
        except ImportError:
            from pkg import later


        def load():
            import pkg.gone

            return pkg.gone
        ''',
    "src/pkg/strings.py": '''
        """Deprecated paths in strings that name modules."""
        import importlib
        from unittest import mock

        import pytest

        importlib.import_module("pkg.old")
        __import__("pkg.gone")
        importlib.util.find_spec("pkg.old.sub")


        @mock.patch("pkg.mod.Name.method")
        def test_patched(patched, mocker, monkeypatch):
            mocker.patch("pkg.old.helper")
            monkeypatch.setattr("pkg.expired.value", 1)
            monkeypatch.delattr("pkg.later.value")
            pytest.importorskip("pkg.old")
        ''',
    "tests/test_noqa.py": """
        import pkg.old  # noqa: ARC001
        import pkg.gone  # noqa: ARC001
        import pkg.mod  # noqa: F401
        from pkg.old import (
            a,  # noqa: ARC001
            b,
        )
        import pkg.later  # noqa
        from pkg.old import (  # noqa: ARC0
            c,
        )
        """,
}

#: One direct break of each contract type, and the modules around them.
MODULES = {
    "src/pkg/__init__.py": "",
    # Any name may be imported from the new module (a module-level __getattr__).
    "src/pkg/new.py": "class Widget: ...\n\n\ndef __getattr__(name): ...\n",
    "src/pkg/modern.py": "def __getattr__(name): ...\n",
    "src/pkg/names.py": "class Renamed: ...\n",
    "src/pkg/fresh.py": "",
    "src/pkg/sub/__init__.py": "",
    "src/pkg/sub/sibling.py": "",
    "src/pkg/sub/cousin.py": "",
    "src/pkg/app/__init__.py": "",
    "src/pkg/app/views.py": "from pkg import core\n",
    "src/pkg/domain/__init__.py": "",
    "src/pkg/domain/model.py": "import pkg.vendor\n",
    "src/pkg/infra/__init__.py": "",
    "src/pkg/infra/db.py": "from pkg.app import views\n",
    "src/pkg/feat/__init__.py": "",
    "src/pkg/feat/a/__init__.py": "",
    "src/pkg/feat/a/x.py": "from pkg.feat.b import y\n",
    "src/pkg/feat/b/__init__.py": "",
    "src/pkg/feat/b/y.py": "",
    "src/pkg/vendor.py": "",
    "src/pkg/core.py": "",
    "src/pkg/tools.py": "import pkg.core\n",
    "src/pkg/util/__init__.py": "",
    "src/pkg/util/helpers.py": "import pkg.base\nimport pkg.vendor\n",
    "src/pkg/base.py": "",
    "src/pkg/cyc/__init__.py": "",
    "src/pkg/cyc/a.py": "from . import b\n",
    "src/pkg/cyc/b.py": "from pkg.cyc import a\n",
}

SINCE = "deprecated since 2025-10-05"
GONE = "pkg.gone was removed (deprecated since 2025-10-05): dropped in 2.0; use pkg.new"

EXPECTED: dict[str, list[str]] = {
    "src/pkg/blocks.py": [
        f"5:5: ARC001 pkg.mod.Name is {SINCE}; use: from pkg.names import Renamed as Name",
        "8:5: ARC002 pkg.expired is past its remove_after date 2000-06-01 "
        "(deprecated since 2000-01-01: long overdue); use: import pkg.fresh",
        f"10:5: ARC001 pkg.later is {SINCE}; use: from pkg import fresh as later",
        f"14:5: ARC002 {GONE}",
    ],
    "src/pkg/cyc/a.py": [
        "1:1: ARC106 import of pkg.cyc.b breaks contract 'no-cycles': pkg.cyc.b imports "
        "pkg.cyc.a back (l.1): a cycle of two modules",
    ],
    "src/pkg/cyc/b.py": [
        "1:1: ARC106 import of pkg.cyc.a breaks contract 'no-cycles': pkg.cyc.a imports "
        "pkg.cyc.b back (l.1): a cycle of two modules",
    ],
    "src/pkg/domain/model.py": [
        "1:1: ARC103 import of pkg.vendor breaks contract 'no-vendor': pkg.domain may not "
        "import pkg.vendor",
    ],
    "src/pkg/feat/a/x.py": [
        "1:1: ARC102 import of pkg.feat.b.y breaks contract 'slices': pkg.feat.a and "
        "pkg.feat.b must stay independent",
    ],
    "src/pkg/forms.py": [
        f"2:1: ARC001 pkg.old is {SINCE} (moved); use: import pkg.new",
        f"3:1: ARC001 pkg.old is {SINCE} (moved); use: import pkg.new as po",
        f"4:1: ARC001 pkg.old is {SINCE} (moved); use: from pkg import new as old",
        f"5:1: ARC001 pkg.old is {SINCE} (moved); use: from pkg.new import Thing as Old",
        # A multi-line import at its first line, once per replacement statement; the most
        # specific entry wins.
        f"6:1: ARC001 pkg.mod.Name is {SINCE}; use: from pkg.names import Renamed as Name",
        f"6:1: ARC001 pkg.mod is {SINCE}; use: from pkg.modern import Other as O2",
        # A name-level entry whose last segment changes: the local name is kept.
        f"10:1: ARC001 pkg.legacy.Thing is {SINCE}; use: from pkg.new import Widget as Thing",
        f"11:1: ARC001 pkg.later is {SINCE}; use: import pkg.fresh",
    ],
    "src/pkg/infra/db.py": [
        "1:1: ARC101 import of pkg.app.views breaks contract 'layers': pkg.infra (layer "
        "'infra') may not import pkg.app (layer 'app', above it) (Nothing below reaches back "
        "up.)",
    ],
    "src/pkg/strings.py": [
        f"7:25: ARC003 string 'pkg.old' passed to importlib.import_module() names pkg.old, "
        f"{SINCE} (moved); use: 'pkg.new'",
        "8:12: ARC003 string 'pkg.gone' passed to __import__() names pkg.gone, removed "
        "(dropped in 2.0; use pkg.new)",
        f"9:26: ARC003 string 'pkg.old.sub' passed to importlib.util.find_spec() names "
        f"pkg.old, {SINCE} (moved); use: 'pkg.new.sub'",
        f"12:13: ARC003 string 'pkg.mod.Name.method' passed to mock.patch() names "
        f"pkg.mod.Name, {SINCE}; use: 'pkg.names.Renamed.method'",
        f"14:18: ARC003 string 'pkg.old.helper' passed to mocker.patch() names pkg.old, "
        f"{SINCE} (moved); use: 'pkg.new.helper'",
        "15:25: ARC003 string 'pkg.expired.value' passed to monkeypatch.setattr() names "
        "pkg.expired, deprecated since 2000-01-01, past its remove_after date 2000-06-01 "
        "(long overdue); use: 'pkg.fresh.value'",
        f"16:25: ARC003 string 'pkg.later.value' passed to monkeypatch.delattr() names "
        f"pkg.later, {SINCE}; use: 'pkg.fresh.value'",
        f"17:25: ARC003 string 'pkg.old' passed to pytest.importorskip() names pkg.old, "
        f"{SINCE} (moved); use: 'pkg.new'",
    ],
    "src/pkg/sub/rel.py": [
        "2:1: ARC001 pkg.sub.sibling is deprecated; use: from pkg.sub import cousin as sibling",
        f"3:1: ARC001 pkg.old is {SINCE} (moved); use: from pkg.new import Thing",
        f"4:1: ARC002 {GONE}",
    ],
    "src/pkg/tools.py": [
        "1:1: ARC104 import of pkg.core breaks contract 'core-door': pkg.core is protected: "
        "only pkg.app may import it",
    ],
    "src/pkg/util/helpers.py": [
        "2:1: ARC105 import of pkg.vendor breaks contract 'util-allow': pkg.util may import "
        "only pkg.base",
    ],
    # A noqa comment for ARC001 hides ARC001 on its line only, not ARC002; it goes on the
    # line the finding is reported at, a statement's first line, not on a name's own line.
    "tests/test_noqa.py": [
        f"2:1: ARC002 {GONE}",
        f"3:1: ARC001 pkg.mod is {SINCE}; use: import pkg.modern",
        f"4:1: ARC001 pkg.old is {SINCE} (moved); use: from pkg.new import a, b",
    ],
}


# --- running flake8 ------------------------------------------------------------------------


def flake8(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real flake8; no run may end in, or print, a traceback."""
    result = run(["flake8", *args], cwd=cwd, stdin=stdin)
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


def by_file(stdout: str) -> dict[str, list[str]]:
    """flake8's lines grouped by file: ``{"a.py": ["1:8: ARC001 ...", ...]}``."""
    out: dict[str, list[str]] = defaultdict(list)
    for line in stdout.splitlines():
        path, sep, rest = line.partition(":")
        assert sep, line
        out[path].append(rest)
    return dict(out)


def dedent(text: str) -> str:
    return "\n".join(line[8:] for line in text.strip("\n").splitlines()) + "\n"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = {
        "contracts/deprecations.toml": DEPRECATIONS,
        "contracts/architecture.toml": CONTRACTS,
        **MODULES,
        **{path: dedent(text) for path, text in SOURCES.items()},
    }
    return make_project(tmp_path_factory.mktemp("proj"), files)


@pytest.fixture(scope="module")
def whole_run(project: Path) -> subprocess.CompletedProcess[str]:
    """``flake8 --select ARC src tests`` in the project, once."""
    return flake8("--select", "ARC", "src", "tests", cwd=project)


# --- the output, file by file ----------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_exact_output_of_each_file(whole_run: subprocess.CompletedProcess[str], path: str):
    assert by_file(whole_run.stdout).get(path, []) == EXPECTED[path]


def test_whole_run_says_nothing_else(whole_run: subprocess.CompletedProcess[str]):
    assert by_file(whole_run.stdout) == EXPECTED
    assert whole_run.returncode == 1
    assert whole_run.stderr == ""


def test_every_code_is_covered():
    codes = {m for lines in EXPECTED.values() for m in re.findall(r": (ARC\d{3}) ", "".join(lines))}
    assert codes == {
        f"ARC{n}" for n in ("001", "002", "003", "101", "102", "103", "104", "105", "106")
    }


# --- stdin, as editors send a file -----------------------------------------------------------


@pytest.mark.parametrize("path", ["src/pkg/sub/rel.py", "src/pkg/forms.py", "src/pkg/feat/a/x.py"])
def test_stdin_with_display_name_is_the_same_as_on_disk(project: Path, path: str):
    text = (project / path).read_text()
    on_disk = flake8("--select", "ARC", path, cwd=project)
    on_stdin = flake8("--select", "ARC", "--stdin-display-name", path, "-", cwd=project, stdin=text)
    assert on_stdin.stdout == on_disk.stdout
    assert on_stdin.stdout.splitlines() == [f"{path}:{line}" for line in EXPECTED[path]]
    assert on_stdin.returncode == on_disk.returncode == 1


def test_stdin_of_an_unsaved_file_is_named_from_its_display_name(project: Path, tmp_path: Path):
    """An editor buffer for a file not yet on disk, with an absolute name, from another folder."""
    path = project / "src/pkg/sub/unsaved.py"
    text = "from . import sibling\nfrom ..infra import db\n"
    result = flake8(
        "--select", "ARC", "--stdin-display-name", str(path), "-", cwd=tmp_path, stdin=text
    )
    assert result.stdout.splitlines() == [
        f"{path}:1:1: ARC001 pkg.sub.sibling is deprecated; use: from pkg.sub import cousin as "
        "sibling",
    ]
    inside_domain = project / "src/pkg/domain/unsaved.py"
    result = flake8(
        "--select", "ARC", "--stdin-display-name", str(inside_domain), "-", cwd=tmp_path, stdin=text
    )
    # ``from ..infra import db`` seen from pkg.domain: a layer importing one below it is fine;
    # ``from . import sibling`` there is pkg.domain.sibling, which is nothing deprecated.
    assert result.stdout == ""
    assert result.returncode == 0


def test_stdin_with_a_syntax_error_does_not_crash(project: Path):
    result = flake8(
        "--select",
        "ARC,E9",
        "--stdin-display-name",
        "src/pkg/sub/rel.py",
        "-",
        cwd=project,
        stdin="from . import sibling\ndef (:\n",
    )
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("src/pkg/sub/rel.py:2:") and " E999 SyntaxError: " in lines[0]
    assert result.returncode == 1


# --- several processes -----------------------------------------------------------------------


def test_parallel_jobs_give_the_same_findings(project: Path, whole_run):
    one = flake8("--select", "ARC", "-j", "1", "src", "tests", cwd=project)
    two = flake8("--select", "ARC", "-j", "2", "src", "tests", cwd=project)
    assert one.stdout == two.stdout == whole_run.stdout
    assert one.returncode == two.returncode == 1


# --- selecting and ignoring ------------------------------------------------------------------


def test_per_file_ignores(project: Path):
    result = flake8(
        "--select",
        "ARC",
        "--per-file-ignores",
        "tests/*:ARC001",
        "src/pkg/sub/rel.py",
        "tests",
        cwd=project,
    )
    assert by_file(result.stdout) == {
        "src/pkg/sub/rel.py": EXPECTED["src/pkg/sub/rel.py"],
        "tests/test_noqa.py": [f"2:1: ARC002 {GONE}"],
    }


def test_extend_select_and_default_select(project: Path):
    arc = "src/pkg/tools.py:" + EXPECTED["src/pkg/tools.py"][0]
    f401 = "src/pkg/tools.py:1:1: F401 'pkg.core' imported but unused"
    # flake8's default selection includes plugin codes, and --extend-select adds to it. Both
    # are at the statement's first column: flake8 orders them by code.
    assert flake8("src/pkg/tools.py", cwd=project).stdout.splitlines() == [arc, f401]
    extended = flake8("--extend-select", "ARC", "src/pkg/tools.py", cwd=project)
    assert extended.stdout.splitlines() == [arc, f401]
    # An explicit --select leaves ARC out unless --extend-select brings it back.
    assert flake8("--select", "F", "src/pkg/tools.py", cwd=project).stdout.splitlines() == [f401]
    both = flake8("--select", "F", "--extend-select", "ARC", "src/pkg/tools.py", cwd=project)
    assert both.stdout.splitlines() == [arc, f401]
    only_one = flake8("--select", "ARC104", "src/pkg/tools.py", "src/pkg/forms.py", cwd=project)
    assert only_one.stdout.splitlines() == [arc]


# --- which project a file belongs to ---------------------------------------------------------

OUTSIDE_SOURCE = "import pkg.old\nimport pkg.gone\nimportlib.import_module('pkg.old')\n"


def test_a_file_outside_any_archlint_project_gets_nothing(tmp_path: Path):
    write_tree(
        tmp_path,
        {
            "loose/script.py": OUTSIDE_SOURCE,
            # A pyproject.toml without [tool.archlint] does not make a project.
            "other/pyproject.toml": '[project]\nname = "other"\n\n[tool.ruff]\nline-length = 99\n',
            "other/src/pkg/mod.py": OUTSIDE_SOURCE,
        },
    )
    for cwd, path in ((tmp_path / "loose", "script.py"), (tmp_path / "other", "src/pkg/mod.py")):
        result = flake8("--select", "ARC", path, cwd=cwd)
        assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
        result = flake8(
            "--select", "ARC", "--stdin-display-name", path, "-", cwd=cwd, stdin=OUTSIDE_SOURCE
        )
        assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_archlint_root_overrides_discovery(project: Path, tmp_path: Path):
    write_tree(tmp_path, {"loose/script.py": OUTSIDE_SOURCE})
    result = flake8(
        "--select", "ARC", "--archlint-root", str(project), "script.py", cwd=tmp_path / "loose"
    )
    assert result.stdout.splitlines() == [
        f"script.py:1:1: ARC001 pkg.old is {SINCE} (moved); use: import pkg.new",
        f"script.py:2:1: ARC002 {GONE}",
        f"script.py:3:25: ARC003 string 'pkg.old' passed to importlib.import_module() names "
        f"pkg.old, {SINCE} (moved); use: 'pkg.new'",
    ]
    assert result.returncode == 1


def test_archlint_root_wins_over_the_project_a_file_is_in(project: Path, tmp_path: Path):
    """A file of a project with broken contracts, checked against the rules of another one."""
    broken = make_project(
        tmp_path / "broken",
        {
            "contracts/c.toml": "[[contracts]\n",
            "src/pkg/__init__.py": "",
            "src/pkg/m.py": "import pkg.old\n",
        },
    )
    own = flake8("--select", "ARC", "src/pkg/m.py", cwd=broken)
    assert [line.split(": ")[1] for line in own.stdout.splitlines()] == [
        "ARC900 archlint could not load its contracts"
    ]
    other = flake8("--select", "ARC", "--archlint-root", str(project), "src/pkg/m.py", cwd=broken)
    assert other.stdout.splitlines() == [
        f"src/pkg/m.py:1:1: ARC001 pkg.old is {SINCE} (moved); use: import pkg.new"
    ]


def test_archlint_root_without_a_project_is_arc900_not_a_crash(tmp_path: Path):
    write_tree(tmp_path, {"empty/.keep": "", "script.py": "import os\n"})
    result = flake8("--select", "ARC", "--archlint-root", "empty", "script.py", cwd=tmp_path)
    (line,) = result.stdout.splitlines()
    assert line.startswith("script.py:1:1: ARC900 archlint could not load its contracts: ")
    assert result.returncode == 1


# --- contracts that cannot be loaded ---------------------------------------------------------

BROKEN_PROJECT_FILES = {
    "src/pkg/__init__.py": "",
    "src/pkg/a.py": "import os\nimport pkg.b\n",
    "src/pkg/b.py": "x = 1\n",
    "src/pkg/bad.py": "def broken(:\n    pass\n",
}


def test_malformed_contract_file_is_one_arc900_per_file(tmp_path: Path):
    root = make_project(
        tmp_path, {"contracts/broken.toml": '[[contracts]]\nid = "x\n', **BROKEN_PROJECT_FILES}
    )
    result = flake8("--select", "ARC,F,E9", "src", cwd=root)
    head = (
        "1:1: ARC900 archlint could not load its contracts: "
        "contracts/broken.toml:2: malformed TOML: "
    )
    found = by_file(result.stdout)
    assert sorted(found) == [
        "src/pkg/__init__.py",
        "src/pkg/a.py",
        "src/pkg/b.py",
        "src/pkg/bad.py",
    ]
    for path in ("src/pkg/__init__.py", "src/pkg/a.py", "src/pkg/b.py"):
        arc900 = [line for line in found[path] if " ARC900 " in line]
        assert len(arc900) == 1
        assert arc900[0].startswith(head) and len(arc900[0]) > len(head)
    # flake8's own checks still run on the same files.
    assert found["src/pkg/a.py"][1:] == [
        "1:1: F401 'os' imported but unused",
        "2:1: F401 'pkg.b' imported but unused",
    ]
    assert found["src/pkg/b.py"] == found["src/pkg/__init__.py"]
    (syntax_error,) = found["src/pkg/bad.py"]
    assert " E999 SyntaxError: " in syntax_error
    assert result.returncode == 1
    assert result.stderr == ""


def test_unknown_contract_type_is_one_arc900_per_file(tmp_path: Path):
    contracts = '[[contracts]]\nid = "x"\ntype = "nope"\nmodules = ["pkg"]\n'
    root = make_project(tmp_path, {"contracts/c.toml": contracts, **BROKEN_PROJECT_FILES})
    result = flake8("--select", "ARC,F", "src/pkg/a.py", "src/pkg/b.py", cwd=root)
    known = ", ".join(model.CONTRACT_TYPES)
    arc900 = (
        "1:1: ARC900 archlint could not load its contracts: contracts/c.toml:3: contract 'x': "
        f"type: unknown contract type 'nope'; known types: {known}"
    )
    assert by_file(result.stdout) == {
        "src/pkg/a.py": [
            arc900,
            "1:1: F401 'os' imported but unused",
            "2:1: F401 'pkg.b' imported but unused",
        ],
        "src/pkg/b.py": [arc900],
    }
    assert result.returncode == 1
    assert result.stderr == ""
    # The same on stdin, and in parallel: still exactly one per file.
    text = (root / "src/pkg/b.py").read_text()
    on_stdin = flake8(
        "--select", "ARC", "--stdin-display-name", "src/pkg/b.py", "-", cwd=root, stdin=text
    )
    assert on_stdin.stdout.splitlines() == [f"src/pkg/b.py:{arc900}"]
    parallel = flake8("--select", "ARC", "-j", "2", "src", cwd=root)
    assert [line.split(":", 1)[1] for line in parallel.stdout.splitlines()] == [arc900] * 3
