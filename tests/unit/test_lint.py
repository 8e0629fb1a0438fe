"""Checking one file: deprecated imports, string references and direct contract breaks.

A small pyflakes-style harness: a source snippet, the file it is checked as, and the expected
``(line, col, code)`` of every finding (1-based lines, 0-based columns, as flake8 receives
them), plus the full message text where the wording matters. The rules come from a real
project on disk (``make_project`` + ``load_project``), compiled with a fixed ``today`` so that
no expectation depends on the date the tests run.

Below the harness, the domain pieces the findings are made of are tested on their own:
``DeprecationIndex``, ``replacement_import``/``replacement_target`` and ``ContractIndex``.
"""

from __future__ import annotations

import ast
import datetime as dt
import textwrap
from collections.abc import Sequence
from pathlib import Path

import pytest

from archlint.application.file_rules import FileRules
from archlint.application.lint import Finding, lint_tree, resolve_imported
from archlint.config.loader import load_project
from archlint.domain import model
from archlint.domain.deprecations import (
    DeprecationIndex,
    Match,
    replacement_import,
    replacement_target,
)
from archlint.domain.expressions import ModuleExpression
from archlint.domain.imports import ImportRecord
from archlint.domain.rules import ContractIndex
from archlint.scanning.imports import scan_imports
from archlint.scanning.modules import ModuleName

from ..helpers import make_project

#: The day the rules are compiled for: between the far past and the far future below.
TODAY = dt.date(2026, 6, 1)

DEPRECATIONS = """
[[deprecations]]
old = "pkg.old"
new = "pkg.new"
since = 2025-10-05
why = "moved"

[[deprecations]]
old = "pkg.legacy.Thing"
new = "pkg.new.Widget"
since = 2025-10-05

[[deprecations]]
old = "pkg.mod"
new = "pkg.modern"
since = 2025-10-05

[[deprecations]]
old = "pkg.mod.Name"
new = "pkg.names.Renamed"
since = 2025-10-05

[[deprecations]]
old = "pkg.gone"
why = "dropped;   use   pkg.new"

[[deprecations]]
old = "pkg.vanished"
since = 2025-10-05

[[deprecations]]
old = "pkg.expired"
new = "pkg.fresh"
since = 2000-01-01
remove_after = 2000-06-01
why = "long overdue"

[[deprecations]]
old = "pkg.edge"
new = "pkg.fresh"
remove_after = 2026-06-01

[[deprecations]]
old = "pkg.later"
new = "pkg.fresh"
since = 2025-10-05
remove_after = 2999-01-01

[[deprecations]]
old = "pkg.sub.sibling"
new = "pkg.sub.cousin"

[[deprecations]]
old = "legacy"
new = "modern"
"""

CONTRACTS = """
[[contracts]]
id = "layers"
type = "layers"
why = "Keep it   layered."
containers = ["pkg"]
layers = ["app", "domain | feat", "infra"]
ignore_imports = ["pkg.infra.legacy_db -> pkg.app.**"]

[[contracts]]
id = "slices"
type = "independence"
modules = ["pkg.feat.*"]
exclude_type_checking_imports = true

[[contracts]]
id = "no-vendor"
type = "forbidden"
source_modules = ["pkg.domain"]
forbidden_modules = ["pkg.vendor"]

[[contracts]]
id = "core-door"
type = "protected"
protected_modules = ["pkg.core"]
allowed_importers = ["pkg.app"]

[[contracts]]
id = "util-allow"
type = "allowlist"
source_modules = ["pkg.util"]
allowed_modules = ["pkg.base"]

[[contracts]]
id = "strict-allow"
type = "allowlist"
source_modules = ["pkg.strict"]
allowed_modules = ["pkg.base", "json"]
include_external_packages = true

[[contracts]]
id = "no-cycles"
type = "acyclic"
packages = ["pkg.sub"]

[[contracts]]
id = "loops"
type = "acyclic"
packages = ["pkg.loop.*"]
exclude_lazy_imports = true
"""

MODULES = [
    "pkg/__init__.py",
    "pkg/app/__init__.py",
    "pkg/app/views.py",
    "pkg/domain/__init__.py",
    "pkg/domain/model.py",
    "pkg/feat/__init__.py",
    "pkg/feat/a/__init__.py",
    "pkg/feat/a/x.py",
    "pkg/feat/b/__init__.py",
    "pkg/feat/b/y.py",
    "pkg/infra/__init__.py",
    "pkg/infra/db.py",
    "pkg/infra/legacy_db.py",
    "pkg/vendor.py",
    "pkg/core/__init__.py",
    "pkg/core/inner.py",
    "pkg/util/__init__.py",
    "pkg/util/helpers.py",
    "pkg/strict/__init__.py",
    "pkg/strict/s.py",
    "pkg/base.py",
    "pkg/sub/__init__.py",
    "pkg/sub/mod.py",
    "pkg/sub/sibling.py",
]


#: Modules that import others: what ARC106 reads to find an import back.
IMPORTING_MODULES = {
    "src/pkg/sub/cyc_a.py": "from . import cyc_b\n",
    "src/pkg/sub/cyc_b.py": "import pkg.sub.cyc_a\n",
    "src/pkg/loop/__init__.py": "",
    "src/pkg/loop/one/__init__.py": "",
    "src/pkg/loop/one/p.py": "",
    "src/pkg/loop/one/q.py": "def f():\n    from . import p\n",
    "src/pkg/loop/one/r.py": "from pkg.loop.one import p\n",
    "src/pkg/loop/two/__init__.py": "",
    "src/pkg/loop/two/s.py": "from pkg.loop.one import p\n",
}

