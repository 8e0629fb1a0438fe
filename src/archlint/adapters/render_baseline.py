"""What ``archlint check`` says about its baseline: new per-file findings, entries that no
longer occur, and what ``--write-baseline`` wrote."""

from __future__ import annotations

from archlint.application.baseline import Ratchet, Recorded
from archlint.domain.wording import counted


def render_ratchet(ratchet: Ratchet, *, strict: bool) -> str:
    """The lines that follow the contracts' report when a baseline is used."""
    lines = []
    # The new findings themselves are in the report above; here, the counts that grew.
    grown = [(key, now, known) for key, (now, known) in sorted(ratchet.grown.items()) if known]
    if grown:
        lines.append("")
        lines.extend(f"{key}: {now} found, {known} in the baseline" for key, now, known in grown)
    if ratchet.new_findings or ratchet.known_findings:
        lines.append(
            f"Per-file findings: {ratchet.new_count} new, "
            f"{ratchet.known_findings} known in the baseline."
        )
    if ratchet.gone:
        lines.append("")
        verdict = "fails with --strict-baseline" if strict else "shrink it"
        entries = (
            "1 baseline entry no longer occurs"
            if ratchet.gone == 1
            else (f"{ratchet.gone} baseline entries no longer occur")
        )
        lines.append(f"{entries} ({verdict}: rewrite it with 'archlint check --write-baseline'):")
        lines.extend(f"  {key}" for key in ratchet.gone_breaks)
        lines.extend(
            f"  {key} ({known} in the baseline, {now} now)"
            for key, known, now in ratchet.gone_findings
        )
    return "\n".join(lines) + "\n" if lines else ""


def render_recorded(recorded: Recorded, shown: str, *, is_default: bool) -> str:
    """What ``--write-baseline`` wrote, and how to use it."""
    lines = [
        f"Wrote {shown}: {counted(recorded.breaks, 'contract break')} and "
        f"{counted(recorded.findings, 'per-file finding')} in {counted(recorded.files, 'file')}."
    ]
    if recorded.unrecordable:
        lines.append(
            f"{counted(recorded.unrecordable, 'problem')} with no import to record "
            "(a contract that cannot be checked as written, a replacement that does not "
            "resolve) still fail: fix them."
        )
    if is_default:
        lines.append("'archlint check' reads it and now fails only on new findings.")
    else:
        lines.append(
            f"Use it with 'archlint check --baseline {shown}', or make it the default in "
            f'pyproject.toml: [tool.archlint] baseline = "{shown}".'
        )
    return "\n".join(lines) + "\n"
