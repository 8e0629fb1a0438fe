"""The libcst edit itself: rewriting import statements, attribute chains and strings.

:mod:`archlint.rewrite.imports` finds the nodes each edit names and checks it can be made;
this module makes the accepted edits, keeping every comment, parenthesis, comma and line
break it is not asked to change. Splitting ``from m import a, b`` between several modules is
the delicate part: :class:`_Punctuation` hands each new statement the punctuation and comments
that belong to its names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import libcst as cst
from libcst.helpers import get_full_name_for_node

from archlint.domain.deprecations import Replacement

__all__ = ["Accepted", "Transformer"]

_Chain = cst.Attribute | cst.Name
_ImportNode = cst.Import | cst.ImportFrom


@dataclass
class Accepted:
    """The accepted edits of one statement, by the node they change."""

    imports: dict[_ImportNode, dict[int, Replacement]] = field(default_factory=dict)
    chains: dict[_Chain, str] = field(default_factory=dict)
    strings: dict[cst.SimpleString, str] = field(default_factory=dict)
    edits: int = 0


_PRAGMA = re.compile(r"#\s*(noqa|type:|pragma|pyright:|mypy:|isort:|nosec|fmt:|ruff:)", re.I)


def _name(node: cst.Attribute | cst.Name) -> str | None:
    """The dotted text of a module name in an import."""
    return get_full_name_for_node(node)


def _dotted(path: str) -> cst.Attribute | cst.Name:
    """``a.b.c`` as an expression."""
    parts = path.split(".")
    expr: cst.Attribute | cst.Name = cst.Name(parts[0])
    for part in parts[1:]:
        expr = cst.Attribute(value=expr, attr=cst.Name(part))
    return expr


class Transformer(cst.CSTTransformer):
    """Makes the edits of an :class:`Accepted`."""

    def __init__(self, plan: Accepted) -> None:
        super().__init__()
        self.plan = plan

    def leave_Import(
        self, original_node: cst.Import, updated_node: cst.Import
    ) -> cst.BaseSmallStatement:
        edits = self.plan.imports.get(original_node)
        if not edits:
            return updated_node
        names = list(updated_node.names)
        for index, new in edits.items():
            names[index] = _renamed(names[index], new)
        return updated_node.with_changes(names=names)

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.BaseSmallStatement | cst.FlattenSentinel[cst.BaseSmallStatement]:
        edits = self.plan.imports.get(original_node)
        if not edits:
            return updated_node
        statements = _split_from(updated_node, edits)
        if len(statements) == 1:
            return statements[0]
        return cst.FlattenSentinel(statements)

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        if len(original_node.body) != 1 or len(updated_node.body) == 1:
            return updated_node
        # One import became several: one line each, at the same place and indentation. The
        # comment after the statement stays on the first line, and is repeated on the
        # others when it is a pragma (noqa, type: ignore...) that applies to each of them.
        trailing = updated_node.trailing_whitespace
        comment = trailing.comment
        repeat = comment is not None and _PRAGMA.match(comment.value) is not None
        lines: list[cst.BaseStatement] = []
        for number, statement in enumerate(updated_node.body):
            statement = statement.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
            if number == 0:
                lines.append(updated_node.with_changes(body=[statement]))
            else:
                after = trailing if repeat else cst.TrailingWhitespace(newline=trailing.newline)
                lines.append(cst.SimpleStatementLine(body=[statement], trailing_whitespace=after))
        return cst.FlattenSentinel(lines)

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        path = self.plan.chains.get(original_node)
        if path is None:
            return updated_node
        return _dotted(path).with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        path = self.plan.chains.get(original_node)
        if path is None:
            return updated_node
        return _dotted(path).with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)

    def leave_SimpleString(
        self, original_node: cst.SimpleString, updated_node: cst.SimpleString
    ) -> cst.BaseExpression:
        new = self.plan.strings.get(original_node)
        if new is None:
            return updated_node
        quote = updated_node.quote
        # The prefix as written (libcst's ``prefix`` is lower-cased): ``U"..."`` stays ``U``.
        value = updated_node.value
        prefix = value[: len(value) - len(value.lstrip("rRuUfFbB"))]
        return updated_node.with_changes(value=f"{prefix}{quote}{new}{quote}")


def _renamed(alias: cst.ImportAlias, new: Replacement) -> cst.ImportAlias:
    """``alias`` importing ``new.name`` under ``new.asname``, its punctuation kept."""
    name = _dotted(new.name)
    if new.asname is None:
        asname = None
    elif alias.asname is not None:
        asname = alias.asname.with_changes(name=cst.Name(new.asname))
    else:
        asname = cst.AsName(name=cst.Name(new.asname))
    return alias.with_changes(name=name, asname=asname)


def _with_module(node: cst.ImportFrom, module: str) -> cst.ImportFrom:
    """``node`` importing from the absolute ``module``."""
    if not node.relative and node.module is not None and _name(node.module) == module:
        return node
    return node.with_changes(
        module=_dotted(module), relative=[], whitespace_after_from=cst.SimpleWhitespace(" ")
    )


_Key = tuple[str, str]


def _split_from(
    node: cst.ImportFrom, edits: dict[int, Replacement]
) -> list[cst.BaseSmallStatement]:
    """``node`` with its edited names, as one statement per module they now come from."""
    if isinstance(node.names, cst.ImportStar):
        module = edits[0].module
        assert module is not None
        return [_with_module(node, module)]
    aliases = list(node.names)
    own = None if node.relative or node.module is None else _name(node.module)
    groups: dict[_Key, list[int]] = {}
    for index in range(len(aliases)):
        new = edits.get(index)
        if new is None:
            key = ("from", own) if own is not None else ("keep", "")
        elif new.module is None:
            key = ("import", new.name)
        else:
            key = ("from", new.module)
        groups.setdefault(key, []).append(index)

    punctuation = _Punctuation(node, aliases)
    statements: list[cst.BaseSmallStatement] = []
    for (kind, module), indexes in groups.items():
        renamed = [_renamed(aliases[i], edits[i]) if i in edits else aliases[i] for i in indexes]
        if kind == "import":
            names = [
                alias.with_changes(
                    comma=cst.MaybeSentinel.DEFAULT if n == len(renamed) - 1 else cst.Comma(),
                )
                for n, alias in enumerate(renamed)
            ]
            statements.append(cst.Import(names=names))
            continue
        statement = punctuation.group(indexes, renamed)
        statements.append(statement if kind == "keep" else _with_module(statement, module))
    last = len(statements) - 1
    return [
        s.with_changes(semicolon=node.semicolon if n == last else cst.MaybeSentinel.DEFAULT)
        for n, s in enumerate(statements)
    ]


def _line_end(like: cst.ParenthesizedWhitespace) -> cst.TrailingWhitespace:
    """A line end without a comment, with the same newline characters as ``like``'s."""
    return cst.TrailingWhitespace(newline=like.first_line.newline)


