"""The networks as the pipeline sees them (:class:`paintassist.core.pipeline.ColorNets`)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import cv2
import numpy as np
import torch

from paintassist.core.progress import CancelFn, never_cancel
from paintassist.core.types import HintSet
from paintassist.nets.draft_net import DraftTrunk
from paintassist.nets.inputs import draft_input, refine_input
from paintassist.nets.refine_net import RefineNet
from paintassist.nets.style import combined_features
from paintassist.nets.tiling import run_tiled

DRAFT_LONG_SIDE = 256


def resolve_device(device: str) -> torch.device:
    """``"auto"`` → CUDA when present, else CPU; ``"cpu"``/``"cuda"`` as given."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device not in ("cpu", "cuda"):
        raise ValueError(f"device must be 'auto', 'cpu' or 'cuda', not {device!r}")
    if device == "cuda" and not torch.cuda.is_available():
        raise ValueError("device 'cuda' asked for, but torch sees no CUDA device")
    return torch.device(device)


def draft_size(shape: tuple[int, int], long_side: int = DRAFT_LONG_SIDE) -> tuple[int, int]:
    """(h, w) of DraftNet's input for an ink of ``shape``: long side ≤ ``long_side``, multiples
    of 16, aspect kept within rounding."""
    h, w = shape
    s = min(1.0, long_side / max(h, w))
    return max(16, round(h * s / 16) * 16), max(16, round(w * s / 16) * 16)


def fill_under_lines(color: np.ndarray, ink: np.ndarray, threshold: float = 0.3) -> np.ndarray:
    """Replace colours on and right next to the lines by the colours around them.

    The nets learn dark outlines from the ground truth; left in, they become dark halos in the
    shading layer (refined / flats) and make lines look thicker. The colour layer sits under the
    line art, so it should carry the fill colour there. color float32 (H, W, 3), ink float32 (H, W)
    → float32 (H, W, 3). Normalised convolution from non-line pixels, widened until filled.
    """
    line = cv2.dilate((ink > threshold).astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    if not line.any():
        return color
    keep = (~line).astype(np.float32)
    out = color.copy()
    todo = line.copy()
    for sigma in (1.5, 4.0, 12.0, 40.0):
        num = cv2.GaussianBlur(color * keep[..., None], (0, 0), sigma)
        den = cv2.GaussianBlur(keep, (0, 0), sigma)
        ok = todo & (den > 1e-3)
        out[ok] = num[ok] / den[ok][:, None]
        todo &= ~ok
        if not todo.any():
            break
    return out


def _check_ink(ink: np.ndarray) -> None:
    if ink.ndim != 2 or ink.dtype != np.float32:
        raise ValueError(f"ink must be float32 (H, W), got {ink.dtype} {ink.shape}")


class TorchColorNets:
    """DraftNet + RefineNet on one device, bf16 autocast on CPU, channels_last.

    description: human-readable version and device, shown by the GUI/CLI.
    """

    def __init__(
        self,
        draft_net: DraftTrunk,
        refine_net: RefineNet,
        device: str = "auto",
        version: str = "untrained",
        bf16: bool = True,
        tile: int = 768,
    ) -> None:
        self.device = resolve_device(device)
        cl = torch.channels_last
        self.draft_net = draft_net.eval().to(self.device).to(memory_format=cl)  # type: ignore[call-overload]
        self.refine_net = refine_net.eval().to(self.device).to(memory_format=cl)  # type: ignore[call-overload]
        self.bf16 = bf16
        self.tile = tile
        self.version = version
        self.description = f"paintassist nets {version} on {self.device.type}"

    @contextlib.contextmanager
    def _mode(self) -> Iterator[None]:
        dtype = torch.bfloat16 if self.device.type == "cpu" else torch.float16
        with torch.inference_mode(), torch.autocast(self.device.type, dtype, enabled=self.bf16):
            yield

    def _tensor(self, arr: np.ndarray) -> torch.Tensor:
        """float32 (H, W, C) → (1, C, H, W) on the device, channels_last (a view on the CPU: a
        C-contiguous (H, W, C) array has channels_last strides)."""
        t = torch.from_numpy(np.ascontiguousarray(arr)).permute(2, 0, 1)[None]
        return t.to(self.device).contiguous(memory_format=torch.channels_last)

    def draft(
        self,
        ink: np.ndarray,
        hints: HintSet,
        references: tuple[np.ndarray, ...],
        strength: float,
    ) -> np.ndarray:
        """ink float32 (H, W) 0..1 → draft float32 (h, w, 3) 0..1 with long side ≤ 256."""
        _check_ink(ink)
        h, w = draft_size(ink.shape)
        small = cv2.resize(ink, (w, h), interpolation=cv2.INTER_AREA)
        scale = w / ink.shape[1], h / ink.shape[0]
        x = draft_input(small, hints, scale=float(np.mean(scale)),
                        version=self.draft_net.INPUT_VERSION)
        feats = torch.from_numpy(combined_features(references))[None].to(self.device)
        s = torch.tensor([float(np.clip(strength, 0.0, 2.0))], device=self.device)
        with self._mode():
            y = self.draft_net.predict_rgb(self._tensor(x), feats, s)
        return y[0].float().permute(1, 2, 0).cpu().numpy().astype(np.float32)

    def refine(
        self,
        ink: np.ndarray,
        draft: np.ndarray,
        hints: HintSet,
        should_cancel: CancelFn = never_cancel,
    ) -> np.ndarray:
        """ink float32 (H, W), draft float32 (h, w, 3) → refined float32 (H, W, 3) 0..1."""
        _check_ink(ink)
        x = self._tensor(refine_input(ink, draft, hints, version=self.refine_net.INPUT_VERSION))
        with self._mode():
            y = run_tiled(self.refine_net, x, 3, tile=self.tile, overlap=RefineNet.OVERLAP,
                          multiple=RefineNet.MULTIPLE, should_cancel=should_cancel)
        refined = y[0].permute(1, 2, 0).cpu().numpy().astype(np.float32)
        return fill_under_lines(refined, ink)
