"""Looking up deprecated paths, and writing the import that replaces one.

:class:`DeprecationIndex` is a tree over the dotted segments of every ``old`` path, so a lookup
costs the depth of the path looked up, whatever the number of entries. The most specific entry
wins: with ``a.b`` and ``a.b.C`` both deprecated, ``a.b.C`` is answered by the second.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .imports import ImportRecord
from .model import Deprecation


@dataclass(slots=True)
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    entry: Deprecation | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """A path that falls under a deprecation, and what it becomes."""

    path: str
    deprecation: Deprecation

    @property
    def rest(self) -> str:
        """The part of ``path`` below ``old`` (empty when ``path`` is ``old``)."""
        return self.path[len(self.deprecation.old) + 1 :]

    @property
    def new_path(self) -> str | None:
        """``path`` with ``old`` replaced by ``new``; None when the path was removed."""
        new = self.deprecation.new
        if new is None:
            return None
        return f"{new}.{self.rest}" if self.rest else new


class DeprecationIndex:
    """Every deprecation of a project, looked up by dotted path."""

    def __init__(self, deprecations: Iterable[Deprecation]) -> None:
        self._root = _Node()
        self.entries: tuple[Deprecation, ...] = tuple(deprecations)
        for entry in self.entries:
            node = self._root
            for part in entry.old.split("."):
                node = node.children.setdefault(part, _Node())
            node.entry = entry
        #: The last segment of every ``old``: a file that names none of them can hold no
        #: deprecated import (see :meth:`could_mention`).
        self.last_segments = frozenset(e.old.rsplit(".", 1)[-1] for e in self.entries)

    def __bool__(self) -> bool:
        return bool(self.entries)

    def lookup(self, path: str) -> Match | None:
        """The most specific deprecation at or above ``path``, if any."""
        node = self._root
        found: Deprecation | None = None
        for part in path.split("."):
            child = node.children.get(part)
            if child is None:
                break
            node = child
            if node.entry is not None:
                found = node.entry
        return Match(path, found) if found is not None else None

    def could_mention(self, text: str) -> bool:
        """False only when ``text`` cannot hold a deprecated import or string reference.

        Every way to import ``a.b.old`` (absolute, relative, ``from a.b import old``) or to
        name it in a string writes its last segment, so a file that contains none of the last
        segments needs no parsing for deprecations.
        """
        return any(segment in text for segment in self.last_segments)


def _bind(name: str, local: str) -> str:
    return name if name == local else f"{name} as {local}"


def replacement_import(record: ImportRecord, match: Match) -> str | None:
    """The import statement to write instead of ``record``, or None if there is none.

    The local name the code uses is kept: ``from a import Old`` moved to ``b.New`` becomes
    ``from b import New as Old``. A relative import becomes an absolute one.
    """
    new_path = match.new_path
    if new_path is None:
        return None
    if record.name is None:
        # ``import a.b.c [as x]``: the whole path is the module.
        return f"import {new_path} as {record.asname}" if record.asname else f"import {new_path}"
    if record.name == "*":
        return f"from {new_path.removesuffix('.*')} import *"
    module, _, name = new_path.rpartition(".")
    if not module:
        # A deprecated name moved to be a top-level module: ``import new as local``.
        return f"import {name} as {record.asname or record.name}"
    return f"from {module} import {_bind(name, record.asname or record.name)}"


def replacement_target(value: str, match: Match) -> str | None:
    """A string reference with ``old`` replaced by ``new`` (``a.b:C`` forms kept)."""
    new_path = match.new_path
    if new_path is None:
        return None
    return new_path + value[len(match.path) :]
