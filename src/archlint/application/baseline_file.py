"""The baseline file: written as sorted TOML, one entry per line; read as TOML or as the JSON
report ``archlint check --format json`` wrote (the earlier form, graph breaks only).

The TOML form::

    version = 1
    breaks = [
      { contract = "layers", importer = "pkg.lib.a", imported = "pkg.app.b" },
      { contract = "no-cycles", cycle = ["pkg.x", "pkg.y", "pkg.z"] },
    ]
    findings = [
      { code = "ARC001", path = "src/pkg/app.py", imported = "pkg.old.helper", count = 2 },
    ]

Every entry is an inline table on its own line, and the entries are sorted, so that the diff
of a pull request that fixes or adds a finding shows exactly that line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archlint.config import reading, toml
from archlint.domain.errors import ArchlintError

from .baseline_keys import BreakKey, FindingKey, break_key

__all__ = ["Baseline", "BaselineError", "read_baseline", "render_baseline"]

VERSION = 1
#: The largest baseline read: some 500,000 entries.
MAX_BYTES = 64 * 1024 * 1024

_HEADER = """\
# archlint baseline: the findings this project had when it was written.
# 'archlint check' fails only on findings not listed here, and lists the entries that no
# longer occur; with --strict-baseline those fail too, so this file can only shrink.
# Written by 'archlint check --write-baseline': rewrite it rather than edit it by hand.
"""


class BaselineError(ArchlintError):
    """The baseline file cannot be read."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(
            f"{path}: not a baseline ({reason}); write one with 'archlint check --write-baseline'"
        )


@dataclass(frozen=True)
class Baseline:
    """The findings a baseline knows."""

    breaks: frozenset[BreakKey]
    #: Per-file findings and how many sites of each; None when the file records none (the
    #: earlier JSON form): per-file findings are then neither judged nor listed as gone.
    findings: Mapping[FindingKey, int] | None = None


# --- writing ---------------------------------------------------------------------------------


def _string(value: str) -> str:
    """A TOML basic string: ``"`` and ``\\`` escaped, control characters as ``\\uXXXX``."""
    out = ['"']
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _inline(pairs: Iterable[tuple[str, str | int | tuple[str, ...]]]) -> str:
    parts = []
    for key, value in pairs:
        if isinstance(value, int):
            shown = str(value)
        elif isinstance(value, tuple):
            shown = "[" + ", ".join(_string(v) for v in value) + "]"
        else:
            shown = _string(value)
        parts.append(f"{key} = {shown}")
    return "{ " + ", ".join(parts) + " }"


def _array(name: str, lines: list[str]) -> str:
    if not lines:
        return f"{name} = []\n"
    return f"{name} = [\n" + "".join(f"  {line},\n" for line in lines) + "]\n"


def render_baseline(breaks: Iterable[BreakKey], findings: Mapping[FindingKey, int]) -> str:
    """The text of a baseline file holding ``breaks`` and ``findings``, sorted."""
    break_lines = []
    for key in sorted(set(breaks)):
        pairs: list[tuple[str, str | int | tuple[str, ...]]] = [("contract", key.contract)]
        if key.cycle:
            pairs.append(("cycle", key.cycle))
        else:
            pairs += [("importer", key.importer), ("imported", key.imported)]
        break_lines.append(_inline(pairs))
    finding_lines = []
    for fkey in sorted(findings, key=lambda k: (k.path, k.code, k.imported)):
        pairs = [("code", fkey.code), ("path", fkey.path), ("imported", fkey.imported)]
        if findings[fkey] != 1:
            pairs.append(("count", findings[fkey]))
        finding_lines.append(_inline(pairs))
    return (
        f"{_HEADER}\nversion = {VERSION}\n\n"
        + _array("breaks", break_lines)
        + "\n"
        + _array("findings", finding_lines)
    )


# --- reading ---------------------------------------------------------------------------------


def read_baseline(path: Path, shown: str | None = None) -> Baseline:
    """The baseline at ``path``: TOML, or a JSON report (by its suffix, else by its first
    character). Raises :class:`BaselineError` saying why it cannot be read."""
    name = shown or str(path)
    try:
        # Only a regular file, without blocking (a FIFO), and not without end (/dev/zero).
        text = reading.read_bytes(path, MAX_BYTES, "a baseline").decode("utf-8")
    except reading.Unreadable as e:
        raise BaselineError(name, e.message) from None
    except UnicodeDecodeError as e:
        raise BaselineError(name, f"cannot decode as UTF-8 at byte {e.start}") from None
    suffix = path.suffix.lower()
    if suffix == ".json" or (suffix != ".toml" and text.lstrip()[:1] in ("{", "[")):
        return Baseline(_json_breaks(text, name))
    return _read_toml(text, name)


