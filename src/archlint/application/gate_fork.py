"""The per-file rules of ``archlint check``, in a child process beside the graph.

The per-file rules split in two halves that do not depend on each other:

- the deprecations (ARC0xx: imports, strings, shims), asked of every file whose text could
  name a deprecated path: they need no import graph, only, for the files read as their
  import statements alone, the lines of those statements;
- the direct breaks (ARC1xx), asked of the few files whose module the graph shows breaking a
  contract: they need the graph.

On a machine with more than one core, :meth:`Child.start` forks a child (POSIX ``os.fork``)
before import-linter and grimp are even imported: the child walks the project's files (unless
the parent has them already) and checks the deprecations, while the parent builds the graph.
As soon as the graph is built, the parent sends the child, as JSON over a second pipe, the
lines of the import statements it needs (:meth:`Child.send`), and goes on checking the
contracts and the direct breaks. The child sends back, as JSON over a pipe (never pickle),
the files, and for each file it read either its findings or that it could not read it.
:mod:`archlint.application.gate` merges both halves file by file, sorted as one file's
findings are: the same findings, in the same order, as one process gives (``--jobs 1``,
``ARCHLINT_JOBS=1``, or a platform without ``fork``). Any file the child could not read is
done again in the parent exactly as one process does it, so its error is the same too.
Whatever goes wrong with the child (it dies, its answer is not what was expected) only costs
the parent doing the deprecation half itself.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from archlint.domain.results import FileFinding

#: The environment variable that sets ``--jobs`` when the option is not given.
JOBS_VARIABLE = "ARCHLINT_JOBS"

#: How often the child looks whether its parent is still there.
_WATCH_SECONDS = 0.2

#: What the parent sends the child: by module, the lines of the import statements a file read
#: as its import statements alone holds (see :func:`archlint.backend.run.import_lines`);
#: None when the graph gives none (the child parses such files whole, as one process does).
Lines = dict[str, frozenset[int]] | None

#: What the child found in one file: its findings, or None when it could not read the file.
FileResult = list[FileFinding] | None


@dataclass(frozen=True)
class Walked:
    """The project's files, as :func:`archlint.application.gate._files` gives them."""

    files: list[Path]
    notes: list[str]
    prefix: str


@dataclass(frozen=True)
class ChildAnswer:
    """What the child sends back."""

    walked: Walked
    #: By file (relative to the project folder): only the files the child looked into.
    results: dict[str, FileResult]


def jobs_wanted(jobs: int | None) -> int:
    """How many processes the per-file rules may use: ``jobs`` when given, else
    ``ARCHLINT_JOBS``, else (0 or less too) 2 when this process may run on more than one
    core, as grimp's own scanner uses every core it has.

    The load of the machine is not asked: measured on two cores, the child saves about a
    third of the time on an idle machine and costs a few percent beside another busy process
    (the work is split, not done twice), while a load average counts the commands a script ran
    just before, and would turn the child off in every script that runs one after another."""
    if jobs is None:
        value = os.environ.get(JOBS_VARIABLE, "").strip()
        try:
            jobs = int(value) if value else 0
        except ValueError:
            jobs = 0
    if jobs > 0:
        return jobs
    return 2 if cores() > 1 else 1


def cores() -> int:
    """The cores this process may run on (its CPU affinity, where the platform tells)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether this platform forks (POSIX)."""
    return hasattr(os, "fork")


