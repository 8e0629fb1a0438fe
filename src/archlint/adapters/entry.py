"""The ``archlint`` console script, kept light so that Ctrl-C never shows a traceback.

Importing the command line (:mod:`archlint.adapters.cli`) and what it needs takes some 60 ms,
before :func:`~archlint.adapters.cli.main` can catch :class:`KeyboardInterrupt`. An interrupt
in that time would print the traceback of an import. Until ``main`` runs, SIGINT ends the
process as the signal does by default: quietly, with the status a shell shows as 130.

The built-in ``_signal`` is used instead of :mod:`signal`, whose import (of :mod:`enum`)
alone takes some 8 ms, and nothing else is imported first (not even :mod:`typing`): the
time left for a traceback is the interpreter's own start.
"""

from __future__ import annotations

import _signal  # type: ignore[import-not-found]  # no stub: the C module under signal
import sys

#: The exit status of a command the user interrupted: what a shell reports for SIGINT.
EXIT_INTERRUPTED = 130

_SIGINT = _signal.SIGINT
_DEFAULT = _signal.SIG_DFL
_PYTHON_HANDLER = _signal.default_int_handler


def entry_point() -> None:
    """Run :func:`~archlint.adapters.cli.main` and exit with its status."""
    # Only Python's own handler is replaced: an ignored SIGINT (a job started in the
    # background by a shell without job control) stays ignored.
    quiet = _signal.getsignal(_SIGINT) is _PYTHON_HANDLER
    if quiet:
        _signal.signal(_SIGINT, _DEFAULT)
    from archlint.adapters.cli import main

    if quiet:
        _signal.signal(_SIGINT, _PYTHON_HANDLER)
    try:
        status = main()
    except KeyboardInterrupt:  # before main's own handler was reached
        status = EXIT_INTERRUPTED
    sys.exit(status)
