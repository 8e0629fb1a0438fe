"""``archlint check --baseline FILE``: breaks already known are reported as such, not as failures.

A team adopting contracts on code that already breaks them records today's breaks and fails
only on new ones. The baseline is a report ``archlint check --format json`` wrote earlier.

A break is identified by what does not move when unrelated code changes (:class:`BreakKey`):
the contract, and the two ends of its chain: the importer and the imported module of an
illegal import (a direct break), or the first and last module of a chain (an indirect one).
Middle modules and line numbers are left out, so an edit elsewhere in a file, or a chain that
now runs through another module between the same ends, is still the known break. A cycle has
no ends (it starts and ends at the same module), so it is identified by its modules.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archlint.domain.errors import ArchlintError
from archlint.domain.results import CheckReport, ContractResult

__all__ = ["BaselineError", "BreakKey", "apply_baseline", "break_key", "read_baseline"]


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


def break_key(contract_id: str, modules: Sequence[str]) -> BreakKey:
    """The identity of the break of ``contract_id`` shown by the chain through ``modules``.

    ``modules`` runs from the first importer to the last module imported (at least two).
    """
    if len(modules) < 2:
        raise ValueError(f"a chain has at least two modules, got {list(modules)!r}")
    first, last = modules[0], modules[-1]
    cycle = tuple(sorted(set(modules))) if first == last else ()
    return BreakKey(contract_id, first, last, cycle)


class BaselineError(ArchlintError):
    """The baseline file cannot be read as a report of ``archlint check --format json``."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"{path}: not a baseline ({reason}); write one with "
            "'archlint check --format json > FILE'"
        )


def _chain_modules(chain: Any) -> list[str]:
    """The modules along one chain of a JSON report (a list of links)."""
    modules = [str(chain[0]["importer"])]
    for link in chain:
        modules.append(str(link["imported"]))
    return modules


def read_baseline(path: Path) -> frozenset[BreakKey]:
    """The known breaks in a JSON report."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise BaselineError(path, e.strerror or "cannot read") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise BaselineError(path, str(e)) from None
    except RecursionError:
        raise BaselineError(path, "nested too deeply") from None
    try:
        keys = set()
        for contract in document["contracts"]:
            for violation in contract["violations"]:
                for chain in violation["chains"]:
                    if chain:
                        keys.add(break_key(str(contract["id"]), _chain_modules(chain)))
    except (KeyError, TypeError, IndexError) as e:
        raise BaselineError(path, f"missing or malformed field {e}") from None
    return frozenset(keys)


def _apply(result: ContractResult, known: frozenset[BreakKey]) -> ContractResult:
    if result.kept:
        return result
    baselined = 0
    violations = []
    contract_id = result.contract.id
    for violation in result.violations:
        chains = tuple(
            c
            for c in violation.chains
            if not c.links or break_key(contract_id, c.modules) not in known
        )
        baselined += len(violation.chains) - len(chains)
        if chains or not violation.chains:
            violations.append(dataclasses.replace(violation, chains=chains))
    if not baselined:
        return result
    if not violations:
        return dataclasses.replace(result, kept=True, violations=(), notes=(), baselined=baselined)
    return dataclasses.replace(result, violations=tuple(violations), baselined=baselined)


def apply_baseline(report: CheckReport, known: frozenset[BreakKey]) -> CheckReport:
    """The report with every known break taken out; a contract whose every break is known is
    kept (and says how many known breaks it has)."""
    return dataclasses.replace(report, results=tuple(_apply(r, known) for r in report.results))
