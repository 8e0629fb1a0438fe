"""decode_source and parse_source: bytes to text to AST, with one-line errors."""

from __future__ import annotations

import ast
import pickle
import warnings

import pytest

from archlint.scanning.source import (
    SourceDecodeError,
    SourceError,
    SourceSyntaxError,
    decode_source,
    parse_source,
)


def test_plain_utf8() -> None:
    assert decode_source("x = 'é'\n".encode(), "a.py") == "x = 'é'\n"


def test_bom_is_honoured_and_stripped() -> None:
    data = b"\xef\xbb\xbf" + "x = 'é'\n".encode()
    assert decode_source(data, "a.py") == "x = 'é'\n"


def test_latin1_cookie() -> None:
    data = "# -*- coding: latin-1 -*-\nx = 'é'\n".encode("latin-1")
    text = decode_source(data, "a.py")
    assert text == "# -*- coding: latin-1 -*-\nx = 'é'\n"
    assert isinstance(parse_source(text, "a.py"), ast.Module)


def test_cookie_on_second_line() -> None:
    data = "#!/usr/bin/env python\n# coding=cp1252\nx = '€'\n".encode("cp1252")
    assert decode_source(data, "a.py").endswith("x = '€'\n")


def test_line_endings_are_kept() -> None:
    assert decode_source(b"import a\r\nimport b\r\n", "a.py") == "import a\r\nimport b\r\n"


def test_invalid_utf8_bytes() -> None:
    with pytest.raises(SourceDecodeError) as info:
        decode_source(b"import a\nimport b\nx = '\xff'\n", "path/x.py")
    error = info.value
    assert error.path == "path/x.py"
    assert error.line == 3
    message = str(error)
    assert message.startswith("path/x.py:3: cannot decode: 'utf-8' codec can't decode byte 0xff")
    assert "\n" not in message


def test_invalid_bytes_for_the_cookie_encoding() -> None:
    data = b"# coding: ascii\nx = 1\ny = '\xe9'\n"
    with pytest.raises(SourceDecodeError) as info:
        decode_source(data, "a.py")
    assert info.value.line == 3
    assert "'ascii' codec can't decode byte 0xe9" in str(info.value)


def test_invalid_utf8_on_the_first_line() -> None:
    # detect_encoding fails first here, without a position; the error still has one.
    with pytest.raises(SourceDecodeError) as info:
        decode_source(b"x = '\xff'\n", "a.py")
    assert info.value.line == 1
    assert "can't decode byte 0xff in position 5" in str(info.value)


def test_unknown_encoding() -> None:
    with pytest.raises(SourceDecodeError) as info:
        decode_source(b"#!/usr/bin/python\n# coding: klingon\nx = 1\n", "a.py")
    assert info.value.line == 2
    assert str(info.value) == "a.py:2: cannot decode: unknown encoding: klingon"


def test_bom_contradicting_cookie() -> None:
    with pytest.raises(SourceDecodeError) as info:
        decode_source(b"\xef\xbb\xbf# coding: latin-1\nx = 1\n", "a.py")
    assert info.value.line == 1
    assert str(info.value).startswith("a.py:1: cannot decode: encoding problem")


def test_codec_that_is_not_text() -> None:
    with pytest.raises(SourceDecodeError) as info:
        decode_source(b"# coding: rot13\nx = 1\n", "a.py")
    assert str(info.value).startswith("a.py:1: cannot decode: ")


def test_syntax_error_has_line() -> None:
    with pytest.raises(SourceSyntaxError) as info:
        parse_source("import a\n\ndef f(:\n    pass\n", "path/x.py")
    error = info.value
    assert (error.path, error.line) == ("path/x.py", 3)
    assert str(error) == "path/x.py:3: syntax error: invalid syntax"
    assert isinstance(error, SourceError)


def test_indentation_error_is_a_syntax_error() -> None:
    with pytest.raises(SourceSyntaxError) as info:
        parse_source("x = 1\n    y = 2\n", "a.py")
    assert info.value.line == 2
    assert str(info.value) == "a.py:2: syntax error: unexpected indent"


def test_null_bytes() -> None:
    # ValueError before Python 3.12, SyntaxError without a line since: same error here.
    with pytest.raises(SourceSyntaxError) as info:
        parse_source("x = 1\ny = 2\0\n", "a.py")
    assert info.value.line == 2
    # The same words as archlint's byte screen, whatever the Python version.
    assert str(info.value) == "a.py:2: syntax error: source code cannot contain null bytes"


def test_parse_gives_a_module() -> None:
    tree = parse_source("import a\n", "a.py")
    assert isinstance(tree.body[0], ast.Import)


def test_parser_warnings_are_not_emitted() -> None:
    # An invalid escape sequence warns at parse time; with -W error it would fail the parse.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tree = parse_source('x = "\\d"\n', "a.py")
    assert isinstance(tree, ast.Module)


def test_str_without_line() -> None:
    assert str(SourceSyntaxError("a.py", None, "too deeply nested")) == (
        "a.py: syntax error: too deeply nested"
    )


def test_errors_survive_pickling() -> None:
    # flake8 workers send exceptions between processes.
    error = SourceDecodeError("a.py", 3, "bad byte")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is SourceDecodeError
    assert (copy.path, copy.line, str(copy)) == ("a.py", 3, str(error))
