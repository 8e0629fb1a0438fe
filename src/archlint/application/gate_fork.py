"""The deprecation half of ``archlint check``'s per-file rules, in a child process.

The per-file rules split in two halves that do not depend on each other:

- the deprecations (ARC0xx: imports, strings, shims), asked of every file whose text could
  name a deprecated path: they need no import graph;
- the direct breaks (ARC1xx), asked of the few files whose module the graph shows breaking a
  contract: they need the graph.

On a machine with more than one core, :func:`start` forks a child (POSIX ``os.fork``) before
the graph is built: the child walks the project's files (unless the parent has them already)
and checks the deprecations, while the parent builds the graph and checks the contracts. The
child sends back, as JSON over a pipe (never pickle), the files, and for each file it read
either its findings or that it could not read it. :mod:`archlint.application.gate` then
checks the direct breaks itself and merges both halves file by file, sorted as one file's
findings are: the same findings, in the same order, as one process gives (``--jobs 1``,
``ARCHLINT_JOBS=1``, or a platform without ``fork``). Any file either half could not read
is done again in the parent exactly as one process does it, so its error is the same too.
Whatever goes wrong with the child (it dies, its answer is not what was expected) only
costs the parent doing the deprecation half itself.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from archlint.domain.results import FileFinding

#: The environment variable that sets ``--jobs`` when the option is not given.
JOBS_VARIABLE = "ARCHLINT_JOBS"

#: The child's answer for a file whose import statements are read from the graph's lines
#: (the parent has them, the child does not): the parent does that file.
GRAPH = "graph"

#: What the child found in one file: its findings, None when it could not read the file, or
#: :data:`GRAPH`.
FileResult = list[FileFinding] | None | str


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
    ``ARCHLINT_JOBS``, else (0 or less too) 2 when a core is idle: more than one core, and a
    load average (over the last minute) that leaves one free. On a busy machine the child
    only takes turns with the parent on the same core, and costs more than it saves."""
    if jobs is None:
        value = os.environ.get(JOBS_VARIABLE, "").strip()
        try:
            jobs = int(value) if value else 0
        except ValueError:
            jobs = 0
    if jobs > 0:
        return jobs
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (OSError, AttributeError):
        return 1
    return 2 if cores > 1 and load <= cores - 1 else 1


def can_fork() -> bool:
    """Whether this platform forks (POSIX)."""
    return hasattr(os, "fork")


class Child:
    """A forked child computing the deprecation half; its answer read once."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid = pid
        self.fd = fd

    @classmethod
    def start(cls, work: Callable[[], ChildAnswer]) -> Child | None:
        """Fork a child that runs ``work`` and writes its answer to a pipe; None when the
        fork fails (the caller does the work itself)."""
        # What the parent has buffered must not be written twice.
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        try:
            read_fd, write_fd = os.pipe()
        except OSError:
            return None
        try:
            pid = os.fork()
        except OSError:
            os.close(read_fd)
            os.close(write_fd)
            return None
        if pid == 0:  # the child: never returns
            status = 1
            try:
                os.close(read_fd)
                data = _encode(work()).encode("utf-8")
                with os.fdopen(write_fd, "wb") as pipe:
                    pipe.write(data)
                status = 0
            except BaseException:  # the parent does the work instead
                status = 1
            finally:
                os._exit(status)
        os.close(write_fd)
        return cls(pid, read_fd)

    def answer(self) -> ChildAnswer | None:
        """The child's answer, waiting for it; None when it failed."""
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
        with contextlib.suppress(OSError):
            os.close(self.fd)
        self._reap()

    def _reap(self) -> int | None:
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:
            return None
        return os.waitstatus_to_exitcode(status)


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
            if found is None or found == GRAPH:
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
