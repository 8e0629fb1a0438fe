"""``archlint check`` for people: each contract, its chains with clickable places, the per-file
findings, and a summary that says what to do next.

Lines are built as styled segments; :func:`to_plain` joins them, :func:`write_styled` prints
them in colour with rich (imported only then). Places are ``path:line`` or ``path:line:col``,
relative to the project folder, which terminals and editors turn into links.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

from archlint.application.gate import Locator
from archlint.domain.results import (
    Chain,
    CheckReport,
    ContractResult,
    FileFinding,
    GateReport,
    Link,
)
from archlint.domain.wording import counted, plural

#: A line: segments of text, each with a rich style ("" for none).
Line = list[tuple[str, str]]

PLACE = "cyan"
CODE = "bold red"
WARN = "yellow"
DIM = "dim"


@dataclass(frozen=True)
class TextOptions:
    """What the reader asked for."""

    statistics: bool = False
    quiet: bool = False
    #: A baseline judged the report: what is left is new, and recording it is no advice.
    baseline: bool = False


def format_lines(link: Link) -> str:
    """``l.7``, then where the imports sit: ``l.7, under TYPE_CHECKING`` when every one is
    there, else each deferred line on its own (``l.7, l.9, l.9 in a function``)."""
    numbers = link.line_numbers
    text = ", ".join(f"l.{n}" for n in numbers) or "l.?"
    lazy, checking = set(link.lazy_lines), set(link.type_checking_lines)
    if numbers and checking >= set(numbers):
        text += ", under TYPE_CHECKING"
    elif numbers and lazy >= set(numbers):
        text += ", in a function"
    else:
        for n in numbers:
            if n in checking:
                text += f", l.{n} under TYPE_CHECKING"
            elif n in lazy:
                text += f", l.{n} in a function"
        if not link.import_time:
            text += "; none runs at import time"
    return text


def _link(link: Link, locator: Locator | None) -> Line:
    place = locator.file(link.importer) if locator is not None else None
    line: Line = [(f"{link.importer} -> {link.imported} ({format_lines(link)})", "")]
    if place and link.line_numbers:
        line += [("  ", ""), (f"{place}:{link.line_numbers[0]}", PLACE)]
    return line


def render_chain(chain: Chain, locator: Locator | None = None) -> Iterator[Line]:
    """A chain as import-linter shows one: each import on its own line, the first marked."""
    for position, link in enumerate(chain.links):
        prefix = "- " if position == 0 else "  "
        yield [(prefix, ""), *_link(link, locator)]
        if position == 0:
            for extra in chain.extra_firsts:
                yield [("  & ", ""), *_link(extra, locator)]
    for extra in chain.extra_lasts:
        yield [("  & ", ""), *_link(extra, locator)]


def _finding(finding: FileFinding, indent: str = "") -> Line:
    return [
        (indent, ""),
        (f"{finding.path}:{finding.line}:{finding.col}:", PLACE),
        (" ", ""),
        (finding.code, CODE),
        (f" {finding.message}", ""),
    ]


def render_result(
    result: ContractResult,
    direct: list[FileFinding],
    locator: Locator | None,
    shown: dict[tuple[str, ...], str],
) -> Iterator[Line]:
    """One contract: its verdict line and, when broken, why it matters and how it is broken.

    ``shown`` maps each chain already printed (by its modules) to where: a cycle that another
    contract printed is referred to, not printed again.
    """
    contract = result.contract
    title = contract.name if contract.name == contract.id else f"{contract.id}: {contract.name}"
    extra = []
    if result.ignored_import_count:
        extra.append(f"{result.ignored_import_count} ignored imports")
    if result.baselined:
        extra.append(f"{result.baselined} known in the baseline")
    if result.warnings:
        extra.append(f"{len(result.warnings)} warnings")
    suffix = f" ({', '.join(extra)})" if extra else ""
    broken = not result.kept or direct
    verdict = ("BROKEN", "bold red") if broken else ("KEPT  ", "green")
    yield [verdict, (f" {title} [{contract.type_name}]{suffix}", "bold" if broken else "")]
    for warning in result.warnings:
        yield [("    warning: ", WARN), (warning, "")]
    if not broken:
        return
    yield [("    defined at ", DIM), (str(contract.origin), PLACE)]
    if contract.why:
        for line in contract.why.strip().splitlines():
            yield [("    why: ", DIM), (line.strip(), "")]
    for violation in result.violations:
        yield []
        keys = [c.modules for c in violation.chains if c.links]
        earlier = {shown[k] for k in keys if k in shown}
        if keys and all(k in shown for k in keys):
            where = ", ".join(sorted(earlier))
            yield [(f"    {violation.summary}: ", ""), (f"shown above under {where}", DIM)]
            continue
        yield [(f"    {violation.summary}:", "")]
        for chain in violation.chains:
            if chain.links:
                shown.setdefault(chain.modules, f"'{contract.id}'")
            for shown_line in render_chain(chain, locator):
                yield [("      ", ""), *shown_line]
    if result.notes:
        yield []
        for note in result.notes:
            yield [(f"    {note}", "")]
    if direct:
        yield []
        yield [("    direct imports that break it:", "")]
        for finding in direct:
            yield _finding(finding, "      ")
    yield []


def _deprecations(findings: list[FileFinding]) -> Iterator[Line]:
    files = len({f.path for f in findings})
    yield [
        ("DEPRECATED", "bold yellow"),
        (
            f" imports and strings: {counted(len(findings), 'site')} in {counted(files, 'file')}",
            "bold",
        ),
    ]
    for finding in findings:
        yield _finding(finding, "    ")
    yield []


def _statistics(report: GateReport) -> Iterator[Line]:
    yield [("Statistics", "bold")]
    for result in report.check.results:
        chains = sum(len(v.chains) or 1 for v in result.violations)
        direct = sum(1 for f in report.findings if f.contract == result.contract.id)
        yield [
            (f"  {result.contract.id:30} ", ""),
            # Numbers right-aligned, nouns left-aligned: the columns stay put across plurals.
            (f"{chains:>6} {plural(chains, 'break'):<6}  ", ""),
            (f"{direct:>6} {plural(direct, 'direct import')}", ""),
        ]
    counts = Counter(f.code for f in report.findings)
    for code in sorted(counts):
        from archlint.domain.codes import CODES

        slug = CODES[code].slug if code in CODES else ""
        yield [("  ", ""), (code, CODE), (f" {counts[code]:>6}  {slug}", "")]
    yield []


def summary(report: GateReport, *, baseline: bool = False) -> Iterator[Line]:
    """The verdict in one line, then what to do next."""
    check: CheckReport = report.check
    total = len(check.results)
    kept, broken = len(check.kept), len(check.broken)
    text = f"{counted(total, 'contract')}: {kept} kept, {broken} broken"
    findings = report.findings
    deprecated = [f for f in findings if f.code.startswith("ARC0")]
    direct = len(findings) - len(deprecated)
    files = len({f.path for f in findings})
    if findings:
        text += (
            f"; {counted(len(findings), 'finding')} in {counted(files, 'file')} "
            f"({len(deprecated)} deprecated, {counted(direct, 'direct break')})"
        )
    if check.problems:
        text += f"; {counted(len(check.problems), 'other problem')}"
    if report.unreadable:
        text += f"; {counted(len(report.unreadable), 'file')} could not be read"
    style = "bold green" if report.ok and not report.unreadable else "bold red"
    text += "."
    if report.baselined:
        text += f" {counted(report.baselined, 'finding')} known in the baseline."
    yield [(text, style)]
    fixable = sum(1 for f in findings if f.fixable)
    if fixable:
        yield [
            ("Next: ", "bold"),
            ("archlint fix", "bold cyan"),
            (
                f" rewrites the {counted(fixable, 'fixable site')}.",
                "",
            ),
        ]
    if not report.ok and not baseline:
        yield [
            ("To adopt on code that already breaks them: ", DIM),
            ("archlint check --write-baseline", "cyan"),
            (' records them; with [tool.archlint] baseline = "archlint-baseline.toml", ', DIM),
            ("archlint check", "cyan"),
            (" fails on new findings only.", DIM),
        ]


def render_report(
    report: GateReport, locator: Locator | None = None, options: TextOptions | None = None
) -> list[Line]:
    """The whole report, ending with the summary and what to do next."""
    options = options or TextOptions()
    check = report.check
    out: list[Line] = []
    if not options.quiet:
        out.append(
            [
                (
                    f"Analyzed {check.module_count} modules, {check.import_count} imports; "
                    f"{counted(report.files, 'file')} with the per-file rules.",
                    DIM,
                )
            ]
        )
        for note in report.notes:
            out.append([("note: ", WARN), (note, "")])
        out.append([])
        shown: dict[tuple[str, ...], str] = {}
        for result in check.results:
            direct = [f for f in report.findings if f.contract == result.contract.id]
            out.extend(render_result(result, direct, locator, shown))
        known = {r.contract.id for r in check.results}
        orphans = [f for f in report.findings if f.code.startswith("ARC1")]
        orphans = [f for f in orphans if f.contract not in known]
        deprecated = [f for f in report.findings if f.code.startswith("ARC0")]
        if deprecated or orphans:
            out.extend(_deprecations(deprecated + orphans))
        for problem in check.problems:
            out.append([("error: ", CODE), (str(problem), "")])
    if options.statistics:
        out.extend(_statistics(report))
    out.extend(summary(report, baseline=options.baseline))
    return out


def to_plain(lines: list[Line]) -> str:
    """The lines without styles."""
    return "".join("".join(text for text, _ in line) + "\n" for line in lines)


def write_styled(lines: list[Line], out: TextIO) -> None:
    """The lines in colour, with rich."""
    from rich.console import Console
    from rich.text import Text

    console = Console(
        file=out,
        force_terminal=True,
        no_color=False,
        highlight=False,
        soft_wrap=True,
        emoji=False,
        markup=False,
    )
    for line in lines:
        console.print(Text.assemble(*line) if line else "")


def render_check(report: CheckReport) -> str:
    """The graph contracts' report alone, as plain text (no per-file rules were run)."""
    return to_plain(render_report(GateReport(report)))
