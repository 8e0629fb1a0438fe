"""Caches a verdict can be trusted with: never stale, never executed, never fatal.

Everything here runs the real ``archlint`` and ``flake8`` executables on projects built in
``tmp_path``, with the default cache on, and compares what they say with ``--no-cache``.
"""

from __future__ import annotations

import difflib
import os
import pickle
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from ..helpers import make_project, run

#: Two contracts that need two graphs: the first is checked without TYPE_CHECKING imports,
#: so its graph is built (and grimp's cache written) before the second contract's graph.
TWO_GRAPHS = """
[[contracts]]
id = "forb"
type = "forbidden"
source_modules = ["pkg.b"]
forbidden_modules = ["pkg.a"]
exclude_type_checking_imports = true

[[contracts]]
id = "indep"
type = "independence"
modules = ["pkg.a", "pkg.b"]

[[deprecations]]
old = "pkg.b.old"
new = "pkg.b.x"
"""

BREAK = "from pkg.b.x import Y\n"


def _project(root: Path) -> Path:
    return make_project(
        root,
        {
            "src/pkg/__init__.py": "",
            "src/pkg/a/__init__.py": "",
            "src/pkg/a/m.py": "x = 1\n",
            "src/pkg/b/__init__.py": "",
            "src/pkg/b/x.py": "class Y:\n    pass\n",
            "src/pkg/b/old.py": "",
            "src/pkg/c.py": "import pkg.b.old\n",
            "contracts/rules.toml": TWO_GRAPHS,
        },
    )


def _green(root: Path) -> bool:
    """``archlint check`` keeps every contract (it still reports ``c.py``'s ARC001, which the
    project holds on purpose for the plugin's sake)."""
    done = run(["archlint", "check"], root)
    return done.returncode == 1 and "KEPT" in done.stdout and "BROKEN" not in done.stdout


def _broken(root: Path) -> bool:
    done = run(["archlint", "check"], root)
    return done.returncode == 1 and "BROKEN indep" in done.stdout


def _append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as f:
        f.write(text)


def _verdict(root: Path, *extra: str) -> tuple[int, str, str]:
    done = run(["archlint", "check", "--format", "json", *extra], root)
    return done.returncode, done.stdout, done.stderr


def _assert_same(cached: tuple[int, str, str], uncached: tuple[int, str, str]) -> None:
    """The two verdicts are the same; when not, the failure shows the lines that differ (a
    JSON report is long, and the difference may be one count)."""
    if cached != uncached:
        diff = difflib.unified_diff(
            cached[1].splitlines(), uncached[1].splitlines(), "cached", "--no-cache", lineterm=""
        )
        raise AssertionError(
            f"exit {cached[0]} vs {uncached[0]}; stderr {cached[2]!r} vs {uncached[2]!r}\n"
            + "\n".join(diff)
        )


def _assert_same_as_uncached(root: Path) -> None:
    cached = _verdict(root)
    assert cached[2] == "", cached[2]
    _assert_same(cached, _verdict(root, "--no-cache"))


def test_two_graphs_never_give_a_stale_green(tmp_path: Path) -> None:
    root = _project(tmp_path)
    assert _green(root)
    _append(root / "src" / "pkg" / "a" / "m.py", BREAK)
    for _ in range(2):
        done = run(["archlint", "check"], root)
        assert done.returncode == 1, done.stdout
        assert "BROKEN indep" in done.stdout
    _assert_same_as_uncached(root)
    # ... and back: the import removed, both graphs kept again.
    (root / "src" / "pkg" / "a" / "m.py").write_text("x = 1\n", encoding="utf-8")
    assert _green(root)
    _assert_same_as_uncached(root)


