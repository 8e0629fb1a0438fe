"""``archlint fix`` never loses a byte it did not write, and never writes outside the project.

Concurrent edits, ``--diff`` taken back by the real ``git apply``, links, deep nesting, and
files that are read-only, deleted, replaced or oddly encoded.
"""

from __future__ import annotations

import os
import random
import stat
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from archlint.application import fix as fix_module
from archlint.application.project import open_project
from tests.helpers import BIN, make_project, run

ARCHLINT = str(BIN / "archlint")

DEPRECATIONS = """
[[deprecations]]
old = "pkg.old"
new = "pkg.new"

[[deprecations]]
old = "pkg.old.Thing"
new = "pkg.other.Thing"
"""

PACKAGE = {
    "contracts/deprecations.toml": DEPRECATIONS,
    "src/pkg/__init__.py": "",
    "src/pkg/old.py": "def f():\n    return 1\nThing = 1\n",
    "src/pkg/new.py": "def f():\n    return 1\n",
    "src/pkg/other.py": "Thing = 2\n",
}


def project(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    return make_project(tmp_path / "proj", {**PACKAGE, **(files or {})})


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink() and ".archlint_cache" not in p.parts
    }


def git(root: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["git", *args], cwd=root, input=stdin, capture_output=True, check=False, timeout=60
    )


# --- a concurrent edit is never overwritten ---------------------------------------------


def test_edit_made_while_fix_writes_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The edit lands after fix's checks of the file, while it writes its temporary file:
    # the moment the old code's last check and its rename left open.
    root = project(tmp_path, {"src/pkg/m.py": "from pkg.old import f\n"})
    path = root / "src/pkg/m.py"
    real = tempfile.mkstemp

    def mkstemp_then_edit(*args: Any, **kwargs: Any) -> tuple[int, str]:
        made = real(*args, **kwargs)
        if Path(kwargs.get("dir", "")) == path.parent and path.read_bytes().endswith(b"f\n"):
            with path.open("ab") as stream:
                stream.write(b"g = f  # typed meanwhile\n")
        return made

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp_then_edit)
    report = fix_module.fix_paths(open_project(root=root), [path], cwd=root)
    assert path.read_bytes() == b"from pkg.old import f\ng = f  # typed meanwhile\n"
    assert [str(e) for e in report.errors] == [
        "src/pkg/m.py:1:1: changed on disk while being fixed; left as it is"
    ]
    assert not report.ok
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(".")) == []


def _hammer(seconds: float, tmp_path: Path) -> tuple[int, int, int]:
    """Append lines to a file from a thread while fix runs on it over and over; every line
    appended must be in the file at the end. Returns (appends, fixes written, conflicts)."""
    root = project(tmp_path, {"src/pkg/m.py": "from pkg.old import f\n"})
    path = root / "src/pkg/m.py"
    opened = open_project(root=root)
    rules = fix_module.FileRules.compile(opened.project)
    real_root = os.path.realpath(root)
    stop = threading.Event()
    appended: list[int] = []

    def appender() -> None:
        n = 0
        pause = random.Random(n).uniform
        while not stop.is_set():
            # Bursts and pauses, so that some fixes get through between appends.
            time.sleep(pause(0, 0.05) if n % 4 == 0 else 0)
            n += 1
            # One write of a whole line, through the path, as an editor or a logger would.
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                line = "from pkg.old import f" if n % 8 == 0 else "g = f"
                os.write(fd, f"{line}  # line {n}\n".encode())
            finally:
                os.close(fd)
            appended.append(n)

    writer = threading.Thread(target=appender)
    written = conflicts = 0
    replaced: list[fix_module.FileResult] = []
    deadline = time.monotonic() + seconds
    writer.start()
    try:
        while time.monotonic() < deadline:
            result = fix_module.fix_file(rules, path, "m.py", write=True, root=real_root)
            if result.error is not None:
                assert "while being fixed" in result.error.reason, result.error
                conflicts += 1
            elif result.changed:
                written += 1
                replaced.append(result)
    finally:
        stop.set()
        writer.join()
        # As fix_paths does at the end of a run: the last look at each replaced file.
        for result in replaced:
            result.settle()
    text = path.read_text()
    kept = [p for p in path.parent.iterdir() if p.name.endswith(".archlint-old")]
    found = {
        int(line.rsplit(" ", 1)[1])
        for source in [text, *(p.read_text() for p in kept)]
        for line in source.splitlines()
        if "# line " in line
    }
    missing = sorted(set(appended) - found)
    assert not missing, f"{len(missing)} of {len(appended)} appends lost: {missing[:10]}"
    # Each line is whole: rewritten or not, never torn.
    compile(text, "m.py", "exec")
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".archlint-new")]
    return len(appended), written, conflicts


