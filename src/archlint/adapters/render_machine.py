"""``archlint check`` for machines: JSON, SARIF 2.1.0 (code scanning) and GitHub annotations."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from archlint import __version__
from archlint.application.project import OpenProject
from archlint.domain.codes import CODES
from archlint.domain.results import Chain, CheckReport, ContractResult, Link, Violation

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _link(link: Link) -> dict[str, Any]:
    return {
        "importer": link.importer,
        "imported": link.imported,
        "line_numbers": list(link.line_numbers),
        "lazy": link.lazy,
        "type_checking": link.type_checking,
    }


def _result_json(result: ContractResult) -> dict[str, Any]:
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
                "chains": [[_link(link) for link in chain.links] for chain in v.chains],
            }
            for v in result.violations
        ],
        "notes": list(result.notes),
        "warnings": list(result.warnings),
        "ignored_import_count": result.ignored_import_count,
        "baselined": result.baselined,
    }


def to_json(report: CheckReport) -> str:
    """The report as one JSON document."""
    document = {
        "archlint": __version__,
        "summary": {
            "contracts": len(report.results),
            "kept": len(report.kept),
            "broken": len(report.broken),
            "modules": report.module_count,
            "imports": report.import_count,
        },
        "contracts": [_result_json(r) for r in report.results],
        "problems": [str(p) for p in report.problems],
    }
    return json.dumps(document, indent=2) + "\n"


def _chain_text(chain: Chain) -> str:
    return " -> ".join(chain.modules)


def _findings(
    report: CheckReport, opened: OpenProject
) -> Iterator[tuple[ContractResult, Violation, Chain, Path | None, int | None]]:
    """Each broken chain with the file and line of its first import."""
    for result in report.broken:
        for violation in result.violations:
            for chain in violation.chains or (Chain(()),):
                first = chain.links[0] if chain.links else None
                path = opened.inventory.file_of(first.importer) if first else None
                line = first.line_numbers[0] if first and first.line_numbers else None
                yield result, violation, chain, path, line


def _message(result: ContractResult, violation: Violation, chain: Chain) -> str:
    text = f"contract '{result.contract.id}' broken: {violation.summary}"
    if len(chain.links) > 1:
        text += f" (chain: {_chain_text(chain)})"
    if result.contract.why:
        text += f". Why: {' '.join(result.contract.why.split())}"
    return text


def to_sarif(report: CheckReport, opened: OpenProject) -> str:
    """The report as SARIF 2.1.0, one result per broken chain, located at its first import."""
    codes = sorted({r.contract.code or "ARC100" for r in report.results} & set(CODES))
    rules = [
        {
            "id": code,
            "name": CODES[code].slug,
            "shortDescription": {"text": CODES[code].summary},
            "fullDescription": {"text": CODES[code].what},
            "help": {"text": CODES[code].fix},
        }
        for code in codes
    ]
    results = []
    for result, violation, chain, path, line in _findings(report, opened):
        entry: dict[str, Any] = {
            "ruleId": result.contract.code or "ARC100",
            "level": "error",
            "message": {"text": _message(result, violation, chain)},
        }
        if path is not None:
            region = {"startLine": line} if line else {}
            entry["locations"] = [
                {
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": path.relative_to(opened.root).as_posix(),
                            "uriBaseId": "%SRCROOT%",
                        },
                        **({"region": region} if region else {}),
                    }
                }
            ]
        results.append(entry)
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "archlint", "version": __version__, "rules": rules}},
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


def to_github(report: CheckReport, opened: OpenProject) -> str:
    """GitHub Actions workflow commands: one ``::error`` annotation per broken chain."""
    out = []
    for result, violation, chain, path, line in _findings(report, opened):
        props = [f"title={_escape('archlint ' + result.contract.id, prop=True)}"]
        if path is not None:
            props.insert(0, f"file={_escape(os.path.relpath(path), prop=True)}")
            if line:
                props.insert(1, f"line={line}")
        out.append(f"::error {','.join(props)}::{_escape(_message(result, violation, chain))}")
    for problem in report.problems:
        out.append(f"::error title=archlint::{_escape(str(problem))}")
    kept, broken = len(report.kept), len(report.broken)
    out.append(f"{len(report.results)} contracts: {kept} kept, {broken} broken.")
    return "\n".join(out) + "\n"


def render(report: CheckReport, fmt: str, opened: OpenProject) -> str:
    """The report in ``fmt``: ``json``, ``sarif`` or ``github``."""
    if fmt == "json":
        return to_json(report)
    if fmt == "sarif":
        return to_sarif(report, opened)
    if fmt == "github":
        return to_github(report, opened)
    raise ValueError(f"unknown format {fmt!r}")
