"""``archlint export ruff``: the deprecations as ruff's ``flake8-tidy-imports.banned-api``.

A team on ruff then sees the same warnings (TID251) in ruff's own editor integration. Each
entry's message carries the replacement, and since / why / remove_after when given, and ends
with :data:`MARK`, which is how a later export tells its own entries from the user's: entries
without it are kept, ours are replaced (a deprecation removed since is dropped).

The table is written into ``pyproject.toml`` (``[tool.ruff.lint.flake8-tidy-imports.banned-api]``)
or a ``ruff.toml`` / ``.ruff.toml`` (``[lint.flake8-tidy-imports.banned-api]``), replacing only
that table and keeping every other byte (see :mod:`archlint.config.splice`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archlint.config import toml
from archlint.config.loader import PYPROJECT
from archlint.config.splice import SpliceError, splice_toml
from archlint.domain import model
from archlint.domain.errors import ArchlintError

from .compile import _write_atomically

#: The end of every message archlint writes.
MARK = "[archlint]"

_BANNED = ("lint", "flake8-tidy-imports", "banned-api")


def message(deprecation: model.Deprecation) -> str:
    """What ruff prints after ```old` is banned:``: the replacement first, then the details."""
    head = f"moved to {deprecation.new}" if deprecation.new else "removed"
    details = []
    if deprecation.since:
        details.append(f"deprecated since {deprecation.since.isoformat()}")
    if deprecation.why:
        details.append(" ".join(deprecation.why.split()))
    if deprecation.remove_after:
        details.append(f"to be removed after {deprecation.remove_after.isoformat()}")
    detail = f" ({'; '.join(details)})" if details else ""
    return f"{head}{detail} {MARK}"


def table_for(path: Path) -> tuple[str, ...]:
    """The banned-api table's key in ``path``: ruff.toml has no ``tool.ruff`` prefix."""
    if path.name in ("ruff.toml", ".ruff.toml"):
        return _BANNED
    return ("tool", "ruff", *_BANNED)


def _key(parts: Sequence[str]) -> str:
    return ".".join(p if p.replace("-", "").replace("_", "").isalnum() else json.dumps(p)
                    for p in parts)  # fmt: skip


def _existing(text: str, table: tuple[str, ...]) -> Mapping[str, Any]:
    data: Any = toml.loads(text) if text.strip() else {}
    for part in table:
        data = data.get(part, {}) if isinstance(data, dict) else {}
    return data if isinstance(data, dict) else {}


@dataclass(frozen=True)
class Export:
    """The table written, and what happened to the entries it had."""

    text: str
    entries: int
    #: The user's own entries, kept as they were.
    kept: tuple[str, ...]
    #: The user's own entries for a path a deprecation now names: replaced by ours.
    replaced: tuple[str, ...]


def banned_api(project: model.Project, table: tuple[str, ...], existing: str = "") -> Export:
    """The banned-api table for ``project``'s deprecations, keeping the user's own entries
    found in ``existing`` (the text of the file it goes into)."""
    ours = {d.old: message(d) for d in sorted(project.deprecations, key=lambda d: d.old)}
    kept: dict[str, Mapping[str, Any]] = {}
    replaced = []
    for path, entry in _existing(existing, table).items():
        mine = isinstance(entry, dict) and str(entry.get("msg", "")).endswith(MARK)
        if mine:
            continue
        if path in ours:
            replaced.append(path)
        elif isinstance(entry, dict):
            kept[path] = entry
    lines = [f"[{_key(table)}]"]
    sources = ", ".join(sorted({d.origin.file for d in project.deprecations}))
    lines += [
        f"# Written by `archlint export ruff` from {sources or 'no deprecations'}.",
        f"# Entries whose message ends with {MARK} are replaced by the next export; "
        "others are kept.",
    ]
    for path, entry in kept.items():
        lines += [f"{json.dumps(path)}.{_key([k])} = {json.dumps(v)}" for k, v in entry.items()]
    lines += [f"{json.dumps(old)}.msg = {json.dumps(text)}" for old, text in ours.items()]
    return Export("\n".join(lines) + "\n", len(ours), tuple(kept), tuple(replaced))


def export_ruff(project: model.Project, output: Path | None) -> tuple[Export, Path | None]:
    """Write the table into ``output`` (default: the project's ``pyproject.toml``; ``-``: no
    file, the table is only returned). Raises ``ArchlintError`` when the file cannot be kept
    exactly; then nothing is written."""
    if output is not None and str(output) == "-":
        return banned_api(project, table_for(Path(PYPROJECT))), None
    target = output if output is not None else project.root / PYPROJECT
    shown = target if output is not None else Path(PYPROJECT)
    real = Path(os.path.realpath(target))
    if real.exists() and not real.is_file():
        raise ArchlintError(f"cannot write {shown}: it is not a regular file; nothing written")
    try:
        existing = real.read_bytes().decode("utf-8") if real.exists() else ""
    except (OSError, UnicodeDecodeError) as e:
        reason = e.strerror if isinstance(e, OSError) else "it is not UTF-8 text"
        raise ArchlintError(f"cannot update {shown}: {reason}; nothing written") from None
    table = table_for(target)
    try:
        export = banned_api(project, table, existing)
        text = splice_toml(existing, export.text, table) if existing.strip() else export.text
    except toml.TOMLDecodeError as e:
        line, what = toml.error_line(e)
        where = f" (line {line})" if line else ""
        raise ArchlintError(
            f"cannot update {shown}: it is not valid TOML{where}: {what}; nothing written"
        ) from None
    except SpliceError as e:
        raise ArchlintError(f"cannot update {shown}: {e}; nothing written") from None
    _write_atomically(real, text, shown)
    return export, shown
