"""Hostile files in a small valid project, through every command that reads the tree.

Each case puts one hostile file (or folder, link, FIFO, socket) into the same small project
and runs ``archlint check`` (without and with the cache), ``lint``, ``fix``, ``report``,
``graph`` and ``flake8 --select ARC``: no traceback and no panic on standard error, no hang
(a timeout), an exit status in the expected set, and not a byte of the tree changed (outside
archlint's own cache). A file that cannot be read or parsed is one ``FILE:LINE: why`` line
and exit 2, never 1.

The default run tries the failures issue 9 reported through ``check`` (and the hangs through
``report``, ``graph``, ``lint`` and ``fix``); the whole matrix is marked slow.
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.helpers import BIN, make_project

#: Every command run on each case; the key names the command in test ids.
COMMANDS: dict[str, list[str]] = {
    "check-no-cache": ["archlint", "check", "--no-cache"],
    "check": ["archlint", "check"],
    "lint": ["archlint", "lint"],
    "fix": ["archlint", "fix"],
    "report": ["archlint", "report"],
    "graph": ["archlint", "graph"],
    "flake8": ["flake8", "--select", "ARC"],
}
ARCHLINT_READERS = ("check-no-cache", "check", "lint", "report", "graph")
TIMEOUT = 60

BASE_FILES = {
    "src/pkg/__init__.py": "",
    "src/pkg/a/__init__.py": "",
    "src/pkg/b/__init__.py": "",
    "src/pkg/b/m.py": "import os\n",
    "contracts/c.toml": """
        [[contracts]]
        id = "ind"
        type = "independence"
        modules = ["pkg.a", "pkg.b"]

        [[deprecations]]
        old = "pkg.old"
        new = "pkg.a"
    """,
}


def _write(rel: str, data: bytes) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    return make


def _fifo(root: Path) -> None:
    os.mkfifo(root / "src/pkg/bad.py")


def _socket(root: Path) -> None:
    # AF_UNIX paths are limited to about 100 bytes: bind a short relative name.
    folder = root / "src/pkg"
    subprocess.run(
        [
            str(BIN / "python"),
            "-c",
            "import socket; socket.socket(socket.AF_UNIX).bind('bad.py')",
        ],
        cwd=folder,
        check=True,
    )
    assert stat.S_ISSOCK(os.lstat(folder / "bad.py").st_mode), socket.AF_UNIX


def _link(target: str, name: str = "bad.py") -> Callable[[Path], None]:
    def make(root: Path) -> None:
        os.symlink(target, root / "src/pkg" / name)

    return make


def _unreadable(root: Path) -> None:
    path = root / "src/pkg/secret.py"
    path.write_text("import os\n")
    path.chmod(0)


def _init_folder(root: Path) -> None:
    (root / "src/pkg/sub/__init__.py").mkdir(parents=True)
    (root / "src/pkg/sub/mod.py").write_text("import pkg.a\n")


def _folder_named_py(root: Path) -> None:
    (root / "src/pkg/x.py").mkdir()
    (root / "src/pkg/x.py/inner.py").write_text("import os\n")


def _chain(op: str, count: int) -> bytes:
    return ("x = " + op.join(["a"] * count) + "\n").encode()


@dataclass(frozen=True)
class Case:
    """One hostile input and the exit statuses each command may give."""

    name: str
    make: Callable[[Path], None]
    #: True when archlint cannot read or parse it: check, lint, report and graph exit 2.
    bad: bool
    #: Expected statuses by command, where they differ from the default.
    expect: dict[str, set[int]] = field(default_factory=dict)
    #: Commands not run, with why (another tool's own limitation).
    skip: dict[str, str] = field(default_factory=dict)
    #: Named in the "quick" default run.
    quick: tuple[str, ...] = ()

    def expected(self, command: str) -> set[int]:
        if command in self.expect:
            return self.expect[command]
        if command == "flake8":
            return {0, 1}  # flake8 reports E902/E999 its own way
        if command == "fix":
            # fix parses only the files that could hold a deprecated path; a file it
            # cannot read is reported and skipped.
            return {0, 2} if self.bad else {0}
        return {2} if self.bad else {0}


FLAKE8_HANGS = "flake8 itself opens every *.py and blocks on a FIFO, before any plugin runs"
FLAKE8_DEEP = "flake8 itself builds the AST (RecursionError) before any plugin runs"
ISSUE = ("check-no-cache",)
HANGS = ("check-no-cache", "report", "graph", "lint", "fix")

CASES = [
    # What issue 9 reported: each gave a traceback, a panic, a hang or a crash.
    Case("syntax-error", _write("src/pkg/bad.py", b"def (:\n"), True, quick=ISSUE),
    Case("nul-byte", _write("src/pkg/bad.py", b"x = 1\0\n"), True, quick=ISSUE),
    Case("non-utf8", _write("src/pkg/bad.py", b"x = '\xff'\n"), True, quick=ISSUE),
    Case("utf16", _write("src/pkg/bad.py", "import os\n".encode("utf-16")), True, quick=ISSUE),
    Case("climb-far", _write("src/pkg/bad.py", b"from ...... import x\n"), True, quick=ISSUE),
    Case("climb-one", _write("src/pkg/bad.py", b"from .. import x\n"), True),
    Case(
        "climb-in-init",
        _write("src/pkg/a/__init__.py", b"from .... import x\n"),
        True,
        quick=ISSUE,
    ),
    Case("fifo", _fifo, True, {"fix": {2}}, {"flake8": FLAKE8_HANGS}, quick=HANGS),
    Case("socket", _socket, True, {"fix": {2}}, quick=ISSUE),
    Case("symlink-loop", _link("bad.py"), True, {"fix": {2}}, quick=ISSUE),
    Case("dangling-symlink", _link("nowhere.py"), True, {"fix": {2}}, quick=ISSUE),
    Case("unreadable", _unreadable, True, {"fix": {2}}, quick=ISSUE),
    Case(
        "50000-terms",
        _write("src/pkg/bad.py", _chain("+", 50_000)),
        True,
        skip={"flake8": FLAKE8_DEEP},
        quick=ISSUE,
    ),
    Case(
        "50000-attributes",
        _write("src/pkg/bad.py", ("x = a" + ".b" * 50_000 + "\n").encode()),
        True,
        skip={"flake8": FLAKE8_DEEP},
    ),
    Case("1000-parentheses", _write("src/pkg/bad.py", b"x = " + b"(" * 1000 + b")" * 1000), True),
    # Valid or harmless files: every command gives its normal answer on them.
    Case("empty", _write("src/pkg/empty.py", b""), False),
    Case("only-bom", _write("src/pkg/bom.py", b"\xef\xbb\xbf"), False),
    Case("bom-import", _write("src/pkg/bom.py", b"\xef\xbb\xbfimport pkg.a\n"), False),
    Case("crlf", _write("src/pkg/crlf.py", b"import os\r\nimport pkg.a\r\n"), False),
    Case("lone-cr", _write("src/pkg/cr.py", b"import os\rimport pkg.a\r"), False),
    Case("form-feed", _write("src/pkg/ff.py", b"\x0cimport os\n\x0c\ndef f():\n    pass\n"), False),
    Case(
        "latin1-cookie",
        _write("src/pkg/latin.py", b"# -*- coding: latin-1 -*-\nimport pkg.a\nx = 'caf\xe9'\n"),
        False,
    ),
    Case("dash-name", _write("src/pkg/-bad.py", b"import pkg.a\n"), False),
    Case("keyword-name", _write("src/pkg/class.py", b"import pkg.a\n"), False),
    Case("init-is-a-folder", _init_folder, False),
    Case("folder-named-py", _folder_named_py, False),
    Case("long-line", _write("src/pkg/long.py", b"x = [" + b"1, " * 200_000 + b"]\n"), False),
    Case("10k-imports", _write("src/pkg/many.py", b"import os\nimport pkg.a\n" * 5_000), False),
    Case("nested-199", _write("src/pkg/n.py", b"x = " + b"(" * 199 + b"1" + b")" * 199), False),
    # grimp reads a 5,000-term chain, so check keeps its verdict; CPython cannot compile
    # 3,000 levels, and archlint's own parser (lint, report, graph) says so.
    Case(
        "5000-terms",
        _write("src/pkg/t.py", _chain("+", 5_000)),
        False,
        {"lint": {2}, "report": {2}, "graph": {2}},
        {"flake8": FLAKE8_DEEP},
    ),
    Case("from-dot-in-root-init", _write("src/pkg/__init__.py", b"from . import a\n"), False),
    Case("from-dot-top-level", _write("src/top.py", b"from . import x\n"), False),
    Case("imports-itself", _write("src/pkg/me.py", b"import pkg.me\nfrom pkg import me\n"), False),
    Case(
        "non-ascii-names",
        _write("src/pkg/ñame.py", "import pkg.a as é\nnaïve = é\n".encode()),
        False,
    ),
]


def _snapshot(root: Path) -> dict[str, object]:
    """Every path below ``root`` (links not followed) and what it holds, but the cache."""
    found: dict[str, object] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".archlint_cache"]
        for name in dirs + files:
            path = Path(folder, name)
            st = os.lstat(path)
            rel = str(path.relative_to(root))
            if stat.S_ISLNK(st.st_mode):
                found[rel] = ("link", os.readlink(path))
            elif stat.S_ISREG(st.st_mode):
                try:
                    found[rel] = (stat.S_IMODE(st.st_mode), path.read_bytes())
                except PermissionError:
                    found[rel] = (stat.S_IMODE(st.st_mode), None)
            else:
                found[rel] = (stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode))
    return found


def _prefix(case: Case) -> list[str]:
    """Run as a user who cannot read a chmod-000 file: root reads anything, so drop the
    capabilities that let it."""
    if case.make is not _unreadable or os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a chmod 000 file is readable")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-all"]


def _params() -> list[object]:
    params = []
    for case in CASES:
        for command in COMMANDS:
            marks = [] if command in case.quick else [pytest.mark.slow]
            if command in case.skip:
                marks.append(pytest.mark.skip(reason=case.skip[command]))
            params.append(pytest.param(case, command, id=f"{case.name}-{command}", marks=marks))
    return params


@pytest.mark.parametrize(("case", "command"), _params())
def test_hostile_file(tmp_path: Path, case: Case, command: str) -> None:
    root = make_project(tmp_path, BASE_FILES)
    case.make(root)
    before = _snapshot(root)
    args = COMMANDS[command]
    try:
        result = subprocess.run(
            [*_prefix(case), str(BIN / args[0]), *args[1:]],
            cwd=root,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{command} hung on {case.name} (no answer in {TIMEOUT} s)")
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert "panicked" not in output, output
    assert result.returncode in case.expected(command), output
    assert _snapshot(root) == before
    if result.returncode == 2 and command in ARCHLINT_READERS:
        # One FILE:LINE: why line per bad file, named from the project folder.
        lines = [line for line in result.stderr.splitlines() if not line.startswith("archlint:")]
        assert lines, result.stderr
        for line in lines:
            file, number, why = line.split(":", 2)
            assert (root / file).exists() or os.path.islink(root / file), line
            assert number.isdigit() and why.strip(), line


def test_every_bad_file_is_named_once(tmp_path: Path) -> None:
    """Several bad files: check names each, once, in path order, and gives no verdict."""
    root = make_project(tmp_path, BASE_FILES)
    (root / "src/pkg/a/broken.py").write_text("import os\ndef (:\n")
    (root / "src/pkg/b/climb.py").write_text("import os\n\nfrom .... import x\n")
    os.mkfifo(root / "src/pkg/fifo.py")
    (root / "src/pkg/nul.py").write_bytes(b"import os\nx = 1\0\n")
    result = subprocess.run(
        [str(BIN / "archlint"), "check"], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "src/pkg/a/broken.py:2: syntax error: invalid syntax",
        "src/pkg/b/climb.py:3: relative import climbs 4 levels, above the top-level package",
        "src/pkg/fifo.py:1: not a regular file (a FIFO)",
        "src/pkg/nul.py:2: syntax error: source code cannot contain null bytes",
        "archlint: 4 files could not be read or parsed",
    ]
