"""archlint's benchmarks: archlint beside the tools a user would pick instead, in one run.

    python benchmarks/run.py [--workdir DIR] [--repeat N] [--only NAME ...]

Real code: Django 5.2.19 from PyPI (885 files, 159k lines), unpacked into the work folder and
given archlint contracts, 1,010 deprecations, and the same rules for ruff (TID251) and
flake8-tidy-imports (I251). Generated code: packages of 5,000 to 50,000 modules for cycle
finding. Every figure is the median of --repeat runs (wall clock, subprocesses started fresh),
measured side by side in this one run; the Markdown printed at the end is what
docs/benchmarks.md records. Nothing here is a test: no figure passes or fails.

Needs: the archlint development install (pip install -e '.[dev]'), network access to PyPI
for the Django wheel and for a second virtual environment holding flake8 without archlint.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import textwrap
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

DJANGO = "django==5.2.19"
BIN = Path(sys.executable).parent

#: Real Django modules imported across Django itself, deprecated here so that scanning finds
#: sites; ``new`` must resolve, so each points at a module that exists.
REAL_OLD = [
    "django.utils.deprecation",
    "django.utils.inspect",
    "django.utils.hashable",
    "django.utils.topological_sort",
    "django.utils.termcolors",
    "django.utils.dateparse",
    "django.utils.regex_helper",
    "django.utils.tree",
    "django.utils.itercompat",
    "django.db.models.sql.constants",
]
#: Django APIs that Django itself removed (so its own code no longer uses them): what a
#: deprecation list usually holds, paths the code is moving away from.
REMOVED_OLD = [
    "django.utils.six",
    "django.utils.encoding.python_2_unicode_compatible",
    "django.utils.encoding.force_text",
    "django.utils.encoding.smart_text",
    "django.utils.translation.ugettext",
    "django.utils.translation.ugettext_lazy",
    "django.utils.translation.ungettext",
    "django.conf.urls.url",
    "django.utils.http.urlquote",
    "django.utils.datetime_safe",
]
SYNTHETIC = 1000

CONTRACTS = """
[[contracts]]
id = "layers"
type = "layers"
containers = ["django"]
layers = ["contrib", "views", "forms", "db", "utils"]

[[contracts]]
id = "template-db-independent"
type = "independence"
modules = ["django.template", "django.db"]

[[contracts]]
id = "utils-not-contrib"
type = "forbidden"
source_modules = ["django.utils"]
forbidden_modules = ["django.contrib"]

[[contracts]]
id = "backends-protected"
type = "protected"
protected_modules = ["django.db.backends"]
allowed_importers = [
    "django.db", "django.core", "django.contrib.gis", "django.contrib.postgres", "django.test",
]

[[contracts]]
id = "db-acyclic-siblings"
type = "acyclic_siblings"
ancestors = ["django.db"]

[[contracts]]
id = "migrations-acyclic"
type = "acyclic"
packages = ["django.db.migrations"]

[[contracts]]
id = "dispatch-allowlist"
type = "allowlist"
source_modules = ["django.dispatch"]
allowed_modules = ["django.utils"]
"""


@dataclass
class Row:
    """One line of a results table."""

    what: str
    figures: dict[str, float]
    ratio: str = ""
    note: str = ""


def sh(
    args: Sequence[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command, capturing its output; the exit status is the caller's business."""
    return subprocess.run(
        list(args), cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True
    )


def compile_archlint() -> None:
    """Write the bytecode of archlint's modules, as installing a wheel does.

    The development install runs archlint from its source folder; with
    ``PYTHONDONTWRITEBYTECODE`` set (some CI and sandboxes set it) every run would compile
    each of archlint's modules again (~85 ms a run on Django's check), while lint-imports,
    installed from a wheel, loads its bytecode. Compiled here, both start as installed tools
    do. (compileall writes bytecode whatever that variable says.)
    """
    import archlint

    compileall.compile_dir(Path(archlint.__file__).parent, quiet=1)


