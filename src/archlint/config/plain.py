"""Frozen dataclasses to plain JSON data and back, validated field by field on the way back.

The caches keep the model (:class:`~archlint.domain.model.Project`) and a check's report
(:class:`~archlint.domain.results.CheckReport`) as JSON, never as pickles: a cache folder lies
in the checked tree, where anyone who can open a pull request can put a file, and loading a
pickle runs whatever code it names. Reading plain data back can only build the classes this
module is told about, through their constructors, with values of the declared field types.

The schema is the dataclasses' own type hints: a decoder is compiled once per class from
them. A value of the wrong type, a missing or extra field, an unknown contract type or an
unsupported annotation raises :class:`PlainDataError`. Supported field types: ``str``,
``int``, ``bool``, ``float``, ``None``, :class:`~pathlib.Path`, :class:`datetime.date`, enums
with ``str`` values, ``tuple[X, ...]``, ``tuple[X, Y]``, ``frozenset[X]``, ``X | None``, and
other dataclasses; a class listed in ``variants`` is encoded with a ``"type"`` tag naming
its subclass.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import types
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

Decoder = Callable[[Any], Any]
Encoder = Callable[[Any], Any]


class PlainDataError(ValueError):
    """Data that does not fit the schema: a cache to ignore."""


#: The key that names a variant's subclass.
TAG = "type"


class Codec:
    """Encoders and decoders for the dataclasses reachable from some root classes.

    ``variants`` maps an abstract base (e.g. ``Contract``) to its subclasses by tag (e.g.
    ``CONTRACT_TYPES``); a field declared as the base holds any of them.
    """

    def __init__(self, variants: Mapping[type, Mapping[str, type]] | None = None) -> None:
        self._variants = {base: dict(by_tag) for base, by_tag in (variants or {}).items()}
        self._tags = {cls: tag for by_tag in self._variants.values() for tag, cls in by_tag.items()}
        self._decoders: dict[object, Decoder] = {}
        self._encoders: dict[object, Encoder] = {}

    def encode(self, value: object, cls: type) -> Any:
        """``value`` (an instance of ``cls``) as JSON-ready lists, dicts, strings and numbers."""
        return self._encoder(cls)(value)

    def decode(self, data: object, cls: type[T]) -> T:
        """The ``cls`` instance ``data`` describes; :class:`PlainDataError` if it does not fit."""
        try:
            value = self._decoder(cls)(data)
        except PlainDataError:
            raise
        except (TypeError, ValueError, KeyError, AttributeError) as e:
            # A constructor or __post_init__ refused the values.
            raise PlainDataError(f"{cls.__name__}: {e}") from None
        return typing.cast(T, value)

    # -- decoding ---------------------------------------------------------------------

    def _decoder(self, tp: object) -> Decoder:
        found = self._decoders.get(tp)
        if found is None:
            # Reserve the slot first: a class may (indirectly) hold itself.
            self._decoders[tp] = lambda data: self._decoders[tp](data)
            found = self._decoders[tp] = self._make_decoder(tp)
        return found

    def _make_decoder(self, tp: object) -> Decoder:
        exact = _exact_types(tp)
        if exact is not None:
            return _exact(exact)
        if tp is float:
            return _float
        if tp is type(None):
            return _none
        if tp is Path:
            return lambda data: Path(_exact(frozenset([str]))(data))
        if tp is dt.date:
            return _date
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return _enum(tp)
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin in (typing.Union, types.UnionType):
            others = [a for a in args if a is not type(None)]
            if len(others) != 1 or len(args) != 2:
                raise TypeError(f"unsupported union {tp!r}")
            inner = self._decoder(others[0])
            return lambda data: None if data is None else inner(data)
        if origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                item_types = _exact_types(args[0])
                if item_types is not None:  # the common case, checked without a call per item
                    return lambda data: _primitive_tuple(item_types, data)
                pair = _pair_types(args[0])
                if pair is not None:  # e.g. Origin.field_lines: tuple[tuple[str, int], ...]
                    return lambda data: _pairs(pair, data)
                item = self._decoder(args[0])
                return lambda data: tuple([item(x) for x in _list(data)])
            plain = [t for a in args if (t := _exact_types(a)) is not None]
            if len(plain) == len(args):
                return lambda data: _primitive_fixed_tuple(plain, data)
            items = [self._decoder(a) for a in args]
            return lambda data: _fixed_tuple(items, data)
        if origin is frozenset:
            item = self._decoder(args[0])
            return lambda data: frozenset([item(x) for x in _list(data)])
        if isinstance(tp, type) and tp in self._variants:
            return self._variant_decoder(tp)
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            return self._dataclass_decoder(tp, tagged=tp in self._tags)
        raise TypeError(f"unsupported type {tp!r}")

    def _variant_decoder(self, base: type) -> Decoder:
        by_tag = self._variants[base]

        def decode(data: object) -> object:
            tag = _dict(data).get(TAG)
            cls = by_tag.get(tag) if isinstance(tag, str) else None
            if cls is None:
                raise PlainDataError(f"{base.__name__}: unknown {TAG} {tag!r}")
            return self._decoder(cls)(data)

        return decode

    def _dataclass_decoder(self, cls: type, *, tagged: bool) -> Decoder:
        hints = typing.get_type_hints(cls)
        init = [f for f in dataclasses.fields(cls) if f.init and f.name != TAG]
        # A field of a plain type is checked inline, the others through their decoder.
        specs = [
            (f.name, exact, None if exact is not None else self._decoder(hints[f.name]))
            for f in init
            for exact in [_exact_types(hints[f.name])]
        ]
        size = len(specs) + (1 if tagged else 0)
        names = [f.name for f in init]
        # Positional arguments are quicker, where the class takes them in field order.
        positional = not any(f.kw_only for f in init) and len(init) == len(
            [f for f in dataclasses.fields(cls) if f.init]
        )
        tag = self._tags.get(cls)
        name = cls.__name__

        def decode(data: object) -> object:
            # Every field is written, so an object with as many keys, all found, has no other.
            if type(data) is not dict or len(data) != size:
                raise PlainDataError(f"{name}: not an object with {size} fields")
            if tagged and data.get(TAG) != tag:
                raise PlainDataError(f"{name}: wrong {TAG}")
            values = []
            for field_name, allowed, field_decoder in specs:
                value = data[field_name]  # KeyError: a field missing
                if allowed is not None:
                    if type(value) not in allowed:
                        raise PlainDataError(f"{name}.{field_name}: wrong type")
                else:
                    value = field_decoder(value)  # type: ignore[misc]
                values.append(value)
            if positional:
                return cls(*values)
            return cls(**dict(zip(names, values, strict=True)))

        return decode

    # -- encoding ---------------------------------------------------------------------

    def _encoder(self, tp: object) -> Encoder:
        found = self._encoders.get(tp)
        if found is None:
            self._encoders[tp] = lambda value: self._encoders[tp](value)
            found = self._encoders[tp] = self._make_encoder(tp)
        return found

    def _make_encoder(self, tp: object) -> Encoder:
        if tp in (str, int, bool, float, type(None)):
            return _same
        if tp is Path:
            return str
        if tp is dt.date:
            return lambda value: value.isoformat()
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return lambda value: value.value
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin in (typing.Union, types.UnionType):
            others = [a for a in args if a is not type(None)]
            if len(others) != 1 or len(args) != 2:
                raise TypeError(f"unsupported union {tp!r}")
            inner = self._encoder(others[0])
            return lambda value: None if value is None else inner(value)
        if origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                item = self._encoder(args[0])
                return lambda value: [item(x) for x in value]
            items = [self._encoder(a) for a in args]
            return lambda value: [enc(x) for enc, x in zip(items, value, strict=True)]
        if origin is frozenset:
            item = self._encoder(args[0])
            return lambda value: sorted(item(x) for x in value)
        if isinstance(tp, type) and tp in self._variants:
            return lambda value: self._encoder(type(value))(value)
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            return self._dataclass_encoder(tp)
        raise TypeError(f"unsupported type {tp!r}")

    def _dataclass_encoder(self, cls: type) -> Encoder:
        hints = typing.get_type_hints(cls)
        fields = [(f.name, self._encoder(hints[f.name])) for f in dataclasses.fields(cls) if f.init]
        tag = self._tags.get(cls)

        def encode(value: object) -> dict[str, Any]:
            if type(value) is not cls:
                raise TypeError(f"expected {cls.__name__}, got {type(value).__name__}")
            out: dict[str, Any] = {} if tag is None else {TAG: tag}
            for name, field_encoder in fields:
                out[name] = field_encoder(getattr(value, name))
            return out

        return encode


def _same(value: object) -> object:
    return value


_PLAIN = (str, int, bool)


def _exact_types(tp: object) -> frozenset[type] | None:
    """The exact JSON value types of ``tp`` when it is ``str``, ``int`` or ``bool``, alone or
    ``| None``; None for any other type. ``bool`` is not an ``int`` here, nor the reverse."""
    if tp in _PLAIN:
        return frozenset([typing.cast(type, tp)])
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        if len(args) == 2 and type(None) in args:
            other = args[0] if args[1] is type(None) else args[1]
            if other in _PLAIN:
                return frozenset([other, type(None)])
    return None


def _exact(allowed: frozenset[type]) -> Decoder:
    def decode(data: object) -> object:
        if type(data) not in allowed:
            raise PlainDataError(f"unexpected {type(data).__name__}")
        return data

    return decode


def _primitive_tuple(allowed: frozenset[type], data: object) -> tuple[Any, ...]:
    values = _list(data)
    for value in values:
        if type(value) not in allowed:
            raise PlainDataError(f"unexpected {type(value).__name__}")
    return tuple(values)


def _pair_types(tp: object) -> tuple[type, type] | None:
    """``(X, Y)`` when ``tp`` is ``tuple[X, Y]`` of two of ``str``, ``int``, ``bool``."""
    args = typing.get_args(tp)
    if typing.get_origin(tp) is tuple and len(args) == 2 and all(a in _PLAIN for a in args):
        return typing.cast(tuple[type, type], args)
    return None


def _pairs(types_: tuple[type, type], data: object) -> tuple[tuple[Any, Any], ...]:
    first, second = types_
    values = _list(data)
    for value in values:
        if not (
            type(value) is list
            and len(value) == 2
            and type(value[0]) is first
            and type(value[1]) is second
        ):
            raise PlainDataError("unexpected pair")
    return tuple([(a, b) for a, b in values])


def _primitive_fixed_tuple(allowed: list[frozenset[type]], data: object) -> tuple[Any, ...]:
    values = _list(data)
    if len(values) != len(allowed):
        raise PlainDataError(f"expected {len(allowed)} items, got {len(values)}")
    for value, types_ in zip(values, allowed, strict=True):
        if type(value) not in types_:
            raise PlainDataError(f"unexpected {type(value).__name__}")
    return tuple(values)


def _float(data: object) -> float:
    if type(data) not in (int, float):
        raise PlainDataError(f"expected a number, got {type(data).__name__}")
    return float(typing.cast(float, data))


def _none(data: object) -> None:
    if data is not None:
        raise PlainDataError(f"expected null, got {type(data).__name__}")


def _date(data: object) -> dt.date:
    if type(data) is not str:
        raise PlainDataError("expected a date")
    try:
        return dt.date.fromisoformat(data)
    except ValueError:
        raise PlainDataError(f"not a date: {data[:40]!r}") from None


def _enum(cls: type[enum.Enum]) -> Decoder:
    by_value = {member.value: member for member in cls}

    def decode(data: object) -> object:
        try:
            return by_value[data]
        except (KeyError, TypeError):  # TypeError: an unhashable value
            raise PlainDataError(f"not a {cls.__name__}: {data!r:.40}") from None

    return decode


def _list(data: object) -> list[Any]:
    if type(data) is not list:
        raise PlainDataError(f"expected a list, got {type(data).__name__}")
    return data


def _dict(data: object) -> dict[str, Any]:
    if type(data) is not dict:
        raise PlainDataError(f"expected an object, got {type(data).__name__}")
    return data


def _fixed_tuple(items: list[Decoder], data: object) -> tuple[Any, ...]:
    values = _list(data)
    if len(values) != len(items):
        raise PlainDataError(f"expected {len(items)} items, got {len(values)}")
    return tuple(item(x) for item, x in zip(items, values, strict=True))