#: Where the deprecations point: each ``new`` resolves, and so does every name the tests import
#: from a module that moved whole (a module-level ``__getattr__`` may define any name), so
#: replacements are offered ready to paste (a ``new`` that does not resolve yet is a planned
#: move: see test_planned below).
ANY_NAME = "def __getattr__(name): ...\n"
NEW_MODULES = {
    "src/pkg/new/__init__.py": "class Widget: ...\n" + ANY_NAME,
    "src/pkg/modern.py": ANY_NAME,
    "src/pkg/names.py": "Renamed = 1\n",
    "src/pkg/fresh.py": ANY_NAME,
    "src/pkg/sub/cousin.py": ANY_NAME,
}


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> FileRules:
    files = {f"src/{m}": "" for m in MODULES}
    files.update(IMPORTING_MODULES)
    files.update(NEW_MODULES)
    files["contracts/deprecations.toml"] = DEPRECATIONS
    files["contracts/architecture.toml"] = CONTRACTS
    root = make_project(tmp_path_factory.mktemp("lint"), files)
    return FileRules.compile(load_project(root), today=TODAY)


# --- the harness ---------------------------------------------------------------------------

Expected = tuple[int, int, str]


def lint(
    rules: FileRules, source: str, path: str = "src/pkg/sub/mod.py", *, with_text: bool = True
) -> list[Finding]:
    """Every finding in ``source`` checked as the file at ``path`` (relative to the project)."""
    source = textwrap.dedent(source).lstrip("\n")
    filename = str(rules.project.root / path)
    return lint_tree(rules, ast.parse(source), filename, source if with_text else None)


def where(findings: Sequence[Finding]) -> list[Expected]:
    return [(f.line, f.col, f.code) for f in findings]


def assert_lint(
    rules: FileRules,
    source: str,
    expected: Sequence[Expected],
    path: str = "src/pkg/sub/mod.py",
    messages: Sequence[str] | None = None,
) -> None:
    findings = lint(rules, source, path)
    assert where(findings) == list(expected)
    if messages is not None:
        assert [f.text for f in findings] == list(messages)


# --- ARC001 / ARC002: deprecated and removed imports, every import form ---------------------

IMPORT_FORMS = [
    pytest.param("import pkg.old\n", [(1, 0, "ARC001")], id="import a.b"),
    pytest.param("import pkg.old as po\n", [(1, 0, "ARC001")], id="import a.b as c"),
    pytest.param("from pkg import old\n", [(1, 0, "ARC001")], id="from a import b"),
    pytest.param("import pkg.old.deep\n", [(1, 0, "ARC001")], id="below old"),
    pytest.param("from pkg.old.deep import f\n", [(1, 0, "ARC001")], id="from below old"),
    pytest.param("import os, pkg.old\n", [(1, 0, "ARC001")], id="second alias"),
    pytest.param(
        "from pkg.mod import (\n    Name,\n    Other as O2,\n)\n",
        [(1, 0, "ARC001"), (1, 0, "ARC001")],
        id="multi-line from import: at the statement, one per replacement statement",
    ),
    pytest.param(
        "from pkg import old, fine, gone\n",
        [(1, 0, "ARC001"), (1, 0, "ARC002")],
        id="only the deprecated names",
    ),
    pytest.param("from pkg.old import *\n", [(1, 0, "ARC001")], id="star import"),
    pytest.param("from . import sibling\n", [(1, 0, "ARC001")], id="from . import x"),
    pytest.param("from .. import gone\n", [(1, 0, "ARC002")], id="from .. import y"),
    pytest.param("from ..old import f\n", [(1, 0, "ARC001")], id="from ..pkg import y"),
    pytest.param("from ... import old\n", [], id="relative above the top: skipped"),
    pytest.param(
        "def f():\n    import pkg.old\n\n\n"
        "class C:\n    def m(self):\n        from pkg import gone\n",
        [(2, 4, "ARC001"), (7, 8, "ARC002")],
        id="inside functions and methods",
    ),
    pytest.param(
        "try:\n    import pkg.old\nexcept ImportError:\n    from pkg import expired\n"
        "else:\n    import pkg.later\nfinally:\n    import pkg.mod\n",
        [(2, 4, "ARC001"), (4, 4, "ARC002"), (6, 4, "ARC001"), (8, 4, "ARC001")],
        id="try/except ImportError",
    ),
    pytest.param(
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from pkg.old import X\n"
        "else:\n    X = None\n",
        [(4, 4, "ARC001")],
        id="if TYPE_CHECKING",
    ),
    pytest.param("import pkg.oldish\nimport pkg\nimport os.path\n", [], id="not deprecated"),
]


@pytest.mark.parametrize(("source", "expected"), IMPORT_FORMS)
def test_every_import_form_is_found(rules: FileRules, source: str, expected: list[Expected]):
    assert_lint(rules, source, expected)


REPLACEMENTS = [
    pytest.param("import pkg.old", "import pkg.new", id="import a.b"),
    pytest.param("import pkg.old as po", "import pkg.new as po", id="import a.b as c"),
    pytest.param("import pkg.old.deep", "import pkg.new.deep", id="below old"),
    pytest.param("from pkg import old", "from pkg import new as old", id="alias kept"),
    pytest.param("from pkg import old as new", "from pkg import new", id="alias dropped"),
    pytest.param("from pkg.old import f", "from pkg.new import f", id="name kept"),
    pytest.param("from pkg.old import *", "from pkg.new import *", id="star"),
    pytest.param(
        "from pkg.legacy import Thing", "from pkg.new import Widget as Thing", id="name-level"
    ),
    pytest.param(
        "from pkg.legacy import Thing as T", "from pkg.new import Widget as T", id="name-level as"
    ),
    pytest.param("from pkg.mod import Other", "from pkg.modern import Other", id="module entry"),
    pytest.param(
        "from pkg.mod import Name", "from pkg.names import Renamed as Name", id="most specific"
    ),
    pytest.param("from . import sibling", "from pkg.sub import cousin as sibling", id="relative"),
    pytest.param("import legacy", "import modern as legacy", id="top-level keeps its name"),
    pytest.param("import legacy as modern", "import modern", id="top-level as its new name"),
    pytest.param("import legacy.sub", "import modern.sub", id="top-level dotted"),
    pytest.param("from legacy import x", "from modern import x", id="from top-level"),
]


