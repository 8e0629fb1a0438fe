"""Which fields each table may hold, how each is read, and which are required.

A test checks that these tables and the model's dataclass fields agree, so a field cannot be
added to one and forgotten in the other.
"""

from __future__ import annotations

from archlint.domain import model

from . import fields as f

#: Fields every contract has (``id`` and ``type`` are read before the rest).
COMMON_CONTRACT_FIELDS: dict[str, f.FieldSpec] = {
    "name": f.FieldSpec(f.parse_string),
    "why": f.FieldSpec(f.parse_text),
    "ignore_imports": f.FieldSpec(f.parse_import_expressions),
    "unmatched_ignore_imports_alerting": f.FieldSpec(f.parse_alert_level),
    "exclude_type_checking_imports": f.FieldSpec(f.parse_bool),
}

#: The fields of each contract type, beyond the common ones.
CONTRACT_FIELDS: dict[type[model.Contract], dict[str, f.FieldSpec]] = {
    model.LayersContract: {
        "layers": f.FieldSpec(f.parse_layers, required=True),
        "containers": f.FieldSpec(f.parse_module_expressions),
        "exhaustive": f.FieldSpec(f.parse_bool),
        "exhaustive_ignores": f.FieldSpec(f.parse_names),
    },
    model.IndependenceContract: {
        "modules": f.FieldSpec(f.parse_module_expressions, required=True),
    },
    model.ForbiddenContract: {
        "source_modules": f.FieldSpec(f.parse_module_expressions, required=True),
        "forbidden_modules": f.FieldSpec(f.parse_module_expressions, required=True),
        "allow_indirect_imports": f.FieldSpec(f.parse_bool),
        "as_packages": f.FieldSpec(f.parse_bool),
    },
    model.ProtectedContract: {
        "protected_modules": f.FieldSpec(f.parse_module_expressions, required=True),
        "allowed_importers": f.FieldSpec(f.parse_module_expressions, required=True),
        "as_packages": f.FieldSpec(f.parse_bool),
    },
    model.AcyclicSiblingsContract: {
        "ancestors": f.FieldSpec(f.parse_module_expressions, required=True),
        "depth": f.FieldSpec(f.parse_depth),
        "skip_descendants": f.FieldSpec(f.parse_module_expressions),
    },
    model.AcyclicContract: {
        "packages": f.FieldSpec(f.parse_module_expressions, required=True),
        "exclude_lazy_imports": f.FieldSpec(f.parse_bool),
    },
    model.AllowlistContract: {
        "source_modules": f.FieldSpec(f.parse_module_expressions, required=True),
        "allowed_modules": f.FieldSpec(f.parse_module_expressions, required=True),
        "include_external_packages": f.FieldSpec(f.parse_bool),
    },
}

DEPRECATION_FIELDS: dict[str, f.FieldSpec] = {
    "old": f.FieldSpec(f.parse_dotted_path, required=True),
    "new": f.FieldSpec(f.parse_dotted_path),
    "since": f.FieldSpec(f.parse_date),
    "remove_after": f.FieldSpec(f.parse_date),
    "why": f.FieldSpec(f.parse_text),
}

SETTINGS_FIELDS: dict[str, f.FieldSpec] = {
    "root_packages": f.FieldSpec(f.parse_module_names, required=True),
    "source_roots": f.FieldSpec(f.parse_names),
    "contracts_dir": f.FieldSpec(f.parse_string),
    "exclude_type_checking_imports": f.FieldSpec(f.parse_bool),
    "include_external_packages": f.FieldSpec(f.parse_bool),
    "unresolved_new": f.FieldSpec(f.parse_unresolved_new),
    "exclude": f.FieldSpec(f.parse_exclude_patterns),
    "baseline": f.FieldSpec(f.parse_string),
}

#: What a contract file may hold at its top level.
FILE_KEYS = ("contracts", "deprecations")
