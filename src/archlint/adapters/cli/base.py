"""What every ``archlint`` subcommand shares: the exit statuses, the usage error, and
writing the output."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from archlint.domain.errors import ArchlintError

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_ERROR = 2
#: The exit status when the reader of the output went away (``archlint check | head``):
#: what a shell reports for a command ended by SIGPIPE.
EXIT_BROKEN_PIPE = 128 + 13


class UsageError(Exception):
    """Arguments that cannot be used together, or a bad value: exit 2 with the usage."""


def write_output(text: str, output: Path | None, out: TextIO) -> None:
    """``text`` to ``-o FILE`` when given, else to standard output."""
    if output is None:
        out.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as e:
        raise ArchlintError(f"cannot write {output}: {e.strerror}") from None


def write_bytes(data: bytes, out: TextIO) -> None:
    """``data`` on ``out`` as they are: through its binary buffer when it has one (a real
    stdout), else decoded as UTF-8 with undecodable bytes kept as surrogates (a StringIO)."""
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        out.write(data.decode("utf-8", errors="surrogateescape"))
        return
    out.flush()
    buffer.write(data)
    buffer.flush()


def report_unreadable(problems: Sequence[str], what: str) -> int:
    """Print a ``FILE:LINE: why`` line per file that could not be read; exit 2 when any."""
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        return EXIT_OK
    count = len(problems)
    print(
        f"archlint: {count} file{'s' if count != 1 else ''} could not be read or parsed ({what})",
        file=sys.stderr,
    )
    return EXIT_ERROR
