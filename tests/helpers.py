"""Building small projects in a temporary folder, and running the real executables."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Mapping, Sequence
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
