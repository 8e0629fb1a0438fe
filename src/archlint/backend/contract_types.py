"""archlint's contract types for import-linter.

These classes are what ``contract_types`` in the compiled configuration points at, so plain
``lint-imports`` runs them as well as ``archlint check``:

- :class:`AcyclicContract` (``acyclic``): no module-level import cycle below each package.
- :class:`AllowlistContract` (``allowlist``): modules below the sources import only what is
  listed.
- ``archlint_<type>``: import-linter's own types with archlint's per-contract options
  (``exclude_type_checking_imports`` for one contract), which import-linter only has globally.

Importing this module changes nothing in grimp or import-linter: ``lint-imports`` sees
namespace subpackages because ``archlint compile`` lists them as root packages.
"""

from __future__ import annotations

import copy
import functools
import itertools
from typing import Any, cast

import grimp
from importlinter import Contract, ContractCheck, fields, output
from importlinter.application import contract_utils
from importlinter.contracts.acyclic_siblings import AcyclicSiblingsContract
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.independence import IndependenceContract
from importlinter.contracts.layers import LayersContract
from importlinter.contracts.protected import ProtectedContract
from importlinter.domain.helpers import module_expressions_to_modules
from importlinter.domain.imports import ModuleExpression

from archlint.domain import cycles
from archlint.domain.expressions import ModuleExpression as ArchlintExpression

from . import sites

#: How many cycles of one strongly connected component are listed before "and N more".
MAX_CYCLES_PER_COMPONENT = 50


def _session_flag(session_options: dict[str, Any], name: str) -> bool:
    return str(session_options.get(name, False)).lower() == "true"


@functools.lru_cache(maxsize=8)
def _variant_graph(
    root_packages: tuple[str, ...], exclude_type_checking: bool, include_external: bool
) -> grimp.ImportGraph:
    # Only reached under plain lint-imports, when one contract needs other graph options than
    # the session's; archlint check hands every contract the graph it needs.
    return grimp.build_graph(
        *root_packages,
        exclude_type_checking_imports=exclude_type_checking,
        include_external_packages=include_external,
        cache_dir=None,
    )


class _GraphOptions(Contract):
    """Per-contract graph options that import-linter has only for the whole session."""

    exclude_type_checking_imports = fields.BooleanField(required=False)

    def _wants_external_packages(self) -> bool:
        return _session_flag(self.session_options, "include_external_packages")

    def _graph_for(self, graph: grimp.ImportGraph) -> grimp.ImportGraph:
        session_tc = _session_flag(self.session_options, "exclude_type_checking_imports")
        session_ext = _session_flag(self.session_options, "include_external_packages")
        own_tc = cast("bool | None", self.exclude_type_checking_imports)
        want_tc = session_tc if own_tc is None else own_tc
        want_ext = self._wants_external_packages()
        if (want_tc, want_ext) == (session_tc, session_ext):
            return graph
        roots = tuple(self.session_options["root_packages"])
        return copy.deepcopy(_variant_graph(roots, want_tc, want_ext))


class _Wrapped(_GraphOptions):
    """One of import-linter's own types, checked on the graph its options ask for."""

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        return super().check(self._graph_for(graph), verbose)  # type: ignore[safe-super]


class LayersWithOptions(_Wrapped, LayersContract):
    """import-linter's ``layers`` with archlint's per-contract options."""


class IndependenceWithOptions(_Wrapped, IndependenceContract):
    """import-linter's ``independence`` with archlint's per-contract options."""


class ForbiddenWithOptions(_Wrapped, ForbiddenContract):
    """import-linter's ``forbidden`` with archlint's per-contract options."""


class ProtectedWithOptions(_Wrapped, ProtectedContract):
    """import-linter's ``protected`` with archlint's per-contract options."""


class AcyclicSiblingsWithOptions(_Wrapped, AcyclicSiblingsContract):
    """import-linter's ``acyclic_siblings`` with archlint's per-contract options."""


