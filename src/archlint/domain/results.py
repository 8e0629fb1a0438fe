"""What checking contracts found: import chains with their lines, per contract."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import ConfigProblem
from .model import Contract


@dataclass(frozen=True, slots=True)
class Link:
    """One direct import in a chain, with every line of the importer that makes it."""

    importer: str
    imported: str
    line_numbers: tuple[int, ...] = ()
    #: Every import making this link is inside a function.
    lazy: bool = False
    #: Every import making this link is under ``if TYPE_CHECKING:``.
    type_checking: bool = False
    #: The lines of the imports that sit inside a function (run when it is called).
    lazy_lines: tuple[int, ...] = ()
    #: The lines of the imports under ``if TYPE_CHECKING:`` (never run).
    type_checking_lines: tuple[int, ...] = ()

    @property
    def import_time(self) -> bool:
        """Whether at least one import making this link runs when the importer is imported."""
        deferred = set(self.lazy_lines) | set(self.type_checking_lines)
        if not self.line_numbers:
            return not (self.lazy or self.type_checking)
        return any(n not in deferred for n in self.line_numbers)


@dataclass(frozen=True, slots=True)
class Chain:
    """``a -> b -> c``: the links one after the other.

    ``extra_firsts``/``extra_lasts`` are other modules of the same packages that make the same
    first or last step (import-linter collapses them into one chain).
    """

    links: tuple[Link, ...]
    extra_firsts: tuple[Link, ...] = ()
    extra_lasts: tuple[Link, ...] = ()

    @property
    def modules(self) -> tuple[str, ...]:
        """The modules along the chain, first importer to last imported."""
        if not self.links:
            return ()
        return (self.links[0].importer, *(link.imported for link in self.links))


@dataclass(frozen=True, slots=True)
class Violation:
    """One way a contract is broken: a sentence, and the chains that show it."""

    summary: str
    chains: tuple[Chain, ...] = ()
    importer: str | None = None
    imported: str | None = None


@dataclass(frozen=True)
class ContractResult:
    """The verdict on one contract."""

    contract: Contract
    kept: bool
    violations: tuple[Violation, ...] = ()
    warnings: tuple[str, ...] = ()
    #: Extra lines for the reader, e.g. which imports would break every cycle.
    notes: tuple[str, ...] = ()
    ignored_import_count: int = 0
    #: Chains left out because the baseline already knew them (``check --baseline``).
    baselined: int = 0


@dataclass(frozen=True)
class CheckReport:
    """The verdict on every contract checked, and what else ``archlint check`` found."""

    results: tuple[ContractResult, ...]
    module_count: int = 0
    import_count: int = 0
    #: Problems that do not stop the check, e.g. a deprecation whose ``new`` does not resolve.
    problems: tuple[ConfigProblem, ...] = field(default=())

    @property
    def kept(self) -> tuple[ContractResult, ...]:
        """The contracts kept."""
        return tuple(r for r in self.results if r.kept)

    @property
    def broken(self) -> tuple[ContractResult, ...]:
        """The contracts broken."""
        return tuple(r for r in self.results if not r.kept)

    @property
    def ok(self) -> bool:
        """True when every contract is kept and nothing else was found."""
        return not self.broken and not self.problems


@dataclass(frozen=True, slots=True)
class FileFinding:
    """A per-file rule's finding (ARC0xx, ARC1xx) at one place of one file."""

    #: The file, relative to the project folder, with ``/`` separators.
    path: str
    #: 1-based line and column.
    line: int
    col: int
    code: str
    message: str
    #: The contract a direct break (ARC1xx) breaks; None for a deprecation.
    contract: str | None = None
    #: ``archlint fix`` can rewrite it (a deprecated path that has a replacement).
    fixable: bool = False
    #: A deprecated site whose replacement does not exist yet (a planned move): shown, but
    #: it does not fail ``check`` (``unresolved_new = "error"`` makes the plan itself fail).
    planned: bool = False


@dataclass(frozen=True)
class GateReport:
    """What ``archlint check`` found: the graph contracts' verdict and the per-file findings."""

    check: CheckReport
    findings: tuple[FileFinding, ...] = ()
    #: How many Python files the per-file rules read.
    files: int = 0
    #: Files that could not be read or parsed: ``FILE:LINE: why``; nothing was checked there.
    unreadable: tuple[str, ...] = ()
    #: Things the reader should know about what was checked (not findings).
    notes: tuple[str, ...] = ()
    #: The project folder relative to the top of its git work tree (``"sub/dir/"``, or
    #: ``""`` at the top or outside git): what file paths need for GitHub annotations.
    repository_prefix: str = ""
    #: Per-file findings left out because the baseline already knew them.
    baselined: int = 0

    @property
    def ok(self) -> bool:
        """True when every contract is kept and no file has a finding (planned moves'
        sites aside)."""
        return self.check.ok and all(f.planned for f in self.findings)
