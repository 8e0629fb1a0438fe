"""``archlint check``: every contract on the whole import graph.

A check whose inputs have not changed since the last one (the software, the configuration files
and the contracts checked, and the name, path and stamp of every module file: see
:mod:`archlint.config.stamps`) gives the same report: it is kept, as JSON, in the project's
cache folder and reused, without building the graph. grimp's own cache, used when the graph is
built, is keyed by the same stamps and kept apart for each set of graph options.
``--no-cache`` skips this cache and grimp's.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from archlint.config.cache import CODEC, read_json, write_json
from archlint.config.plain import PlainDataError
from archlint.config.stamps import file_stamp, now_ns, stamps_digest, tool_stamp
from archlint.domain.errors import ConfigError, ConfigProblem
from archlint.domain.model import Contract, Settings
from archlint.domain.results import CheckReport
from archlint.scanning.inventory import RootPackage

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
            import difflib  # only for a wrong id: not on every check

            close = difflib.get_close_matches(wanted, known, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(ConfigProblem("--contract", f"no contract has the id '{wanted}'{hint}"))
    if problems:
        raise ConfigError(problems)
    return tuple(c for c in contracts if c.id in ids)


_REPORT_CACHE = "check.json"


def _inputs_key(opened: OpenProject, contracts: tuple[Contract, ...], now: int) -> str:
    """A digest of everything a check's report depends on: the software, the current folder
    (file names in the report are shown from it), the configuration files and the contracts
    checked, and the name, path and stamp of every module and namespace package."""
    project = opened.project
    parts: list[object] = [
        tool_stamp(),
        os.getcwd(),
        str(project.root),
        [(str(path), file_stamp(path, now)) for path in project.config_files],
        json.dumps(
            [
                CODEC.encode(project.settings, Settings),
                [CODEC.encode(c, Contract) for c in contracts],
            ],
            sort_keys=True,
        ),
    ]
    for package in opened.inventory.packages:
        parts.append((package.name, str(package.directory)))
        parts.extend(
            (module.name, str(module.path), module.is_package, file_stamp(module.path, now))
            for module in package.modules
        )
    parts.append(sorted(opened.inventory.namespace_packages))
    return stamps_digest(parts)


def _cached_report(folder: Path, key: str) -> CheckReport | None:
    data = read_json(folder / _REPORT_CACHE, "check")
    if data is None or data.get("key") != key:
        return None
    try:
        return CODEC.decode(data.get("report"), CheckReport)
    except PlainDataError:
        return None


def _store_report(folder: Path, key: str, report: CheckReport) -> None:
    body = {"key": key, "report": CODEC.encode(report, CheckReport)}
    with contextlib.suppress(OSError):  # a read-only checkout still works, only slower
        write_json(folder / _REPORT_CACHE, "check", body)


def _stamped_packages(opened: OpenProject, now: int) -> tuple[RootPackage, ...]:
    """The project's packages, each module's ``mtime`` replaced by a number derived from its
    full stamp: grimp keys its per-module cache by that number alone, so it must change with
    every edit that the stamp sees (a same-size edit within one mtime tick among them)."""
    packages = []
    for package in opened.inventory.packages:
        modules = tuple(
            dataclasses.replace(module, mtime=_as_float(file_stamp(module.path, now)))
            for module in package.modules
        )
        packages.append(dataclasses.replace(package, modules=modules))
    return tuple(packages)


def _as_float(stamp: tuple[int | str, ...]) -> float:
    # 52 bits of the digest: a float that JSON (grimp's cache files) keeps exactly.
    return float(int(stamps_digest(stamp)[:13], 16))


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
    packages = opened.inventory.packages
    if use_cache:
        try:
            folder = cache_dir(opened.project)
        except OSError:
            folder = None  # a read-only checkout, a planted link: check without caches
    if folder is not None:
        # Every stamp is taken before the graph is built: an edit made while it is built
        # changes the key of the next run, never the other way round.
        now = now_ns()
        key = _inputs_key(opened, contracts, now)
        cached = _cached_report(folder, key)
        if cached is not None:
            return cached
        packages = _stamped_packages(opened, now)
    # Only a check that really runs pays for importing import-linter and grimp.
    from archlint.backend.run import Graphs, check_contracts

    if graphs is None:
        graphs = Graphs(opened.project, folder, packages=packages)
    else:
        # The caller's graphs, keyed in grimp's cache by the same stamps as this check.
        graphs.packages = packages
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
