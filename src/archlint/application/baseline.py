"""``archlint check --baseline FILE``: breaks already known are reported as such, not as failures.

A team adopting contracts on code that already breaks them records today's breaks and fails
only on new ones. The baseline is a report ``archlint check --format json`` wrote earlier;
a break is known when the same contract has a chain through the same modules in it (line
numbers are left out, so edits elsewhere in a file do not make an old break look new).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from archlint.domain.errors import ArchlintError
from archlint.domain.results import CheckReport, ContractResult

#: (contract id, modules along the chain)
Key = tuple[str, tuple[str, ...]]


class BaselineError(ArchlintError):
    """The baseline file cannot be read as a report of ``archlint check --format json``."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"{path}: not a baseline ({reason}); write one with "
            "'archlint check --format json > FILE'"
        )


def read_baseline(path: Path) -> frozenset[Key]:
    """The known breaks in a JSON report."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise BaselineError(path, e.strerror or "cannot read") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise BaselineError(path, str(e)) from None
    try:
        keys = set()
        for contract in document["contracts"]:
            for violation in contract["violations"]:
                for chain in violation["chains"]:
                    if not chain:
                        continue
                    modules = (chain[0]["importer"], *(link["imported"] for link in chain))
                    keys.add((str(contract["id"]), tuple(modules)))
    except (KeyError, TypeError, IndexError) as e:
        raise BaselineError(path, f"missing or malformed field {e}") from None
    return frozenset(keys)


def _apply(result: ContractResult, known: frozenset[Key]) -> ContractResult:
    if result.kept:
        return result
    baselined = 0
    violations = []
    for violation in result.violations:
        chains = tuple(c for c in violation.chains if (result.contract.id, c.modules) not in known)
        baselined += len(violation.chains) - len(chains)
        if chains or not violation.chains:
            violations.append(dataclasses.replace(violation, chains=chains))
    if not baselined:
        return result
    if not violations:
        return dataclasses.replace(result, kept=True, violations=(), notes=(), baselined=baselined)
    return dataclasses.replace(result, violations=tuple(violations), baselined=baselined)


def apply_baseline(report: CheckReport, known: frozenset[Key]) -> CheckReport:
    """The report with every known chain taken out; a contract whose every break is known is
    kept (and says how many known breaks it has)."""
    return dataclasses.replace(report, results=tuple(_apply(r, known) for r in report.results))
