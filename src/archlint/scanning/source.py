"""Turning a file's bytes into text and an AST, with errors that are one readable line.

Nothing here imports or runs the file: it is decoded the way the interpreter would decode it
(UTF-8 BOM, PEP 263 coding cookie) and parsed with :func:`ast.parse`.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
import warnings

__all__ = [
    "SourceDecodeError",
    "SourceError",
    "SourceSyntaxError",
    "decode_source",
    "parse_source",
]

# PEP 263's own regex, on bytes. Only used to say *which* line holds a bad cookie:
# ``tokenize.detect_encoding`` raises a SyntaxError without a line number.
_COOKIE_RE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*[-\w.]+")


class SourceError(Exception):
    """A file that cannot be read as Python source.

    ``str(error)`` is a single line, ``"path:line: message"`` (or ``"path: message"`` when no
    line is known), meant to be shown to the user as is, without a traceback.
    """

    #: Short description of the kind of failure, prefixed to the detail in ``message``.
    kind = "cannot read source"

    def __init__(self, path: str, line: int | None, detail: str) -> None:
        # Exception messages from codecs and the parser are single-line, but keep the
        # "one line" promise even if some future message is not.
        detail = " ".join(detail.split())
        self.path = path
        self.line = line
        self.message = f"{self.kind}: {detail}"
        super().__init__(self.message)

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"

    def __reduce__(self) -> tuple[type[SourceError], tuple[str, int | None, str]]:
        # flake8 runs checks in worker processes; the default reduce would call
        # ``cls(message)`` and fail, so give pickle the real constructor arguments.
        detail = self.message.removeprefix(f"{self.kind}: ")
        return (type(self), (self.path, self.line, detail))


class SourceDecodeError(SourceError):
    """The bytes cannot be decoded: invalid bytes, or an unknown or inconsistent coding."""

    kind = "cannot decode"


#: What every Python version and archlint's byte screen say of a file with a null byte.
NULL_BYTES = "source code cannot contain null bytes"


class SourceSyntaxError(SourceError):
    """The text is not valid Python (including null bytes, which the parser rejects)."""

    kind = "syntax error"


def decode_source(data: bytes, path: str) -> str:
    """Decode a Python file's bytes as the interpreter would.

    Honours a UTF-8 BOM (which is stripped) and a PEP 263 coding cookie on one of the first
    two lines; the default is UTF-8. Line endings are left as they are: :func:`ast.parse`
    accepts ``\\n``, ``\\r\\n`` and ``\\r``.

    ``path`` is only used in error messages.

    Raises:
        SourceDecodeError: for bytes invalid in the file's encoding, an unknown encoding in
            the cookie, a cookie that contradicts a BOM, or a cookie naming a codec that does
            not decode bytes to text.
    """
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        # detect_encoding reports "unknown encoding: x", "encoding problem: utf-8" (BOM plus a
        # different cookie) or first lines that are not UTF-8 ("invalid or missing encoding
        # declaration"), always as a SyntaxError without a line number.
        line = _cookie_line(data)
        if line is None:
            # No cookie: the first lines are not UTF-8. Say which byte, as for later lines.
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as decode_error:
                raise _decode_error(path, data, decode_error) from None
        raise SourceDecodeError(path, line, error.msg) from None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise _decode_error(path, data, error) from None
    except LookupError as error:
        # A cookie such as "rot13" names a real codec that is not bytes-to-text.
        raise SourceDecodeError(path, _cookie_line(data), str(error)) from None


def _decode_error(path: str, data: bytes, error: UnicodeDecodeError) -> SourceDecodeError:
    """A SourceDecodeError on the line holding the first undecodable byte."""
    return SourceDecodeError(path, data.count(b"\n", 0, error.start) + 1, str(error))


def _cookie_line(data: bytes) -> int | None:
    """The line (1 or 2) holding a coding cookie, if either of the first two lines has one."""
    # Only called on failure, so splitting the whole file costs nothing that matters.
    for number, line in enumerate(data.splitlines()[:2], start=1):
        if _COOKIE_RE.match(line.removeprefix(b"\xef\xbb\xbf")):
            return number
    return None


def parse_source(text: str, path: str) -> ast.Module:
    """Parse source text into a module AST, without compiling or running it.

    ``path`` is given to the parser as the file name and used in error messages. Warnings
    the parser emits about the checked code (invalid escape sequences and the like) are
    suppressed: they are about that code, not about archlint, and ``-W error`` would
    otherwise turn them into failures. (:func:`warnings.catch_warnings` is not thread-safe;
    flake8 parallelises with processes, not threads.)

    Raises:
        SourceSyntaxError: if the text is not valid Python, contains null bytes, or is
            nested too deeply for the parser.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text, filename=path)
    except SyntaxError as error:
        if error.lineno is None and "\0" in text:
            # Python >= 3.12 reports null bytes as a SyntaxError without a line number.
            raise SourceSyntaxError(path, _null_byte_line(text), NULL_BYTES) from None
        raise SourceSyntaxError(path, error.lineno, error.msg) from None
    except ValueError:
        # Python < 3.12 raises ValueError for null bytes, in other words.
        raise SourceSyntaxError(path, _null_byte_line(text), NULL_BYTES) from None
    except (RecursionError, MemoryError):
        # Deeply nested expressions can exhaust the C stack guard in the compiler; some
        # (thousands of nested lambdas) make CPython's parser raise MemoryError instead.
        raise SourceSyntaxError(path, None, "too deeply nested to parse") from None


def _null_byte_line(text: str) -> int | None:
    """The 1-based line of the first null character in ``text``, if any."""
    index = text.find("\0")
    return None if index < 0 else text.count("\n", 0, index) + 1
