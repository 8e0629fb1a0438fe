"""Which files ``archlint check`` reads: every Python file of the project, as ruff finds them.

Every ``*.py`` file below the project folder counts, ``tests/`` included, except:

- folders no one means to check: version control, caches, build output, virtual environments
  (any folder holding ``pyvenv.cfg``), archlint's own ``.archlint_cache`` (the same defaults
  ruff excludes);
- what ``[tool.archlint] exclude`` names (glob patterns, as ruff's ``exclude``);
- what git ignores (``.gitignore``, ``.git/info/exclude``, the global excludes file), asked of
  git itself, so the answer is git's own; outside a git work tree there is no such answer and
  ``.gitignore`` files are not applied (git does not apply them there either);
- folders holding a project of their own (the caller says which: a ``pyproject.toml`` with
  ``[tool.archlint]``), which have their own rules.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

#: The file whose ``[tool.archlint]`` table makes a folder a project of its own.
PYPROJECT = "pyproject.toml"

#: The folders ruff excludes by default (its ``exclude`` setting), and archlint's cache.
DEFAULT_EXCLUDES = frozenset(
    {
        ".archlint_cache",
        ".bzr",
        ".direnv",
        ".eggs",
        ".git",
        ".git-rewrite",
        ".hg",
        ".ipynb_checkpoints",
        ".mypy_cache",
        ".nox",
        ".pants.d",
        ".pyenv",
        ".pytest_cache",
        ".pytype",
        ".ruff_cache",
        ".svn",
        ".tox",
        ".venv",
        ".vscode",
        "__pycache__",
        "__pypackages__",
        "_build",
        "buck-out",
        "dist",
        "node_modules",
        "site-packages",
        "venv",
    }
)


@functools.lru_cache(maxsize=256)
def _compile(pattern: str) -> re.Pattern[str]:
    """A glob as a regular expression over ``/``-separated relative paths.

    ``*`` and ``?`` stay inside one path segment, ``**`` spans any number of them, ``[...]``
    is a character class. A pattern without ``/`` matches a file or folder name at any depth;
    one with ``/`` matches from the project folder.
    """
    text = pattern.strip().replace("\\", "/").rstrip("/")
    text = text.removeprefix("./")
    anchored = "/" in text
    out: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if text.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif text.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            end = text.find("]", i + 1)
            body = text[i + 1 : end]
            negate = body.startswith("!")
            body = body[1:] if negate else body
            out.append(f"[{'^' if negate else ''}{body.replace(chr(92), chr(92) * 2)}]")
            i = end + 1
        else:
            out.append(re.escape(c))
            i += 1
    prefix = "" if anchored else "(?:.*/)?"
    return re.compile(f"{prefix}{''.join(out)}")


@dataclass(frozen=True)
class Excludes:
    """The ``exclude`` patterns of a project."""

    patterns: tuple[str, ...] = ()

    def excludes(self, relative: str) -> bool:
        """Whether the ``/``-separated path ``relative`` (a file or a folder) is excluded."""
        return any(_compile(p).fullmatch(relative) for p in self.patterns)


@dataclass(frozen=True)
class GitIgnores:
    """What git ignores below the project folder: untracked ignored files and folders."""

    #: The top folder of the git work tree.
    top: Path
    #: Ignored paths relative to the project folder; folders end with ``/``.
    paths: frozenset[str]

    def ignores(self, relative: str, is_dir: bool) -> bool:
        """Whether git ignores the path ``relative`` (``/``-separated)."""
        return (relative + "/" if is_dir else relative) in self.paths


def git_ignores(root: Path) -> GitIgnores | None:
    """What git ignores below ``root``, or None outside a git work tree (or without git).

    ``git ls-files --others --ignored --exclude-standard --directory`` lists exactly what git
    ignores, folders as one entry; tracked files are never ignored, as in git itself.
    """
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=root,
            capture_output=True,
            check=False,
        )
        if top.returncode != 0:
            return None
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory"],
            cwd=root,
            capture_output=True,
            check=False,
        )
    except OSError:
        return None
    if listed.returncode != 0:
        return None
    paths = frozenset(p for p in listed.stdout.decode("utf-8", "surrogateescape").split("\0") if p)
    return GitIgnores(Path(os.fsdecode(top.stdout.strip())), paths)


#: The entries of a folder (a path string) when some earlier walk has them, else None.
Listed = Callable[[str], Sequence[os.DirEntry[str]] | None]


def project_python_files(
    root: Path,
    excludes: Excludes,
    ignores: GitIgnores | None,
    own_project: Callable[[str], bool] = lambda folder: False,
    listed: Listed = lambda folder: None,
) -> list[Path]:
    """Every ``*.py`` file below ``root`` that is checked, sorted by path.

    ``own_project(folder)`` tells whether a subfolder holds a project of its own (it is then
    left to that project); it is asked only of folders with a ``pyproject.toml`` entry.
    ``listed(folder)`` gives the entries of a folder an earlier walk listed (the module
    inventory's), so that the folders of the root packages are not listed twice. Folder links
    are not followed.
    """
    top = _listing(str(root), listed)
    if top is None:
        return []
    return sorted(_walk(top, "", excludes, ignores, own_project, listed))


def _listing(folder: str, listed: Listed) -> list[os.DirEntry[str]] | None:
    """The entries of ``folder`` sorted by name; None when it cannot be listed."""
    entries = listed(folder)
    if entries is None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return None
    return sorted(entries, key=lambda e: e.name)


def _skipped(entries: Sequence[os.DirEntry[str]], own_project: Callable[[str], bool]) -> bool:
    """Whether a folder of these entries is a virtual environment (a ``pyvenv.cfg`` file) or
    a project of its own: read from its listing, without a look-up per folder."""
    for entry in entries:
        name = entry.name
        if name == "pyvenv.cfg" and _may_be_file(entry):
            return True
        if name == PYPROJECT and own_project(os.path.dirname(entry.path)):
            return True
    return False


def _walk(
    entries: Sequence[os.DirEntry[str]],
    relative: str,
    excludes: Excludes,
    ignores: GitIgnores | None,
    own_project: Callable[[str], bool],
    listed: Listed,
) -> Iterator[Path]:
    for entry in entries:
        rel = f"{relative}{entry.name}"
        if entry.is_dir(follow_symlinks=False):
            if (
                entry.name in DEFAULT_EXCLUDES
                or excludes.excludes(rel)
                or (ignores is not None and ignores.ignores(rel, True))
            ):
                continue
            inside = _listing(entry.path, listed)
            if inside is None or _skipped(inside, own_project):
                continue
            yield from _walk(inside, rel + "/", excludes, ignores, own_project, listed)
        elif entry.name.endswith(".py") and _may_be_file(entry):
            if excludes.excludes(rel) or (ignores is not None and ignores.ignores(rel, False)):
                continue
            yield Path(entry.path)


def _may_be_file(entry: os.DirEntry[str]) -> bool:
    """Whether ``entry`` is a file, or a link that cannot be followed for another reason than
    a missing target (a loop, a permission): such a file is checked, and reading it says
    why it cannot be read, instead of the walk failing."""
    try:
        return entry.is_file()
    except OSError:
        return True


def relative_to(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` with ``/`` separators (as given when not below it)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
