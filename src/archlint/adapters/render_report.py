"""``archlint report`` as text (aligned columns), GitHub-flavoured Markdown, or JSON.

One table per package, one row per figure. Comparing, the columns are Before (the ref),
After (the working tree) and Change: the signed difference and its percentage of Before
(``-9 (-22%)``, ``0 (0%)``; ``n/a`` as the percentage when Before is 0; ``—`` throughout when
the package is missing on one side).
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator, Sequence

from archlint.application.report import PackageRow, Report
from archlint.domain.metrics import FIGURE_NAMES, Figures, change

MISSING = "—"

#: The figures' names as a reader sees them.
LABELS: dict[str, str] = {
    "modules": "Modules",
    "lines": "Lines",
    "mutual_pairs": "Mutual imports",
    "tangles": "Cycle tangles (SCCs)",
    "import_depth": "Import depth",
}

#: What each figure counts, printed under the tables.
NOTES = (
    "Modules: .py files other than __init__.py. "
    "Lines: physical lines of every .py file, __init__.py included.",
    "Mutual imports: pairs of modules that import each other. "
    "Cycle tangles: strongly connected components, sets of 2+ modules that all reach each "
    "other through imports. "
    "Import depth: modules on the longest import chain, a tangle counting as one.",
    "Only imports between a package's own modules count for these; imports inside functions "
    "and under `if TYPE_CHECKING:` count too.",
)


def _value(figures: Figures | None, name: str) -> str:
    return MISSING if figures is None else f"{getattr(figures, name):,}"


def format_change(before: int | None, after: int | None) -> str:
    """``-9 (-22%)``, ``+3 (+12%)``, ``0 (0%)``, ``+2 (n/a)`` from 0, ``—`` with a side missing."""
    if before is None or after is None:
        return MISSING
    moved = change(before, after)
    if moved.delta == 0:
        return "0 (0%)"
    if moved.percent is None:
        percent = "n/a"
    elif round(moved.percent) == 0:
        percent = f"{moved.percent:+.1f}%"
    else:
        percent = f"{round(moved.percent):+d}%"
    return f"{moved.delta:+,} ({percent})"


def _cells(row: PackageRow, name: str, comparing: bool) -> list[str]:
    if not comparing:
        return [LABELS[name], _value(row.after, name)]
    before = None if row.before is None else getattr(row.before, name)
    after = None if row.after is None else getattr(row.after, name)
    return [
        LABELS[name],
        _value(row.before, name),
        _value(row.after, name),
        format_change(before, after),
    ]


def _header(comparing: bool) -> list[str]:
    return ["Figure", "Before", "After", "Change"] if comparing else ["Figure", "Value"]


def _title(report: Report) -> str:
    if not report.comparing:
        return f"archlint report: {report.root}"
    ref, commit = report.ref or "", report.commit or ""
    shown = ref if commit.startswith(ref) else f"{ref} ({commit[:12]})"
    return f"archlint report: {shown} -> working tree, {report.root}"


def _config_note(report: Report) -> list[str]:
    if report.comparing and report.ref_used_current_config:
        return [
            f"{report.ref} has no archlint contracts: the working tree's were used for both sides."
        ]
    return []


def render_text(report: Report) -> str:
    """Aligned columns: the package name, then its table indented below it."""
    header = _header(report.comparing)
    tables = [
        (row.package, [_cells(row, name, report.comparing) for name in FIGURE_NAMES])
        for row in report.rows
    ]
    widths = [len(h) for h in header]
    for _, rows in tables:
        for cells in rows:
            widths = [max(w, len(c)) for w, c in zip(widths, cells, strict=True)]

    def line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  " + "  ".join([first, *rest]).rstrip()

    out = [_title(report), ""]
    if not tables:
        out.append("No package to report on.")
    for package, rows in tables:
        out.append(package)
        out.append(line(header))
        out.extend(line(cells) for cells in rows)
        out.append("")
    for note in [*_config_note(report), *NOTES]:
        out.extend(textwrap.wrap(note, 88))
    return "\n".join(out) + "\n"


def _md_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def render_markdown(report: Report) -> str:
    """A heading per package and its table: header, separator, one row per figure."""
    header = _header(report.comparing)
    separator = "|---|" + "---:|" * (len(header) - 1)
    out = [f"## {_title(report)}", ""]
    if not report.rows:
        out += ["No package to report on.", ""]
    for row in report.rows:
        out += [f"### `{row.package}`", "", _md_row(header), separator]
        out += [_md_row(_cells(row, name, report.comparing)) for name in FIGURE_NAMES]
        out.append("")
    out += [*_config_note(report), *(f"- {note}" for note in NOTES)]
    return "\n".join(out) + "\n"


def _json_change(row: PackageRow) -> dict[str, dict[str, float | int | None]] | None:
    if row.before is None or row.after is None:
        return None
    out: dict[str, dict[str, float | int | None]] = {}
    for name in FIGURE_NAMES:
        moved = change(getattr(row.before, name), getattr(row.after, name))
        percent = None if moved.percent is None else round(moved.percent, 1)
        out[name] = {"delta": moved.delta, "percent": percent}
    return out


def _json_packages(report: Report) -> Iterator[dict[str, object]]:
    for row in report.rows:
        if not report.comparing:
            yield {"package": row.package, "figures": row.after.as_dict() if row.after else None}
            continue
        yield {
            "package": row.package,
            "before": row.before.as_dict() if row.before else None,
            "after": row.after.as_dict() if row.after else None,
            "change": _json_change(row),
        }


def render_json(report: Report) -> str:
    """Every number: per package its figures, or before / after / change when comparing."""
    data = {
        "root": str(report.root),
        "compare": (
            {
                "ref": report.ref,
                "commit": report.commit,
                "ref_used_current_config": report.ref_used_current_config,
            }
            if report.comparing
            else None
        ),
        "figures": list(FIGURE_NAMES),
        "packages": list(_json_packages(report)),
        "problems": list(report.problems),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render(report: Report, fmt: str) -> str:
    """The report in ``fmt``: ``text``, ``markdown`` or ``json``."""
    if fmt == "markdown":
        return render_markdown(report)
    if fmt == "json":
        return render_json(report)
    return render_text(report)
