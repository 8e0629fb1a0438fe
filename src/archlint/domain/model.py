"""The model of a project's rules: settings, contracts and deprecations.

Every class here is a frozen dataclass built once by :mod:`archlint.config` and then only read.
Field names of the contract types that import-linter also has are import-linter's, with the same
meaning, so that its documentation applies.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from .expressions import ImportExpression, ModuleExpression


class AlertLevel(enum.Enum):
    """What to do when an ``ignore_imports`` entry matches no import (import-linter's option)."""

    NONE = "none"
    WARN = "warn"
    ERROR = "error"


class UnresolvedNew(enum.Enum):
    """What a deprecation whose ``new`` does not resolve yet (a planned move) is."""

    #: A warning from ``archlint check``; the per-file findings say "planned".
    WARNING = "warning"
    #: A configuration error, as any other.
    ERROR = "error"


@dataclass(frozen=True)
class Origin:
    """Where a definition was written: the file (as shown to the user) and the line."""

    file: str
    line: int | None = None
    #: ``(field, line)`` for each field whose line is known.
    field_lines: tuple[tuple[str, int], ...] = ()

    def line_of(self, field: str | None) -> int | None:
        """The line ``field`` was written on, else the line of the table."""
        for name, line in self.field_lines:
            if name == field:
                return line
        return self.line

    def __str__(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"


@dataclass(frozen=True, kw_only=True)
class Contract:
    """What every contract has. Subclasses add the fields of their type."""

    #: The ``type`` value in the contract file.
    type_name: ClassVar[str] = ""
    #: The flake8 code for a direct import that breaks a contract of this type, if any.
    code: ClassVar[str | None] = None

    id: str
    name: str
    why: str | None = None
    origin: Origin
    ignore_imports: tuple[ImportExpression, ...] = ()
    unmatched_ignore_imports_alerting: AlertLevel = AlertLevel.ERROR
    #: ``None`` means: as the project's ``exclude_type_checking_imports`` says.
    exclude_type_checking_imports: bool | None = None

    def is_ignored(self, importer: str, imported: str) -> bool:
        """True when ``importer -> imported`` is named by one of ``ignore_imports``."""
        return any(expr.matches(importer, imported) for expr in self.ignore_imports)


@dataclass(frozen=True)
class LayerModule:
    """One module of a layer: its name below the container, and whether it may be missing."""

    name: str
    optional: bool = False


@dataclass(frozen=True)
class Layer:
    """One layer: one or more sibling modules, independent (``|``) or not (``:``)."""

    modules: tuple[LayerModule, ...]
    independent: bool = True
    #: The layer as written, for the import-linter configuration.
    text: str = ""


@dataclass(frozen=True, kw_only=True)
class LayersContract(Contract):
    """Higher layers may import lower ones, never the other way round (import-linter ``layers``)."""

    type_name: ClassVar[str] = "layers"
    code: ClassVar[str | None] = "ARC101"

    layers: tuple[Layer, ...]
    containers: tuple[ModuleExpression, ...] = ()
    exhaustive: bool = False
    exhaustive_ignores: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class IndependenceContract(Contract):
    """The modules may not import each other, directly or indirectly."""

    type_name: ClassVar[str] = "independence"
    code: ClassVar[str | None] = "ARC102"

    modules: tuple[ModuleExpression, ...]


@dataclass(frozen=True, kw_only=True)
class ForbiddenContract(Contract):
    """The source modules may not import the forbidden modules."""

    type_name: ClassVar[str] = "forbidden"
    code: ClassVar[str | None] = "ARC103"

    source_modules: tuple[ModuleExpression, ...]
    forbidden_modules: tuple[ModuleExpression, ...]
    allow_indirect_imports: bool = False
    as_packages: bool = True


@dataclass(frozen=True, kw_only=True)
class ProtectedContract(Contract):
    """Only the allowed importers may import the protected modules directly."""

    type_name: ClassVar[str] = "protected"
    code: ClassVar[str | None] = "ARC104"

    protected_modules: tuple[ModuleExpression, ...]
    allowed_importers: tuple[ModuleExpression, ...]
    as_packages: bool = True


@dataclass(frozen=True, kw_only=True)
class AcyclicSiblingsContract(Contract):
    """No cycles among the children of each ancestor, down to ``depth`` levels."""

    type_name: ClassVar[str] = "acyclic_siblings"
    code: ClassVar[str | None] = "ARC106"

    ancestors: tuple[ModuleExpression, ...]
    depth: int = 10
    skip_descendants: tuple[ModuleExpression, ...] = ()


@dataclass(frozen=True, kw_only=True)
class AcyclicContract(Contract):
    """archlint's own type: no module-level import cycle below each package."""

    type_name: ClassVar[str] = "acyclic"
    code: ClassVar[str | None] = "ARC106"

    packages: tuple[ModuleExpression, ...]
    exclude_lazy_imports: bool = False


@dataclass(frozen=True, kw_only=True)
class AllowlistContract(Contract):
    """archlint's own type: modules below the sources may import only the allowed modules."""

    type_name: ClassVar[str] = "allowlist"
    code: ClassVar[str | None] = "ARC105"

    source_modules: tuple[ModuleExpression, ...]
    allowed_modules: tuple[ModuleExpression, ...]
    include_external_packages: bool = False


#: Every contract type, by the ``type`` value that selects it.
CONTRACT_TYPES: dict[str, type[Contract]] = {
    cls.type_name: cls
    for cls in (
        LayersContract,
        IndependenceContract,
        ForbiddenContract,
        ProtectedContract,
        AcyclicSiblingsContract,
        AcyclicContract,
        AllowlistContract,
    )
}


@dataclass(frozen=True)
class Deprecation:
    """An import path that moved (``new``) or went away (``new is None``).

    ``old`` names a module, and everything below it, or one name inside a module.
    """

    old: str
    new: str | None
    origin: Origin
    since: dt.date | None = None
    remove_after: dt.date | None = None
    why: str | None = None

    @property
    def removed(self) -> bool:
        """True when there is no replacement to suggest."""
        return self.new is None

    def is_expired(self, today: dt.date) -> bool:
        """True when ``remove_after`` has passed: the deprecation is now an error."""
        return self.remove_after is not None and today > self.remove_after


@dataclass(frozen=True)
class Settings:
    """``[tool.archlint]`` in ``pyproject.toml``."""

    root_packages: tuple[str, ...]
    source_roots: tuple[str, ...] = ("src", ".")
    contracts_dir: str = "contracts"
    exclude_type_checking_imports: bool = False
    include_external_packages: bool = False
    #: A deprecation whose ``new`` does not resolve: a planned move (warning) or an error.
    unresolved_new: UnresolvedNew = UnresolvedNew.WARNING
    #: Glob patterns of files and folders ``archlint check`` leaves out (ruff's syntax).
    exclude: tuple[str, ...] = ()
    #: The baseline file ``archlint check`` reads by default, relative to the project folder.
    baseline: str | None = None
    origin: Origin | None = None


@dataclass(frozen=True)
class Project:
    """Everything archlint knows about one project before it reads any code."""

    root: Path
    settings: Settings
    contracts: tuple[Contract, ...]
    deprecations: tuple[Deprecation, ...]
    #: The configuration files read, for cache keys and messages.
    config_files: tuple[Path, ...] = ()

    @property
    def source_root_paths(self) -> tuple[Path, ...]:
        """The absolute source roots that exist, in the order given."""
        roots = (self.root / r for r in self.settings.source_roots)
        return tuple(p.resolve() for p in roots if p.is_dir())

    def includes_external_packages(self, contract: Contract) -> bool:
        """Whether ``contract`` is checked on a graph that holds external packages (the
        project's setting, or an ``allowlist`` contract's own)."""
        own = isinstance(contract, AllowlistContract) and contract.include_external_packages
        return self.settings.include_external_packages or own

    def excludes_type_checking(self, contract: Contract) -> bool:
        """Whether ``contract`` is checked without imports under ``if TYPE_CHECKING:``."""
        if contract.exclude_type_checking_imports is None:
            return self.settings.exclude_type_checking_imports
        return contract.exclude_type_checking_imports
