"""``archlint move OLD NEW``: move a module or package, leave a shim, record the deprecation,
rewrite every reference, and check the result against the plan.

The plan is always computed first (:mod:`archlint.application.move_plan`, on a temporary
copy); ``dry_run`` stops there and writes nothing. The move itself journals every step
(:mod:`archlint.application.move_steps`): on any error, or an interruption, every step is
undone and the tree is as before; what could not be undone is named.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from archlint.application.check import check
from archlint.application.move_plan import MovePlan, plan_move, verdicts
from archlint.application.move_steps import (
    Journal,
    MoveError,
    MoveRequest,
    Performed,
    in_git_work_tree,
    perform,
)
from archlint.application.project import OpenProject, open_project
from archlint.domain.errors import ArchlintError

__all__ = ["MoveError", "MoveOutcome", "MoveRequest", "move"]


@dataclass
class MoveOutcome:
    """The plan, and what the move did (nothing with ``dry_run``)."""

    plan: MovePlan
    performed: Performed | None = None
    #: Contract id -> kept, checked after the move.
    verdicts: dict[str, bool] = field(default_factory=dict)

    @property
    def as_planned(self) -> bool:
        """Whether ``check`` after the move gives the verdicts the plan said it would."""
        return all(
            self.verdicts.get(cid) == after for cid, (_before, after) in self.plan.contracts.items()
        )


def move(opened: OpenProject, request: MoveRequest, *, dry_run: bool = False) -> MoveOutcome:
    """Plan the move, and unless ``dry_run`` make it and check the result.

    Raises ``MoveError`` when the move cannot be made (nothing was changed, or the message
    names what could not be undone) and ``ConfigError`` when the project cannot be checked.
    """
    plan = plan_move(opened, request)
    if dry_run:
        return MoveOutcome(plan)
    journal = Journal(opened.root)
    try:
        performed = perform(opened, request, journal, use_git=in_git_work_tree(opened.root))
        after = verdicts(check(open_project(root=opened.root), use_cache=False))
    except BaseException as error:
        changed = journal.changes()
        failed = journal.rollback()
        reason = str(error) if isinstance(error, ArchlintError) else repr(error)
        if failed:
            raise MoveError(
                f"{reason}; the move could not be undone completely: "
                + "; ".join(failed)
                + ". Changes made: "
                + "; ".join(changed)
            ) from None
        if isinstance(error, (ArchlintError, OSError)):
            raise MoveError(f"{reason}; nothing was changed (every step was undone)") from None
        raise
    return MoveOutcome(plan, performed, after)
