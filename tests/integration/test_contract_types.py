"""import-linter's five contract types, written in archlint's TOML and checked four ways.

Every case builds a small project and checks it

- in-process (``open_project`` + ``check``),
- with the real ``archlint check`` executable (text output, exit status),
- with the real ``lint-imports`` executable on ``archlint compile --format toml``, and
- the same on ``archlint compile --format ini``,

and each way must reach the same verdict on every contract. A broken contract must name the
chain of imports with their line numbers. No run may end in a traceback.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from archlint.adapters import render_text
from archlint.application.check import check
from archlint.application.project import open_project
from archlint.domain.errors import ConfigError
from archlint.domain.results import CheckReport

from ..helpers import BIN, bare_lint_imports, make_project, run

CHECKERS = ("in-process", "archlint-check", "lint-imports-toml", "lint-imports-ini")

#: One link of an expected chain: importer, imported, line numbers.
LinkSpec = tuple[str, str, tuple[int, ...]]


# --- building projects ---------------------------------------------------------------------


def module(*imports: str) -> str:
    """The text of a module whose first import is on line 3, the next on line 4, and so on."""
    return '"""A module."""\n\n' + "".join(f"{line}\n" for line in imports)


#: pkg.high, pkg.mid and pkg.low, one module each, importing nothing.
BASE: dict[str, str] = {
    "src/pkg/__init__.py": "",
    "src/pkg/high/__init__.py": "",
    "src/pkg/high/y.py": module(),
    "src/pkg/mid/__init__.py": "",
    "src/pkg/mid/m.py": module(),
    "src/pkg/low/__init__.py": "",
    "src/pkg/low/x.py": module(),
}

#: Two more children of pkg, for layers with siblings.
SIBLINGS: dict[str, str] = {
    "src/pkg/left/__init__.py": "",
    "src/pkg/left/a.py": module(),
    "src/pkg/right/__init__.py": "",
    "src/pkg/right/b.py": module(),
}

#: ``import pkg.high.y`` on line 3 of ``pkg.low.x``: the break most cases use.
LOW_IMPORTS_HIGH = {"src/pkg/low/x.py": module("import pkg.high.y")}


def contract(cid: str, body: str) -> str:
    """One ``[[contracts]]`` table; its name is ``Rule <id>`` (what lint-imports prints)."""
    return f'[[contracts]]\nid = "{cid}"\nname = "Rule {cid}"\n{textwrap.dedent(body).strip()}\n\n'


def build(
    root: Path,
    files: Mapping[str, str],
    contracts: str,
    *,
    root_packages: Sequence[str] = ("pkg",),
    settings: str = "",
) -> Path:
    """A project with ``files`` (over :data:`BASE` when the root package is ``pkg``)."""
    base = BASE if tuple(root_packages) == ("pkg",) else {}
    return make_project(
        root,
        {**base, **files, "contracts/rules.toml": contracts},
        root_packages=root_packages,
        extra_settings=settings,
    )


# --- running -------------------------------------------------------------------------------


def cli(
    args: Sequence[str], cwd: Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a real executable; whatever its status, it must not end in a traceback."""
    proc = run(args, cwd=cwd, env=env)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    return proc


#: The line of the compiled header that says how to run it.
_RUN_LINE = re.compile(
    r"^# Run from the project folder[^:]*: (?:PYTHONPATH=(\S+) )?lint-imports (.+)$"
)


def compiled_command(text: str) -> tuple[str | None, list[str]]:
    """The ``PYTHONPATH`` and the arguments the compiled header tells a user to run."""
    match = next(m for m in map(_RUN_LINE.match, text.splitlines()) if m)
    return match.group(1), match.group(2).split()