@pytest.mark.parametrize(("statement", "replacement"), REPLACEMENTS)
def test_arc001_message_carries_the_replacement(rules: FileRules, statement: str, replacement: str):
    (finding,) = lint(rules, statement + "\n")
    assert finding.code == "ARC001"
    assert finding.message.endswith(f"; use: {replacement}")


def test_arc001_full_messages(rules: FileRules):
    assert_lint(
        rules,
        """
        from pkg.old import Thing as Old
        from pkg.mod import Name, Other
        import legacy
        """,
        [(1, 0, "ARC001"), (2, 0, "ARC001"), (2, 0, "ARC001"), (3, 0, "ARC001")],
        messages=[
            "ARC001 pkg.old is deprecated since 2025-10-05 (moved); "
            "use: from pkg.new import Thing as Old",
            "ARC001 pkg.mod.Name is deprecated since 2025-10-05; "
            "use: from pkg.names import Renamed as Name",
            "ARC001 pkg.mod is deprecated since 2025-10-05; use: from pkg.modern import Other",
            "ARC001 legacy is deprecated; use: import modern as legacy",
        ],
    )


def test_arc002_full_messages(rules: FileRules):
    assert_lint(
        rules,
        """
        import pkg.gone
        from pkg import vanished
        from pkg.expired import f
        import pkg.expired as e
        """,
        [(1, 0, "ARC002"), (2, 0, "ARC002"), (3, 0, "ARC002"), (4, 0, "ARC002")],
        messages=[
            # Removed, no since: the why (whitespace folded) is the guidance.
            "ARC002 pkg.gone was removed: dropped; use pkg.new",
            # Removed with a since and no why.
            "ARC002 pkg.vanished was removed (deprecated since 2025-10-05)",
            # Past remove_after: still carries the replacement.
            "ARC002 pkg.expired is past its remove_after date 2000-06-01 "
            "(deprecated since 2000-01-01: long overdue); use: from pkg.fresh import f",
            "ARC002 pkg.expired is past its remove_after date 2000-06-01 "
            "(deprecated since 2000-01-01: long overdue); use: import pkg.fresh as e",
        ],
    )


def test_remove_after_is_the_last_day_of_the_warning(rules: FileRules):
    """``remove_after = 2026-06-01``: a warning on that day, an error from the day after."""
    source = "import pkg.edge\nimport pkg.later\n"
    assert where(lint(rules, source)) == [(1, 0, "ARC001"), (2, 0, "ARC001")]
    next_day = FileRules.compile(rules.project, today=TODAY + dt.timedelta(days=1))
    assert where(lint(next_day, source)) == [(1, 0, "ARC002"), (2, 0, "ARC001")]
    far = FileRules.compile(rules.project, today=dt.date(2999, 1, 2))
    assert where(lint(far, source)) == [(1, 0, "ARC002"), (2, 0, "ARC002")]


def test_relative_imports_resolve_from_a_package_init(rules: FileRules):
    """In ``pkg/sub/__init__.py`` one dot is ``pkg.sub`` itself, not its parent."""
    source = "from . import sibling\nfrom .. import gone\nfrom ..old import f\n"
    expected = [(1, 0, "ARC001"), (2, 0, "ARC002"), (3, 0, "ARC001")]
    assert_lint(rules, source, expected, path="src/pkg/sub/__init__.py")
    # The same text in pkg/sub/mod.py: ``.`` is still pkg.sub there.
    assert_lint(rules, source, expected, path="src/pkg/sub/mod.py")
    # One level up, in pkg/mod2.py, ``..`` climbs above pkg: those imports are skipped.
    assert_lint(rules, source, [], path="src/pkg/mod2.py")


def test_a_file_outside_the_source_roots_gets_deprecations_only(rules: FileRules):
    """No module name: absolute imports are still checked, relative ones and contracts not."""
    source = "import pkg.old\nfrom . import sibling\nimport pkg.app.views\n"
    assert_lint(rules, source, [(1, 0, "ARC001")], path="scripts/tool.py")
    # The same text inside pkg.infra breaks the layers contract on line 3.
    assert_lint(rules, source, [(1, 0, "ARC001"), (3, 0, "ARC101")], path="src/pkg/infra/db.py")


# --- ARC003: strings that name deprecated modules ---------------------------------------------

STRING_CALLS = [
    pytest.param(
        'importlib.import_module("pkg.old")', "importlib.import_module", id="import_module"
    ),
    pytest.param('import_module("pkg.old.deep")', "import_module", id="bare import_module"),
    pytest.param('__import__("pkg.old")', "__import__", id="__import__"),
    pytest.param('importlib.util.find_spec("pkg.old")', "importlib.util.find_spec", id="find_spec"),
    pytest.param('pytest.importorskip("pkg.old")', "pytest.importorskip", id="importorskip"),
    pytest.param('mock.patch("pkg.old.f")', "mock.patch", id="mock.patch"),
    pytest.param('unittest.mock.patch("pkg.old.f")', "unittest.mock.patch", id="unittest.mock"),
    pytest.param('patch("pkg.old.f")', "patch", id="patch"),
    pytest.param('mocker.patch("pkg.old.f")', "mocker.patch", id="mocker.patch"),
    pytest.param('mock.patch.dict("pkg.old.D", {})', "mock.patch.dict", id="patch.dict"),
    pytest.param('mock.patch.multiple("pkg.old", f=1)', "mock.patch.multiple", id="multiple"),
    pytest.param('monkeypatch.setattr("pkg.old.f", 1)', "monkeypatch.setattr", id="setattr"),
    pytest.param('monkeypatch.delattr("pkg.old.f")', "monkeypatch.delattr", id="delattr"),
    pytest.param('pkgutil.resolve_name("pkg.old:f")', "pkgutil.resolve_name", id="resolve_name"),
    pytest.param('mock.patch(target="pkg.old.f")', "mock.patch", id="keyword argument"),
]


