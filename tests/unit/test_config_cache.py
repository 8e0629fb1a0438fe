"""The configuration cache: used when nothing changed, never when anything did."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from archlint.config import cache
from archlint.domain.errors import ConfigError
from tests.helpers import make_project

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
            "src/pkg/low.py": "",
            "contracts/layers.toml": CONTRACT,
        },
    )


def _touch_later(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_second_load_comes_from_the_cache(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = cache.load_project_cached(project)
    assert (project / ".archlint_cache" / "project.json").is_file()
    assert (project / ".archlint_cache" / ".gitignore").read_text().strip().endswith("*")

    def fail(root: Path) -> None:
        raise AssertionError("the cache should have been used")

    monkeypatch.setattr(cache, "load_project", fail)
    assert cache.load_project_cached(project) == first


@pytest.mark.parametrize("change", ["edit", "add", "remove", "pyproject"])
def test_any_change_reads_the_files_again(project: Path, change: str) -> None:
    cache.load_project_cached(project)
    contracts = project / "contracts"
    if change == "edit":
        path = contracts / "layers.toml"
        path.write_text(CONTRACT.replace('name = "x"', "") + 'name = "Renamed"\n')
        _touch_later(path)
    elif change == "add":
        (contracts / "more.toml").write_text('[[deprecations]]\nold = "pkg.old"\nnew = "pkg.low"\n')
    elif change == "remove":
        (contracts / "more.toml").unlink(missing_ok=True)
        (contracts / "layers.toml").write_text('[[deprecations]]\nold = "pkg.old"\n')
        _touch_later(contracts / "layers.toml")
    else:
        pyproject = project / "pyproject.toml"
        pyproject.write_text(pyproject.read_text() + "exclude_type_checking_imports = true\n")
        _touch_later(pyproject)
    fresh = cache.load_project_cached(project)
    direct = cache.load_project(project)
    assert fresh == direct


def test_errors_are_never_cached(project: Path) -> None:
    cache.load_project_cached(project)
    bad = project / "contracts" / "layers.toml"
    bad.write_text("[[contracts]\n")
    _touch_later(bad)
    for _ in range(2):
        with pytest.raises(ConfigError):
            cache.load_project_cached(project)


def test_a_corrupt_cache_is_ignored(project: Path) -> None:
    expected = cache.load_project_cached(project)
    (project / ".archlint_cache" / "project.json").write_bytes(b"not json")
    assert cache.load_project_cached(project) == expected


def test_a_read_only_project_still_loads(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The tests run as root, for whom no folder is read-only: make writing the cache fail.
    def refuse(path: Path, kind: str, body: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(cache, "write_json", refuse)
    assert cache.load_project_cached(project).contracts
    assert not (project / ".archlint_cache" / "project.json").exists()


def test_a_run_from_another_folder_shows_paths_from_there(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    assert cache.load_project_cached(project).contracts[0].origin.file == "contracts/layers.toml"
    monkeypatch.chdir(project / "src")
    shown = cache.load_project_cached(project).contracts[0].origin.file
    assert shown == os.path.join("..", "contracts", "layers.toml") or shown.endswith(
        "contracts/layers.toml"
    )
    assert shown != "contracts/layers.toml"
