"""A seeded generator of projects that use every contract type and every import form.

The module tree is fixed (so that every contract names modules that exist); the import
statements of every file, the way each is written and where it sits, and the options of every
contract are drawn from ``random.Random(seed)``. The same seed always gives the same project.

What varies:

- import forms: ``import a.b``, ``import a.b as c``, ``from a import b``,
  ``from a.b import c as d``, parenthesised multi-line ``from`` imports, ``from a import *``,
  relative imports (``from . import x``, ``from ..y import z``, in modules and in
  ``__init__.py``);
- targets: modules, packages, namespace packages, names that are not modules (attributes,
  ``import a.b.attr``), modules that do not exist, the importer itself, external packages;
- places: module level, function bodies (nested too), class bodies, ``if TYPE_CHECKING:``,
  ``if typing.TYPE_CHECKING:``, ``if x.typing.TYPE_CHECKING:``, the ``else`` of one,
  ``try``/``except``;
- contract options: ``as_packages``, ``allow_indirect_imports``, independent (``|``) or not
  (``:``) layers, containers, ``ignore_imports`` with ``*`` and ``**``,
  ``exclude_type_checking_imports`` (project and contract), ``include_external_packages``
  (project and ``allowlist``), ``exclude_lazy_imports``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

#: Every module of the generated project: name -> whether it is a package (``__init__.py``).
#: ``pkg.ns`` is a namespace package (a folder of modules without ``__init__.py``).
MODULES: dict[str, bool] = {
    "pkg": True,
    "pkg.top": True,
    "pkg.top.x": False,
    "pkg.top.y": True,
    "pkg.top.y.z": False,
    "pkg.mid": True,
    "pkg.mid.m1": False,
    "pkg.mid.m2": False,
    "pkg.low": True,
    "pkg.low.l1": False,
    "pkg.low.l2": True,
    "pkg.low.l2.deep": False,
    "pkg.features": True,
    "pkg.features.f1": True,
    "pkg.features.f1.a": False,
    "pkg.features.f1.b": False,
    "pkg.features.f2": True,
    "pkg.features.f2.a": False,
    "pkg.features.f3": False,
    "pkg.core": True,
    "pkg.core.util": False,
    "pkg.core.secret": False,
    "pkg.ns.n1": False,
    "pkg.ns.n2": False,
    "pkg.loop": True,
    "pkg.loop.p": False,
    "pkg.loop.q": False,
    "pkg.loop.r": False,
    "app": True,
    "app.top": True,
    "app.top.t": False,
    "app.mid": False,
    "app.low": False,
}

NAMESPACES = ("pkg.ns",)
EXTERNALS = ("os", "os.path", "json", "typing")
#: Names that are not modules: imported from a module they are an attribute of.
ATTRIBUTES = ("thing", "Other")

HEADER = "import typing\nfrom typing import TYPE_CHECKING\n"


@dataclass(frozen=True)
class Project:
    """The files of a generated project (path below the project root -> text)."""

    files: dict[str, str]
    include_external_packages: bool


def generate(seed: int) -> Project:
    """The project for ``seed``: ``pyproject.toml``, ``contracts/c.toml`` and ``src/``."""
    rng = random.Random(seed)
    external = rng.random() < 0.4
    files: dict[str, str] = {}
    for module, is_package in MODULES.items():
        path = "src/" + module.replace(".", "/") + ("/__init__.py" if is_package else ".py")
        files[path] = _module_text(rng, module, is_package)
    exclude_tc = rng.choice(["true", "false"])
    files["pyproject.toml"] = (
        '[project]\nname = "generated"\nversion = "0"\n\n'
        '[tool.archlint]\nroot_packages = ["pkg", "app"]\nsource_roots = ["src"]\n'
        f"exclude_type_checking_imports = {exclude_tc}\n"
        f"include_external_packages = {'true' if external else 'false'}\n"
    )
    files["contracts/c.toml"] = _contracts(rng, external)
    return Project(files, external)


# --- contracts -----------------------------------------------------------------------------


def _flag(rng: random.Random) -> str:
    return rng.choice(["true", "false"])


def _own_type_checking(rng: random.Random) -> str:
    choice = rng.choice([None, "true", "false"])
    return "" if choice is None else f"exclude_type_checking_imports = {choice}\n"


def _ignores(rng: random.Random, choices: list[str]) -> str:
    picked = [c for c in choices if rng.random() < 0.4]
    if not picked:
        return ""
    listed = ", ".join(f'"{p}"' for p in picked)
    return f'ignore_imports = [{listed}]\nunmatched_ignore_imports_alerting = "none"\n'


def _contracts(rng: random.Random, external: bool) -> str:
    sibling_layer = rng.choice(["mid | (loop)", "mid : (loop)", "(loop) | mid"])
    forbidden_extra = ', "json"' if external else ""
    top_forbidden = rng.choice(["pkg.top.x", "pkg.top.*", "pkg.top.**"])
    allowlist_external = _flag(rng)
    tables = [
        # Containers, an optional module, independent or not siblings.
        f"""