@pytest.mark.parametrize(("call", "callee"), STRING_CALLS)
def test_arc003_for_each_call_form(rules: FileRules, call: str, callee: str):
    (finding,) = lint(rules, f"x = 1\n{call}\n")
    assert (finding.line, finding.code) == (2, "ARC003")
    assert finding.col == call.index('"')
    assert f"passed to {callee}() names pkg.old, deprecated since 2025-10-05 (moved)" in (
        finding.message
    )


def test_arc003_full_messages(rules: FileRules):
    assert_lint(
        rules,
        """
        @mock.patch("pkg.mod.Name.attr")
        def test(m):
            importlib.import_module("pkg.gone")
            monkeypatch.setattr("pkg.expired.f", 1)
            pkgutil.resolve_name("pkg.old:f")
            mock.patch("pkg.mod.Other")
        """,
        [
            (1, 12, "ARC003"),
            (3, 28, "ARC003"),
            (4, 24, "ARC003"),
            (5, 25, "ARC003"),
            (6, 15, "ARC003"),
        ],
        messages=[
            "ARC003 string 'pkg.mod.Name.attr' passed to mock.patch() names pkg.mod.Name, "
            "deprecated since 2025-10-05; use: 'pkg.names.Renamed.attr'",
            "ARC003 string 'pkg.gone' passed to importlib.import_module() names pkg.gone, "
            "removed (dropped; use pkg.new)",
            "ARC003 string 'pkg.expired.f' passed to monkeypatch.setattr() names pkg.expired, "
            "deprecated since 2000-01-01, past its remove_after date 2000-06-01 (long overdue); "
            "use: 'pkg.fresh.f'",
            # The ``module:attr`` form is kept in the suggestion.
            "ARC003 string 'pkg.old:f' passed to pkgutil.resolve_name() names pkg.old, "
            "deprecated since 2025-10-05 (moved); use: 'pkg.new:f'",
            "ARC003 string 'pkg.mod.Other' passed to mock.patch() names pkg.mod, "
            "deprecated since 2025-10-05; use: 'pkg.modern.Other'",
        ],
    )


def test_strings_that_name_nothing_deprecated_are_quiet(rules: FileRules):
    assert_lint(
        rules,
        """
        importlib.import_module("pkg.oldish")
        importlib.import_module(".old", "pkg")
        __import__("old", globals(), None, [], 1)
        mock.patch("old")
        print("pkg.old")
        importlib.import_module(f"pkg.old")
        """,
        [],
    )


def test_string_search_is_skipped_only_when_no_deprecated_name_is_written(rules: FileRules):
    """``could_mention`` is a shortcut: with or without the text, the findings are equal."""
    source = 'importlib.import_module("pkg.old")\nimportlib.import_module("pkg.fine")\n'
    assert where(lint(rules, source)) == where(lint(rules, source, with_text=False))
    assert where(lint(rules, source)) == [(1, 24, "ARC003")]


# --- ARC101-105: direct imports that break a contract ----------------------------------------

