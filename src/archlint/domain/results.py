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