def test_concurrent_appends_are_never_lost_short(tmp_path: Path) -> None:
    appends, written, _ = _hammer(2.0, tmp_path)
    assert appends > 0 and written > 0


@pytest.mark.slow
def test_concurrent_appends_are_never_lost(tmp_path: Path) -> None:
    appends, written, conflicts = _hammer(20.0, tmp_path)
    # Both outcomes happened many times: fixes written between appends, and appends that
    # landed while a fix was under way (detected, the file left as it was).
    assert appends > 500 and written >= 5 and conflicts >= 5, (appends, written, conflicts)


# --- --diff is taken back by git apply --------------------------------------------------

DIFF_CASES = {
    "bom": b"\xef\xbb\xbffrom pkg.old import f\n# caf\xc3\xa9\n",
    "latin1": b"# -*- coding: latin-1 -*-\nfrom pkg.old import f\ns = 'caf\xe9'\n",
    "crlf": b"import os\r\nfrom pkg.old import f, Thing\r\nx = 1\r\n",
    "lone_cr": b"import os\rfrom pkg.old import f, Thing\rx = 1\r",
    "mixed": b"import os\nfrom pkg.old import f\r\nx = 1\ry = 2\n",
    "no_final_newline": b"import os\nfrom pkg.old import f",
    "lone_cr_middle": b"import os\nx = 1\r# c\rfrom pkg.old import f\n",
    "bom_crlf_no_final_newline": b"\xef\xbb\xbfimport os\r\nfrom pkg.old import f, Thing",
}


@pytest.mark.parametrize("name", sorted(DIFF_CASES))
def test_diff_applies_with_git_and_equals_the_fix(tmp_path: Path, name: str) -> None:
    root = project(tmp_path)
    path = root / "src/pkg" / f"{name}.py"
    path.write_bytes(DIFF_CASES[name])
    assert git(root, "init", "-q").returncode == 0
    before = snapshot(root)

    diff = subprocess.run([ARCHLINT, "fix", "--diff"], cwd=root, capture_output=True)
    assert diff.returncode == 1, diff.stderr
    assert f"--- a/src/pkg/{name}.py\n".encode() in diff.stdout
    assert snapshot(root) == before  # --diff writes nothing

    check = git(root, "apply", "--check", "-", stdin=diff.stdout)
    assert check.returncode == 0, check.stderr.decode()
    assert git(root, "apply", "-", stdin=diff.stdout).returncode == 0
    applied = path.read_bytes()

    path.write_bytes(DIFF_CASES[name])
    fixed = run(["archlint", "fix"], cwd=root)
    assert fixed.returncode == 0, fixed.stderr
    assert path.read_bytes() == applied != DIFF_CASES[name]


def test_diff_of_many_files_applies_as_one_patch(tmp_path: Path) -> None:
    root = project(tmp_path)
    for name, data in DIFF_CASES.items():
        (root / "src/pkg" / f"{name}.py").write_bytes(data)
    assert git(root, "init", "-q").returncode == 0
    diff = subprocess.run([ARCHLINT, "fix", "--diff"], cwd=root, capture_output=True)
    assert diff.returncode == 1
    applied = git(root, "apply", "-", stdin=diff.stdout)
    assert applied.returncode == 0, applied.stderr.decode()
    assert run(["archlint", "fix", "--diff"], cwd=root).stdout == ""


# --- nothing is written outside the project ---------------------------------------------


