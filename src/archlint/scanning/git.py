"""Reading a project's files as they were at a git ref, without touching the working tree.

``git ls-tree`` lists the blobs of the ref's tree below the project's folder and
``git cat-file --batch`` streams their contents into a destination folder (a temporary one,
the caller's). Only plumbing commands that read the object database run: no checkout, no
change to the index, the working tree or ``HEAD``, and ``.gitattributes`` (``export-ignore``,
filters) play no part, as they would with ``git archive``.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from archlint.domain.errors import GitError

__all__ = [
    "Blob",
    "Commit",
    "TreeAtRef",
    "commits_in",
    "list_blobs",
    "read_blobs",
    "read_tree_at_ref",
    "repository",
]

#: Blob modes of regular files (executable or not); links and submodules are left out.
_FILE_MODES = frozenset({"100644", "100755"})


@dataclass(frozen=True, slots=True)
class TreeAtRef:
    """What was written: the ref as given, the commit it names, the files written."""

    ref: str
    commit: str
    files: int


def _git(args: Sequence[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    """Run ``git args`` in ``cwd``; its standard output, or GitError with its message."""
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    except OSError as e:
        raise GitError(f"cannot run git: {e.strerror}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout


def repository(folder: Path, needed_by: str = "--compare") -> tuple[Path, str]:
    """The top folder of the repository holding ``folder``, and ``folder`` relative to it
    (``""`` at the top, else ending with ``/``). ``needed_by`` names the option in the error
    raised outside any repository."""
    try:
        out = _git(["rev-parse", "--show-toplevel", "--show-prefix"], folder)
    except GitError as e:
        if "not a git repository" in str(e).lower():
            raise GitError(
                f"{folder} is not in a git repository: {needed_by} needs one "
                f"(or run without {needed_by})"
            ) from None
        raise
    top, _, prefix = out.decode("utf-8", "surrogateescape").partition("\n")
    return Path(top.strip()), prefix.strip()


def _commit(top: Path, ref: str) -> str:
    """The commit ``ref`` names, or GitError."""
    if ref.startswith("-") or not ref.strip():
        raise GitError(f"unknown git ref '{ref}'")
    try:
        out = _git(
            ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], top
        )
    except GitError:
        raise GitError(
            f"unknown git ref '{ref}': no commit, branch or tag has that name in {top}"
        ) from None
    return out.decode("ascii").strip()


def read_tree_at_ref(
    folder: Path,
    ref: str,
    dest: Path,
    wanted: Callable[[PurePosixPath], bool] = lambda _: True,
) -> TreeAtRef:
    """Write the files below ``folder`` as they were at ``ref`` into ``dest``.

    ``folder`` is a folder of a git working tree (a project may sit below the repository's
    top); the files are written at the same paths relative to ``dest`` as they have relative
    to ``folder``. ``wanted`` picks the files by that relative path. Files the ref does not
    have below ``folder`` are simply not written: ``dest`` may stay empty.

    Raises :class:`GitError` when ``folder`` is in no git repository, when ``ref`` names no
    commit, or when git fails.
    """
    top, prefix = repository(folder)
    commit = _commit(top, ref)
    blobs = list_blobs(top, commit, prefix, wanted)
    contents = read_blobs(top, [blob.sha for blob in blobs])
    for blob in blobs:
        target = dest.joinpath(*blob.path.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(contents[blob.sha])
    return TreeAtRef(ref, commit, len(blobs))


@dataclass(frozen=True, slots=True)
class Blob:
    """A regular file of a commit's tree: its blob id and its path below the project folder."""

    sha: str
    path: PurePosixPath


def list_blobs(
    top: Path,
    commit: str,
    prefix: str = "",
    wanted: Callable[[PurePosixPath], bool] = lambda _: True,
) -> list[Blob]:
    """The regular files of ``commit`` below ``prefix`` (a folder of the repository at
    ``top``), with paths relative to it, that ``wanted`` picks. Links and submodules are left
    out."""
    paths = ["--", prefix] if prefix else []
    listing = _git(["ls-tree", "-r", "-z", "--full-tree", commit, *paths], top)
    blobs: list[Blob] = []
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        mode, kind, sha = meta.decode("ascii").split()
        if kind != "blob" or mode not in _FILE_MODES:
            continue
        path = PurePosixPath(os.fsdecode(raw_path))
        relative = path.relative_to(prefix) if prefix else path
        if ".." in relative.parts or relative.is_absolute():
            continue
        if wanted(relative):
            blobs.append(Blob(sha, relative))
    return blobs


def read_blobs(top: Path, shas: Sequence[str]) -> dict[str, bytes]:
    """The contents of the blobs ``shas`` of the repository at ``top``, by id (one
    ``git cat-file --batch`` for all of them)."""
    wanted = list(dict.fromkeys(shas))
    if not wanted:
        return {}
    contents = _git(["cat-file", "--batch"], top, "".join(f"{s}\n" for s in wanted).encode())
    found: dict[str, bytes] = {}
    position = 0
    for sha in wanted:
        header_end = contents.index(b"\n", position)
        header = contents[position:header_end].decode("ascii").split()
        if len(header) != 3 or header[0] != sha:
            raise GitError(f"git cat-file gave an unexpected answer for blob {sha}")
        size = int(header[2])
        start = header_end + 1
        found[sha] = contents[start : start + size]
        position = start + size + 1  # each object's content is followed by a newline
    return found


@dataclass(frozen=True, slots=True)
class Commit:
    """A commit: its id, its committer date (ISO 8601) and its subject line."""

    sha: str
    date: str
    subject: str


def commits_in(top: Path, rev_range: str) -> list[Commit]:
    """The commits of ``rev_range`` (``main~50..main``, ``v1.0..HEAD``, or one ref for its
    whole history), oldest first, following first parents: the mainline, a merge counting as
    one step. GitError for a range git does not understand."""
    if not rev_range.strip() or rev_range.startswith("-"):
        raise GitError(f"not a revision range: '{rev_range}'")
    try:
        out = _git(
            [
                "log",
                "--reverse",
                "--first-parent",
                "--no-show-signature",
                "--format=%H%x1f%cI%x1f%s%x1e",
                "--end-of-options",
                rev_range,
                "--",
            ],
            top,
        )
    except GitError as e:
        raise GitError(f"cannot read the commits of '{rev_range}': {e}") from None
    commits = []
    for record in out.decode("utf-8", "replace").split("\x1e"):
        fields = record.strip("\n").split("\x1f")
        if len(fields) == 3:
            commits.append(Commit(*fields))
    return commits
