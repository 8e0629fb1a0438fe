"""archlint check --baseline: known breaks do not fail the check, new ones do."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ..helpers import run

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "bot_v2"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    target = tmp_path / "bot_v2"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns(".archlint_cache"))
    return target


def test_known_breaks_pass_and_a_new_one_fails(example: Path) -> None:
    written = run(["archlint", "check", "--write-baseline", "baseline.toml"], cwd=example)
    assert written.returncode == 0, written.stdout + written.stderr

    known = run(["archlint", "check", "--baseline", "baseline.toml"], cwd=example)
    assert known.returncode == 0, known.stdout + known.stderr
    assert "6 contracts: 6 kept, 0 broken." in known.stdout
    assert "KEPT   orchestration-no-cycles" in known.stdout
    assert "(7 known in the baseline)" in known.stdout

    # A new break: shared, the bottom layer, reaches up to orchestration.
    types = example / "src" / "bot_v2" / "shared" / "types.py"
    types.write_text(types.read_text() + "\nfrom bot_v2.orchestration import guardrails\n")
    new = run(["archlint", "check", "--baseline", "baseline.toml"], cwd=example)
    assert new.returncode == 1
    assert "Traceback" not in new.stdout + new.stderr
    assert "BROKEN layers" in new.stdout
    assert "bot_v2.shared.types -> bot_v2.orchestration.guardrails" in new.stdout
    # The known layer breaks are not shown again.
    assert "bot_v2.shared.formatting -> bot_v2.features.live_trade.equity" not in new.stdout
    assert "5 contracts" not in new.stdout


def test_an_earlier_json_report_still_knows_its_graph_breaks(example: Path) -> None:
    """A report written by ``check --format json`` knows the contract breaks, and so the
    direct imports that are those breaks (ARC1xx); its deprecations it does not know."""
    written = run(["archlint", "check", "--format", "json"], cwd=example)
    assert written.returncode == 1
    (example / "baseline.json").write_text(written.stdout)
    known = run(["archlint", "check", "--baseline", "baseline.json"], cwd=example)
    assert "6 contracts: 6 kept, 0 broken; 16 findings in 11 files (16 deprecated, 0 direct " in (
        known.stdout
    )
    assert "20 findings known in the baseline." in known.stdout


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "No such file"),
        ("{not json", "Expecting"),
        ('{"contracts": [{}]}', "missing"),
        ('{"contracts": [{"id": "x", "violations": [{"chains": ["ab"]}]}]}', "malformed"),
        ('{"contracts": [{"id": "x", "violations": [{"chains": [[1]]}]}]}', "malformed"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ("[]", "malformed"),
    ],
)
def test_a_bad_baseline_is_an_error(example: Path, content: str | None, reason: str) -> None:
    if content is not None:
        (example / "baseline.json").write_text(content)
    result = run(["archlint", "check", "--baseline", "baseline.json"], cwd=example)
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: baseline.json: not a baseline (")
    assert reason in line
