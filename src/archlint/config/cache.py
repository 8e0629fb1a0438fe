"""Loading a project's rules from a cache when no configuration file changed.

Reading and validating a thousand deprecations and a hundred contracts takes tens of
milliseconds of pure-Python TOML parsing; a flake8 run pays it in every worker process. The
validated :class:`~archlint.domain.model.Project` is therefore kept, pickled, in the project's
``.archlint_cache/``, keyed by the name, size and modification time of every configuration file,
by archlint's version, and by the current and project folders (file names in the model are
shown relative to the current folder). Any change to any of them, or an unreadable cache,
means a fresh read. The cache folder holds its own ``.gitignore``, so it is never committed;
like ``.pyc`` files, it is trusted as the project's own.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from pathlib import Path

from archlint import __version__
from archlint.domain.model import Project

from .loader import PYPROJECT, load_project

#: archlint's cache folder, below the project root.
CACHE_DIR = ".archlint_cache"
_CACHE_FILE = "project.pickle"


def cache_folder(root: Path) -> Path:
    """``root/.archlint_cache``, created with a ``.gitignore`` and a ``CACHEDIR.TAG``."""
    folder = root / CACHE_DIR
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / ".gitignore").write_text("# Created by archlint.\n*\n", encoding="utf-8")
        (folder / "CACHEDIR.TAG").write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n# archlint cache\n", encoding="utf-8"
        )
    return folder


def _stamp(root: Path) -> tuple[object, ...] | None:
    """archlint's version, the current and project folders, and ``pyproject.toml``'s size and
    mtime (None if it is unreadable).

    ``pyproject.toml`` names the contracts folder, so the folder's own stamp
    (:func:`_contract_stamp`) is taken from the folder the cached project was read from; a
    change of folder changes ``pyproject.toml`` and so this stamp.
    """
    try:
        entries: list[tuple[str, int, int]] = []
        pyproject = os.stat(root / PYPROJECT)
        entries.append((PYPROJECT, pyproject.st_size, pyproject.st_mtime_ns))
        # Paths in the model are shown relative to the current folder, so a run from another
        # folder, or of a copied project, reads the files again rather than show stale paths.
        return (__version__, os.getcwd(), str(root), tuple(entries))
    except OSError:
        return None


def _contract_stamp(folder: Path) -> tuple[tuple[str, int, int], ...]:
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".toml"))
    except OSError:
        return ()
    out = []
    for name in names:
        try:
            st = os.stat(folder / name)
        except OSError:
            continue
        out.append((name, st.st_size, st.st_mtime_ns))
    return tuple(out)


def load_project_cached(root: Path) -> Project:
    """Like :func:`~archlint.config.loader.load_project`, through the cache when it is valid.

    Configuration errors are never cached: a broken file is read (and reported) every time.
    """
    root = root.resolve()
    head = _stamp(root)
    path = root / CACHE_DIR / _CACHE_FILE
    if head is not None:
        cached = read_pickle(path)
        if isinstance(cached, tuple) and len(cached) == 3:
            stamp, contracts_dir, project = cached
            if (
                isinstance(contracts_dir, str)
                and isinstance(project, Project)
                and stamp == (head, _contract_stamp(root / contracts_dir))
            ):
                return project
    project = load_project(root)
    if head is not None:
        contracts_dir = project.settings.contracts_dir
        stamp = (head, _contract_stamp(root / contracts_dir))
        with contextlib.suppress(OSError):  # a read-only checkout still works, only slower
            write_pickle(cache_folder(root) / _CACHE_FILE, (stamp, contracts_dir, project))
    return project


def read_pickle(path: Path) -> object | None:
    """What ``path`` holds, or None when it is missing, unreadable or not a pickle archlint
    can load (another version's, a truncated one)."""
    try:
        with open(path, "rb") as f:
            return pickle.load(f)  # type: ignore[no-any-return]
    except (
        OSError,
        pickle.UnpicklingError,
        EOFError,
        ValueError,
        TypeError,
        AttributeError,
        ImportError,
    ):
        return None


def write_pickle(path: Path, value: object) -> None:
    """Write ``value`` to ``path`` atomically (a temporary file beside it, then a rename), so
    that another process never reads half a file. Raises OSError when it cannot."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-")
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
