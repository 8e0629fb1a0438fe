"""Writing a rewritten source file back without losing a byte that was not meant to change.

The text is encoded back in the file's own encoding (its PEP 263 cookie, or UTF-8, with the
BOM when it had one), and the file is replaced atomically: the new bytes go to a temporary file
in the same folder, with the old file's mode, which then takes the old file's place with
:func:`os.replace`. A file that changed on disk since it was read is not touched.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import tempfile
import tokenize
from pathlib import Path

import libcst as cst

__all__ = ["FileChanged", "check_parses", "encode_like", "replace_file"]


class FileChanged(Exception):
    """The file on disk is no longer the one that was read."""


def encode_like(original: bytes, old_text: str, new_text: str) -> bytes:
    """``new_text`` encoded as ``original`` was: same encoding, same BOM.

    Raises:
        ValueError: the encoding does not give back ``original`` from ``old_text`` (so it
            could not be written back losslessly), or cannot encode ``new_text``.
    """
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(original).readline)
    except SyntaxError as error:
        raise ValueError(f"cannot tell the file's encoding: {error.msg}") from None
    # "utf-8-sig" decodes without the BOM and encodes with it, as the file had it.
    try:
        if old_text.encode(encoding) != original:
            raise ValueError(f"the file does not encode back to the same bytes in {encoding}")
        return new_text.encode(encoding)
    except (UnicodeError, LookupError) as error:
        raise ValueError(f"cannot encode the file in {encoding}: {error}") from None


def check_parses(text: str, filename: str) -> str | None:
    """Why ``text`` would not parse, with libcst, or None when it does.

    (:mod:`ast` is checked by the caller with the same function that reads every file.)
    """
    try:
        cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError) as error:
        return f"libcst: {' '.join(str(error).split())}"
    return None


def replace_file(path: Path, data: bytes, expected: bytes) -> None:
    """Replace the file at ``path`` (whose bytes must still be ``expected``) by ``data``.

    The file keeps its mode; a symbolic link is followed, so the link stays a link.

    Raises:
        FileChanged: the file no longer holds ``expected``.
        OSError: it could not be written; the old file is then left as it was.
    """
    target = Path(os.path.realpath(path))
    status = target.stat()
    if target.read_bytes() != expected:
        raise FileChanged(str(path))
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
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
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
