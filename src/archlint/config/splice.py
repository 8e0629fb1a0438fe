"""Putting import-linter's tables into a configuration file that holds other things too.

``archlint compile -o pyproject.toml`` (or ``setup.cfg``) must keep every byte outside
import-linter's part of the file. The splice is done on the text, line by line: the lines of
``[tool.importlinter...]`` tables (or ``[importlinter...]`` INI sections) are replaced by the new
block, in the place of the first of them, or the block is appended when there is none. Comment
and blank lines just before the next table belong to that table and are kept.

The result is then checked by parsing both texts: everything but import-linter's part must read
the same, and import-linter's part must read as the new block. Anything this splice cannot do
exactly (import-linter's options written as dotted keys or an inline table, a file that does not
parse) raises :class:`SpliceError` with the reason, and nothing is written.
"""

from __future__ import annotations

import configparser
import itertools
import re
from collections.abc import Callable
from typing import Any

from . import toml


class SpliceError(ValueError):
    """The file cannot be updated in place; the message says why."""


_TOML_HEADER = re.compile(r"^[ \t]*\[\[?[ \t]*([^\[\]#]+?)[ \t]*\]\]?[ \t]*(#.*)?$")
_INI_HEADER = re.compile(r"^\[([^\]]+)\]")
_MULTILINE = re.compile(r'"""|\'\'\'')


def _toml_key(header: str) -> tuple[str, ...]:
    parts = re.findall(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'|[^.]+', header)
    return tuple(p.strip().strip("\"'") for p in parts if p.strip())


def _toml_headers(lines: list[str]) -> list[tuple[int, tuple[str, ...]]]:
    """Each table header's line index and dotted key, skipping multi-line strings."""
    headers: list[tuple[int, tuple[str, ...]]] = []
    open_quote: str | None = None
    for i, line in enumerate(lines):
        if open_quote is None:
            match = _TOML_HEADER.match(line)
            if match:
                headers.append((i, _toml_key(match.group(1))))
                continue
        for quote in _MULTILINE.findall(line):
            if open_quote is None:
                open_quote = quote
            elif quote == open_quote:
                open_quote = None
    return headers


def _ini_headers(lines: list[str]) -> list[tuple[int, tuple[str, ...]]]:
    found: list[tuple[int, tuple[str, ...]]] = []
    for i, line in enumerate(lines):
        match = _INI_HEADER.match(line)
        if match:
            found.append((i, (match.group(1).strip().split(":")[0],)))
    return found


def _is_filler(line: str, comment: tuple[str, ...]) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith(comment)


def _splice_lines(
    lines: list[str],
    headers: list[tuple[int, tuple[str, ...]]],
    ours: Callable[[tuple[str, ...]], bool],
    block: list[str],
    comment: tuple[str, ...],
) -> list[str]:
    """``lines`` with every span of our tables replaced by ``block`` at the first one."""
    spans: list[tuple[int, int]] = []
    for n, (start, key) in enumerate(headers):
        if not ours(key):
            continue
        end = headers[n + 1][0] if n + 1 < len(headers) else len(lines)
        if n + 1 < len(headers):  # leave the next table's leading comments with it
            while end > start + 1 and _is_filler(lines[end - 1], comment):
                end -= 1
        if spans and all(_is_filler(line, comment) for line in lines[spans[-1][1] : start]):
            spans[-1] = (spans[-1][0], end)  # only blank lines and comments between: one span
        else:
            spans.append((start, end))
    if not spans:
        out = list(lines)
        if out and out[-1].strip():
            out.append("")
        return [*out, *block]
    out = lines[: spans[0][0]] + block
    for (_, end), (start, _) in itertools.pairwise(spans):
        out += lines[end:start]
    out += lines[spans[-1][1] :]
    return out


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _join(lines: list[str], text: str) -> str:
    nl = _newline(text)
    return nl.join(lines) + (nl if lines and (not text or text.endswith(("\n", "\r"))) else "")


def _without(data: dict[str, Any], path: tuple[str, ...]) -> tuple[dict[str, Any], Any]:
    """A copy of ``data`` without the table at ``path``, and that table (or None)."""
    head, *rest = path
    copy = dict(data)
    if not rest:
        return copy, copy.pop(head, None)
    inner = copy.get(head)
    if not isinstance(inner, dict):
        return copy, None
    copy[head], found = _without(inner, tuple(rest))
    if not copy[head]:
        del copy[head]
    return copy, found


def splice_toml(text: str, block: str, table: tuple[str, ...] = ("tool", "importlinter")) -> str:
    """``text`` with the TOML tables at ``table`` (and below) replaced by ``block``."""
    try:
        before = toml.loads(text)
    except toml.TOMLDecodeError as e:
        line, message = toml.error_line(e)
        where = f" (line {line})" if line else ""
        raise SpliceError(f"it is not valid TOML{where}: {message}") from None
    lines = text.splitlines()
    ours = lambda key: key[: len(table)] == table  # noqa: E731
    spliced = _join(
        _splice_lines(lines, _toml_headers(lines), ours, block.splitlines(), ("#",)), text
    )
    try:
        after = toml.loads(spliced)
    except toml.TOMLDecodeError:
        after = None
    dotted = ".".join(table)
    if after is None or _without(after, table)[0] != _without(before, table)[0]:
        raise SpliceError(
            f"[{dotted}] is written in a form archlint cannot replace in place (dotted keys or "
            f"an inline table); remove it, or compile to a file of its own"
        )
    if _without(after, table)[1] != _without(toml.loads(block), table)[1]:
        raise SpliceError(f"[{dotted}] could not be replaced exactly")
    return spliced


def _ini_parse(text: str) -> dict[str, dict[str, str]]:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(text)
    return {name: dict(parser.items(name, raw=True)) for name in parser.sections()}


def splice_ini(text: str, block: str, prefix: str = "importlinter") -> str:
    """``text`` with the INI sections ``[PREFIX]`` and ``[PREFIX:...]`` replaced by ``block``."""
    try:
        before = _ini_parse(text)
    except configparser.Error as e:
        raise SpliceError(f"it is not a valid INI file: {e.message.splitlines()[0]}") from None
    lines = text.splitlines()
    ours = lambda key: key[0] == prefix  # noqa: E731
    spliced = _join(
        _splice_lines(lines, _ini_headers(lines), ours, block.splitlines(), ("#", ";")), text
    )

    def split(data: dict[str, dict[str, str]]) -> tuple[dict[str, Any], dict[str, Any]]:
        mine = {k: v for k, v in data.items() if k.split(":")[0] == prefix}
        return {k: v for k, v in data.items() if k not in mine}, mine

    try:
        after = _ini_parse(spliced)
    except configparser.Error:
        raise SpliceError(f"[{prefix}] could not be replaced exactly") from None
    if split(after)[0] != split(before)[0] or split(after)[1] != split(_ini_parse(block))[1]:
        raise SpliceError(f"[{prefix}] could not be replaced exactly")
    return spliced
