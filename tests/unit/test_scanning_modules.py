"""module_name_for_path: a file's dotted module name from its place under a source root."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from archlint.scanning.modules import ModuleName, module_name_for_path


def touch(root: Path, relative: str) -> Path:
    """Create an empty file (and its directories) and return its absolute path."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    return Path(os.path.abspath(path))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A src-layout project with the usual oddities, made of real files."""
    for relative in [
        "src/__init__.py",  # the stray one
        "src/pkg/__init__.py",
        "src/pkg/mod.py",
        "src/pkg/sub/__init__.py",
        "src/pkg/sub/deep.py",
        "src/pkg/nsub/plain.py",  # namespace sub-package: no __init__.py
        "src/pkg/nsub/inner/__init__.py",
        "src/top.py",
        "src/my-scripts/x.py",
        "src/pkg/foo.bar.py",
        "src/pkg/2fast.py",
        "src/pkg/data.txt",
        "src/pkg/stubs.pyi",
        "tests/test_a.py",
        "setup.py",
    ]:
        touch(tmp_path, relative)
    return tmp_path


def name_of(project: Path, relative: str, roots: list[str]) -> ModuleName | None:
    path = os.path.abspath(project / relative)
    return module_name_for_path(path, [Path(os.path.abspath(project / r)) for r in roots])


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("src/pkg/__init__.py", ModuleName("pkg", is_package=True)),
        ("src/pkg/mod.py", ModuleName("pkg.mod", is_package=False)),
        ("src/pkg/sub/__init__.py", ModuleName("pkg.sub", is_package=True)),
        ("src/pkg/sub/deep.py", ModuleName("pkg.sub.deep", is_package=False)),
        ("src/pkg/nsub/plain.py", ModuleName("pkg.nsub.plain", is_package=False)),
        ("src/pkg/nsub/inner/__init__.py", ModuleName("pkg.nsub.inner", is_package=True)),
        ("src/top.py", ModuleName("top", is_package=False)),
        # The stray src/__init__.py does not make "src" a package, nor name anything.
        ("src/__init__.py", None),
        # Components that are not identifiers.
        ("src/my-scripts/x.py", None),
        ("src/pkg/foo.bar.py", None),
        ("src/pkg/2fast.py", None),
        # Not .py files.
        ("src/pkg/data.txt", None),
        ("src/pkg/stubs.pyi", None),
        ("src/pkg", None),
        # Outside every root.
        ("tests/test_a.py", None),
        ("setup.py", None),
    ],
)
def test_src_layout(project: Path, relative: str, expected: ModuleName | None) -> None:
    assert name_of(project, relative, ["src"]) == expected


def test_first_containing_root_wins(project: Path) -> None:
    # "src" and "src/pkg" both contain src/pkg/mod.py; the order of the roots decides.
    assert name_of(project, "src/pkg/mod.py", ["src", "src/pkg"]) == ModuleName("pkg.mod", False)
    assert name_of(project, "src/pkg/mod.py", ["src/pkg", "src"]) == ModuleName("mod", False)


def test_several_roots(project: Path) -> None:
    roots = ["src", "tests", "."]
    assert name_of(project, "tests/test_a.py", roots) == ModuleName("test_a", False)
    assert name_of(project, "src/pkg/mod.py", roots) == ModuleName("pkg.mod", False)
    assert name_of(project, "setup.py", roots) == ModuleName("setup", False)


def test_root_prefix_is_matched_on_whole_components(tmp_path: Path) -> None:
    path = touch(tmp_path, "src2/pkg/mod.py")
    assert module_name_for_path(path, [Path(os.path.abspath(tmp_path / "src"))]) is None


def test_no_roots() -> None:
    assert module_name_for_path(os.path.abspath("x.py"), []) is None


def test_accepts_path_objects(tmp_path: Path) -> None:
    path = touch(tmp_path, "pkg/mod.py")
    assert module_name_for_path(path, [tmp_path]) == ModuleName("pkg.mod", False)


def test_filesystem_root_as_source_root() -> None:
    # "/" (or "C:\\") already ends with a separator; no second one may be required.
    anchor = os.path.abspath(os.sep)
    path = os.path.join(anchor, "pkg", "mod.py")
    assert module_name_for_path(path, [Path(anchor)]) == ModuleName("pkg.mod", False)


def test_does_not_touch_the_file_system(tmp_path: Path) -> None:
    # Pure path computation: the file need not exist.
    root = Path(os.path.abspath(tmp_path / "nowhere"))
    name = module_name_for_path(os.path.join(root, "a", "b.py"), [root])
    assert name == ModuleName("a.b", False)
