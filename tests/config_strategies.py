"""Hypothesis strategies for configuration files: TOML documents over archlint's real field
names, valid-ish and broken, written in every form TOML allows, and raw byte mutations.

Used by the in-process fuzz test of the loader and by the one through ``archlint check``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from archlint.config import schema
from archlint.domain import model

#: The modules of the package every generated project has.
PACKAGE = {
    "src/pkg/__init__.py": "",
    "src/pkg/a/__init__.py": "from pkg.b import thing\n",
    "src/pkg/a/x.py": "import pkg.helpers\n",
    "src/pkg/b/__init__.py": "thing = 1\n",
    "src/pkg/helpers.py": "from pkg import a\n",
}

CONTRACT_TYPES = sorted(model.CONTRACT_TYPES)
CONTRACT_FIELDS = sorted(
    {"id", "type", *schema.COMMON_CONTRACT_FIELDS}
    | {name for fields in schema.CONTRACT_FIELDS.values() for name in fields}
)
DEPRECATION_FIELDS = sorted(schema.DEPRECATION_FIELDS)
SETTINGS_FIELDS = sorted(schema.SETTINGS_FIELDS)

#: Strings that mean something in some field, so that many documents get past the types.
MEANINGFUL = [
    "pkg",
    "pkg.a",
    "pkg.b",
    "pkg.a.x",
    "pkg.helpers",
    "pkg.*",
    "pkg.**",
    "pkg.a -> pkg.b",
    "pkg.** -> pkg.b",
    "a",
    "b",
    "a | b",
    "a : b",
    "(c)",
    "helpers",
    "requests",
    "src",
    ".",
    "contracts",
    "none",
    "warn",
    "error",
    "2025-10-05",
    "",
    " ",
    "..",
    "../x",
    "/etc",
    "x" * 300,
    "pkg\n",
    "ind\n",
    "a\x00b",
    "pkg.a.",
    "Pkg",
    "1pkg",
]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")

scalars = st.one_of(
    st.sampled_from(MEANINGFUL),
    st.text(max_size=12),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.sampled_from(CONTRACT_TYPES),
)


def values(depth: int = 3) -> st.SearchStrategy[Any]:
    """Any TOML value, nested up to ``depth``, biased to what the fields hold."""
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(keys(), inner, max_size=3),
        ),
        max_leaves=8,
    )


def keys(names: list[str] | None = None) -> st.SearchStrategy[str]:
    known = names or [*CONTRACT_FIELDS, *DEPRECATION_FIELDS, *SETTINGS_FIELDS]
    return st.one_of(st.sampled_from(known), st.text(min_size=1, max_size=8))


def _field_value(name: str) -> st.SearchStrategy[Any]:
    """A value for field ``name``: most often of a plausible shape."""
    if name == "type":
        return st.one_of(st.sampled_from(CONTRACT_TYPES), values())
    if name == "id":
        return st.one_of(st.from_regex(r"[a-z0-9][a-z0-9_-]{0,6}", fullmatch=True), values())
    plausible = st.one_of(
        st.lists(st.sampled_from(MEANINGFUL), max_size=4),
        st.sampled_from(MEANINGFUL),
        st.booleans(),
        st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)),
        st.integers(min_value=-2, max_value=5),
    )
    return st.one_of(plausible, plausible, values())


def tables(names: list[str], extra: int = 2) -> st.SearchStrategy[dict[str, Any]]:
    """A table over the field ``names`` (each present or not), plus a few other keys."""
    return st.builds(
        lambda chosen, more: {**more, **chosen},
        st.fixed_dictionaries({}, optional={n: _field_value(n) for n in names}),
        st.dictionaries(keys(), values(), max_size=extra),
    )


contract_tables = st.builds(
    lambda table, kind: {"type": kind, **table} if kind is not None else table,
    tables(CONTRACT_FIELDS),
    st.one_of(st.none(), st.sampled_from(CONTRACT_TYPES)),
)
deprecation_tables = tables(DEPRECATION_FIELDS)
settings_tables = st.builds(
    lambda table, roots: {"root_packages": roots, **table} if roots else table,
    tables(SETTINGS_FIELDS),
    st.one_of(st.none(), st.just(["pkg"]), st.lists(st.sampled_from(MEANINGFUL), max_size=2)),
)


@st.composite
def contract_documents(draw: st.DrawFn) -> dict[str, Any]:
    """The data of one contract file."""
    doc: dict[str, Any] = {}
    if draw(st.integers(0, 9)):
        doc["contracts"] = draw(st.lists(contract_tables, max_size=3))
    if draw(st.booleans()):
        doc["deprecations"] = draw(st.lists(deprecation_tables, max_size=3))
    if not draw(st.integers(0, 5)):
        doc.update(draw(st.dictionaries(keys(["contracts", "deprecations"]), values())))
    return doc


@st.composite
def pyproject_documents(draw: st.DrawFn) -> dict[str, Any]:
    """The data of one ``pyproject.toml``: most often with a [tool.archlint] table."""
    shape = draw(st.integers(0, 9))
    if shape == 0:
        return {"tool": draw(values())}
    if shape == 1:
        return {"tool": {"archlint": draw(values())}}
    archlint = draw(settings_tables)
    if "source_roots" not in archlint and draw(st.booleans()):
        archlint["source_roots"] = ["src"]
    return {"project": {"name": "demo"}, "tool": {"archlint": archlint}}


# --- writing TOML, in its several forms ---------------------------------------------------


def toml_key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        if value != value:
            return "nan"
        if value in (float("inf"), float("-inf")):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, (int, dt.date)):
        return str(value) if isinstance(value, int) else value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        items = ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items())
        return "{" + items + "}"
    raise TypeError(value)


def write_table(path: list[str], table: Mapping[str, Any], form: int, out: list[str]) -> None:
    """Write ``table`` (at ``path``) as headers (form 0), dotted keys (1), inline (2)."""
    dotted = ".".join(toml_key(p) for p in path)
    plain = {k: v for k, v in table.items() if not isinstance(v, Mapping) or form == 2}
    inner = {k: v for k, v in table.items() if k not in plain}
    if form == 2:
        out.append(f"{dotted} = {toml_value(table)}")
        return
    if form == 1:
        out.extend(f"{dotted}.{toml_key(k)} = {toml_value(v)}" for k, v in plain.items())
        if not table:
            out.append(f"{dotted} = {{}}")
    else:
        out.append(f"[{dotted}]")
        out.extend(f"{toml_key(k)} = {toml_value(v)}" for k, v in plain.items())
    for key, value in inner.items():
        write_table([*path, key], value, form, out)


def to_toml(doc: Mapping[str, Any], form: int) -> str:
    """``doc`` as TOML text: scalars first, then arrays of tables as ``[[name]]`` (or inline,
    form 2), then tables in the chosen form."""
    out: list[str] = []
    scalars_first = {k: v for k, v in doc.items() if not isinstance(v, Mapping)}
    nested = {k: v for k, v in doc.items() if isinstance(v, Mapping)}
    arrays = {
        k: v
        for k, v in scalars_first.items()
        if form != 2 and isinstance(v, list) and v and all(isinstance(i, Mapping) for i in v)
    }
    for key, value in scalars_first.items():
        if key not in arrays:
            out.append(f"{toml_key(key)} = {toml_value(value)}")
    if form == 1:  # dotted keys must come before any header
        for key, value in nested.items():
            write_table([key], value, 1, out)
        nested = {}
    for key, items in arrays.items():
        for item in items:
            out.append(f"\n[[{toml_key(key)}]]")
            out.extend(f"{toml_key(k)} = {toml_value(v)}" for k, v in item.items())
    for key, value in nested.items():
        out.append("")
        write_table([key], value, form, out)
    return "\n".join(out) + "\n"


@st.composite
def mutated(draw: st.DrawFn, text: str) -> bytes:
    """``text``'s bytes with a few random deletions, insertions and replacements."""
    data = bytearray(text.encode("utf-8"))
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, len(data)))
        op = draw(st.integers(0, 2))
        if op == 0 and where < len(data):
            del data[where : where + draw(st.integers(1, 8))]
        elif op == 1:
            noise = draw(st.one_of(st.binary(min_size=1, max_size=6), st.sampled_from(_NOISE)))
            data[where:where] = noise
        elif where < len(data):
            data[where] = draw(st.integers(0, 255))
    return bytes(data)


