"""Direct-import rules: does one import, by itself, break a contract?

This is what the flake8 plugin checks at each import line. Indirect chains stay with
``archlint check``; here only ``importer -> imported`` counts, with the same meaning as
import-linter gives each contract type.

The contracts are compiled once into a :class:`ContractIndex`: a tree over the dotted segments
of every module expression the contracts name (``*`` and ``**`` included). Finding which
contracts a module takes part in walks that tree along the module's segments, so a lookup costs
the depth of the module's path, not the number of contracts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from . import model
from .expressions import ModuleExpression, is_in_package

Role = Literal["layer", "member", "source", "forbidden", "protected", "allowed"]


@dataclass(frozen=True, slots=True)
class _Payload:
    contract: int
    role: Role
    #: Only the named module itself, not what lies below it (``as_packages = false``).
    exact: bool = False
    #: For layers: the layer's index (0 is the top) and the module's name in it.
    layer: int = -1
    layer_module: str = ""
    #: For layers: whether the layer modules are named below containers.
    in_container: bool = False


@dataclass(slots=True)
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    star: _Node | None = None
    #: ``**``: matches one segment and may go on matching more.
    dstar: _Node | None = None
    is_dstar: bool = False
    payloads: list[_Payload] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Role:
    payload: _Payload
    #: The module the expression matched: the import's module or a package above it.
    module: str


@dataclass(frozen=True, slots=True)
class Breach:
    """One contract a direct import breaks, and the rule it breaks, in words."""

    contract: model.Contract
    rule: str


class ContractIndex:
    """The direct-import rules of a set of contracts, indexed by module path."""

    def __init__(self, contracts: Iterable[model.Contract], root_packages: Iterable[str]) -> None:
        self.contracts: tuple[model.Contract, ...] = tuple(
            c for c in contracts if c.code is not None and c.type_name not in _NOT_DIRECT
        )
        self.root_packages = tuple(root_packages)
        self._root = _Node()
        self._cache: dict[str, tuple[_Role, ...]] = {}
        outside = False
        for index, contract in enumerate(self.contracts):
            for expression, payload in _expressions(index, contract):
                self._insert(expression, payload)
                head = expression.split(".*", 1)[0]
                outside = outside or not self._is_internal(head)
            if isinstance(contract, model.AllowlistContract) and contract.include_external_packages:
                outside = True
        #: Whether any contract can be broken by importing a package outside the project
        #: (a forbidden third-party package, an allowlist that checks them); if not, such
        #: imports are not looked at.
        self.concerns_external = outside

    def _insert(self, expression: str, payload: _Payload) -> None:
        node = self._root
        for part in expression.split("."):
            if part == "*":
                node.star = node.star or _Node()
                node = node.star
            elif part == "**":
                node.dstar = node.dstar or _Node(is_dstar=True)
                node = node.dstar
            else:
                node = node.children.setdefault(part, _Node())
        node.payloads.append(payload)

    def roles(self, module: str) -> tuple[_Role, ...]:
        """Every (contract, role) ``module`` has, with the module or package that gave it."""
        cached = self._cache.get(module)
        if cached is not None:
            return cached
        parts = module.split(".")
        states = [self._root]
        found: list[_Role] = []
        for depth, part in enumerate(parts, start=1):
            following: list[_Node] = []
            for node in states:
                child = node.children.get(part)
                if child is not None:
                    following.append(child)
                if node.star is not None:
                    following.append(node.star)
                if node.dstar is not None:
                    following.append(node.dstar)
                if node.is_dstar:
                    following.append(node)
            if not following:
                break
            states = following
            prefix = ".".join(parts[:depth]) if depth < len(parts) else module
            for node in states:
                for payload in node.payloads:
                    if payload.exact and depth != len(parts):
                        continue
                    found.append(_Role(payload, prefix))
        result = tuple(found)
        self._cache[module] = result
        return result

    def _is_internal(self, module: str) -> bool:
        return any(is_in_package(module, root) for root in self.root_packages)

    def breaches(
        self,
        importer: str,
        imported: str,
        *,
        type_checking: bool,
        project: model.Project,
        external: bool = False,
    ) -> list[Breach]:
        """Every contract that the direct import ``importer -> imported`` breaks.

        ``external``: the import is in a graph only when it is built with external packages
        (see :mod:`~archlint.domain.import_targets`), so only contracts checked on such a
        graph can see it.
        """
        if not self.contracts or importer == imported:
            return []
        by_contract: dict[int, tuple[list[_Role], list[_Role]]] = {}
        for role in self.roles(importer):
            by_contract.setdefault(role.payload.contract, ([], []))[0].append(role)
        for role in self.roles(imported):
            by_contract.setdefault(role.payload.contract, ([], []))[1].append(role)
        out: list[Breach] = []
        for index in sorted(by_contract):
            contract = self.contracts[index]
            mine, theirs = by_contract[index]
            rule = _RULES[contract.type_name](self, contract, importer, imported, mine, theirs)
            # Most imports break nothing: the exemptions are looked at only for a break.
            if rule is None:
                continue
            if type_checking and project.excludes_type_checking(contract):
                continue
            if external and not project.includes_external_packages(contract):
                continue
            if contract.is_ignored(importer, imported):
                continue
            out.append(Breach(contract, rule))
        return out


#: Contract types whose breaks need the whole graph (or another file): not checked here.
_NOT_DIRECT = frozenset({"acyclic", "acyclic_siblings"})


def _expressions(index: int, contract: model.Contract) -> Iterator[tuple[str, _Payload]]:
    if isinstance(contract, model.LayersContract):
        containers = [c.text for c in contract.containers] or [""]
        for container in containers:
            for position, layer in enumerate(contract.layers):
                for module in layer.modules:
                    text = f"{container}.{module.name}" if container else module.name
                    yield (
                        text,
                        _Payload(
                            index,
                            "layer",
                            layer=position,
                            layer_module=module.name,
                            in_container=bool(container),
                        ),
                    )
    elif isinstance(contract, model.IndependenceContract):
        for expression in contract.modules:
            yield expression.text, _Payload(index, "member")
    elif isinstance(contract, model.ForbiddenContract):
        exact = not contract.as_packages
        for expression in contract.source_modules:
            yield expression.text, _Payload(index, "source", exact)
        for expression in contract.forbidden_modules:
            yield expression.text, _Payload(index, "forbidden", exact)
    elif isinstance(contract, model.ProtectedContract):
        exact = not contract.as_packages
        for expression in contract.protected_modules:
            yield expression.text, _Payload(index, "protected", exact)
        for expression in contract.allowed_importers:
            yield expression.text, _Payload(index, "allowed", exact)
    elif isinstance(contract, model.AllowlistContract):
        for expression in contract.source_modules:
            yield expression.text, _Payload(index, "source")
        for expression in contract.allowed_modules:
            yield expression.text, _Payload(index, "allowed")


def _with_role(roles: list[_Role], role: Role) -> list[_Role]:
    return [r for r in roles if r.payload.role == role]


def _names(expressions: Iterable[ModuleExpression]) -> str:
    return ", ".join(e.text for e in expressions)


def _layers_rule(
    index: ContractIndex,
    contract: model.Contract,
    importer: str,
    imported: str,
    mine: list[_Role],
    theirs: list[_Role],
) -> str | None:
    assert isinstance(contract, model.LayersContract)
    for low in mine:
        low_container = _container(low)
        for high in theirs:
            if _container(high) != low_container:
                continue
            a, b = low.payload, high.payload
            if a.layer > b.layer:
                return (
                    f"{low.module} (layer '{contract.layers[a.layer].text}') may not import "
                    f"{high.module} (layer '{contract.layers[b.layer].text}', above it)"
                )
            if a.layer == b.layer and a.layer_module != b.layer_module:
                layer = contract.layers[a.layer]
                if layer.independent:
                    return (
                        f"{low.module} and {high.module} are independent siblings in layer "
                        f"'{layer.text}'"
                    )
    return None


def _container(role: _Role) -> str:
    """The container a layer role was found in ("" for layers without containers)."""
    if not role.payload.in_container:
        return ""
    depth = role.payload.layer_module.count(".") + 1
    return role.module.rsplit(".", depth)[0]


def _independence_rule(
    index: ContractIndex,
    contract: model.Contract,
    importer: str,
    imported: str,
    mine: list[_Role],
    theirs: list[_Role],
) -> str | None:
    for a in mine:
        for b in theirs:
            if not is_in_package(a.module, b.module) and not is_in_package(b.module, a.module):
                return f"{a.module} and {b.module} must stay independent"
    return None


def _forbidden_rule(
    index: ContractIndex,
    contract: model.Contract,
    importer: str,
    imported: str,
    mine: list[_Role],
    theirs: list[_Role],
) -> str | None:
    assert isinstance(contract, model.ForbiddenContract)
    for source in _with_role(mine, "source"):
        for forbidden in _with_role(theirs, "forbidden"):
            if _overlap(source.module, forbidden.module, as_packages=contract.as_packages):
                continue
            return f"{source.module} may not import {forbidden.module}"
    return None


def _overlap(source: str, forbidden: str, *, as_packages: bool) -> bool:
    """Whether a source and a forbidden module name no import to forbid (import-linter skips
    such pairs): the same module, or, read as packages, one inside the other. With
    ``as_packages = false`` a package importing its own submodule is still a break."""
    if source == forbidden:
        return True
    return as_packages and (is_in_package(source, forbidden) or is_in_package(forbidden, source))


def _protected_rule(
    index: ContractIndex,
    contract: model.Contract,
    importer: str,
    imported: str,
    mine: list[_Role],
    theirs: list[_Role],
) -> str | None:
    assert isinstance(contract, model.ProtectedContract)
    if _with_role(mine, "allowed"):
        return None
    for protected in _with_role(theirs, "protected"):
        # A protected package's own modules may import each other; read as single modules
        # (as_packages = false) only the module itself is exempt, so a submodule importing
        # the protected module above it breaks the contract.
        if importer == protected.module or (
            contract.as_packages and is_in_package(importer, protected.module)
        ):
            continue
        return (
            f"{protected.module} is protected: only {_names(contract.allowed_importers)} "
            "may import it"
        )
    return None


def _allowlist_rule(
    index: ContractIndex,
    contract: model.Contract,
    importer: str,
    imported: str,
    mine: list[_Role],
    theirs: list[_Role],
) -> str | None:
    assert isinstance(contract, model.AllowlistContract)
    if _with_role(theirs, "allowed"):
        return None
    if not contract.include_external_packages and not index._is_internal(imported):
        return None
    for source in _with_role(mine, "source"):
        if is_in_package(imported, source.module):
            continue
        return f"{source.module} may import only {_names(contract.allowed_modules)}"
    return None


_RULES = {
    "layers": _layers_rule,
    "independence": _independence_rule,
    "forbidden": _forbidden_rule,
    "protected": _protected_rule,
    "allowlist": _allowlist_rule,
}
