"""Checks of the model against the modules a project really has.

Run after the contract files are read and before any check: a contract that names a module
the project does not have is a configuration error, reported in its place, not a check that
silently passes or a traceback from deep inside import-linter.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator

from . import model
from .deprecations import DeprecationIndex
from .errors import ConfigProblem
from .expressions import ModuleExpression, is_in_package

#: Contract fields that name modules of the project, by contract type.
_MODULE_FIELDS: dict[type[model.Contract], tuple[str, ...]] = {
    model.LayersContract: ("containers",),
    model.IndependenceContract: ("modules",),
    model.ForbiddenContract: ("source_modules", "forbidden_modules"),
    model.ProtectedContract: ("protected_modules", "allowed_importers"),
    model.AcyclicSiblingsContract: ("ancestors", "skip_descendants"),
    model.AcyclicContract: ("packages",),
    model.AllowlistContract: ("source_modules", "allowed_modules"),
}

#: Fields that may name packages outside the project (as import-linter allows).
_EXTERNAL_ALLOWED = {
    (model.ForbiddenContract, "forbidden_modules"),
    (model.IndependenceContract, "modules"),
    (model.ProtectedContract, "protected_modules"),
    (model.ProtectedContract, "allowed_importers"),
    (model.AllowlistContract, "allowed_modules"),
}

#: Of those, the ones that need ``include_external_packages`` in ``[tool.archlint]`` (an
#: allowlist has its own option), and what the setting lets the field do.
_EXTERNAL_NEEDS_SETTING = {
    model.ForbiddenContract: "forbid it",
    model.IndependenceContract: "name it",
    model.ProtectedContract: "name it",
}


def _suggest(name: str, modules: Collection[str]) -> str:
    import difflib  # only for a wrong name: not on every check

    close = difflib.get_close_matches(name, sorted(modules), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _problem(contract: model.Contract, field: str, message: str) -> ConfigProblem:
    return ConfigProblem(
        contract.origin.file,
        message,
        contract.origin.line_of(field),
        f"contract '{contract.id}'",
        field,
    )


def _expression_problems(
    contract: model.Contract,
    field: str,
    expression: ModuleExpression,
    modules: Collection[str],
    settings: model.Settings,
) -> Iterator[ConfigProblem]:
    internal = any(
        is_in_package(expression.text.split(".*")[0], root) for root in settings.root_packages
    )
    if not internal:
        if (type(contract), field) not in _EXTERNAL_ALLOWED:
            roots = ", ".join(settings.root_packages)
            yield _problem(
                contract,
                field,
                f"'{expression}' is not in the project (its root packages are: {roots})",
            )
        elif type(contract) in _EXTERNAL_NEEDS_SETTING and not settings.include_external_packages:
            yield _problem(
                contract,
                field,
                f"'{expression}' is an external package: set include_external_packages = true "
                f"in [tool.archlint] to {_EXTERNAL_NEEDS_SETTING[type(contract)]}",
            )
        elif "." in expression.text and type(contract) in _EXTERNAL_NEEDS_SETTING:
            # grimp keeps an external package as one module, named by its top-level package.
            yield _problem(
                contract,
                field,
                f"'{expression}' is inside an external package: name the package "
                f"'{expression.text.split('.')[0]}' (import-linter sees no deeper)",
            )
        return
    if expression.has_wildcard:
        if not any(expression.matches(m) for m in modules):
            yield _problem(contract, field, f"'{expression}' matches no module of the project")
    elif expression.text not in modules:
        yield _problem(
            contract,
            field,
            f"module '{expression}' is not in the project{_suggest(expression.text, modules)}",
        )


def _matching(expressions: Iterable[ModuleExpression], modules: Collection[str]) -> list[str]:
    """The modules the expressions name, sorted; only a wildcard lists ``modules``."""
    found: set[str] = set()
    for expression in expressions:
        if expression.has_wildcard:
            found.update(m for m in modules if expression.matches(m))
        elif expression.text in modules:
            found.add(expression.text)
    return sorted(found)


def _layer_problems(
    contract: model.LayersContract, modules: Collection[str]
) -> Iterator[ConfigProblem]:
    containers = _matching(contract.containers, modules) if contract.containers else [""]
    for container in containers:
        for layer in contract.layers:
            for module in layer.modules:
                full = f"{container}.{module.name}" if container else module.name
                if not module.optional and full not in modules:
                    where = f" in container '{container}'" if container else ""
                    yield _problem(
                        contract,
                        "layers",
                        f"layer '{module.name}'{where}: module '{full}' is not in the project"
                        f"{_suggest(full, modules)} (write '({module.name})' if it may be "
                        "missing)",
                    )


def unknown_modules(project: model.Project, modules: Collection[str]) -> list[ConfigProblem]:
    """Every place a contract names a module the project does not have.

    ``modules`` holds every module and package name of the project (namespace packages too).
    """
    problems: list[ConfigProblem] = []
    for contract in project.contracts:
        for field in _MODULE_FIELDS[type(contract)]:
            for expression in getattr(contract, field):
                problems.extend(
                    _expression_problems(contract, field, expression, modules, project.settings)
                )
        if isinstance(contract, model.LayersContract):
            problems.extend(_layer_problems(contract, modules))
    return problems


def unresolved_reason(
    new: str,
    settings: model.Settings,
    exists: Callable[[str], bool],
    defines: Callable[[str, str], bool | None],
) -> str | None:
    """Why a deprecation's ``new`` would not import yet, or None when it resolves.

    ``new`` resolves when it is a module of the project (``exists``), or a name that its
    module defines, imports or re-exports (``defines(module, name)``: True, False, or None
    when that cannot be known statically, which counts as resolving). A ``new`` outside the
    project's root packages is not checked: it resolves.
    """
    if exists(new) or not any(is_in_package(new, root) for root in settings.root_packages):
        return None
    module, _, name = new.rpartition(".")
    if module and exists(module):
        if defines(module, name) is not False:
            return None
        return f"'{name}' is not defined, imported or re-exported in module '{module}'"
    return "neither a module of the project nor a name in one"


def unresolved_replacements(
    project: model.Project,
    modules: Collection[str],
    defines: Callable[[str, str], bool | None],
) -> list[ConfigProblem]:
    """Every deprecation whose ``new`` would not import yet (see :func:`unresolved_reason`).

    With ``unresolved_new = "warning"`` (the default) each is a planned move, worded as one
    (``planned: 'NEW' does not exist yet``) for ``archlint check`` to show as a warning;
    with ``"error"`` it is worded as the configuration error it then is.

    When ``new`` is deprecated in turn, the end of its chain is what is suggested, and what
    is checked: a chain whose end does not resolve is planned too.
    """
    problems = []
    planned = project.settings.unresolved_new is model.UnresolvedNew.WARNING
    index = DeprecationIndex(project.deprecations)
    for entry in project.deprecations:
        if entry.new is None:
            continue
        # What is suggested is the end of the chain when ``new`` is deprecated in turn.
        match = index.lookup(entry.new)
        new = match.new_path if match is not None else entry.new
        if new is None:
            continue
        reason = unresolved_reason(new, project.settings, modules.__contains__, defines)
        if reason is None:
            continue
        in_module = new.rpartition(".")[0] in modules
        suggestion = "" if in_module else _suggest(new, modules)
        chained = new != entry.new
        via = f"'{entry.new}' is deprecated in favour of '{new}'"
        if planned:
            message = f"planned: '{new}' does not exist yet{suggestion}"
            if chained:
                message += f" ({via})"
        elif chained:
            message = f"{via}, which does not resolve: {reason}{suggestion}"
        else:
            message = f"'{new}' does not resolve: {reason}{suggestion}"
        problems.append(
            ConfigProblem(
                entry.origin.file,
                message,
                entry.origin.line_of("new"),
                f"deprecation '{entry.old}'",
                "new",
            )
        )
    return problems
