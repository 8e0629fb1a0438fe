"""What ``archlint fix --diff`` prints: a unified diff of what it would change, in bytes.

The diff is made of the files' bytes, not of their decoded text, so that ``git apply`` and
``patch`` take it back for every file: a BOM stays the first bytes of its file, a latin-1 file
stays latin-1, and lines are cut where git cuts them, after each ``\\n`` only (``\\r\\n`` keeps
its ``\\r``; a lone ``\\r``, a line break for Python, is a character inside a line for git).
"""

from __future__ import annotations

import difflib
import os
import re

from archlint.application.fix import FixReport

# A line as git and patch count lines: up to and with each "\n", and what follows the last one.
_LINES = re.compile(rb"[^\n]*\n|[^\n]+\Z")
_NO_NEWLINE = b"\n\\ No newline at end of file\n"


def _lines(data: bytes) -> list[bytes]:
    return _LINES.findall(data)


def unified_diff(display: str, before: bytes, after: bytes) -> bytes:
    """``git diff``-style: ``--- a/PATH``, ``+++ b/PATH``, three lines of context."""
    name = os.fsencode(display)
    out: list[bytes] = []
    diff = difflib.diff_bytes(
        difflib.unified_diff, _lines(before), _lines(after), b"a/" + name, b"b/" + name
    )
    for line in diff:
        if not line.endswith(b"\n"):
            # As diff and git write it, so that patch and git apply take the diff back.
            line += _NO_NEWLINE
        out.append(line)
    return b"".join(out)


def render_diff(report: FixReport) -> bytes:
    """The diff of every file the fix would change, in the order the files were read."""
    return b"".join(unified_diff(f.display, f.before, f.after) for f in report.changed)