id = "lay"
type = "layers"
containers = ["pkg", "app"]
layers = ["top", "{sibling_layer}", "low"]
{_own_type_checking(rng)}{_ignores(rng, ["pkg.low.* -> pkg.top.**", "app.** -> app.*"])}""",
        # A wildcard container: the layers repeat in every feature.
        f"""
id = "feat-layers"
type = "layers"
containers = ["pkg.features.*"]
layers = [{", ".join(f'"({n})"' for n in rng.sample(["a", "b"], 2))}]
{_own_type_checking(rng)}""",
        f"""
id = "plain"
type = "layers"
layers = ["pkg.features", "pkg.core"]
{_own_type_checking(rng)}{_ignores(rng, ["pkg.core -> pkg.features.**"])}""",
        f"""
id = "feat"
type = "independence"
modules = ["pkg.features.*", "{rng.choice(["pkg.mid.m1", "app.low", "pkg.ns"])}"]
{_own_type_checking(rng)}{_ignores(rng, ["pkg.features.f1.** -> pkg.features.*"])}""",
        # Sources importing below themselves: as_packages decides if that is a break.
        f"""
id = "inner"
type = "forbidden"
source_modules = ["pkg.core", "pkg.low.l2"]
forbidden_modules = ["pkg.core.secret", "pkg.low.l2.deep", "pkg.top"]
as_packages = {_flag(rng)}
allow_indirect_imports = {_flag(rng)}
{_own_type_checking(rng)}""",
        f"""
id = "feat-no-top"
type = "forbidden"
source_modules = ["pkg.features.**"]
forbidden_modules = ["{top_forbidden}", "pkg.ns"{forbidden_extra}]
as_packages = {_flag(rng)}
allow_indirect_imports = {_flag(rng)}
{_own_type_checking(rng)}{_ignores(rng, ["pkg.features.** -> pkg.ns.*"])}""",
        f"""
id = "core-door"
type = "protected"
protected_modules = ["pkg.core"]
allowed_importers = ["pkg.mid", "pkg.features.*"]
as_packages = {_flag(rng)}
{_own_type_checking(rng)}""",
        f"""
id = "top-door"
type = "protected"
protected_modules = ["pkg.top.*"]
allowed_importers = ["app", "pkg.top"]
as_packages = {_flag(rng)}
{_own_type_checking(rng)}{_ignores(rng, ["pkg.*.* -> pkg.top.y.*"])}""",
        """
id = "loop-siblings"
type = "acyclic_siblings"
ancestors = ["pkg.loop"]
""",
        f"""
id = "loops"
type = "acyclic"
packages = ["pkg.loop", "pkg.features.*"]
exclude_lazy_imports = {_flag(rng)}
{_own_type_checking(rng)}""",
        f"""
