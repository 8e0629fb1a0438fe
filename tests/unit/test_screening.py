"""The text screening ``archlint check`` does before parsing never skips a finding.

``DeprecationIndex.last_words`` and ``could_mention`` decide, from a file's text alone, that
the file holds no deprecated import or string reference; ``archlint check`` then does not
parse it. These properties compare that answer with parsing everything: on texts built from
every shape an import or a string reference can take (absolute, relative at any depth,
parenthesised, continued, after ``;``, in strings, in comments, inside longer words), a file
the screen skips has no ARC0xx finding, and the words it finds are every last segment the
text writes as a word (what the gate's quick trees rely on to know a file imports only
modules of the graph).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archlint.application.file_rules import FileRules
from archlint.application.lint import lint_tree
from archlint.config.loader import load_project

from ..helpers import make_project
from .test_lint import DEPRECATIONS, MODULES, NEW_MODULES, TODAY

#: Many deprecations sharing prefixes (``mod1``, ``mod10``, ``mod100``...), as the Django
#: benchmark has: the alternation of last segments is a tree of common prefixes.
MANY = "".join(
    f'[[deprecations]]\nold = "pkg.legacy{i}.mod{i}"\nnew = "pkg.new"\n\n' for i in range(120)
)

#: Paths written in the texts: deprecated ones, below them, above them, near misses.
PATHS = [
    "pkg.old",
    "pkg.old.deep",
    "pkg.legacy.Thing",
    "pkg.legacy",
    "pkg.mod",
    "pkg.mod.Name",
    "pkg.modern",
    "pkg.gone",
    "pkg.sub.sibling",
    "pkg.sub.cousin",
    "legacy",
    "legacy.inner",
    "pkg.legacy7.mod7",
    "pkg.legacy10.mod10",
    "pkg.legacy10.mod1",
    "pkg.legacy1.mod10",
    "pkg.new",
    "pkg.oldish",
]

#: Statement shapes; ``{p}`` is a dotted path, ``{m}``/``{n}`` its parent and last segment,
#: ``{d}`` leading dots, ``{r}`` the path's tail below the dots.
SHAPES = [
    "import {p}\n",
    "import os, {p} as alias\n",
    "from {m} import {n}\n",
    "from {m} import (\n    other,\n    {n} as N,\n)\n",
    "from {m} import other, \\\n    {n}\n",
    "from {p} import *\n",
    "from {p} import thing\n",
    "x = 1; import {p}\n",
    "if x: from {m} import {n}\n",
    "def f():\n    from {m} import {n}\n",
    "try:\n    import {p}\nexcept ImportError:\n    pass\n",
    "from {d} import {n}\n",
    "from {d}{r} import thing\n",
    "from {d}{r} import (\n    a,\n    b,\n)\n",
    'importlib.import_module("{p}")\n',
    "mock.patch('{p}.attr')\n",
    'resolve_name("{m}:{n}")\n',
    "# import {p}\n",
    '"""from {m} import {n}"""\n',
    "my{n} = {n}_value\n",
    "{n} = make_{n}()\n",
    "print('{p}')\n",
]

#: Relative imports that do reach deprecated paths from one of :data:`FILES` (the shapes
#: above mostly climb past them), each naming only the segments below the shared package.
RELATIVE = [
    "from . import sibling\n",
    "from .sibling import x\n",
    "from . import (\n    cousin,\n    sibling,\n)\n",
    "from .. import old\n",
    "from ..old import x\n",
    "from ..mod import Name\n",
    "from .. import mod\n",
    "from ..legacy import Thing\n",
    "from ..sub import sibling\n",
    "from . import old\n",
    "from .old.deep import x\n",
    "from .mod import Name as N\n",
    "from .legacy7 import mod7\n",
    "from ..legacy10 import mod10\n",
]

#: The files a text is checked as: its package decides what relative imports reach.
FILES = ["src/pkg/sub/mod.py", "src/pkg/app/views.py", "src/pkg/__init__.py", "src/top.py"]


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> FileRules:
    files = {f"src/{m}": "" for m in MODULES}
    files.update(NEW_MODULES)
    files["src/top.py"] = ""
    files["contracts/deprecations.toml"] = DEPRECATIONS + "\n" + MANY
    root = make_project(tmp_path_factory.mktemp("screening"), files)
    return FileRules.compile(load_project(root), today=TODAY)


def _statement(shape: str, path: str, dots: int) -> str:
    parent, _, last = path.rpartition(".")
    parts = path.split(".")
    tail = ".".join(parts[min(dots, len(parts) - 1) :])
    return shape.format(p=path, m=parent or "os", n=last, d="." * dots, r=tail)


_STATEMENT = st.one_of(
    st.builds(_statement, st.sampled_from(SHAPES), st.sampled_from(PATHS), st.integers(1, 3)),
    st.sampled_from(RELATIVE),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_STATEMENT, min_size=1, max_size=6), st.sampled_from(FILES))
def test_a_file_the_screen_skips_has_no_deprecation_finding(
    rules: FileRules, statements: list[str], file: str
) -> None:
    text = "".join(statements)
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return  # ``from .. import`` shapes above the top package: not a file anyone lints
    filename = str(rules.project.root / file)
    index = rules.deprecations
    findings = lint_tree(rules, tree, filename, None, contracts=False)
    package = rules.package_of(filename)
    hits = index.last_words(text)
    screened = index.could_mention(text, package, hits)
    assert screened == index.could_mention(text, package)  # sharing the words changes nothing
    if findings:
        assert screened, (text, file, findings)
    # Every last segment written as a word is found: nothing the quick trees rely on is missed.
    words = set(re.findall(r"\w+", text))
    assert words & index.last_segments <= hits, text
    # No last segment written, no string naming a deprecated path: the gate relies on it.
    if not hits:
        assert not index.could_reference(text), text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("mod10legacy_.7 \n'(é")), max_size=60))
def test_the_last_words_are_found_in_any_text(rules: FileRules, text: str) -> None:
    """Segments sharing prefixes, words running into each other: every whole word found."""
    index = rules.deprecations
    words = set(re.findall(r"\w+", text))
    assert words & index.last_segments <= index.last_words(text), text


def test_a_segment_at_the_end_of_a_longer_word_errs_towards_parsing(
    tmp_path: Path,
) -> None:
    """``mymod7`` ends with ``mod7``: found too, which only makes the file parsed; the import
    pattern then rules the file out."""
    root = make_project(
        tmp_path,
        {
            "src/pkg/__init__.py": "",
            "src/pkg/new.py": "",
            "contracts/deprecations.toml": MANY,
        },
    )
    index = FileRules.compile(load_project(root), today=TODAY).deprecations
    assert "mod7" in index.last_words("mymod7 = 1\n")
    assert not index.could_mention("mymod7 = 1\n")
    assert index.could_mention("from pkg.legacy7 import mod7\n")
    assert index.last_words("import os\n") == frozenset()
