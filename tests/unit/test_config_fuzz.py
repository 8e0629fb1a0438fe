"""Generated configuration files, loaded in process: each one loads or gives clean errors.

The loader must return a :class:`~archlint.domain.model.Project` or raise
:class:`~archlint.domain.errors.ConfigError` (never any other exception), every problem must
render as one line starting with its file, and what loads must keep the model's promises: ids
that are ids, and deprecations whose suggestion is never itself deprecated.

The default run tries a modest number of documents; ``-m slow`` tries thousands.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archlint.config.loader import load_project
from archlint.domain import model
from archlint.domain.deprecations import DeprecationIndex
from archlint.domain.errors import ConfigError
from archlint.domain.validation import unknown_modules, unresolved_replacements
from tests.config_strategies import projects, write_project

MODULES = {"pkg", "pkg.a", "pkg.a.x", "pkg.b", "pkg.helpers"}
LINE = re.compile(r"(contracts|pyproject\.toml)[^:]*(:\d+)?: .+")
_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
ENTRIES = re.compile(r"\(entries: '[\w.]+' at \S+:\d+(, '[\w.]+' at \S+:\d+)*\)\Z")

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_loads_or_clean_errors(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_project(root, files)
        try:
            project = load_project(root)
        except ConfigError as e:
            assert e.problems
            for problem in e.problems:
                text = str(problem)
                assert "\n" not in text and "\r" not in text
                assert len(text.splitlines()) == 1, text
                assert text.startswith(problem.file)
                # Paths are shown relative to the current folder when below it, else whole.
                assert LINE.fullmatch(text.removeprefix(f"{root}/")), text
            return
        assert_model_promises(project)


def assert_model_promises(project: model.Project) -> None:
    for contract in project.contracts:
        assert _ID.fullmatch(contract.id)
    index = DeprecationIndex(project.deprecations)
    for entry in project.deprecations:
        for path in (entry.old, f"{entry.old}.Sub"):
            match = index.lookup(path)
            assert match is not None
            target = match.new_path
            if target is not None:
                assert index.lookup(target) is None, (path, target)
    # The checks run against the modules after loading must not raise either.
    unknown_modules(project, MODULES)
    unresolved_replacements(project, MODULES, lambda module, name: None)


@FAST
@given(projects())
def test_generated_configuration_loads_or_gives_clean_errors(files: dict[str, bytes]) -> None:
    check_loads_or_clean_errors(files)


@pytest.mark.slow
@SLOW
@given(projects())
def test_many_generated_configurations(files: dict[str, bytes]) -> None:
    check_loads_or_clean_errors(files)


# --- chains of deprecations over a few paths: chains and cycles are frequent ---------------

PATHS = ["pkg.c", "pkg.d", "pkg.e", "pkg.c.X", "pkg.d.X", "pkg.e.Y", "pkg.m", "pkg.m.f"]

deprecation_sets = st.lists(
    st.tuples(st.sampled_from(PATHS), st.one_of(st.none(), st.sampled_from(PATHS))).filter(
        lambda pair: pair[0] != pair[1]
    ),
    min_size=1,
    max_size=6,
    unique_by=lambda pair: pair[0],
)


def check_deprecation_chains(pairs: list[tuple[str, str | None]]) -> None:
    text = "".join(
        f'[[deprecations]]\nold = "{old}"\n' + (f'new = "{new}"\n' if new else "") + "\n"
        for old, new in pairs
    )
    files = {
        "pyproject.toml": b'[tool.archlint]\nroot_packages = ["pkg"]\nsource_roots = ["src"]\n',
        "contracts/a.toml": text.encode(),
    }
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_project(root, files)
        try:
            project = load_project(root)
        except ConfigError as e:
            for problem in e.problems:
                assert "a cycle of deprecations" in problem.message, problem
                # Every entry of the cycle is named with its place.
                assert ENTRIES.search(problem.message), problem
            return
        assert_model_promises(project)
        index = DeprecationIndex(project.deprecations)
        for path in PATHS + [f"{p}.Z" for p in PATHS]:
            match = index.lookup(path)
            if match is not None and match.new_path is not None:
                assert index.lookup(match.new_path) is None, (path, match.new_path, pairs)


@settings(max_examples=300, deadline=None)
@given(deprecation_sets)
def test_deprecation_chains_end_or_are_refused(pairs: list[tuple[str, str | None]]) -> None:
    check_deprecation_chains(pairs)


@pytest.mark.slow
@settings(max_examples=2000, deadline=None)
@given(deprecation_sets)
def test_many_deprecation_chains(pairs: list[tuple[str, str | None]]) -> None:
    check_deprecation_chains(pairs)
