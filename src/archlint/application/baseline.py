"""``archlint check --baseline``: the ratchet. Known findings pass, new ones fail, and the
baseline can only shrink.

A team adopting contracts on code that already breaks them records today's findings with
``archlint check --write-baseline`` and fails only on new ones. Each finding is recorded by an
identity that unrelated edits do not move (:mod:`.baseline_keys`): a graph contract's break by
its contract and the two ends of its chain, a per-file finding by its code, file and import,
never by line. Several sites of one identity in a file are counted: the check fails only when
the count grows. Entries that no longer occur are listed; ``--strict-baseline`` fails on them,
so that a fixed finding is taken out of the baseline in the same change.

The baseline file is sorted TOML, one entry per line (:mod:`.baseline_file`); a JSON report of
``archlint check --format json`` (the earlier form) is still read, for its graph breaks.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from archlint.config.loader import display_path
from archlint.domain.errors import ArchlintError
from archlint.domain.results import CheckReport, ContractResult, FileFinding, GateReport
from archlint.scanning.imports import scan_imports
from archlint.scanning.modules import module_name_for_path
from archlint.scanning.screen import read_source
from archlint.scanning.source import SourceError, decode_source, parse_source
from archlint.scanning.strings import scan_string_references

from .baseline_file import Baseline, BaselineError, read_baseline, render_baseline
from .baseline_keys import BreakKey, FindingKey, break_key
from .baseline_setting import settings_baseline
from .project import OpenProject

__all__ = [
    "DEFAULT_BASELINE",
    "Baseline",
    "BaselineError",
    "BreakKey",
    "FindingKey",
    "Ratchet",
    "Recorded",
    "SiteFinding",
    "apply_baseline",
    "break_key",
    "judge",
    "read_baseline",
    "record",
    "settings_baseline",
]

#: The file ``--write-baseline`` writes when neither it nor ``[tool.archlint] baseline``
#: names one, next to ``pyproject.toml``.
DEFAULT_BASELINE = "archlint-baseline.toml"


@dataclass(frozen=True, slots=True)
class SiteFinding:
    """A per-file finding at one place, with its identities: one for each path it is about
    (the finding of an import statement may be about several of the names it imports)."""

    keys: tuple[FindingKey, ...]
    path: str
    line: int
    #: 1-based.
    col: int
    code: str
    message: str
    #: The one identity the first baselines gave a statement's finding (every path the
    #: statement imports, in source order): a baseline that records it still knows it.
    legacy: FindingKey | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"


# --- the per-file findings ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Targets:
    """What a file's import statements and module-naming strings name, by the 1-based line
    and 0-based column where their findings sit."""

    #: Every path each import statement imports, in source order, once each.
    statements: Mapping[tuple[int, int], tuple[str, ...]]
    strings: Mapping[tuple[int, int], str]


def _targets(path: Path, opened: OpenProject) -> _Targets:
    """What each import statement and each module-naming string of a file names: an import
    finding sits at its statement's first line and column."""
    shown = str(path)
    try:
        tree = parse_source(decode_source(read_source(path), shown), shown)
    except (OSError, SourceError):
        return _Targets({}, {})
    module = module_name_for_path(str(path), opened.project.source_root_paths)
    statements: dict[tuple[int, int], list[str]] = {}
    for r in scan_imports(tree, module):
        paths = statements.setdefault((r.stmt_line, r.stmt_col), [])
        if r.path not in paths:
            paths.append(r.path)
    strings: dict[tuple[int, int], str] = {}
    for ref in scan_string_references(tree):
        strings.setdefault((ref.line, ref.col), ref.value)
    return _Targets({at: tuple(paths) for at, paths in statements.items()}, strings)


#: What a finding on an import is about, from its message: the deprecated path an ARC0xx
#: message starts with, the module an ARC1xx message names.
_DEPRECATED_PATH = re.compile(r"([\w.]+) ")
_IMPORT_OF = re.compile(r"import of ([\w.]+) breaks contract ")


def _about(finding: FileFinding, paths: tuple[str, ...]) -> list[str]:
    """The paths of a statement that ``finding`` is about, sorted: those at or below the
    deprecated path (ARC0xx) or the module imported (ARC1xx) its message names. The other
    names of the statement, and their order, do not move its identities."""
    pattern = _IMPORT_OF if finding.code.startswith("ARC1") else _DEPRECATED_PATH
    named = pattern.match(finding.message)
    head = named.group(1) if named else None
    about = sorted({p for p in paths if head and (p == head or p.startswith(head + "."))})
    return about or sorted(set(paths))


