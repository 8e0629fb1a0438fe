"""flake8 and ``archlint check`` agree on every direct import that breaks a contract.

flake8 sees one file at a time, so its ARC1xx findings must be exactly the direct imports
(chains of one link) that ``archlint check`` reports on the whole graph, contract by contract,
at the same lines. For ``acyclic`` contracts flake8's side is ARC106, an import whose target
imports the importer back: each such import must lie on a cycle that check reports, and both
imports of every two-module cycle check reports must be flagged.

Both run on a copy of ``examples/bot_v2`` (so that no cache lands in the repository) and on a
project that uses every contract type and option that changes what a direct import means.

A line is the line of the import statement: grimp gives each import the line its statement
starts on, while flake8 points at the imported name, which in a parenthesised multi-line
``from`` import is a later line of the same statement.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from ..helpers import make_project, run

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "bot_v2"

#: The flake8 code of a direct break of each contract type (acyclic_siblings has none).
CODE_OF_TYPE = {
    "layers": "ARC101",
    "independence": "ARC102",
    "forbidden": "ARC103",
    "protected": "ARC104",
    "allowlist": "ARC105",
    "acyclic": "ARC106",
}

FINDING = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+):\d+: (?P<code>ARC1\d\d) "
    r".*? breaks contract '(?P<contract>[^']+)'"
)

Site = tuple[str, int]


def no_traceback(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


def statement_lines(path: Path) -> dict[int, int]:
    """Each line of each import statement in ``path`` -> the line the statement starts on."""
    lines: dict[int, int] = {}
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for number in range(node.lineno, (node.end_lineno or node.lineno) + 1):
                lines[number] = node.lineno
    return lines


def flake8_sites(root: Path, source: str = "src") -> dict[str, dict[str, set[Site]]]:
    """``{contract: {code: {(file, statement line)}}}`` from ``flake8 --select ARC1 src``.

    ``--disable-noqa``: the rules are compared, not what a ``# noqa`` comment hides.
    """
    result = no_traceback(run(["flake8", "--disable-noqa", "--select", "ARC1", source], cwd=root))
    assert result.stderr == ""
    found: dict[str, dict[str, set[Site]]] = defaultdict(lambda: defaultdict(set))
    statements: dict[str, dict[int, int]] = {}
    for line in result.stdout.splitlines():
        match = FINDING.match(line)
        assert match, line
        path, number = Path(match["path"]).as_posix(), int(match["line"])
        if path not in statements:
            statements[path] = statement_lines(root / path)
        assert number in statements[path], f"{line}: not on an import statement"
        found[match["contract"]][match["code"]].add((path, statements[path][number]))
    return found


def check_json(root: Path) -> dict[str, Any]:
    result = no_traceback(run(["archlint", "check", "--format", "json", "--no-cache"], cwd=root))
    assert result.returncode in (0, 1), result.stdout + result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def file_of(root: Path, module: str, source: str = "src") -> str:
    """The file, relative to ``root``, that defines ``module`` below ``source``."""
    base = Path(source, *module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if (root / candidate).is_file():
            return candidate.as_posix()
    raise AssertionError(f"no file for {module}")


def link_sites(root: Path, links: list[dict[str, Any]], source: str = "src") -> set[Site]:
    return {
        (file_of(root, link["importer"], source), n) for link in links for n in link["line_numbers"]
    }


def compare(root: Path, source: str = "src") -> dict[str, set[Site]]:
    """Assert that both sides agree on every contract; return the direct sites compared."""
    document = check_json(root)
    flagged = flake8_sites(root, source)
    contracts = {c["id"]: c for c in document["contracts"]}
    assert set(flagged) <= set(contracts), "flake8 names a contract check does not know"
    compared: dict[str, set[Site]] = {}
    for cid, contract in contracts.items():
        chains = [chain for v in contract["violations"] for chain in v["chains"]]
        codes = flagged.get(cid, {})
        expected_code = CODE_OF_TYPE.get(contract["type"])
        assert set(codes) <= {expected_code}, (cid, set(codes))
        mine = codes.get(expected_code, set()) if expected_code else set()
        if contract["type"] == "acyclic":
            on_cycles = link_sites(root, [link for chain in chains for link in chain], source)
            two_cycles = link_sites(
                root, [link for chain in chains if len(chain) == 2 for link in chain], source
            )
            assert mine <= on_cycles, (cid, mine - on_cycles)
            assert two_cycles <= mine, (cid, two_cycles - mine)
        else:
            direct = link_sites(root, [chain[0] for chain in chains if len(chain) == 1], source)
            assert mine == direct, (
                cid,
                "flake8 only:",
                mine - direct,
                "check only:",
                direct - mine,
            )
        compared[cid] = mine
    return compared


# --- the bundled example ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("example") / "bot_v2"
    shutil.copytree(
        EXAMPLE, root, ignore=shutil.ignore_patterns(".archlint_cache", "__pycache__", ".*_cache")
    )
    return root


def test_example_flake8_and_check_agree(example: Path):
    compared = compare(example)
    # Not a vacuous agreement: the example breaks its contracts with direct imports.
    assert sum(len(sites) for sites in compared.values()) >= 5
    assert {cid for cid, sites in compared.items() if sites} >= {
        "layers",
        "feature-slices",
        "features-not-bot",
        "builder-entry-only",
    }


def test_example_shows_every_code(example: Path):
    result = no_traceback(run(["flake8", "--select", "ARC", "."], cwd=example))
    codes = set(re.findall(r"^\S+:\d+:\d+: (ARC\d{3}) ", result.stdout, re.MULTILINE))
    assert codes >= {"ARC001", "ARC002", "ARC003", "ARC101", "ARC102", "ARC103", "ARC104"}
    assert "ARC900" not in codes
    assert result.returncode == 1
    assert result.stderr == ""


# --- every contract type and option ----------------------------------------------------------

CONTRACTS = """
[[contracts]]
id = "lay"
type = "layers"
containers = ["pkg", "app"]
layers = ["top", "(a) | (b)", "(c) : (d)", "base"]
ignore_imports = ["pkg.base.ign -> pkg.top.**"]

