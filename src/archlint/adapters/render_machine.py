"""``archlint check`` for machines: JSON, SARIF 2.1.0 (code scanning) and GitHub annotations."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from archlint import __version__
from archlint.application.gate import Location, Locator
from archlint.application.project import OpenProject
from archlint.domain.codes import CODES
from archlint.domain.results import (
    Chain,
    ContractResult,
    FileFinding,
    GateReport,
    Link,
    Violation,
)
from archlint.domain.wording import counted

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _link(link: Link, locator: Locator) -> dict[str, Any]:
    first = link.line_numbers[0] if link.line_numbers else None
    where = locator.locate(link.importer, link.imported, first)
    return {
        "importer": link.importer,
        "imported": link.imported,
        "path": where.path if where else None,
        "line": where.line if where else None,
        "col": where.col if where else None,
        "line_numbers": list(link.line_numbers),
        "import_time": link.import_time,
        "lazy_lines": list(link.lazy_lines),
        "type_checking_lines": list(link.type_checking_lines),
        "lazy": link.lazy,
        "type_checking": link.type_checking,
    }


def _finding_json(finding: FileFinding) -> dict[str, Any]:
    return {
        "path": finding.path,
        "line": finding.line,
        "col": finding.col,
        "code": finding.code,
        "message": finding.message,
        "contract": finding.contract,
        "fixable": finding.fixable,
    }


def _result_json(result: ContractResult, locator: Locator) -> dict[str, Any]:
    contract = result.contract
    return {
        "id": contract.id,
        "name": contract.name,
        "type": contract.type_name,
        "kept": result.kept,
        "why": contract.why,
        "defined_at": str(contract.origin),
        "violations": [
            {
                "summary": v.summary,
                "importer": v.importer,
                "imported": v.imported,
                "chains": [[_link(link, locator) for link in chain.links] for chain in v.chains],
            }
            for v in result.violations
        ],
        "notes": list(result.notes),
        "warnings": list(result.warnings),
        "ignored_import_count": result.ignored_import_count,
        "baselined": result.baselined,
    }


def to_json(gate: GateReport, locator: Locator) -> str:
    """The report as one JSON document: the contracts, then the per-file findings."""
    report = gate.check
    document = {
        "archlint": __version__,
        "summary": {
            "contracts": len(report.results),
            "kept": len(report.kept),
            "broken": len(report.broken),
            "modules": report.module_count,
            "imports": report.import_count,
            "files": gate.files,
            "findings": len(gate.findings),
            "fixable": sum(1 for f in gate.findings if f.fixable),
            "unreadable": len(gate.unreadable),
        },
        "contracts": [_result_json(r, locator) for r in report.results],
        "findings": [_finding_json(f) for f in gate.findings],
        "problems": [str(p) for p in report.problems],
        "unreadable": list(gate.unreadable),
        "notes": list(gate.notes),
    }
    return json.dumps(document, indent=2) + "\n"


def _chain_text(chain: Chain) -> str:
    return " -> ".join(chain.modules)


def _findings(
    report: GateReport, locator: Locator
) -> Iterator[tuple[ContractResult, Violation, Chain, Location | None]]:
    """Each broken chain with the place of its first import.

    A chain of one import that a per-file finding of the same contract already reports at
    the same place is left out: one break, one annotation.
    """
    direct = {(f.contract, f.path, f.line) for f in report.findings if f.contract}
    for result in report.check.broken:
        for violation in result.violations:
            for chain in violation.chains or (Chain(()),):
                first = chain.links[0] if chain.links else None
                line = first.line_numbers[0] if first and first.line_numbers else None
                where = locator.locate(first.importer, first.imported, line) if first else None
                if (
                    len(chain.links) == 1
                    and where is not None
                    and (result.contract.id, where.path, where.line) in direct
                ):
                    continue
                yield result, violation, chain, where


def _message(result: ContractResult, violation: Violation, chain: Chain) -> str:
    text = f"contract '{result.contract.id}' broken: {violation.summary}"
    if len(chain.links) > 1:
        text += f" (chain: {_chain_text(chain)})"
    return text


def _why(result: ContractResult) -> str:
    why = result.contract.why
    return " ".join(why.split()) if why else ""


def _relative_uri(path: str) -> str:
    """A ``/``-separated relative path as the relative URI reference SARIF requires: every
    byte but unreserved ones and ``/`` percent-encoded, so that a space, ``%``, ``#``, ``?``
    or non-ASCII letter is not read as URI syntax, and a ``:`` in the first segment is not
    read as a scheme (``a:b.py`` would be an absolute URI of scheme ``a``)."""
    return quote(path, safe="/")


def _sarif_location(path: str, line: int | None, col: int | None) -> dict[str, Any]:
    region: dict[str, int] = {}
    if line:
        region["startLine"] = line
        if col:
            region["startColumn"] = col
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": _relative_uri(path), "uriBaseId": "%SRCROOT%"},
            **({"region": region} if region else {}),
        }
    }


def to_sarif(report: GateReport, opened: OpenProject, locator: Locator) -> str:
    """The report as SARIF 2.1.0: one result per broken chain (at its first import) and one
    per per-file finding, each with its file, line and column. A contract's ``why`` is said
    once, in its rule's help, not in every result."""
    rules: dict[str, dict[str, Any]] = {}

    def rule(code: str) -> None:
        if code in CODES and code not in rules:
            entry = CODES[code]
            rules[code] = {
                "id": code,
                "name": entry.slug,
                "shortDescription": {"text": entry.summary},
                "fullDescription": {"text": entry.what},
                "help": {"text": entry.fix},
            }

    results = []
    for result, violation, chain, where in _findings(report, locator):
        code = result.contract.code or "ARC100"
        rule(code)
        entry: dict[str, Any] = {
            "ruleId": code,
            "level": "error",
            "message": {"text": _message(result, violation, chain)},
            "properties": {"contract": result.contract.id, "why": _why(result)},
        }
        if where is not None:
            entry["locations"] = [_sarif_location(where.path, where.line, where.col)]
        results.append(entry)
    for finding in report.findings:
        rule(finding.code)
        level = "warning" if finding.code == "ARC001" else "error"
        item: dict[str, Any] = {
            "ruleId": finding.code,
            "level": level,
            "message": {"text": finding.message},
            "locations": [_sarif_location(finding.path, finding.line, finding.col)],
        }
        if finding.contract:
            item["properties"] = {"contract": finding.contract}
        results.append(item)
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "archlint",
                        "version": __version__,
                        "rules": [rules[c] for c in sorted(rules)],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": opened.root.as_uri() + "/"}},
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2) + "\n"


