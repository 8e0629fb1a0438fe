"""The shared ``# noqa`` reader agrees with flake8 itself, comment by comment."""

from __future__ import annotations

import io
import tokenize

import pytest
from flake8.violation import Violation
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from archlint.scanning.noqa import NoqaLines, parse_noqa

CODES = ("ARC001", "ARC002", "ARC003", "ARC101", "ARC106")


def flake8_ignores(line: str, code: str) -> bool:
    violation = Violation(code, "x.py", 1, 1, "message", line)
    return violation.is_inline_ignored(disable_noqa=False)


def ours(line: str, code: str) -> bool:
    comment = parse_noqa(line)
    return comment is not None and comment.suppresses(code)


@pytest.mark.parametrize(
    ("comment", "suppressed"),
    [
        ("# noqa", set(CODES)),
        ("# NoQA", set(CODES)),
        ("# noqa:ARC001,ARC002", {"ARC001", "ARC002"}),
        ("# noqa: ARC001 ARC101", {"ARC001", "ARC101"}),
        ("# noqa: ARC0", {"ARC001", "ARC002", "ARC003"}),
        ("# noqa: ARC1", {"ARC101", "ARC106"}),
        ("# noqa: arc001", set()),  # flake8 compares codes case-sensitively
        ("#noqa : arc001", set()),  # no space after '#': no noqa comment at all
        ("#noqa", set()),
        ("# noqa : ARC001", set(CODES)),  # no codes right after the colon: a bare noqa
        ("# noqa:E501", set()),
        ("# noqa: E501, ARC003", {"ARC003"}),
        ("x = '# noqa'", set(CODES)),  # flake8 searches the whole line
        ("", set()),
    ],
)
def test_examples(comment: str, suppressed: set[str]) -> None:
    for code in CODES:
        assert ours(f"import a  {comment}\n", code) == (code in suppressed), code
        assert ours(f"import a  {comment}\n", code) == flake8_ignores(
            f"import a  {comment}\n", code
        )


PIECES = st.sampled_from(
    [
        "#",
        " ",
        "  ",
        "noqa",
        "NOQA",
        "NoQa",
        ":",
        ": ",
        ",",
        ", ",
        "ARC001",
        "arc001",
        "ARC0",
        "ARC",
        "ARC1",
        "E501",
        "W",
        "x",
        "\t",
        "flake8",
        "=",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=8), st.sampled_from(CODES))
def test_same_as_flake8(pieces: list[str], code: str) -> None:
    line = "import a  " + "".join(pieces) + "\n"
    assert ours(line, code) == flake8_ignores(line, code)


def test_lines_of_one_token_share_a_comment_and_parenthesised_lines_do_not() -> None:
    text = (
        'mock.patch("""a.b\n'
        'c""")  # noqa: ARC003\n'
        "from a import (\n"
        "    b,  # noqa\n"
        ")\n"
        "from a import b, \\\n"
        "    c  # noqa\n"
    )
    comments = NoqaLines(text)
    assert comments.suppressed(1, "ARC003") and comments.suppressed(2, "ARC003")
    assert not comments.suppressed(1, "ARC001")
    assert not comments.suppressed(3, "ARC001") and comments.suppressed(4, "ARC001")
    assert comments.suppressed(6, "ARC001")  # a backslash continuation joins the lines


def test_file_level_and_nothing_to_read() -> None:
    assert NoqaLines("# flake8: noqa\nimport a\n").suppressed(2, "ARC001")
    assert not NoqaLines("x = 1  # flake8: noqa\nimport a\n").suppressed(2, "ARC001")
    assert not NoqaLines("import a\n").suppressed(1, "ARC001")
    # Text that does not tokenize: each line on its own, as flake8 falls back to.
    broken = NoqaLines('import a  # noqa\nx = """\n')
    assert broken.suppressed(1, "ARC001") and not broken.suppressed(5, "ARC001")


LINES = st.sampled_from(
    [
        "import a  # noqa\n",
        "import a\n",
        "    import a  # noqa: ARC001\n",
        'x = """\n',
        '"""  # noqa\n',
        '# noqa """\n',
        "from a import (  # noqa\n",
        "    b,  # noqa: ARC0\n",
        ")\n",
        "y = 1 + \\\n",
        "    2  # noqa\n",
        "s = 'a' \\\n",
        "t = '# noqa' \\\n",
        "if x:\n",
        "\n",
        "# just a comment \\\n",
        "z = '''# noqa\n",
        "'''; import a\n",
        "import a; import b  # NOQA\n",
        "\tfrom . import c  # noqa:ARC001,ARC002\n",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, min_size=1, max_size=12), st.sampled_from(CODES))
def test_a_line_read_alone_agrees_with_the_whole_file(lines: list[str], code: str) -> None:
    """A finding where a name or string starts, read from its line's tokens when it starts
    the line, is suppressed exactly when the whole file's token groups say so. (A file that
    does not tokenize as a whole does not parse either, and so has no findings to suppress.)"""
    text = "".join(lines)
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        assume(False)
    # Where a finding can be: where a name or string starts (not inside a string).
    starts = {t.start for t in tokens if t.type in (tokenize.NAME, tokenize.STRING)}
    for number, col in sorted(starts):
        alone = NoqaLines(text).suppressed(number, code, col)
        whole = NoqaLines(text)
        whole.line_for(number)  # the whole file's groups, as without a column
        assert alone == whole.suppressed(number, code), (number, text)