[[contracts]]
id = "plain-layers"
type = "layers"
layers = ["pkg.high", "pkg.mid", "pkg.low"]

[[contracts]]
id = "sides"
type = "independence"
modules = ["pkg.left", "pkg.right"]

[[contracts]]
id = "features"
type = "independence"
modules = ["pkg.features.*"]
exclude_type_checking_imports = true

[[contracts]]
id = "no-secret"
type = "forbidden"
source_modules = ["pkg.left"]
forbidden_modules = ["pkg.secret"]

[[contracts]]
id = "features-not-x"
type = "forbidden"
source_modules = ["pkg.features.**"]
forbidden_modules = ["pkg.top.x"]
as_packages = false

[[contracts]]
id = "core-door"
type = "protected"
protected_modules = ["pkg.core"]
allowed_importers = ["pkg.high"]

[[contracts]]
id = "top-door"
type = "protected"
protected_modules = ["pkg.top.*"]
allowed_importers = ["app"]
as_packages = false

[[contracts]]
id = "right-allow"
type = "allowlist"
source_modules = ["pkg.right"]
allowed_modules = ["pkg.core", "pkg.base"]

[[contracts]]
id = "loops"
type = "acyclic"
packages = ["pkg.loop.*"]

[[contracts]]
id = "loop-siblings"
type = "acyclic_siblings"
ancestors = ["pkg.loop"]
"""

FILES = {
    "src/pkg/__init__.py": "",
    "src/pkg/top/__init__.py": "",
    "src/pkg/top/x.py": "",
    "src/pkg/top/y/__init__.py": "",
    "src/pkg/top/y/z.py": "",
    "src/pkg/a/__init__.py": "from pkg import b\n",
    "src/pkg/b.py": "from pkg.a import thing\n",
    "src/pkg/c.py": "import pkg.d\n",
    "src/pkg/d.py": "import pkg.c\n",
    "src/pkg/base/__init__.py": "",
    "src/pkg/base/ign.py": "import pkg.top.x\n",
    "src/pkg/base/u.py": "import pkg.top.y.z\nimport pkg.a\nfrom .. import c\n",
    "src/pkg/features/__init__.py": "",
    "src/pkg/features/f1/__init__.py": (
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from pkg.features.f2 import q\n"
        "else:\n    import pkg.features.f3\n"
    ),
    "src/pkg/features/f1/deep.py": (
        "from pkg.top import x\nimport pkg.top.y\n\n\nclass K:\n    def m(self):\n"
        "        import pkg.features.f2.q\n"
    ),
    "src/pkg/features/f2/__init__.py": "",
    "src/pkg/features/f2/q.py": "",
    "src/pkg/features/f3.py": "",
    "src/pkg/high/__init__.py": "",
    "src/pkg/high/h1.py": "import pkg.core\n",
    "src/pkg/high/h2.py": "",
    "src/pkg/mid/__init__.py": "",
    "src/pkg/mid/m1.py": "import pkg.high.h1\n",
    "src/pkg/low/__init__.py": "",
    "src/pkg/low/l1.py": "import pkg.high.h1\nimport pkg.high.h2\nfrom pkg.mid import m1\n",
    "src/pkg/low/l2.py": "from pkg.high import h1\n\n\ndef f():\n    from ..high import h2\n",
    "src/pkg/left/__init__.py": "",
    "src/pkg/left/a.py": "from pkg.right import b\nfrom pkg import secret\nimport pkg.core\n",
    "src/pkg/left/a2.py": (
        "import pkg.right.b\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
        "    import pkg.secret\n"
    ),
    "src/pkg/right/__init__.py": "",
    "src/pkg/right/b.py": (
        "import pkg.core\nimport pkg.base\nimport pkg.secret\nimport os\nfrom . import c\n"
    ),
    "src/pkg/right/c.py": "from pkg.left import a\n",
    "src/pkg/secret.py": "",
    "src/pkg/core.py": "",
    "src/pkg/loop/__init__.py": "",
    "src/pkg/loop/one/__init__.py": "",
    "src/pkg/loop/one/p.py": "from . import q\nfrom pkg.loop.one import r\n",
    "src/pkg/loop/one/q.py": "from . import p\n\n\ndef later():\n    from . import p as again\n",
    "src/pkg/loop/one/r.py": "",
    "src/pkg/loop/two/__init__.py": "",
    "src/pkg/loop/two/s.py": "from . import t\nfrom pkg.loop.one import p\n",
    "src/pkg/loop/two/t.py": "from . import u\n",
    "src/pkg/loop/two/u.py": "from . import s\n",
    "src/app/__init__.py": "",
    "src/app/top.py": "",
    "src/app/base.py": "import app.top\nimport pkg.top.x\n",
}


def test_every_contract_type_flake8_and_check_agree(tmp_path: Path):
    root = make_project(
        tmp_path, {"contracts/c.toml": CONTRACTS, **FILES}, root_packages=("pkg", "app")
    )
    compared = compare(root)
    assert {cid for cid, sites in compared.items() if sites} == {
        "lay",
        "plain-layers",
        "sides",
        "features",
        "no-secret",
        "features-not-x",
        "core-door",
        "top-door",
        "right-allow",
        "loops",
    }
    # The lines that only the options decide, as both sides see them.
    assert ("src/pkg/base/ign.py", 1) not in compared["lay"]  # ignore_imports
    assert ("src/pkg/features/f1/__init__.py", 4) not in compared["features"]  # TYPE_CHECKING
    assert ("src/pkg/features/f1/deep.py", 7) in compared["features"]  # in a method
    assert ("src/pkg/left/a2.py", 5) in compared["no-secret"]  # TYPE_CHECKING counts here
    assert ("src/pkg/low/l2.py", 5) in compared["plain-layers"]  # relative, in a function
    assert compared["loops"] == {
        ("src/pkg/loop/one/p.py", 1),
        ("src/pkg/loop/one/q.py", 1),
        ("src/pkg/loop/one/q.py", 5),
    }


# --- a module importing below itself, where the contract does not read modules as packages --


def test_forbidden_not_as_packages_inside_the_source(tmp_path: Path):
    """import-linter skips a source/forbidden pair only when it is one module, if
    ``as_packages = false``: a package importing its own submodule is then a break (Django's
    django/core/management/__init__.py:19 with a contract naming both)."""
    contracts = """
    [[contracts]]
    id = "no-m"
    type = "forbidden"
    source_modules = ["pkg.a"]
    forbidden_modules = ["pkg.a.m"]
    as_packages = false

    [[contracts]]
    id = "no-m-as-packages"
    type = "forbidden"
    source_modules = ["pkg.a"]
    forbidden_modules = ["pkg.a.m"]
    """
    files = {
        "src/pkg/__init__.py": "",
        "src/pkg/a/__init__.py": "import os\nfrom pkg.a import m\n",
        "src/pkg/a/m.py": "",
    }
    root = make_project(tmp_path, {"contracts/c.toml": contracts, **files})
    compared = compare(root)
    assert compared["no-m"] == {("src/pkg/a/__init__.py", 2)}
    # As packages, the two overlap and the pair is skipped, by both.
    assert compared["no-m-as-packages"] == set()


# --- grimp's reading of an import, line by line -----------------------------------------------

GRIMP_CONTRACTS = """
[[contracts]]
id = "lay"
type = "layers"
layers = ["pkg.high", "pkg.low"]

