"""Replacing a fixed file: an edit made at any step of the replacement is never lost.

Each test injects an edit at one step of :func:`archlint.rewrite.replace.replace_file`, by
wrapping the function that runs at that step, and checks that the edit is on disk afterwards
and that the caller was told.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from archlint.rewrite import replace
from archlint.rewrite.replace import FileChanged, NotWritable, read_file, replace_file

OLD = b"from pkg.old import f\n"
NEW = b"from pkg.new import f\n"
EDIT = b"x = 1  # typed by someone while fix ran\n"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def wrap(monkeypatch: pytest.MonkeyPatch, name: str, before: Callable[[int], None]) -> list[int]:
    """Call ``before(n)`` ahead of the ``n``-th call (from 1) of ``replace.<name>``."""
    real = getattr(replace, name)
    calls: list[int] = []

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls.append(len(calls) + 1)
        before(len(calls))
        return real(*args, **kwargs)

    monkeypatch.setattr(replace, name, wrapper)
    return calls


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "m.py"
    path.write_bytes(OLD)
    return path


def test_unchanged_file_is_replaced_with_its_mode(target: Path) -> None:
    target.chmod(0o640)
    read = read_file(target)
    replace_file(target, NEW, read).close()
    assert target.read_bytes() == NEW
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftovers(target.parent) == []


def test_edit_after_the_read_is_kept(target: Path) -> None:
    read = read_file(target)
    with target.open("ab") as stream:
        stream.write(EDIT)
    with pytest.raises(FileChanged, match="changed on disk while being fixed; left as it is"):
        replace_file(target, NEW, read)
    assert target.read_bytes() == OLD + EDIT


def test_edit_while_the_new_file_is_written_is_kept(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The window of the old code: after its last check, before its rename.
    def append(n: int) -> None:
        with target.open("ab") as stream:
            stream.write(EDIT)

    wrap(monkeypatch, "_write_temporary", append)
    read = read_file(target)
    with pytest.raises(FileChanged, match="changed on disk"):
        replace_file(target, NEW, read)
    assert target.read_bytes() == OLD + EDIT
    assert leftovers(target.parent) == []


def test_same_size_rewrite_in_the_same_instant_is_seen(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Same size, and the time set back: only the bytes tell.
    status = target.stat()

    def overwrite(n: int) -> None:
        target.write_bytes(OLD.upper())
        os.utime(target, ns=(status.st_atime_ns, status.st_mtime_ns))

    wrap(monkeypatch, "_write_temporary", overwrite)
    read = read_file(target)
    with pytest.raises(FileChanged):
        replace_file(target, NEW, read)
    assert target.read_bytes() == OLD.upper()


def test_write_through_an_open_descriptor_after_the_check_is_kept(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Opened before the file is taken aside, written after it was checked and before the
    # new file is in place: the old file goes back, with the write.
    stream = target.open("ab")

    def append(n: int) -> None:
        stream.write(EDIT)
        stream.flush()

    wrap(monkeypatch, "_place", append)
    read = read_file(target)
    try:
        with pytest.raises(FileChanged, match="left as it is, with that change"):
            replace_file(target, NEW, read)
    finally:
        stream.close()
    assert target.read_bytes() == OLD + EDIT
    assert leftovers(target.parent) == []


def test_write_in_the_instant_the_old_file_is_removed_is_kept(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The last look (third comparison) sees a write that reached the old file after the
    # second one: what it holds is saved beside the fixed file and named.
    stream = target.open("ab")

    def append(n: int) -> None:
        if n == 3:
            stream.write(EDIT)
            stream.flush()

    wrap(monkeypatch, "_holds", append)
    read = read_file(target)
    try:
        with pytest.raises(FileChanged, match=r"is kept as (\S+)$") as caught:
            replace_file(target, NEW, read)
    finally:
        stream.close()
    kept = str(caught.value).rsplit(" ", 1)[-1]
    assert target.read_bytes() == NEW
    assert (target.parent / kept).read_bytes() == OLD + EDIT
    assert leftovers(target.parent) == [kept]


def test_file_created_at_the_path_meanwhile_is_not_overwritten(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An editor saving by rename (or an appender creating the file) while the old file is
    # aside: its file stays, and the old one is kept and named.
    def create(n: int) -> None:
        if n == 1:
            target.write_bytes(EDIT)

    wrap(monkeypatch, "_holds", create)
    read = read_file(target)
    with pytest.raises(FileChanged, match=r"is kept as (\S+)$") as caught:
        replace_file(target, NEW, read)
    kept = str(caught.value).rsplit(" ", 1)[-1]
    assert target.read_bytes() == EDIT
    assert (target.parent / kept).read_bytes() == OLD
    assert leftovers(target.parent) == [kept]


def test_deleted_file_is_not_recreated(target: Path) -> None:
    read = read_file(target)
    target.unlink()
    with pytest.raises(FileChanged, match="deleted while being fixed; nothing written"):
        replace_file(target, NEW, read)
    assert not target.exists()
    assert leftovers(target.parent) == []


def test_file_replaced_by_a_folder_is_left_alone(target: Path) -> None:
    read = read_file(target)
    target.unlink()
    target.mkdir()
    (target / "inside.txt").write_bytes(b"keep")
    with pytest.raises(FileChanged, match="replaced by something else than a file"):
        replace_file(target, NEW, read)
    assert (target / "inside.txt").read_bytes() == b"keep"


def test_file_replaced_by_another_file_is_left_alone(target: Path) -> None:
    read = read_file(target)
    other = target.with_name("other.py")
    other.write_bytes(OLD)  # the same bytes, but another file
    os.replace(other, target)
    with pytest.raises(FileChanged, match="changed on disk"):
        replace_file(target, NEW, read)
    assert target.read_bytes() == OLD


def test_read_only_file_is_not_written(target: Path) -> None:
    target.chmod(0o444)
    read = read_file(target)
    with pytest.raises(NotWritable, match="read-only"):
        replace_file(target, NEW, read)
    assert target.read_bytes() == OLD
    assert stat.S_IMODE(target.stat().st_mode) == 0o444


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_never_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.py"
    os.mkfifo(fifo)
    with pytest.raises(NotWritable, match="not a regular file"):
        read_file(fifo)  # would block for ever if it were opened for reading


def test_link_is_followed_and_stays_a_link(target: Path) -> None:
    link = target.with_name("link.py")
    link.symlink_to(target.name)
    read = read_file(link)
    replace_file(link, NEW, read).close()
    assert link.is_symlink()
    assert target.read_bytes() == NEW


def test_without_hard_links_the_rename_still_never_overwrites(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    def no_links(source: object, destination: object) -> None:
        raise OSError(errno.EPERM, "no hard links here")

    monkeypatch.setattr(replace.os, "link", no_links)
    read = read_file(target)
    replace_file(target, NEW, read).close()
    assert target.read_bytes() == NEW
    assert leftovers(target.parent) == []


def test_write_after_the_replacement_is_saved_at_the_last_look(target: Path) -> None:
    # Through a descriptor opened before the replacement, landing after it: the old file has
    # no name any more, but the last look (at the end of fix's run) saves what it holds.
    stream = target.open("ab")
    replaced = replace_file(target, NEW, read_file(target))
    stream.write(EDIT)
    stream.close()
    saved = replaced.settle()
    assert saved is not None
    kept = saved.rsplit(" ", 1)[-1]
    assert target.read_bytes() == NEW
    assert (target.parent / kept).read_bytes() == OLD + EDIT
    assert replaced.settle() is None  # once only


def test_nothing_to_save_at_the_last_look(target: Path) -> None:
    replaced = replace_file(target, NEW, read_file(target))
    assert replaced.settle() is None
    assert leftovers(target.parent) == []
