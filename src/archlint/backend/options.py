"""The model's contracts as import-linter contract options.

The same options serve the in-process check and the configuration written by
``archlint compile``, so that ``archlint check`` and plain ``lint-imports`` judge the same
contracts in the same way.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from archlint.domain import model
from archlint.domain.expressions import ImportExpression, ModuleExpression

#: Module of archlint's import-linter contract types (what ``contract_types`` points at).
TYPES_MODULE = "archlint.backend.contract_types"

#: import-linter's own types, wrapped by archlint only to add per-contract options.
BUILT_IN_TYPES = ("layers", "independence", "forbidden", "protected", "acyclic_siblings")

#: Every contract type archlint registers with import-linter: ``name -> class path``.
CUSTOM_TYPES: dict[str, str] = {
    "acyclic": f"{TYPES_MODULE}.AcyclicContract",
    "allowlist": f"{TYPES_MODULE}.AllowlistContract",
    **{
        f"archlint_{name}": f"{TYPES_MODULE}.{name.title().replace('_', '')}WithOptions"
        for name in BUILT_IN_TYPES
    },
}

# Model fields that are not import-linter options, or are written under another name.
_NOT_OPTIONS = {"id", "name", "why", "origin", "exclude_type_checking_imports"}


def _option_value(value: Any) -> Any:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (ModuleExpression, ImportExpression)):
        return str(value)
    if isinstance(value, model.Layer):
        return value.text
    if isinstance(value, model.AlertLevel):
        return value.value
    if isinstance(value, tuple):
        return [_option_value(v) for v in value]
    return value


def session_options(settings: model.Settings) -> dict[str, Any]:
    """import-linter's top-level options for the project."""
    return {
        "root_packages": list(settings.root_packages),
        "include_external_packages": str(settings.include_external_packages),
        "exclude_type_checking_imports": str(settings.exclude_type_checking_imports),
    }


def type_name(contract: model.Contract, settings: model.Settings) -> str:
    """The import-linter type that checks ``contract``.

    import-linter's own type when it can; archlint's wrapper of it when the contract sets
    ``exclude_type_checking_imports`` differently from the project (import-linter has only the
    global option).
    """
    name = contract.type_name
    if name in BUILT_IN_TYPES and _overrides_type_checking(contract, settings):
        return f"archlint_{name}"
    return name


def _overrides_type_checking(contract: model.Contract, settings: model.Settings) -> bool:
    own = contract.exclude_type_checking_imports
    return own is not None and own != settings.exclude_type_checking_imports


def contract_options(contract: model.Contract, settings: model.Settings) -> dict[str, Any]:
    """import-linter's options for one contract, in its own field names.

    Defaults are left out so the compiled configuration stays short; ``why`` becomes
    import-linter's ``broken_contract_guidance``.
    """
    options: dict[str, Any] = {
        "id": contract.id,
        "name": contract.name,
        "type": type_name(contract, settings),
    }
    for f in dataclasses.fields(contract):
        if f.name in _NOT_OPTIONS:
            continue
        value = getattr(contract, f.name)
        if f.default is not dataclasses.MISSING and value == f.default:
            continue
        options[f.name] = _option_value(value)
    if _overrides_type_checking(contract, settings) or (
        contract.type_name not in BUILT_IN_TYPES
        and contract.exclude_type_checking_imports is not None
    ):
        options["exclude_type_checking_imports"] = str(contract.exclude_type_checking_imports)
    if contract.why:
        options["broken_contract_guidance"] = contract.why
    return options
