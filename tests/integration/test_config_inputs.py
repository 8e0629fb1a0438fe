"""Configuration inputs that crashed archlint or slipped through (issue 9), through the real
``archlint check`` and ``flake8 --select ARC``.

Each case is written like those of :mod:`tests.integration.test_config_errors`: the whole of
stderr is given, line numbers included. Where the plugin reads the same configuration, flake8
must give exactly one ARC900 per file, the same first problem, and never crash.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import make_project, run, write_tree
from tests.integration.test_config_errors import (
    BAD_ID,
    PACKAGE,
    VALID,
    Case,
    assert_config_errors,
    build,
)

LONG = "a" * 300
SHORT = LONG[:57] + "..."
DEEP = "[" * 5000 + "]" * 5000

#: A pyproject whose [tool.archlint] table is fine, to put something else in front of.
SETTINGS = '[tool.archlint]\nroot_packages = ["pkg"]\nsource_roots = ["src"]\n'

CASES = [
    # --- a 'tool' that is not a table ---------------------------------------------------------
    Case(
        "tool-is-an-array-of-tables",
        {"a.toml": VALID},
        (
            "pyproject.toml:1: [tool.archlint] must be a table inside the 'tool' table, "
            "but 'tool' is an array of tables",
        ),
        pyproject='[[tool]]\nname = "x"\n\n' + SETTINGS,
    ),
    Case(
        "tool-is-a-string",
        {"a.toml": VALID},
        (
            "pyproject.toml:2: [tool.archlint] must be a table inside the 'tool' table, "
            "but 'tool' is a string",
        ),
        pyproject='# settings: see [tool.archlint.docs]\ntool = "none"\n',
    ),
    Case(
        "tool-archlint-is-an-array-of-tables",
        {"a.toml": VALID},
        ("pyproject.toml:1: [tool.archlint] must be a table, but it is an array of tables",),
        pyproject='[[tool.archlint]]\nroot_packages = ["pkg"]\n',
    ),
    Case(
        "tool-archlint-is-an-integer",
        {"a.toml": VALID},
        ("pyproject.toml:2: [tool.archlint] must be a table, but it is an integer",),
        pyproject="[tool]\narchlint = 3\n",
    ),
    # --- [tool.archlint] in TOML's other forms: read, with their lines -----------------------
    Case(
        "settings-as-dotted-keys",
        {"a.toml": VALID},
        (
            "pyproject.toml:3: [tool.archlint]: root_package: unknown field (did you mean "
            "'root_packages'?)",
        ),
        pyproject=(
            'tool.archlint.root_packages = ["pkg"]\n'
            'tool.archlint.source_roots = ["src"]\n'
            'tool.archlint.root_package = ["pkg"]\n\n[project]\nname = "x"\n'
        ),
    ),
    Case(
        "settings-as-dotted-keys-under-tool",
        {"a.toml": VALID},
        (
            "pyproject.toml:4: [tool.archlint]: contracts_dir: contracts folder 'nowhere' does "
            "not exist next to pyproject.toml",
        ),
        pyproject=(
            '[tool]\narchlint.root_packages = ["pkg"]\narchlint.source_roots = ["src"]\n'
            'archlint.contracts_dir = "nowhere"\n'
        ),
    ),
    Case(
        "settings-as-inline-table",
        {"a.toml": VALID},
        (
            "pyproject.toml:2: [tool.archlint]: exclude_type_checking_imports: expected a "
            "boolean, got a string (write true or false without quotes)",
        ),
        pyproject="# inline\n"
        + 'tool = {archlint = {root_packages = ["pkg"], source_roots = ["src"], '
        'exclude_type_checking_imports = "yes"}}\n',
    ),
    # --- names the system cannot look up ------------------------------------------------------
    Case(
        "root-package-longer-than-a-file-name",
        {"a.toml": VALID},
        (
            f"pyproject.toml:6: [tool.archlint]: root_packages: cannot look up '{SHORT}' in "
            "source root 'src': File name too long",
        ),
        root_packages=(LONG,),
    ),
    Case(
        "source-root-longer-than-a-file-name",
        {"a.toml": VALID},
        (
            f"pyproject.toml:3: [tool.archlint]: source_roots: cannot look up source root "
            f"'{SHORT}': File name too long",
        ),
        pyproject=f'[tool.archlint]\nroot_packages = ["pkg"]\nsource_roots = ["{LONG}"]\n',
    ),
    Case(
        "contracts-dir-longer-than-a-file-name",
        {"a.toml": VALID},
        (
            f"pyproject.toml:8: [tool.archlint]: contracts_dir: cannot read contracts folder "
            f"'{SHORT}': File name too long",
        ),
        settings=f'contracts_dir = "{LONG}"\n',
    ),
    Case(
        "contracts-dir-is-a-file",
        {"a.toml": VALID},
        ("pyproject.toml:8: [tool.archlint]: contracts_dir: 'contracts/a.toml' is not a folder",),
        settings='contracts_dir = "contracts/a.toml"\n',
    ),
    Case(
        "contracts-dir-absolute",
        {"a.toml": VALID},
        (
            "pyproject.toml:8: [tool.archlint]: contracts_dir: '/etc' is an absolute path: "
            "name a folder inside the project, relative to pyproject.toml",
        ),
        settings='contracts_dir = "/etc"\n',
    ),
    Case(
        "contracts-dir-outside-the-project",
        {"a.toml": VALID},
        (
            "pyproject.toml:8: [tool.archlint]: contracts_dir: 'contracts/../..' lies outside "
            "the project: name a folder inside the project, relative to pyproject.toml",
        ),
        settings='contracts_dir = "contracts/../.."\n',
    ),
    Case(
        "nul-in-a-source-root",
        {"a.toml": VALID},
        ("pyproject.toml:3: [tool.archlint]: source_roots: contains the control character U+0000",),
        pyproject='[tool.archlint]\nroot_packages = ["pkg"]\nsource_roots = ["s\\u0000rc"]\n',
    ),
    # --- nesting that makes the TOML parser recurse -------------------------------------------
    Case(
        "arrays-nested-5000-deep-in-pyproject",
        {"a.toml": VALID},
        ("pyproject.toml:8: malformed TOML: arrays and inline tables nested more than 64 deep",),
        settings=f"extra = {DEEP}\n",
    ),
    Case(
        "arrays-nested-5000-deep-in-a-contract-file",
        {"a.toml": VALID + f"ignore_imports = {DEEP}\n"},
        ("contracts/a.toml:5: malformed TOML: arrays and inline tables nested more than 64 deep",),
    ),
    Case(
        "inline-tables-nested-5000-deep",
        {"a.toml": "x = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n"},
        ("contracts/a.toml:1: malformed TOML: arrays and inline tables nested more than 64 deep",),
    ),
    # --- values that validated with a final newline or a control character -------------------
    Case(
        "id-with-a-final-newline",
        {"a.toml": '[[contracts]]\nid = "ind\\n"\ntype = "acyclic"\npackages = ["pkg"]\n'},
        (f"contracts/a.toml:2: contract #1: id: 'ind\\n' is not a valid id: {BAD_ID}",),
    ),
    Case(
        "module-name-with-a-newline-in-a-part",
        {"a.toml": '[[contracts]]\nid = "a"\ntype = "acyclic"\npackages = ["pkg\\n.a"]\n'},
        ("contracts/a.toml:4: contract 'a': packages: 'pkg\\n.a' is not a dotted module name",),
    ),
    Case(
        "root-package-with-a-newline-in-a-part",
        {"a.toml": VALID},
        (
            "pyproject.toml:6: [tool.archlint]: root_packages: 'pkg\\n.a' is not a dotted module "
            "name",
        ),
        root_packages=("pkg\\n.a",),
    ),
    Case(
        "nul-in-why",
        {"a.toml": VALID + 'why = "a\\u0000b"\n'},
        ("contracts/a.toml:5: contract 'ok': why: contains the control character U+0000",),
    ),
    Case(
        "terminal-escape-in-name",
        {"a.toml": VALID + 'name = "\\u001b[2Jgone"\n'},
        ("contracts/a.toml:5: contract 'ok': name: contains the control character U+001B",),
    ),
    Case(
        "contracts-as-an-inline-array",
        {"a.toml": 'contracts = [{id = "a", type = "acyclic", packages = ["pkg"], bad = 1}]\n'},
        ("contracts/a.toml:1: contract 'a': bad: unknown field",),
    ),
    # --- deprecations that never end ----------------------------------------------------------
    Case(
        "deprecation-cycle-of-two",
        {
            "a.toml": VALID
            + '\n[[deprecations]]\nold = "pkg.c"\nnew = "pkg.d"\n'
            + '\n[[deprecations]]\nold = "pkg.d"\nnew = "pkg.c"\n'
        },
        (
            "contracts/a.toml:8: deprecation 'pkg.c': new: a cycle of deprecations: "
            "pkg.c -> pkg.d -> pkg.c (entries: 'pkg.c' at contracts/a.toml:7, "
            "'pkg.d' at contracts/a.toml:11)",
        ),
    ),
    Case(
        "deprecation-cycle-of-three-across-files",
        {
            "a.toml": VALID + '\n[[deprecations]]\nold = "pkg.c"\nnew = "pkg.d"\n',
            "b.toml": '[[deprecations]]\nold = "pkg.d"\nnew = "pkg.e"\n\n'
            '[[deprecations]]\nold = "pkg.e"\nnew = "pkg.c"\n',
        },
        (
            "contracts/a.toml:8: deprecation 'pkg.c': new: a cycle of deprecations: "
            "pkg.c -> pkg.d -> pkg.e -> pkg.c (entries: 'pkg.c' at contracts/a.toml:7, "
            "'pkg.d' at contracts/b.toml:2, 'pkg.e' at contracts/b.toml:6)",
        ),
    ),
    Case(
        "deprecation-of-a-name-moved-back-by-its-module",
        {
            "a.toml": VALID
            + '\n[[deprecations]]\nold = "pkg.m"\nnew = "pkg.n"\n'
            + '\n[[deprecations]]\nold = "pkg.n.f"\nnew = "pkg.m.f"\n'
        },
        (
            "contracts/a.toml:12: deprecation 'pkg.n.f': new: a cycle of deprecations: "
            "pkg.n.f -> pkg.m.f -> pkg.n.f (entries: 'pkg.n.f' at contracts/a.toml:11, "
            "'pkg.m' at contracts/a.toml:7)",
        ),
    ),
    Case(
        "deprecation-moved-below-itself",
        {"a.toml": VALID + '\n[[deprecations]]\nold = "pkg.c"\nnew = "pkg.c.inner"\n'},
        (
            "contracts/a.toml:8: deprecation 'pkg.c': new: a cycle of deprecations: "
            "pkg.c -> pkg.c.inner, which falls under 'pkg.c' again (entries: 'pkg.c' at "
            "contracts/a.toml:7)",
        ),
    ),
    Case(
        "deprecation-into-a-cycle-is-reported-once",
        {
            "a.toml": VALID
            + '\n[[deprecations]]\nold = "pkg.x"\nnew = "pkg.c"\n'
            + '\n[[deprecations]]\nold = "pkg.c"\nnew = "pkg.d"\n'
            + '\n[[deprecations]]\nold = "pkg.d"\nnew = "pkg.c"\n'
        },
        (
            "contracts/a.toml:12: deprecation 'pkg.c': new: a cycle of deprecations: "
            "pkg.c -> pkg.d -> pkg.c (entries: 'pkg.c' at contracts/a.toml:11, "
            "'pkg.d' at contracts/a.toml:15)",
        ),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_configuration_input(tmp_path: Path, case: Case) -> None:
    project = build(tmp_path / "project", case)
    assert_config_errors(run(["archlint", "check"], cwd=project), list(case.errors))


def test_case_ids_are_unique() -> None:
    assert len({c.id for c in CASES}) == len(CASES)


def flake8_arc900(project: Path) -> list[str]:
    """Run ``flake8 --select ARC src`` in ``project``: one ARC900 per file, and its reasons."""
    result = run(["flake8", "--select", "ARC", "src"], cwd=project)
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    files = sorted(str(Path(p)) for p in PACKAGE)
    assert sorted(line.split(":", 1)[0] for line in lines) == files
    reasons = []
    for line in lines:
        _, _, rest = line.partition(":1:1: ARC900 archlint could not load its contracts: ")
        assert rest, line
        reasons.append(rest)
    return reasons


#: Cases the plugin reads the same way: the settings or the contract files, not the modules.
PLUGIN_CASES = [
    c
    for c in CASES
    if c.id.startswith(
        (
            "tool-",
            "settings-",
            "contracts-dir",
            "arrays-",
            "inline-",
            "id-",
            "nul-in-why",
            "terminal-",
            "deprecation-",
        )
    )
]


@pytest.mark.parametrize("case", PLUGIN_CASES, ids=[c.id for c in PLUGIN_CASES])
def test_flake8_gives_one_arc900_per_file(tmp_path: Path, case: Case) -> None:
    project = build(tmp_path / "project", case)
    first = case.errors[0]
    more = len(case.errors) - 1
    expected = first + (f" (and {more} more: run 'archlint check')" if more else "")
    assert set(flake8_arc900(project)) == {expected}


# --- files that are not files ----------------------------------------------------------------


def _special(project: Path, kind: str, path: Path) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "loop":
        path.symlink_to(path.name)
    elif kind == "dangling":
        path.symlink_to(project / "missing.toml")


SPECIAL_REASONS = {
    "fifo": "cannot read: not a regular file",
    "folder": "cannot read: it is a folder, not a file",
    "loop": "cannot read: Too many levels of symbolic links",
    "dangling": "cannot read: No such file or directory",
}


@pytest.mark.parametrize("kind", sorted(SPECIAL_REASONS))
def test_a_contract_file_that_is_not_a_file_is_reported(tmp_path: Path, kind: str) -> None:
    """Not skipped as if it held nothing, and a FIFO is never opened for a blocking read."""
    project = make_project(tmp_path, {**PACKAGE, "contracts/a.toml": VALID})
    _special(project, kind, project / "contracts" / "b.toml")
    result = run(["archlint", "check"], cwd=project)
    assert_config_errors(result, [f"contracts/b.toml: {SPECIAL_REASONS[kind]}"])
    assert set(flake8_arc900(project)) == {f"contracts/b.toml: {SPECIAL_REASONS[kind]}"}


@pytest.mark.parametrize("kind", sorted(SPECIAL_REASONS))
def test_a_pyproject_that_is_not_a_file_is_no_project(tmp_path: Path, kind: str) -> None:
    """A FIFO, folder or broken link named pyproject.toml is not read (and never blocks)."""
    write_tree(tmp_path, {**PACKAGE, "contracts/a.toml": VALID})
    _special(tmp_path, kind, tmp_path / "pyproject.toml")
    for args in (["archlint", "check"], ["archlint", "check", "--root", "."]):
        result = run(args, cwd=tmp_path)
        assert "Traceback" not in result.stdout + result.stderr
        assert result.returncode == 2
        assert len(result.stderr.splitlines()) == 1
        assert result.stderr.startswith("error: no archlint project found")
    result = run(["flake8", "--select", "ARC", "src"], cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_a_huge_contract_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    project = make_project(tmp_path, {**PACKAGE, "contracts/a.toml": VALID})
    with open(project / "contracts" / "b.toml", "wb") as f:
        f.truncate(17 * 1024 * 1024)  # sparse: nothing is written, the size is what counts
    result = run(["archlint", "check"], cwd=project)
    assert_config_errors(
        result,
        [
            "contracts/b.toml: cannot read: 17825792 bytes is too large for a configuration "
            "file (at most 16 MiB)"
        ],
    )


# --- forms that must be accepted, and work -------------------------------------------------

#: A contract the code below breaks, so that a silently ignored configuration shows.
FORBID_B = """\
    [[contracts]]
    id = "no-b"
    type = "forbidden"
    source_modules = ["pkg.a"]
    forbidden_modules = ["pkg.b"]