def _json_breaks(text: str, name: str) -> frozenset[BreakKey]:
    """The breaks listed in a report of ``archlint check --format json``."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as e:
        raise BaselineError(name, str(e)) from None
    except RecursionError:
        raise BaselineError(name, "nested too deeply") from None
    try:
        keys = set()
        for contract in document["contracts"]:
            for violation in contract["violations"]:
                for chain in violation["chains"]:
                    if chain:
                        modules = [str(chain[0]["importer"])]
                        modules += [str(link["imported"]) for link in chain]
                        keys.add(break_key(str(contract["id"]), modules))
    except (KeyError, TypeError, IndexError) as e:
        raise BaselineError(name, f"missing or malformed field {e}") from None
    return frozenset(keys)


_BREAK_FIELDS = {"contract": True, "importer": False, "imported": False, "cycle": False}
_FINDING_FIELDS = {"code": True, "path": True, "imported": True, "count": False}


def _entry(raw: Any, where: str, fields: dict[str, bool], name: str) -> dict[str, Any]:
    """One entry's fields, checked: the required ones present, no unknown one."""
    if not isinstance(raw, dict):
        raise BaselineError(name, f"{where}: each entry must be a table")
    unknown = sorted(set(raw) - set(fields))
    if unknown:
        raise BaselineError(name, f"{where}: unknown field '{unknown[0]}'")
    for key, required in fields.items():
        if required and key not in raw:
            raise BaselineError(name, f"{where}: field '{key}' is missing")
    for key in ("contract", "importer", "imported", "code", "path"):
        if key in raw and (not isinstance(raw[key], str) or not raw[key]):
            raise BaselineError(name, f"{where}: '{key}' must be a non-empty string")
    return raw


def _break(entry: dict[str, Any], where: str, name: str) -> BreakKey:
    """A break entry: a contract with an importer and an imported module, or a cycle."""
    if "cycle" in entry:
        cycle = entry["cycle"]
        if not isinstance(cycle, list) or len(cycle) < 2:
            raise BaselineError(name, f"{where}: 'cycle' must be an array of two modules or more")
        if not all(isinstance(m, str) and m for m in cycle):
            raise BaselineError(name, f"{where}: 'cycle' must be an array of module names")
        if "importer" in entry or "imported" in entry:
            raise BaselineError(name, f"{where}: a cycle has no 'importer' or 'imported'")
        return break_key(entry["contract"], [*cycle, cycle[0]])
    for key in ("importer", "imported"):
        if key not in entry:
            raise BaselineError(name, f"{where}: field '{key}' is missing")
    return BreakKey(entry["contract"], entry["importer"], entry["imported"])


def _read_toml(text: str, name: str) -> Baseline:
    try:
        document = toml.loads(text)
    except toml.TOMLDecodeError as e:
        line, message = toml.error_line(e)
        at = f"line {line}: " if line else ""
        raise BaselineError(name, f"malformed TOML: {at}{message}") from None
    except RecursionError:
        raise BaselineError(name, "nested too deeply") from None
    unknown = sorted(set(document) - {"version", "breaks", "findings"})
    if unknown:
        raise BaselineError(name, f"unknown key '{unknown[0]}'")
    version = document.get("version")
    if version != VERSION or type(version) is not int:  # not true, not 1.0
        raise BaselineError(name, f"'version' must be {VERSION}, not {version!r}")
    raw_breaks = document.get("breaks", [])
    raw_findings = document.get("findings", [])
    for array, value in (("breaks", raw_breaks), ("findings", raw_findings)):
        if not isinstance(value, list):
            raise BaselineError(name, f"'{array}' must be an array")
    breaks = set()
    for index, raw in enumerate(raw_breaks):
        entry = _entry(raw, f"breaks[{index}]", _BREAK_FIELDS, name)
        breaks.add(_break(entry, f"breaks[{index}]", name))
    findings: dict[FindingKey, int] = {}
    for index, raw in enumerate(raw_findings):
        entry = _entry(raw, f"findings[{index}]", _FINDING_FIELDS, name)
        count = entry.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise BaselineError(name, f"findings[{index}]: 'count' must be a positive integer")
        key = FindingKey(entry["code"], entry["path"], entry["imported"])
        findings[key] = findings.get(key, 0) + count
    return Baseline(frozenset(breaks), findings)
