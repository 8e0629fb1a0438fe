"""What the readers of settings and contract files share: gathering problems, reading the
fields of one table by their specs, and where a table was written."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archlint.domain import model
from archlint.domain.errors import ConfigProblem

from . import toml
from .fields import FieldError, FieldSpec


def display_path(path: Path) -> str:
    """``path`` relative to the current folder when it lies below it, else absolute."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def shorten(text: str, limit: int = 60) -> str:
    """``text``, cut to ``limit`` characters with ``...`` when longer, for a message."""
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


@dataclass
class Collector:
    """Gathers problems while reading, so that all of them are reported together."""

    problems: list[ConfigProblem] = field(default_factory=list)

    def add(
        self,
        file: str,
        message: str,
        line: int | None = None,
        owner: str | None = None,
        field: str | None = None,
    ) -> None:
        self.problems.append(ConfigProblem(file, message, line, owner, field))


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    import difflib  # only for a wrong word: not on every load

    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def read_fields(
    raw: dict[str, Any],
    specs: dict[str, FieldSpec],
    *,
    skip: tuple[str, ...],
    report: Collector,
    file: str,
    lines: toml.TableLines | None,
    owner: str,
) -> tuple[dict[str, Any], bool]:
    """Parse every known field of ``raw`` with its spec; report unknown, missing and bad ones.

    Returns the values that could be parsed (absent and bad fields left out), so that checks
    across fields still run on them, and whether the table had no problem.
    """
    ok = True
    values: dict[str, Any] = {}
    known = [*skip, *specs]
    for key in raw:
        if key not in known:
            ok = False
            report.add(
                file,
                f"unknown field{did_you_mean(key, known)}",
                lines.of(key) if lines else None,
                owner,
                shorten(key),
            )
    for key, spec in specs.items():
        if key not in raw:
            if spec.required:
                ok = False
                report.add(
                    file, "required field is missing", lines.of(None) if lines else None, owner, key
                )
            continue
        try:
            values[key] = spec.parse(raw[key])
        except FieldError as e:
            ok = False
            report.add(file, str(e), lines.of(key) if lines else None, owner, key)
    return values, ok


def origin(file: str, lines: toml.TableLines | None) -> model.Origin:
    """Where a table was written, for messages about it later."""
    if lines is None:
        return model.Origin(file)
    return model.Origin(file, lines.line, tuple(sorted(lines.keys.items())))