def median_time(run: Callable[[], object], repeat: int, warmup: int = 1) -> float:
    """Median wall time of ``run`` over ``repeat`` calls, after ``warmup`` calls."""
    for _ in range(warmup):
        run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def prepare(work: Path) -> Path:
    """Django unpacked into ``work/django-project`` with archlint, ruff and flake8 rules."""
    project = work / "django-project"
    if not (project / "django").is_dir():
        wheels = work / "wheels"
        wheels.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", DJANGO, "-d", str(wheels)],
            check=True,
        )
        wheel = next(wheels.glob("django-*.whl"), None) or next(wheels.glob("Django-*.whl"))
        with zipfile.ZipFile(wheel) as zf:
            members = [m for m in zf.namelist() if m.startswith("django/")]
            zf.extractall(project, members)
    (project / "pyproject.toml").write_text(
        '[tool.archlint]\nroot_packages = ["django"]\nsource_roots = ["."]\n', encoding="utf-8"
    )
    contracts = project / "contracts"
    contracts.mkdir(exist_ok=True)
    (contracts / "architecture.toml").write_text(CONTRACTS, encoding="utf-8")
    write_deprecations(project, REAL_OLD)
    return project


def write_deprecations(project: Path, real: Sequence[str]) -> None:
    """The same banned paths for archlint, ruff (TID251) and flake8-tidy-imports (I251):
    ``real`` plus 1,000 generated ones that nothing imports."""
    old_paths = [*real, *(f"django.legacy{i}.mod{i}" for i in range(SYNTHETIC))]
    (project / "contracts" / "deprecations.toml").write_text(
        "".join(
            f'[[deprecations]]\nold = "{old}"\nnew = "django.utils.functional"\n'
            f'since = 2025-10-05\nwhy = "benchmark entry {i}"\n\n'
            for i, old in enumerate(old_paths)
        ),
        encoding="utf-8",
    )
    banned = "".join(f'"{old}".msg = "use django.utils.functional"\n' for old in old_paths)
    (project / "ruff.toml").write_text(
        "[lint.flake8-tidy-imports.banned-api]\n" + banned, encoding="utf-8"
    )
    (project / "tidy.cfg").write_text(
        "[flake8]\nbanned-modules =\n"
        + "".join(f"    {old} = use django.utils.functional\n" for old in old_paths),
        encoding="utf-8",
    )


def plain_flake8(work: Path) -> Path:
    """A virtual environment with the same flake8 and flake8 plugins as this one, but no
    archlint."""
    venv = work / "venv-flake8-only"
    exe = venv / "bin" / "flake8"
    import importlib.metadata as metadata

    wanted = [f"flake8=={metadata.version('flake8')}"]
    for dist in ("flake8-tidy-imports",):
        with contextlib.suppress(metadata.PackageNotFoundError):
            wanted.append(f"{dist}=={metadata.version(dist)}")
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *wanted], check=True)
    return exe


def cpu_time(
    args: Sequence[str], cwd: Path
) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """CPU seconds of the command and its children, wall seconds, and the finished process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = sh(args, cwd)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, proc


PLUGIN_TIMER = """
import atexit, sys, time
from archlint.adapters import flake8_plugin
run = flake8_plugin.ArchlintChecker.run
spent = [0.0]
def timed(self):
    start = time.perf_counter()
    found = list(run(self))
    spent[0] += time.perf_counter() - start
    return iter(found)