_NOISE = [
    b"[",
    b"]",
    b"[[",
    b"{",
    b"}",
    b'"',
    b"'''",
    b'"""',
    b"=",
    b"\n",
    b"\r",
    b"\x00",
    b"\\",
    b"#",
    b".",
    b"\xff",
    b"\xef\xbb\xbf",
    b"[" * 200,
]


@st.composite
def projects(draw: st.DrawFn) -> dict[str, bytes]:
    """The configuration files of one project (relative path -> bytes)."""
    files: dict[str, bytes] = {}
    pyproject = to_toml(draw(pyproject_documents()), draw(st.integers(0, 2)))
    contract_files = {
        f"contracts/{name}.toml": to_toml(draw(contract_documents()), draw(st.integers(0, 2)))
        for name in draw(st.lists(st.sampled_from("abc"), min_size=1, max_size=2, unique=True))
    }
    texts = {"pyproject.toml": pyproject, **contract_files}
    broken = draw(st.lists(st.sampled_from(sorted(texts)), max_size=2, unique=True))
    for path, text in texts.items():
        files[path] = draw(mutated(text)) if path in broken else text.encode("utf-8")
    return files


def write_project(root: Path, files: Mapping[str, bytes]) -> None:
    """The package and ``files`` below ``root``."""
    for rel, text in PACKAGE.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "contracts").mkdir(exist_ok=True)
    for rel, data in files.items():
        (root / rel).write_bytes(data)
