"""Turning rewritten text back into the file's bytes, and checking the result parses.

The text is encoded back in the file's own encoding (its PEP 263 cookie, or UTF-8, with the
BOM when it had one), and only when that is lossless: the old text must give back the old
bytes exactly, and the new bytes must read back as the new text (an edit must not move a
coding cookie out of the first two lines, for instance). Writing the bytes is
:mod:`archlint.rewrite.replace`'s job.
"""

from __future__ import annotations

import io
import tokenize

import libcst as cst

from archlint.scanning.source import SourceError, decode_source

__all__ = ["check_parses", "encode_like"]


def encode_like(original: bytes, old_text: str, new_text: str) -> bytes:
    """``new_text`` encoded as ``original`` was: same encoding, same BOM.

    Raises:
        ValueError: the encoding does not give back ``original`` from ``old_text`` (so it
            could not be written back losslessly), cannot encode ``new_text``, or the bytes
            would not read back as ``new_text``.
    """
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(original).readline)
    except SyntaxError as error:
        raise ValueError(f"cannot tell the file's encoding: {error.msg}") from None
    # "utf-8-sig" decodes without the BOM and encodes with it, as the file had it.
    try:
        if old_text.encode(encoding) != original:
            raise ValueError(f"the file does not encode back to the same bytes in {encoding}")
        data = new_text.encode(encoding)
    except (UnicodeError, LookupError) as error:
        raise ValueError(f"cannot encode the file in {encoding}: {error}") from None
    try:
        again = decode_source(data, "<fixed>")
    except SourceError as error:
        raise ValueError(f"the fixed file would not decode ({error.message})") from None
    if again != new_text:
        raise ValueError(f"the fixed file would not read back the same in {encoding}")
    return data


def check_parses(text: str) -> str | None:
    """Why ``text`` would not parse, with libcst, or None when it does.

    (:mod:`ast` is checked by the caller with the same function that reads every file.)
    """
    try:
        cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        return f"libcst: {' '.join(str(error).split())}"
    except (RecursionError, MemoryError):
        return "libcst: too deeply nested"
    return None
