"""``archlint check``: every contract on the whole import graph.

A check whose inputs have not changed since the last one (archlint's version, the settings and
the contracts checked, and the name and modification time of every module file) gives the
same report: it is kept in the project's cache folder and reused, without building the graph.
``--no-cache`` skips this cache and grimp's.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from archlint import __version__
from archlint.config.cache import read_pickle, write_pickle
from archlint.domain.errors import ConfigError, ConfigProblem
from archlint.domain.model import Contract
from archlint.domain.results import CheckReport

from .project import OpenProject, cache_dir

if TYPE_CHECKING:
    from archlint.backend.run import Graphs


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


_REPORT_CACHE = "check.pickle"


def _inputs_key(opened: OpenProject, contracts: tuple[Contract, ...]) -> str:
    """A digest of everything a check's report depends on."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(__version__.encode())
    digest.update(pickle.dumps((opened.project.settings, contracts), pickle.HIGHEST_PROTOCOL))
    digest.update(str(Path.cwd()).encode())  # file names in the report are shown from here
    for module in opened.inventory:
        digest.update(f"{module.name}\0{module.mtime!r}\0".encode())
    digest.update("\0".join(sorted(opened.inventory.namespace_packages)).encode())
    return digest.hexdigest()


def _cached_report(folder: Path, key: str) -> CheckReport | None:
    cached = read_pickle(folder / _REPORT_CACHE)
    if not (isinstance(cached, tuple) and len(cached) == 2):
        return None
    stored_key, report = cached
    return report if stored_key == key and isinstance(report, CheckReport) else None


def _store_report(folder: Path, key: str, report: CheckReport) -> None:
    with contextlib.suppress(OSError):  # a read-only checkout still works, only slower
        write_pickle(folder / _REPORT_CACHE, (key, report))


def check(
    opened: OpenProject,
    contract_ids: Sequence[str] = (),
    *,
    use_cache: bool = True,
    graphs: Graphs | None = None,
) -> CheckReport:
    """Check the selected contracts. Raises ``ConfigError`` when one cannot be checked.

    ``graphs``, when given, is where the graphs are built (the caller reads them afterwards:
    ``archlint check``'s per-file rules use their edges); a cached report builds none.
    """
    contracts = select_contracts(opened, contract_ids)
    key = folder = None
    if use_cache:
        try:
            folder = cache_dir(opened.project)
        except OSError:
            folder = None  # a read-only checkout: check without caches
    if folder is not None:
        key = _inputs_key(opened, contracts)
        cached = _cached_report(folder, key)
        if cached is not None:
            return cached
    # Only a check that really runs pays for importing import-linter and grimp.
    from archlint.backend.run import Graphs, check_contracts

    if graphs is None:
        graphs = Graphs(opened.project, folder, packages=opened.inventory.packages)
    results, problems = check_contracts(opened.project, contracts, graphs)
    if problems:
        raise ConfigError(problems)
    graph = next(iter(graphs.built.values()), None)
    report = CheckReport(
        results=tuple(results),
        module_count=len(graph.modules) if graph is not None else 0,
        import_count=graph.count_imports() if graph is not None else 0,
    )
    if folder is not None and key is not None:
        _store_report(folder, key, report)
    return report