id = "low-allow"
type = "allowlist"
source_modules = ["pkg.low"]
allowed_modules = ["pkg.core", "pkg.mid", "typing"]
include_external_packages = {allowlist_external}
{_own_type_checking(rng)}""",
    ]
    return "".join(f"[[contracts]]{t.rstrip()}\n\n" for t in tables)


# --- import statements ---------------------------------------------------------------------


def _module_text(rng: random.Random, module: str, is_package: bool) -> str:
    package = module if is_package else module.rpartition(".")[0]
    blocks = [HEADER]
    for _ in range(rng.randint(0, 7)):
        blocks.append(_placed(rng, _statement(rng, module, package)))
    return "\n".join(blocks)


def _target(rng: random.Random, module: str) -> str:
    roll = rng.random()
    if roll < 0.06:
        return module  # the importer itself
    if roll < 0.1:
        return rng.choice(NAMESPACES)
    if roll < 0.14:
        return rng.choice(list(MODULES)) + ".missing"
    if roll < 0.3:
        # A module near the importer: siblings, children and the parent package.
        parent = module.rpartition(".")[0] or module
        return rng.choice([m for m in MODULES if m.startswith(parent + ".") or m == parent])
    return rng.choice(list(MODULES))


def _statement(rng: random.Random, module: str, package: str) -> tuple[list[str], bool]:
    """The lines of one import statement, and whether it is a ``*`` import (which may only
    appear at module level)."""
    kind = rng.choice(
        ["import", "import_as", "from", "from_as", "multi", "relative", "relative", "external"]
    )
    target = _target(rng, module)
    if kind == "external":
        name = rng.choice(EXTERNALS)
        if rng.random() < 0.5:
            return [f"import {name}"], False
        return [f"from {name} import {rng.choice(ATTRIBUTES)}"], False
    if kind in ("import", "import_as"):
        spelled = target if rng.random() < 0.8 else f"{target}.{rng.choice(ATTRIBUTES)}"
        alias = f" as _a{rng.randint(0, 99)}" if kind == "import_as" else ""
        return [f"import {spelled}{alias}"], False
    parent, _, leaf = target.rpartition(".")
    if kind == "relative":
        spelled_from = _relative(rng, package, target)
        if spelled_from is not None:
            return [f"from {spelled_from[0]} import {spelled_from[1]}"], False
        kind = "from"
    if not parent or rng.random() < 0.25:
        # ``from target import <attribute>`` (or ``*``).
        parent, leaf = target, rng.choice([*ATTRIBUTES, "*"])
    if kind == "multi":
        names = [leaf, *rng.sample(ATTRIBUTES, rng.randint(0, 2))]
        if "*" in names:
            names = [rng.choice(ATTRIBUTES)]
        inner = [
            f"    {n} as _m{i}," if rng.random() < 0.3 else f"    {n}," for i, n in enumerate(names)
        ]
        return [f"from {parent} import (", *inner, ")"], False
    alias = f" as _f{rng.randint(0, 99)}" if kind == "from_as" and leaf != "*" else ""
    return [f"from {parent} import {leaf}{alias}"], leaf == "*"


def _relative(rng: random.Random, package: str, target: str) -> tuple[str, str] | None:
    """``(".." + rest, name)`` spelling ``target`` relative to ``package``, if it can be."""
    parts = package.split(".")
    candidates = []
    for level in range(1, len(parts) + 1):
        base = ".".join(parts[: len(parts) - (level - 1)])
        if target.startswith(base + "."):
            rest = target[len(base) + 1 :]
            head, _, leaf = rest.rpartition(".")
            candidates.append(("." * level + head, leaf))
    if not candidates:
        return None
    return rng.choice(candidates)


def _placed(rng: random.Random, statement: tuple[list[str], bool]) -> str:
    """The statement at module level or inside a block, as text ending in a newline."""
    lines, star = statement
    places = ["plain", "try", "tc", "typing_tc", "deep_tc", "tc_else", "not_tc"]
    if not star:
        places += ["function", "nested_function", "class", "function_tc"]
    place = rng.choice(places)

    def indent(body: list[str], depth: int = 1) -> list[str]:
        return ["    " * depth + line for line in body]

    out: list[str]
    if place == "plain":
        out = lines
    elif place == "try":
        out = ["try:", *indent(lines), "except ImportError:", "    pass"]
    elif place == "tc":
        out = ["if TYPE_CHECKING:", *indent(lines)]
    elif place == "typing_tc":
        out = ["if typing.TYPE_CHECKING:", *indent(lines)]
    elif place == "deep_tc":
        out = ["if x.typing.TYPE_CHECKING:", *indent(lines)]
    elif place == "tc_else":
        out = ["if TYPE_CHECKING:", "    pass", "else:", *indent(lines)]
    elif place == "not_tc":
        out = ["if not TYPE_CHECKING:", *indent(lines)]
    elif place == "function":
        out = ["def f():", *indent(lines)]
    elif place == "nested_function":
        out = ["def g():", "    def h():", *indent(lines, 2)]
    elif place == "class":
        out = ["class K:", *indent(lines)]
    else:
        out = ["def t():", "    if TYPE_CHECKING:", *indent(lines, 2)]
    return "\n".join(out) + "\n"