def _escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def _annotation(
    kind: str, title: str, message: str, path: str | None, line: int | None, col: int | None
) -> str:
    props = []
    if path is not None:
        props.append(f"file={_escape(path, prop=True)}")
        if line:
            props.append(f"line={line}")
            if col:
                props.append(f"col={col}")
    props.append(f"title={_escape(title, prop=True)}")
    return f"::{kind} {','.join(props)}::{_escape(message)}"


#: A file that could not be read, as the report holds it: ``FILE:LINE: why``.
_BAD_FILE = re.compile(r"(.+?):([0-9]+): (.*)", re.DOTALL)


def to_github(report: GateReport, locator: Locator) -> str:
    """GitHub Actions workflow commands: one annotation per broken chain and per finding,
    with file paths from the top of the repository (where GitHub looks for them)."""
    prefix = report.repository_prefix
    out = []
    said_why: set[str] = set()
    for result, violation, chain, where in _findings(report, locator):
        message = _message(result, violation, chain)
        if result.contract.id not in said_why and _why(result):
            said_why.add(result.contract.id)
            message += f". Why: {_why(result)}"
        out.append(
            _annotation(
                "error",
                f"archlint {result.contract.id}",
                message,
                prefix + where.path if where else None,
                where.line if where else None,
                where.col if where else None,
            )
        )
    for finding in report.findings:
        out.append(
            _annotation(
                "warning" if finding.code == "ARC001" else "error",
                f"archlint {finding.code}",
                f"{finding.code} {finding.message}",
                prefix + finding.path,
                finding.line,
                finding.col,
            )
        )
    for problem in report.check.problems:
        out.append(f"::error title=archlint::{_escape(str(problem))}")
    for unreadable in report.unreadable:
        # ``FILE:LINE: why``: annotated on the file, as the findings are.
        bad = _BAD_FILE.fullmatch(unreadable)
        if bad is None:
            out.append(f"::error title=archlint::{_escape(unreadable)}")
        else:
            path, line, why = bad.groups()
            out.append(_annotation("error", "archlint", why, prefix + path, int(line), None))
    check = report.check
    kept, broken = len(check.kept), len(check.broken)
    out.append(
        f"{counted(len(check.results), 'contract')}: {kept} kept, {broken} broken; "
        f"{counted(len(report.findings), 'finding')} over {counted(report.files, 'file')}."
    )
    return "\n".join(out) + "\n"


def render(report: GateReport, fmt: str, opened: OpenProject) -> str:
    """The report in ``fmt``: ``json``, ``sarif`` or ``github``."""
    locator = Locator(opened)
    if fmt == "json":
        return to_json(report, locator)
    if fmt == "sarif":
        return to_sarif(report, opened, locator)
    if fmt == "github":
        return to_github(report, locator)
    raise ValueError(f"unknown format {fmt!r}")
