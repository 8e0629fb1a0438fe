"""What ``archlint fix`` leaves alone in one file, decided before it plans any edit.

- A site whose finding a ``# noqa`` comment suppresses (read as flake8 reads it, at the line
  the finding is reported at: an import statement's first line, a string's line) is left
  alone in silence: the team accepted it.
- A site under a planned move (a deprecation whose ``new`` does not resolve yet, or a
  statement importing a name its new module does not have yet) is left alone, whole, and
  listed as skipped, with why: writing an import that fails would be worse than
  the deprecated one. It is not a hand fix: nobody can fix it until the move lands, and a
  pre-commit hook must not fail on it forever (``archlint check`` warns about the plan).
- An import of a removed path is one hand fix per statement and deprecation, however many
  names the statement imports from it.

Each is hidden from the planner by :meth:`DeprecationIndex.skipping`, so that everything
else (the chains of a plain ``import a.b``, the stability check) sees these imports as
imports the file keeps.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from archlint.domain.deprecations import DeprecationIndex, Match
from archlint.domain.imports import ImportRecord, StringReference
from archlint.scanning.imports import scan_imports
from archlint.scanning.modules import ModuleName
from archlint.scanning.noqa import NoqaLines

from .file_rules import FileRules
from .lint import import_code, planned_advice

#: A site: ``(line, column from 0, what and why)``.
SkippedSite = tuple[int, int, str]


@dataclass
class _Statement:
    """The imports of one statement under one deprecation."""

    line: int
    col: int
    match: Match
    #: ``from MODULE import ...``; None for ``import a.b, a.c``.
    module: str | None
    names: list[str] = field(default_factory=list)
    #: The ``new`` that does not exist yet (planned moves only).
    planned_new: str = ""

    def shown(self) -> str:
        if self.module is None:
            return f"import {', '.join(self.names)}"
        return f"from {self.module} import {', '.join(self.names)}"


def _key(record: ImportRecord, match: Match) -> tuple[int, int, int]:
    """One statement under one deprecation."""
    return (record.stmt_line, record.stmt_col, id(match.deprecation))


class Skips:
    """The index the planner uses for one text, and the sites it leaves out of it.

    The sites are gathered while the planner looks the imports up, so they are exactly the
    ones it would otherwise have planned; read them after planning.
    """

    def __init__(
        self,
        rules: FileRules,
        index: DeprecationIndex,
        text: str,
        tree: ast.Module,
        module: ModuleName | None,
    ) -> None:
        self._rules = rules
        self._noqa = NoqaLines(text)
        self._planned: dict[tuple[int, int, int], _Statement] = {}
        self._removed: dict[tuple[int, int, int], _Statement] = {}
        self._strings: dict[tuple[int, int], str] = {}
        # A statement one of whose names is planned is planned whole: lint and check report
        # it as one planned finding, so fix leaves it as one site, and once the last name
        # lands the same statement is rewritten in one piece.
        self._planned_statements: dict[tuple[int, int, int], str] = {}
        for record in scan_imports(tree, module):
            match = index.lookup_import(record)
            if match is not None and not match.removed:
                planned = rules.planned_for(record, match)
                if planned is not None:
                    self._planned_statements.setdefault(_key(record, match), planned)
        self.index = index.skipping(self._skip_import, self._skip_reference)

    def _note(
        self, found: dict[tuple[int, int, int], _Statement], record: ImportRecord, match: Match
    ) -> _Statement:
        key = _key(record, match)
        statement = found.get(key)
        if statement is None:
            module = None if record.name is None else record.module
            statement = _Statement(record.stmt_line, record.stmt_col, match, module)
            found[key] = statement
        if record.name is None:
            name = record.module + (f" as {record.asname}" if record.asname else "")
        else:
            name = record.name + (f" as {record.asname}" if record.asname else "")
        if name not in statement.names:
            statement.names.append(name)
        return statement

    def _skip_import(self, record: ImportRecord, match: Match) -> bool:
        code = import_code(match, self._rules.today)
        if self._noqa.suppressed(record.stmt_line, code):
            return True
        if match.removed:
            self._note(self._removed, record, match)
            return True
        planned_new = self._planned_statements.get(_key(record, match))
        if planned_new is not None:
            self._note(self._planned, record, match).planned_new = planned_new
            return True
        return False

    def _skip_reference(self, ref: StringReference, match: Match) -> bool:
        if self._noqa.suppressed(ref.line, "ARC003"):
            return True
        planned_new = None if match.removed else self._rules.planned_new(match)
        if planned_new is not None:
            self._strings[(ref.line, ref.col)] = (
                f"string {ref.value!r}: {planned_advice(planned_new)}; left as it is"
            )
            return True
        return False

    def planned(self) -> list[SkippedSite]:
        """The planned moves left alone: one per statement and deprecation, and strings."""
        sites = [
            (s.line, s.col, f"{s.shown()}: {planned_advice(s.planned_new)}; left as it is")
            for s in self._planned.values()
        ]
        sites.extend((line, col, why) for (line, col), why in self._strings.items())
        return sorted(sites)

    def removed(self) -> list[SkippedSite]:
        """The imports of removed paths: hand fixes, one per statement and deprecation."""
        sites = []
        for s in self._removed.values():
            # The path removed: the deprecation's own, or the end of the chain it moved along.
            gone = s.match.steps[-1]
            why = f" ({' '.join(gone.why.split())})" if gone.why else ""
            sites.append(
                (
                    s.line,
                    s.col,
                    f"{s.shown()}: {gone.old} was removed{why}; there is no replacement to write",
                )
            )
        return sorted(sites)