flake8_plugin.ArchlintChecker.run = timed
atexit.register(lambda: print(spent[0], file=sys.stderr))
from flake8.main.cli import main
main(["-j", "1", "--exit-zero", "--output-file", "/dev/null", "django"])
"""


def bench_flake8(work: Path, project: Path, repeat: int) -> list[Row]:
    """flake8 over the whole tree with archlint's plugin and without it (same flake8, same
    other plugins), runs interleaved; and the plugin's own share of a run, timed inside it."""
    plain = plain_flake8(work)
    args = ["--exit-zero", "-j", "2", "django"]
    with_cpu, with_wall, without_cpu, without_wall = [], [], [], []
    sh([str(BIN / "flake8"), *args], project)  # fills archlint's configuration cache
    for _ in range(repeat):
        cpu, wall, _ = cpu_time([str(BIN / "flake8"), *args], project)
        with_cpu.append(cpu)
        with_wall.append(wall)
        cpu, wall, _ = cpu_time([str(plain), *args], project)
        without_cpu.append(cpu)
        without_wall.append(wall)
    shares = []
    for _ in range(max(3, repeat // 2)):
        cpu, _wall, proc = cpu_time([sys.executable, "-c", PLUGIN_TIMER], project)
        plugin = float(proc.stderr.strip().splitlines()[-1])
        shares.append(plugin / cpu)
    findings = sh([str(BIN / "flake8"), "--select", "ARC", "--exit-zero", "django"], project)
    count = len(findings.stdout.splitlines())
    a_cpu, p_cpu = statistics.median(with_cpu), statistics.median(without_cpu)
    a_wall, p_wall = statistics.median(with_wall), statistics.median(without_wall)
    return [
        Row(
            "flake8 -j 2 django/ (default checks), CPU time of all processes",
            {"flake8 + archlint": a_cpu, "flake8 alone": p_cpu},
            f"{a_cpu / p_cpu:.3f}×  ({(a_cpu / p_cpu - 1) * 100:+.1f}%)",
            f"wall: {a_wall:.2f} s against {p_wall:.2f} s; {count} ARC findings",
        ),
        Row(
            "archlint plugin's own time inside a flake8 -j 1 run over django/",
            {"plugin time / run CPU time": statistics.median(shares)},
            f"{statistics.median(shares) * 100:.1f}% of the run",
            "timed around the plugin's run() for every file, config loading included",
        ),
    ]


def bench_config(project: Path, repeat: int) -> list[Row]:
    """Loading and compiling 1,010 deprecations and 7 contracts, and 1,000 + 100 generated."""
    code = textwrap.dedent(
        """
        import sys, time
        from pathlib import Path
        start = time.perf_counter()
        from archlint.config.cache import load_project_cached
        from archlint.application.file_rules import FileRules
        imported = time.perf_counter()
        FileRules.compile(load_project_cached(Path(sys.argv[1])))
        done = time.perf_counter()
        print(imported - start, done - imported)
        """
    )
    rows = []
    generated = make_config_project(project.parent / "config-project")
    for label, root in (
        ("Django: 1,010 deprecations, 7 contracts", project),
        ("generated: 1,000 deprecations, 100 contracts", generated),
    ):
        sh([sys.executable, "-c", code, str(root)], root)  # fills the cache
        loads = []
        imports = []
        for _ in range(max(repeat, 10)):
            out = sh([sys.executable, "-c", code, str(root)], root).stdout.split()
            imports.append(float(out[0]))
            loads.append(float(out[1]))
        rows.append(
            Row(
                f"contracts loaded and compiled, {label} (cached, fresh process)",
                {"load + compile": statistics.median(loads)},
                note="importing archlint's plugin modules: "
                f"{statistics.median(imports) * 1000:.0f} ms",
            )
        )
    return rows


def make_config_project(root: Path) -> Path:
    """A project with 1,000 deprecations and 100 contracts of four types."""
    (root / "src" / "pkg").mkdir(parents=True, exist_ok=True)
    (root / "src" / "pkg" / "__init__.py").write_text("")
    for i in range(100):
        (root / "src" / "pkg" / f"m{i}").mkdir(exist_ok=True)
        (root / "src" / "pkg" / f"m{i}" / "__init__.py").write_text("")
    (root / "pyproject.toml").write_text(
        '[tool.archlint]\nroot_packages = ["pkg"]\nsource_roots = ["src"]\n'
    )
    contracts = root / "contracts"
    contracts.mkdir(exist_ok=True)
    (contracts / "deprecations.toml").write_text(
        "".join(
            f'[[deprecations]]\nold = "pkg.old{i}.mod{i}"\nnew = "pkg.m{i % 100}"\n'
            f'since = 2025-10-05\nwhy = "moved {i}"\n\n'
            for i in range(1000)
        )
    )
    parts = []
    for i in range(100):
        a, b, c = (i + 1) % 100, (i + 2) % 100, (i + 3) % 100
        kind = i % 4
        if kind == 0:
            body = (
                f'type = "layers"\ncontainers = ["pkg"]\nlayers = ["m{i}", "m{a} | m{b}", "m{c}"]'
            )
        elif kind == 1:
            body = f'type = "independence"\nmodules = ["pkg.m{i}", "pkg.m{a}"]'
        elif kind == 2:
            body = (
                f'type = "forbidden"\nsource_modules = ["pkg.m{i}"]\n'
                f'forbidden_modules = ["pkg.m{b}"]'
            )
        else:
            body = (
                f'type = "protected"\nprotected_modules = ["pkg.m{i}"]\n'
                f'allowed_importers = ["pkg.m{c}"]'
            )
        parts.append(f'[[contracts]]\nid = "c{i}"\n{body}\nwhy = "rule {i}"\n')
    (contracts / "contracts.toml").write_text("\n".join(parts))
    return root


def interleaved(
    commands: dict[str, tuple[Sequence[str], dict[str, str] | None]],
    cwd: Path,
    repeat: int,
) -> dict[str, tuple[float, float]]:
    """Median wall and CPU seconds (the process and its children) of each command, run in
    turn ``repeat`` times after one warm-up round: on a shared machine, load that comes and
    goes then weighs on every command alike, and the ratios stay comparable."""
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(repeat + 1):
        for name, (args, env) in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            sh(args, cwd, env)
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if round_:
                walls[name].append(wall)
                cpus[name].append(
                    after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
                )
    return {n: (statistics.median(walls[n]), statistics.median(cpus[n])) for n in commands}


def bench_check(project: Path, repeat: int) -> list[Row]:
    """archlint check beside lint-imports on the same contracts, cold and warm."""
    config = project / "importlinter.toml"
    sh([str(BIN / "archlint"), "compile", "-o", str(config)], project)
    lint_imports = [str(BIN / "lint-imports"), "--config", str(config), "--no-logo"]
    env = {"PYTHONPATH": str(project)}
    # The whole gate: contracts plus the per-file rules (deprecations, direct breaks) over
    # every file, beside lint-imports (contracts only) and ruff (TID251 only), interleaved.
    ruff_cmd = [str(BIN / "ruff"), "check", "--no-cache", "--select", "TID251", "--exit-zero"]
    ruff_cmd += ["--config", "ruff.toml", "django"]
    cold = interleaved(
        {
            "archlint check --no-cache": ([str(BIN / "archlint"), "check", "--no-cache"], None),
            "lint-imports --no-cache": ([*lint_imports, "--no-cache"], env),
            "ruff --select TID251": (ruff_cmd, None),
        },
        project,
        repeat,
    )
    warm = interleaved(
        {
            "archlint check": ([str(BIN / "archlint"), "check"], None),
            "lint-imports": (lint_imports, env),
        },
        project,
        repeat,
    )
    verdict_a = sh([str(BIN / "archlint"), "check", "--format", "json"], project)
    summary = json.loads(verdict_a.stdout)["summary"] if verdict_a.stdout else {}
    archlint, lint = cold["archlint check --no-cache"], cold["lint-imports --no-cache"]
    return [
        Row(
            "check 7 contracts + per-file rules (1,010 deprecations, ARC1xx) on Django, cold",
            {
                **{f"{name} (wall)": wall for name, (wall, _) in cold.items()},
                **{f"{name} (CPU)": cpu for name, (_, cpu) in cold.items()},
            },
            f"{archlint[0] / lint[0]:.2f}× lint-imports wall, {archlint[1] / lint[1]:.2f}× CPU",
            f"both: {summary.get('kept', '?')} kept, {summary.get('broken', '?')} broken; "
            f"archlint also: {summary.get('findings', '?')} findings over "
            f"{summary.get('files', '?')} files (lint-imports checks the contracts only)",
        ),
        Row(
            "check 7 contracts on Django, warm (cache)",
            {
                **{f"{name} (wall)": wall for name, (wall, _) in warm.items()},
                **{f"{name} (CPU)": cpu for name, (_, cpu) in warm.items()},
            },
            f"{warm['archlint check'][0] / warm['lint-imports'][0]:.2f}× wall",
        ),
    ]


def bench_scan(project: Path, repeat: int) -> list[Row]:
    """Deprecation scanning over the tree: archlint beside ruff TID251 and flake8-tidy-imports,
    with the same 1,010 banned paths, in two sets."""
    archlint_cmd = [str(BIN / "archlint"), "lint", "--select", "ARC0", "django"]
    ruff_cmd = [
        str(BIN / "ruff"),
        "check",
        "--no-cache",
        "--select",
        "TID251",
        "--exit-zero",
        "--config",
        "ruff.toml",
        "django",
    ]
    tidy_cmd = [
        str(BIN / "flake8"),
        "--config",
        "tidy.cfg",
        "--select",
        "I251",
        "--exit-zero",
        "-j",
        "2",
        "django",
    ]
    rows = []
    variants = (
        ("10 APIs Django removed + 1,000 unused", REMOVED_OLD),
        ("10 modules Django imports everywhere + 1,000 unused", REAL_OLD),
    )
    for label, real in variants:
        write_deprecations(project, real)
        sh([str(BIN / "archlint"), "lint", "--select", "ARC0", "django/apps"], project)  # cache
        a = median_time(lambda: sh(archlint_cmd, project), repeat)
        r = median_time(lambda: sh(ruff_cmd, project), repeat)
        t = median_time(lambda: sh(tidy_cmd, project), repeat)
        found_a = sum(
            1 for line in sh(archlint_cmd, project).stdout.splitlines() if " ARC0" in line
        )
        found_r = sum(1 for line in sh(ruff_cmd, project).stdout.splitlines() if "TID251" in line)
        found_t = sum(1 for line in sh(tidy_cmd, project).stdout.splitlines() if "I251" in line)
        rows.append(
            Row(
                f"deprecation scan of django/: {label}",
                {
                    "archlint lint --select ARC0": a,
                    "ruff --select TID251": r,
                    "flake8 + tidy-imports --select I251": t,
                },
                f"{a / r:.2f}× ruff, {a / t:.2f}× flake8-tidy-imports",
                f"findings: archlint {found_a}, ruff {found_r}, tidy-imports {found_t}",
            )
        )
    write_deprecations(project, REAL_OLD)
    return rows


def bench_cycles(repeat: int) -> list[Row]:
    """Cycle finding on generated graphs: time per module + import stays flat."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from archlint.domain import cycles

    rows = []
    for n in (5_000, 10_000, 20_000, 50_000):
        rng = random.Random(n)
        graph: dict[str, list[str]] = {}
        for i in range(n):
            # Mostly downward imports (a layered package) plus a few upward ones (cycles).
            targets = {f"m{rng.randrange(i + 1, n)}" for _ in range(3) if i + 1 < n}
            if rng.random() < 0.01 and i:
                targets.add(f"m{rng.randrange(0, i)}")
            graph[f"m{i}"] = sorted(targets)
        edges = sum(len(t) for t in graph.values())

        def run(graph: dict[str, list[str]] = graph) -> None:
            for component in cycles.strongly_connected_components(graph):
                cycles.covering_cycles(graph, component, limit=50)
                cycles.cycle_breakers(graph, component)
            cycles.import_depth(graph)

        seconds = median_time(run, repeat)
        rows.append(
            Row(
                f"cycles: {n:,} modules, {edges:,} imports",
                {"SCCs + 50 cycles each + breakers + depth": seconds},
                note=f"{seconds / (n + edges) * 1e6:.2f} µs per module + import",
            )
        )
    return rows


def make_history(work: Path, project: Path, commits: int = 50) -> Path:
    """A git repository of the Django project with ``commits`` commits of edits: each edits
    three files picked at random (seeded): an import of a deprecated path added, a comment
    added, or an earlier edit taken back."""
    repo = work / "history-repo"
    if (repo / ".git").is_dir():
        return repo
    repo.mkdir()
    for name in ("django", "contracts"):
        subprocess.run(["cp", "-r", str(project / name), str(repo / name)], check=True)
    (repo / "pyproject.toml").write_text((project / "pyproject.toml").read_text())
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@b"}
    env |= {"GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@b"}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "Django 5.2.19")
    rng = random.Random(13)
    files = sorted(p for p in (repo / "django").rglob("*.py") if p.stat().st_size > 0)
    edited: list[tuple[Path, str]] = []
    for number in range(1, commits):
        for _ in range(3):
            if edited and rng.random() < 0.3:
                path, original = edited.pop(rng.randrange(len(edited)))
                path.write_text(original, encoding="utf-8")
                continue
            path = rng.choice(files)
            original = path.read_text(encoding="utf-8")
            extra = rng.choice(["import django.utils.itercompat  # noqa\n", f"# edit {number}\n"])
            path.write_text(original + extra, encoding="utf-8")
            edited.append((path, original))
        git("commit", "-qam", f"edit {number}")
    return repo


def bench_history(work: Path, project: Path, repeat: int) -> list[Row]:
    """report --history over 50 commits, per commit, beside what a team runs per commit
    without it: each commit's tree exported (git archive), then report, check and lint."""
    repo = make_history(work, project)
    archlint = str(BIN / "archlint")
    start = time.perf_counter()
    done = sh([archlint, "report", "--history", "main", "--format", "json"], repo)
    whole = time.perf_counter() - start
    commits = json.loads(done.stdout)["commits"]
    per_commit = whole / len(commits)
    parsed = sum(c["files_parsed"] for c in commits)
    refs = [c["deprecated_references"] for c in commits]

    def by_hand(commit: str) -> tuple[float, float]:
        tree = work / "history-export"
        subprocess.run(["rm", "-rf", str(tree)], check=True)
        tree.mkdir()
        start = time.perf_counter()
        archive = subprocess.run(
            ["git", "archive", commit], cwd=repo, check=True, capture_output=True
        )
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
        exported = time.perf_counter()
        sh([archlint, "report", "--format", "json"], tree)
        report_only = time.perf_counter() - exported
        sh([archlint, "check", "--no-cache", "--format", "json"], tree)
        sh([archlint, "lint", "--select", "ARC0"], tree)
        return report_only, time.perf_counter() - start

    sample = [f"main~{n}" for n in range(0, 50, max(1, 50 // max(repeat, 1)))]
    timings = [by_hand(commit) for commit in sample]
    report_only = statistics.median(t[0] for t in timings)
    full = statistics.median(t[1] for t in timings)
    return [
        Row(
            f"report --history over {len(commits)} commits of Django edits, per commit",
            {
                "report --history, per commit": per_commit,
                "report alone, per commit": report_only,
                "export + report + check --no-cache + lint ARC0, per commit": full,
            },
            f"{per_commit / report_only:.2f}× report; {per_commit / full:.2f}× all three",
            f"whole range {whole:.1f} s; {parsed:,} file parses in all ({parsed / len(commits):.0f}"
            f" per commit); deprecated refs {refs[0]} -> {refs[-1]}",
        )
    ]


def render(rows: list[Row]) -> str:
    """The rows as Markdown."""
    out = ["| benchmark | figures (median) | ratio | note |", "|---|---|---|---|"]
    for row in rows:
        figures = "; ".join(
            f"{k}: {v * 100:.1f}%"
            if k.startswith("plugin time")
            else (f"{k}: {v * 1000:.0f} ms" if v < 10 else f"{k}: {v:.1f} s")
            for k, v in row.figures.items()
        )
        out.append(f"| {row.what} | {figures} | {row.ratio} | {row.note} |")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/archlint-bench"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--only",
        nargs="*",
        choices=["flake8", "config", "check", "scan", "cycles", "history"],
        default=None,
    )
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    project = prepare(args.workdir)
    compile_archlint()
    wanted = args.only or ["flake8", "config", "check", "scan", "cycles", "history"]
    rows: list[Row] = []
    benches = {
        "config": lambda: bench_config(project, args.repeat),
        "check": lambda: bench_check(project, args.repeat),
        "scan": lambda: bench_scan(project, args.repeat),
        "flake8": lambda: bench_flake8(args.workdir, project, args.repeat),
        "cycles": lambda: bench_cycles(args.repeat),
        "history": lambda: bench_history(args.workdir, project, args.repeat),
    }
    for name in wanted:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        rows.extend(benches[name]())
    print(
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.platform()}; --repeat {args.repeat}\n"
    )
    print(render(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
