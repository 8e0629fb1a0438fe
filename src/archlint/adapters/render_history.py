"""``archlint report --history`` as text, Markdown, JSON, CSV, or a section of the HTML page.

One row per commit, oldest first: deprecated references left, contract breaks, cycle tangles
and mutual pairs, then (text and Markdown) a table per deprecated path and per contract with
the first and last commit's numbers. JSON and CSV carry every number: per old path, per
contract, and modules and lines per package.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from html import escape

from archlint.application.history import CommitFigures, History

from .render_report import format_change
from .svg_draw import Series, line_chart

MISSING = "—"


def _n(value: int | None) -> str:
    return MISSING if value is None else f"{value:,}"


def _short(figures: CommitFigures) -> str:
    return figures.commit.sha[:10]


def _day(figures: CommitFigures) -> str:
    return figures.commit.date[:10]


def _main_rows(history: History) -> tuple[list[str], list[list[str]]]:
    header = ["Commit", "Date", "Deprecated refs", "Contract breaks", "Tangles", "Mutual pairs"]
    rows = [
        [
            _short(f),
            _day(f),
            _n(f.deprecated_total if f.problem is None or f.deprecated else None),
            _n(f.breaks_total),
            _n(f.tangles if f.packages else None),
            _n(f.mutual_pairs if f.packages else None),
        ]
        for f in history.commits
    ]
    return header, rows


def _first_last(
    history: History, keys: Sequence[str], get: Callable[[CommitFigures, str], int | None]
) -> list[list[str]]:
    first, last = history.commits[0], history.commits[-1]
    rows = []
    for key in keys:
        before, after = get(first, key), get(last, key)
        rows.append([key, _n(before), _n(after), format_change(before, after)])
    return rows


def _deprecated(f: CommitFigures, key: str) -> int | None:
    return f.deprecated.get(key)


def _breaks(f: CommitFigures, key: str) -> int | None:
    return None if f.breaks is None else f.breaks.get(key)


def _title(history: History) -> str:
    every = f", every {history.every}th" if history.every > 1 else ""
    count = len(history.commits)
    return (
        f"archlint report --history {history.rev_range}: {count} commit"
        f"{'s' if count != 1 else ''}{every}, {history.root}"
    )


def _problems(history: History) -> list[str]:
    return [f"{_short(f)}: {f.problem}" for f in history.commits if f.problem]


def _text_table(
    header: Sequence[str], rows: Sequence[Sequence[str]], left: frozenset[int] = frozenset({0})
) -> list[str]:
    """Aligned columns: those in ``left`` to the left, numbers to the right."""
    widths = [len(h) for h in header]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return (
            "  "
            + "  ".join(
                c.ljust(w) if i in left else c.rjust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            ).rstrip()
        )

    return [line(header), *(line(r) for r in rows)]


def render_text(history: History) -> str:
    """The commits' table, then per deprecated path and per contract: first, last, change."""
    header, rows = _main_rows(history)
    for row, figures in zip(rows, history.commits, strict=True):
        row.append(figures.commit.subject[:50])
    header = [*header, "Subject"]
    out = [_title(history), "", *_text_table(header, rows, frozenset({0, 1, len(header) - 1}))]
    first_last = ["", "First", "Last", "Change"]
    if keys := history.keys("deprecated"):
        out += ["", "Deprecated references, by old path"]
        out += _text_table(["Old path", *first_last[1:]], _first_last(history, keys, _deprecated))
    if keys := history.keys("breaks"):
        out += ["", "Contract breaks, by contract"]
        out += _text_table(["Contract", *first_last[1:]], _first_last(history, keys, _breaks))
    if problems := _problems(history):
        out += ["", *problems]
    return "\n".join(out) + "\n"