CONTRACT_CASES = [
    # layers: a lower layer importing a higher one, in any form; never the other way round.
    pytest.param("src/pkg/infra/db.py", "import pkg.app.views\n", [(1, 0, "ARC101")], id="layers"),
    pytest.param(
        "src/pkg/infra/db.py", "from pkg.app import views\n", [(1, 0, "ARC101")], id="layers from"
    ),
    pytest.param(
        "src/pkg/infra/db.py",
        "from ..app import views\n",
        [(1, 0, "ARC101")],
        id="layers relative",
    ),
    pytest.param(
        "src/pkg/infra/db.py",
        "def f():\n    import pkg.domain\n",
        [(2, 4, "ARC101")],
        id="layers lazy",
    ),
    pytest.param(
        "src/pkg/app/views.py",
        "import pkg.infra.db\nimport pkg.domain.model\n",
        [],
        id="layers downwards",
    ),
    pytest.param(
        "src/pkg/infra/legacy_db.py", "import pkg.app.views\n", [], id="layers ignore_imports"
    ),
    pytest.param(
        "src/pkg/domain/model.py",
        "from pkg.feat.a import x\n",
        [(1, 0, "ARC101")],
        id="layers siblings",
    ),
    # independence, except under TYPE_CHECKING for this contract.
    pytest.param(
        "src/pkg/feat/a/x.py", "from pkg.feat.b import y\n", [(1, 0, "ARC102")], id="independence"
    ),
    pytest.param(
        "src/pkg/feat/a/x.py",
        "from pkg.feat import b\n",
        [(1, 0, "ARC102")],
        id="independence package",
    ),
    pytest.param(
        "src/pkg/feat/a/x.py", "from . import x\nimport pkg.feat\n", [], id="independence own slice"
    ),
    pytest.param(
        "src/pkg/feat/a/x.py",
        "import typing\nif typing.TYPE_CHECKING:\n    from pkg.feat.b import y\n",
        [],
        id="independence excludes TYPE_CHECKING",
    ),
    # forbidden
    pytest.param(
        "src/pkg/domain/model.py", "import pkg.vendor\n", [(1, 0, "ARC103")], id="forbidden"
    ),
    pytest.param("src/pkg/app/views.py", "import pkg.vendor\n", [], id="forbidden other source"),
    # protected: not from outside, fine from the allowed importer and from inside.
    pytest.param(
        "src/pkg/infra/db.py", "from pkg.core import inner\n", [(1, 0, "ARC104")], id="protected"
    ),
    pytest.param(
        "src/pkg/app/views.py", "from pkg.core import inner\n", [], id="protected allowed"
    ),
    pytest.param("src/pkg/core/__init__.py", "from . import inner\n", [], id="protected inside"),
    # allowlist: only the listed modules, the source's own package, and externals only when asked.
    pytest.param(
        "src/pkg/util/helpers.py", "import pkg.vendor\n", [(1, 0, "ARC105")], id="allowlist"
    ),
    pytest.param(
        "src/pkg/util/helpers.py",
        "import pkg.base\nfrom pkg.util import helpers\nimport os\nimport requests\n",
        [],
        id="allowlist allowed",
    ),
    pytest.param(
        "src/pkg/strict/s.py",
        "import json\nimport os.path\nimport pkg.base\n",
        [(2, 0, "ARC105")],
        id="allowlist with externals",
    ),
    # ``import a.b.c`` where only a.b is a module depends on a.b, as in grimp's graph; when
    # not even a.b is, the import is external to grimp (kept only with external packages).
    pytest.param(
        "src/pkg/infra/db.py", "import pkg.app.missing\n", [(1, 0, "ARC101")], id="missing module"
    ),
    pytest.param(
        "src/pkg/infra/db.py", "import pkg.app.missing.deeper\n", [], id="missing package"
    ),
    # acyclic: only an import whose target imports the importer back (ARC106).
    pytest.param(
        "src/pkg/sub/mod.py", "from . import sibling as s2\n", [(1, 0, "ARC001")], id="acyclic"
    ),
    pytest.param(
        "src/pkg/sub/cyc_a.py", "from . import cyc_b\n", [(1, 0, "ARC106")], id="two-cycle"
    ),
    pytest.param(
        "src/pkg/sub/cyc_b.py", "import pkg.sub.cyc_a\n", [(1, 0, "ARC106")], id="two-cycle back"
    ),
    pytest.param(
        "src/pkg/loop/one/p.py", "from . import r\n", [(1, 0, "ARC106")], id="acyclic wildcard"
    ),
    pytest.param("src/pkg/loop/one/p.py", "from . import q\n", [], id="acyclic lazy back excluded"),
    pytest.param(
        "src/pkg/loop/one/p.py", "def f():\n    from . import r\n", [], id="acyclic lazy excluded"
    ),
    pytest.param(
        "src/pkg/loop/one/p.py", "from pkg.loop.two import s\n", [], id="acyclic across packages"
    ),
]


@pytest.mark.parametrize(("path", "source", "expected"), CONTRACT_CASES)
def test_direct_contract_breaks(rules: FileRules, path: str, source: str, expected: list[Expected]):
    assert_lint(rules, source, expected, path=path)


def test_contract_full_messages(rules: FileRules):
    assert_lint(
        rules,
        "import pkg.app.views\nimport pkg.core.inner\nfrom pkg.feat.a import x\n",
        [(1, 0, "ARC101"), (2, 0, "ARC104"), (3, 0, "ARC101")],
        path="src/pkg/infra/db.py",
        messages=[
            "ARC101 import of pkg.app.views breaks contract 'layers': pkg.infra (layer 'infra') "
            "may not import pkg.app (layer 'app', above it) (Keep it layered.)",
            "ARC104 import of pkg.core.inner breaks contract 'core-door': pkg.core is protected: "
            "only pkg.app may import it",
            "ARC101 import of pkg.feat.a.x breaks contract 'layers': pkg.infra (layer 'infra') "
            "may not import pkg.feat (layer 'domain | feat', above it) (Keep it layered.)",
        ],
    )
    assert [f.text for f in lint(rules, "import pkg.feat.b.y\n", "src/pkg/feat/a/x.py")] == [
        "ARC102 import of pkg.feat.b.y breaks contract 'slices': pkg.feat.a and pkg.feat.b "
        "must stay independent"
    ]
    assert [f.text for f in lint(rules, "import pkg.domain.model\n", "src/pkg/feat/a/x.py")] == [
        "ARC101 import of pkg.domain.model breaks contract 'layers': pkg.feat and pkg.domain "
        "are independent siblings in layer 'domain | feat' (Keep it layered.)"
    ]
    assert [f.text for f in lint(rules, "import pkg.vendor\n", "src/pkg/domain/model.py")] == [
        "ARC103 import of pkg.vendor breaks contract 'no-vendor': pkg.domain may not import "
        "pkg.vendor"
    ]
    assert [f.text for f in lint(rules, "import pkg.vendor\n", "src/pkg/util/helpers.py")] == [
        "ARC105 import of pkg.vendor breaks contract 'util-allow': pkg.util may import only "
        "pkg.base"
    ]


def test_arc106_full_message(rules: FileRules):
    assert [f.text for f in lint(rules, "\nfrom . import cyc_b\n", "src/pkg/sub/cyc_a.py")] == [
        "ARC106 import of pkg.sub.cyc_b breaks contract 'no-cycles': pkg.sub.cyc_b imports "
        "pkg.sub.cyc_a back (l.1): a cycle of two modules"
    ]


def test_one_import_can_be_deprecated_and_break_contracts(rules: FileRules):
    """Findings at one place come in code order; the deprecation does not hide the break."""
    source = "import pkg.vendor, pkg.old\nfrom pkg.core import inner\n"
    assert_lint(
        rules,
        source,
        [(1, 0, "ARC001"), (1, 0, "ARC103"), (2, 0, "ARC104")],
        path="src/pkg/domain/model.py",
    )


