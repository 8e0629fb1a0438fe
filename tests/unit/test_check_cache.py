"""archlint check reuses its last report only while none of its inputs changed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from archlint.application import check as check_module
from archlint.application.project import open_project

from ..helpers import make_project

CONTRACT = """
[[contracts]]
id = "layers"
type = "layers"
containers = ["pkg"]
layers = ["high", "low"]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(
        tmp_path,
        {
            "src/pkg/__init__.py": "",
            "src/pkg/high.py": "",
            "src/pkg/low.py": "import pkg.high\n",
            "contracts/layers.toml": CONTRACT,
        },
    )


def _no_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    import archlint.backend.run as run

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("the cached report should have been used")

    monkeypatch.setattr(run, "check_contracts", fail)


def test_unchanged_inputs_reuse_the_report(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = check_module.check(open_project(root=project))
    assert not first.ok
    _no_backend(monkeypatch)
    assert check_module.check(open_project(root=project)) == first


def test_an_edited_module_is_checked_again(project: Path) -> None:
    assert not check_module.check(open_project(root=project)).ok
    low = project / "src" / "pkg" / "low.py"
    low.write_text("\n")
    stat = low.stat()
    os.utime(low, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    assert check_module.check(open_project(root=project)).ok


def test_a_changed_contract_is_checked_again(project: Path) -> None:
    assert not check_module.check(open_project(root=project)).ok
    rules = project / "contracts" / "layers.toml"
    rules.write_text(CONTRACT.replace('["high", "low"]', '["low", "high"]'))
    stat = rules.stat()
    os.utime(rules, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    assert check_module.check(open_project(root=project)).ok


def test_no_cache_always_checks(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check_module.check(open_project(root=project))
    _no_backend(monkeypatch)
    with pytest.raises(AssertionError, match="cached report"):
        check_module.check(open_project(root=project), use_cache=False)


def test_a_subset_of_contracts_is_its_own_entry(project: Path) -> None:
    full = check_module.check(open_project(root=project))
    subset = check_module.check(open_project(root=project), ["layers"])
    assert [r.contract.id for r in subset.results] == [r.contract.id for r in full.results]


def test_a_read_only_project_is_checked_without_caches(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The tests run as root, for whom no folder is read-only: make creating the cache fail.
    def refuse(project: object) -> Path:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(check_module, "cache_dir", refuse)
    report = check_module.check(open_project(root=project))
    assert not report.ok
