"""Fields import-linter users bring with them: external packages in ``independence`` and
``protected``, and ``broken_contract_guidance`` for ``why``."""

from __future__ import annotations

from pathlib import Path

from .test_contract_types import LOW_IMPORTS_HIGH, build, cli, contract

INDEPENDENCE = 'type = "independence"\nmodules = ["pkg.low", "requests"]'


def test_external_package_needs_the_setting(tmp_path: Path) -> None:
    project = build(tmp_path, LOW_IMPORTS_HIGH, contract("ind", INDEPENDENCE))
    proc = cli(["archlint", "check", "--no-cache"], cwd=project)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        "error: contracts/rules.toml:5: contract 'ind': modules: 'requests' is an external "
        "package: set include_external_packages = true in [tool.archlint] to name it",
        "archlint: 1 configuration error",
    ]


def test_external_subpackage_is_refused_as_import_linter_does(tmp_path: Path) -> None:
    body = 'type = "protected"\nprotected_modules = ["requests.sessions"]\n'
    body += 'allowed_importers = ["pkg.mid"]'
    project = build(
        tmp_path,
        LOW_IMPORTS_HIGH,
        contract("prot", body),
        settings="include_external_packages = true\n",
    )
    proc = cli(["archlint", "check", "--no-cache"], cwd=project)
    assert proc.returncode == 2
    assert (
        "protected_modules: 'requests.sessions' is inside an external package: name the "
        "package 'requests' (import-linter sees no deeper)" in proc.stderr
    )


def test_broken_contract_guidance_is_why(tmp_path: Path) -> None:
    body = 'type = "forbidden"\nsource_modules = ["pkg.low"]\nforbidden_modules = ["pkg.high"]\n'
    project = build(
        tmp_path,
        LOW_IMPORTS_HIGH,
        contract("forbid", body + 'broken_contract_guidance = "Low stays low."'),
    )
    proc = cli(["archlint", "check", "--no-cache"], cwd=project)
    assert proc.returncode == 1, proc.stderr
    assert "why: Low stays low." in proc.stdout


def test_why_and_broken_contract_guidance_together_is_an_error(tmp_path: Path) -> None:
    body = 'type = "forbidden"\nsource_modules = ["pkg.low"]\nforbidden_modules = ["pkg.high"]\n'
    body += 'why = "a"\nbroken_contract_guidance = "b"'
    project = build(tmp_path, LOW_IMPORTS_HIGH, contract("forbid", body))
    proc = cli(["archlint", "check", "--no-cache"], cwd=project)
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[0] == (
        "error: contracts/rules.toml:8: contract 'forbid': broken_contract_guidance: 'why' and "
        "'broken_contract_guidance' are the same field: keep one"
    )
