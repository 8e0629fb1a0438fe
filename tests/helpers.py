"""Building small projects in a temporary folder, and running the real executables."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import textwrap
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path

#: The folder of the interpreter running the tests: archlint, flake8 and lint-imports are
#: installed beside it.
BIN = Path(sys.executable).parent


def write_tree(root: Path, files: Mapping[str, str]) -> Path:
    """Write ``files`` (relative path -> text, dedented) below ``root``; return ``root``."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def make_project(
    root: Path,
    files: Mapping[str, str],
    *,
    root_packages: Sequence[str] = ("pkg",),
    source_roots: Sequence[str] = ("src",),
    extra_settings: str = "",
) -> Path:
    """A project with ``[tool.archlint]`` and the given files (``contracts/*.toml`` among them)."""
    roots = ", ".join(f'"{p}"' for p in root_packages)
    srcs = ", ".join(f'"{s}"' for s in source_roots)
    pyproject = (
        '[project]\nname = "demo"\nversion = "0"\n\n'
        f"[tool.archlint]\nroot_packages = [{roots}]\nsource_roots = [{srcs}]\n{extra_settings}"
    )
    write_tree(root, {"pyproject.toml": pyproject, **files})
    return root


def run(
    args: Sequence[str], cwd: Path, env: Mapping[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a real executable; ``args[0]`` is looked up beside the test interpreter."""
    exe = BIN / args[0]
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [str(exe), *args[1:]],
        cwd=cwd,
        env=full_env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def python_import(root: Path, module: str = "pkg") -> subprocess.CompletedProcess[str]:
    """``python -c "import MODULE"`` in the test's own project (``src`` layout), in a
    subprocess: whether the program still imports after archlint rewrote it."""
    return subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        cwd=root,
        env={"PYTHONPATH": str(root / "src"), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )


@functools.cache
def bare_lint_imports() -> Path:
    """``lint-imports`` from a virtual environment with the same import-linter and grimp as the
    tests and no archlint: what a user without archlint runs on ``compile``'s output.

    Made once with pip (from the package index) and kept between runs, keyed by the versions;
    ``ARCHLINT_TEST_VENVS`` names the folder that holds it (default ``~/.cache/archlint-tests``).
    """
    pins = [f"import-linter=={metadata.version('import-linter')}"]
    pins.append(f"grimp=={metadata.version('grimp')}")
    base = Path(os.environ.get("ARCHLINT_TEST_VENVS", Path.home() / ".cache" / "archlint-tests"))
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    venv = base / f"bare-py{python}-{'-'.join(p.replace('==', '') for p in pins)}"
    ready = venv / "ready"
    if not ready.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", *pins],
            check=True,
            capture_output=True,
        )
        ready.touch()
    probe = subprocess.run([str(venv / "bin" / "python"), "-c", "import archlint"], check=False)
    assert probe.returncode != 0, f"archlint must not be importable in {venv}"
    return venv / "bin" / "lint-imports"
