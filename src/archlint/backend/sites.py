"""Where each import of the graph sits: inside a function, under ``if TYPE_CHECKING:``.

grimp gives the line of each import but not its context. archlint reads the importing file
once (never runs it) and looks the line up among its import statements. The file of a module
is found through grimp's own package finder, so this works under ``archlint check`` (source
roots) and under plain ``lint-imports`` (``sys.path``) alike.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from grimp.application.config import settings as grimp_settings

from archlint.scanning.imports import scan_imports
from archlint.scanning.modules import ModuleName
from archlint.scanning.source import SourceError, decode_source, parse_source


@dataclass(frozen=True, slots=True)
class Site:
    """What is known of the imports on one line of a module."""

    lazy: bool
    type_checking: bool


@functools.lru_cache(maxsize=64)
def _package_dir(root: str) -> Path | None:
    try:
        dirs = grimp_settings.PACKAGE_FINDER.determine_package_directories(
            package_name=root, file_system=grimp_settings.FILE_SYSTEM
        )
    except Exception:
        return None
    return Path(sorted(dirs)[0]) if dirs else None


def module_file(module: str) -> tuple[Path, bool] | None:
    """The file of ``module`` and whether it is a package, found from its root package."""
    root, _, rest = module.partition(".")
    base = _package_dir(root)
    if base is None:
        return None
    path = base.joinpath(*rest.split(".")) if rest else base
    if (path / "__init__.py").is_file():
        return path / "__init__.py", True
    if rest and path.with_suffix(".py").is_file():
        return path.with_suffix(".py"), False
    return None


@functools.lru_cache(maxsize=4096)
def sites_of(module: str) -> dict[int, Site]:
    """Line -> :class:`Site` for every import statement of ``module`` (empty if unreadable).

    Keyed by the statement's first line and by each imported name's line, since grimp may
    report either for a multi-line import.
    """
    found = module_file(module)
    if found is None:
        return {}
    path, is_package = found
    try:
        tree = parse_source(decode_source(path.read_bytes(), str(path)), str(path))
    except (OSError, SourceError):
        return {}
    sites: dict[int, Site] = {}
    for record in scan_imports(tree, ModuleName(module, is_package)):
        site = Site(record.is_lazy, record.is_type_checking)
        for line in (record.stmt_line, record.line):
            previous = sites.get(line)
            if previous is None:
                sites[line] = site
            else:
                sites[line] = Site(
                    previous.lazy and site.lazy, previous.type_checking and site.type_checking
                )
    return sites


@functools.lru_cache(maxsize=4096)
def _text_lines(module: str) -> tuple[bytes, ...]:
    found = module_file(module)
    if found is None:
        return ()
    try:
        return tuple(found[0].read_bytes().splitlines())
    except OSError:
        return ()


#: ``if TYPE_CHECKING:`` and ``if typing.TYPE_CHECKING:``, as the scanner recognises them.
_TYPE_CHECKING_IF = re.compile(rb"if\s+(?:[A-Za-z_]\w*\s*\.\s*)?TYPE_CHECKING\s*:\s*(?:#.*)?$")

_BLOCKS = frozenset(b"class try except finally with for while match case".split())


def _first_word(stripped: bytes) -> bytes:
    end = 0
    while end < len(stripped) and (stripped[end : end + 1].isalnum() or stripped[end] == 95):
        end += 1
    return stripped[:end]


def _is_clean_header(stripped: bytes) -> bool:
    """A one-line block header: brackets balanced, ending with a colon (comment aside)."""
    code = stripped.split(b"#", 1)[0].rstrip()
    opened = code.count(b"(") + code.count(b"[") + code.count(b"{")
    closed = code.count(b")") + code.count(b"]") + code.count(b"}")
    return code.endswith(b":") and opened == closed and b"\\" not in code


def _code(line: bytes) -> bytes | None:
    """``line`` without its comment; None when it holds a quote or a backslash (a string or
    a continuation could hide a bracket or a ``#``)."""
    if b'"' in line or b"'" in line or b"\\" in line:
        return None
    return line.split(b"#", 1)[0].rstrip()


def _balance(code: bytes) -> int:
    """Brackets opened minus brackets closed."""
    opened = code.count(b"(") + code.count(b"[") + code.count(b"{")
    return opened - code.count(b")") - code.count(b"]") - code.count(b"}")


def _header_start(lines: tuple[bytes, ...], end: int, level: int) -> int | None:
    """The first line of the header whose last line is ``lines[end]`` (``):`` below an
    ``if (``, ``) -> T:`` below a ``def f(``), found by counting brackets upwards; None
    unless every line of it is free of strings, backslashes and ``TYPE_CHECKING``, its
    brackets balance, and its first line is as indented as its last (``level``)."""
    code = _code(lines[end])
    if code is None or not code.endswith(b":") or b"TYPE_CHECKING" in code:
        return None
    missing = -_balance(code)
    index = end
    while missing > 0 and index > 0:
        index -= 1
        code = _code(lines[index])
        if code is None or b"TYPE_CHECKING" in code:
            return None
        missing -= _balance(code)
    line = lines[index]
    if missing != 0 or index == end or len(line) - len(line.lstrip()) != level:
        return None
    return index


def context_from_lines(lines: tuple[bytes, ...], number: int) -> Site | None:
    """The context of the statement at line ``number``, read from the lines above it.

    Walks up through the headers of the blocks that enclose the line (each less indented than
    the last) and notes a ``def`` (a function: lazy) and an ``if ... TYPE_CHECKING`` reached
    from its body, not from its ``else``. Returns None whenever the text could mislead it (a
    triple-quoted string or a continuation line on the way, a header split over lines); the
    caller then parses the file. What it does return is what the AST would say.
    """
    if number < 1 or number > len(lines):
        return None
    line = lines[number - 1]
    indent = len(line) - len(line.lstrip())
    lazy = type_checking = False
    else_at: int | None = None  # we came up through an else/elif at this indentation
    index = number - 1
    while indent > 0 and index > 0:
        index -= 1
        line = lines[index]
        stripped = line.lstrip()
        if not stripped or stripped.startswith(b"#"):
            continue
        quotes = line.count(b'"""') + line.count(b"'''")
        if quotes:
            if b'"""' in line and b"'''" in line:
                return None
            if quotes % 2:
                # The last line of a multi-line string: what matters is its first line.
                delimiter = b'"""' if b'"""' in line else b"'''"
                index -= 1
                while index >= 0 and lines[index].count(delimiter) % 2 == 0:
                    index -= 1
                if index < 0:
                    return None
                line = lines[index]
                stripped = line.lstrip()
        level = len(line) - len(stripped)
        if level >= indent:
            continue
        if not _is_clean_header(stripped):
            # The last line of a header written over several lines (``if (``, ``def f(``),
            # or nothing this reading can be sure of.
            start = _header_start(lines, index, level)
            if start is None:
                return None
            index = start
            stripped = lines[index].lstrip()
        word = _first_word(stripped)
        if word == b"async":
            word = _first_word(stripped[5:].lstrip())
        if word in (b"elif", b"else"):
            if word == b"elif" and else_at != level:
                # Reached from the body of this ``elif``: its own test applies (as an
                # ``if``'s would), the tests above it in the chain do not.
                if _TYPE_CHECKING_IF.match(stripped[2:]):
                    type_checking = True
                elif b"TYPE_CHECKING" in stripped:
                    return None
            else_at, indent = level, level + 1
        elif word == b"if":
            if else_at == level:
                else_at = None
            elif _TYPE_CHECKING_IF.match(stripped):
                type_checking = True
            elif b"TYPE_CHECKING" in stripped:
                return None  # some other test naming it: let the parser decide
            indent = level
        elif word == b"def":
            lazy, else_at, indent = True, None, level
        elif word in _BLOCKS:
            else_at, indent = None, level
        else:
            return None
    if else_at is not None or indent > 0:
        return None
    return Site(lazy, type_checking)


def _from_lines(module: str, line_numbers: tuple[int, ...]) -> Site | None:
    lines = _text_lines(module)
    if not line_numbers or not lines:
        return None
    found = [context_from_lines(lines, n) for n in line_numbers]
    if any(site is None for site in found):
        return None
    return Site(all(s.lazy for s in found if s), all(s.type_checking for s in found if s))


def link_context(importer: str, line_numbers: tuple[int, ...]) -> Site:
    """Whether every import making a link is lazy, and whether every one is TYPE_CHECKING.

    Read from the lines above each import when that is certain (almost always); otherwise the
    importing file is parsed.
    """
    quick = _from_lines(importer, line_numbers)
    if quick is not None:
        return quick
    sites = sites_of(importer)
    found = [sites[n] for n in line_numbers if n in sites]
    if not found or len(found) < len(line_numbers):
        return Site(False, False)
    return Site(all(s.lazy for s in found), all(s.type_checking for s in found))


def line_sites(importer: str, line_numbers: tuple[int, ...]) -> tuple[Site | None, ...]:
    """The context of each import making a link, line by line (None where unknown)."""
    lines = _text_lines(importer)
    quick = [context_from_lines(lines, n) if lines else None for n in line_numbers]
    if all(site is not None for site in quick):
        return tuple(quick)
    sites = sites_of(importer)
    return tuple(
        q if q is not None else sites.get(n) for q, n in zip(quick, line_numbers, strict=True)
    )


def link_marks(
    importer: str, line_numbers: tuple[int, ...]
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The lines of a link's imports that sit inside a function, and those under
    ``TYPE_CHECKING`` (an import in a function under ``TYPE_CHECKING`` is in both)."""
    found = line_sites(importer, line_numbers)
    lazy = tuple(n for n, s in zip(line_numbers, found, strict=True) if s is not None and s.lazy)
    checking = tuple(
        n for n, s in zip(line_numbers, found, strict=True) if s is not None and s.type_checking
    )
    return lazy, checking


def link_facts(
    importer: str, line_numbers: tuple[int, ...]
) -> tuple[Site, tuple[int, ...], tuple[int, ...]]:
    """:func:`link_context` and :func:`link_marks` of one link, the lines above each import
    read once for both (the answers are the same as asking each)."""
    lines = _text_lines(importer)
    quick = [context_from_lines(lines, n) if lines else None for n in line_numbers]
    known = [site for site in quick if site is not None]
    if not line_numbers or len(known) < len(quick):
        # Some line needs the parser: each answer as it would be alone.
        return (link_context(importer, line_numbers), *link_marks(importer, line_numbers))
    context = Site(all(s.lazy for s in known), all(s.type_checking for s in known))
    lazy = tuple(n for n, s in zip(line_numbers, known, strict=True) if s.lazy)
    checking = tuple(n for n, s in zip(line_numbers, known, strict=True) if s.type_checking)
    return context, lazy, checking


def clear() -> None:
    """Forget cached files (between runs in one process, e.g. in tests)."""
    _package_dir.cache_clear()
    sites_of.cache_clear()
    _text_lines.cache_clear()
