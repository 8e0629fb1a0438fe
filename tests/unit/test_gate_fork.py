"""The child process's two pipes (:class:`archlint.application.gate_fork.Child`): whatever
the sizes of the two messages and whether the child asks for the lines at all, neither
process waits for the other forever, and a bad message is never taken for an answer."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from archlint.application.gate_fork import Child, ChildAnswer, Lines, Walked
from archlint.domain.results import FileFinding

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")

#: Far more than a pipe holds (64 KiB on Linux): a writer blocks until the reader reads.
BIG_LINES: dict[str, frozenset[int]] = {
    f"pkg.module{i}": frozenset(range(1, 40)) for i in range(3000)
}


def _answer(files: int) -> ChildAnswer:
    finding = FileFinding("a.py", 1, 1, "ARC001", "x" * 200, None, True, False)
    results: dict[str, list[FileFinding] | str | None] = {
        f"f{i}.py": [finding] for i in range(files)
    }
    return ChildAnswer(Walked([Path(f"f{i}.py") for i in range(files)], [], ""), results)


class Deadlock(Exception):
    """Not an OSError: the code under test swallows those."""


@contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    def expired(signum: int, frame: object) -> None:
        raise Deadlock("the parent and the child wait for each other")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _run(work: Callable[[Callable[[], Lines]], ChildAnswer], lines: Lines) -> ChildAnswer | None:
    child = Child.start(work)
    assert child is not None
    with _deadline(10):
        child.send(lines)
        return child.answer()


def test_big_lines_to_a_child_that_does_not_ask_for_them() -> None:
    # The child has no file waiting for lines and a big answer: it must not leave the
    # parent blocked writing the lines while it blocks writing its answer.
    answer = _run(lambda receive: _answer(2000), BIG_LINES)
    assert answer is not None and len(answer.results) == 2000


def test_big_lines_to_a_child_that_asks_for_them() -> None:
    def work(receive: Callable[[], Lines]) -> ChildAnswer:
        # What the child got is told through its answer: 2000 files when the lines came whole.
        return _answer(2000 if receive() == BIG_LINES else 1)

    answer = _run(work, BIG_LINES)
    assert answer is not None and len(answer.results) == 2000


def test_sending_big_lines_does_not_wait_for_a_busy_child() -> None:
    # The parent goes on checking contracts while the child is still screening files.
    def work(receive: Callable[[], Lines]) -> ChildAnswer:
        time.sleep(3)
        return _answer(2000 if receive() == BIG_LINES else 1)

    child = Child.start(work)
    assert child is not None
    with _deadline(20):
        start = time.monotonic()
        child.send(BIG_LINES)
        assert time.monotonic() - start < 2
        answer = child.answer()
    assert answer is not None and len(answer.results) == 2000


def test_no_lines_sent_is_none_for_the_child() -> None:
    def work(receive: Callable[[], Lines]) -> ChildAnswer:
        return _answer(1 if receive() is None else 2)

    child = Child.start(work)
    assert child is not None
    with _deadline(20):
        answer = child.answer()  # never sent: the child is told there are none
    assert answer is not None and len(answer.results) == 1


def test_a_child_that_fails_gives_no_answer() -> None:
    def work(receive: Callable[[], Lines]) -> ChildAnswer:
        raise RuntimeError("boom")

    assert _run(work, BIG_LINES) is None


def test_a_child_that_dies_gives_no_answer() -> None:
    def work(receive: Callable[[], Lines]) -> ChildAnswer:
        os._exit(0)  # gone without a word

    assert _run(work, BIG_LINES) is None


def test_cancel_stops_a_child_waiting_for_lines() -> None:
    def work(receive: Callable[[], Lines]) -> ChildAnswer:
        receive()
        return _answer(1)

    child = Child.start(work)
    assert child is not None
    with _deadline(20):
        child.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)


_ORPHAN = """
import sys, time
from archlint.application.gate_fork import Child

def work(receive):
    time.sleep(60)  # a child with much left to do when its parent dies
    raise SystemExit

child = Child.start(work)
with open(sys.argv[1], "w") as out:
    out.write(str(child.pid))
"""


def _running(pid: int) -> bool:
    """Whether ``pid`` is a process that has not ended (a zombie has)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rpartition(")")[2].split()[0] not in ("Z", "X")
    except OSError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
def test_a_child_whose_parent_died_stops(tmp_path: Path) -> None:
    # The parent killed (SIGTERM, SIGKILL) never reads the answer: the child must not go on
    # screening the whole project for nobody.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    # Not captured: the child holds what it inherits open.
    told = tmp_path / "pid"
    subprocess.run(
        [sys.executable, "-c", _ORPHAN, str(told)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=60,
        check=True,
    )
    pid = int(told.read_text())
    deadline = time.monotonic() + 10
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    stopped = not _running(pid)
    if not stopped:
        os.kill(pid, signal.SIGKILL)
    assert stopped, "the child outlived its parent"
