"""What ``archlint init`` wrote and found, for people."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.application.init import InitResult
from archlint.application.migrate import Comparison, MigrationResult


def _verdict(kept: bool | None) -> str:
    return "none" if kept is None else ("KEPT" if kept else "BROKEN")


def _comparison(comparison: Comparison) -> Iterator[str]:
    contract = comparison.contract
    if comparison.same:
        yield f"  same       {contract.id}: {_verdict(comparison.archlint)} by both"
        return
    yield (
        f"  DIFFERENT  {contract.id}: archlint {_verdict(comparison.archlint)}, "
        f"lint-imports {_verdict(comparison.lint_imports)}"
    )
    for reason in comparison.reasons:
        yield f"             why: {reason}"


def render_migration(result: MigrationResult) -> str:
    """The files written, each contract's new id, then the verdicts side by side."""
    config, migration = result.config, result.migration
    out = [
        f"Read {migration.source_file} ({config.format.upper()}) with import-linter's reader: "
        f"{len(migration.contracts)} contracts."
    ]
    settings = dict(migration.settings)
    roots = ", ".join(settings.get("root_packages", ()))
    where = f", source_roots = {', '.join(result.source_roots)}" if result.source_roots else ""
    out.append(f"Wrote {result.written[0]}: [tool.archlint] (root_packages = {roots}{where})")
    out.append(f"Wrote {result.written[1]}:")
    for contract in migration.contracts:
        if contract.unsupported:
            out.append(f"  (comment)  {contract.source}: not migrated: {contract.unsupported}")
            continue
        out.append(f"  {contract.id:<24} <- {contract.source} ({contract.type})")
        out += [f"             note: {note}" for note in contract.notes]
    out += [f"  note: {note}" for note in migration.settings_notes]
    if result.other_contract_files:
        out.append(f"archlint also reads: {', '.join(result.other_contract_files)}")
    out += [f"warning: {w}" for w in result.warnings]
    run = result.lint_imports
    if run is None:
        return "\n".join(out) + "\n"
    out += [
        "",
        f"Verdicts: archlint check (in-process; it reads files, it never imports the code) and "
        f"`{run.command}`",
        "(lint-imports finds the root packages through Python's import system: for a dotted "
        "root package it imports its parent packages. That is import-linter's behaviour.)",
    ]
    for comparison in result.comparisons:
        out.extend(_comparison(comparison))
    out += [f"  archlint: {p}" for p in result.archlint_problems]
    same = sum(c.same for c in result.comparisons)
    total = len(result.comparisons)
    differ = total - same
    tail = "." if not differ else f"; {differ} differ{'s' if differ == 1 else ''}."
    out.append(f"{same} of {total} contracts: same verdict{tail}")
    return "\n".join(out) + "\n"


def render_init(result: InitResult) -> str:
    """What ``archlint init`` wrote, each contract with its why, and the check's verdict."""
    out = []
    if result.settings_added is not None:
        out.append(f"Wrote pyproject.toml: [tool.archlint] root_packages = "
                   f"{', '.join(result.settings_added)}")  # fmt: skip
    out.append(f"Wrote {result.written[-1]}: {len(result.contracts)} contracts")
    for contract in result.contracts:
        fields = dict(contract.fields)
        out.append(f"  {contract.id} [{fields['type']}]")
        for key in ("layers", "modules", "packages"):
            if key in fields:
                out.append(f"      {key}: {' / '.join(fields[key])}")
        out.append(f"      why: {fields['why']}")
        out += [f"      note: {note}" for note in contract.notes]
    for cid, why in result.dropped:
        out.append(f"  left out {cid}: {why}")
    mine = {c.id for c in result.contracts}
    kept = sum(1 for cid, ok in result.verdicts if cid in mine and ok)
    out.append(f"archlint check: {kept} of {len(mine)} inferred contracts kept.")
    return "\n".join(out) + "\n"
