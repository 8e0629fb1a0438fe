"""The byte screen run before grimp: cheap, and never missing what a full parse finds."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from archlint.scanning.inventory import scan_package
from archlint.scanning.screen import (
    NotARegularFile,
    deep_nesting_limit,
    read_source,
    screen_bytes,
    screen_source,
)

LIMIT = deep_nesting_limit()


def test_a_fifo_is_never_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "x.py"
    os.mkfifo(fifo)
    outcome: list[object] = []
    reader = threading.Thread(target=lambda: outcome.append(_read(fifo)), daemon=True)
    reader.start()
    reader.join(5)
    assert outcome and isinstance(outcome[0], NotARegularFile)


def _read(path: Path) -> object:
    try:
        return read_source(path)
    except OSError as error:
        return error


def test_the_walk_lists_special_files_apart(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "ok.py").write_text("import os\n")
    os.mkfifo(pkg / "fifo.py")
    os.symlink("loop.py", pkg / "loop.py")
    os.symlink("nowhere.py", pkg / "dangling.py")
    found = scan_package("pkg", pkg)
    assert [m.name for m in found.modules] == ["pkg", "pkg.ok"]
    assert [(b.path.name, b.why) for b in found.bad_files] == [
        ("dangling.py", "cannot read: dangling symbolic link to nowhere.py"),
        ("fifo.py", "not a regular file (a FIFO)"),
        ("loop.py", "cannot read: symbolic link loop"),
    ]


def test_a_deep_chain_is_caught_before_grimp() -> None:
    data = ("x = " + "+".join(["1"] * 50_000) + "\n").encode()
    problem = screen_bytes(Path("deep.py"), data, 1, LIMIT)
    assert problem is not None and "too deeply nested" in problem.why


def test_ordinary_files_are_not_parsed() -> None:
    # A syntax error is grimp's to find (and then located by a full parse): the byte screen
    # parses only what it cannot rule out, so it passes this file.
    assert screen_bytes(Path("a.py"), b"def (:\n", 1, LIMIT) is None
    assert screen_source(Path("a.py"), b"def (:\n", 1) is not None


_PIECES = st.sampled_from(
    [
        "import os\n",
        "# comes from .. somewhere\n",
        "s = 'from ... import x'\n",
        "x = 1\n",
        "def f():\n    from {dots} import y\n",
        "from {dots}m import z\n",
        "from {dots} import (\n    a,\n)\n",
        "from \\\n    {dots} import w\n",
        "try:\n    from {dots}q import r\nexcept ImportError:\n    pass\n",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(_PIECES, st.integers(1, 5)), max_size=6),
    st.integers(0, 4),
)
def test_the_byte_screen_never_misses_a_climbing_import(
    pieces: list[tuple[str, int]], depth: int
) -> None:
    text = "".join(piece.format(dots="." * level) for piece, level in pieces)
    data = text.encode()
    full = screen_source(Path("m.py"), data, depth)
    cheap = screen_bytes(Path("m.py"), data, depth, LIMIT)
    assert (cheap is None) == (full is None), text
    if full is not None:
        assert cheap == full