[[contracts]]
id = "door"
type = "protected"
protected_modules = ["pkg.core"]
allowed_importers = ["pkg.high"]
as_packages = false

[[contracts]]
id = "low-allow"
type = "allowlist"
source_modules = ["pkg.low"]
allowed_modules = ["pkg.core", "typing"]
"""

GRIMP_FILES = {
    "src/pkg/__init__.py": "",
    "src/pkg/high/__init__.py": "",
    "src/pkg/high/h.py": "",
    "src/pkg/high/templates/page.html": "",
    "src/pkg/low/__init__.py": "",
    "src/pkg/low/a.py": (
        "import typing\n"
        "import pkg.high.h.render\n"  # 2: no module pkg.high.h.render: grimp takes pkg.high.h
        "from pkg.gone import x\n"  # 3: nor pkg.gone: external to grimp, named 'pkg'
        "if typing.cast(typing.Any, typing).TYPE_CHECKING:\n"
        "    import pkg.high\n"  # 5: under TYPE_CHECKING as grimp reads it
        "import pkg.core\n"
        "from pkg.high import templates\n"  # 7: a folder of no module: pkg.high
    ),
    "src/pkg/low/b.py": "from pkg.core import data\n",  # no module: pkg.core, protected
    "src/pkg/core/__init__.py": "",
    "src/pkg/core/data/table.csv": "",
    "src/pkg/core/sub.py": "from pkg import core\n",  # a submodule importing its package
}


@pytest.mark.parametrize("external", [False, True])
def test_imports_read_as_grimp_reads_them(tmp_path: Path, external: bool):
    settings = (
        "exclude_type_checking_imports = true\n"
        f"include_external_packages = {'true' if external else 'false'}\n"
    )
    root = make_project(
        tmp_path,
        {"contracts/c.toml": GRIMP_CONTRACTS, **GRIMP_FILES},
        extra_settings=settings,
    )
    compared = compare(root)
    low = "src/pkg/low/a.py"
    assert compared["lay"] == {(low, 2), (low, 7)}
    assert compared["door"] == {("src/pkg/core/sub.py", 1), (low, 6), ("src/pkg/low/b.py", 1)}
    # An import of a missing module is in the graph only with external packages.
    assert compared["low-allow"] == {(low, 2), (low, 7)} | ({(low, 3)} if external else set())
