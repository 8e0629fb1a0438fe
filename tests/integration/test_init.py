"""``archlint init``: starter contracts inferred from the imports, which hold on the code they
come from and catch the next import that breaks them."""

from __future__ import annotations

import shutil
from pathlib import Path

from archlint.config import toml

from ..helpers import make_project, write_tree
from .test_contract_types import cli, module, text_verdicts

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "bot_v2"


def test_bot_v2_without_contracts(tmp_path: Path) -> None:
    project = tmp_path / "bot_v2"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns(".archlint_cache"))
    shutil.rmtree(project / "contracts")
    proc = cli(["archlint", "init"], cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "archlint check: 4 of 4 inferred contracts kept." in proc.stdout
    written = toml.loads((project / "contracts/inferred.toml").read_text(encoding="utf-8"))
    for contract in written["contracts"]:
        assert contract["why"].startswith("Inferred by `archlint init`")
        assert "ignore_imports" not in contract
    check = cli(["archlint", "check", "--no-cache"], cwd=project)
    assert check.returncode == 0, check.stdout
    assert set(text_verdicts(check.stdout).values()) == {True}

    # One new import from a lower layer up to the top one: exactly that break.
    formatting = project / "src/bot_v2/shared/formatting.py"
    lines = formatting.read_text(encoding="utf-8").count("\n")
    with formatting.open("a", encoding="utf-8") as f:
        f.write("import bot_v2.cli\n")
    check = cli(["archlint", "check", "--no-cache"], cwd=project)
    assert check.returncode == 1
    verdicts = text_verdicts(check.stdout)
    assert [cid for cid, kept in verdicts.items() if not kept] == ["bot_v2-layers"]
    chains = [line.strip() for line in check.stdout.splitlines() if line.strip().startswith("- ")]
    assert chains == [
        f"- bot_v2.shared.formatting -> bot_v2.cli (l.{lines + 1})"
        f"  src/bot_v2/shared/formatting.py:{lines + 1}"
    ]
    assert "bot_v2.shared is not allowed to import bot_v2.cli:" in check.stdout


#: app on top; svc_a and svc_b side by side below it; core at the bottom; left and right import
#: each other (one ':' layer); feat's parts stand alone; tangle has a cycle inside.
CODE = {
    "src/pkg/__init__.py": "",
    "src/pkg/app.py": module("import pkg.svc_a.s", "import pkg.svc_b.s", "import pkg.left.l"),
    "src/pkg/svc_a/__init__.py": "",
    "src/pkg/svc_a/s.py": module("import pkg.core.c"),
    "src/pkg/svc_b/__init__.py": "",
    "src/pkg/svc_b/s.py": module("import pkg.core.c", "import pkg.feat.one.m"),
    "src/pkg/left/__init__.py": "",
    "src/pkg/left/l.py": module("import pkg.right.r"),
    "src/pkg/right/__init__.py": "",
    "src/pkg/right/r.py": module("def f():", "    import pkg.left.l"),
    "src/pkg/feat/__init__.py": "",
    "src/pkg/feat/one/__init__.py": "",
    "src/pkg/feat/one/m.py": module("import pkg.core.c"),
    "src/pkg/feat/two/__init__.py": "",
    "src/pkg/feat/two/m.py": module("import pkg.core.c"),
    "src/pkg/core/__init__.py": "",
    "src/pkg/core/c.py": module(),
    "src/pkg/core/tangle/__init__.py": "",
    "src/pkg/core/tangle/a.py": module("import pkg.core.tangle.b"),
    "src/pkg/core/tangle/b.py": module("import pkg.core.tangle.a"),
}


def test_layers_independence_and_acyclic_inferred(tmp_path: Path) -> None:
    project = write_tree(tmp_path, CODE)
    (project / "pyproject.toml").write_text('[project]\nname = "demo"\n', encoding="utf-8")
    proc = cli(["archlint", "init"], cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("Wrote pyproject.toml: [tool.archlint] root_packages = pkg\n")
    pyproject = (project / "pyproject.toml").read_text(encoding="utf-8")
    assert pyproject.startswith('[project]\nname = "demo"\n\n[tool.archlint]\n')
    written = toml.loads((project / "contracts/inferred.toml").read_text(encoding="utf-8"))
    contracts = {c["id"]: c for c in written["contracts"]}
    # Each child's level is the longest path below it; one level is one '|' layer, and the
    # two that import each other share a ':' layer of their own.
    assert contracts["pkg-layers"]["layers"] == [
        "app",
        "svc_b",
        "feat | svc_a",
        "core",
        "left : right",
    ]
    assert contracts["pkg-feat-independent"]["modules"] == ["pkg.feat.*"]
    acyclic = [c["packages"] for c in contracts.values() if c["type"] == "acyclic"]
    # pkg and pkg.core hold cycles today (left <-> right, tangle.a <-> tangle.b): their
    # cycle-free packages of two modules or more are named instead (core.tangle is not).
    assert acyclic == [["pkg.feat"], ["pkg.left"], ["pkg.right"], ["pkg.svc_a"], ["pkg.svc_b"]]
    assert "left, right import each other today" in proc.stdout
    check = cli(["archlint", "check", "--no-cache"], cwd=project)
    assert check.returncode == 0, check.stdout + check.stderr

    # feat.two reaching into feat.one breaks independence, and only that.
    (project / "src/pkg/feat/two/m.py").write_text(module("import pkg.feat.one.m"))
    check = cli(["archlint", "check", "--no-cache"], cwd=project)
    broken = [cid for cid, kept in text_verdicts(check.stdout).items() if not kept]
    assert broken == ["pkg-feat-independent"], check.stdout


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    project = make_project(tmp_path, CODE)
    assert cli(["archlint", "init"], cwd=project).returncode == 0
    target = project / "contracts/inferred.toml"
    target.write_text("# mine\n", encoding="utf-8")
    again = cli(["archlint", "init"], cwd=project)
    assert again.returncode == 2
    assert again.stderr == (
        "error: contracts/inferred.toml exists: nothing written (--force overwrites it)\n"
    )
    assert target.read_text(encoding="utf-8") == "# mine\n"
    forced = cli(["archlint", "init", "--force"], cwd=project)
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert "[[contracts]]" in target.read_text(encoding="utf-8")


def test_no_package_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\n', encoding="utf-8")
    proc = cli(["archlint", "init"], cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: no package found in ")
    assert len(proc.stderr.splitlines()) == 1
    assert not (tmp_path / "contracts").exists()
