"""An existing import-linter configuration: finding it, reading it, and running ``lint-imports``.

The configuration is read with import-linter's own readers (``IniFileUserOptionReader`` and
``TomlFileUserOptionReader``), so that an INI file is read exactly as ``lint-imports`` reads it:
configparser's interpolation and key folding, multi-line values split into lists (a blank line
in a list, as left by a comment line, gives an empty entry that the caller drops), TOML booleans
as ``"True"``/``"False"``. Reading never imports the project's code; running ``lint-imports``
does (import-linter imports the parents of dotted root packages), which the caller says.
"""

from __future__ import annotations

import configparser
import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from importlinter import configuration as importlinter_configuration
from importlinter.adapters.user_options import IniFileUserOptionReader, TomlFileUserOptionReader

#: Where ``lint-imports`` looks, in its own order, when no file is given.
DEFAULT_FILES = ("setup.cfg", ".importlinter", "pyproject.toml")


class ImportLinterConfigError(ValueError):
    """The configuration cannot be found or read; the message says why, in one line."""


@dataclass(frozen=True)
class ImportLinterConfig:
    """What import-linter's reader found in one file."""

    path: Path
    #: ``"ini"`` or ``"toml"``.
    format: str
    #: ``[importlinter]`` / ``[tool.importlinter]`` without its contracts.
    session: Mapping[str, Any]
    #: One mapping per contract, in file order; INI contracts carry their section key as ``id``.
    contracts: tuple[Mapping[str, Any], ...]


def _format_of(path: Path) -> str:
    return "toml" if path.suffix == ".toml" else "ini"


def _read(path: Path, shown: str) -> ImportLinterConfig | None:
    importlinter_configuration.configure()
    fmt = _format_of(path)
    reader = TomlFileUserOptionReader() if fmt == "toml" else IniFileUserOptionReader()
    try:
        options = reader.read_options(config_filename=str(path.resolve()))
    except (OSError, UnicodeDecodeError) as e:
        raise ImportLinterConfigError(f"cannot read {shown}: {_reason(e)}") from None
    except configparser.Error as e:
        first = str(e).splitlines()[0]
        raise ImportLinterConfigError(f"{shown} is not a valid INI file: {first}") from None
    except ValueError as e:  # tomllib's TOMLDecodeError, whichever module import-linter uses
        raise ImportLinterConfigError(f"{shown} is not valid TOML: {e}") from None
    if options is None:
        return None
    return ImportLinterConfig(
        path=path,
        format=fmt,
        session=dict(options.session_options),
        contracts=tuple(dict(c) for c in options.contracts_options),
    )


def _reason(error: Exception) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return "it is not UTF-8 text"


def read_config(folder: Path, given: Path | None = None) -> ImportLinterConfig:
    """The configuration in ``given``, else the first of :data:`DEFAULT_FILES` in ``folder``
    that holds one (as ``lint-imports`` looks). Raises :class:`ImportLinterConfigError`."""
    if given is not None:
        if not given.is_file():
            raise ImportLinterConfigError(f"{given}: no such file")
        found = _read(given, str(given))
        if found is None:
            table = "[tool.importlinter]" if _format_of(given) == "toml" else "[importlinter]"
            raise ImportLinterConfigError(f"{given} has no {table} configuration")
        return found
    for name in DEFAULT_FILES:
        candidate = folder / name
        if candidate.is_file():
            found = _read(candidate, name)
            if found is not None:
                return found
    raise ImportLinterConfigError(
        f"no import-linter configuration in {folder} (looked in {', '.join(DEFAULT_FILES)}); "
        "name the file: archlint init --from-importlinter FILE"
    )


@dataclass(frozen=True)
class LintImportsRun:
    """What the real ``lint-imports`` said about a configuration."""

    #: The command run, as shown to the user.
    command: str
    returncode: int
    output: str
    #: The verdict of each contract, by its index in the configuration (True: kept); a
    #: contract whose result line was not found is missing.
    verdicts: dict[int, bool] = field(default_factory=dict)


def _lint_imports_executable() -> str:
    beside = Path(sys.executable).parent / "lint-imports"
    return str(beside) if beside.exists() else "lint-imports"


def _positional_config() -> bool:
    from importlib import metadata

    try:
        major, minor = (int(p) for p in metadata.version("import-linter").split(".")[:2])
    except (metadata.PackageNotFoundError, ValueError):
        return True
    return (major, minor) >= (2, 17)


def run_lint_imports(
    config: ImportLinterConfig, cwd: Path, python_path: Sequence[str]
) -> LintImportsRun:
    """Run ``lint-imports`` on the original configuration, from ``cwd``, with ``python_path``
    (relative to ``cwd``) in front of ``PYTHONPATH``; read each contract's verdict from its
    result line (``NAME KEPT`` / ``NAME BROKEN``, in configuration order)."""
    shown_config = os.path.relpath(config.path, cwd)
    args = [shown_config] if _positional_config() else ["--config", shown_config]
    env = dict(os.environ)
    paths = [p for p in python_path if p not in ("", ".")]
    if paths:
        env["PYTHONPATH"] = os.pathsep.join([*paths, *filter(None, [env.get("PYTHONPATH")])])
    # rich wraps long result lines at the terminal's width; there is no terminal here.
    env["COLUMNS"] = "100000"
    env["NO_COLOR"] = "1"
    prefix = f"PYTHONPATH={':'.join(paths)} " if paths else ""
    command = f"{prefix}lint-imports {' '.join(args)} --no-cache --no-logo"
    try:
        proc = subprocess.run(
            [_lint_imports_executable(), *args, "--no-cache", "--no-logo"],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        return LintImportsRun(command, -1, f"lint-imports could not be run: {e}")
    output = proc.stdout + proc.stderr
    return LintImportsRun(command, proc.returncode, output, _verdicts(config, proc.stdout))


def _verdicts(config: ImportLinterConfig, stdout: str) -> dict[int, bool]:
    lines = stdout.splitlines()
    verdicts: dict[int, bool] = {}
    start = 0
    for index, contract in enumerate(config.contracts):
        name = str(contract.get("name", ""))
        pattern = re.compile(rf"^{re.escape(name)} (KEPT|BROKEN)(?: \(.*\))?(?: \[.*\])?$")
        for i in range(start, len(lines)):
            match = pattern.match(lines[i])
            if match:
                verdicts[index] = match.group(1) == "KEPT"
                start = i + 1  # two contracts of the same name: the next line is the next one's
                break
    return verdicts
