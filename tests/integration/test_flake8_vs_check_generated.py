"""Differential test: flake8 and ``archlint check`` agree on generated projects.

Each seed gives a project (see :mod:`.generated_project`) with every contract type and every
import form; the real ``archlint check --format json --no-cache`` and ``flake8 --select ARC1``
must agree on every direct break, file and line, in both directions
(:func:`.test_flake8_vs_check.compare`). Two seeds run by default; many more are marked slow.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ..helpers import write_tree
from .generated_project import generate
from .test_flake8_vs_check import compare

#: Seeds of the default run, chosen so that between them every contract has direct breaks.
DEFAULT_SEEDS = (1, 22)


def agree(tmp_path: Path, seed: int) -> dict[str, set[tuple[str, int]]]:
    project = generate(seed)
    root = write_tree(tmp_path / f"seed{seed}", project.files)
    return compare(root)


@pytest.mark.parametrize("seed", DEFAULT_SEEDS)
def test_generated_project_flake8_and_check_agree(tmp_path: Path, seed: int):
    compared = agree(tmp_path, seed)
    # Not a vacuous agreement: the generated imports break the contracts directly.
    assert sum(len(sites) for sites in compared.values()) >= 10


def test_default_seeds_break_every_contract_with_a_code(tmp_path: Path):
    broken: set[str] = set()
    for seed in DEFAULT_SEEDS:
        broken |= {cid for cid, sites in agree(tmp_path, seed).items() if sites}
    assert broken == {
        "lay",
        "feat-layers",
        "plain",
        "feat",
        "inner",
        "feat-no-top",
        "core-door",
        "top-door",
        "loops",
        "low-allow",
    }


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(100, 160))
def test_many_generated_projects_flake8_and_check_agree(tmp_path: Path, seed: int):
    agree(tmp_path, seed)


def test_generator_is_deterministic():
    assert generate(5) == generate(5)
    assert generate(5) != generate(6)
