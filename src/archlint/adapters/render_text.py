"""``archlint check`` for people: each contract, each broken one with its chains and lines."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.domain.results import Chain, CheckReport, ContractResult, Link


def format_lines(link: Link) -> str:
    """``l.7`` or ``l.7, l.9``, with where the import sits when that matters."""
    lines = ", ".join(f"l.{n}" for n in link.line_numbers) or "l.?"
    if link.type_checking:
        lines += ", under TYPE_CHECKING"
    if link.lazy:
        lines += ", in a function"
    return lines


def _link(link: Link) -> str:
    return f"{link.importer} -> {link.imported} ({format_lines(link)})"


def render_chain(chain: Chain) -> Iterator[str]:
    """A chain as import-linter shows one: each import on its own line, the first marked."""
    for position, link in enumerate(chain.links):
        prefix = "- " if position == 0 else "  "
        yield prefix + _link(link)
        if position == 0:
            for extra in chain.extra_firsts:
                yield f"  & {_link(extra)}"
    for extra in chain.extra_lasts:
        yield f"  & {_link(extra)}"


def render_result(result: ContractResult) -> Iterator[str]:
    """One contract: its verdict line and, when broken, why it matters and how it is broken."""
    contract = result.contract
    title = contract.name if contract.name == contract.id else f"{contract.id}: {contract.name}"
    verdict = "KEPT  " if result.kept else "BROKEN"
    extra = []
    if result.ignored_import_count:
        extra.append(f"{result.ignored_import_count} ignored imports")
    if result.baselined:
        extra.append(f"{result.baselined} known in the baseline")
    if result.warnings:
        extra.append(f"{len(result.warnings)} warnings")
    suffix = f" ({', '.join(extra)})" if extra else ""
    yield f"{verdict} {title} [{contract.type_name}]{suffix}"
    for warning in result.warnings:
        yield f"    warning: {warning}"
    if result.kept:
        return
    yield f"    defined at {contract.origin}"
    if contract.why:
        for line in contract.why.strip().splitlines():
            yield f"    why: {line.strip()}"
    for violation in result.violations:
        yield ""
        yield f"    {violation.summary}:"
        for chain in violation.chains:
            for line in render_chain(chain):
                yield f"      {line}"
    if result.notes:
        yield ""
        for note in result.notes:
            yield f"    {note}"
    yield ""


def render_report(report: CheckReport) -> str:
    """The whole report, ending with the summary line."""
    out: list[str] = [
        f"Analyzed {report.module_count} modules, {report.import_count} imports.",
        "",
    ]
    for result in report.results:
        out.extend(render_result(result))
    for problem in report.problems:
        out.append(f"error: {problem}")
    kept, broken = len(report.kept), len(report.broken)
    total = len(report.results)
    summary = f"{total} contract{'s' if total != 1 else ''}: {kept} kept, {broken} broken"
    if report.problems:
        summary += f"; {len(report.problems)} other problem(s)"
    out.append(summary + ".")
    return "\n".join(out) + "\n"
