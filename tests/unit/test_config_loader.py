"""archlint.config: load_project into model types, schema/model agreement, and toml.locate."""

from __future__ import annotations

import dataclasses
import datetime as dt
import textwrap
from pathlib import Path

import pytest

from archlint.config import schema, toml
from archlint.config.loader import find_project_root, load_project
from archlint.domain import model
from archlint.domain.errors import ConfigError, ConfigProblem, ProjectNotFound
from archlint.domain.expressions import ImportExpression, ModuleExpression


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


PYPROJECT = """\
    [project]
    name = "demo"

    [tool.archlint]
    root_packages = ["pkg", "other"]
    source_roots = ["src", "lib"]
    contracts_dir = "rules"
    exclude_type_checking_imports = true
    include_external_packages = true
"""

#: One contract of every type, every optional field given somewhere.
CONTRACTS = """\
    [[contracts]]
    id = "layers"
    type = "layers"
    name = "The layers"
    why = "Top composes; nothing reaches back up."
    containers = ["pkg", "other.*"]
    layers = [
        "top",
        "left | right",   # independent
        "one : two",      # may import each other
        "(maybe)",
    ]
    exhaustive = true
    exhaustive_ignores = ["tests"]
    ignore_imports = ["pkg.one -> pkg.top.**"]
    unmatched_ignore_imports_alerting = "warn"
    exclude_type_checking_imports = false

    [[contracts]]
    id = "slices"
    type = "independence"
    modules = ["pkg.features.*"]

    [[contracts]]
    id = "no-requests"
    type = "forbidden"
    source_modules = ["pkg.top"]
    forbidden_modules = ["requests"]
    allow_indirect_imports = true
    as_packages = false

    [[contracts]]
    id = "protected"
    type = "protected"
    protected_modules = ["pkg.db"]
    allowed_importers = ["pkg.repo"]
    as_packages = true

    [[contracts]]
    id = "siblings"
    type = "acyclic_siblings"
    ancestors = ["pkg"]
    depth = 2
    skip_descendants = ["pkg.legacy"]

    [[contracts]]
    id = "acyclic"
    type = "acyclic"
    packages = ["pkg.orchestration"]
    exclude_lazy_imports = true

    [[contracts]]
    id = "allowlist"
    type = "allowlist"
    source_modules = ["pkg.core"]
    allowed_modules = ["pkg.shared", "attrs"]
    include_external_packages = true
"""