def per_file_findings(opened: OpenProject, report: GateReport) -> list[SiteFinding]:
    """Every per-file finding of ``report`` (``archlint check``'s) with its identities: code,
    file relative to the project folder, and each path its import names that it is about
    (or the string it names)."""
    targets: dict[str, _Targets] = {}
    out = []
    for finding in report.findings:
        if finding.path not in targets:
            targets[finding.path] = _targets(opened.root / finding.path, opened)
        found = targets[finding.path]
        at = (finding.line, finding.col - 1)
        paths = found.statements.get(at)
        legacy = None
        if paths is not None:
            about = _about(finding, paths)
            legacy = FindingKey(finding.code, finding.path, ", ".join(paths))
        else:
            # Never missing for a finding of the file's own imports or strings; the message
            # is the fallback should a rule ever point elsewhere.
            about = [found.strings.get(at, finding.message)]
        keys = tuple(FindingKey(finding.code, finding.path, named) for named in about)
        f = finding
        out.append(SiteFinding(keys, f.path, f.line, f.col, f.code, f.message, legacy))
    return out


# --- graph breaks ----------------------------------------------------------------------------


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


def current_breaks(report: CheckReport) -> set[BreakKey]:
    """The identity of every break in ``report`` that has a chain."""
    return {
        break_key(result.contract.id, chain.modules)
        for result in report.broken
        for violation in result.violations
        for chain in violation.chains
        if chain.links
    }


# --- writing and judging ---------------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    """What ``--write-baseline`` would write."""

    text: str
    breaks: int
    findings: int
    #: How many files hold them.
    files: int
    #: Graph breaks that have no chain (nothing to identify them by): they still fail.
    unrecordable: int
    #: Files the per-file rules could not read (``FILE:LINE: why``): nothing is written then.
    problems: tuple[str, ...]


def record(opened: OpenProject, report: GateReport) -> Recorded:
    """Today's findings (``archlint check``'s) as the text of a baseline file."""
    breaks = current_breaks(report.check)
    unrecordable = sum(
        1 for r in report.check.broken for v in r.violations if not any(c.links for c in v.chains)
    )
    sites = per_file_findings(opened, report)
    counts = Counter(key for site in sites for key in site.keys)
    return Recorded(
        text=render_baseline(breaks, counts),
        breaks=len(breaks),
        findings=len(sites),
        files=len({key.path for key in counts}),
        unrecordable=unrecordable + len(report.check.problems),
        problems=tuple(report.unreadable),
    )


