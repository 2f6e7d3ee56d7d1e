"""Errors the engine raises. Each names the file (when there is one) and the problem."""

from __future__ import annotations

from pathlib import Path


class PaintAssistError(Exception):
    """Base class: every error meant for the user derives from it."""


class InputError(PaintAssistError):
    """A file given by the user cannot be used. ``str()`` reads ``"<path>: <problem>"``."""

    def __init__(self, path: str | Path | None, problem: str) -> None:
        self.path = Path(path) if path is not None else None
        self.problem = problem
        super().__init__(f"{path}: {problem}" if path is not None else problem)


class SketchLoadError(InputError):
    """A sketch or reference image could not be loaded."""


class MemoryBudgetError(InputError):
    """A page too large for the memory this machine allows one page (the message says how much
    it would need)."""


class HintsFileError(InputError):
    """A hints file is malformed; the message names the hint's index where there is one."""


class ModelError(PaintAssistError):
    """Weights are missing, corrupt or do not match the manifest."""


class Cancelled(PaintAssistError):
    """Raised inside the pipeline when ``should_cancel()`` returned True."""
