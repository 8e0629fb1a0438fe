"""Whether a file's text could import a module, decided from the text alone.

Every import of a module writes its name in a few fixed shapes, so a regular expression can
rule a file out before anything parses it. The answer errs only on the side of "could": text
in a string or a comment may look like an import, and then a parse finds nothing.
"""

from __future__ import annotations

import functools
import re

from .expressions import is_in_package

# Anything up to the end of a line, or across a line ended by a backslash (any line ending).
_REST_OF_STATEMENT = r"(?:[^\r\n\\]|\\(?:\r\n|\r|\n))*?"


@functools.lru_cache(maxsize=1024)
def import_naming(name: str) -> re.Pattern[str]:
    """Finds an import statement that writes ``name`` (as a word) in its module or its names.

    Every import of a module writes its last segment this way: ``import a.name``,
    ``from a.name import x``, ``from a import name`` (parenthesised over several lines, or
    continued with backslashes), ``from . import name``. A statement may start a line or
    follow ``;`` or a one-line ``if ...:``. Text inside strings can match too; that only costs
    a parse that finds nothing.
    """
    word = rf"\b{re.escape(name)}\b"
    # Python ends lines with "\n", "\r\n" or a lone "\r"; ``^`` in MULTILINE mode only knows
    # "\n", hence the look-behind for "\r".
    return re.compile(
        rf"(?:^|(?<=\r)|[;:])[ \t]*(?:"
        rf"from[ \t]+[\w.]*{word}"
        rf"|from[ \t]+[\w.]+[ \t]+import[ \t]*(?:\([^)]*?|{_REST_OF_STATEMENT}){word}"
        rf"|import[ \t]+{_REST_OF_STATEMENT}{word})",
        re.MULTILINE,
    )


@functools.lru_cache(maxsize=1024)
def import_under(parent: str, name: str) -> re.Pattern[str]:
    """Finds a statement that imports ``parent.name`` from outside ``parent``'s package.

    From there, every import writes ``parent`` right before ``name``: ``a.parent.name``
    (with or without ``from``, relative or absolute) or ``from ...parent import name``.
    """
    last = re.escape(name)
    return re.compile(
        rf"\b{re.escape(parent)}[ \t]*\.[ \t]*{last}\b"
        rf"|\b{re.escape(parent)}[ \t]+import[ \t]*(?:\([^)]*?|{_REST_OF_STATEMENT})\b{last}\b"
    )


def could_import(text: str, target: str, package: str | None) -> bool:
    """False only when no import statement in ``text`` can import ``target``.

    ``package`` is the package relative imports in the file start from (None when the file
    is outside the project). From inside ``target``'s parent package a relative import may
    write the last segment alone; from outside it, every import writes the parent's last
    segment right before it.
    """
    parent, _, name = target.rpartition(".")
    if parent and not (package is not None and is_in_package(package, parent)):
        return import_under(parent.rsplit(".", 1)[-1], name).search(text) is not None
    return import_naming(name).search(text) is not None
