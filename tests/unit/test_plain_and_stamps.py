"""The caches' data format (plain JSON, validated) and file stamps (stat + racy content)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from archlint.application.check import check
from archlint.application.project import open_project
from archlint.config import stamps
from archlint.config.cache import CODEC, load_project_cached
from archlint.config.plain import PlainDataError
from archlint.domain.model import Project
from archlint.domain.results import CheckReport

from ..helpers import make_project

EVERY_TYPE = """
[[contracts]]
id = "layers"
type = "layers"
containers = ["pkg"]
layers = ["high", "mid | other", "low"]
ignore_imports = ["pkg.low -> pkg.high"]
unmatched_ignore_imports_alerting = "warn"

[[contracts]]
id = "apart"
type = "independence"
modules = ["pkg.mid", "pkg.other"]

[[contracts]]
id = "forbid"
type = "forbidden"
source_modules = ["pkg.low"]
forbidden_modules = ["pkg.mid"]
as_packages = false
exclude_type_checking_imports = true

[[contracts]]
id = "protect"
type = "protected"
protected_modules = ["pkg.low"]
allowed_importers = ["pkg.mid"]

[[contracts]]
id = "siblings"
type = "acyclic_siblings"
ancestors = ["pkg"]

[[contracts]]
id = "acyclic"
type = "acyclic"
packages = ["pkg"]

[[contracts]]
id = "allow"
type = "allowlist"
source_modules = ["pkg.low"]
allowed_modules = ["pkg.other"]

[[deprecations]]
old = "pkg.old"
new = "pkg.low"
since = 2025-10-05
remove_after = 2027-01-05
why = "moved"
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(
        tmp_path,
        {
            "src/pkg/__init__.py": "",
            "src/pkg/high.py": "",
            "src/pkg/mid.py": "import pkg.low\nimport pkg.other\n",
            "src/pkg/other.py": "import pkg.mid\n",
            "src/pkg/low.py": "import pkg.high\nimport pkg.mid\n",
            "src/pkg/old.py": "",
            "contracts/rules.toml": EVERY_TYPE,
        },
    )


def _roundtrip(value: Any, cls: type) -> Any:
    return CODEC.decode(json.loads(json.dumps(CODEC.encode(value, cls))), cls)


def test_every_contract_type_and_a_report_survive_the_round_trip(project: Path) -> None:
    loaded = load_project_cached(project)
    assert {type(c).type_name for c in loaded.contracts} >= {"layers", "allowlist", "acyclic"}
    assert _roundtrip(loaded, Project) == loaded
    report = check(open_project(root=project), use_cache=False)
    assert report.broken and any(r.violations for r in report.results)
    assert _roundtrip(report, CheckReport) == report


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.update(root=1),
        lambda d: d["settings"].update(root_packages="pkg"),
        lambda d: d["settings"].update(exclude_type_checking_imports=1),
        lambda d: d["contracts"][0].update(type="pickle"),
        lambda d: d["contracts"][0].update(extra=True),
        lambda d: d["contracts"][0].pop("id"),
        lambda d: d["contracts"][0]["origin"].update(field_lines=[["id", "2"]]),
        lambda d: d["contracts"][0].update(unmatched_ignore_imports_alerting="loud"),
        lambda d: d["deprecations"][0].update(since="yesterday"),
        lambda d: d["deprecations"][0].update(since=["__reduce__"]),
        lambda d: d.update(contracts={"0": None}),
    ],
)
def test_data_that_does_not_fit_the_model_is_refused(project: Path, mutate: Any) -> None:
    data = CODEC.encode(load_project_cached(project), Project)
    mutate(data)
    with pytest.raises(PlainDataError):
        CODEC.decode(data, Project)


def test_a_racy_file_is_stamped_by_its_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "m.py"
    path.write_text("import a\n")
    real = os.stat(path)
    # The same stat before and after the edit: what a same-size edit in one clock tick gives.
    monkeypatch.setattr(stamps.os, "stat", lambda p: real)
    now = real.st_mtime_ns
    before = stamps.file_stamp(path, now)
    path.write_text("import b\n")
    assert stamps.file_stamp(path, now) != before
    # Long after the edit, the stat alone is the stamp (and it differs from the racy one).
    later = now + int(stamps.RACY_SECONDS * 1e9) + 1
    assert stamps.file_stamp(path, later) == stamps.file_stamp(path, later)
    assert len(stamps.file_stamp(path, later)) == 6
    assert stamps.file_stamp(path, later) != stamps.file_stamp(path, now)


def test_an_old_file_is_stamped_by_its_stat(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text("x = 1\n")
    later = os.stat(path).st_ctime_ns + 10**12
    first = stamps.file_stamp(path, later)
    path.write_text("x = 22\n")
    assert stamps.file_stamp(path, later) != first
    inode = os.stat(path).st_ino
    path.rename(tmp_path / "n.py")
    (tmp_path / "n.py").rename(path)  # back, same content, same size, same mtime
    assert os.stat(path).st_ino == inode
    assert stamps.file_stamp(tmp_path / "gone.py", later) == ("missing",)


def test_a_warm_check_reuses_the_report_and_the_configuration(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = check(open_project(root=project))
    import archlint.backend.run as run
    import archlint.config.cache as cache

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("a cache should have been used")

    monkeypatch.setattr(run, "check_contracts", fail)
    monkeypatch.setattr(cache, "load_project", fail)
    assert check(open_project(root=project)) == first