def _line_numbers(graph: grimp.ImportGraph, importer: str, imported: str) -> tuple[int, ...]:
    details = graph.get_import_details(importer=importer, imported=imported)
    return tuple(sorted({d["line_number"] for d in details}))


def _link(
    graph: grimp.ImportGraph, importer: str, imported: str, *, skip_lazy: bool = False
) -> dict[str, Any]:
    """One import of a chain, with the lines that make it and where each sits.

    ``skip_lazy``: imports inside functions are excluded from the check, so their lines are
    not listed (the link is there because of its other imports).
    """
    lines = _line_numbers(graph, importer, imported)
    context, lazy, checking = sites.link_facts(importer, lines)
    if skip_lazy and lazy and len(lazy) < len(lines):
        lines = tuple(n for n in lines if n not in lazy)
        lazy = ()
        checking = tuple(n for n in checking if n in lines)
        context = sites.link_context(importer, lines)
    return {
        "importer": importer,
        "imported": imported,
        "line_numbers": lines,
        "lazy": context.lazy,
        "type_checking": context.type_checking,
        "lazy_lines": lazy,
        "type_checking_lines": checking,
    }


def _format_link(link: dict[str, Any]) -> str:
    lazy, checking = set(link.get("lazy_lines", ())), set(link.get("type_checking_lines", ()))
    parts = []
    for n in link["line_numbers"]:
        mark = " under TYPE_CHECKING" if n in checking else " in a function" if n in lazy else ""
        parts.append(f"l.{n}{mark}")
    return f"{link['importer']} -> {link['imported']} ({', '.join(parts) or 'l.?'})"


class AcyclicContract(_GraphOptions):
    """No module-level import cycle among the modules below each package.

    Each strongly connected component is reported with cycles that together use every import
    in it (each a shortest cycle through one of them), with the line of each import, and a
    small set of imports whose removal would break every cycle.
    """

    packages = fields.ListField(subfield=fields.ModuleExpressionField())
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)
    unmatched_ignore_imports_alerting = fields.EnumField(
        contract_utils.AlertLevel, default=contract_utils.AlertLevel.ERROR
    )
    exclude_lazy_imports = fields.BooleanField(default=False)
    broken_contract_guidance = fields.TextField(required=False)

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        graph = self._graph_for(graph)
        removal = contract_utils.remove_ignored_imports_and_report(
            graph=graph,
            ignore_imports=self.ignore_imports,  # type: ignore[arg-type]
            unmatched_alerting=self.unmatched_ignore_imports_alerting,  # type: ignore[arg-type]
        )
        packages = module_expressions_to_modules(
            graph,
            cast("list[ModuleExpression]", self.packages),
            raise_if_unmatched=True,
        )
        components: list[dict[str, Any]] = []
        skip = bool(self.exclude_lazy_imports)
        for package in sorted(m.name for m in packages):
            members = {package} | set(graph.find_descendants(package))
            adjacency = self._adjacency(graph, members)
            for component in cycles.strongly_connected_components(adjacency):
                shown = cycles.covering_cycles(adjacency, component, limit=MAX_CYCLES_PER_COMPONENT)
                breakers = cycles.cycle_breakers(adjacency, component)
                components.append(
                    {
                        "package": package,
                        "modules": sorted(component),
                        "import_count": sum(len(adjacency[m] & component) for m in component),
                        "cycles": [
                            [_link(graph, a, b, skip_lazy=skip) for a, b in itertools.pairwise(c)]
                            for c in shown
                        ],
                        "breakers": [
                            _link(graph, a, b, skip_lazy=skip) for a, b in sorted(breakers)
                        ],
                    }
                )
        return ContractCheck(
            kept=not components,
            warnings=list(removal.warnings),
            ignored_import_count=removal.ignored_import_count,
            metadata={"components": components},
        )

    def _adjacency(self, graph: grimp.ImportGraph, members: set[str]) -> dict[str, set[str]]:
        adjacency: dict[str, set[str]] = {}
        skip_lazy = bool(self.exclude_lazy_imports)
        for module in members:
            targets = graph.find_modules_directly_imported_by(module) & members
            if skip_lazy:
                targets = {
                    t
                    for t in targets
                    if not sites.link_context(module, _line_numbers(graph, module, t)).lazy
                }
            adjacency[module] = targets
        return adjacency

    def render_broken_contract(self, check: ContractCheck) -> None:
        for component in check.metadata["components"]:
            modules = component["modules"]
            output.print_error(
                f"Import cycle among {len(modules)} modules of {component['package']}:"
            )
            output.new_line()
            for chain in component["cycles"]:
                for position, link in enumerate(chain):
                    prefix = "- " if position == 0 else "  "
                    output.print_error(f"{prefix}{_format_link(link)}", bold=False)
                output.new_line()
            output.print("Removing these imports would break every cycle:")
            for link in component["breakers"]:
                output.print(f"- {_format_link(link)}")
            output.new_line()
        contract_utils.render_broken_contract_guidance(self.broken_contract_guidance)  # type: ignore[arg-type]


