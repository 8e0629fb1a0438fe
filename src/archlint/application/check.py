"""``archlint check``: every contract on the whole import graph."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from archlint.backend.run import Graphs, check_contracts
from archlint.domain.errors import ConfigError, ConfigProblem
from archlint.domain.model import Contract
from archlint.domain.results import CheckReport

from .project import OpenProject, cache_dir


def select_contracts(opened: OpenProject, ids: Sequence[str]) -> tuple[Contract, ...]:
    """The contracts named by ``ids`` (all when empty), in file order.

    Raises ``ConfigError`` naming every unknown id.
    """
    contracts = opened.project.contracts
    if not ids:
        return contracts
    known = [c.id for c in contracts]
    problems = []
    for wanted in ids:
        if wanted not in known:
            close = difflib.get_close_matches(wanted, known, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(ConfigProblem("--contract", f"no contract has the id '{wanted}'{hint}"))
    if problems:
        raise ConfigError(problems)
    return tuple(c for c in contracts if c.id in ids)


def check(
    opened: OpenProject, contract_ids: Sequence[str] = (), *, use_cache: bool = True
) -> CheckReport:
    """Check the selected contracts. Raises ``ConfigError`` when one cannot be checked."""
    contracts = select_contracts(opened, contract_ids)
    graphs = Graphs(
        opened.project,
        cache_dir(opened.project) if use_cache else None,
        packages=opened.inventory.packages,
    )
    results, problems = check_contracts(opened.project, contracts, graphs)
    if problems:
        raise ConfigError(problems)
    graph = next(iter(graphs.built.values()), None)
    return CheckReport(
        results=tuple(results),
        module_count=len(graph.modules) if graph is not None else 0,
        import_count=graph.count_imports() if graph is not None else 0,
    )
