"""Reading a file to fix, and replacing it without losing a byte that someone else wrote.

The guarantee
-------------
``fix`` reads a file (:func:`read_file`), plans new bytes from what it read, and then calls
:func:`replace_file`. Between the two, anyone may edit the file. The new bytes take the old
file's place only if the old file, at the moment it is taken out of the way, still holds
exactly what was read; otherwise the file is left (or put back) as it is, and the caller is
told. In order:

1. The new bytes are written to a temporary file beside the old one, with its mode, and
   flushed to disk.
2. The old file is *taken aside*: renamed to a hidden name in the same folder. From here on,
   anyone who opens the path finds no file (and may create one), and anyone who still holds
   the old file open writes into the file that was taken aside.
3. The file taken aside is compared with what was read: same inode, same bytes. A different
   file, or different bytes, means an edit landed after the read: the old file goes back
   under its name (without replacing a file created there meanwhile) and nothing is written.
4. The new file is put in place with :func:`os.link`, which fails rather than replace a
   file: a file created at the path since step 2 is never overwritten.
5. The file taken aside is compared once more, then removed, and compared again through a
   descriptor held open on it; :meth:`Replaced.settle` compares it a last time, which
   ``fix`` does at the end of its run. A write that reached it through a descriptor opened
   before step 2 is so seen whenever it lands before that last look; the old file then goes
   back in place of the new one (which holds only what ``fix`` wrote) when it still has its
   name, or else its bytes are kept under a ``.archlint-old`` name that is reported.

So no write made through the path is ever lost, whenever it happens; a write made through a
descriptor opened before step 2 is lost only if it lands after the last look, once ``fix``
has finished (the same limit as every tool that saves by renaming: such a write goes to a
file that no longer has a name). Nothing here guards against a process that swaps folders
of the path for links while ``fix`` runs: links are resolved once, and the caller checks
where they lead.

:func:`os.link` is not available on every file system; where it fails for that reason, step
4 falls back to :func:`os.rename` after checking that the path is still free.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["FileChanged", "NotWritable", "ReadFile", "Replaced", "read_file", "replace_file"]

# Errors of os.link meaning "this file system cannot make hard links", not "the path is taken".
_NO_LINKS = frozenset(
    {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EXDEV, errno.EMLINK}
)
_WRITE_BITS = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH


class FileChanged(Exception):
    """The file on disk is no longer the one that was read; nothing was written.

    ``str(error)`` says what happened, in a few words, ready to follow ``path:line:col:``.
    """


class NotWritable(Exception):
    """The file is not to be written (read-only, or not a regular file); nothing was written."""


@dataclass(frozen=True, slots=True)
class ReadFile:
    """A file's bytes, and what identifies the file they were read from."""

    data: bytes
    device: int
    inode: int
    size: int
    mtime_ns: int
    mode: int

    def same_file(self, status: os.stat_result) -> bool:
        """Whether ``status`` is of the file read, unchanged as far as the status tells."""
        return (
            stat.S_ISREG(status.st_mode)
            and (status.st_dev, status.st_ino) == (self.device, self.inode)
            and status.st_size == self.size
            and status.st_mtime_ns == self.mtime_ns
        )


def read_file(path: Path) -> ReadFile:
    """Read the regular file at ``path`` (links followed), with its identity.

    A FIFO, socket or device is never read from: it is opened without blocking and refused.

    Raises:
        NotWritable: ``path`` is not a regular file.
        OSError: it cannot be opened or read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as stream:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise NotWritable("not a regular file")
        data = stream.read()
    return ReadFile(
        data, status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_mode
    )


def writable(read: ReadFile) -> str | None:
    """Why the file read must not be written, or None.

    A file without any write permission bit is treated as read-only even for root (for whom
    :func:`os.access` says yes): its mode is how the user said "do not change this file".
    """
    if not read.mode & _WRITE_BITS:
        return "the file is read-only"
    return None


def replace_file(path: Path, data: bytes, read: ReadFile) -> Replaced:
    """Replace the file at ``path`` (links followed) by ``data``, if it is still ``read``.

    See the module's documentation for the steps and the exact guarantee. The new file keeps
    the old one's mode (and owner, when allowed); a link stays a link. The caller settles
    the :class:`Replaced` it gets back as late as it can (at the end of its run).

    Raises:
        FileChanged: the file changed, moved or went away since it was read; it is left as
            it is (or put back), and nothing was written.
        NotWritable: the file is read-only.
        OSError: it could not be written; the old file is left as it was.
    """
    target = Path(os.path.realpath(path))
    folder, name = target.parent, target.name
    try:
        status = os.lstat(target)
    except FileNotFoundError:
        raise FileChanged("deleted while being fixed; nothing written") from None
    if not stat.S_ISREG(status.st_mode):
        raise FileChanged(
            "replaced by something else than a file while being fixed; nothing written"
        )
    if not read.same_file(status):
        raise FileChanged("changed on disk while being fixed; left as it is")
    why = writable(read)
    if why is not None:
        raise NotWritable(why)

    new = _write_temporary(folder, name, data, status)
    try:
        return _swap(folder, name, new, read)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(new)


def _write_temporary(folder: Path, name: str, data: bytes, status: os.stat_result) -> Path:
    """``data`` in a new hidden file beside ``name``, with the old file's mode, on disk."""
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".archlint-new")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, stat.S_IMODE(status.st_mode))
        if hasattr(os, "chown"):
            # Keeps the owner when allowed to (as root); otherwise the file is the user's own.
            with contextlib.suppress(OSError):
                os.chown(temporary, status.st_uid, status.st_gid)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return Path(temporary)