def write_baseline(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole (through a temporary file beside it)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as e:
        temporary.unlink(missing_ok=True)
        raise ArchlintError(f"cannot write {display_path(path)}: {e.strerror}") from None


@dataclass(frozen=True)
class Ratchet:
    """A check judged against a baseline."""

    #: ``archlint check``'s report, known breaks and per-file findings taken out.
    report: GateReport
    #: Per-file findings the baseline does not know (every site of an identity whose count
    #: grew), in file and line order.
    new_findings: tuple[SiteFinding, ...] = ()
    #: How many per-file sites are more than the baseline knows (fewer than
    #: ``new_findings`` when a count grew: which of its sites is new cannot be told).
    new_count: int = 0
    #: Per-file sites the baseline knows.
    known_findings: int = 0
    #: Per-file identities whose count grew: (found now, in the baseline).
    grown: Mapping[FindingKey, tuple[int, int]] = dataclasses.field(default_factory=dict)
    #: Baseline entries that no longer occur.
    gone_breaks: tuple[BreakKey, ...] = ()
    #: Per-file entries found fewer times than recorded: (entry, in the baseline, now).
    gone_findings: tuple[tuple[FindingKey, int, int], ...] = ()
    #: Files the per-file rules could not read (``FILE:LINE: why``).
    problems: tuple[str, ...] = ()

    @property
    def gone(self) -> int:
        """How many baseline entries no longer occur (or occur fewer times)."""
        return len(self.gone_breaks) + len(self.gone_findings)

    def ok(self, *, strict: bool) -> bool:
        """No new finding, and with ``strict`` no entry that no longer occurs."""
        return self.report.ok and not (strict and self.gone)


def judge(
    opened: OpenProject, report: GateReport, baseline: Baseline, *, all_contracts: bool = True
) -> Ratchet:
    """``report`` (graph contracts and per-file findings) judged against ``baseline``.

    With ``all_contracts`` false (``--contract`` chose some, and ``report`` holds only their
    direct breaks among the per-file findings), only the entries of the contracts checked can
    be gone: no per-file entry is listed as gone (an entry does not say which contract its
    import breaks, and the deprecations were not checked).
    """
    now = current_breaks(report.check)
    checked = {r.contract.id for r in report.check.results}
    defined = {c.id for c in opened.project.contracts}
    gone_breaks = tuple(
        sorted(
            key
            for key in baseline.breaks
            if key not in now and (key.contract in checked or key.contract not in defined)
        )
    )
    judged = dataclasses.replace(report, check=apply_baseline(report.check, baseline.breaks))
    if baseline.findings is None:
        # An earlier JSON report knows graph breaks only: a direct break's per-file finding
        # (ARC1xx) is known when its break is.
        kept = _unknown_direct_breaks(opened, report, baseline.breaks)
        judged = dataclasses.replace(
            judged, findings=kept, baselined=report.baselined + len(report.findings) - len(kept)
        )
        return Ratchet(judged, gone_breaks=gone_breaks, problems=tuple(report.unreadable))
    known = baseline.findings
    sites = [_as_recorded(site, known) for site in per_file_findings(opened, report)]
    counts = Counter(key for site in sites for key in site.keys)
    grown = {k: (n, known.get(k, 0)) for k, n in counts.items() if n > known.get(k, 0)}
    # Every site of an identity whose count grew stays: which of them is new cannot be told.
    is_new = [any(key in grown for key in s.keys) for s in sites]
    new = [s for s, grew in zip(sites, is_new, strict=True) if grew]
    kept = tuple(f for f, grew in zip(report.findings, is_new, strict=True) if grew)
    judged = dataclasses.replace(
        judged, findings=kept, baselined=report.baselined + len(report.findings) - len(kept)
    )
    # How many sites are more than the baseline knows: the growth of the counts, but never
    # more than the sites shown (one site may be about several paths, each new).
    new_count = min(len(new), sum(now - before for now, before in grown.values()))
    gone_findings = tuple(
        (key, n, counts.get(key, 0))
        for key, n in sorted(known.items())
        if counts.get(key, 0) < n and all_contracts
    )
    return Ratchet(
        judged,
        new_findings=tuple(sorted(new, key=lambda s: (s.path, s.line, s.col, s.keys))),
        new_count=new_count,
        known_findings=len(sites) - new_count,
        grown=grown,
        gone_breaks=gone_breaks,
        gone_findings=gone_findings,
        problems=tuple(report.unreadable),
    )


def _as_recorded(site: SiteFinding, known: Mapping[FindingKey, int]) -> SiteFinding:
    """``site`` under the identities ``known`` records it by: its own, or else the one the
    first baselines gave it, so that a baseline written then does not make it new."""
    if site.legacy is None or site.legacy not in known or all(k in known for k in site.keys):
        return site
    return dataclasses.replace(site, keys=(site.legacy,))


def _unknown_direct_breaks(
    opened: OpenProject, report: GateReport, breaks: frozenset[BreakKey]
) -> tuple[FileFinding, ...]:
    """``report``'s per-file findings but the ARC1xx ones whose break ``breaks`` knows."""
    sites = per_file_findings(opened, report)
    roots = opened.project.source_root_paths
    kept = []
    for finding, site in zip(report.findings, sites, strict=True):
        module = module_name_for_path(str(opened.root / finding.path), roots)
        if finding.code.startswith("ARC1") and finding.contract and module is not None:
            # The message names the one module imported; the site's identity may list every
            # path its statement imports.
            named = _IMPORT_OF.match(finding.message)
            parts = (named.group(1) if named else site.keys[0].imported).split(".")
            # The import may name a module or a name in one: try the path and its parents.
            candidates = [".".join(parts[:n]) for n in range(len(parts), 0, -1)]
            if any(
                key in breaks
                for imported in candidates
                for key in (
                    break_key(finding.contract, [module.name, imported]),
                    break_key(finding.contract, [module.name, imported, module.name]),
                )
            ):
                continue
        kept.append(finding)
    return tuple(kept)
