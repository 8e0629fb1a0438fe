"""An import-linter configuration, as read by import-linter's reader, in archlint's terms.

What changes on the way (each of these took a hand edit per contract before):

- ``root_package`` becomes ``root_packages``; ``contract_types`` entries, which archlint cannot
  run, are carried over as comments, and so are contracts of those types;
- every contract gets an ``id`` matching ``[a-z0-9][a-z0-9_-]*``, made from its INI section key
  (``[importlinter:contract:KEY]``), its TOML ``id``, or its name, and made unique;
- ``broken_contract_guidance`` becomes ``why``;
- a string where a list is meant becomes a one-item list, INI ``True``/``False`` become booleans,
  and the empty entries a comment line leaves in an INI list are dropped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: How each option is converted.
_LIST, _BOOL, _INT, _STR = "list", "bool", "int", "str"

_COMMON: dict[str, str] = {"ignore_imports": _LIST, "unmatched_ignore_imports_alerting": _STR}

#: import-linter's built-in types archlint checks the same way, and their options.
BUILT_IN: dict[str, dict[str, str]] = {
    "layers": {"layers": _LIST, "containers": _LIST, "exhaustive": _BOOL,
               "exhaustive_ignores": _LIST},
    "independence": {"modules": _LIST},
    "forbidden": {"source_modules": _LIST, "forbidden_modules": _LIST,
                  "allow_indirect_imports": _BOOL, "as_packages": _BOOL},
    "protected": {"protected_modules": _LIST, "allowed_importers": _LIST, "as_packages": _BOOL},
    "acyclic_siblings": {"ancestors": _LIST, "depth": _INT, "skip_descendants": _LIST},
}  # fmt: skip

_SESSION: dict[str, str] = {
    "root_packages": _LIST,
    "include_external_packages": _BOOL,
    "exclude_type_checking_imports": _BOOL,
}

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class Translated:
    """One import-linter contract in archlint's fields."""

    #: Its position in the import-linter configuration.
    index: int
    id: str
    name: str
    type: str
    #: Where it came from, as the user wrote it: ``[importlinter:contract:KEY]``, ``contract 3``.
    source: str
    #: archlint's fields in order (``id``, ``type``, ``name`` and ``why`` first).
    fields: tuple[tuple[str, Any], ...]
    #: Why it is written as a comment only (a type archlint cannot check), or None.
    unsupported: str | None = None
    #: Notes written above it as comments (an option archlint does not have, a value kept as is).
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Migration:
    """The whole configuration in archlint's terms."""

    source_file: str
    #: ``[tool.archlint]``'s keys and values, in order.
    settings: tuple[tuple[str, Any], ...]
    #: Comments for ``[tool.archlint]`` (custom contract types, options archlint has not).
    settings_notes: tuple[str, ...]
    contracts: tuple[Translated, ...]

    @property
    def root_packages(self) -> tuple[str, ...]:
        """The root packages, as configured."""
        return tuple(dict(self.settings).get("root_packages", ()))


def slugify(text: str) -> str:
    """``text`` as a contract id: lower case, runs of other characters made one ``-``."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-_")
    return slug or "contract"


def _unique(wanted: str, taken: set[str]) -> str:
    candidate, n = wanted, 1
    while candidate in taken:
        n += 1
        candidate = f"{wanted}-{n}"
    taken.add(candidate)
    return candidate


def _convert(kind: str, value: Any) -> tuple[Any, str | None]:
    """``value`` as archlint's field wants it, and a note when it was kept as is."""
    if kind == _LIST:
        items = value if isinstance(value, (list, tuple)) else [value]
        return [str(v).strip() for v in items if str(v).strip()], None
    if isinstance(value, list):  # a single value written over several INI lines
        value = " ".join(str(v).strip() for v in value if str(v).strip())
    if kind == _BOOL:
        text = str(value).strip().lower()
        if text in ("true", "false"):
            return text == "true", None
        return str(value), f"not a boolean, written as is: {value!r}"
    if kind == _INT:
        try:
            return int(str(value).strip()), None
        except ValueError:
            return str(value), f"not a whole number, written as is: {value!r}"
    return str(value).strip(), None


def _guidance(value: Any) -> str:
    if isinstance(value, list):  # an INI value over several lines: import-linter joins them
        return "\n".join(str(v) for v in value)
    return str(value)


def _custom_types(session: Mapping[str, Any]) -> dict[str, str]:
    entries = session.get("contract_types", [])
    entries = entries if isinstance(entries, list) else [entries]
    found: dict[str, str] = {}
    for entry in entries:
        name, _, target = str(entry).partition(":")
        if name.strip():
            found[name.strip()] = target.strip()
    return found


