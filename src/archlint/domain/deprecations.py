"""Looking up deprecated paths, and writing the import that replaces one.

:class:`DeprecationIndex` is a tree over the dotted segments of every ``old`` path, so a lookup
costs the depth of the path looked up, whatever the number of entries. The most specific entry
wins: with ``a.b`` and ``a.b.C`` both deprecated, ``a.b.C`` is answered by the second.

A ``new`` may itself be deprecated (``c`` moved to ``d``, later ``d`` to ``e``): a lookup
follows the chain to its end, so that what is suggested is never a deprecated path.
:func:`deprecation_cycles` finds the chains that never end, which the configuration refuses.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from .import_text import could_import
from .imports import ImportRecord, StringReference, StringRefKind
from .model import Deprecation

#: The most deprecations one chain may go through; a longer one is taken as never ending.
MAX_CHAIN = 256

_Trie = dict[str, "_Trie"]


def _alternation(words: list[str]) -> str:
    """A regular expression matching exactly ``words``, shaped as a tree of their common
    prefixes, so that the engine tries a handful of branches at each position, not all of
    them (a thousand deprecations have a thousand last segments)."""
    tree: _Trie = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: _Trie) -> str:
        branches = [re.escape(char) + render(child) for char, child in sorted(node.items()) if char]
        optional = "" in node
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not optional else f"(?:{'|'.join(branches)})"
        return f"{body}?" if optional else body

    return render(tree)


@dataclass(slots=True)
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    entry: Deprecation | None = None


def _moved(path: str, entry: Deprecation) -> str | None:
    """``path`` (at or below ``entry.old``) with ``old`` replaced by ``new``; None when the
    entry has no ``new``. A ``:`` after ``old`` (``a.b:C``) is kept as written."""
    if entry.new is None:
        return None
    return entry.new + path[len(entry.old) :]


@dataclass(frozen=True, slots=True)
class Match:
    """A path that falls under a deprecation, and what it becomes."""

    path: str
    deprecation: Deprecation
    #: The deprecations the path falls under after the first one moved it, in order, when
    #: that ``new`` is itself deprecated (empty for a plain deprecation).
    then: tuple[Deprecation, ...] = ()

    @property
    def rest(self) -> str:
        """The part of ``path`` below ``old`` (empty when ``path`` is ``old``)."""
        return self.path[len(self.deprecation.old) + 1 :]

    @property
    def steps(self) -> tuple[Deprecation, ...]:
        """Every deprecation applied, the first one first."""
        return (self.deprecation, *self.then)

    @property
    def removed(self) -> bool:
        """True when the path, or what it moved to, was removed: nothing to suggest."""
        return self.steps[-1].new is None

    @property
    def new_path(self) -> str | None:
        """``path`` moved by every deprecation of the chain; None when it was removed."""
        return self.moved(self.path)

    def moved(self, value: str) -> str | None:
        """``value`` (``path`` as written, with ``:`` or ``.``) moved along the chain."""
        moved: str | None = value
        for entry in self.steps:
            if moved is None:
                break
            moved = _moved(moved, entry)
        return moved


class DeprecationIndex:
    """Every deprecation of a project, looked up by dotted path."""

    def __init__(self, deprecations: Iterable[Deprecation]) -> None:
        self._skip_import: Callable[[ImportRecord, Match], bool] | None = None
        self._skip_reference: Callable[[StringReference, Match], bool] | None = None
        self._root = _Node()
        self.entries: tuple[Deprecation, ...] = tuple(deprecations)
        for entry in self.entries:
            node = self._root
            for part in entry.old.split("."):
                node = node.children.setdefault(part, _Node())
            node.entry = entry
        # The entries whose ``new`` (or a path below it) is deprecated too: only their matches
        # need the chain followed.
        self._chained = {
            id(e)
            for e in self.entries
            if e.new is not None and (self._lookup_one(e.new) is not None or self.below(e.new))
        }
        #: Every ``old`` as its segments, by its last segment (see :meth:`could_mention`).
        self._by_last: dict[str, list[tuple[str, ...]]] = {}
        for entry in self.entries:
            segments = tuple(entry.old.split("."))
            self._by_last.setdefault(segments[-1], []).append(segments)
        self.last_segments = frozenset(self._by_last)
        self._last_pattern: re.Pattern[str] | None = None
        # A string a recognised call takes names its module absolutely, from its first
        # character: it starts with the first segment of some ``old``.
        firsts = sorted({e.old.split(".", 1)[0] for e in self.entries})
        alternatives = "|".join(map(re.escape, firsts))
        self._string_path = (
            re.compile(r"""(['"])((?:""" + alternatives + r""")(?:[.:][\w.:]*)?)\1""")
            if firsts
            else None
        )

    def __bool__(self) -> bool:
        return bool(self.entries)

    def skipping(
        self,
        imports: Callable[[ImportRecord, Match], bool],
        references: Callable[[StringReference, Match], bool],
    ) -> DeprecationIndex:
        """This index, except that :meth:`lookup_import` and :meth:`lookup_reference` answer
        None where ``imports(record, match)`` or ``references(ref, match)`` is true: the
        sites ``archlint fix`` leaves alone (``# noqa``, planned moves). The lookup tree is
        shared, not copied."""
        clone = copy.copy(self)
        clone._skip_import = imports
        clone._skip_reference = references
        return clone

    def lookup(self, path: str) -> Match | None:
        """The most specific deprecation at or above ``path``, if any, with the chain of
        deprecations its replacement falls under in turn.

        A chain that never ends (it comes back to a path, or runs past :data:`MAX_CHAIN`
        steps), which the loader refuses, stops there.
        """
        found = self._lookup_one(path)
        if found is None:
            return None
        if id(found) not in self._chained:
            return Match(path, found)
        walked, _ = self.follow(path)
        return Match(path, found, tuple(entry for _, entry in walked[1:]))

    def follow(self, path: str) -> tuple[list[tuple[str, Deprecation]], int | None]:
        """Each path of the chain from ``path`` with the deprecation it falls under, and,
        when the chain never ends, where it starts again: the index of the path it comes
        back to, or ``len(steps)`` when it runs past :data:`MAX_CHAIN` steps. None when it
        ends (on a path no deprecation covers, or a removal)."""
        walked: list[tuple[str, Deprecation]] = []
        seen: dict[str, int] = {}
        current: str | None = path
        while current is not None:
            if current in seen:
                return walked, seen[current]
            if len(walked) >= MAX_CHAIN:
                return walked, len(walked)
            entry = self._lookup_one(current)
            if entry is None:
                break
            seen[current] = len(walked)
            walked.append((current, entry))
            current = _moved(current, entry)
        return walked, None

    def _lookup_one(self, path: str) -> Deprecation | None:
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
        return found

    def lookup_import(self, record: ImportRecord) -> Match | None:
        """The deprecation an import falls under, if any (what ARC001/ARC002 report).

        ``from a.b import *`` is looked up as ``a.b.*``: it falls under a deprecation of
        ``a.b`` or above, never under one of a single name inside ``a.b``.
        """
        match = self.lookup(record.path if record.name != "*" else f"{record.module}.*")
        if match is not None and self._skip_import is not None and self._skip_import(record, match):
            return None
        return match

    def lookup_reference(self, ref: StringReference) -> Match | None:
        """The deprecation a string reference falls under, if any (what ARC003 reports).

        In a ``"a.b:C"`` target the colon is read as a dot.
        """
        kind = ref.kind
        match = self.lookup(
            ref.value.replace(":", ".") if kind is StringRefKind.TARGET else ref.value
        )
        if (
            match is not None
            and self._skip_reference is not None
            and self._skip_reference(ref, match)
        ):
            return None
        return match

    def touches(self, path: str) -> bool:
        """Whether an import of module ``path`` may fall under a deprecation: ``path`` is at
        or below some ``old``, or some ``old`` lies below it (a name or module that
        ``from path import name`` may import)."""
        node = self._root
        for part in path.split("."):
            child = node.children.get(part)
            if child is None:
                return False
            node = child
            if node.entry is not None:
                return True
        return bool(node.children)

    def below(self, path: str) -> tuple[Deprecation, ...]:
        """Every deprecation strictly below ``path`` (``a.b.C`` is below ``a.b``)."""
        node = self._root
        for part in path.split("."):
            child = node.children.get(part)
            if child is None:
                return ()
            node = child
        found: list[Deprecation] = []
        stack = list(node.children.values())
        while stack:
            node = stack.pop()
            if node.entry is not None:
                found.append(node.entry)
            stack.extend(node.children.values())
        return tuple(sorted(found, key=lambda d: d.old))

    def _any_last(self) -> re.Pattern[str]:
        """Finds every last segment written at the end of a word. Compiled on first use (a
        thousand segments take milliseconds to compile, which the flake8 plugin, which never
        asks, should not pay). No ``\\b`` in front: it keeps the engine from skipping ahead
        by first letters, three times slower; a segment found at the end of a longer word
        only makes an answer err towards parsing."""
        if self._last_pattern is None:
            self._last_pattern = re.compile(
                r"(?:" + _alternation(sorted(self.last_segments)) + r")\b"
            )
        return self._last_pattern

    def last_words(self, text: str) -> frozenset[str]:
        """The last segments of ``old`` paths that ``text`` writes as words, and perhaps a few
        it writes only at the end of a longer word: one pass over the text, no words collected.

        Every whole word that is a last segment is found: a match ends at the end of a word
        (the segments are words, and ``\\b`` follows), so the matches before it end before
        the word starts, and at the word's first character the search tries every segment.
        What :meth:`could_mention` takes as ``hits``; most files write none.
        """
        if not self.last_segments:
            return frozenset()
        return frozenset(self._any_last().findall(text))

    def could_reference(self, text: str) -> bool:
        """False only when no string literal in ``text`` can name a deprecated path.

        The strings :mod:`archlint.scanning.strings` recognises are whole dotted paths, so
        one regular-expression pass over the text finds every candidate, and each is looked
        up; only a file with a hit needs its expressions walked.
        """
        if self._string_path is None:
            return False
        return any(
            self.lookup(match.group(2).replace(":", ".").rstrip(".")) is not None
            for match in self._string_path.finditer(text)
        )

    def could_mention(
        self,
        text: str,
        package: str | None = None,
        hits: frozenset[str] | None = None,
        *,
        references: bool | None = None,
    ) -> bool:
        """False only when ``text`` cannot hold a deprecated import or string reference.

        An absolute import of ``a.b.old`` (``import a.b.old``, ``from a.b import old``,
        ``from a.b.old import x``) writes every segment of it as a word; a relative one, only
        possible from inside ``a`` or ``a.b``, writes every segment below the part of the path
        it shares with ``package``, the importing file's package. A file that writes no such
        set of words for any ``old``, and holds no string naming one, needs no parsing.

        ``hits`` is :meth:`last_words` of ``text`` and ``references`` its
        :meth:`could_reference`, when the caller has them already. The segments other than
        the last are looked for as text, not as words (a word is text too): the import
        pattern tried next is the real test.
        """
        if hits is None:
            hits = self.last_words(text)
        if not hits:
            return False
        if self.could_reference(text) if references is None else references:
            return True
        own = package.split(".") if package else []
        by_last = self._by_last
        for last in hits:
            for segments in by_last.get(last, ()):
                shared = 0
                while (
                    shared < len(own)
                    and shared < len(segments) - 1
                    and own[shared] == segments[shared]
                ):
                    shared += 1
                if all(segment in text for segment in segments[shared:-1]) and could_import(
                    text, ".".join(segments), package
                ):
                    return True
        return False


@dataclass(frozen=True, slots=True)
class Replacement:
    """The import that replaces one deprecated imported name.

    ``from module import name as asname``, or ``import name as asname`` when ``module`` is
    None; ``asname`` is None when the statement binds the name it imports.
    """

    module: str | None
    name: str
    asname: str | None = None

    def __str__(self) -> str:
        bound = self.name if self.asname is None else f"{self.name} as {self.asname}"
        return f"import {bound}" if self.module is None else f"from {self.module} import {bound}"


def _local(name: str, local: str | None) -> str | None:
    """The ``as`` name to write: None when the imported name is already the local one."""
    return None if local is None or local == name else local


def replacement(record: ImportRecord, match: Match) -> Replacement | None:
    """The import to write instead of ``record``, or None if the path was removed.

    The local name the code uses is kept: ``from a import Old`` moved to ``b.New`` becomes
    ``from b import New as Old``. A relative import becomes an absolute one.
    """
    new_path = match.new_path
    if new_path is None:
        return None
    if record.name is None:
        # ``import a.b.c [as x]``: the whole path is the module. A plain ``import a`` binds
        # ``a`` itself, so that name is kept too; ``import a.b`` binds ``a``, which ``as``
        # cannot keep.
        local = record.asname or (record.module if "." not in record.module else None)
        return Replacement(None, new_path, _local(new_path, local))
    if record.name == "*":
        return Replacement(new_path.removesuffix(".*"), "*")
    module, _, name = new_path.rpartition(".")
    local = record.asname or record.name
    if not module:
        # A deprecated name moved to be a top-level module: ``import new as local``.
        return Replacement(None, name, _local(name, local))
    if record.asname == record.name == name:
        # ``from a import X as X`` marks a re-export (PEP 484); it stays one.
        return Replacement(module, name, name)
    return Replacement(module, name, _local(name, local))


def join_replacements(replacements: Sequence[Replacement]) -> str:
    """One statement importing every replacement (all ``import`` ones, or all from one
    module): ``from m import A, B as C``; each name once, in the order given."""
    bound: list[str] = []
    for r in replacements:
        text = r.name if r.asname is None else f"{r.name} as {r.asname}"
        if text not in bound:
            bound.append(text)
    module = replacements[0].module
    names = ", ".join(bound)
    return f"import {names}" if module is None else f"from {module} import {names}"


def replacement_import(record: ImportRecord, match: Match) -> str | None:
    """The import statement to write instead of ``record``, or None if there is none."""
    found = replacement(record, match)
    return None if found is None else str(found)


def replacement_target(value: str, match: Match) -> str | None:
    """A string reference moved along the chain of deprecations (``a.b:C`` forms kept)."""
    # ``match.path`` is ``value`` with ``:`` read as ``.``; what follows ``old`` is kept as written.
    return match.moved(value)


@dataclass(frozen=True, slots=True)
class Cycle:
    """Deprecations that move a path back to where it started."""

    #: The entries applied, in order, the one found first in the configuration first.
    entries: tuple[Deprecation, ...]
    #: The path at each step, and at the end the one that falls under the first entry again
    #: (the first path itself, or one below it when the chain moves a path below itself).
    paths: tuple[str, ...]


def deprecation_cycles(deprecations: Iterable[Deprecation]) -> list[Cycle]:
    """Every chain of ``deprecations`` that never ends, each once, in the order of its first
    entry: ``c -> d -> c``, longer ones, a name moved into a module that is moved back
    (``n.f -> m.f`` with ``m -> n``), and a path moved below itself (``c -> c.inner``), which
    grows for ever.

    Whatever path a never-ending chain starts from, one starts from the ``old`` of one of its
    entries too (the step with the shortest part below its ``old``, that part taken off every
    path), so walking from every ``old`` finds them all.
    """
    entries = tuple(deprecations)
    index = DeprecationIndex(entries)
    found: dict[frozenset[int], Cycle] = {}
    for start in entries:
        walked, again = index.follow(start.old)
        if again is None:
            continue
        if again < len(walked):  # back to a path already walked
            loop = walked[again:]
            after = walked[again][0]
        else:  # runs on: show it up to the first entry that comes round again
            applied: dict[int, int] = {}
            loop = walked
            after = ""
            for i, (path, entry) in enumerate(walked):
                if id(entry) in applied:
                    loop = walked[applied[id(entry)] : i]
                    after = path
                    break
                applied[id(entry)] = i
        key = frozenset(id(e) for _, e in loop)
        if key not in found:
            paths = (*(p for p, _ in loop), after) if after else tuple(p for p, _ in loop)
            found[key] = Cycle(tuple(_unique(e for _, e in loop)), paths)
    return list(found.values())


def _unique(entries: Iterable[Deprecation]) -> list[Deprecation]:
    out: list[Deprecation] = []
    for entry in entries:
        if not any(entry is e for e in out):
            out.append(entry)
    return out