def test_one_finding_per_statement_and_replacement(rules: FileRules):
    """Names moved to one place make one finding listing them; a removed module in a
    five-line import is one ARC002; names importing one module break a contract once."""
    assert_lint(
        rules,
        "from pkg.old import (\n    a,\n    b as c,\n    a,\n)\n",
        [(1, 0, "ARC001")],
        messages=[
            "ARC001 pkg.old is deprecated since 2025-10-05 (moved); "
            "use: from pkg.new import a, b as c"
        ],
    )
    assert_lint(rules, "from pkg.gone import (\n    a,\n    b,\n    c,\n)\n", [(1, 0, "ARC002")])
    assert_lint(
        rules,
        "import pkg.old.x, pkg.old.y\n",
        [(1, 0, "ARC001")],
        messages=[
            "ARC001 pkg.old is deprecated since 2025-10-05 (moved); "
            "use: import pkg.new.x, pkg.new.y"
        ],
    )
    eleven = ", ".join(f"n{i}" for i in range(11))
    assert_lint(
        rules,
        f"from pkg.core.inner import (\n    {eleven},\n)\n",
        [(1, 0, "ARC104")],
        path="src/pkg/infra/db.py",
    )


def test_findings_are_sorted_by_position_then_code(rules: FileRules):
    source = 'mock.patch("pkg.old.f")\nimport pkg.gone\n\n\ndef f():\n    import pkg.old\n'
    assert where(lint(rules, source)) == [(1, 11, "ARC003"), (2, 0, "ARC002"), (6, 4, "ARC001")]


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        pytest.param("", [(3, 4, "ARC101")], id="type-checking imports count"),
        pytest.param("exclude_type_checking_imports = true\n", [], id="excluded project-wide"),
    ],
)
def test_exclude_type_checking_imports_setting(
    tmp_path: Path, setting: str, expected: list[Expected]
):
    files = {
        "contracts/c.toml": (
            '[[contracts]]\nid = "l"\ntype = "layers"\nlayers = ["pkg.hi", "pkg.lo"]\n'
        ),
        "src/pkg/__init__.py": "",
        "src/pkg/hi.py": "",
        "src/pkg/lo.py": "",
    }
    project = load_project(make_project(tmp_path, files, extra_settings=setting))
    rules = FileRules.compile(project, today=TODAY)
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pkg.hi\n"
    assert_lint(rules, source, expected, path="src/pkg/lo.py")


# --- resolving what an import depends on ---------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "imported"),
    [
        ("import pkg.app.views", "pkg.app.views"),
        ("from pkg.app import views", "pkg.app.views"),
        ("from pkg.app.views import render", "pkg.app.views"),
        ("from pkg import app", "pkg.app"),
        ("from pkg.app import *", "pkg.app"),
        ("import os.path", "os (external)"),
        ("from os.path import join", "os (external)"),
        # ``import a.b.c`` where c is no module: grimp takes the parent, as for ``from``.
        ("import pkg.app.missing", "pkg.app"),
        ("import pkg.app.views.render", "pkg.app.views"),
        # Neither the path nor its parent is a module: external to grimp, which names it by
        # its top-level package (the root package here) in a graph with external packages.
        ("import pkg.app.missing.deeper", "pkg (external)"),
        ("from pkg.nothing import x", "pkg (external)"),
        ("from pkg.nothing import *", "pkg (external)"),
    ],
)
def test_resolve_imported_as_grimp_does(rules: FileRules, statement: str, imported: str):
    (record,) = scan_imports(ast.parse(statement), None)
    target = resolve_imported(rules, record)
    assert target is not None
    assert target.module + (" (external)" if target.external else "") == imported


# --- DeprecationIndex ------------------------------------------------------------------------


def dep(old: str, new: str | None = None) -> model.Deprecation:
    return model.Deprecation(old=old, new=new, origin=model.Origin("contracts/d.toml"))


def test_lookup_most_specific_wins_whatever_the_order():
    entries = [dep("a.b.C", "x.Y"), dep("a.b", "x"), dep("a.b.C.D", None)]
    for order in (entries, entries[::-1]):
        index = DeprecationIndex(order)
        assert index.lookup("a.b").deprecation.old == "a.b"
        assert index.lookup("a.b.other").deprecation.old == "a.b"
        assert index.lookup("a.b.C").deprecation.old == "a.b.C"
        assert index.lookup("a.b.C.m").deprecation.old == "a.b.C"
        assert index.lookup("a.b.C.D.e").deprecation.old == "a.b.C.D"
        assert index.lookup("a") is None
        assert index.lookup("a.bc") is None
        assert index.lookup("z.a.b") is None


def test_match_rest_and_new_path():
    index = DeprecationIndex([dep("a.b", "x.y"), dep("gone")])
    match = index.lookup("a.b.c.d")
    assert (match.path, match.rest, match.new_path) == ("a.b.c.d", "c.d", "x.y.c.d")
    match = index.lookup("a.b")
    assert (match.rest, match.new_path) == ("", "x.y")
    assert index.lookup("gone.sub").new_path is None


def test_empty_index_and_could_mention():
    assert not DeprecationIndex([])
    index = DeprecationIndex([dep("a.b.old_thing", "c"), dep("top")])
    assert index
    assert index.could_mention("from a.b import old_thing")
    assert index.could_mention("import top")
    assert not index.could_mention("import a.b\nprint('nothing here')")


