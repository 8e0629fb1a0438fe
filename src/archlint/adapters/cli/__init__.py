"""The ``archlint`` command.

Subcommands are thin: parse the arguments (:mod:`.parser`), call a use case, render its
result, and return an exit status (:mod:`.check`, :mod:`.commands`). :func:`main` gives the
status: 0 clean, 1 violations, 2 usage or configuration error or a file that could not be read
or parsed (never 1 for something archlint could not check), and turns every error archlint
raises into its lines on standard error; the console script
(:mod:`archlint.adapters.entry`) exits with it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from archlint.domain.errors import ArchlintError, ConfigError
from archlint.scanning.screen import UnreadableFiles

from .base import EXIT_BROKEN_PIPE, EXIT_ERROR, UsageError
from .parser import build_parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run archlint; return the exit status (the console script exits with it)."""
    if out is None:
        # Standard output closed (``>&-``): the verdict is the exit status alone.
        out = sys.stdout if sys.stdout is not None else open(os.devnull, "w")  # noqa: SIM115
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "command", None):
            parser.print_help(out)
            return EXIT_ERROR
        status: int = args.run(args, out)
        return status
    except UsageError as e:
        parser.print_usage(sys.stderr)
        print(e, file=sys.stderr)
        return EXIT_ERROR
    except UnreadableFiles as e:
        from archlint.config.loader import display_path

        for bad in e.bad_files:
            print(bad.show(display_path), file=sys.stderr)
        count = len(e.bad_files)
        print(
            f"archlint: {count} file{'s' if count != 1 else ''} could not be read or parsed",
            file=sys.stderr,
        )
        return EXIT_ERROR
    except ConfigError as e:
        for problem in e.problems:
            print(f"error: {problem}", file=sys.stderr)
        count = len(e.problems)
        print(f"archlint: {count} configuration error{'s' if count != 1 else ''}", file=sys.stderr)
        return EXIT_ERROR
    except ArchlintError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader stopped reading: end quietly. What is still buffered for it goes
        # nowhere, instead of failing again when Python flushes it at exit.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
