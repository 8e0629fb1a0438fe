"""The command's output going nowhere: a reader that stops early (``archlint check | head``)
and a closed standard output (``>&-``) end quietly, with no traceback, and the verdict is not
lost."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from ..helpers import BIN, make_project

DEPRECATIONS = '[[deprecations]]\nold = "pkg.old"\nnew = "pkg.new"\n'


def _noisy_project(tmp_path: Path) -> Path:
    # Far more output than a pipe holds (64 KiB): the writer meets the closed pipe.
    files = {
        "contracts/d.toml": DEPRECATIONS,
        "src/pkg/__init__.py": "",
        "src/pkg/new.py": "X = 1\n",
        **{f"src/pkg/m{i}.py": "from pkg.old import X\n" * 20 for i in range(60)},
    }
    return make_project(tmp_path, files)


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    root = _noisy_project(tmp_path)
    # Buffered, as standard output is by default: an unbuffered one (PYTHONUNBUFFERED) takes
    # a short write for done and never meets the closed pipe.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    for fmt in ("text", "json"):
        proc = subprocess.Popen(
            [str(BIN / "archlint"), "check", "--no-cache", "--format", fmt],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read().decode()
        status = proc.wait(timeout=60)
        assert "Traceback" not in err and "Error" not in err, err
        assert status == 141, (fmt, status, err)  # as a shell reports SIGPIPE


def test_closed_standard_output_keeps_the_verdict(tmp_path: Path) -> None:
    root = _noisy_project(tmp_path)
    proc = subprocess.run(
        [str(BIN / "archlint"), "check", "--no-cache"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    closed = subprocess.run(
        f"exec '{BIN / 'archlint'}' check --no-cache >&-",
        shell=True,
        cwd=root,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    assert "Traceback" not in closed.stderr, closed.stderr
    assert closed.returncode == 1  # the findings still fail the check