DEPRECATIONS = """\
    [[deprecations]]
    old = "pkg.orchestration.market_monitor"
    new = "pkg.features.market.monitor"
    since = 2025-10-05
    remove_after = 2027-01-05
    why = "Phase 2 extraction"

    [[deprecations]]
    old = "pkg.orchestration.symbols.SymbolUtils"
    since = "2025-11-01"
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> model.Project:
    root = write(
        tmp_path,
        {
            "pyproject.toml": PYPROJECT,
            "rules/a_contracts.toml": CONTRACTS,
            "rules/b_deprecations.toml": DEPRECATIONS,
            "rules/notes.txt": "not read",
        },
    )
    monkeypatch.chdir(root)
    return load_project(root)


def by_id(project: model.Project, contract_id: str) -> model.Contract:
    return next(c for c in project.contracts if c.id == contract_id)


def test_settings(project: model.Project, tmp_path: Path) -> None:
    s = project.settings
    assert project.root == tmp_path.resolve()
    assert s.root_packages == ("pkg", "other")
    assert s.source_roots == ("src", "lib")
    assert s.contracts_dir == "rules"
    assert s.exclude_type_checking_imports is True
    assert s.include_external_packages is True
    assert s.origin == model.Origin(
        "pyproject.toml",
        4,
        (
            ("contracts_dir", 7),
            ("exclude_type_checking_imports", 8),
            ("include_external_packages", 9),
            ("root_packages", 5),
            ("source_roots", 6),
        ),
    )
    assert [p.name for p in project.config_files] == [
        "pyproject.toml",
        "a_contracts.toml",
        "b_deprecations.toml",
    ]


def test_settings_defaults(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pyproject.toml": '[tool.archlint]\nroot_packages = ["pkg"]\n',
            "contracts/a.toml": '[[deprecations]]\nold = "pkg.a"\n',
        },
    )
    s = load_project(root).settings
    assert (s.source_roots, s.contracts_dir) == (("src", "."), "contracts")
    assert s.exclude_type_checking_imports is False
    assert s.include_external_packages is False


def test_every_contract_type_in_file_order(project: model.Project) -> None:
    assert [(type(c), c.id) for c in project.contracts] == [
        (model.LayersContract, "layers"),
        (model.IndependenceContract, "slices"),
        (model.ForbiddenContract, "no-requests"),
        (model.ProtectedContract, "protected"),
        (model.AcyclicSiblingsContract, "siblings"),
        (model.AcyclicContract, "acyclic"),
        (model.AllowlistContract, "allowlist"),
    ]


def test_layers_contract(project: model.Project) -> None:
    c = by_id(project, "layers")
    assert isinstance(c, model.LayersContract)
    assert c.name == "The layers"
    assert c.why == "Top composes; nothing reaches back up."
    assert c.containers == (ModuleExpression("pkg"), ModuleExpression("other.*"))
    assert [(layer.modules, layer.text) for layer in c.layers] == [
        ((model.LayerModule("top"),), "top"),
        ((model.LayerModule("left"), model.LayerModule("right")), "left | right"),
        ((model.LayerModule("one"), model.LayerModule("two")), "one : two"),
        ((model.LayerModule("maybe", optional=True),), "(maybe)"),
    ]
    # `|`: the siblings may not import each other; `:`: they may. (A one-module layer has no
    # siblings, so its flag means nothing.)
    assert c.layers[1].independent is True
    assert c.layers[2].independent is False
    assert all(type(layer) is model.Layer for layer in c.layers)
    assert c.exhaustive is True
    assert c.exhaustive_ignores == ("tests",)
    assert c.ignore_imports == (
        ImportExpression(ModuleExpression("pkg.one"), ModuleExpression("pkg.top.**")),
    )
    assert c.unmatched_ignore_imports_alerting is model.AlertLevel.WARN
    assert c.exclude_type_checking_imports is False
    assert not project.excludes_type_checking(c)


def test_other_contract_types(project: model.Project) -> None:
    slices = by_id(project, "slices")
    assert isinstance(slices, model.IndependenceContract)
    assert slices.modules == (ModuleExpression("pkg.features.*"),)
    # Defaults: the name is the id; the project's setting decides TYPE_CHECKING imports.
    assert slices.name == "slices"
    assert slices.why is None
    assert slices.ignore_imports == ()
    assert slices.unmatched_ignore_imports_alerting is model.AlertLevel.ERROR
    assert slices.exclude_type_checking_imports is None
    assert project.excludes_type_checking(slices) is True

    forbidden = by_id(project, "no-requests")
    assert isinstance(forbidden, model.ForbiddenContract)
    assert forbidden.source_modules == (ModuleExpression("pkg.top"),)
    assert forbidden.forbidden_modules == (ModuleExpression("requests"),)
    assert forbidden.allow_indirect_imports is True
    assert forbidden.as_packages is False

    protected = by_id(project, "protected")
    assert isinstance(protected, model.ProtectedContract)
    assert protected.protected_modules == (ModuleExpression("pkg.db"),)
    assert protected.allowed_importers == (ModuleExpression("pkg.repo"),)
    assert protected.as_packages is True

    siblings = by_id(project, "siblings")
    assert isinstance(siblings, model.AcyclicSiblingsContract)
    assert siblings.ancestors == (ModuleExpression("pkg"),)
    assert siblings.depth == 2
    assert type(siblings.depth) is int
    assert siblings.skip_descendants == (ModuleExpression("pkg.legacy"),)

    acyclic = by_id(project, "acyclic")
    assert isinstance(acyclic, model.AcyclicContract)
    assert acyclic.packages == (ModuleExpression("pkg.orchestration"),)
    assert acyclic.exclude_lazy_imports is True

    allowlist = by_id(project, "allowlist")
    assert isinstance(allowlist, model.AllowlistContract)
    assert allowlist.source_modules == (ModuleExpression("pkg.core"),)
    assert allowlist.allowed_modules == (ModuleExpression("pkg.shared"), ModuleExpression("attrs"))
    assert allowlist.include_external_packages is True


def test_contract_origin_has_the_line_of_every_field(project: model.Project) -> None:
    layers = by_id(project, "layers")
    assert str(layers.origin) == "rules/a_contracts.toml:1"
    assert layers.origin.line_of("layers") == 7
    assert layers.origin.line_of("exhaustive") == 13  # after the multi-line array
    assert layers.origin.line_of("exclude_type_checking_imports") == 17
    assert layers.origin.line_of("not-written") == 1
    allowlist = by_id(project, "allowlist")
    assert str(allowlist.origin) == "rules/a_contracts.toml:52"
    assert allowlist.origin.line_of("include_external_packages") == 57


def test_deprecations(project: model.Project) -> None:
    moved, removed = project.deprecations
    assert moved == model.Deprecation(
        old="pkg.orchestration.market_monitor",
        new="pkg.features.market.monitor",
        origin=moved.origin,
        since=dt.date(2025, 10, 5),
        remove_after=dt.date(2027, 1, 5),
        why="Phase 2 extraction",
    )
    assert type(moved.since) is dt.date and type(moved.remove_after) is dt.date
    assert str(moved.origin) == "rules/b_deprecations.toml:1"
    assert moved.origin.line_of("remove_after") == 5
    assert not moved.removed
    assert not moved.is_expired(dt.date(2027, 1, 5))
    assert moved.is_expired(dt.date(2027, 1, 6))
    # No `new`: removed. An ISO date in a string is accepted as a date.
    assert removed.new is None and removed.removed
    assert removed.since == dt.date(2025, 11, 1)
    assert type(removed.since) is dt.date
    assert removed.remove_after is None and removed.why is None


def test_every_problem_is_collected_with_its_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write(
        tmp_path,
        {
            "pyproject.toml": '[tool.archlint]\nroot_packages = ["pkg"]\nsource_root = ["src"]\n',
            "contracts/a.toml": """\
                [[contracts]]
                id = "x"
                type = "independence"
                modules = []

                [[deprecations]]
                old = "pkg.a"
                since = 2025-10-05
                remove_after = 2025-10-04
            """,
            "contracts/b.toml": '[[contracts]]\nid = "x"\ntype = "acyclic"\npackages = ["pkg"]\n',
        },
    )
    monkeypatch.chdir(root)
    with pytest.raises(ConfigError) as caught:
        load_project(root)
    assert caught.value.problems == (
        ConfigProblem(
            "pyproject.toml",
            "unknown field (did you mean 'source_roots'?)",
            3,
            "[tool.archlint]",
            "source_root",
        ),
        ConfigProblem(
            "contracts/a.toml", "must name at least one module", 4, "contract 'x'", "modules"
        ),
        ConfigProblem(
            "contracts/a.toml",
            "2025-10-04 is before since = 2025-10-05",
            9,
            "deprecation 'pkg.a'",
            "remove_after",
        ),
        ConfigProblem(
            "contracts/b.toml",
            "duplicate id: already used at contracts/a.toml:2",
            2,
            "contract 'x'",
            "id",
        ),
    )
    assert str(caught.value).splitlines()[1] == (
        "contracts/a.toml:4: contract 'x': modules: must name at least one module"
    )


def test_no_contracts_is_an_error(tmp_path: Path) -> None:
    root = write(tmp_path, {"pyproject.toml": '[tool.archlint]\nroot_packages = ["pkg"]\n'})
    (root / "contracts").mkdir()
    with pytest.raises(ConfigError, match=r"no \[\[contracts\]\] or \[\[deprecations\]\] found"):
        load_project(root)


def test_find_project_root_walks_up(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pyproject.toml": '[tool.archlint]\nroot_packages = ["pkg"]\n',
            "src/pkg/sub/mod.py": "",
            "src/pkg/sub/pyproject.toml": "[tool.ruff]\n",  # not an archlint project
        },
    )
    assert find_project_root(root / "src" / "pkg" / "sub" / "mod.py") == root.resolve()
    assert find_project_root(root / "src" / "pkg" / "sub") == root.resolve()
    with pytest.raises(ProjectNotFound, match="no archlint project found"):
        find_project_root(tmp_path.parent.parent / "surely-not-a-project" / "x.py")


# --- the schema and the model agree ---------------------------------------------------------

#: Filled by the loader, not read from a field of the table.
NOT_FIELDS = {"id", "origin"}


def _fields(cls: type) -> dict[str, dataclasses.Field[object]]:
    return {f.name: f for f in dataclasses.fields(cls) if f.name not in NOT_FIELDS}


def _has_default(f: dataclasses.Field[object]) -> bool:
    return f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING


def test_schema_has_every_contract_type() -> None:
    assert set(schema.CONTRACT_FIELDS) == set(model.CONTRACT_TYPES.values())


@pytest.mark.parametrize("cls", list(model.CONTRACT_TYPES.values()), ids=list(model.CONTRACT_TYPES))
def test_contract_schema_matches_the_dataclass(cls: type[model.Contract]) -> None:
    specs = {**schema.COMMON_CONTRACT_FIELDS, **schema.CONTRACT_FIELDS[cls]}
    assert not set(schema.COMMON_CONTRACT_FIELDS) & set(schema.CONTRACT_FIELDS[cls])
    fields = _fields(cls)
    assert set(specs) == set(fields)
    # Required in the file exactly when the dataclass has no default; `name` defaults to the id.
    required = {name for name, spec in specs.items() if spec.required}
    assert required == {n for n, f in fields.items() if not _has_default(f)} - {"name"}


@pytest.mark.parametrize(
    ("specs", "cls"),
    [(schema.DEPRECATION_FIELDS, model.Deprecation), (schema.SETTINGS_FIELDS, model.Settings)],
    ids=["deprecations", "settings"],
)
def test_other_schemas_match_their_dataclass(specs: dict[str, object], cls: type) -> None:
    fields = _fields(cls)
    assert set(specs) == set(fields)


def test_contract_common_fields_are_the_base_class_fields() -> None:
    assert set(schema.COMMON_CONTRACT_FIELDS) == set(_fields(model.Contract))


# --- toml.locate ------------------------------------------------------------------------------


def lines(text: str) -> toml.Layout:
    text = textwrap.dedent(text).lstrip("\n")
    toml.loads(text)  # every text here is valid TOML
    return toml.locate(text)


def test_locate_tables_and_keys() -> None:
    layout = lines(
        """
        top_key = 1

        [tool.archlint]
        root_packages = ["pkg"]
        "quoted" = 1

        [[contracts]]  # the first one
        id = "a"

        [[ contracts ]]
        id = "b"
        """
    )
    # A header names a key of the tables above it: ``tool`` at the top, ``archlint`` in it.
    assert layout.top.keys == {"top_key": 1, "tool": 3, "contracts": 7}
    assert layout.tables["tool"] == toml.TableLines(3, {"archlint": 3})
    assert layout.tables["tool.archlint"] == toml.TableLines(3, {"root_packages": 4, "quoted": 5})
    assert layout.arrays["contracts"] == [
        toml.TableLines(7, {"id": 8}),
        toml.TableLines(10, {"id": 11}),
    ]
    assert layout.array_item("contracts", 1) == toml.TableLines(10, {"id": 11})
    assert layout.array_item("contracts", 2) is None
    assert layout.array_item("deprecations", 0) is None
    first = layout.arrays["contracts"][0]
    assert (first.of("id"), first.of(None), first.of("missing")) == (8, 7, 7)


def test_locate_multi_line_arrays() -> None:
    layout = lines(
        """
        [[contracts]]
        layers = [
            "top",
            "a = b",            # a string that looks like a key
            { nested = 1 },     # an inline table: its keys are not the table's
            [
                "inner ]",
            ],
        ]
        containers = ["x",
            "y"]
        name = "after"
        """
    )
    assert layout.arrays["contracts"] == [
        toml.TableLines(1, {"layers": 2, "containers": 10, "name": 12})
    ]


def test_locate_triple_quoted_strings() -> None:
    layout = lines(
        '''
        [[contracts]]
        id = "a"
        why = """
        type = "not a key"
        [[contracts]]
        """
        type = "acyclic"
        note = \'\'\'
        name = "not a key either" """
        \'\'\'
        name = "a"
        one_line = """id = 1 [ "unbalanced" """
        literal = \'\'\'x = [\'\'\'
        last = 1

        [[contracts]]
        why = """Text with [ a bracket, a # hash and "quotes"
        packages = ["not", "a", "key"]
        ] still text """
        id = "b"
        '''
    )
    assert layout.arrays["contracts"] == [
        toml.TableLines(
            1,
            {
                "id": 2,
                "why": 3,
                "type": 7,
                "note": 8,
                "name": 11,
                "one_line": 12,
                "literal": 13,
                "last": 14,
            },
        ),
        toml.TableLines(16, {"why": 17, "id": 20}),
    ]


def test_locate_comments() -> None:
    layout = lines(
        """
        # [[contracts]] in a comment is no table
        # id = "nor is this a key"
        [[contracts]]
        # id = "commented out"
        id = "a"  # trailing comment with [ and { and \"\"\"
        layers = [  # opening ]]]
            "a",  # ]
            "b # not a comment",
        ]
        type = "layers"
        """
    )
    assert layout.top.keys == {"contracts": 3}
    assert layout.arrays["contracts"] == [toml.TableLines(3, {"id": 5, "layers": 6, "type": 10})]


def test_locate_keeps_the_first_line_of_a_key() -> None:
    # A key written twice is a TOML error; locate still answers with the first place.
    layout = toml.locate('[[contracts]]\nid = "a"\nid = "b"\n')
    assert layout.arrays["contracts"][0].keys == {"id": 2}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('id = = "a"\n', (1, "Invalid value")),
        ('[[contracts]]\nlayers = ["a"\nid = "b"\n', (3, "Unclosed array")),
        ("a = [\n", (None, "Invalid value (at end of document)")),
    ],
)
def test_error_line(text: str, expected: tuple[int | None, str]) -> None:
    with pytest.raises(toml.TOMLDecodeError) as caught:
        toml.loads(text)
    assert toml.error_line(caught.value) == expected
