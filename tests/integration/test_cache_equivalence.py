"""A cached verdict equals the uncached one, after any sequence of edits.

hypothesis draws a sequence of edits of a small project whose contracts need two graphs
(imports added and removed, under ``if TYPE_CHECKING:`` or not, modules added, removed and
renamed, same-size edits with the modification time put back, contract files and
``pyproject.toml`` settings changed); after each edit ``archlint check --format json`` with
the default cache must print, and exit with, exactly what ``--no-cache`` does on the same
tree. The caches stay on disk between runs, as for real. The default run calls archlint's
``main()`` in-process on a few examples; the slow run tries many more, some through the
real executable.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from archlint.adapters.cli import main

from ..helpers import make_project, run

CONTRACTS = """
[[contracts]]
id = "no-up"
type = "forbidden"
source_modules = ["pkg.b"]
forbidden_modules = ["pkg.a"]
exclude_type_checking_imports = true

[[contracts]]
id = "apart"
type = "independence"
modules = ["pkg.a", "pkg.b"]
"""

LAYERS = """
[[contracts]]
id = "layers"
type = "layers"
containers = ["pkg"]
layers = ["{first}", "{second}"]
"""

PACKAGES = ("a", "b")
NAMES = ("m0", "m1", "m2", "m3")


@dataclass(frozen=True)
class Edit:
    """One change to the tree; ``apply`` makes it (a change that cannot apply is skipped)."""

    kind: str
    package: str = "a"
    name: str = "m0"
    other_package: str = "b"
    other: str = "m0"
    flag: bool = False

    def apply(self, root: Path) -> None:
        src = root / "src" / "pkg"
        path = src / self.package / f"{self.name}.py"
        target = f"pkg.{self.other_package}.{self.other}"
        if self.kind == "import":
            if not path.exists():
                return
            line = f"import {target}\n"
            if self.flag:
                line = f"if TYPE_CHECKING:\n    {line}"
            with open(path, "a", encoding="utf-8") as f:
                f.write(line)
        elif self.kind == "clear":
            if path.exists():
                path.write_text("from typing import TYPE_CHECKING\n", encoding="utf-8")
        elif self.kind == "same-size":
            # Swap the last digit of every imported module name, same size, mtime put back:
            # only the change time or the content tells this edit apart.
            if not path.exists():
                return
            before = path.stat()
            text = path.read_text(encoding="utf-8")
            swapped = "".join(
                str((int(c) + 1) % len(NAMES))
                if c.isdigit() and i > 0 and text[i - 1] == "m"
                else c
                for i, c in enumerate(text)
            )
            path.write_text(swapped, encoding="utf-8")
            os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        elif self.kind == "add":
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                path.write_text(f"import {target}\n" if self.flag else "", encoding="utf-8")
        elif self.kind == "remove":
            path.unlink(missing_ok=True)
        elif self.kind == "rename":
            new = src / self.other_package / f"{self.other}.py"
            if path.exists() and not new.exists():
                path.rename(new)
        elif self.kind == "layers":
            first, second = ("a", "b") if self.flag else ("b", "a")
            (root / "contracts" / "layers.toml").write_text(
                LAYERS.format(first=first, second=second), encoding="utf-8"
            )
        elif self.kind == "no-layers":
            (root / "contracts" / "layers.toml").unlink(missing_ok=True)
        elif self.kind == "settings":
            pyproject = root / "pyproject.toml"
            text = pyproject.read_text(encoding="utf-8")
            text = text.replace("exclude_type_checking_imports = true\n", "")
            if self.flag:
                text += "exclude_type_checking_imports = true\n"
            pyproject.write_text(text, encoding="utf-8")
        else:
            raise AssertionError(self.kind)


edits = st.builds(
    Edit,
    kind=st.sampled_from(
        [
            "import",
            "import",
            "import",
            "clear",
            "same-size",
            "add",
            "remove",
            "rename",
            "layers",
            "no-layers",
            "settings",
        ]
    ),
    package=st.sampled_from(PACKAGES),
    name=st.sampled_from(NAMES),
    other_package=st.sampled_from(PACKAGES),
    other=st.sampled_from(NAMES),
    flag=st.booleans(),
)


def _project(root: Path) -> Path:
    header = "from typing import TYPE_CHECKING\n"
    files = {"src/pkg/__init__.py": "", "contracts/rules.toml": CONTRACTS}
    for package in PACKAGES:
        files[f"src/pkg/{package}/__init__.py"] = ""
        for name in NAMES[:2]:
            files[f"src/pkg/{package}/{name}.py"] = header
    return make_project(root, files)


def _in_process(root: Path, *extra: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        status = main(["check", "--root", str(root), "--format", "json", *extra], out)
    return status, out.getvalue(), err.getvalue()


def _executable(root: Path, *extra: str) -> tuple[int, str, str]:
    done = run(["archlint", "check", "--root", str(root), "--format", "json", *extra], root)
    return done.returncode, done.stdout, done.stderr


def _check_sequence(sequence: list[Edit], runner: str) -> None:
    check = _in_process if runner == "main" else _executable
    with tempfile.TemporaryDirectory() as tmp:
        root = _project(Path(tmp))
        assert check(root) == check(root, "--no-cache")
        for step, edit in enumerate(sequence):
            edit.apply(root)
            cached = check(root)
            uncached = check(root, "--no-cache")
            assert cached == uncached, f"after step {step}: {edit}"
            if step % 2:
                assert check(root) == uncached, f"second cached run after step {step}: {edit}"


_SETTINGS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow],
    "derandomize": False,
}


@settings(max_examples=20, **_SETTINGS)  # type: ignore[arg-type]
@given(st.lists(edits, min_size=1, max_size=5))
# Found by this test: grimp caches imports already resolved against the modules that exist,
# so b.m0's 'import pkg.a.m2' was cached as an import of pkg.a until a.m2 was added.
@example([Edit("import", "b", "m0", "a", "m2"), Edit("add", "a", "m2")])
def test_cached_equals_uncached(sequence: list[Edit]) -> None:
    _check_sequence(sequence, "main")


@pytest.mark.slow
@settings(max_examples=80, **_SETTINGS)  # type: ignore[arg-type]
@given(st.lists(edits, min_size=1, max_size=15))
def test_cached_equals_uncached_long(sequence: list[Edit]) -> None:
    _check_sequence(sequence, "main")


@pytest.mark.slow
@settings(max_examples=10, **_SETTINGS)  # type: ignore[arg-type]
@given(st.lists(edits, min_size=1, max_size=6))
def test_cached_equals_uncached_real_executable(sequence: list[Edit]) -> None:
    _check_sequence(sequence, "archlint")


def test_a_fixed_sequence_through_the_real_executable() -> None:
    _check_sequence(
        [
            Edit("import", "a", "m0", "b", "m1"),
            Edit("same-size", "a", "m0"),
            Edit("settings", flag=True),
            Edit("rename", "a", "m0", "a", "m2"),
            Edit("layers", flag=True),
        ],
        "archlint",
    )
