"""The flake8 plugin's validation (``check_configuration``: membership from the folders on
the way, no walk unless needed) rejects exactly what ``check``'s (``validate_project``: the
whole list of modules) rejects, with the same words."""

from __future__ import annotations

from pathlib import Path

import pytest

from archlint.application.project import check_configuration, validate_project
from archlint.config.loader import load_project
from archlint.domain.errors import ConfigError

from ..helpers import make_project

TREE = {
    "src/shop/__init__.py": "",
    "src/shop/app/__init__.py": "",
    "src/shop/app/views.py": "",
    "src/shop/infra.py": "",
    "src/shop/ns/deep/mod.py": "",  # namespace packages: shop.ns and shop.ns.deep
    "src/shop/data/readme.txt": "",  # a folder without modules is no package
    "src/shop/feat/a/__init__.py": "",
    "src/shop/feat/b/__init__.py": "",
    "src/shop/old.py": "",
    "src/shop/new.py": "X = 1\n",
}


def contract(body: str) -> dict[str, str]:
    return {"contracts/c.toml": '[[contracts]]\nid = "c"\n' + body}


CASES = [
    contract('type = "layers"\ncontainers = ["shop"]\nlayers = ["app", "infra"]\n'),
    contract('type = "layers"\ncontainers = ["shop"]\nlayers = ["app", "infr"]\n'),
    contract('type = "layers"\ncontainers = ["shop"]\nlayers = ["app", "(missing)", "infra"]\n'),
    contract('type = "layers"\ncontainers = ["shop.feat.*"]\nlayers = ["x"]\n'),
    contract('type = "layers"\ncontainers = ["shop.fet.*"]\nlayers = ["x"]\n'),
    contract('type = "layers"\nlayers = ["shop.app", "shop.ns.deep"]\n'),
    contract('type = "layers"\nlayers = ["shop.app", "shop.data"]\n'),
    contract('type = "independence"\nmodules = ["shop.feat.*"]\n'),
    contract('type = "independence"\nmodules = ["shop.ns", "shop.ns.deep.mod"]\n'),
    contract(
        'type = "forbidden"\nsource_modules = ["shop.app"]\nforbidden_modules = ["shop.ap"]\n'
    ),
    contract('type = "forbidden"\nsource_modules = ["shop.app"]\nforbidden_modules = ["json"]\n'),
    contract('type = "acyclic"\npackages = ["shop.app.views.x"]\n'),
    {"contracts/d.toml": '[[deprecations]]\nold = "shop.old"\nnew = "shop.nope"\n'},
]


@pytest.mark.parametrize("files", CASES)
@pytest.mark.parametrize("unresolved", ["warning", "error"])
def test_same_verdict_as_check(tmp_path: Path, files: dict[str, str], unresolved: str) -> None:
    root = make_project(
        tmp_path,
        {**TREE, **files},
        root_packages=("shop",),
        extra_settings=f'unresolved_new = "{unresolved}"\n',
    )
    project = load_project(root)
    full: ConfigError | None = None
    try:
        validate_project(project, planned=False)
    except ConfigError as e:
        full = e
    lazy: ConfigError | None = None
    try:
        check_configuration(project)
    except ConfigError as e:
        lazy = e
    assert (lazy is None) == (full is None)
    if full is not None and lazy is not None:
        assert [str(p) for p in lazy.problems] == [str(p) for p in full.problems]


def test_a_missing_root_package_is_found_without_a_walk(tmp_path: Path) -> None:
    root = make_project(tmp_path, {**TREE, **CASES[0]}, root_packages=("shop", "shopp"))
    with pytest.raises(ConfigError) as raised:
        check_configuration(load_project(root))
    assert "package 'shopp' not found in the source roots" in str(raised.value)
