"""archlint's cache folder, and the validated configuration kept in it.

Reading and validating a thousand deprecations and a hundred contracts takes tens of
milliseconds of pure-Python TOML parsing; a flake8 run pays it in every worker process. The
validated :class:`~archlint.domain.model.Project` is therefore kept in the project's
``.archlint_cache/project.json``, keyed by the stamp (:mod:`.stamps`) of ``pyproject.toml``
and of every ``*.toml`` entry of the contracts folder, by the software that read them, and by
the current and project folders (file names in the model are shown relative to the current
folder). Any change to any of them means a fresh read.

The cache folder lies in the checked tree, where a pull request can put anything, so nothing
in it is trusted: it holds plain JSON (:mod:`.plain`), never a pickle; a file that is not a
regular file, too big, not JSON, of another schema or another archlint version, or that does
not fit the model is ignored and rewritten, silently. A cache folder that is a link or not a
folder is not used at all (archlint never writes through a link planted there).
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from pathlib import Path
from typing import Any

from archlint import __version__
from archlint.domain.model import CONTRACT_TYPES, Contract, Project

from .loader import PYPROJECT, load_project
from .plain import Codec, PlainDataError
from .stamps import file_stamp, now_ns, stamps_digest, tool_stamp

#: archlint's cache folder, below the project root.
CACHE_DIR = ".archlint_cache"
_CACHE_FILE = "project.json"
#: Files of earlier archlint versions, removed (never read) when the cache is written.
_LEGACY_FILES = ("project.pickle", "check.pickle")
#: Bumped whenever the layout of the cache files changes.
SCHEMA = 1
#: A cache file bigger than this is not read (a planted one could be any size).
MAX_CACHE_BYTES = 256 * 1024 * 1024

#: How the model and the reports are written to the caches.
CODEC = Codec({Contract: CONTRACT_TYPES})


def cache_folder(root: Path) -> Path:
    """``root/.archlint_cache``, created with a ``.gitignore`` and a ``CACHEDIR.TAG``.

    Raises OSError when it cannot be used: it cannot be created, or it is there but is a link
    or not a folder.
    """
    folder = root / CACHE_DIR
    try:
        mode = os.lstat(folder).st_mode
    except FileNotFoundError:
        folder.mkdir(parents=True)  # FileExistsError if another process was quicker: fine
        _write_new(folder / ".gitignore", "# Created by archlint.\n*\n")
        _write_new(folder / "CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n")
        return folder
    if not stat.S_ISDIR(mode):
        raise NotADirectoryError(f"{folder} is not a folder archlint created")
    return folder


def existing_cache_folder(root: Path) -> Path | None:
    """``root/.archlint_cache`` if it is a real folder (not a link), else None."""
    folder = root / CACHE_DIR
    try:
        mode = os.lstat(folder).st_mode
    except OSError:
        return None
    return folder if stat.S_ISDIR(mode) else None


def _write_new(path: Path, text: str) -> None:
    # O_EXCL: never through a link, never over a file someone else put there.
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)


def read_json(path: Path, kind: str) -> dict[str, Any] | None:
    """The body of cache file ``path`` if it is a regular file of this archlint version and
    schema, written for ``kind``; None for anything else, whatever is wrong with it."""
    try:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(path, flags)
    except (OSError, ValueError):
        return None
    try:
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_CACHE_BYTES:
                return None
            data = json.loads(f.read(MAX_CACHE_BYTES + 1))
    # A cache is only ever a shortcut: whatever goes wrong reading it (a decoding error, JSON
    # nested too deep for the parser, memory) means reading the real files instead.
    except Exception:
        return None
    if not (
        type(data) is dict
        and data.get("schema") == SCHEMA
        and data.get("archlint") == __version__
        and data.get("kind") == kind
    ):
        return None
    return data


def write_json(path: Path, kind: str, body: dict[str, Any]) -> None:
    """Write ``body`` to cache file ``path`` atomically (a temporary file beside it, then a
    rename, which replaces a link rather than writing through it), so that another process
    never reads half a file. Raises OSError when it cannot."""
    # Imported here: a run whose caches are fresh writes nothing.
    import shutil
    import tempfile

    data = {"schema": SCHEMA, "archlint": __version__, "kind": kind, **body}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    with contextlib.suppress(OSError):
        if stat.S_ISDIR(os.lstat(path).st_mode):
            shutil.rmtree(path)  # junk where the file goes (never follows links inside)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    for legacy in _LEGACY_FILES:
        with contextlib.suppress(OSError):
            os.unlink(path.parent / legacy)


def _config_key(root: Path, contracts_dir: str, now: int) -> str | None:
    """The stamp of everything the configuration is read from, given its contracts folder;
    None when ``pyproject.toml`` or the contracts folder cannot be read."""
    pyproject = file_stamp(root / PYPROJECT, now)
    folder = root / contracts_dir
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".toml"))
    except (OSError, ValueError):
        return None
    if pyproject == ("missing",):
        return None
    entries = [(name, file_stamp(folder / name, now)) for name in names]
    # Paths in the model are shown relative to the current folder, so a run from another
    # folder, or of a copied project, reads the files again rather than show stale paths.
    return stamps_digest([tool_stamp(), os.getcwd(), str(root), contracts_dir, pyproject, entries])


def _cached_project(root: Path, now: int) -> tuple[Project | None, str | None]:
    """The cached project if its key still holds, and the contracts folder it names."""
    folder = existing_cache_folder(root)
    data = read_json(folder / _CACHE_FILE, "project") if folder is not None else None
    if data is None:
        return None, None
    contracts_dir = data.get("contracts_dir")
    if type(contracts_dir) is not str:
        return None, None
    key = _config_key(root, contracts_dir, now)
    if key is None or data.get("key") != key:
        return None, contracts_dir
    try:
        project = CODEC.decode(data.get("project"), Project)
    except PlainDataError:
        return None, contracts_dir
    if project.root != root or project.settings.contracts_dir != contracts_dir:
        return None, contracts_dir
    return project, contracts_dir


def load_project_cached(root: Path) -> Project:
    """Like :func:`~archlint.config.loader.load_project`, through the cache when it is valid.

    Configuration errors are never cached: a broken file is read (and reported) every time.
    Nothing about the cache is ever reported: a cache that cannot be read or written is
    ignored.
    """
    root = root.resolve()
    now = now_ns()
    project, contracts_dir = _cached_project(root, now)
    if project is not None:
        return project
    # The key is taken before the files are read: an edit made while they are read changes
    # the key of the next run, never the other way round. The contracts folder to stamp is
    # only known once pyproject.toml is read: a wrong guess costs a second read.
    guess = contracts_dir or "contracts"
    before = _config_key(root, guess, now)
    project = load_project(root)
    if project.settings.contracts_dir != guess:
        guess = project.settings.contracts_dir
        before = _config_key(root, guess, now)
        project = load_project(root)
    if (
        before is not None
        and project.settings.contracts_dir == guess
        and before == _config_key(root, guess, now)
    ):
        _store_project(root, before, project)
    return project


def _store_project(root: Path, key: str, project: Project) -> None:
    body = {
        "key": key,
        "contracts_dir": project.settings.contracts_dir,
        "project": CODEC.encode(project, Project),
    }
    with contextlib.suppress(OSError):  # a read-only checkout still works, only slower
        write_json(cache_folder(root) / _CACHE_FILE, "project", body)
