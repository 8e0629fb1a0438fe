"""The HTML report opened in a real headless Chromium (Debian's ``chromium`` package).

Chromium's own flags drive it: ``--dump-dom`` prints the document after its scripts ran (so
the drill-down table built by the page's script is in it), ``--enable-logging=stderr``
prints every console message (an uncaught error, a refused resource under the page's
Content-Security-Policy) as an ``INFO:CONSOLE`` line, and ``--screenshot`` draws the page.
CI installs chromium (``.ci/run``); where it is missing these tests are skipped.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ..helpers import run
from .test_report_html import EXAMPLE, hostile_project

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
)


def _chromium(page: Path, profile: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            *flags,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def _console(stderr: str) -> list[str]:
    """The page's console messages (errors, CSP refusals, logs)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


def _report(project: Path) -> Path:
    page = project / "report.html"
    done = run(["archlint", "report", "--format", "html", "-o", str(page)], project)
    assert done.returncode == 0, done.stderr
    return page


def test_example_report_renders_in_chromium(tmp_path: Path) -> None:
    project = tmp_path / "bot_v2"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns(".archlint_cache"))
    page = _report(project)
    done = _chromium(page, tmp_path / "profile", "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert _console(done.stderr) == []
    # The contracts, with a chain.
    assert dom.count('<span class="badge broken">BROKEN</span>') == 6
    assert "feature-slices: Feature slices stand alone" in dom
    assert "src/bot_v2/orchestration/perps_bot.py:8" in dom
    # The diagram (Graphviz's or archlint's own drawing).
    diagram = dom.split('<section id="diagram">', 1)[1].split("</section>", 1)[0]
    assert "<svg" in diagram and "bot_v2.features.live_trade" in diagram
    # The drill-down table, built by the page's script.
    assert '<table class="matrix">' in dom and "(all root packages)" in dom
    # The cycles with their breakers, the deprecated sites.
    assert "<b>Tangle 1</b>: 8 modules" in dom
    assert len(re.findall(r'<span class="badge ARC00\d">', dom)) == 16
    assert "src/bot_v2/orchestration/runtime_coordinator.py:30:36" in dom

    shot = tmp_path / "report.png"
    done = _chromium(page, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1300,1700")
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_hostile_texts_stay_text_in_chromium(tmp_path: Path) -> None:
    page = _report(hostile_project(tmp_path / "p"))
    done = _chromium(page, tmp_path / "profile", "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    assert _console(done.stderr) == []
    dom = done.stdout
    # No element was injected: the texts are in the document as text.
    assert "<img" not in dom and "<b onclick" not in dom
    assert dom.count("<script") == 2
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in dom
