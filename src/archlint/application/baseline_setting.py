"""``[tool.archlint] baseline``: the file it names, checked to exist.

Apart from :mod:`.baseline`, which reads and judges baselines: ``archlint check`` asks this on
every run, and imports the ratchet only when there is a baseline to judge by.
"""

from __future__ import annotations

import os
from pathlib import Path

from archlint.config.loader import PYPROJECT, display_path
from archlint.domain.errors import ConfigError, ConfigProblem

from .project import OpenProject


def settings_baseline(opened: OpenProject) -> tuple[Path, str] | None:
    """The file ``[tool.archlint] baseline`` names (path, and as shown), if any.

    Raises ``ConfigError`` on the setting's line when it does not exist.
    """
    settings = opened.project.settings
    if settings.baseline is None:
        return None
    path = opened.root / settings.baseline
    # A folder or a FIFO of that name is the baseline reader's to refuse, in its words.
    if not os.path.lexists(path):
        origin = settings.origin
        raise ConfigError(
            [
                ConfigProblem(
                    origin.file if origin else display_path(opened.root / PYPROJECT),
                    f"baseline file '{settings.baseline}' does not exist next to "
                    "pyproject.toml; write it with 'archlint check --write-baseline'",
                    origin.line_of("baseline") if origin else None,
                    "[tool.archlint]",
                    "baseline",
                )
            ]
        )
    return path, display_path(path)