class Child:
    """A forked child computing the deprecation half: it is sent the graph's lines once,
    and its answer is read once."""

    def __init__(self, pid: int, fd: int, lines_fd: int) -> None:
        self.pid = pid
        self.fd = fd
        self._lines_fd: int | None = lines_fd

    @classmethod
    def start(cls, work: Callable[[Callable[[], Lines]], ChildAnswer]) -> Child | None:
        """Fork a child that runs ``work`` and writes its answer to a pipe; None when the
        fork fails (the caller does the work itself). ``work`` is given a function that
        waits for the lines :meth:`send` sends (None when the parent sends none)."""
        # What the parent has buffered must not be written twice.
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        parent = os.getpid()
        fds: list[int] = []
        try:
            fds.extend(os.pipe())  # the answer: child -> parent
            fds.extend(os.pipe())  # the lines: parent -> child
            pid = os.fork()
        except OSError:
            for fd in fds:
                os.close(fd)
            return None
        read_fd, write_fd, lines_read, lines_write = fds
        if pid == 0:  # the child: never returns
            status = 1
            try:
                os.close(read_fd)
                os.close(lines_write)
                _stop_when_orphaned(parent)
                data = _encode(work(_Receiver(lines_read).lines)).encode("utf-8")
                with os.fdopen(write_fd, "wb") as pipe:
                    pipe.write(data)
                status = 0
            except BaseException:  # the parent does the work instead
                status = 1
            finally:
                os._exit(status)
        os.close(write_fd)
        os.close(lines_read)
        return cls(pid, read_fd, lines_write)

    @property
    def sent(self) -> bool:
        """Whether the lines were sent (or the child stopped)."""
        return self._lines_fd is None

    def send(self, lines: Lines) -> None:
        """Send the child the lines (once; later calls do nothing). A child that is gone
        already is found out when its answer is read."""
        fd, self._lines_fd = self._lines_fd, None
        if fd is None:
            return
        data = b"null" if lines is None else _encode_lines(lines)
        try:
            with os.fdopen(fd, "wb") as pipe:
                pipe.write(data)
        except OSError:  # BrokenPipeError: the child died
            pass

    def answer(self) -> ChildAnswer | None:
        """The child's answer, waiting for it; None when it failed. Lines not sent by now
        are sent as none."""
        self.send(None)
        chunks = []
        try:
            with os.fdopen(self.fd, "rb") as pipe:
                while chunk := pipe.read(1 << 16):
                    chunks.append(chunk)
        except OSError:
            chunks = []
        status = self._reap()
        if status != 0 or not chunks:
            return None
        return _decode(b"".join(chunks))

    def cancel(self) -> None:
        """Stop the child (the parent failed first) and reap it."""
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        for fd in (self.fd, self._lines_fd):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._lines_fd = None
        self._reap()

    def _reap(self) -> int | None:
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:
            return None
        return os.waitstatus_to_exitcode(status)


def _stop_when_orphaned(parent: int) -> None:
    """In the child: end this process as soon as ``parent`` is gone (killed, or ended
    without reading the answer), instead of screening the project for nobody. An orphan
    is given another parent, which is how it finds out."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_WATCH_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _encode_lines(lines: dict[str, frozenset[int]]) -> bytes:
    return json.dumps({module: sorted(found) for module, found in lines.items()}).encode()


class _Receiver:
    """In the child: the lines the parent sends, read by a thread from the start, so that
    the parent never waits on a full pipe (the lines of a large project are more than a
    pipe holds) while the child is busy, or when it never asks for them."""

    def __init__(self, fd: int) -> None:
        self._chunks: list[bytes] = []
        self._thread = threading.Thread(target=self._drain, args=(fd,), daemon=True)
        self._thread.start()

    def _drain(self, fd: int) -> None:
        with contextlib.suppress(OSError), os.fdopen(fd, "rb") as pipe:
            while chunk := pipe.read(1 << 16):
                self._chunks.append(chunk)

    def lines(self) -> Lines:
        """The lines, waiting for them; None when the parent sent none or what came is not
        what :meth:`Child.send` writes."""
        self._thread.join()
        try:
            document = json.loads(b"".join(self._chunks).decode("utf-8"))
            if document is None:
                return None
            return {
                str(module): frozenset(int(line) for line in found)
                for module, found in document.items()
            }
        except (ValueError, TypeError, AttributeError, RecursionError):
            return None


def _encode(answer: ChildAnswer) -> str:
    walked = answer.walked
    return json.dumps(
        {
            "files": [str(p) for p in walked.files],
            "notes": walked.notes,
            "prefix": walked.prefix,
            "results": {
                path: found
                if not isinstance(found, list)
                else [dataclasses.asdict(f) for f in found]
                for path, found in answer.results.items()
            },
        }
    )


def _decode(data: bytes) -> ChildAnswer | None:
    """The answer, checked field by field; None when it is not what the child writes."""
    try:
        document = json.loads(data.decode("utf-8"))
        results: dict[str, FileResult] = {}
        for path, found in document["results"].items():
            if found is None:
                results[str(path)] = found
            else:
                results[str(path)] = [_finding(f) for f in found]
        walked = Walked(
            [Path(str(p)) for p in document["files"]],
            [str(n) for n in document["notes"]],
            str(document["prefix"]),
        )
        return ChildAnswer(walked, results)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None


def _finding(f: dict[str, object]) -> FileFinding:
    contract = f["contract"]
    return FileFinding(
        str(f["path"]),
        int(str(f["line"])),
        int(str(f["col"])),
        str(f["code"]),
        str(f["message"]),
        None if contract is None else str(contract),
        bool(f["fixable"]),
        bool(f["planned"]),
    )