def _settings(session: Mapping[str, Any]) -> tuple[tuple[tuple[str, Any], ...], tuple[str, ...]]:
    settings: list[tuple[str, Any]] = []
    notes: list[str] = []
    raw = dict(session)
    if "root_packages" not in raw and "root_package" in raw:
        raw["root_packages"] = raw.pop("root_package")
    elif "root_package" in raw:
        notes.append(f"root_package = {raw.pop('root_package')!r} left out: root_packages is set")
    for key, kind in _SESSION.items():
        if key in raw:
            value, note = _convert(kind, raw.pop(key))
            settings.append((key, value))
            if note:
                notes.append(f"{key}: {note}")
    for name, target in _custom_types(session).items():
        notes.append(
            f"contract_types: {name}: {target} - a custom import-linter type archlint cannot run"
        )
    raw.pop("contract_types", None)
    for key, value in raw.items():
        notes.append(f"{key} = {value!r}: an import-linter option archlint does not have")
    return tuple(settings), tuple(notes)


def _source(fmt: str, index: int, contract: Mapping[str, Any]) -> str:
    if fmt == "ini":
        return f"[importlinter:contract:{contract.get('id', '')}]"
    return f"contract {index + 1} of [tool.importlinter]"


def _translate_contract(
    index: int, contract: Mapping[str, Any], fmt: str, custom: Mapping[str, str], taken: set[str]
) -> Translated:
    raw = dict(contract)
    name = str(raw.pop("name", "") or "").strip()
    key = str(raw.pop("id", "") or "").strip()
    wanted = key if key and _ID.match(key) else slugify(key or name or f"contract-{index + 1}")
    cid = _unique(wanted, taken)
    ctype = str(raw.pop("type", "")).strip()
    fields: list[tuple[str, Any]] = [("id", cid), ("type", ctype), ("name", name or cid)]
    notes: list[str] = []
    if "broken_contract_guidance" in raw:
        fields.append(("why", _guidance(raw.pop("broken_contract_guidance"))))
    source = _source(fmt, index, contract)
    unsupported = None
    if ctype in custom:
        unsupported = f"its type '{ctype}' is a custom import-linter type ({custom[ctype]})"
    elif ctype not in BUILT_IN:
        unsupported = f"archlint has no contract type '{ctype}'"
    if unsupported:
        fields += [(k, v) for k, v in raw.items()]
        return Translated(index, cid, name or cid, ctype, source, tuple(fields), unsupported)
    kinds = {**BUILT_IN[ctype], **_COMMON}
    for option, kind in kinds.items():
        if option in raw:
            value, note = _convert(kind, raw.pop(option))
            fields.append((option, value))
            if note:
                notes.append(f"{option}: {note}")
    for option, value in raw.items():
        notes.append(f"{option} = {value!r} left out: not an option of '{ctype}' contracts")
    return Translated(index, cid, name or cid, ctype, source, tuple(fields), None, tuple(notes))


def translate(fmt: str, source_file: str, session: Mapping[str, Any],
              contracts: Sequence[Mapping[str, Any]]) -> Migration:  # fmt: skip
    """The configuration import-linter's reader gave, in archlint's fields."""
    settings, notes = _settings(session)
    custom = _custom_types(session)
    taken: set[str] = set()
    translated = tuple(
        _translate_contract(i, c, fmt, custom, taken) for i, c in enumerate(contracts)
    )
    return Migration(source_file, settings, notes, translated)


# --- writing -----------------------------------------------------------------------------


def toml_value(value: Any) -> str:
    """``value`` as TOML: strings quoted, lists one item a line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        inline = "[" + ", ".join(toml_value(v) for v in value) + "]"
        if len(value) <= 1 or len(inline) <= 60:
            return inline
        return "[" + "".join(f"\n    {toml_value(v)}," for v in value) + "\n]"
    return json.dumps(str(value))


def _comment(lines: Iterable[str]) -> list[str]:
    return [f"# {line}".rstrip() for text in lines for line in text.splitlines() or [""]]


def settings_table(migration: Migration, source_roots: Sequence[str] | None) -> str:
    """``[tool.archlint]``, with the notes as comments inside it."""
    out = ["[tool.archlint]"]
    out += _comment(
        [f"Migrated by `archlint init --from-importlinter` from {migration.source_file}."]
    )
    out += _comment(migration.settings_notes)
    for key, value in migration.settings:
        out.append(f"{key} = {toml_value(value)}")
        if key == "root_packages" and source_roots is not None:
            out.append(f"source_roots = {toml_value(list(source_roots))}")
    return "\n".join(out) + "\n"


def contracts_file(migration: Migration) -> str:
    """``contracts/importlinter.toml``: every contract, unsupported ones as comments."""
    out = _comment(
        [
            f"Migrated by `archlint init --from-importlinter` from {migration.source_file}.",
            "Ids were made from the section keys or names; broken_contract_guidance is why.",
        ]
    )
    for contract in migration.contracts:
        out.append("")
        body = [f"{key} = {toml_value(value)}" for key, value in contract.fields]
        if contract.unsupported:
            out += _comment([f"From {contract.source}: not migrated: {contract.unsupported}."])
            out += _comment(["[[contracts]]", *body])
            continue
        out += _comment([f"From {contract.source}.", *contract.notes])
        out += ["[[contracts]]", *body]
    return "\n".join(out) + "\n"