@pytest.mark.parametrize(
    ("statement", "old", "new", "expected"),
    [
        ("import a.b", "a.b", "c.d", "import c.d"),
        ("import a.b as x", "a.b", "c.d", "import c.d as x"),
        ("import a.b.c", "a.b", "c.d", "import c.d.c"),
        ("import a", "a", "z", "import z as a"),
        ("import a", "a", "z.y", "import z.y as a"),
        ("import a as z", "a", "z", "import z"),
        ("from a import b", "a.b", "c.d", "from c import d as b"),
        ("from a import b", "a.b", "c.b", "from c import b"),
        ("from a import b as y", "a.b", "c.d", "from c import d as y"),
        ("from a import b as d", "a.b", "c.d", "from c import d"),
        ("from a.b import *", "a.b", "c.d", "from c.d import *"),
        ("from a.b import N", "a.b", "c", "from c import N"),
        ("from a.b import N", "a.b.N", "c.M", "from c import M as N"),
        ("from a.b import N", "a.b.N", "top", "import top as N"),
        ("from .b import N", "a.b", "c", "from c import N"),
        ("from . import b", "a.b", "c.d", "from c import d as b"),
        ("import a.b", "a.b", None, None),
        ("from a import b", "a", None, None),
    ],
)
def test_replacement_import(statement: str, old: str, new: str | None, expected: str | None):
    (record,) = scan_imports(ast.parse(statement), ModuleName("a.m", is_package=False))
    match = DeprecationIndex([dep(old, new)]).lookup(record.path)
    assert match is not None
    assert replacement_import(record, match) == expected


@pytest.mark.parametrize(
    ("value", "old", "new", "expected"),
    [
        ("a.b", "a.b", "c.d", "c.d"),
        ("a.b.C.meth", "a.b", "c.d", "c.d.C.meth"),
        ("a.b.C.meth", "a.b.C", "c.K", "c.K.meth"),
        ("a.b:C", "a.b", "c.d", "c.d:C"),
        ("a.b:C.meth", "a.b", "c", "c:C.meth"),
        ("a.b.c:C", "a.b", "x", "x.c:C"),
        ("a.b", "a.b", None, None),
    ],
)
def test_replacement_target(value: str, old: str, new: str | None, expected: str | None):
    match = DeprecationIndex([dep(old, new)]).lookup(value.replace(":", "."))
    assert match is not None
    assert replacement_target(value, match) == expected


def test_replacement_import_record_built_by_hand():
    """The record's own fields decide, not how it was scanned."""
    record = ImportRecord("a.b", "C", "K", line=1, col=0, stmt_line=1, stmt_col=0, level=1)
    match = Match("a.b.C", dep("a.b", "x.y"))
    assert replacement_import(record, match) == "from x.y import C as K"


# --- ContractIndex --------------------------------------------------------------------------


def expressions(*texts: str) -> tuple[ModuleExpression, ...]:
    return tuple(ModuleExpression.parse(t) for t in texts)


ORIGIN = model.Origin("contracts/c.toml", 1)


def project_with(*contracts: model.Contract) -> model.Project:
    return model.Project(
        root=Path("/nowhere"),
        settings=model.Settings(root_packages=("pkg",)),
        contracts=contracts,
        deprecations=(),
    )


def breaches(contract: model.Contract, importer: str, imported: str, tc: bool = False) -> list[str]:
    project = project_with(contract)
    index = ContractIndex(project.contracts, project.settings.root_packages)
    return [b.rule for b in index.breaches(importer, imported, type_checking=tc, project=project)]


def test_wildcards_in_contract_expressions():
    one = model.IndependenceContract(
        id="one", name="one", origin=ORIGIN, modules=expressions("pkg.*.api")
    )
    assert breaches(one, "pkg.a.api", "pkg.b.api.x") == [
        "pkg.a.api and pkg.b.api must stay independent"
    ]
    assert breaches(one, "pkg.a.api", "pkg.b.c.api") == []
    many = model.IndependenceContract(
        id="many", name="many", origin=ORIGIN, modules=expressions("pkg.**.api")
    )
    assert breaches(many, "pkg.a.api", "pkg.b.c.api.x") == [
        "pkg.a.api and pkg.b.c.api must stay independent"
    ]


def test_as_packages_false_names_only_the_module_itself():
    forbidden = model.ForbiddenContract(
        id="f",
        name="f",
        origin=ORIGIN,
        source_modules=expressions("pkg.a"),
        forbidden_modules=expressions("pkg.b"),
        as_packages=False,
    )
    assert breaches(forbidden, "pkg.a", "pkg.b") == ["pkg.a may not import pkg.b"]
    assert breaches(forbidden, "pkg.a.sub", "pkg.b") == []
    assert breaches(forbidden, "pkg.a", "pkg.b.sub") == []
    as_packages = model.ForbiddenContract(
        id="g",
        name="g",
        origin=ORIGIN,
        source_modules=expressions("pkg.a"),
        forbidden_modules=expressions("pkg.b"),
    )
    assert breaches(as_packages, "pkg.a.sub", "pkg.b.sub") == ["pkg.a may not import pkg.b"]


def test_layers_without_containers_and_with_ordered_siblings():
    contract = model.LayersContract(
        id="l",
        name="l",
        origin=ORIGIN,
        layers=(
            model.Layer((model.LayerModule("pkg.top"),), text="pkg.top"),
            model.Layer(
                (model.LayerModule("pkg.x"), model.LayerModule("pkg.y")),
                independent=False,
                text="pkg.x : pkg.y",
            ),
        ),
    )
    assert breaches(contract, "pkg.x.m", "pkg.top") == [
        "pkg.x (layer 'pkg.x : pkg.y') may not import pkg.top (layer 'pkg.top', above it)"
    ]
    assert breaches(contract, "pkg.x.m", "pkg.y") == []
    assert breaches(contract, "pkg.top", "pkg.x.m") == []


def test_no_breach_for_self_imports_or_without_contracts():
    contract = model.ForbiddenContract(
        id="f",
        name="f",
        origin=ORIGIN,
        source_modules=expressions("pkg.a"),
        forbidden_modules=expressions("pkg.a"),
    )
    assert breaches(contract, "pkg.a", "pkg.a") == []
    empty = project_with()
    assert (
        ContractIndex((), ("pkg",)).breaches("pkg.a", "pkg.b", type_checking=False, project=empty)
        == []
    )


