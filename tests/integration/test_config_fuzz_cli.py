"""Generated configuration files through the real ``archlint check``: exit 0, 1 or 2, never a
traceback, and every line on stderr in its place (``FILE:LINE: ...`` or ``FILE: ...``).

A few documents in the default run (each is a process); ``-m slow`` tries a few hundred.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.config_strategies import projects, write_project
from tests.helpers import run

#: What archlint may print on stderr for a configuration: a problem in its file, the count,
#: or, when the mutation took the [tool.archlint] table away, that there is no project.
STDERR_LINE = re.compile(
    r"error: (contracts(/[^:]*)?|pyproject\.toml)(:\d+)?: .+"
    r"|archlint: \d+ configuration errors?"
    r"|error: no archlint project found: .+"
)


def check_through_cli(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_project(root, files)
        result = run(["archlint", "check", "--no-cache"], cwd=root)
        output = result.stdout + result.stderr
        assert "Traceback" not in output, output
        assert result.returncode in (0, 1, 2), output
        for line in result.stderr.splitlines():
            assert STDERR_LINE.fullmatch(line), line
        if result.returncode == 2:
            assert result.stderr, output


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_generated_configuration_through_check(files: dict[str, bytes]) -> None:
    check_through_cli(files)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_many_generated_configurations_through_check(files: dict[str, bytes]) -> None:
    check_through_cli(files)
