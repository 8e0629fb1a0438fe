"""Which files a command reads: the paths given, or the project's source roots and tests."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from archlint.domain import model
from archlint.domain.errors import ArchlintError

#: Folders never walked into, besides hidden ones (``.git``, ``.venv``, archlint's own
#: ``.archlint_cache``) and virtual environments of any name.
SKIP_DIRS = frozenset({"__pycache__", "node_modules", "site-packages"})


class PathNotFound(ArchlintError):
    """A path given on the command line does not exist."""

    def __init__(self, path: str) -> None:
        super().__init__(f"{path}: no such file or directory")


def default_paths(project: model.Project) -> list[Path]:
    """The project's source roots, and its ``tests/`` folder when there is one."""
    paths = list(project.source_root_paths)
    tests = project.root / "tests"
    if tests.is_dir():
        paths.append(tests)
    return paths


def _skipped_dir(entry: os.DirEntry[str]) -> bool:
    name = entry.name
    if name.startswith(".") or name in SKIP_DIRS:
        return True
    # A virtual environment, whatever its name.
    return os.path.isfile(os.path.join(entry.path, "pyvenv.cfg"))


def python_files(paths: Iterable[Path]) -> list[Path]:
    """The files to read: each file given, and the ``*.py`` files below each folder given.

    Hidden folders, ``__pycache__``, archlint's cache and virtual environments are skipped.
    Each file comes once, in a stable order. A ``*.py`` name that is no regular file (a FIFO,
    a socket, a dangling link or a link loop) is listed too, so that the reader reports it
    (:func:`archlint.scanning.screen.read_source` never opens it); folder links are not
    followed.

    Raises:
        PathNotFound: a path does not exist.
    """
    found: list[Path] = []
    seen: set[str] = set()

    def add(path: Path, key: str) -> None:
        if key not in seen:
            seen.add(key)
            found.append(path)

    for path in paths:
        if path.is_file():
            add(path, os.path.realpath(path))
        elif not path.is_dir() and os.path.lexists(path):
            add(path, os.path.realpath(path))  # a special file or a broken link: reported
        elif path.is_dir():
            # One realpath per folder given, not per file: below it, a file's real path is the
            # folder's followed by its own relative path, unless the file is a link itself.
            given, real = str(path), os.path.realpath(path)
            for file, is_link in _walk(path):
                text = str(file)
                key = os.path.realpath(file) if is_link else real + text[len(given) :]
                add(file, key)
        else:
            raise PathNotFound(str(path))
    return found


def _walk(folder: Path) -> Iterator[tuple[Path, bool]]:
    """Each ``*.py`` name below ``folder`` that is no folder (folder links not followed), and
    whether it is a link."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if not _skipped_dir(entry):
                yield from _walk(Path(entry.path))
        elif entry.name.endswith(".py"):
            yield Path(entry.path), entry.is_symlink()


def display_path(path: Path, cwd: Path) -> str:
    """``path`` relative to ``cwd`` when below it, with ``/`` separators; else as given."""
    try:
        relative = os.path.relpath(path, cwd)
    except ValueError:  # another drive, on Windows
        return str(path)
    if relative.startswith(".."):
        return str(path.resolve()) if not path.is_absolute() else str(path)
    return relative.replace(os.sep, "/")