def _md(cells: Sequence[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    return [_md(header), "|---|" + "---:|" * (len(header) - 1), *(_md(r) for r in rows)]


def render_markdown(history: History) -> str:
    """The same tables as the text, as GitHub tables."""
    header, rows = _main_rows(history)
    rows = [[f"`{r[0]}`", *r[1:]] for r in rows]
    out = [f"## {_title(history)}", "", *_md_table(header, rows)]
    if keys := history.keys("deprecated"):
        out += ["", "### Deprecated references, by old path", ""]
        table = _first_last(history, keys, _deprecated)
        out += _md_table(
            ["Old path", "First", "Last", "Change"], [[f"`{r[0]}`", *r[1:]] for r in table]
        )
    if keys := history.keys("breaks"):
        out += ["", "### Contract breaks, by contract", ""]
        out += _md_table(
            ["Contract", "First", "Last", "Change"], _first_last(history, keys, _breaks)
        )
    if problems := _problems(history):
        out += ["", *(f"- {p}" for p in problems)]
    return "\n".join(out) + "\n"


def _json_commit(f: CommitFigures) -> dict[str, object]:
    return {
        "commit": f.commit.sha,
        "date": f.commit.date,
        "subject": f.commit.subject,
        "deprecated_references": f.deprecated_total,
        "deprecated": dict(f.deprecated),
        "contract_breaks": f.breaks_total,
        "breaks": None if f.breaks is None else dict(f.breaks),
        "cycle_tangles": f.tangles,
        "mutual_pairs": f.mutual_pairs,
        "packages": {k: {"modules": m, "lines": n} for k, (m, n) in f.packages.items()},
        "files_parsed": f.parsed,
        "problem": f.problem,
    }


def render_json(history: History) -> str:
    """Every number of every commit."""
    data = {
        "root": str(history.root),
        "range": history.rev_range,
        "every": history.every,
        "commits": [_json_commit(f) for f in history.commits],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_csv(history: History) -> str:
    """One row per commit; a column per figure, per old path, per contract and per package."""
    olds, ids, packages = (history.keys(k) for k in ("deprecated", "breaks", "packages"))
    header = ["commit", "date", "subject", "deprecated_references", "contract_breaks"]
    header += ["cycle_tangles", "mutual_pairs"]
    header += [f"deprecated:{o}" for o in olds] + [f"breaks:{i}" for i in ids]
    header += [f"modules:{p}" for p in packages] + [f"lines:{p}" for p in packages]
    header += ["problem"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)

    def cell(value: int | None) -> str:
        return "" if value is None else str(value)

    for f in history.commits:
        row = [f.commit.sha, f.commit.date, f.commit.subject, str(f.deprecated_total)]
        row += [cell(f.breaks_total), str(f.tangles), str(f.mutual_pairs)]
        row += [cell(f.deprecated.get(o)) for o in olds]
        row += [cell(_breaks(f, i)) for i in ids]
        row += [cell(f.packages[p][0] if p in f.packages else None) for p in packages]
        row += [cell(f.packages[p][1] if p in f.packages else None) for p in packages]
        row.append(f.problem or "")
        writer.writerow(row)
    return buffer.getvalue()


def render_html_section(history: History) -> str:
    """The burndown chart (references, breaks, tangles over the commits) and the table."""
    commits = history.commits
    chart = line_chart(
        [
            Series("deprecated refs", "#ef6c00", tuple(f.deprecated_total for f in commits)),
            Series("contract breaks", "#c62828", tuple(f.breaks_total for f in commits)),
            Series("cycle tangles", "#6a1b9a", tuple(f.tangles for f in commits)),
            Series("mutual pairs", "#1565c0", tuple(f.mutual_pairs for f in commits)),
        ],
        [f.commit.sha[:7] for f in commits],
        [f"{f.commit.sha[:10]} {f.commit.date[:10]} {f.commit.subject[:60]}" for f in commits],
    )
    header, rows = _main_rows(history)
    table = "<table><tr>" + "".join(f"<th>{escape(h)}</th>" for h in [*header, "Subject"])
    table += "</tr>"
    for row, f in zip(rows, commits, strict=True):
        cells = [f'<td class="mono">{escape(row[0])}</td>', f"<td>{escape(row[1])}</td>"]
        cells += [f'<td class="num">{escape(c)}</td>' for c in row[2:]]
        cells.append(f"<td>{escape(f.commit.subject)}</td>")
        table += f"<tr>{''.join(cells)}</tr>"
    table += "</table>"
    problems = "".join(f'<p class="note">{escape(p)}</p>' for p in _problems(history))
    return (
        f'<p>{escape(_title(history))}</p><div class="diagram-box">{chart}</div>{table}{problems}'
    )


def render(history: History, fmt: str) -> str:
    """The history in ``fmt``: text, markdown, json, csv or html (a section of the page)."""
    if fmt == "markdown":
        return render_markdown(history)
    if fmt == "json":
        return render_json(history)
    if fmt == "csv":
        return render_csv(history)
    if fmt == "html":
        return render_html_section(history)
    return render_text(history)
