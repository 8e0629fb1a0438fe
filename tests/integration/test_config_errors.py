"""Every configuration problem, through the real ``archlint`` executable.

Each case builds one small project and runs ``archlint check`` in it. The expected errors are
written out in full, line numbers included, and must be the whole of stderr, in order, followed
by the count: exit status 2, one ``error: FILE:LINE: OWNER: FIELD: message`` line per problem,
never a traceback.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.helpers import make_project, run, write_tree

#: The modules every case's project has: pkg, pkg.a, pkg.a.x, pkg.b, pkg.helpers.
PACKAGE = {
    "src/pkg/__init__.py": "",
    "src/pkg/a/__init__.py": "",
    "src/pkg/a/x.py": "",
    "src/pkg/b/__init__.py": "",
    "src/pkg/helpers.py": "",
}

#: A contract with nothing wrong, for files that need one beside the broken part.
VALID = """\
    [[contracts]]
    id = "ok"
    type = "acyclic"
    packages = ["pkg"]
"""

KNOWN_TYPES = "layers, independence, forbidden, protected, acyclic_siblings, acyclic, allowlist"
BAD_ID = "use lower-case letters, digits, '-' and '_', starting with a letter or digit"


@dataclass(frozen=True)
class Case:
    """One project with broken configuration and the exact errors it must produce."""

    id: str
    #: ``contracts/NAME`` -> TOML text (dedented; its first line is line 1).
    contracts: Mapping[str, str]
    #: The expected stderr lines without their ``error: `` prefix, in order. ``{root}`` stands
    #: for the project folder.
    errors: tuple[str, ...]
    #: Extra lines for ``[tool.archlint]`` (it starts on line 5 of the generated pyproject, so
    #: these begin on line 8).
    settings: str = ""
    #: The whole ``pyproject.toml``, instead of the generated one.
    pyproject: str | None = None
    #: Files written as raw bytes (relative path -> bytes), after the text files.
    raw: Mapping[str, bytes] = field(default_factory=dict)
    root_packages: tuple[str, ...] = ("pkg",)


CASES = [
    # --- files that cannot be read -------------------------------------------------------
    Case(
        "malformed-contract-toml",
        {
            "a.toml": """\
                [[contracts]]
                id = "a"
                type = = "acyclic"
            """
        },
        ("contracts/a.toml:3: malformed TOML: Invalid value",),
    ),
    Case(
        "malformed-contract-toml-unclosed-array",
        {
            "a.toml": """\
                [[contracts]]
                id = "l"
                type = "layers"
                layers = ["x", "y"
                name = "n"
            """
        },
        ("contracts/a.toml:5: malformed TOML: Unclosed array",),
    ),
    Case(
        "malformed-contract-toml-duplicate-key",
        {
            "a.toml": """\
                [[contracts]]
                id = "a"
                id = "b"
            """
        },
        ("contracts/a.toml:3: malformed TOML: Cannot overwrite a value",),
    ),
    Case(
        # tomllib gives no line for an error at the end of the document, only that place.
        "malformed-contract-toml-at-end-of-document",
        {
            "a.toml": """\
                [[contracts]]
                why = \"\"\"never closed
            """
        },
        ("contracts/a.toml: malformed TOML: Unterminated string (at end of document)",),
    ),
    Case(
        "malformed-pyproject",
        {"a.toml": VALID},
        ("pyproject.toml:3: malformed TOML: Unclosed array",),
        pyproject=(
            '[tool.archlint]\nroot_packages = ["pkg"\nsource_roots = ["src"]\n'
            "exclude_type_checking_imports = true\n"
        ),
    ),
    Case(
        "contract-file-not-utf8-first-line",
        {},
        ("contracts/a.toml:1: cannot decode as UTF-8: invalid start byte at byte 0",),
        raw={"contracts/a.toml": b'\xff\xfe[[contracts]]\nid = "a"\n'},
    ),
    Case(
        "contract-file-not-utf8-third-line",
        {},
        ("contracts/a.toml:3: cannot decode as UTF-8: invalid continuation byte at byte 33",),
        raw={"contracts/a.toml": b'[[contracts]]\nid = "a"\nwhy = "caf\xe9"\n'},
    ),
    Case(
        "pyproject-not-utf8",
        {"a.toml": VALID},
        ("pyproject.toml:3: cannot decode as UTF-8: invalid start byte at byte 42",),
        raw={"pyproject.toml": b'[tool.archlint]\nroot_packages = ["pkg"]\n# \xff\n'},
    ),
    # --- contract type and fields ---------------------------------------------------------
    Case(
        "unknown-type-did-you-mean",
        {
            "a.toml": """\
                [[contracts]]
                id = "l"
                type = "layer"
                layers = ["a"]
            """
        },
        (
            "contracts/a.toml:3: contract 'l': type: unknown contract type 'layer' "
            f"(did you mean 'layers'?); known types: {KNOWN_TYPES}",
        ),
    ),
    Case(
        "type-not-a-string",
        {
            "a.toml": """\
                [[contracts]]
                id = "l"
                type = 3
            """
        },
        (
            "contracts/a.toml:3: contract 'l': type: unknown contract type 3; "
            f"known types: {KNOWN_TYPES}",
        ),
    ),
    Case(
        "misspelt-field",
        {
            "a.toml": """\
                [[contracts]]
                id = "l"
                type = "layers"
                containers = ["pkg"]
                layrs = ["a", "b"]
            """
        },
        (
            "contracts/a.toml:5: contract 'l': layrs: unknown field (did you mean 'layers'?)",
            "contracts/a.toml:1: contract 'l': layers: required field is missing",
        ),
    ),
    Case(
        "missing-layers",
        {
            "a.toml": """\
                [[contracts]]
                id = "l"
                type = "layers"
                containers = ["pkg"]
            """
        },
        ("contracts/a.toml:1: contract 'l': layers: required field is missing",),
    ),
    Case(
        "missing-id",
        {
            "a.toml": """\
                [[contracts]]
                id = "ok"
                type = "acyclic"
                packages = ["pkg"]

                [[contracts]]
                type = "acyclic"
                packages = ["pkg"]
            """
        },
        ("contracts/a.toml:6: contract #2: id: required field is missing",),
    ),
    Case(
        "missing-type",
        {
            "a.toml": """\
                [[contracts]]
                id = "c"
                packages = ["pkg"]
            """
        },
        ("contracts/a.toml:1: contract 'c': type: required field is missing",),
    ),
    Case(
        "array-given-a-string",
        {
            "a.toml": """\
                [[contracts]]
                id = "l"
                type = "layers"
                containers = "pkg"
                layers = ["a", "b"]
            """
        },
        (
            "contracts/a.toml:4: contract 'l': containers: expected an array of strings, "
            'got a string (write ["pkg"])',
        ),
    ),
    Case(
        "boolean-given-a-string",
        {
            "a.toml": """\
                [[contracts]]
                id = "l"
                type = "layers"
                containers = ["pkg"]
                layers = ["a", "b"]
                exhaustive = "true"
            """
        },
        (
            "contracts/a.toml:6: contract 'l': exhaustive: expected a boolean, got a string "
            "(write true or false without quotes)",
        ),
    ),
    Case(
        "negative-depth",
        {
            "a.toml": """\
                [[contracts]]
                id = "s"
                type = "acyclic_siblings"
                ancestors = ["pkg"]
                depth = -1
            """
        },
        ("contracts/a.toml:5: contract 's': depth: must be 0 or more",),
    ),
    Case(
        "depth-given-a-boolean",
        {
            "a.toml": """\
                [[contracts]]
                id = "s"
                type = "acyclic_siblings"
                ancestors = ["pkg"]
                depth = true
            """
        },
        ("contracts/a.toml:5: contract 's': depth: expected an integer, got a boolean",),
    ),
    Case(
        "layer-mixes-separators",
        {
            "a.toml": """\
                [[contracts]]
                id = "l"
                type = "layers"
                containers = ["pkg"]
                layers = [
                    "a",
                    "b | c : d",
                ]
            """
        },
        ("contracts/a.toml:5: contract 'l': layers: 'b | c : d': a layer cannot mix '|' and ':'",),
    ),
    Case(
        "bad-ignore-imports-and-alert-level",
        {
            "a.toml": """\
                [[contracts]]
                id = "c"
                type = "acyclic"
                packages = ["pkg"]
                ignore_imports = ["pkg.a"]
                unmatched_ignore_imports_alerting = "loud"
            """
        },
        (
            "contracts/a.toml:5: contract 'c': ignore_imports: 'pkg.a' is not of the form "
            "'importer -> imported'",
            "contracts/a.toml:6: contract 'c': unmatched_ignore_imports_alerting: expected one "
            "of 'none', 'warn', 'error', got 'loud'",
        ),
    ),
    Case(
        "exhaustive-without-containers-beside-an-unknown-field",
        {
            "a.toml": """\
                [[contracts]]
                id = "l"
                type = "layers"
                layers = ["pkg.a", "pkg.b"]
                exhaustive = true
                colour = "red"
            """
        },
        (
            "contracts/a.toml:6: contract 'l': colour: unknown field",
            "contracts/a.toml:5: contract 'l': exhaustive: exhaustive = true needs containers",
        ),
    ),
    # --- ids ------------------------------------------------------------------------------
    Case(
        "invalid-id",
        {
            "a.toml": """\
                [[contracts]]
                id = "Bad Id"
                type = "acyclic"
                packages = ["pkg"]
            """
        },
        (f"contracts/a.toml:2: contract #1: id: 'Bad Id' is not a valid id: {BAD_ID}",),
    ),
    Case(
        "duplicate-id-across-files",
        {
            "a.toml": VALID,
            "b.toml": """\
                # the same id as in a.toml
                [[contracts]]
                id = "ok"
                type = "acyclic"
                packages = ["pkg.a"]
            """,
        },
        (
            "contracts/b.toml:3: contract 'ok': id: duplicate id: already used at "
            "contracts/a.toml:2",
        ),
    ),
    # --- modules the project does not have ----------------------------------------------
    Case(
        "container-not-in-project",
        {
            "a.toml": """\
                [[contracts]]
                id = "l"
                type = "layers"
                containers = ["pkg.nope"]
                layers = ["x"]
            """
        },
        ("contracts/a.toml:4: contract 'l': containers: module 'pkg.nope' is not in the project",),
    ),
    Case(
        "module-not-in-project-did-you-mean",
        {
            "a.toml": """\
                [[contracts]]
                id = "i"
                type = "independence"
                modules = ["pkg.helper", "pkg.a"]
            """
        },
        (
            "contracts/a.toml:4: contract 'i': modules: module 'pkg.helper' is not in the "
            "project (did you mean 'pkg.helpers'?)",
        ),
    ),
    Case(
        "layer-missing-in-one-container",
        {
            "a.toml": """\
                [[contracts]]
                id = "l"
                type = "layers"
                containers = ["pkg.a", "pkg.b"]
                layers = ["x", "(y)"]
            """
        },
        (
            "contracts/a.toml:5: contract 'l': layers: layer 'x' in container 'pkg.b': module "
            "'pkg.b.x' is not in the project (did you mean 'pkg.a.x'?) (write '(x)' if it may "
            "be missing)",
        ),
    ),
    Case(
        "layer-missing-without-containers",
        {
            "a.toml": """\
                [[contracts]]
                id = "l"
                type = "layers"
                layers = ["pkg.a", "pkg.zzz"]
            """
        },
        (
            "contracts/a.toml:4: contract 'l': layers: layer 'pkg.zzz': module 'pkg.zzz' is not "
            "in the project (write '(pkg.zzz)' if it may be missing)",
        ),
    ),
    Case(
        "wildcard-matches-nothing",
        {
            "a.toml": """\
                [[contracts]]
                id = "i"
                type = "independence"
                modules = ["pkg.a.*", "pkg.b.*"]
            """
        },
        ("contracts/a.toml:4: contract 'i': modules: 'pkg.b.*' matches no module of the project",),
    ),
    Case(
        "module-outside-root-packages",
        {
            "a.toml": """\
                [[contracts]]
                id = "f"
                type = "forbidden"
                source_modules = ["django.db"]
                forbidden_modules = ["pkg.b"]
            """
        },
        (
            "contracts/a.toml:4: contract 'f': source_modules: 'django.db' is not in the project "
            "(its root packages are: pkg)",
        ),
    ),
    Case(
        "external-forbidden-module-without-include-external-packages",
        {
            "a.toml": """\
                [[contracts]]
                id = "f"
                type = "forbidden"
                source_modules = ["pkg.a"]
                forbidden_modules = ["requests", "pkg.b"]
            """
        },
        (
            "contracts/a.toml:5: contract 'f': forbidden_modules: 'requests' is an external "
            "package: set include_external_packages = true in [tool.archlint] to forbid it",
        ),
    ),
    Case(
        "root-package-not-in-source-roots",
        {"a.toml": VALID},
        (
            "pyproject.toml:6: [tool.archlint]: root_packages: package 'nopkg' not found in the "
            "source roots: {root}/src (source_roots = ['src'])",
        ),
        root_packages=("nopkg",),
    ),
    # --- settings and the shape of a contract file ---------------------------------------
    Case(
        "unknown-settings-key",
        {"a.toml": VALID},
        (
            "pyproject.toml:2: [tool.archlint]: root_package: unknown field "
            "(did you mean 'root_packages'?)",
            "pyproject.toml:1: [tool.archlint]: root_packages: required field is missing",
        ),
        pyproject='[tool.archlint]\nroot_package = ["pkg"]\nsource_roots = ["src"]\n',
    ),
    Case(
        "settings-and-contract-problems-together",
        {
            "a.toml": """\
                [[contracts]]
                id = "c"
                type = "acyclc"
                packages = ["pkg"]
            """
        },
        (
            "pyproject.toml:8: [tool.archlint]: exclude_type_checking_imports: expected a "
            "boolean, got an integer",
            "contracts/a.toml:3: contract 'c': type: unknown contract type 'acyclc' "
            f"(did you mean 'acyclic'?); known types: {KNOWN_TYPES}",
        ),
        settings="exclude_type_checking_imports = 1\n",
    ),
    Case(
        "contracts-dir-not-found",
        {},
        (
            "pyproject.toml:8: [tool.archlint]: contracts_dir: contracts folder 'rules' does "
            "not exist next to pyproject.toml",
        ),
        settings='contracts_dir = "rules"\n',
    ),
    Case(
        "unknown-top-level-table",
        {
            "a.toml": """\
                [[contract]]
                id = "a"
                type = "acyclic"
                packages = ["pkg"]
            """
        },
        (
            "contracts/a.toml:1: unknown table 'contract' (did you mean 'contracts'?); a contract "
            "file holds [[contracts]] and [[deprecations]]",
        ),
    ),
    Case(
        "single-table-instead-of-array",
        {
            "a.toml": """\
                # one bracket too few
                [contracts]
                id = "a"
            """
        },
        ("contracts/a.toml:2: 'contracts' must be an array of tables: write [[contracts]]",),
    ),
    # --- deprecations ---------------------------------------------------------------------
    Case(
        "deprecation-missing-old",
        {
            "a.toml": """\
                [[deprecations]]
                new = "pkg.b"
            """
        },
        ("contracts/a.toml:1: deprecation #1: old: required field is missing",),
    ),
    Case(
        "deprecation-since-not-a-date",
        {
            "a.toml": """\
                [[deprecations]]
                old = "pkg.a"
                new = "pkg.b"
                since = "yesterday"
            """
        },
        (
            "contracts/a.toml:4: deprecation 'pkg.a': since: 'yesterday' is not a date like "
            "2025-10-05",
        ),
    ),
    Case(
        "deprecation-since-a-date-time",
        {
            "a.toml": """\
                [[deprecations]]
                old = "pkg.a"
                since = 2025-10-05T10:00:00
            """
        },
        (
            "contracts/a.toml:3: deprecation 'pkg.a': since: expected a date like 2025-10-05, "
            "got a date-time",
        ),
    ),
    Case(
        "deprecation-new-same-as-old",
        {
            "a.toml": """\
                [[deprecations]]
                old = "pkg.a"
                new = "pkg.a"
            """
        },
        ("contracts/a.toml:3: deprecation 'pkg.a': new: is the same as 'old'",),
    ),
    Case(
        "deprecation-duplicate-old",
        {
            "a.toml": """\
                [[deprecations]]
                old = "pkg.a"
                new = "pkg.b"

                [[deprecations]]
                old = "pkg.a"
                new = "pkg.helpers"
            """
        },
        (
            "contracts/a.toml:6: deprecation 'pkg.a': old: duplicate entry: the same 'old' is "
            "already at contracts/a.toml:2",
        ),
    ),
    Case(
        "deprecation-duplicate-old-beside-a-bad-field",
        {
            "a.toml": """\
                [[deprecations]]
                old = "pkg.a"
                since = "soon"

                [[deprecations]]
                old = "pkg.a"
                new = "pkg.b"
            """
        },
        (
            "contracts/a.toml:3: deprecation 'pkg.a': since: 'soon' is not a date like 2025-10-05",
            "contracts/a.toml:6: deprecation 'pkg.a': old: duplicate entry: the same 'old' is "
            "already at contracts/a.toml:2",
        ),
    ),
    Case(
        "deprecation-remove-after-before-since",
        {
            "a.toml": """\
                [[deprecations]]
                old = "pkg.a"
                since = 2025-10-05
                remove_after = 2025-01-01
            """
        },
        (
            "contracts/a.toml:4: deprecation 'pkg.a': remove_after: 2025-01-01 is before "
            "since = 2025-10-05",
        ),
    ),
    Case(
        "deprecation-unknown-field",
        {
            "a.toml": """\
                [[deprecations]]
                old = "pkg.a"
                new = "pkg.b"
                sinse = 2025-10-05
            """
        },
        ("contracts/a.toml:4: deprecation 'pkg.a': sinse: unknown field (did you mean 'since'?)",),
    ),
    Case(
        "deprecation-unknown-field-and-dates-out-of-order",
        {
            "a.toml": """\
                [[deprecations]]
                old = "pkg.a"
                since = 2025-10-05
                remove_after = 2025-01-01
                colour = "red"
            """
        },
        (
            "contracts/a.toml:5: deprecation 'pkg.a': colour: unknown field",
            "contracts/a.toml:4: deprecation 'pkg.a': remove_after: 2025-01-01 is before "
            "since = 2025-10-05",
        ),
    ),
    Case(
        "deprecation-old-not-a-dotted-path",
        {
            "a.toml": """\
                [[deprecations]]
                old = "pkg..a"
            """
        },
        ("contracts/a.toml:2: deprecation 'pkg..a': old: 'pkg..a' is not a dotted module name",),
    ),
    # --- many problems at once ------------------------------------------------------------
    Case(
        "several-problems-in-two-files",
        {
            "a.toml": """\
                [[contracts]]
                id = "l"
                type = "layers"
                layrs = ["x"]

                [[deprecations]]
                old = "pkg.a"
                since = "soon"
            """,
            "b.toml": """\
                [[contracts]]
                id = "l"
                type = "acyclc"
                packages = ["pkg"]

                [[contracts]]
                id = "Nope"
                type = "acyclic"
                packages = "pkg"
            """,
        },
        (
            "contracts/a.toml:4: contract 'l': layrs: unknown field (did you mean 'layers'?)",
            "contracts/a.toml:1: contract 'l': layers: required field is missing",
            "contracts/a.toml:8: deprecation 'pkg.a': since: 'soon' is not a date like 2025-10-05",
            "contracts/b.toml:2: contract 'l': id: duplicate id: already used at "
            "contracts/a.toml:2",
            "contracts/b.toml:3: contract 'l': type: unknown contract type 'acyclc' "
            f"(did you mean 'acyclic'?); known types: {KNOWN_TYPES}",
            f"contracts/b.toml:7: contract #2: id: 'Nope' is not a valid id: {BAD_ID}",
            "contracts/b.toml:9: contract #2: packages: expected an array of strings, got a "
            'string (write ["pkg"])',
        ),
    ),
    Case(
        "several-unknown-modules",
        {
            "a.toml": """\
                [[contracts]]
                id = "i"
                type = "independence"
                modules = ["pkg.nope", "pkg.helper", "pkg.zzz.*"]

                [[contracts]]
                id = "p"
                type = "protected"
                protected_modules = ["pkg.b"]
                allowed_importers = ["pkg.aa"]
            """
        },
        (
            "contracts/a.toml:4: contract 'i': modules: module 'pkg.nope' is not in the project",
            "contracts/a.toml:4: contract 'i': modules: module 'pkg.helper' is not in the "
            "project (did you mean 'pkg.helpers'?)",
            "contracts/a.toml:4: contract 'i': modules: 'pkg.zzz.*' matches no module of the "
            "project",
            "contracts/a.toml:10: contract 'p': allowed_importers: module 'pkg.aa' is not in the "
            "project (did you mean 'pkg.a'?)",
        ),
    ),
    # --- nothing to check -----------------------------------------------------------------
    Case(
        "contracts-folder-empty",
        {},
        (
            "contracts: no [[contracts]] or [[deprecations]] found in any *.toml file, nor in "
            "[tool.archlint] of pyproject.toml",
        ),
        raw={"contracts/README.md": b"not a contract file\n"},
    ),
    Case(
        "contract-file-with-only-comments",
        {"a.toml": "# nothing here yet\n"},
        (
            "contracts: no [[contracts]] or [[deprecations]] found in any *.toml file, nor in "
            "[tool.archlint] of pyproject.toml",
        ),
    ),
]


def build(root: Path, case: Case) -> Path:
    """Write the case's project below ``root``."""
    files = {**PACKAGE, **{f"contracts/{name}": text for name, text in case.contracts.items()}}
    make_project(root, files, root_packages=case.root_packages, extra_settings=case.settings)
    if case.pyproject is not None:
        write_tree(root, {"pyproject.toml": case.pyproject})
    for rel, data in case.raw.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def summary(count: int) -> str:
    return f"archlint: {count} configuration error{'s' if count != 1 else ''}"


def assert_config_errors(result: subprocess.CompletedProcess[str], errors: list[str]) -> None:
    """Exit 2, no traceback, exactly ``errors`` on stderr (in order), then the count."""
    stdout, stderr = result.stdout, result.stderr
    assert "Traceback" not in stdout + stderr
    assert result.returncode == 2, stdout + stderr
    lines = stderr.splitlines()
    for error in errors:
        assert f"error: {error}" in lines
    assert lines == [*(f"error: {e}" for e in errors), summary(len(errors))]
    assert stdout == ""


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_configuration_error(tmp_path: Path, case: Case) -> None:
    project = build(tmp_path / "project", case)
    result = run(["archlint", "check"], cwd=project)
    root = str(project.resolve())
    assert_config_errors(result, [e.replace("{root}", root) for e in case.errors])


def test_case_ids_are_unique() -> None:
    assert len({c.id for c in CASES}) == len(CASES)


def test_valid_project_is_clean(tmp_path: Path) -> None:
    """The base project of every case, with nothing broken, checks clean: the errors above
    come from what each case breaks, not from the base."""
    contracts = """\
        [[contracts]]
        id = "layers"
        type = "layers"
        containers = ["pkg"]
        layers = ["a", "b", "(c)"]
        exhaustive = true
        exhaustive_ignores = ["helpers"]

        [[contracts]]
        id = "no-requests"
        type = "forbidden"
        source_modules = ["pkg.a"]
        forbidden_modules = ["requests"]

        [[deprecations]]
        old = "pkg.helpers"
        new = "pkg.b"
        since = 2025-10-05
        remove_after = 2099-01-01
    """
    project = make_project(
        tmp_path,
        {**PACKAGE, "contracts/a.toml": contracts},
        extra_settings="include_external_packages = true\n",
    )
    result = run(["archlint", "check", "--no-cache"], cwd=project)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 0, result.stdout + result.stderr


def test_compile_reports_the_same_errors(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.id == "several-problems-in-two-files")
    project = build(tmp_path, case)
    assert_config_errors(run(["archlint", "compile"], cwd=project), list(case.errors))


def test_paths_are_shown_relative_to_the_current_folder(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.id == "misspelt-field")
    build(tmp_path / "proj", case)
    result = run(["archlint", "check", "--root", "proj"], cwd=tmp_path)
    assert_config_errors(result, [f"proj/{e}" for e in case.errors])


def test_errors_found_from_a_subfolder(tmp_path: Path) -> None:
    """archlint walks up to the project; a file outside the current folder is shown with its
    absolute path."""
    case = next(c for c in CASES if c.id == "misspelt-field")
    project = build(tmp_path, case).resolve()
    result = run(["archlint", "check"], cwd=project / "src" / "pkg")
    assert_config_errors(result, [f"{project}/{e}" for e in case.errors])


def _not_found(start: Path | str, *, upwards: bool = True) -> str:
    if not upwards:  # --root names the folder itself: nothing above it is searched
        return (
            f"error: no archlint project found: no pyproject.toml with [tool.archlint] in {start}"
        )
    return (
        f"error: no archlint project found: no pyproject.toml with [tool.archlint] in {start} "
        "or any folder above it (use --root DIR to name the project folder)"
    )


@pytest.mark.parametrize(
    "pyproject",
    [None, '[project]\nname = "demo"\n\n[tool.ruff]\nline-length = 100\n'],
    ids=["no-pyproject", "pyproject-without-tool-archlint"],
)
def test_no_project_found(tmp_path: Path, pyproject: str | None) -> None:
    write_tree(tmp_path, {"contracts/a.toml": VALID, **PACKAGE})
    if pyproject is not None:
        write_tree(tmp_path, {"pyproject.toml": pyproject})
    result = run(["archlint", "check"], cwd=tmp_path)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 2
    assert result.stderr.splitlines() == [_not_found(tmp_path.resolve())]


def test_root_option_to_a_folder_without_archlint(tmp_path: Path) -> None:
    """--root names the project: a folder without [tool.archlint] is an error, even when the
    current folder is a valid project."""
    make_project(tmp_path, {**PACKAGE, "contracts/a.toml": VALID})
    write_tree(tmp_path, {"other/pyproject.toml": '[project]\nname = "other"\n'})
    (tmp_path / "empty").mkdir()
    for folder in ("other", "empty", "missing"):
        result = run(["archlint", "check", "--root", folder], cwd=tmp_path)
        assert "Traceback" not in result.stdout + result.stderr
        assert result.returncode == 2, folder
        assert result.stderr.splitlines() == [_not_found(folder, upwards=False)]


@pytest.mark.parametrize("command", ["compile", "graph"])
def test_an_output_file_that_cannot_be_written_is_one_error(tmp_path: Path, command: str) -> None:
    make_project(tmp_path, {**PACKAGE, "contracts/a.toml": VALID})
    result = run(["archlint", command, "-o", "missing/folder/out.txt"], cwd=tmp_path)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: cannot write missing/folder/out.txt: No such file or directory"
    ]
