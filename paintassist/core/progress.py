"""Progress and cancellation plumbing shared by the pipeline, the CLI and the GUI worker."""

from __future__ import annotations

from collections.abc import Callable

from paintassist.core.errors import Cancelled

#: ``progress(stage_name, fraction_done_0_to_1)``
ProgressFn = Callable[[str, float], None]
CancelFn = Callable[[], bool]


def never_cancel() -> bool:
    return False


def no_progress(stage: str, fraction: float) -> None:
    del stage, fraction


def check_cancel(should_cancel: CancelFn) -> None:
    """Raise :class:`Cancelled` if the caller asked to stop."""
    if should_cancel():
        raise Cancelled("cancelled")
