"""Training checkpoints on disk: written atomically, read without running code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from paintassist.io.atomic import atomic_open
from paintassist.training.errors import TrainingError


def save_checkpoint(path: str | Path, state: dict[str, Any]) -> None:
    """``torch.save`` through a temp file and a rename: a kill mid-save keeps the last one."""
    with atomic_open(path) as handle:
        torch.save(state, handle)


def load_checkpoint(path: str | Path, map_location: str | torch.device = "cpu") -> Any:
    """A checkpoint or weights file, read with ``weights_only=True``: tensors, containers and
    plain values only, so a file from elsewhere cannot run code. TrainingError if unreadable."""
    try:
        return torch.load(path, map_location=map_location, weights_only=True)
    except Exception as exc:  # torch raises many kinds for a bad or unsafe file
        raise TrainingError(f"{path}: not a checkpoint this program reads ({exc})") from exc
