"""What identifies a finding in a baseline: what does not move when unrelated code changes.

A graph contract's break (:class:`BreakKey`) is the contract and the two ends of its chain: the
importer and the imported module of an illegal import (a direct break), or the first and last
module of a chain (an indirect one). Middle modules and line numbers are left out, so an edit
elsewhere in a file, or a chain that now runs through another module between the same ends, is
still the known break. A cycle has no ends (it starts and ends at the same module), so it is
identified by its modules (its smallest module stands as both ends).

A per-file finding (:class:`FindingKey`) is its code, its file relative to the project folder
and the dotted path its import names (or, for a string reference, the string): several sites
with the same identity in one file are counted, never told apart by line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["BreakKey", "FindingKey", "break_key"]


@dataclass(frozen=True, order=True, slots=True)
class BreakKey:
    """The identity of one break of a contract, stable across unrelated edits."""

    #: The contract's id.
    contract: str
    #: The module that imports: of the illegal import, or at the start of the chain.
    importer: str
    #: The module imported: of the illegal import, or at the end of the chain.
    imported: str
    #: For a cycle (``importer == imported``): every module on it, sorted; else empty.
    cycle: tuple[str, ...] = ()

    def __str__(self) -> str:
        if self.cycle:
            return f"{self.contract}: the cycle through {', '.join(self.cycle)}"
        return f"{self.contract}: {self.importer} -> {self.imported}"


def break_key(contract_id: str, modules: Sequence[str]) -> BreakKey:
    """The identity of the break of ``contract_id`` shown by the chain through ``modules``.

    ``modules`` runs from the first importer to the last module imported (at least two).
    """
    if len(modules) < 2:
        raise ValueError(f"a chain has at least two modules, got {list(modules)!r}")
    first, last = modules[0], modules[-1]
    if first != last:
        return BreakKey(contract_id, first, last)
    # Where a cycle is entered depends on how it was found: its smallest module stands for it.
    cycle = tuple(sorted(set(modules)))
    return BreakKey(contract_id, cycle[0], cycle[0], cycle)


@dataclass(frozen=True, order=True, slots=True)
class FindingKey:
    """The identity of a per-file finding (ARC0xx, ARC1xx), stable across unrelated edits."""

    code: str
    #: The file, relative to the project folder, with ``/`` separators.
    path: str
    #: The dotted path the import names (``from a.b import c``: ``a.b.c``), or the string a
    #: string reference holds.
    imported: str

    def __str__(self) -> str:
        return f"{self.path}: {self.code} {self.imported}"
