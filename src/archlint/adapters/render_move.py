"""What ``archlint move`` prints: the plan, then what was done and the verdicts."""

from __future__ import annotations

from archlint.application.move import MoveOutcome
from archlint.domain.metrics import Figures

_FIGURES = (
    ("modules", "Modules"),
    ("lines", "Lines"),
    ("mutual_pairs", "Mutual imports"),
    ("tangles", "Cycle tangles (SCCs)"),
    ("import_depth", "Import depth"),
)


def _kept(kept: bool) -> str:
    return "kept" if kept else "BROKEN"


def _figure(figures: Figures | None, key: str) -> str:
    return "—" if figures is None else str(figures.as_dict().get(key, "?"))


def render_plan(outcome: MoveOutcome, *, dry_run: bool) -> str:
    """The plan, whole."""
    plan = outcome.plan
    request = plan.request
    lines = [f"Plan: move {request.old} to {request.new}"]
    for old, new in plan.performed.moved:
        lines.append(f"  move   {old} -> {new}")
    for old in plan.performed.shims:
        lines.append(f"  shim   {old} (re-exports its new place, warns DeprecationWarning)")
    if not request.shim:
        lines.append(f"  no shim: {request.old} is removed")
    lines.append(f"  deprecation appended to {plan.performed.contract_file}")
    if plan.performed.relative_imports:
        lines.append(f"  {plan.performed.relative_imports} relative import(s) in the moved code")
    lines.append(f"References to {request.old} ({len(plan.references)}):")
    lines += [f"  {ref}" for ref in plan.references] or ["  none"]
    if plan.hand_fixes:
        lines.append("Left for a hand fix:")
        lines += [f"  {site}" for site in plan.hand_fixes]
    lines.append("Contracts (before -> after):")
    for cid, (kept_before, kept_after) in sorted(plan.contracts.items()):
        change = "" if kept_before == kept_after else ("  (breaks)" if kept_before else "  (fixes)")
        lines.append(f"  {cid}: {_kept(kept_before)} -> {_kept(kept_after)}{change}")
    for title, cycles in (("creates", plan.cycles_created), ("removes", plan.cycles_removed)):
        lines.append(f"Cycles it {title} ({len(cycles)}):")
        lines += [f"  {' -> '.join(cycle)}" for cycle in cycles] or ["  none"]
    if plan.figures:
        lines.append("Figures (before -> after):")
        for package, (before, after) in plan.figures.items():
            lines.append(f"  {package}")
            for key, label in _FIGURES:
                lines.append(f"    {label:<22}{_figure(before, key):>6} -> {_figure(after, key)}")
    if dry_run:
        lines.append("Dry run: nothing was written.")
    return "\n".join(lines) + "\n"


def render_done(outcome: MoveOutcome) -> str:
    """What was done, and the verdicts of ``check`` against the plan's."""
    performed = outcome.performed
    assert performed is not None
    how = "git mv" if performed.by_git else "moved"
    lines = [f"Done ({how}): {outcome.plan.request.old} -> {outcome.plan.request.new}"]
    if performed.fix is not None:
        lines.append(f"  {performed.fix.summary()}")
    lines.append("Verify (check after the move, against the plan):")
    for cid, (_before, planned) in sorted(outcome.plan.contracts.items()):
        got = outcome.verdicts.get(cid)
        mark = "as planned" if got == planned else f"PLANNED {_kept(planned)}"
        lines.append(f"  {cid}: {_kept(bool(got))} ({mark})")
    return "\n".join(lines) + "\n"
