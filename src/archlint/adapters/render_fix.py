"""What ``archlint fix`` prints: a unified diff of what it would change."""

from __future__ import annotations

import difflib
import re

from archlint.application.fix import FixReport

# A line with its own line ending, as Python reads lines (``\n``, ``\r\n`` or ``\r``).
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _lines(text: str) -> list[str]:
    return _LINES.findall(text)


def unified_diff(display: str, before: str, after: str) -> str:
    """``git diff``-style: ``--- a/PATH``, ``+++ b/PATH``, three lines of context."""
    out: list[str] = []
    diff = difflib.unified_diff(_lines(before), _lines(after), f"a/{display}", f"b/{display}")
    for line in diff:
        if not line.endswith(("\n", "\r")):
            # As diff and git write it, so that patch and git apply take the diff back.
            line += "\n\\ No newline at end of file\n"
        out.append(line)
    return "".join(out)


def render_diff(report: FixReport) -> str:
    """The diff of every file the fix would change, in the order the files were read."""
    return "".join(unified_diff(f.display, f.before, f.after) for f in report.changed)
