"""check, lint, fix and flake8 agree: the same configuration errors, the same ``# noqa``, the
same place for the same finding. Every test runs the real executables.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ..helpers import make_project, run

PACKAGE = {
    "src/shop/__init__.py": "",
    "src/shop/app.py": "",
    "src/shop/infra.py": "import shop.app\n",
    "src/shop/old.py": "",
    # Any name may be imported from the new module (a module-level __getattr__).
    "src/shop/new.py": "def __getattr__(name): ...\n",
}

LAYERS = """
[[contracts]]
id = "layers"
type = "layers"
containers = ["shop"]
layers = ["app", "infra"]
"""

DEPRECATIONS = """
[[deprecations]]
old = "shop.old"
new = "shop.new"

[[deprecations]]
old = "shop.gone"
why = "dropped"
"""


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.match(r"\S+:\d+:\d+: ARC\d{3} ", line)]


# --- the same configuration errors everywhere ---------------------------------------------------

BAD_CONFIGURATIONS = [
    pytest.param(
        {"root_packages": ("shopp",)},
        {},
        "package 'shopp' not found in the source roots",
        id="root package misspelt",
    ),
    pytest.param(
        {"source_roots": ("source",)},
        {},
        "package 'shop' not found in the source roots: (no source root exists)",
        id="source root that does not exist",
    ),
    pytest.param(
        {},
        {"contracts/layers.toml": LAYERS.replace('"infra"]', '"infrastructure"]')},
        "layer 'infrastructure' in container 'shop': module 'shop.infrastructure' is not in the "
        "project",
        id="layer that does not exist",
    ),
    pytest.param(
        {},
        {
            "contracts/x.toml": '[[contracts]]\nid = "x"\ntype = "forbidden"\n'
            'source_modules = ["shop.ap"]\nforbidden_modules = ["shop.infra"]\n'
        },
        "module 'shop.ap' is not in the project (did you mean 'shop.app'?)",
        id="module that does not exist",
    ),
]


@pytest.mark.parametrize(("settings", "files", "message"), BAD_CONFIGURATIONS)
def test_every_face_rejects_what_check_rejects(
    tmp_path: Path, settings: dict[str, tuple[str, ...]], files: dict[str, str], message: str
) -> None:
    root = make_project(
        tmp_path / "proj",
        files={
            **PACKAGE,
            "contracts/deprecations.toml": DEPRECATIONS,
            **files,
            "src/shop/user.py": "import shop.old\n",
        },
        root_packages=settings.get("root_packages", ("shop",)),
        source_roots=settings.get("source_roots", ("src",)),
    )
    check = run(["archlint", "check"], cwd=root)
    assert check.returncode == 2, check.stdout + check.stderr
    (error,) = [line for line in check.stderr.splitlines() if line.startswith("error: ")]
    assert message in error
    for command in (["lint"], ["lint", "src"], ["fix"], ["fix", "--diff"]):
        result = run(["archlint", *command], cwd=root)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert result.stderr.splitlines()[0] == error, command
        assert "Found" not in result.stdout
    assert (root / "src/shop/user.py").read_text() == "import shop.old\n"
    flake8 = run(["flake8", "--select", "ARC", "src"], cwd=root)
    found = flake8.stdout.splitlines()
    reason = error.removeprefix("error: ")
    # One ARC900 per file, at line 1, saying what check says; nothing else.
    assert len(found) == len(list((root / "src").rglob("*.py")))
    for line in found:
        assert re.fullmatch(
            r"src/shop/\w+\.py:1:1: ARC900 archlint could not load its contracts: "
            + re.escape(reason),
            line,
        ), line


# --- noqa everywhere ---------------------------------------------------------------------------

NOQA_SOURCE = '''\
import shop.old  # noqa:ARC001,ARC002
import shop.old as a  #noqa : arc001
import shop.old as b  # noqa : ARC002
import shop.old as c  # NOQA: ARC0
import shop.old as d  # noqa: arc001
import shop.old as e  # noqa: E501 ARC001
import shop.old as f  # noqa: ARC002
from shop.old import (  # noqa
    x,
)
from shop.old import (
    y,  # noqa: ARC001
)
from shop.gone import (  # noqa: ARC002
    z,
)
import shop.gone as g
from shop.old import w, \\
    v  # noqa
mock.patch("""shop.old.thing""")  # noqa: ARC003
mock.patch("""shop.old.
other""")  # noqa: ARC003
mock.patch("shop.old.third")
import shop.app  # noqa: ARC101
import shop.app as app2
'''

#: What flake8 reports of NOQA_SOURCE (in src/shop/infra.py, below app): archlint lint must
#: say the same.
NOQA_REPORTED = [
    "2:1: ARC001",  # "#" and "noqa" without the space is no comment flake8 reads
    "5:1: ARC001",  # codes are case-sensitive
    "7:1: ARC001",  # another code
    "11:1: ARC001",  # the comment is on a name's line, not the statement's
    "17:1: ARC002",
    "23:12: ARC003",
    "25:1: ARC101",
]


def test_noqa_is_read_as_flake8_reads_it(tmp_path: Path) -> None:
    root = make_project(
        tmp_path / "proj",
        root_packages=("shop",),
        files={
            **PACKAGE,
            "contracts/deprecations.toml": DEPRECATIONS,
            "contracts/layers.toml": LAYERS,
            "src/shop/infra.py": NOQA_SOURCE,
        },
    )
    flake8 = run(["flake8", "--select", "ARC", "src"], cwd=root)
    shown = [
        re.sub(r"^src/shop/infra\.py:(\d+:\d+: ARC\d+) .*", r"\1", x) for x in lines(flake8.stdout)
    ]
    assert shown == NOQA_REPORTED
    lint = run(["archlint", "lint"], cwd=root)
    assert lines(lint.stdout) == lines(flake8.stdout)
    assert lint.returncode == 1
    # Without the comments, every site is reported: the ones above were suppressed, not missed
    # (the string broken over two lines names no module path, so it is not a site).
    bare = run(["flake8", "--select", "ARC", "--disable-noqa", "src"], cwd=root)
    assert len(lines(bare.stdout)) == 16
    assert "src/shop/infra.py:18:1: ARC001" in bare.stdout  # a backslash continuation
    assert "src/shop/infra.py:20:12: ARC003" in bare.stdout  # the comment after a long string


def test_fix_leaves_noqa_lines_alone_and_does_not_count_them(tmp_path: Path) -> None:
    source = (
        "from shop.old import thing  # noqa: ARC001\n"
        "from shop.gone import (  # noqa\n    a,\n    b,\n)\n"
        "from shop.old import other\n"
        'mock.patch("shop.old.x")  # noqa: ARC003\n'
    )
    root = make_project(
        tmp_path / "proj",
        root_packages=("shop",),
        files={**PACKAGE, "contracts/deprecations.toml": DEPRECATIONS, "src/shop/user.py": source},
    )
    result = run(["archlint", "fix"], cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == "Fixed 1 import and 0 strings in 1 file.\n"
    assert (root / "src/shop/user.py").read_text() == source.replace(
        "from shop.old import other", "from shop.new import other"
    )
    assert run(["archlint", "fix"], cwd=root).stdout == "Nothing to fix.\n"
    assert run(["archlint", "lint"], cwd=root).returncode == 0


def test_noqa_hides_a_per_file_break_but_never_a_graph_contract(tmp_path: Path) -> None:
    """``# noqa`` is about a line; a broken contract is about the graph. check still fails:
    accepting a break in the contract is ``ignore_imports``, which lint-imports reads too."""
    root = make_project(
        tmp_path / "proj",
        root_packages=("shop",),
        files={
            **PACKAGE,
            "contracts/layers.toml": LAYERS,
            "src/shop/infra.py": "import shop.app  # noqa\n",
        },
    )
    assert lines(run(["flake8", "--select", "ARC", "src"], cwd=root).stdout) == []
    lint = run(["archlint", "lint"], cwd=root)
    assert lint.returncode == 0 and lines(lint.stdout) == []
    check = run(["archlint", "check"], cwd=root)
    assert check.returncode == 1
    assert "BROKEN" in check.stdout and "shop.infra -> shop.app" in check.stdout


# --- one finding, one place ---------------------------------------------------------------------


def test_a_removed_module_in_a_five_line_import_is_one_finding_and_one_hand_fix(
    tmp_path: Path,
) -> None:
    source = "from shop.gone import (\n    a,\n    b,\n    c,\n)\n"
    root = make_project(
        tmp_path / "proj",
        root_packages=("shop",),
        files={**PACKAGE, "contracts/deprecations.toml": DEPRECATIONS, "src/shop/user.py": source},
    )
    expected = ["src/shop/user.py:1:1: ARC002 shop.gone was removed: dropped"]
    assert lines(run(["flake8", "--select", "ARC", "src"], cwd=root).stdout) == expected
    lint = run(["archlint", "lint"], cwd=root)
    assert lines(lint.stdout) == expected
    assert lint.stdout.endswith("Found 1 finding.\n")
    fix = run(["archlint", "fix"], cwd=root)
    assert fix.returncode == 1
    assert fix.stderr.splitlines() == [
        "src/shop/user.py:1:1: from shop.gone import a, b, c: shop.gone was removed (dropped); "
        "there is no replacement to write"
    ]
    assert fix.stdout == "Fixed 0 imports and 0 strings in 0 files; 1 site needs a hand fix.\n"


def test_eleven_names_from_one_module_are_one_cycle_finding(tmp_path: Path) -> None:
    names = [f"N{i}" for i in range(11)]
    types = "".join(f"{n} = {i}\n" for i, n in enumerate(names)) + "from . import api\n"
    api = "from ._types import (\n" + "".join(f"    {n},\n" for n in names) + ")\n"
    root = make_project(
        tmp_path / "proj",
        root_packages=("shop",),
        files={
            "src/shop/__init__.py": "",
            "src/shop/_types.py": types,
            "src/shop/api.py": api,
            "contracts/c.toml": (
                '[[contracts]]\nid = "acyclic"\ntype = "acyclic"\npackages = ["shop"]\n'
            ),
        },
    )
    flake8 = lines(run(["flake8", "--select", "ARC", "src/shop/api.py"], cwd=root).stdout)
    assert flake8 == [
        "src/shop/api.py:1:1: ARC106 import of shop._types breaks contract 'acyclic': "
        "shop._types imports shop.api back (l.12): a cycle of two modules"
    ]
    lint = run(["archlint", "lint", "src/shop/api.py"], cwd=root)
    assert lines(lint.stdout) == flake8


def test_names_under_one_deprecation_make_one_paste_ready_import(tmp_path: Path) -> None:
    source = "from shop.old import (\n    a,\n    b as c,\n)\n"
    root = make_project(
        tmp_path / "proj",
        root_packages=("shop",),
        files={**PACKAGE, "contracts/deprecations.toml": DEPRECATIONS, "src/shop/user.py": source},
    )
    expected = [
        "src/shop/user.py:1:1: ARC001 shop.old is deprecated; use: from shop.new import a, b as c"
    ]
    assert lines(run(["flake8", "--select", "ARC", "src"], cwd=root).stdout) == expected
    assert lines(run(["archlint", "lint"], cwd=root).stdout) == expected
    fix = run(["archlint", "fix"], cwd=root)
    assert fix.returncode == 0, fix.stderr
    assert (root / "src/shop/user.py").read_text() == source.replace("shop.old", "shop.new")