class _Punctuation:
    """Parentheses, commas and the line breaks and comments they hold, for a subset of the
    names of a ``from`` import.

    The whitespace before name ``m`` (after ``(`` for the first, after the previous comma for
    the others) holds, when the statement spans lines: the comment that ends the previous
    line (it belongs to the previous name, or to the statement after ``(``), the comment
    lines above name ``m`` (they belong to ``m``), and ``m``'s indentation.
    """

    def __init__(self, node: cst.ImportFrom, aliases: list[cst.ImportAlias]) -> None:
        self.node = node
        self.aliases = aliases
        lpar = node.lpar
        self.before: list[cst.BaseParenthesizableWhitespace | None] = [
            lpar.whitespace_after if lpar is not None else None
        ]
        for alias in aliases[:-1]:
            comma = alias.comma
            self.before.append(comma.whitespace_after if isinstance(comma, cst.Comma) else None)

    def _pw(self, index: int) -> cst.ParenthesizedWhitespace | None:
        found = self.before[index] if index < len(self.before) else None
        return found if isinstance(found, cst.ParenthesizedWhitespace) else None

    def _closing(self) -> cst.ParenthesizedWhitespace | None:
        """The line break before ``)``, when ``)`` is on a line of its own."""
        last = self.aliases[-1].comma
        if isinstance(last, cst.Comma) and isinstance(
            last.whitespace_after, cst.ParenthesizedWhitespace
        ):
            return last.whitespace_after
        rpar = self.node.rpar
        if rpar is not None and isinstance(rpar.whitespace_before, cst.ParenthesizedWhitespace):
            return rpar.whitespace_before
        return None

    def group(self, indexes: list[int], renamed: list[cst.ImportAlias]) -> cst.ImportFrom:
        """The statement importing the names ``indexes`` (renamed as given), in ``node``'s
        shape."""
        node = self.node
        parenthesised = node.lpar is not None
        last_index = len(self.aliases) - 1
        out: list[cst.ImportAlias] = []
        for n, (index, alias) in enumerate(zip(indexes, renamed, strict=True)):
            following = indexes[n + 1] if n + 1 < len(indexes) else None
            if following is None:
                if index != last_index:
                    alias = self._close(index, alias, parenthesised)
            elif following != index + 1:
                alias = self._join(index, following, alias)
            out.append(alias)

        lpar, rpar = node.lpar, node.rpar
        first = indexes[0]
        if lpar is not None and first != 0:
            lpar = cst.LeftParen(whitespace_after=self._opening(first, lpar))
        if rpar is not None and indexes[-1] != last_index and self._closes_on_own_line(indexes[-1]):
            rpar = cst.RightParen(whitespace_before=cst.SimpleWhitespace(""))
        return node.with_changes(names=out, lpar=lpar, rpar=rpar)

    def _opening(self, first: int, lpar: cst.LeftParen) -> cst.BaseParenthesizableWhitespace:
        """After ``(`` of a statement that starts with name ``first`` (not the first one)."""
        here = self._pw(first)
        opening = lpar.whitespace_after
        if here is not None and (
            here.empty_lines or isinstance(opening, cst.ParenthesizedWhitespace)
        ):
            # The comment lines above the name come along; the comment that ended the
            # previous line belongs to the previous name.
            return here.with_changes(first_line=_line_end(here))
        if isinstance(opening, cst.ParenthesizedWhitespace):
            return opening.with_changes(first_line=_line_end(opening), empty_lines=[])
        return opening

    def _join(self, index: int, following: int, alias: cst.ImportAlias) -> cst.ImportAlias:
        """Name ``index`` followed by name ``following``, the names between gone elsewhere."""
        comma = alias.comma
        assert isinstance(comma, cst.Comma)
        after = self._pw(index + 1)  # holds the comment that ends this name's line
        ahead = self._pw(following)  # holds the lines above the following name
        if after is None and ahead is None:
            whitespace = self.before[following]
            assert whitespace is not None
            return alias.with_changes(comma=comma.with_changes(whitespace_after=whitespace))
        shape = ahead or after
        assert shape is not None
        whitespace = cst.ParenthesizedWhitespace(
            first_line=after.first_line if after is not None else _line_end(shape),
            empty_lines=ahead.empty_lines if ahead is not None else [],
            indent=shape.indent,
            last_line=shape.last_line,
        )
        return alias.with_changes(comma=comma.with_changes(whitespace_after=whitespace))

    def _closes_on_own_line(self, index: int) -> bool:
        """Whether ``)`` goes on a line of its own after name ``index``: when a comment ends
        the name's line, or when the statement put its ``)`` on a line of its own."""
        after = self._pw(index + 1)
        if after is not None and after.first_line.comment is not None:
            return True
        return self._closing() is not None

    def _close(self, index: int, alias: cst.ImportAlias, parenthesised: bool) -> cst.ImportAlias:
        """Name ``index`` (not the statement's last) as the last of its statement."""
        comma = alias.comma
        assert isinstance(comma, cst.Comma)
        if not parenthesised or not self._closes_on_own_line(index):
            return alias.with_changes(comma=cst.MaybeSentinel.DEFAULT)
        # Multi-line: keep a trailing comma, the comment that ends the line, and put ``)``
        # where the statement put it.
        after = self._pw(index + 1)
        closing = self._closing()
        if after is not None:
            first_line = after.first_line
        else:
            first_line = _line_end(closing) if closing is not None else cst.TrailingWhitespace()
        whitespace = cst.ParenthesizedWhitespace(
            first_line=first_line,
            empty_lines=[],
            indent=closing.indent if closing is not None else True,
            last_line=closing.last_line if closing is not None else cst.SimpleWhitespace(""),
        )
        return alias.with_changes(comma=comma.with_changes(whitespace_after=whitespace))
