"""``# noqa`` comments, read exactly as flake8 reads them, for the faces that are not flake8.

flake8 applies ``# noqa`` itself to the plugin's findings; ``archlint lint``, ``check`` and
``fix`` apply it through :class:`NoqaLines`, with flake8's rules (flake8 7):

- the comment is found by flake8's regular expression anywhere in the line: ``# noqa``
  (one space after ``#``; ``noqa`` in any case), optionally followed by ``:`` and a list of
  codes separated by commas or spaces (``# noqa:ARC001,ARC002``, ``# NOQA: ARC001 E501``);
- a bare ``# noqa`` (or one whose ``:`` is not followed by codes, such as ``# noqa : ARC001``)
  suppresses every finding on the line;
- with codes, a finding is suppressed when its code starts with one of them (``ARC0``
  suppresses ARC001, ARC002 and ARC003); codes compare case-sensitively, so ``# noqa: arc001``
  suppresses nothing, and ``#noqa`` (no space) is no noqa comment at all;
- the line searched is the physical line of the finding, joined with the other lines of a
  token that spans several (a triple-quoted string, a backslash continuation): the comment
  may follow the end of such a string. Each line of a parenthesised statement is its own;
- a line that starts with ``# flake8: noqa`` switches the whole file off.

Reading costs nothing for a file whose text does not contain ``noqa``. Otherwise a finding
that is the first thing on its line (an import statement, mostly) is read from the tokens of
that line on alone: nothing before it can be open there (a string or a backslash
continuation would put text before it, or end the line above), so its tokens start the same
group of lines as in the whole file. Any other finding tokenizes the file once. (A file that
does not tokenize as a whole does not parse either, and so has no findings to suppress.)
"""

from __future__ import annotations

import functools
import io
import re
import tokenize
from dataclasses import dataclass

#: flake8's ``NOQA_INLINE_REGEXP`` (``flake8/defaults.py``).
NOQA_INLINE = re.compile(
    r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?",
    re.IGNORECASE,
)
#: flake8's ``NOQA_FILE``: a line starting with a flake8-colon-noqa comment switches the file off.
NOQA_FILE = re.compile(r"\s*# flake8[:=]\s*noqa", re.IGNORECASE)
_SEPARATORS = re.compile(r"[,\s]")


@dataclass(frozen=True, slots=True)
class NoqaComment:
    """One ``# noqa`` comment: the codes it names, or None for every code."""

    codes: tuple[str, ...] | None

    def suppresses(self, code: str) -> bool:
        """Whether a finding with ``code`` is suppressed (flake8's prefix match)."""
        return self.codes is None or code.startswith(self.codes)


def parse_noqa(line: str) -> NoqaComment | None:
    """The ``# noqa`` comment in ``line`` as flake8 reads it, or None when there is none."""
    found = NOQA_INLINE.search(line)
    if found is None:
        return None
    codes = found.group("codes")
    if codes is None:
        return NoqaComment(None)
    return NoqaComment(tuple(c for c in (p.strip() for p in _SEPARATORS.split(codes)) if c))


def _noqa_line_mapping(lines: list[str]) -> dict[int, str]:
    """flake8's ``_noqa_line_mapping``: line number -> the text searched for its noqa.

    Like flake8, it tokenizes the physical lines read with universal newlines, not the raw
    text: in a file whose lines end with a lone CR, the raw text is one line to the
    tokenizer, and a backslash continuation would not join the lines flake8 joins.
    """
    mapping: dict[int, str] = {}
    first, last = len(lines) + 2, -1
    try:
        for token in tokenize.generate_tokens(functools.partial(next, iter(lines), "")):
            kind = token.type
            if kind in (tokenize.ENDMARKER, tokenize.DEDENT):
                continue
            first = min(first, token.start[0])
            last = max(last, token.end[0])
            if kind in (tokenize.NL, tokenize.NEWLINE):
                joined = "".join(lines[first - 1 : last])
                for number in range(first, last + 1):
                    mapping[number] = joined
                first, last = len(lines) + 2, -1
    except (tokenize.TokenError, SyntaxError):
        return {}
    return mapping


class NoqaLines:
    """Which findings of one file its ``# noqa`` comments suppress."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._any = "noqa" in text.lower()
        self._lines: list[str] | None = None
        self._mapping: dict[int, str] | None = None
        self._file_off: bool | None = None

    def _physical(self) -> list[str]:
        if self._lines is None:
            self._lines = io.StringIO(self._text, newline=None).readlines()
        return self._lines

    @property
    def file_off(self) -> bool:
        """Whether a ``# flake8: noqa`` line switches the whole file off."""
        if self._file_off is None:
            self._file_off = self._any and any(NOQA_FILE.match(line) for line in self._physical())
        return self._file_off

    def line_for(self, line: int, col: int | None = None) -> str:
        """The text searched for the noqa comment of a finding at ``line`` (and ``col``, its
        0-based column, when known)."""
        if self._mapping is None and col is not None:
            found = self._group_from(line, col)
            if found is not None:
                return found
        if self._mapping is None:
            self._mapping = _noqa_line_mapping(self._physical())
        found = self._mapping.get(line)
        if found is not None:
            return found
        lines = self._physical()
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def _group_from(self, line: int, col: int) -> str | None:
        """The lines of the token group that starts at ``line``, joined, when the finding at
        ``col`` is the first thing on its line and the line before does not continue into
        it; None when that cannot be told from the lines alone."""
        lines = self._physical()
        if not 0 < line <= len(lines):
            return None
        if lines[line - 1][:col].strip() or (
            line > 1 and lines[line - 2].rstrip("\r\n").endswith("\\")
        ):
            return None
        rest = iter(lines[line - 1 :])
        try:
            for token in tokenize.generate_tokens(lambda: next(rest, "")):
                if token.type in (tokenize.NL, tokenize.NEWLINE, tokenize.ENDMARKER):
                    return "".join(lines[line - 1 : line - 1 + token.end[0]])
        except (tokenize.TokenError, SyntaxError):
            return None
        return None

    def suppressed(self, line: int, code: str, col: int | None = None) -> bool:
        """Whether a finding with ``code`` reported at ``line`` is suppressed. ``col``, the
        finding's 0-based column, lets a finding that starts its line go without tokenizing
        the whole file."""
        if not self._any:
            return False
        if self.file_off:
            return True
        comment = parse_noqa(self.line_for(line, col))
        return comment is not None and comment.suppresses(code)
