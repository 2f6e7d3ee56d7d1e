"""The error the training tools raise for a problem the user can fix."""

from __future__ import annotations

from paintassist.core.errors import PaintAssistError


class TrainingError(PaintAssistError):
    """A training tool cannot do what it was asked: a program, a run or a stage is missing.

    The message names what is missing and how to fix it; the tools' ``main()`` print it and exit
    with status 1, library callers get the exception.
    """