def test_graph_only_contract_types_are_not_indexed():
    acyclic = model.AcyclicContract(id="a", name="a", origin=ORIGIN, packages=expressions("pkg"))
    siblings = model.AcyclicSiblingsContract(
        id="s", name="s", origin=ORIGIN, ancestors=expressions("pkg")
    )
    assert ContractIndex((acyclic, siblings), ("pkg",)).contracts == ()


@pytest.mark.parametrize("extra", [0, 100])
def test_could_mention_finds_every_deprecated_last_segment(extra: int) -> None:
    """With few or many deprecations, a file naming a last segment as a word is never skipped,
    and one naming none is."""
    entries = [
        model.Deprecation(old=f"pkg.legacy{i}.mod{i}", new="pkg.new", origin=model.Origin("x"))
        for i in range(extra)
    ]
    entries.append(model.Deprecation(old="pkg.old.widgét", new="pkg.new", origin=model.Origin("x")))
    index = DeprecationIndex(entries)
    assert index.could_mention("from pkg.old import widgét\n")
    assert index.could_mention('mock.patch("pkg.old.widgét.f")\n')
    assert not index.could_mention("import os\nprint('nothing here')\n")
    if extra:
        assert index.could_mention("from pkg.legacy7 import mod7\n")


def test_could_mention_needs_every_segment_a_file_must_write() -> None:
    """An absolute import writes every segment; a relative one only those below the package
    the file shares with the path."""
    index = DeprecationIndex(
        [model.Deprecation(old="pkg.old.widget", new="pkg.new", origin=model.Origin("x"))]
    )
    assert not index.could_mention("widget = make_widget()\n")
    assert index.could_mention("from pkg.old import widget\n")
    assert index.could_mention("import pkg.old.widget as w\n")
    assert index.could_mention("from . import widget\n", package="pkg.old")
    assert index.could_mention("from .. import widget\n", package="pkg.old.sub")
    assert index.could_mention("from ..old import widget\n", package="pkg.other")
    assert not index.could_mention("from . import widget\n", package="pkg.other")
    assert index.could_reference('patch("pkg.old.widget.render")\n')
    assert index.could_reference("resolve_name('pkg.old:widget')\n")
    assert not index.could_reference('patch("pkg.old.gadget")\nx = "widget"\n')


def test_import_naming_finds_every_import_statement_of_the_standard_library() -> None:
    """The pre-filter ARC106 uses before parsing another module must never miss an import:
    for every import of every module of a sample of the standard library, the statement is
    found from the last segment of what it imports."""
    import ast
    import sysconfig

    from archlint.domain.import_text import import_naming

    stdlib = Path(sysconfig.get_paths()["stdlib"])
    checked = 0
    for path in sorted(stdlib.rglob("*.py"))[::5][:300]:
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue
        for record in scan_imports(tree, ModuleName("pkg.mod", False)):
            # A relative import is resolved against a made-up module here: only the names
            # it imports are sure to be written.
            names = [] if record.level else [record.module.rsplit(".", 1)[-1]]
            if record.name not in (None, "*"):
                names.append(record.name)
            for name in names:
                assert import_naming(name).search(text), f"{path}:{record.line}: {name}"
                checked += 1
    assert checked > 2000


def test_could_import_from_inside_and_outside_the_parent_package() -> None:
    from archlint.domain.import_text import could_import

    target = "pkg.sub.mod"
    assert could_import("from pkg.sub import (\n    a,\n    mod,\n)\n", target, "other")
    assert could_import("import pkg.sub.mod as m\n", target, "other")
    assert could_import("from pkg.sub.mod import x\n", target, None)
    assert could_import("x = 1; from ..sub import mod\n", target, "pkg.other")
    assert could_import("from . import mod\n", target, "pkg.sub")
    assert could_import("from .. import mod\n", target, "pkg.sub.deeper")
    assert not could_import("from . import mod\n", target, "pkg.other")
    assert not could_import("from django.db import models\nmod = 1\n", target, "other")


def test_imports_outside_the_project_are_skipped_only_when_no_contract_names_one() -> None:
    def index(*contracts: model.Contract) -> ContractIndex:
        return ContractIndex(contracts, ["pkg"])

    origin = model.Origin("x")
    internal = model.ForbiddenContract(
        id="f",
        name="f",
        origin=origin,
        source_modules=(ModuleExpression("pkg.a"),),
        forbidden_modules=(ModuleExpression("pkg.b"),),
    )
    external = model.ForbiddenContract(
        id="g",
        name="g",
        origin=origin,
        source_modules=(ModuleExpression("pkg.a"),),
        forbidden_modules=(ModuleExpression("requests"),),
    )
    checking = model.AllowlistContract(
        id="h",
        name="h",
        origin=origin,
        source_modules=(ModuleExpression("pkg.a"),),
        allowed_modules=(ModuleExpression("pkg.b"),),
        include_external_packages=True,
    )
    assert not index(internal).concerns_external
    assert index(internal, external).concerns_external
    assert index(checking).concerns_external


@pytest.mark.parametrize(
    ("expression", "module", "package"),
    [
        ("pkg.a", "pkg.a", "pkg.a"),
        ("pkg.a", "pkg.a.b.c", "pkg.a"),
        ("pkg.a", "pkg.ab", None),
        ("pkg.*", "pkg.a.b", "pkg.a"),
        ("pkg.**", "pkg.a.b", "pkg.a"),
        ("pkg.*.c", "pkg.a.c.d", "pkg.a.c"),
        ("pkg.*.c", "pkg.a.b", None),
    ],
)
def test_package_of(expression: str, module: str, package: str | None) -> None:
    assert ModuleExpression.parse(expression).package_of(module) == package