def test_link_to_a_file_outside_the_project_is_skipped(tmp_path: Path) -> None:
    root = project(tmp_path, {"src/pkg/inside.py": "from pkg.old import f\n"})
    outside = tmp_path / "elsewhere" / "victim.py"
    outside.parent.mkdir()
    outside.write_bytes(b"from pkg.old import f\n")
    (root / "src/pkg/link.py").symlink_to(outside)
    result = run(["archlint", "fix"], cwd=root)
    assert result.returncode == 1
    assert result.stderr == (
        f"src/pkg/link.py:1:1: a link to {os.path.realpath(outside)}, outside the project; "
        "skipped\n"
    )
    assert outside.read_bytes() == b"from pkg.old import f\n"
    assert (root / "src/pkg/inside.py").read_text() == "from pkg.new import f\n"
    assert result.stdout == "Fixed 1 import and 0 strings in 1 file; 1 file could not be fixed.\n"


def test_files_under_a_linked_folder_outside_the_project_are_skipped(tmp_path: Path) -> None:
    root = project(tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "victim.py").write_bytes(b"from pkg.old import f\n")
    (root / "src/pkg/vendored").symlink_to(outside, target_is_directory=True)
    for args in (["src/pkg/vendored/victim.py"], ["src/pkg/vendored"]):
        result = run(["archlint", "fix", *args], cwd=root)
        assert result.returncode == 1, args
        assert result.stderr.startswith("src/pkg/vendored/victim.py:1:1: in a linked folder, at ")
        assert result.stderr.endswith(", outside the project; skipped\n")
        assert (outside / "victim.py").read_bytes() == b"from pkg.old import f\n"
    # Not below the project at all, given by name.
    result = run(["archlint", "fix", str(outside / "victim.py")], cwd=root)
    assert result.returncode == 1
    assert result.stderr.endswith("victim.py:1:1: outside the project; skipped\n")
    assert (outside / "victim.py").read_bytes() == b"from pkg.old import f\n"


def test_link_inside_the_project_rewrites_its_target_once(tmp_path: Path) -> None:
    # The target is project code, fixed under its own name anyway: through the link it is
    # rewritten once (not twice, and not counted twice), and the link stays a link.
    root = project(tmp_path, {"src/pkg/real.py": "from pkg.old import f, Thing\n"})
    (root / "src/pkg/alias.py").symlink_to("real.py")
    result = run(["archlint", "fix"], cwd=root)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "Fixed 2 imports and 0 strings in 1 file.\n"
    assert (root / "src/pkg/alias.py").is_symlink()
    assert (root / "src/pkg/real.py").read_text() == (
        "from pkg.new import f\nfrom pkg.other import Thing\n"
    )


# --- deep nesting -----------------------------------------------------------------------


def test_deep_nesting_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    calls = "f(" * 150 + 'mock.patch("pkg.old.f")' + ")" * 150
    nots = "not " * 1000 + "pkg.old.f"
    root = project(
        tmp_path,
        {
            "src/pkg/calls.py": f"from pkg.old import f\nfrom unittest import mock\nx = {calls}\n",
            "src/pkg/nots.py": f"import pkg.old\nx = {nots}\n",
            "src/pkg/attrs.py": "from unittest import mock\nx = mock" + ".a" * 1000 + "\n",
            "src/pkg/lambdas.py": "from pkg.old import f\nx = " + "lambda: " * 5000 + "f\n",
            "src/pkg/parens.py": "from pkg.old import f\nx = " + "(" * 1000 + ")" * 1000 + "\n",
        },
    )
    before = snapshot(root)
    result = run(["archlint", "fix"], cwd=root)
    assert result.returncode == 2  # files that could not be parsed: never "findings" (1)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines == [
        "src/pkg/calls.py:3:316: string 'pkg.old.f': the statement is too deeply nested for "
        "libcst to rewrite",
        "src/pkg/lambdas.py:1:1: syntax error: too deeply nested to parse; file skipped",
        "src/pkg/nots.py:1:1: import pkg.old: the statement is too deeply nested for libcst "
        "to rewrite",
        "src/pkg/parens.py:2:1: syntax error: too many nested parentheses; file skipped",
    ]
    after = snapshot(root)
    # The import above the deep statement is fixed; the deep site is left, and said so.
    assert after["src/pkg/calls.py"] == before["src/pkg/calls.py"].replace(
        b"from pkg.old import f\n", b"from pkg.new import f\n", 1
    )
    changed = sorted(p for p in before if before[p] != after[p])
    assert changed == ["src/pkg/calls.py"]


# --- files that change or are protected -------------------------------------------------