class AllowlistContract(_GraphOptions):
    """Modules below ``source_modules`` may import only ``allowed_modules``.

    A source package may always import itself. External packages are checked only when
    ``include_external_packages`` is true (then they must be listed too).
    """

    source_modules = fields.ListField(subfield=fields.ModuleExpressionField())
    allowed_modules = fields.ListField(subfield=fields.ModuleExpressionField())
    include_external_packages = fields.BooleanField(default=False)
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)
    unmatched_ignore_imports_alerting = fields.EnumField(
        contract_utils.AlertLevel, default=contract_utils.AlertLevel.ERROR
    )
    broken_contract_guidance = fields.TextField(required=False)

    def _wants_external_packages(self) -> bool:
        return bool(self.include_external_packages) or super()._wants_external_packages()

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        graph = self._graph_for(graph)
        removal = contract_utils.remove_ignored_imports_and_report(
            graph=graph,
            ignore_imports=self.ignore_imports,  # type: ignore[arg-type]
            unmatched_alerting=self.unmatched_ignore_imports_alerting,  # type: ignore[arg-type]
        )
        roots = tuple(self.session_options["root_packages"])
        sources = sorted(
            m.name
            for m in module_expressions_to_modules(
                graph,
                cast("list[ModuleExpression]", self.source_modules),
                raise_if_unmatched=True,
            )
        )
        allowed = cast("list[ModuleExpression]", self.allowed_modules)
        check_external = bool(self.include_external_packages)
        violations: list[dict[str, Any]] = []
        for source in sources:
            links = []
            for module in sorted({source} | set(graph.find_descendants(source))):
                for imported in sorted(graph.find_modules_directly_imported_by(module)):
                    if imported == source or imported.startswith(source + "."):
                        continue
                    internal = any(imported == r or imported.startswith(r + ".") for r in roots)
                    if not internal and not check_external:
                        continue
                    if any(ArchlintExpression(e.expression).package_of(imported) for e in allowed):
                        continue
                    links.append(_link(graph, module, imported))
            if links:
                violations.append({"source": source, "links": links})
        return ContractCheck(
            kept=not violations,
            warnings=list(removal.warnings),
            ignored_import_count=removal.ignored_import_count,
            metadata={"violations": violations},
        )

    def render_broken_contract(self, check: ContractCheck) -> None:
        for violation in check.metadata["violations"]:
            output.print_error(f"{violation['source']} imports modules it is not allowed to:")
            output.new_line()
            for link in violation["links"]:
                output.print_error(f"- {_format_link(link)}", bold=False)
            output.new_line()
        contract_utils.render_broken_contract_guidance(self.broken_contract_guidance)  # type: ignore[arg-type]