def lint_imports(project: Path, fmt: str) -> subprocess.CompletedProcess[str]:
    """``archlint compile --format FMT -o FILE`` then plain ``lint-imports``, run exactly as the
    compiled header says: from an environment without archlint when the header says archlint
    is not needed, else from the tests' own."""
    config = project / f"importlinter.{fmt}"
    compiled = cli(["archlint", "compile", "--format", fmt, "-o", str(config)], cwd=project)
    assert compiled.returncode == 0, compiled.stderr
    text = config.read_text(encoding="utf-8")
    python_path, args = compiled_command(text)
    bare = "archlint need not be installed" in text
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if python_path:
        env["PYTHONPATH"] = python_path
    proc = subprocess.run(
        [str(bare_lint_imports() if bare else BIN / "lint-imports"), *args, "--no-cache"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = proc.stdout + proc.stderr
    assert "Traceback" not in output and "DeprecationWarning" not in output, output
    return proc


@dataclass
class Outcome:
    """What one way of checking said: the verdict per contract id, and the text it printed."""

    verdicts: dict[str, bool]
    text: str
    report: CheckReport | None = None


def text_verdicts(stdout: str) -> dict[str, bool]:
    """``archlint check``'s verdict lines (``KEPT   id: name [type]``), by contract id."""
    found = re.findall(r"^(KEPT|BROKEN)\s+([a-z0-9_-]+): ", stdout, re.M)
    return {cid: verdict == "KEPT" for verdict, cid in found}


def run_checker(checker: str, project: Path) -> Outcome:
    """Check ``project`` one way; the exit status must agree with the verdicts."""
    if checker == "in-process":
        report = check(open_project(root=project), use_cache=False)
        verdicts = {r.contract.id: r.kept for r in report.results}
        return Outcome(verdicts, render_text.render_check(report), report)
    if checker == "archlint-check":
        proc = cli(["archlint", "check", "--no-cache"], cwd=project)
        verdicts = text_verdicts(proc.stdout)
    else:
        proc = lint_imports(project, checker.rsplit("-", 1)[1])
        found = re.findall(r"^Rule (\S+) (KEPT|BROKEN)\b", proc.stdout, re.M)
        verdicts = {cid: verdict == "KEPT" for cid, verdict in found}
    assert verdicts, proc.stdout + proc.stderr
    expected_status = 0 if all(verdicts.values()) else 1
    assert proc.returncode == expected_status, proc.stdout + proc.stderr
    return Outcome(verdicts, proc.stdout)


def shows_link(link: LinkSpec, text: str) -> bool:
    """True when ``text`` prints the link as archlint and import-linter do: ``a -> b (l.3)``,
    perhaps with more about the import after the lines (``l.3, under TYPE_CHECKING``)."""
    importer, imported, lines = link
    numbers = ", ".join(f"l.{n}" for n in lines)
    pattern = re.escape(f"{importer} -> {imported} ({numbers}") + r"[,)]"
    return re.search(pattern, text) is not None


def assert_chain(outcome: Outcome, checker: str, chain: Sequence[LinkSpec], shows: bool) -> None:
    """The first chain of the first violation is ``chain`` (in-process), and every way of
    checking that prints chains prints each of its links with line numbers."""
    if outcome.report is not None:
        broken = outcome.report.broken[0]
        links = broken.violations[0].chains[0].links
        assert [(x.importer, x.imported, x.line_numbers) for x in links] == list(chain)
    if checker in ("in-process", "archlint-check") or shows:
        for link in chain:
            assert shows_link(link, outcome.text), outcome.text


# --- 1. each contract type, kept and broken ------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One contract in one project, and the verdict every way of checking must reach."""

    id: str
    body: str
    kept: bool
    files: Mapping[str, str] = field(default_factory=dict)
    #: The first chain of the first violation, when broken.
    chain: tuple[LinkSpec, ...] = ()
    settings: str = ""
    #: Further text ``archlint check`` must print.
    text: tuple[str, ...] = ()
    #: Whether lint-imports prints the chain too (not for acyclic_siblings).
    importlinter_shows_chain: bool = True


LAYERS = 'type = "layers"\ncontainers = ["pkg"]\nlayers = ["high", "mid", "low"]'
INDEPENDENT_SIBLINGS = (
    'type = "layers"\ncontainers = ["pkg"]\nlayers = ["high", "left | right", "low"]'
)
DEPENDENT_SIBLINGS = (
    'type = "layers"\ncontainers = ["pkg"]\nlayers = ["high", "left : right", "low"]'
)
EXHAUSTIVE = LAYERS + "\nexhaustive = true"
INDEPENDENCE = 'type = "independence"\nmodules = ["pkg.low", "pkg.high"]'
FORBIDDEN = 'type = "forbidden"\nsource_modules = ["pkg.low"]\nforbidden_modules = ["pkg.high"]'
FORBIDDEN_JSON = 'type = "forbidden"\nsource_modules = ["pkg.low"]\nforbidden_modules = ["json"]'
PROTECTED = 'type = "protected"\nprotected_modules = ["pkg.high"]\nallowed_importers = ["pkg.mid"]'
ACYCLIC_SIBLINGS = 'type = "acyclic_siblings"\nancestors = ["pkg"]'
INDEPENDENCE_EXTERNAL = 'type = "independence"\nmodules = ["pkg.low", "json"]'
PROTECTED_EXTERNAL = (
    'type = "protected"\nprotected_modules = ["json"]\nallowed_importers = ["pkg.mid"]'
)

DOWNWARDS = {
    "src/pkg/high/y.py": module("import pkg.mid.m"),
    "src/pkg/mid/m.py": module("import pkg.low.x"),
}
VIA_MID = {
    "src/pkg/low/x.py": module("import pkg.mid.m"),
    "src/pkg/mid/m.py": module("import pkg.high.y"),
}
VIA_MID_CHAIN = (("pkg.low.x", "pkg.mid.m", (3,)), ("pkg.mid.m", "pkg.high.y", (3,)))
LOW_TO_HIGH = (("pkg.low.x", "pkg.high.y", (3,)),)
EXTERNAL = "include_external_packages = true\n"

CASES = [
    Case("layers-kept", LAYERS, True, DOWNWARDS),
    Case("layers-broken", LAYERS, False, {**DOWNWARDS, **LOW_IMPORTS_HIGH}, LOW_TO_HIGH),
    Case(
        "layers-independent-siblings-kept",
        INDEPENDENT_SIBLINGS,
        True,
        {
            **SIBLINGS,
            "src/pkg/high/y.py": module("import pkg.left.a", "import pkg.right.b"),
            "src/pkg/left/a.py": module("import pkg.low.x"),
            "src/pkg/right/b.py": module("import pkg.low.x"),
        },
    ),
    Case(
        "layers-independent-siblings-broken",
        INDEPENDENT_SIBLINGS,
        False,
        {**SIBLINGS, "src/pkg/left/a.py": module("from pkg.right import b")},
        (("pkg.left.a", "pkg.right.b", (3,)),),
    ),
    Case(
        "layers-dependent-siblings-kept",
        DEPENDENT_SIBLINGS,
        True,
        {
            **SIBLINGS,
            "src/pkg/left/a.py": module("from pkg.right import b"),
            "src/pkg/right/b.py": module("import pkg.left.a"),
        },
    ),
    Case(
        "layers-dependent-siblings-broken",
        DEPENDENT_SIBLINGS,
        False,
        {
            **SIBLINGS,
            "src/pkg/left/a.py": module("from pkg.right import b"),
            "src/pkg/right/b.py": module("import pkg.high.y"),
        },
        (("pkg.right.b", "pkg.high.y", (3,)),),
    ),
    Case(
        "layers-exhaustive-kept",
        EXHAUSTIVE + '\nexhaustive_ignores = ["extra"]',
        True,
        {"src/pkg/extra.py": module()},
    ),
    Case(
        "layers-exhaustive-broken",
        EXHAUSTIVE,
        False,
        {"src/pkg/extra.py": module()},
        text=("not listed as a layer (the contract is exhaustive): pkg.extra",),
    ),
    Case(
        "independence-kept",
        INDEPENDENCE,
        True,
        {"src/pkg/mid/m.py": module("import pkg.low.x", "import pkg.high.y")},
    ),
    Case("independence-broken", INDEPENDENCE, False, VIA_MID, VIA_MID_CHAIN),
    Case("forbidden-kept", FORBIDDEN, True, {"src/pkg/high/y.py": module("import pkg.low.x")}),
    Case("forbidden-broken", FORBIDDEN, False, LOW_IMPORTS_HIGH, LOW_TO_HIGH),
    Case(
        "forbidden-indirect-allowed-kept",
        FORBIDDEN + "\nallow_indirect_imports = true",
        True,
        VIA_MID,
    ),
    Case("forbidden-indirect-broken", FORBIDDEN, False, VIA_MID, VIA_MID_CHAIN),
    Case(
        "forbidden-external-kept",
        FORBIDDEN_JSON,
        True,
        {
            "src/pkg/low/x.py": module("import email.message"),
            "src/pkg/high/y.py": module("import json"),
        },
        settings=EXTERNAL,
    ),
    Case(
        "forbidden-external-broken",
        FORBIDDEN_JSON,
        False,
        {"src/pkg/low/x.py": module("import json")},
        (("pkg.low.x", "json", (3,)),),
        settings=EXTERNAL,
    ),
    Case(
        "independence-external-kept",
        INDEPENDENCE_EXTERNAL,
        True,
        {"src/pkg/high/y.py": module("import json"), "src/pkg/mid/m.py": module("import csv")},
        settings=EXTERNAL,
    ),
    Case(
        "independence-external-broken",
        INDEPENDENCE_EXTERNAL,
        False,
        {"src/pkg/low/x.py": module("import json")},
        (("pkg.low.x", "json", (3,)),),
        settings=EXTERNAL,
    ),
    Case(
        "protected-external-kept",
        PROTECTED_EXTERNAL,
        True,
        {"src/pkg/mid/m.py": module("import json.decoder")},
        settings=EXTERNAL,
    ),
    Case(
        "protected-external-broken",
        PROTECTED_EXTERNAL,
        False,
        {"src/pkg/mid/m.py": module("import json"), "src/pkg/low/x.py": module("import json")},
        (("pkg.low.x", "json", (3,)),),
        settings=EXTERNAL,
    ),
    Case("protected-kept", PROTECTED, True, {"src/pkg/mid/m.py": module("import pkg.high.y")}),
    Case(
        "protected-broken",
        PROTECTED,
        False,
        {"src/pkg/mid/m.py": module("import pkg.high.y"), **LOW_IMPORTS_HIGH},
        LOW_TO_HIGH,
    ),
    Case("acyclic-siblings-kept", ACYCLIC_SIBLINGS, True, DOWNWARDS),
    Case(
        "acyclic-siblings-broken",
        ACYCLIC_SIBLINGS,
        False,
        {"src/pkg/high/y.py": module("import pkg.low.x"), **LOW_IMPORTS_HIGH},
        (("pkg.high.y", "pkg.low.x", (3,)), ("pkg.low.x", "pkg.high.y", (3,))),
        text=("cycle in pkg",),
        importlinter_shows_chain=False,
    ),
]


@pytest.mark.parametrize("checker", CHECKERS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_contract_type(case: Case, checker: str, tmp_path: Path) -> None:
    project = build(tmp_path, case.files, contract(case.id, case.body), settings=case.settings)
    outcome = run_checker(checker, project)
    assert outcome.verdicts == {case.id: case.kept}
    if case.chain:
        assert_chain(outcome, checker, case.chain, case.importlinter_shows_chain)
    if checker in ("in-process", "archlint-check"):
        for text in case.text:
            assert text in outcome.text, outcome.text


def test_cases_cover_every_import_linter_type_kept_and_broken() -> None:
    seen = {(re.search(r'type = "(\w+)"', c.body)[1], c.kept) for c in CASES}  # type: ignore[index]
    types = ("layers", "independence", "forbidden", "protected", "acyclic_siblings")
    assert seen == {(t, kept) for t in types for kept in (True, False)}


# --- 2. ignore_imports ---------------------------------------------------------------------

IGNORING = {
    "src/pkg/low/x.py": module("import pkg.high.y"),
    "src/pkg/low/sub/__init__.py": "",
    "src/pkg/low/sub/deep.py": module("from pkg.high import y"),
}


@pytest.mark.parametrize("checker", CHECKERS)
@pytest.mark.parametrize("ignored", [True, False], ids=["ignored", "not-ignored"])
def test_ignore_imports_with_wildcards(ignored: bool, checker: str, tmp_path: Path) -> None:
    body = FORBIDDEN + ('\nignore_imports = ["pkg.low.** -> pkg.high.*"]' if ignored else "")
    project = build(tmp_path, IGNORING, contract("forbid", body))
    outcome = run_checker(checker, project)
    assert outcome.verdicts == {"forbid": ignored}
    if outcome.report is not None:
        assert outcome.report.results[0].ignored_import_count == (2 if ignored else 0)


def test_ignore_imports_matching_nothing_is_a_configuration_error(tmp_path: Path) -> None:
    body = FORBIDDEN + '\nignore_imports = ["pkg.high.** -> pkg.low.*"]'
    project = build(tmp_path, LOW_IMPORTS_HIGH, contract("forbid", body))
    proc = cli(["archlint", "check", "--no-cache"], cwd=project)
    assert proc.returncode == 2
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, proc.stderr
    assert "contracts/rules.toml" in errors[0]
    assert "contract 'forbid'" in errors[0]
    assert "ignore_imports" in errors[0]
    assert "pkg.high.** -> pkg.low.*" in errors[0]
    assert "BROKEN" not in proc.stdout and "KEPT" not in proc.stdout

    with pytest.raises(ConfigError) as raised:
        check(open_project(root=project), use_cache=False)
    assert [p.field for p in raised.value.problems] == ["ignore_imports"]


# --- 3. exclude_type_checking_imports ------------------------------------------------------

TYPE_CHECKING_ONLY = {
    "src/pkg/low/x.py": module(
        "from typing import TYPE_CHECKING",
        "",
        "if TYPE_CHECKING:",
        "    import pkg.high.y",
    )
}


def _type_checking_settings(exclude: bool) -> str:
    return f"exclude_type_checking_imports = {str(exclude).lower()}\n"


@pytest.mark.parametrize("checker", CHECKERS)
@pytest.mark.parametrize(
    ("global_exclude", "own_exclude", "kept"),
    [
        (True, None, True),
        (False, None, False),
        (False, True, True),
        (True, False, False),
    ],
    ids=["global-excluded", "global-counted", "own-excluded", "own-counted"],
)
def test_exclude_type_checking_imports(
    global_exclude: bool, own_exclude: bool | None, kept: bool, checker: str, tmp_path: Path
) -> None:
    body = FORBIDDEN
    if own_exclude is not None:
        body += f"\nexclude_type_checking_imports = {str(own_exclude).lower()}"
    project = build(
        tmp_path,
        TYPE_CHECKING_ONLY,
        contract("forbid", body),
        settings=_type_checking_settings(global_exclude),
    )
    outcome = run_checker(checker, project)
    assert outcome.verdicts == {"forbid": kept}
    if not kept:
        assert_chain(outcome, checker, [("pkg.low.x", "pkg.high.y", (6,))], shows=True)


@pytest.mark.parametrize("checker", CHECKERS)
@pytest.mark.parametrize("global_exclude", [True, False], ids=["global-true", "global-false"])
def test_exclude_type_checking_imports_per_contract_beside_the_global(
    global_exclude: bool, checker: str, tmp_path: Path
) -> None:
    """One contract overrides the global option, an identical one follows it: each is checked
    on its own graph, in one run."""
    own = f"\nexclude_type_checking_imports = {str(not global_exclude).lower()}"
    contracts = contract("own", FORBIDDEN + own) + contract("default", FORBIDDEN)
    project = build(
        tmp_path,
        TYPE_CHECKING_ONLY,
        contracts,
        settings=_type_checking_settings(global_exclude),
    )
    outcome = run_checker(checker, project)
    assert outcome.verdicts == {"own": not global_exclude, "default": global_exclude}


def test_compiled_per_contract_option_uses_archlint_wrapper_type(tmp_path: Path) -> None:
    contracts = contract("own", FORBIDDEN + "\nexclude_type_checking_imports = true")
    contracts += contract("default", FORBIDDEN)
    project = build(
        tmp_path, TYPE_CHECKING_ONLY, contracts, settings=_type_checking_settings(False)
    )
    proc = cli(["archlint", "compile", "--format", "toml"], cwd=project)
    assert proc.returncode == 0
    assert 'type = "archlint_forbidden"' in proc.stdout
    assert 'type = "forbidden"' in proc.stdout


# --- 4. real package layouts ---------------------------------------------------------------


@pytest.mark.parametrize("checker", CHECKERS)
def test_namespace_subpackage_inside_a_regular_package(checker: str, tmp_path: Path) -> None:
    files = {
        "src/pkg/feature_ns/a.py": module("import pkg.high.y"),
        "src/pkg/feature_ns/inner/b.py": module("from pkg.low import x"),
    }
    contracts = (
        contract(
            "ns-not-high",
            'type = "forbidden"\nsource_modules = ["pkg.feature_ns"]\n'
            'forbidden_modules = ["pkg.high"]',
        )
        + contract(
            "ns-independent", 'type = "independence"\nmodules = ["pkg.feature_ns", "pkg.low"]'
        )
        + contract(
            "ns-not-mid",
            'type = "forbidden"\nsource_modules = ["pkg.feature_ns"]\n'
            'forbidden_modules = ["pkg.mid"]',
        )
    )
    project = build(tmp_path, files, contracts)
    outcome = run_checker(checker, project)
    assert outcome.verdicts == {"ns-not-high": False, "ns-independent": False, "ns-not-mid": True}
    assert_chain(outcome, checker, [("pkg.feature_ns.a", "pkg.high.y", (3,))], shows=True)
    assert shows_link(("pkg.feature_ns.inner.b", "pkg.low.x", (3,)), outcome.text)


@pytest.mark.parametrize("checker", CHECKERS)
def test_two_root_packages(checker: str, tmp_path: Path) -> None:
    files = {
        "src/alpha/__init__.py": "",
        "src/alpha/x.py": module("import beta.y"),
        "src/beta/__init__.py": "",
        "src/beta/y.py": module(),
    }
    contracts = contract(
        "alpha-not-beta",
        'type = "forbidden"\nsource_modules = ["alpha"]\nforbidden_modules = ["beta"]',
    ) + contract(
        "beta-not-alpha",
        'type = "forbidden"\nsource_modules = ["beta"]\nforbidden_modules = ["alpha"]',
    )
    project = build(tmp_path, files, contracts, root_packages=("alpha", "beta"))
    outcome = run_checker(checker, project)
    assert outcome.verdicts == {"alpha-not-beta": False, "beta-not-alpha": True}
    assert_chain(outcome, checker, [("alpha.x", "beta.y", (3,))], shows=True)


@pytest.mark.parametrize("checker", CHECKERS)
def test_stray_src_init_does_not_change_module_names(checker: str, tmp_path: Path) -> None:
    files = {"src/__init__.py": "", "src/pkg/low/x.py": module("from ..high import y")}
    project = build(tmp_path, files, contract("forbid", FORBIDDEN))
    outcome = run_checker(checker, project)
    assert outcome.verdicts == {"forbid": False}
    assert_chain(outcome, checker, [("pkg.low.x", "pkg.high.y", (3,))], shows=True)
    assert "src.pkg" not in outcome.text


# --- 5 and 6. selecting contracts, output formats ------------------------------------------

THREE_CONTRACTS = contract("low-not-high", FORBIDDEN) + (
    contract(
        "low-not-mid",
        'type = "forbidden"\nsource_modules = ["pkg.low"]\nforbidden_modules = ["pkg.mid"]',
    )
    + contract(
        "high-not-low",
        'type = "forbidden"\nsource_modules = ["pkg.high"]\nforbidden_modules = ["pkg.low"]',
    )
)
LOW_IMPORTS_TWO = {"src/pkg/low/x.py": module("import pkg.high.y", "from pkg.mid import m")}


@pytest.fixture
def three(tmp_path: Path) -> Path:
    """Two contracts broken (at lines 3 and 4 of pkg/low/x.py), one kept."""
    return build(tmp_path, LOW_IMPORTS_TWO, THREE_CONTRACTS)


@pytest.mark.parametrize(
    ("ids", "status", "verdicts"),
    [
        (["high-not-low"], 0, {"high-not-low": True}),
        (["low-not-mid"], 1, {"low-not-mid": False}),
        (["high-not-low", "low-not-high"], 1, {"low-not-high": False, "high-not-low": True}),
    ],
)
def test_check_only_the_named_contracts(
    three: Path, ids: list[str], status: int, verdicts: dict[str, bool]
) -> None:
    args = ["archlint", "check", "--no-cache"]
    for cid in ids:
        args += ["--contract", cid]
    proc = cli(args, cwd=three)
    assert proc.returncode == status, proc.stdout + proc.stderr
    assert text_verdicts(proc.stdout) == verdicts

    report = check(open_project(root=three), ids, use_cache=False)
    assert {r.contract.id: r.kept for r in report.results} == verdicts


def test_check_unknown_contract_id(three: Path) -> None:
    proc = cli(["archlint", "check", "--contract", "low-not-hihg"], cwd=three)
    assert proc.returncode == 2
    assert "no contract has the id 'low-not-hihg'" in proc.stderr
    assert "did you mean 'low-not-high'?" in proc.stderr
    assert proc.stdout == ""


def test_format_json(three: Path) -> None:
    proc = cli(["archlint", "check", "--no-cache", "--format", "json"], cwd=three)
    assert proc.returncode == 1
    document = json.loads(proc.stdout)
    assert document["summary"]["contracts"] == 3
    assert document["summary"]["kept"] == 1
    assert document["summary"]["broken"] == 2
    kept = {c["id"]: c["kept"] for c in document["contracts"]}
    assert kept == {"low-not-high": False, "low-not-mid": False, "high-not-low": True}
    first = document["contracts"][0]["violations"][0]["chains"][0][0]
    assert (first["importer"], first["imported"], first["line_numbers"]) == (
        "pkg.low.x",
        "pkg.high.y",
        [3],
    )


def test_format_sarif(three: Path) -> None:
    proc = cli(["archlint", "check", "--no-cache", "--format", "sarif"], cwd=three)
    assert proc.returncode == 1
    document = json.loads(proc.stdout)
    assert document["version"] == "2.1.0"
    results = document["runs"][0]["results"]
    assert len(results) == 2  # one per broken chain
    locations = sorted(
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in results
    )
    assert locations == [("src/pkg/low/x.py", 3), ("src/pkg/low/x.py", 4)]
    assert {r["ruleId"] for r in results} == {"ARC103"}


def test_format_github(three: Path) -> None:
    proc = cli(["archlint", "check", "--no-cache", "--format", "github"], cwd=three)
    assert proc.returncode == 1
    errors = [line for line in proc.stdout.splitlines() if line.startswith("::error ")]
    assert len(errors) == 2
    assert errors[0].startswith("::error file=src/pkg/low/x.py,line=3,")
    assert errors[1].startswith("::error file=src/pkg/low/x.py,line=4,")
    assert "low-not-high" in errors[0] and "low-not-mid" in errors[1]


# --- what compile writes survives both formats ---------------------------------------------


@pytest.mark.parametrize("fmt", ["toml", "ini"])
def test_compiled_text_with_special_characters(fmt: str, tmp_path: Path) -> None:
    """Names and guidance with ``%``, ``:``, ``;``, ``#`` and blank lines reach lint-imports
    intact (INI is read with configparser's interpolation, so ``%`` must be escaped)."""
    body = (
        'name = "Low: 100% below high; #1"\n'
        'why = """Keep it 100% clean: low never imports high.\n\nSee the 50% rule."""\n' + FORBIDDEN
    )
    project = build(tmp_path, LOW_IMPORTS_HIGH, f'[[contracts]]\nid = "pct"\n{body}\n')
    proc = lint_imports(project, fmt)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert re.search(r"^Low: 100% below high; #1 BROKEN$", proc.stdout, re.M), proc.stdout
    assert "Keep it 100% clean: low never imports high." in proc.stdout
    assert "See the 50% rule." in proc.stdout
    assert shows_link(LOW_TO_HIGH[0], proc.stdout)


# --- the cache ------------------------------------------------------------------------------


def test_cached_check_sees_an_edit(tmp_path: Path) -> None:
    project = build(tmp_path, {}, contract("forbid", FORBIDDEN))
    first = cli(["archlint", "check"], cwd=project)
    assert first.returncode == 0, first.stdout + first.stderr
    assert (project / ".archlint_cache").is_dir()

    edited = project / "src/pkg/low/x.py"
    edited.write_text(module("import pkg.high.y"), encoding="utf-8")
    stat = edited.stat()
    os.utime(edited, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    second = cli(["archlint", "check"], cwd=project)
    assert second.returncode == 1, second.stdout + second.stderr
    assert text_verdicts(second.stdout) == {"forbid": False}
    assert shows_link(LOW_TO_HIGH[0], second.stdout)
