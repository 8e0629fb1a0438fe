"""The ARC codes: each code with its message template and its documentation, in one place.

The flake8 plugin formats its messages from here, the README's rule reference is generated from
here (and a test keeps the two equal), and ``archlint explain CODE`` prints from here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

#: flake8's own rule for codes it accepts.
CODE_PATTERN = re.compile(r"[A-Z]{1,3}[0-9]{0,3}\Z")


@dataclass(frozen=True, slots=True)
class Code:
    """One ARC code: what it flags, how its message reads, and how to fix what it flags."""

    code: str
    slug: str
    summary: str
    #: ``str.format`` template of the message after the code.
    template: str
    what: str
    why: str
    example: str
    fix: str

    def message(self, **fields: object) -> str:
        """The full flake8 message text: ``"ARC001 ..."``."""
        return f"{self.code} {self.template.format(**fields)}"


_CODES = (
    Code(
        code="ARC001",
        slug="deprecated-import",
        summary="import of a deprecated path",
        template="{path} is deprecated{since}{why}; {advice}",
        what=(
            "An import whose dotted path is, or lies below, the `old` of a `[[deprecations]]` "
            "entry that has a `new`. One message per statement and replacement, at the "
            "statement's first line and column, naming every name it imports from there. It "
            "carries the import to write instead, ready to paste, only when `new` resolves; "
            "while it does not (a planned move, see `unresolved_new`) it says "
            '"planned: `NEW` does not exist yet" instead.'
        ),
        why=(
            "After a move, the old path usually keeps working through a re-export shim, so "
            "nothing fails and the old import spreads. The message carries the exact import "
            "to type instead."
        ),
        example=(
            "```toml\n"
            "[[deprecations]]\n"
            'old = "bot_v2.orchestration.market_monitor"\n'
            'new = "bot_v2.features.market_data"\n'
            "since = 2025-10-05\n"
            "```\n"
            "```python\n"
            "from bot_v2.orchestration.market_monitor import MarketActivityMonitor  # ARC001\n"
            "```"
        ),
        fix=(
            "Paste the suggested import, or run `archlint fix`:\n"
            "```python\n"
            "from bot_v2.features.market_data import MarketActivityMonitor\n"
            "```"
        ),
    ),
    Code(
        code="ARC002",
        slug="removed-import",
        summary="import of a removed path, or of a deprecated one past its `remove_after`",
        template="{path} {state}{since}{why}{advice}",
        what=(
            "An import of a path whose `[[deprecations]]` entry has no `new` (the module or name "
            "is gone), or whose `remove_after` date has passed."
        ),
        why=(
            "A removed path fails at import time, often only on the code path that runs it; "
            "a deprecation past its date is a promise the team made to itself."
        ),
        example=(
            "```toml\n"
            "[[deprecations]]\n"
            'old = "bot_v2.orchestration.symbols"\n'
            'why = "wrapper removed; import from bot_v2.shared.symbol_utils"\n'
            "```\n"
            "```python\n"
            "from bot_v2.orchestration.symbols import normalize  # ARC002\n"
            "```"
        ),
        fix="Where the entry has a `new`, paste the suggested import or run `archlint fix`; "
        "where it has none, follow its `why`.",
    ),
    Code(
        code="ARC003",
        slug="deprecated-string-reference",
        summary="a deprecated or removed path inside a string that names a module",
        template="string {value!r} passed to {call}() names {path}, {state}{advice}",
        what=(
            "A string literal passed to `importlib.import_module`, `__import__`, "
            "`importlib.util.find_spec`, `pytest.importorskip`, `mock.patch` (and `.dict`, "
            "`.multiple`, `mocker.patch`), `monkeypatch.setattr`/`delattr` with a dotted target, "
            "or `pkgutil.resolve_name`, whose path is deprecated or removed."
        ),
        why=(
            "Refactors rename imports but not strings. A `mock.patch` of the old path patches "
            "the shim, not the code under test, and the test passes for the wrong reason."
        ),
        example=(
            "```python\n"
            '@mock.patch("bot_v2.orchestration.market_monitor.MarketActivityMonitor.record")\n'
            "def test_reconnect(record): ...\n"
            "```"
        ),
        fix=(
            "Use the new path in the string, or run `archlint fix`:\n"
            "```python\n"
            '@mock.patch("bot_v2.features.market_data.MarketActivityMonitor.record")\n'
            "```"
        ),
    ),
    Code(
        code="ARC004",
        slug="shim-grew-code",
        summary="a shim at a deprecated path holds code of its own",
        template=(
            "shim {module} grew code: {what}{more}; a shim only re-exports {new} "
            "(deprecation of {old}{since}): move the code to {new}"
        ),
        what=(
            "A module that is the `old` of a `[[deprecations]]` entry (or lies below it) and "
            "still exists, while the entry's `new` resolves, is a shim: it stands in for `new` "
            "so that code outside the project keeps working. A shim may hold a docstring, "
            "imports (`__future__`, `as`, `*`), `__all__`, aliases (`Old = New`), a "
            "`warnings.warn(...)` with plain arguments, `def __getattr__` / `__dir__` (lazy "
            "re-export), `if TYPE_CHECKING:` and other `if` blocks on a plain test, "
            "`try`/`except ImportError`, `del`, and private literal tables. Anything else (a "
            "class, another function, an assignment that computes, a loop, a call) is flagged, "
            "once per shim, at its first such statement. A planned move (a `new` that does not "
            "exist yet) leaves the code at `old` alone. Imports of a shim from inside the "
            "project are ARC001/ARC002."
        ),
        why=(
            "Code added to a shim after a move lives at a path the project has promised to "
            "delete: it escapes the new module's tests and contracts, and removing the shim "
            "on its `remove_after` date silently removes it too."
        ),
        example=(
            "```python\n"
            "# bot_v2/orchestration/market_monitor.py: the shim `archlint move` left\n"
            "import warnings\n\n"
            "from bot_v2.features.market_data import MarketActivityMonitor\n\n"
            '__all__ = ["MarketActivityMonitor"]\n\n'
            "class QuietMonitor(MarketActivityMonitor):  # ARC004\n"
            "    ...\n"
            "```"
        ),
        fix="Move the code to the `new` module (and re-export it from the shim if outside "
        "code needs it at the old path); if the module is real code again, remove its "
        "`[[deprecations]]` entry.",
    ),
    Code(
        code="ARC101",
        slug="layers",
        summary="a direct import that breaks a `layers` contract",
        template="import of {imported} breaks contract '{contract}': {rule}{why}",
        what="An import from a lower layer of a `layers` contract into a higher one, or "
        "between independent siblings of one layer.",
        why="Layers only hold if lower code never reaches up; one import up is how a cycle "
        "between layers starts.",
        example=(
            "```toml\n"
            '[[contracts]]\nid = "layers"\ntype = "layers"\ncontainers = ["bot_v2"]\n'
            'layers = ["orchestration", "features | monitoring", "shared"]\n'
            "```\n"
            "```python\n# bot_v2/shared/config.py\n"
            "from bot_v2.features.market_data import MarketDataService  # ARC101\n```"
        ),
        fix="Move the code that needs the higher layer up, or pass it in from above "
        "(a parameter, a protocol in the lower layer).",
    ),
    Code(
        code="ARC102",
        slug="independence",
        summary="a direct import that breaks an `independence` contract",
        template="import of {imported} breaks contract '{contract}': {rule}{why}",
        what="An import from one module of an `independence` contract into another.",
        why="Independent slices can be changed, tested and extracted one at a time.",
        example=(
            "```toml\n"
            '[[contracts]]\nid = "feature-slices"\ntype = "independence"\n'
            'modules = ["bot_v2.features.*"]\n'
            "```\n"
            "```python\n# bot_v2/features/live_trade/risk/gate_validator.py\n"
            "from bot_v2.features.market_data import MarketDataService  # ARC102\n```"
        ),
        fix="Move what both slices need into a shared lower layer, or pass it in.",
    ),
    Code(
        code="ARC103",
        slug="forbidden",
        summary="a direct import that breaks a `forbidden` contract",
        template="import of {imported} breaks contract '{contract}': {rule}{why}",
        what="An import, by a source module, of a forbidden module.",
        why="Some dependencies are ruled out outright: a feature reaching into the bot runtime, "
        "a domain package importing a web framework.",
        example=(
            "```toml\n"
            '[[contracts]]\nid = "features-not-runtime"\ntype = "forbidden"\n'
            'source_modules = ["bot_v2.features"]\n'
            'forbidden_modules = ["bot_v2.orchestration.perps_bot"]\n'
            "```"
        ),
        fix="Depend on an abstraction the forbidden module implements, passed in from above.",
    ),
    Code(
        code="ARC104",
        slug="protected",
        summary="a direct import that breaks a `protected` contract",
        template="import of {imported} breaks contract '{contract}': {rule}{why}",
        what="An import of a protected module by a module that is not an allowed importer.",
        why="A protected module has one front door; everything else goes through it.",
        example=(
            "```toml\n"
            '[[contracts]]\nid = "builder-only-from-cli"\ntype = "protected"\n'
            'protected_modules = ["bot_v2.orchestration.perps_bot_builder"]\n'
            'allowed_importers = ["bot_v2.cli"]\n'
            "```"
        ),
        fix="Import through an allowed importer, or add the importer to `allowed_importers` "
        "if it really is one.",
    ),
    Code(
        code="ARC105",
        slug="allowlist",
        summary="a direct import that breaks an `allowlist` contract",
        template="import of {imported} breaks contract '{contract}': {rule}{why}",
        what="An import, by a module below `source_modules`, of a module that is not listed in "
        "`allowed_modules` (nor below the importer's own source package).",
        why="A core package that may use only a short, named list of dependencies stays easy "
        "to reason about and to test.",
        example=(
            "```toml\n"
            '[[contracts]]\nid = "shared-is-leaf"\ntype = "allowlist"\n'
            'source_modules = ["bot_v2.shared"]\nallowed_modules = ["bot_v2.shared"]\n'
            "```"
        ),
        fix="Remove the import, or add the module to `allowed_modules` on purpose.",
    ),
    Code(
        code="ARC106",
        slug="cycle",
        summary="a direct import that closes an import cycle under an `acyclic` contract",
        template="import of {imported} breaks contract '{contract}': {rule}{why}",
        what="A direct import of a module that imports this module back, under a package an "
        "`acyclic` contract covers. Longer cycles are reported by `archlint check`.",
        why="A cycle makes both modules one unit: neither can be imported, tested or moved alone.",
        example=(
            "```python\n# bot_v2/orchestration/live_execution.py\n"
            "from bot_v2.orchestration import perps_bot  # ARC106: perps_bot imports us\n```"
        ),
        fix="Invert one of the two imports: a protocol in the lower module, the concrete object "
        "passed in from above.",
    ),
    Code(
        code="ARC900",
        slug="config-error",
        summary="the contracts could not be loaded",
        template="archlint could not load its contracts: {reason}",
        what="The project's `pyproject.toml` or a contract file has an error. Shown once per "
        "checked file, at line 1, so that flake8 still runs its other checks.",
        why="A broken contract file must not silently switch the checks off.",
        example="`contracts/layers.toml:3: contract 'layers': layrs: unknown field (did you mean "
        "'layers'?)`",
        fix="Run `archlint check` to see every problem with its file and line, and correct them.",
    ),
)

#: Every ARC code, by code.
CODES: dict[str, Code] = {c.code: c for c in _CODES}


def render_rule_reference(codes: Iterable[str] | None = None) -> str:
    """The README's rule reference, in Markdown, generated from :data:`CODES`."""
    out: list[str] = []
    for c in (CODES[code] for code in codes) if codes is not None else CODES.values():
        out.append(f"### {c.code} `{c.slug}`: {c.summary}\n")
        out.append(f"**What it flags.** {c.what}\n")
        out.append(f"**Why.** {c.why}\n")
        out.append(f"**Example.**\n\n{c.example}\n")
        out.append(f"**Fix.** {c.fix}\n")
    return "\n".join(out)
