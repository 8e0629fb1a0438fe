"""Module and import expressions, with import-linter's wildcard meaning.

``*`` stands for one module name, ``**`` for one or more. ``a.*.c`` matches ``a.b.c``;
``a.**`` matches ``a.b`` and ``a.b.c``. An import expression is ``importer -> imported``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class ExpressionError(ValueError):
    """An expression is not well formed; the message says how."""


def validate_module_name(name: str) -> None:
    """Raise :class:`ExpressionError` unless ``name`` is a dotted Python module name."""
    if not name:
        raise ExpressionError("empty module name")
    for part in name.split("."):
        if not _NAME.fullmatch(part):
            raise ExpressionError(f"'{name}' is not a dotted module name")


@dataclass(frozen=True)
class ModuleExpression:
    """A module name, or a pattern over module names with ``*`` and ``**``."""

    text: str

    @classmethod
    def parse(cls, text: str) -> ModuleExpression:
        """Validate ``text`` and return the expression, or raise :class:`ExpressionError`."""
        text = text.strip()
        if not text:
            raise ExpressionError("empty module expression")
        previous = ""
        for part in text.split("."):
            if part in ("*", "**"):
                if previous == "**" or (previous == "*" and part == "**"):
                    raise ExpressionError(
                        f"'{text}': a wildcard cannot follow a recursive wildcard or be "
                        "followed by one"
                    )
            elif "*" in part:
                raise ExpressionError(f"'{text}': a wildcard can only replace a whole name")
            elif not _NAME.fullmatch(part):
                raise ExpressionError(f"'{text}' is not a dotted module name")
            previous = part
        return cls(text)

    @property
    def has_wildcard(self) -> bool:
        """True when the expression names a set of modules rather than one module."""
        return "*" in self.text

    def matches(self, module: str) -> bool:
        """True when ``module`` is named by this expression (exactly, not as a package)."""
        if not self.has_wildcard:
            return module == self.text
        return _wildcard_regex(self.text).match(module) is not None

    def package_of(self, module: str) -> str | None:
        """The module this expression names that ``module`` is, or lies below (as packages
        are read by contracts), if any: ``a.*`` gives ``a.b`` for ``a.b.c``."""
        if not self.has_wildcard:
            return self.text if is_in_package(module, self.text) else None
        parts = module.split(".")
        for depth in range(1, len(parts) + 1):
            package = ".".join(parts[:depth])
            if self.matches(package):
                return package
        return None

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class ImportExpression:
    """``importer -> imported``, each side a :class:`ModuleExpression`."""

    importer: ModuleExpression
    imported: ModuleExpression

    @classmethod
    def parse(cls, text: str) -> ImportExpression:
        """Parse ``"a.b -> c.**"`` or raise :class:`ExpressionError`."""
        importer, arrow, imported = text.partition("->")
        if not arrow or not importer.strip() or not imported.strip():
            raise ExpressionError(f"'{text}' is not of the form 'importer -> imported'")
        return cls(ModuleExpression.parse(importer), ModuleExpression.parse(imported))

    def matches(self, importer: str, imported: str) -> bool:
        """True when the direct import ``importer -> imported`` is named by this expression."""
        return self.importer.matches(importer) and self.imported.matches(imported)

    def __str__(self) -> str:
        return f"{self.importer} -> {self.imported}"


def is_in_package(module: str, package: str) -> bool:
    """True when ``module`` is ``package`` or lies below it."""
    return module == package or module.startswith(package + ".")


@lru_cache(maxsize=1024)
def _wildcard_regex(text: str) -> re.Pattern[str]:
    pieces = []
    for part in text.split("."):
        if part == "**":
            pieces.append(r"[^.]+(?:\.[^.]+)*")
        elif part == "*":
            pieces.append(r"[^.]+")
        else:
            pieces.append(re.escape(part))
    return re.compile(r"\.".join(pieces) + r"\Z")
