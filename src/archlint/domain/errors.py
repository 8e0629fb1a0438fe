"""archlint's own failures, kept apart from "the code broke a contract".

A broken contract is a *result* (see :mod:`archlint.domain.results`), never an exception.
These exceptions mean archlint could not do its job: the configuration is wrong, the project
cannot be found, a file cannot be read. Each carries a message a person can act on; the CLI
prints it and exits with status 2, the flake8 plugin turns it into ARC900.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The longest message shown whole; a longer one (a value of megabytes echoed back) is cut.
MAX_MESSAGE = 1000


def one_line(text: str) -> str:
    """``text`` with every character that is not printable (line breaks, tabs, NULs, escape
    sequences, line separators) written as a Python escape, so that it stays on one line and
    cannot rewrite a terminal: a problem is always exactly one line of output."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


class ArchlintError(Exception):
    """Base class: archlint itself could not run."""


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """One thing wrong in the configuration, in its place.

    Rendered as ``FILE:LINE: contract 'ID': FIELD: message``; the parts that are not known
    (no line, no owner, no field) are left out.
    """

    file: str
    message: str
    line: int | None = None
    #: What the problem belongs to, e.g. ``contract 'layers'`` or ``deprecation 'a.b'``.
    owner: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [where]
        if self.owner:
            parts.append(self.owner)
        if self.field:
            parts.append(self.field)
        message = self.message
        if len(message) > MAX_MESSAGE:
            message = f"{message[:MAX_MESSAGE]}... ({len(message) - MAX_MESSAGE} more characters)"
        parts.append(message)
        return one_line(": ".join(parts))


class ConfigError(ArchlintError):
    """The configuration could not be loaded. Holds every problem found, not just the first."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ProjectNotFound(ArchlintError):
    """No ``pyproject.toml`` with a ``[tool.archlint]`` table above the starting folder."""

    def __init__(self, start: str, *, upwards: bool = True) -> None:
        self.start = start
        where = f"in {start} or any folder above it" if upwards else f"in {start}"
        hint = " (use --root DIR to name the project folder)" if upwards else ""
        super().__init__(
            f"no archlint project found: no pyproject.toml with [tool.archlint] {where}{hint}"
        )


class BackendError(ArchlintError):
    """The import graph could not be built or a contract could not be checked on it."""


class GitError(ArchlintError):
    """A git tree could not be read: not a git repository, an unknown ref, no ``git``."""


class GraphvizNotFound(ArchlintError):
    """Graphviz's ``dot`` is needed (``archlint graph --format svg``) and is not on PATH."""
