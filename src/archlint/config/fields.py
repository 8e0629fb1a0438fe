"""Turning raw TOML values into model values, one field kind at a time.

Each parser takes the value ``tomllib`` produced and returns the model's value, or raises
:class:`FieldError` with a message that says what was expected. TOML's own types are kept:
booleans must be booleans and dates must be dates, never strings that look like them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from archlint.domain.expressions import (
    ExpressionError,
    ImportExpression,
    ModuleExpression,
    validate_module_name,
)
from archlint.domain.model import AlertLevel, Layer, LayerModule, UnresolvedNew

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class FieldError(ValueError):
    """A value has the wrong type or form; the message says what was expected."""


Parser = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """How one field is read: its parser and whether it must be given."""

    parse: Parser
    required: bool = False


def _type_name(value: object) -> str:
    names = {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "a table",
        dt.date: "a date",
        dt.datetime: "a date-time",
        dt.time: "a time",
    }
    return names.get(type(value), type(value).__name__)


def _no_control_characters(text: str) -> str:
    """``text``, unless it holds a control character other than tab and line breaks (a NUL
    written as ``\\u0000``, an escape sequence that would rewrite a terminal): no name, path
    or explanation needs one."""
    found = _CONTROL.search(text)
    if found is not None:
        raise FieldError(f"contains the control character U+{ord(found.group()):04X}")
    return text


def parse_string(value: Any) -> str:
    """A non-empty string."""
    if not isinstance(value, str):
        raise FieldError(f"expected a string, got {_type_name(value)}")
    _no_control_characters(value)
    if not value.strip():
        raise FieldError("must not be empty")
    return value


def parse_text(value: Any) -> str:
    """Any string, e.g. a ``why``."""
    if not isinstance(value, str):
        raise FieldError(f"expected a string, got {_type_name(value)}")
    return _no_control_characters(value)


def parse_bool(value: Any) -> bool:
    """A TOML boolean (``true``/``false``, not a string)."""
    if not isinstance(value, bool):
        hint = " (write true or false without quotes)" if isinstance(value, str) else ""
        raise FieldError(f"expected a boolean, got {_type_name(value)}{hint}")
    return value


def parse_depth(value: Any) -> int:
    """A whole number >= 0."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(f"expected an integer, got {_type_name(value)}")
    if value < 0:
        raise FieldError("must be 0 or more")
    return value


def _string_list(value: Any) -> list[str]:
    if isinstance(value, str):
        raise FieldError(f'expected an array of strings, got a string (write ["{value}"])')
    if not isinstance(value, list):
        raise FieldError(f"expected an array of strings, got {_type_name(value)}")
    for item in value:
        if not isinstance(item, str):
            raise FieldError(f"expected an array of strings, found {_type_name(item)}")
        _no_control_characters(item)
    return value


def parse_names(value: Any) -> tuple[str, ...]:
    """An array of plain strings (no wildcards checked), e.g. ``exhaustive_ignores``."""
    return tuple(s.strip() for s in _string_list(value))


def parse_exclude_patterns(value: Any) -> tuple[str, ...]:
    """``exclude``: glob patterns of paths relative to the project folder (ruff's syntax:
    ``*`` within a name, ``**`` across folders, a pattern without ``/`` matches a name at any
    depth)."""
    patterns = parse_names(value)
    for pattern in patterns:
        if not pattern:
            raise FieldError("a pattern must not be empty")
        posix = pattern.replace("\\", "/")
        if posix.startswith("/") or (len(posix) > 1 and posix[1] == ":"):
            raise FieldError(f"{pattern!r}: write paths relative to the project folder")
        if ".." in posix.split("/"):
            raise FieldError(f"{pattern!r}: '..' leaves the project folder")
        if pattern.count("[") != pattern.count("]"):
            raise FieldError(f"{pattern!r}: unbalanced '[' in a glob")
    return patterns


def parse_module_names(value: Any) -> tuple[str, ...]:
    """A non-empty array of dotted module names, e.g. ``root_packages``."""
    names = parse_names(value)
    if not names:
        raise FieldError("must name at least one module")
    for name in names:
        try:
            validate_module_name(name)
        except ExpressionError as e:
            raise FieldError(str(e)) from None
    return names


def parse_module_expressions(value: Any) -> tuple[ModuleExpression, ...]:
    """A non-empty array of module expressions (``a.b``, ``a.*``, ``a.**``)."""
    items = _string_list(value)
    if not items:
        raise FieldError("must name at least one module")
    try:
        return tuple(ModuleExpression.parse(s) for s in items)
    except ExpressionError as e:
        raise FieldError(str(e)) from None


def parse_import_expressions(value: Any) -> tuple[ImportExpression, ...]:
    """An array of ``"importer -> imported"`` expressions."""
    try:
        return tuple(ImportExpression.parse(s) for s in _string_list(value))
    except ExpressionError as e:
        raise FieldError(str(e)) from None


def parse_alert_level(value: Any) -> AlertLevel:
    """``"none"``, ``"warn"`` or ``"error"``."""
    text = parse_string(value)
    try:
        return AlertLevel(text.strip())
    except ValueError:
        raise FieldError(f"expected one of 'none', 'warn', 'error', got '{text}'") from None


def parse_unresolved_new(value: Any) -> UnresolvedNew:
    """``"warning"`` (a planned move) or ``"error"``."""
    text = parse_string(value)
    try:
        return UnresolvedNew(text.strip())
    except ValueError:
        raise FieldError(f"expected one of 'warning', 'error', got '{text}'") from None


def parse_layers(value: Any) -> tuple[Layer, ...]:
    """import-linter's layers: ``"a"``, ``"a | b"`` (independent), ``"a : b"``, ``"(a)"``."""
    items = _string_list(value)
    if not items:
        raise FieldError("must list at least one layer")
    layers: list[Layer] = []
    seen: set[str] = set()
    for text in items:
        if "|" in text and ":" in text:
            raise FieldError(f"'{text}': a layer cannot mix '|' and ':'")
        separator = "|" if "|" in text else ":"
        modules: list[LayerModule] = []
        for raw in text.split(separator):
            part = raw.strip()
            optional = part.startswith("(") and part.endswith(")")
            name = part[1:-1].strip() if optional else part
            try:
                validate_module_name(name)
            except ExpressionError:
                raise FieldError(f"'{text}': '{part}' is not a module name") from None
            if name in seen:
                raise FieldError(f"'{name}' is in more than one layer")
            seen.add(name)
            modules.append(LayerModule(name, optional))
        # A one-module layer has no siblings; it counts as independent, as import-linter says.
        layers.append(Layer(tuple(modules), independent=":" not in text, text=text))
    return tuple(layers)


def parse_date(value: Any) -> dt.date:
    """A TOML date (``2025-10-05``); an ISO date in a string is accepted too."""
    if isinstance(value, dt.datetime):
        raise FieldError("expected a date like 2025-10-05, got a date-time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise FieldError(f"'{value}' is not a date like 2025-10-05") from None
    raise FieldError(f"expected a date like 2025-10-05, got {_type_name(value)}")


def parse_dotted_path(value: Any) -> str:
    """A dotted path: a module, or a name inside a module."""
    text = parse_string(value).strip()
    try:
        validate_module_name(text)
    except ExpressionError as e:
        raise FieldError(str(e)) from None
    return text
