"""``archlint fix`` never makes the program worse: no new import-time cycle, no kept contract
broken (issue 12, Build 1).

The httpx case: a deprecation pointing at a re-export in the package ``__init__`` used as the
replacement from inside the package. Rewriting ``pkg/_client.py`` to ``from pkg import
HTTPTransport`` makes ``_client`` depend on ``pkg/__init__``, which imports ``_client``: the
rewritten program fails with "cannot import name ... from partially initialized module".
The SQLAlchemy case: a module rewritten to import a name from its own package.
"""

from __future__ import annotations

from pathlib import Path

from archlint.application.project import open_project
from archlint.domain.deprecations import DeprecationIndex
from archlint.scanning.modules import ModuleName
from tests.helpers import make_project, python_import, run

FILES = {
    "contracts/deprecations.toml": """
        [[deprecations]]
        old = "pkg._transports.default.HTTPTransport"
        new = "pkg.HTTPTransport"
        why = "use the public name"

        [[deprecations]]
        old = "pkg._oldmodels"
        new = "pkg._models"

        [[deprecations]]
        old = "pkg.util._collections.immutabledict"
        new = "pkg.util.immutabledict"
    """,
    "src/pkg/__init__.py": """
        from pkg._client import Client
        from pkg._transports.default import HTTPTransport
        from pkg.util import greenlet_spawn

        __all__ = ["Client", "HTTPTransport", "greenlet_spawn"]
    """,
    "src/pkg/_transports/__init__.py": "",
    "src/pkg/_transports/default.py": "class HTTPTransport:\n    pass\n",
    "src/pkg/_models.py": "class Request:\n    pass\n",
    "src/pkg/_oldmodels.py": "from pkg._models import Request\n",
    "src/pkg/_client.py": """
        from pkg._oldmodels import Request
        from pkg._transports.default import HTTPTransport


        class Client:
            transport = HTTPTransport
            request = Request
    """,
    "src/pkg/util/__init__.py": """
        from pkg.util._collections import immutabledict
        from pkg.util.concurrency import greenlet_spawn

        __all__ = ["greenlet_spawn", "immutabledict"]
    """,
    "src/pkg/util/_collections.py": "class immutabledict(dict):\n    pass\n",
    "src/pkg/util/concurrency.py": """
        from pkg.util._collections import immutabledict

        EMPTY = immutabledict()


        def greenlet_spawn():
            # A lazy import: runs when called, never at import time; rewriting it is safe.
            from pkg.util._collections import immutabledict

            return immutabledict()
    """,
}


def test_unchecked_rewrite_breaks_the_import(tmp_path: Path) -> None:
    """What fix wrote before the safety check: the program no longer imports."""
    root = make_project(tmp_path, FILES)
    assert python_import(root).returncode == 0
    index = DeprecationIndex(open_project(root=root).project.deprecations)
    for rel, module in [
        ("src/pkg/_client.py", "pkg._client"),
        ("src/pkg/util/concurrency.py", "pkg.util.concurrency"),
    ]:
        path = root / rel
        from archlint.application.fix import fix_source

        fixed = fix_source(path.read_text(), index, ModuleName(module, False))
        path.write_text(fixed.text)
    assert "from pkg import HTTPTransport" in (root / "src/pkg/_client.py").read_text()
    broken = python_import(root)
    assert broken.returncode != 0
    assert "partially initialized module" in broken.stderr


def test_fix_refuses_the_cycle_and_fixes_the_rest(tmp_path: Path) -> None:
    root = make_project(tmp_path, FILES)
    result = run(["archlint", "fix"], cwd=root)
    assert result.returncode == 1, result.stdout + result.stderr  # hand fixes remain
    out = result.stderr
    client = (root / "src/pkg/_client.py").read_text()
    concurrency = (root / "src/pkg/util/concurrency.py").read_text()
    # The safe rewrite is made; the unsafe one is listed with the chain that closes the cycle.
    assert "from pkg._models import Request" in client
    assert "from pkg._transports.default import HTTPTransport" in client
    assert (
        "src/pkg/_client.py:2:1: from pkg._transports.default import HTTPTransport: refused: "
        "would close an import-time cycle: pkg._client -> pkg (l.2) -> pkg._client (l.1)"
    ) in out
    # The SQLAlchemy shape: the module-level import is refused, the lazy one rewritten.
    assert concurrency.splitlines()[0] == "from pkg.util._collections import immutabledict"
    assert "    from pkg.util import immutabledict" in concurrency
    assert (
        "src/pkg/util/concurrency.py:1:1: from pkg.util._collections import immutabledict: "
        "refused: would close an import-time cycle: pkg.util.concurrency -> pkg.util (l.1) "
        "-> pkg.util.concurrency (l.2)"
    ) in out
    # (and the package __init__ files' own imports, refused as self-imports as before)
    assert "Fixed 2 imports and 0 strings in 2 files; 4 sites need a hand fix." in result.stdout
    assert python_import(root).returncode == 0, python_import(root).stderr
    # A second run refuses the same sites and changes nothing.
    before = {p: p.read_bytes() for p in (root / "src").rglob("*.py")}
    again = run(["archlint", "fix"], cwd=root)
    assert again.returncode == 1
    assert {p: p.read_bytes() for p in (root / "src").rglob("*.py")} == before


def test_fix_refuses_a_rewrite_that_breaks_a_kept_contract(tmp_path: Path) -> None:
    files = {
        "contracts/rules.toml": """
            [[contracts]]
            id = "api-not-internal"
            type = "forbidden"
            source_modules = ["pkg.api"]
            forbidden_modules = ["pkg.internal"]

            [[deprecations]]
            old = "pkg.compat.helper"
            new = "pkg.internal.helper"

            [[deprecations]]
            old = "pkg.compat.other"
            new = "pkg.public.other"
        """,
        "src/pkg/__init__.py": "",
        "src/pkg/compat.py": "def helper():\n    pass\n\n\ndef other():\n    pass\n",
        "src/pkg/internal.py": "def helper():\n    pass\n",
        "src/pkg/public.py": "def other():\n    pass\n",
        "src/pkg/api.py": "from pkg.compat import helper\nfrom pkg.compat import other\n",
    }
    root = make_project(tmp_path, files)
    before = run(["archlint", "check"], cwd=root)
    # The contract is kept; check (the one gate) reports the two deprecated imports.
    assert before.returncode == 1 and "KEPT   api-not-internal" in before.stdout
    assert before.stdout.count(" ARC001 ") == 2
    result = run(["archlint", "fix"], cwd=root)
    assert result.returncode == 1
    assert (
        "src/pkg/api.py:1:1: from pkg.compat import helper: refused: would break contract "
        "'api-not-internal', kept today (pkg.api -> pkg.internal)"
    ) in result.stderr
    api = (root / "src/pkg/api.py").read_text()
    assert api == "from pkg.compat import helper\nfrom pkg.public import other\n"
    after = run(["archlint", "check"], cwd=root)
    assert "KEPT   api-not-internal" in after.stdout and after.stdout.count(" ARC001 ") == 1
