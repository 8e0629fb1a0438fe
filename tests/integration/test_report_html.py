"""``archlint report --format html``: one self-contained page, escaped, on the example and on
hostile input. The real ``archlint`` runs in a subprocess; the page is read as text here (the
headless-browser test is in ``test_report_browser.py``)."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from archlint.adapters.render_html import drilldown_data, script_json
from archlint.domain.metrics import ImportEdge, ModuleGraph, SourceModule

from ..helpers import BIN, make_project, run

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "bot_v2"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    copy = tmp_path / "bot_v2"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns(".archlint_cache"))
    return copy


def _html(project: Path, *extra: str, env: dict[str, str] | None = None) -> str:
    out = project / "report.html"
    done = run(["archlint", "report", "--format", "html", "-o", str(out), *extra], project, env)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    return out.read_text(encoding="utf-8")


def _assert_self_contained(page: str) -> None:
    # No resource from anywhere: no external script, style sheet, font, image or frame.
    assert not re.search(r"<(link|iframe|img|object|embed)\b", page)
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert "@import" not in page and "url(http" not in page
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", page))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}, urls
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_example_page_shows_contracts_diagram_cycles_and_every_deprecated_site(
    example: Path,
) -> None:
    page = _html(example)
    _assert_self_contained(page)
    # Every contract, with its verdict, its why and its chains as file:line.
    for contract in (
        "layers",
        "feature-slices",
        "orchestration-acyclic",
        "orchestration-no-cycles",
        "features-not-bot",
        "builder-entry-only",
    ):
        assert f"<b>{contract}: " in page
    assert page.count('<span class="badge broken">BROKEN</span>') == 6
    assert "Each feature package (live_trade, market_data) must be extractable" in page
    assert (
        "bot_v2.features.live_trade.risk.emergency_stop → bot_v2.orchestration.perps_bot "
        '<span class="loc">(src/bot_v2/features/live_trade/risk/emergency_stop.py:7)</span>'
    ) in page
    # The diagram, its red edges labelled with counts.
    assert '<section id="diagram">' in page and "<svg" in page
    assert "✗ of" in page
    # The cycles: one tangle of 8 modules, with its 7 breakers.
    assert "<b>Tangle 1</b>: 8 modules, 7 mutual imports, 7 imports to cut" in page
    assert "bot_v2.orchestration.perps_bot_builder → bot_v2.orchestration.perps_bot" in page
    # Every site archlint lint reports, at the same place, grouped under its old path.
    lint = run(["archlint", "lint", "--select", "ARC0"], example)
    findings = [line for line in lint.stdout.splitlines() if re.match(r"\S+:\d+:\d+: ARC", line)]
    assert len(findings) == 16
    for line in findings:
        where, code = re.match(r"(\S+:\d+:\d+): (ARC\d+)", line).groups()  # type: ignore[union-attr]
        row = f'<tr><td class="mono">{where}</td><td><span class="badge {code}">'
        assert row in page, line
    assert "16 sites still name 8 deprecated paths" in page
    assert (
        "<code>bot_v2.orchestration.market_data_service</code> → "
        "<code>bot_v2.features.market_data</code> · <b>3</b> sites"
    ) in page
    # The drill-down's data, and the figures table.
    data = json.loads(re.search(r'id="drill-data">(.*?)</script>', page).group(1))  # type: ignore[union-attr]
    assert "bot_v2.orchestration.perps_bot" in data["modules"]
    assert len(data["edges"]) == 3 * 53 and data["start"] == "bot_v2"
    assert "<td><code>bot_v2.orchestration</code></td>" in page


def test_compare_shows_before_after_and_change(example: Path) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t"}
    env["GIT_COMMITTER_EMAIL"] = "t@t"
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "before"]):
        assert run_git(args, example, env) == 0
    (example / "src/bot_v2/orchestration/guardrails.py").unlink()
    page = _html(example, "--compare", "HEAD")
    assert "<th>before</th><th>after</th><th>change</th>" in page
    assert "Before: <code>HEAD</code>" in page
    # bot_v2.orchestration: 14 modules before, 13 after.
    row = re.search(r"<tr><td><code>bot_v2.orchestration</code></td>(.*?)</tr>", page)
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))
    assert cells[:3] == ["14", "13", "-1 (-7%)"]


def run_git(args: list[str], cwd: Path, env: dict[str, str]) -> int:
    import subprocess

    return subprocess.run(
        ["git", *args], cwd=cwd, env={**os.environ, **env}, capture_output=True, check=False
    ).returncode


HOSTILE = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"


def hostile_project(root: Path) -> Path:
    """Contract names, why texts, a deprecation's why and a file name that try to inject
    HTML (module names are identifiers, and strings that name modules are dotted names)."""
    why = HOSTILE.replace('"', "'")
    return make_project(
        root,
        {
            "src/pkg/__init__.py": "",
            "src/pkg/old.py": "X = 1\n",
            "src/pkg/low.py": "import pkg.high\n",
            "src/pkg/high.py": "import pkg.low\nfrom pkg.old import X\n",
            f"tests/test_{'<b onclick=alert(4)>'}.py": ("import os\n\n\nfrom pkg.old import X\n"),
            "contracts/rules.toml": f'''
                [[contracts]]
                id = "layers"
                type = "layers"
                name = "{why}"
                why = "{why}"
                layers = ["pkg.high", "pkg.low"]

                [[contracts]]
                id = "acyclic"
                type = "acyclic"
                packages = ["pkg"]

                [[deprecations]]
                old = "pkg.old"
                new = "pkg.low"
                why = "{why}"
            ''',
        },
    )


def test_hostile_names_and_texts_are_escaped(tmp_path: Path) -> None:
    page = _html(hostile_project(tmp_path / "p"))
    _assert_self_contained(page)
    # Only archlint's own two scripts: the JSON data and the drill-down.
    assert page.count("<script") == 2
    assert "alert(" not in re.sub(
        r"&lt;script&gt;alert\(\d\)|onerror=alert\(2\)|onclick=alert\(4\)", "", page
    )
    assert "<img" not in page and "<b onclick" not in page
    assert html.escape(HOSTILE.replace('"', "'")) in page
    assert '<td class="mono">tests/test_&lt;b onclick=alert(4)&gt;.py:4:1</td>' in page


def test_without_graphviz_the_page_draws_its_own_diagram(example: Path) -> None:
    # PATH holds only the test interpreter's folder: no dot.
    page = _html(example, env={"PATH": str(BIN)})
    assert "Graphviz&#x27;s dot is not installed" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="diagram"' in page
    assert page.count('class="edge broken"') >= 3
    assert ">bot_v2.features.live_trade</text>" in page


def test_script_json_cannot_close_its_script_element() -> None:
    text = script_json({"m": ["</script><!--", "a&b", "\u2028"]})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"m": ["</script><!--", "a&b", "\u2028"]}


def _chain_graph(width: int) -> ModuleGraph:
    names = (
        ["r"]
        + [f"r.p{i}" for i in range(width)]
        + [f"r.p{i}.m{j}" for i in range(width) for j in range(width)]
    )
    modules = {n: SourceModule(n, n.count(".") < 2, 1) for n in names}
    edges = {}
    for i in range(width):
        for j in range(width):
            a, b = f"r.p{i}.m{j}", f"r.p{(i + 1) % width}.m{j}"
            edges[(a, b)] = ImportEdge(a, b)
    return ModuleGraph(modules, edges)


def test_drilldown_merges_modules_into_packages_past_the_cap() -> None:
    graph = _chain_graph(6)  # 36 imports between 36 modules of 6 packages
    full = drilldown_data(graph, {})
    assert full["merged_at"] is None and len(full["edges"]) == 3 * 36  # type: ignore[arg-type]
    capped = drilldown_data(graph, {("r.p0.m0", "r.p1.m0"): frozenset({"c"})}, max_edges=10)
    assert capped["merged_at"] == 2
    # Six package-to-package imports, the one breaking import carried to its packages.
    names = capped["modules"]
    edges = capped["edges"]
    assert isinstance(names, list) and isinstance(edges, list)
    triples = {
        (names[edges[i]], names[edges[i + 1]], edges[i + 2]) for i in range(0, len(edges), 3)
    }
    assert ("r.p0", "r.p1", 1) in triples and ("r.p1", "r.p2", 0) in triples
    assert len(triples) == 6