class _WritesMarker:
    """Unpickled, it would create ``path``: what a hostile pull request would commit."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (exec, (f"open({str(self.path)!r}, 'w').write('ran')",))


def _plant(root: Path, marker: Path) -> None:
    folder = root / ".archlint_cache"
    folder.mkdir(exist_ok=True)
    payload = pickle.dumps(_WritesMarker(marker))
    names = {"project.pickle", "check.pickle", "project.json", "check.json"}
    names |= {p.name for p in folder.iterdir() if p.is_file()}
    for name in names:
        (folder / name).write_bytes(payload)


@pytest.mark.parametrize("warm", [False, True], ids=["fresh", "after-a-run"])
def test_a_planted_pickle_never_runs(tmp_path: Path, warm: bool) -> None:
    root = _project(tmp_path / "project")
    marker = tmp_path / "marker"
    if warm:
        assert _green(root)
    _plant(root, marker)
    check = run(["archlint", "check"], root)
    lint = run(["archlint", "lint"], root)
    flake8 = run(["flake8", "--select", "ARC", "src"], root)
    assert not marker.exists(), "a pickle from the checked tree was loaded"
    assert check.returncode == 1 and check.stderr == "", check.stderr
    assert "KEPT   indep" in check.stdout and "ARC001" in check.stdout
    assert lint.returncode == 1 and "ARC001" in lint.stdout, lint.stdout + lint.stderr
    assert "ARC001" in flake8.stdout and "ARC900" not in flake8.stdout, flake8.stdout
    assert flake8.stderr == ""
    _plant(root, marker)
    _append(root / "src" / "pkg" / "a" / "m.py", BREAK)
    assert _broken(root)
    assert not marker.exists()


def _bad_frame(path: Path) -> None:
    # A pickle protocol-4 frame whose length is 2**64 - 1: MemoryError or OverflowError when
    # unpickled.
    path.write_bytes(b"\x80\x04\x95" + b"\xff" * 8 + b"}\x94.")


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _random_bytes(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 7 + b"\x00\xff" * 100)


def _wrong_shape(path: Path) -> None:
    path.write_text('[1, 2, {"schema": "x"}, null]', encoding="utf-8")


def _another_version(path: Path) -> None:
    import json

    try:
        data = json.loads(path.read_bytes())
    except ValueError:
        data = None
    if isinstance(data, dict):
        for key in ("schema", "archlint", "version"):
            if key in data:
                data[key] = 999 if isinstance(data[key], int) else "999.0.0"
        path.write_text(json.dumps(data), encoding="utf-8")
    else:
        path.write_text('{"schema": 999, "archlint": "999.0.0", "key": "x"}', encoding="utf-8")


def _empty_object(path: Path) -> None:
    path.write_text("{}", encoding="utf-8")


def _deep_nesting(path: Path) -> None:
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")


def _directory(path: Path) -> None:
    path.unlink()
    (path / "inside").mkdir(parents=True)


def _unreadable(path: Path) -> None:
    # As root (the tests' user) this is still readable; the FIFO and the links below are not.
    path.chmod(0)


def _fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _dangling_link(path: Path) -> None:
    path.unlink()
    path.symlink_to(path.parent / "nowhere")


def _link_loop(path: Path) -> None:
    path.unlink()
    path.symlink_to(path)


DAMAGE: dict[str, Callable[[Path], None]] = {
    "bad-frame-length": _bad_frame,
    "truncated": _truncated,
    "random-bytes": _random_bytes,
    "wrong-json-shape": _wrong_shape,
    "empty-json-object": _empty_object,
    "another-version": _another_version,
    "deep-nesting": _deep_nesting,
    "directory": _directory,
    "unreadable": _unreadable,
    "fifo": _fifo,
    "dangling-link": _dangling_link,
    "link-loop": _link_loop,
}


def _cache_files(root: Path) -> list[Path]:
    """Every file archlint (or grimp, for archlint) keeps in the cache folder."""
    folder = root / ".archlint_cache"
    return sorted(
        p for p in folder.rglob("*") if p.is_file() and p.name not in (".gitignore", "CACHEDIR.TAG")
    )


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_cache_is_rebuilt_silently(tmp_path: Path, damage: str) -> None:
    root = _project(tmp_path)
    assert _green(root)
    assert run(["flake8", "--select", "ARC", "src"], root).returncode == 1
    files = _cache_files(root)
    assert files
    for path in files:
        DAMAGE[damage](path)
    # A module edit too, so that the report and grimp's caches would matter.
    _append(root / "src" / "pkg" / "a" / "m.py", BREAK)
    for _ in range(2):  # the damaged cache, then the one rebuilt in its place
        status, out, err = _verdict(root)
        assert err == "" and status == 1, err
        _assert_same((status, out, err), _verdict(root, "--no-cache"))
        flake8 = run(["flake8", "--select", "ARC", "src"], root)
        assert "ARC900" not in flake8.stdout and flake8.stderr == "", flake8.stdout + flake8.stderr
        assert "ARC001" in flake8.stdout
        lint = run(["archlint", "lint"], root)
        assert lint.returncode == 1 and lint.stderr == "", lint.stderr


def test_a_cache_folder_that_is_a_file_or_a_link_is_not_used(tmp_path: Path) -> None:
    root = _project(tmp_path / "project")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / ".archlint_cache").symlink_to(elsewhere)
    _assert_same_as_uncached(root)
    assert list(elsewhere.iterdir()) == [], "archlint wrote through a planted link"
    (root / ".archlint_cache").unlink()
    (root / ".archlint_cache").write_text("not a folder")
    _assert_same_as_uncached(root)
    assert run(["flake8", "--select", "ARC", "src"], root).stderr == ""


def test_planted_links_inside_the_cache_are_never_written_through(tmp_path: Path) -> None:
    root = _project(tmp_path / "project")
    assert _green(root)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    for path in _cache_files(root):
        path.unlink()
        path.symlink_to(victim)
    _append(root / "src" / "pkg" / "a" / "m.py", BREAK)
    _assert_same_as_uncached(root)
    assert victim.read_text() == "keep me\n"


def test_a_committed_cache_folder_is_not_trusted(tmp_path: Path) -> None:
    # A cache copied with the tree (as a pull request would commit it, timestamps kept) is
    # read as another tree's: the copy gives the verdict of its own code.
    first = _project(tmp_path / "first")
    assert _green(first)
    second = tmp_path / "second"
    shutil.copytree(first, second, symlinks=True, copy_function=shutil.copy2)
    _append(second / "src" / "pkg" / "a" / "m.py", BREAK)
    m = second / "src" / "pkg" / "a" / "m.py"
    original = (first / "src" / "pkg" / "a" / "m.py").stat()
    os.utime(m, ns=(original.st_atime_ns, original.st_mtime_ns))
    assert _broken(second)
    _assert_same_as_uncached(second)


def test_unreadable_cache_folder_contents_are_skipped(tmp_path: Path) -> None:
    root = _project(tmp_path)
    assert _green(root)
    folder = root / ".archlint_cache"
    for path in folder.iterdir():
        if path.is_dir():
            path.chmod(0)
    try:
        _append(root / "src" / "pkg" / "a" / "m.py", BREAK)
        _assert_same_as_uncached(root)
    finally:
        for path in folder.iterdir():
            if path.is_dir() and not path.is_symlink():
                path.chmod(stat.S_IRWXU)
