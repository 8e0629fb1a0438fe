"""``archlint move`` through the real executables (``archlint``, ``git``, ``python``)."""

from __future__ import annotations

import json
import os
import py_compile
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from archlint.config import toml
from tests.helpers import make_project, python_import, run

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "bot_v2"


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".archlint_cache" not in p.parts and ".git" not in p.parts
    }


def git(root: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    done = subprocess.run(
        ["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


CYCLE = {
    "contracts/rules.toml": """
        [[contracts]]
        id = "pkg-siblings"
        type = "acyclic_siblings"
        ancestors = ["pkg"]
    """,
    "src/pkg/__init__.py": "",
    "src/pkg/a/__init__.py": "",
    "src/pkg/a/y.py": "Y = 1\n",
    "src/pkg/b/__init__.py": "",
    "src/pkg/b/x.py": "from pkg.a.y import Y\n",
    "src/pkg/c.py": "from pkg.b.x import Y\n\nZ = Y + 1\n",
    "src/pkg/user.py": "from pkg.c import Z\n",
}


def test_dry_run_names_the_cycle_and_writes_nothing(tmp_path: Path) -> None:
    root = make_project(tmp_path, CYCLE)
    before = tree_bytes(root)
    result = run(["archlint", "move", "pkg.c", "pkg.a.c", "--dry-run"], cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "Cycles it creates (1):\n  pkg.a -> pkg.b -> pkg.a\n" in out
    assert "  pkg-siblings: kept -> BROKEN  (breaks)\n" in out
    assert "  src/pkg/user.py:1:1: ARC001 -> from pkg.a.c import Z\n" in out
    assert out.endswith("Dry run: nothing was written.\n")
    assert tree_bytes(root) == before


def test_move_in_git_keeps_history_and_undoes_nothing_needed(tmp_path: Path) -> None:
    files = {
        "contracts/rules.toml": (
            '[[contracts]]\nid = "acyclic"\ntype = "acyclic"\npackages = ["pkg"]\n'
        ),
        "src/pkg/__init__.py": "",
        "src/pkg/old/__init__.py": "",
        "src/pkg/old/mod.py": (
            "from .helpers import h\n\n\n"
            + "".join(f"def f{i}(x):\n    return h(x) + {i}\n\n\n" for i in range(20))
        ),
        "src/pkg/old/helpers.py": "def h(x):\n    return x\n",
        "src/pkg/user.py": (
            "import importlib\n\nfrom pkg.old import mod\n\n"
            'M = importlib.import_module("pkg.old.mod")\n'
        ),
    }
    root = make_project(tmp_path, files)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "first")
    result = run(["archlint", "move", "pkg.old.mod", "pkg.new.mod", "--why", "split"], cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Done (git mv): pkg.old.mod -> pkg.new.mod" in result.stdout
    moved = (root / "src/pkg/new/mod.py").read_text()
    assert moved.startswith("from pkg.old.helpers import h\n")  # stayed behind: absolute
    assert (root / "src/pkg/new/__init__.py").exists()
    shim = (root / "src/pkg/old/mod.py").read_text()
    assert "from pkg.new.mod import (" in shim and "DeprecationWarning" in shim
    user = (root / "src/pkg/user.py").read_text()
    assert "from pkg.new import mod\n" in user and '"pkg.new.mod"' in user
    deprecations = (root / "contracts/deprecations.toml").read_text()
    assert 'old = "pkg.old.mod"\nnew = "pkg.new.mod"\nsince = ' in deprecations
    assert 'why = "split"' in deprecations
    assert python_import(root, "pkg.user").returncode == 0
    git(root, "add", "-A")
    git(root, "commit", "-qm", "move")
    log = git(root, "log", "--follow", "--format=%s", "--", "src/pkg/new/mod.py")
    assert log.split() == ["move", "first"]


def test_failed_move_leaves_the_tree_as_it_was(tmp_path: Path) -> None:
    root = make_project(tmp_path, CYCLE)
    before = tree_bytes(root)
    for args in (
        ["pkg.nothing", "pkg.x"],
        ["pkg.c", "pkg.b.x"],
        ["pkg.c", "pkg.c.d"],
        ["pkg", "q"],
    ):
        result = run(["archlint", "move", *args], cwd=root)
        assert result.returncode == 2, result.stdout
        assert "Traceback" not in result.stderr
        assert tree_bytes(root) == before
    # A contract file that cannot be written (a folder in its place): the plan, made on a
    # copy, fails with one line, and the project is untouched.
    (root / "contracts/deprecations.toml").mkdir()
    result = run(["archlint", "move", "pkg.c", "pkg.b.c"], cwd=root)
    assert result.returncode == 2, result.stdout
    assert "deprecations.toml: cannot read: it is a folder, not a file" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_bytes(root) == before


def test_error_during_the_real_move_undoes_every_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from archlint.application import move_steps
    from archlint.application.move import MoveError, MoveRequest, move
    from archlint.application.project import open_project

    root = make_project(tmp_path, CYCLE)
    before = tree_bytes(root)
    original = move_steps._append_deprecation

    def failing(opened, request, journal):  # type: ignore[no-untyped-def]
        if journal.root == root.resolve():
            raise OSError(28, "No space left on device", "contracts/deprecations.toml")
        return original(opened, request, journal)

    monkeypatch.setattr(move_steps, "_append_deprecation", failing)
    with pytest.raises(MoveError, match="nothing was changed"):
        move(open_project(root=root), MoveRequest("pkg.c", "pkg.b.c"))
    assert tree_bytes(root) == before
    assert not (root / "src/pkg/b/c.py").exists()


#: The seven extractions of the example's README and deprecations (old, new module, new file).
EXTRACTIONS = [
    ("account_telemetry", "bot_v2.monitoring.telemetry.account_snapshot"),
    ("equity_calculator", "bot_v2.features.live_trade.equity.calculator"),
    ("market_monitor", "bot_v2.features.market_data.monitoring.activity_monitor"),
    ("market_data_service", "bot_v2.features.market_data.service"),
    ("spot_profile_service", "bot_v2.features.live_trade.profiles.service"),
    ("risk_gate_validator", "bot_v2.features.live_trade.risk.gate_validator"),
    ("symbols", "bot_v2.shared.symbol_utils"),  # removed outright: no shim
]

#: New paths written by the code -> the old ones it wrote before the extractions.
REWIND = [
    (
        "from ..service import MarketDataService",
        "from .market_data_service import MarketDataService",
    ),
    ("bot_v2.features.live_trade.equity import", "bot_v2.orchestration.equity_calculator import"),
    ("bot_v2.monitoring.telemetry import", "bot_v2.orchestration.account_telemetry import"),
    ("bot_v2.shared.symbol_utils", "bot_v2.orchestration.symbols"),
    (
        "bot_v2.features.market_data import MarketDataService",
        "bot_v2.orchestration.market_data_service import MarketDataService",
    ),
    (
        "bot_v2.features.market_data import MarketActivityMonitor",
        "bot_v2.orchestration.market_monitor import MarketActivityMonitor",
    ),
    (
        "bot_v2.features.live_trade.risk import RiskGateValidator",
        "bot_v2.orchestration.risk_gate_validator import RiskGateValidator",
    ),
    (
        '"bot_v2.features.market_data.MarketActivityMonitor',
        '"bot_v2.orchestration.market_monitor.MarketActivityMonitor',
    ),
]


def rewound_example(root: Path) -> Path:
    """examples/bot_v2 as it was before the extractions: the seven modules in orchestration,
    no shims, no deprecations, the code importing the old places."""
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".archlint_cache", "__pycache__"))
    src = root / "src"
    for old, new in EXTRACTIONS:
        new_file = src.joinpath(*new.split(".")).with_suffix(".py")
        (src / "bot_v2/orchestration" / f"{old}.py").write_bytes(new_file.read_bytes())
        new_file.unlink()
    shutil.rmtree(src / "bot_v2/features/market_data/monitoring")
    for package in [
        "monitoring/telemetry",
        "features/live_trade/equity",
        "features/live_trade/profiles",
        "features/live_trade/risk",
        "features/market_data",
    ]:
        init = src / "bot_v2" / package / "__init__.py"
        init.write_text(init.read_text().split("\n", 1)[0] + "\n")
    for path in root.rglob("*.py"):
        text = path.read_text()
        for new, old in REWIND:
            text = text.replace(new, old)
        path.write_text(text)
    deprecations = root / "contracts/deprecations.toml"
    header = deprecations.read_text().split("[[deprecations]]", 1)[0]
    deprecations.write_text(header.rstrip("\n") + "\n")
    return root


def every_module(root: Path) -> list[str]:
    src = root / "src"
    names = []
    for path in sorted(src.rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return names


def planned_verdicts(out: str) -> dict[str, bool]:
    section = out.split("Contracts (before -> after):\n", 1)[1].split("Cycles it", 1)[0]
    found = re.findall(r"^  ([a-z0-9-]+): \w+ -> (kept|BROKEN)", section, re.MULTILINE)
    return {cid: verdict == "kept" for cid, verdict in found}


@pytest.mark.slow
def test_the_seven_extractions_of_bot_v2_as_seven_moves(tmp_path: Path) -> None:
    root = rewound_example(tmp_path / "bot_v2")
    for module in every_module(root):
        done = python_import(root, module)
        assert done.returncode == 0, (module, done.stderr)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "before the extractions")
    for old, new in EXTRACTIONS:
        args = ["archlint", "move", f"bot_v2.orchestration.{old}", new, "--why", f"extract {old}"]
        if old == "symbols":
            args.append("--no-shim")
        before = tree_bytes(root)
        dry = run([*args, "--dry-run"], cwd=root)
        assert dry.returncode == 0, dry.stdout + dry.stderr
        assert tree_bytes(root) == before
        planned = planned_verdicts(dry.stdout)
        done = run(args, cwd=root)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "PLANNED" not in done.stdout
        checked = run(["archlint", "check", "--format", "json", "--no-cache"], cwd=root)
        verdicts = {r["id"]: r["kept"] for r in json.loads(checked.stdout)["contracts"]}
        assert verdicts == planned, (old, verdicts, planned)
        git(root, "add", "-A")
        git(root, "commit", "-qm", f"extract {old}")
    src = root / "src"
    orchestration = src / "bot_v2/orchestration"
    for old, new in EXTRACTIONS:
        assert src.joinpath(*new.split(".")).with_suffix(".py").is_file()
        shim = orchestration / f"{old}.py"
        if old == "symbols":
            assert not shim.exists()
        else:
            assert (
                "DeprecationWarning" in shim.read_text()
                and f"from {new} import" in shim.read_text()
            )
        log = git(
            root,
            "log",
            "--follow",
            "--format=%s",
            "--",
            str(src.joinpath(*new.split(".")).with_suffix(".py")),
        )
        assert log.split("\n")[-2] == "before the extractions"
    entries = toml.loads((root / "contracts/deprecations.toml").read_text())["deprecations"]
    assert [(e["old"], e["new"]) for e in entries] == [
        (f"bot_v2.orchestration.{old}", new) for old, new in EXTRACTIONS
    ]
    # No deprecated import or string remains; every module compiles and imports.
    lint = run(["archlint", "lint", "--select", "ARC0"], cwd=root)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    for path in src.rglob("*.py"):
        py_compile.compile(str(path), doraise=True, cfile=str(tmp_path / "c.pyc"))
    for module in every_module(root):
        result = python_import(root, module)
        assert result.returncode == 0, (module, result.stderr)