def test_read_only_file_is_reported_and_keeps_its_mode(tmp_path: Path) -> None:
    root = project(tmp_path, {"src/pkg/ro.py": "from pkg.old import f\n"})
    path = root / "src/pkg/ro.py"
    path.chmod(0o444)
    for args in (["fix"], ["fix", "--diff"]):
        result = run(["archlint", *args], cwd=root)
        assert result.returncode == 1
        assert result.stderr.splitlines()[0] == (
            "src/pkg/ro.py:1:1: the file is read-only; not written (make it writable to fix it)"
        )
        assert result.stdout == ("" if "--diff" in args else result.stdout)
    assert path.read_bytes() == b"from pkg.old import f\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


@pytest.mark.parametrize("change", ["deleted", "directory", "fifo"])
def test_file_gone_between_plan_and_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    root = project(tmp_path, {"src/pkg/m.py": "from pkg.old import f\n"})
    path = root / "src/pkg/m.py"
    real = fix_module.replace_file

    # The change lands after the file was read and planned (the safety check plans every
    # file first, without writing), right before it is replaced.
    def change_then_replace(*args: Any, **kwargs: Any) -> Any:
        path.unlink()
        if change == "directory":
            path.mkdir()
            (path / "kept.txt").write_bytes(b"mine")
        elif change == "fifo":
            os.mkfifo(path)
        return real(*args, **kwargs)

    monkeypatch.setattr(fix_module, "replace_file", change_then_replace)
    report = fix_module.fix_paths(open_project(root=root), [path], cwd=root)
    expected = {
        "deleted": "deleted while being fixed; nothing written",
        "directory": "replaced by something else than a file while being fixed; nothing written",
        "fifo": "replaced by something else than a file while being fixed; nothing written",
    }[change]
    assert [str(e) for e in report.errors] == [f"src/pkg/m.py:1:1: {expected}"]
    assert report.changed == []
    if change == "deleted":
        assert not path.exists()
    elif change == "directory":
        assert (path / "kept.txt").read_bytes() == b"mine"
    else:
        assert stat.S_ISFIFO(path.lstat().st_mode)
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []


def test_special_file_is_never_opened(tmp_path: Path) -> None:
    # The listing skips special files; one that takes a file's place after the listing is
    # refused when opened (without blocking), not read.
    root = project(tmp_path)
    pipe = root / "src/pkg/pipe.py"
    os.mkfifo(pipe)
    rules = fix_module.FileRules.compile(open_project(root=root).project)
    result = fix_module.fix_file(
        rules, pipe, "src/pkg/pipe.py", write=True, root=os.path.realpath(root)
    )
    assert result.error is not None
    assert str(result.error) == "src/pkg/pipe.py:1:1: not a regular file; skipped"


def test_encoding_cookie_and_bytes_that_disagree(tmp_path: Path) -> None:
    root = project(tmp_path)
    src = root / "src/pkg"
    # Declared latin-1, written in UTF-8: it decodes (as mojibake), and every byte outside
    # the import comes back as it was.
    (src / "says_latin.py").write_bytes(
        b"# -*- coding: latin-1 -*-\nfrom pkg.old import f\ns = 'caf\xc3\xa9'\n"
    )
    # Declared UTF-8, written in latin-1: it does not decode, and is left alone.
    (src / "says_utf8.py").write_bytes(
        b"# -*- coding: utf-8 -*-\nfrom pkg.old import f\ns = 'caf\xe9'\n"
    )
    # A BOM and a cookie that contradicts it.
    (src / "bom_latin.py").write_bytes(
        b"\xef\xbb\xbf# -*- coding: latin-1 -*-\nfrom pkg.old import f\n"
    )
    before = snapshot(root)
    result = run(["archlint", "fix"], cwd=root)
    assert result.returncode == 2  # files that could not be decoded: never "findings" (1)
    assert result.stderr.splitlines() == [
        "src/pkg/bom_latin.py:1:1: cannot decode: encoding problem: utf-8",
        "src/pkg/says_utf8.py:3:1: cannot decode: 'utf-8' codec can't decode byte 0xe9 in "
        "position 54: invalid continuation byte",
    ]
    after = snapshot(root)
    assert after["src/pkg/says_latin.py"] == (
        b"# -*- coding: latin-1 -*-\nfrom pkg.new import f\ns = 'caf\xc3\xa9'\n"
    )
    assert [p for p in before if before[p] != after[p]] == ["src/pkg/says_latin.py"]