"""


@pytest.mark.parametrize(
    "pyproject",
    [
        'tool.archlint.root_packages = ["pkg"]\ntool.archlint.source_roots = ["src"]\n',
        '[tool]\narchlint.root_packages = ["pkg"]\narchlint.source_roots = ["src"]\n',
        'tool = {archlint = {root_packages = ["pkg"], source_roots = ["src"]}}\n',
        '[tool]\narchlint = {root_packages = ["pkg"], source_roots = ["src"]}\n',
        '[tool."archlint"]\nroot_packages = ["pkg"]\nsource_roots = ["src"]\n',
    ],
    ids=["dotted", "dotted-under-tool", "inline", "inline-under-tool", "quoted-header"],
)
def test_every_toml_form_of_the_settings_is_read(tmp_path: Path, pyproject: str) -> None:
    """The same table however TOML writes it: check finds the break, and so does flake8
    (which said nothing at all when the table was not recognised)."""
    files = {**PACKAGE, "src/pkg/a/x.py": "from pkg.b import thing\n", "contracts/a.toml": FORBID_B}
    write_tree(tmp_path, {**files, "pyproject.toml": pyproject})
    result = run(["archlint", "check", "--no-cache"], cwd=tmp_path)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 contract: 0 kept, 1 broken" in result.stdout
    flake8 = run(["flake8", "--select", "ARC", "src"], cwd=tmp_path)
    assert flake8.returncode == 1, flake8.stdout + flake8.stderr
    assert flake8.stdout.splitlines() == [
        "src/pkg/a/x.py:1:1: ARC103 import of pkg.b breaks contract 'no-b': "
        "pkg.a may not import pkg.b"
    ]


# --- chains of deprecations: the suggestion is the end of the chain --------------------------

CHAIN = {
    **PACKAGE,
    "src/pkg/e.py": "class Thing:\n    pass\n",
    "src/pkg/user.py": "from pkg.c import Thing\n\nprint(Thing)\n",
    "src/pkg/strings.py": 'import mock\n\nmock.patch("pkg.c.Thing")\n',
    "contracts/a.toml": VALID
    + """
    [[deprecations]]
    old = "pkg.c"
    new = "pkg.d"

    [[deprecations]]
    old = "pkg.d"
    new = "pkg.e"
    """,
}


def test_a_chain_of_deprecations_suggests_its_end(tmp_path: Path) -> None:
    """c moved to d, d to e: ARC001 and ARC003 suggest e (never the deprecated d), in flake8
    and ``archlint lint``, and ``archlint fix`` writes e."""
    project = make_project(tmp_path, CHAIN)
    expected = [
        "src/pkg/strings.py:3:12: ARC003 string 'pkg.c.Thing' passed to mock.patch() names "
        "pkg.c, deprecated; use: 'pkg.e.Thing'",
        "src/pkg/user.py:1:1: ARC001 pkg.c is deprecated; use: from pkg.e import Thing",
    ]
    # The configuration is valid, and check (the one gate) reports the same two sites.
    checked = run(["archlint", "check", "--no-cache"], cwd=project)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    for line in expected:
        assert line in checked.stdout
    flake8 = run(["flake8", "--select", "ARC", "src"], cwd=project)
    assert "Traceback" not in flake8.stdout + flake8.stderr
    assert flake8.stdout.splitlines() == expected
    lint = run(["archlint", "lint"], cwd=project)
    assert "Traceback" not in lint.stdout + lint.stderr
    for line in expected:
        assert line in lint.stdout
    assert "pkg.d" not in lint.stdout
    fixed = run(["archlint", "fix"], cwd=project)
    assert "Traceback" not in fixed.stdout + fixed.stderr
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert (project / "src/pkg/user.py").read_text() == "from pkg.e import Thing\n\nprint(Thing)\n"
    assert 'mock.patch("pkg.e.Thing")' in (project / "src/pkg/strings.py").read_text()
    after = run(["flake8", "--select", "ARC", "src"], cwd=project)
    assert (after.returncode, after.stdout) == (0, "")


def test_a_chain_that_ends_in_a_removal_is_a_removal(tmp_path: Path) -> None:
    """c moved to d, and d was removed later: importing c is an ARC002 that says so."""
    files = {
        **PACKAGE,
        "src/pkg/user.py": "from pkg.c import Thing\n",
        "contracts/a.toml": VALID
        + '\n[[deprecations]]\nold = "pkg.c"\nnew = "pkg.d"\nwhy = "renamed"\n'
        + '\n[[deprecations]]\nold = "pkg.d"\nwhy = "gone"\n',
    }
    project = make_project(tmp_path, files)
    flake8 = run(["flake8", "--select", "ARC", "src"], cwd=project)
    assert "Traceback" not in flake8.stdout + flake8.stderr
    assert flake8.stdout.splitlines() == [
        "src/pkg/user.py:1:1: ARC002 pkg.c moved to pkg.d, which was removed: gone"
    ]


def test_the_end_of_a_chain_must_resolve(tmp_path: Path) -> None:
    """The check that a replacement imports applies to the end of the chain: a chain whose
    end does not exist yet is a planned move (a warning), an error under
    ``unresolved_new = "error"``."""
    files = {
        **PACKAGE,
        "contracts/a.toml": VALID
        + '\n[[deprecations]]\nold = "pkg.c"\nnew = "pkg.d"\n'
        + '\n[[deprecations]]\nold = "pkg.d"\nnew = "pkg.e"\n',
    }
    project = make_project(tmp_path, files)
    planned = run(["archlint", "check"], cwd=project)
    assert planned.returncode == 0, planned.stdout + planned.stderr
    assert planned.stderr.splitlines() == [
        "warning: contracts/a.toml:8: deprecation 'pkg.c': new: planned: 'pkg.e' does not "
        "exist yet ('pkg.d' is deprecated in favour of 'pkg.e')",
        "warning: contracts/a.toml:12: deprecation 'pkg.d': new: planned: 'pkg.e' does not "
        "exist yet",
    ]
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + 'unresolved_new = "error"\n')
    result = run(["archlint", "check"], cwd=project)
    reason = "'e' is not defined, imported or re-exported in module 'pkg'"
    assert_config_errors(
        result,
        [
            "contracts/a.toml:8: deprecation 'pkg.c': new: 'pkg.d' is deprecated in favour of "
            f"'pkg.e', which does not resolve: {reason}",
            f"contracts/a.toml:12: deprecation 'pkg.d': new: 'pkg.e' does not resolve: {reason}",
        ],
    )