def _swap(folder: Path, name: str, new: Path, read: ReadFile) -> Replaced:
    """Steps 2 to 5: take the old file aside, check it, put ``new`` in place."""
    target = folder / name
    fd, placeholder = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".archlint-old")
    os.close(fd)
    aside = Path(placeholder)
    try:
        os.replace(target, aside)  # step 2 (replaces our own empty placeholder)
    except FileNotFoundError:
        _remove(aside)
        raise FileChanged("deleted while being fixed; nothing written") from None
    except BaseException:
        _remove(aside)
        raise
    old = os.open(aside, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        if not _holds(old, read):  # step 3
            _put_back(aside, target, "changed on disk while being fixed; left as it is")
        try:
            _place(new, target)  # step 4
        except FileExistsError:
            raise FileChanged(
                f"created again while being fixed; left as it is, and the file as it was "
                f"is kept as {aside.name}"
            ) from None
        except BaseException:
            _put_back(aside, target, None)
            raise
        if not _holds(old, read):  # step 5
            _undo(aside, target, new)
        os.unlink(aside)
        if not _holds(old, read):
            _recover(old, folder, name)
        return Replaced(os.dup(old), folder, name, read)
    finally:
        os.close(old)


class Replaced:
    """The old file of a replacement, held open for a last look after everything else.

    A write through a descriptor opened before the old file was taken aside lands in it, even
    once it has no name; :meth:`settle` saves it if one did. Until then an open descriptor is
    held: settle every :class:`Replaced`, or close it.
    """

    def __init__(self, fd: int, folder: Path, name: str, read: ReadFile) -> None:
        self._fd: int | None = fd
        self._folder = folder
        self._name = name
        self._read = read

    def settle(self) -> str | None:
        """Look at the old file a last time and let it go: None when nothing reached it,
        else what was done (its bytes kept beside the fixed file, under the name given)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return None
        try:
            if _holds(fd, self._read):
                return None
            try:
                _recover(fd, self._folder, self._name)
            except FileChanged as changed:
                return str(changed)
            return None  # pragma: no cover - _recover always raises
        finally:
            os.close(fd)

    def close(self) -> None:
        """Let the old file go without a last look."""
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)


def _holds(fd: int, read: ReadFile) -> bool:
    """Whether the open file ``fd`` is the file read, with the same bytes."""
    return read.same_file(os.fstat(fd)) and _read_all(fd) == read.data


def _read_all(fd: int) -> bytes:
    """Every byte of the open file ``fd`` (which may have no name any more)."""
    with os.fdopen(os.dup(fd), "rb") as stream:
        stream.seek(0)
        return stream.read()


def _put_back(aside: Path, target: Path, reason: str | None) -> None:
    """The old file back under its name, without replacing a file created there meanwhile.

    Raises:
        FileChanged: with ``reason`` (or the fact that the path was taken meanwhile).
    """
    try:
        _place(aside, target)
    except FileExistsError:
        raise FileChanged(
            f"changed on disk while being fixed, and a new file took its place: left as it "
            f"is; the file as it was is kept as {aside.name}"
        ) from None
    _remove(aside)
    if reason is not None:
        raise FileChanged(reason)


def _undo(aside: Path, target: Path, new: Path) -> None:
    """A write reached the old file after it was checked: it goes back in place of the new
    file, which holds only what fix wrote, when the new file is still untouched."""
    try:
        untouched = os.path.samestat(os.lstat(target), os.lstat(new))
    except OSError:
        untouched = False
    if untouched:
        os.replace(aside, target)
        raise FileChanged("changed on disk while being fixed; left as it is, with that change")
    raise FileChanged(
        f"changed on disk while being fixed; the fixed file is in place and the file with "
        f"that change is kept as {aside.name}"
    )


def _recover(fd: int, folder: Path, name: str) -> None:
    """A write reached the old file in the instant it was removed: save what it holds."""
    data = _read_all(fd)
    out, kept = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".archlint-old")
    with os.fdopen(out, "wb") as stream:
        stream.write(data)
    raise FileChanged(
        f"changed on disk while being fixed; the fixed file is in place and the file with "
        f"that change is kept as {Path(kept).name}"
    )


def _place(source: Path, target: Path) -> None:
    """Give ``source``'s file the name ``target`` too, never replacing a file there.

    Raises:
        FileExistsError: ``target`` exists.
    """
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in _NO_LINKS:
            raise
        # No hard links here: the path is checked free just before the rename.
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "exists", str(target)) from None
        os.rename(source, target)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
