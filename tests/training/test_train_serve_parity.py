"""Train/serve parity: a training sample's network input is what inference builds for the same
ink and hints (one layout, paintassist.nets.inputs)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from paintassist.core.types import HintSet
from paintassist.nets.draft_net import DraftNet
from paintassist.nets.inference import TorchColorNets
from paintassist.nets.refine_net import RefineNet
from paintassist.training.data import DraftSamples, Pool, RefineSamples

SIZE = 64


def _pool(n: int = 3, size: int = 96) -> Pool:
    rng = np.random.default_rng(0)
    color = np.full((n, size, size, 3), 255, np.uint8)
    ink = np.zeros((n, size, size), np.uint8)
    for i in range(n):
        color[i, 8:60, 8:60] = rng.integers(0, 255, 3)
        ink[i, 8:60, 8:10] = 255
        ink[i, 8:10, 8:60] = 255
    return Pool(color, ink)


class _SeenDraftNet(DraftNet):
    """A DraftNet that remembers its last input x (1, 9, h, w)."""

    seen: torch.Tensor

    def forward(self, x: torch.Tensor, style: torch.Tensor, strength: torch.Tensor) -> torch.Tensor:
        self.seen = x.detach().clone()
        return super().forward(x, style, strength)


class _SeenRefineNet(RefineNet):
    """A RefineNet that remembers its last input x (1, 12, H, W)."""

    seen: torch.Tensor

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.seen = x.detach().clone()
        return super().forward(x)


def _hwc(t: torch.Tensor) -> np.ndarray:
    return t[0].float().permute(1, 2, 0).numpy()


@pytest.mark.parametrize("seed", range(4))
def test_draft_sample_input_equals_inference_input(seed: int) -> None:
    samples = DraftSamples(_pool(), None, SIZE, p_zero=0.0)
    example = samples.example(np.random.default_rng(seed))
    x_train = samples.one(np.random.default_rng(seed))[0]
    net = _SeenDraftNet(4)
    TorchColorNets(net, RefineNet(4), device="cpu").draft(example.ink, example.squares, (), 1.0)
    assert len(example.squares) > 0
    assert x_train.shape == (SIZE, SIZE, 9) and x_train.dtype == np.float32
    assert np.array_equal(_hwc(net.seen), x_train)


@pytest.mark.parametrize("real_drafts", [False, True])
def test_refine_sample_input_equals_inference_input(real_drafts: bool) -> None:
    def drafter(ink: np.ndarray, squares: HintSet) -> np.ndarray:  # DraftNet-sized (32 px) draft
        return np.random.default_rng(1).random((32, 32, 3), dtype=np.float32)

    samples = RefineSamples(_pool(), SIZE, p_zero=0.0, drafter=drafter if real_drafts else None,
                            p_real=1.0)
    example = samples.example(np.random.default_rng(3))
    x_train = samples.one(np.random.default_rng(3))[0]
    assert example.draft.shape == ((32, 32, 3) if real_drafts else (SIZE, SIZE, 3))
    net = _SeenRefineNet(4)
    TorchColorNets(DraftNet(4), net, device="cpu").refine(example.ink, example.draft, example.dots)
    assert len(example.dots) > 0
    assert x_train.shape == (SIZE, SIZE, 12) and x_train.dtype == np.float32
    assert np.array_equal(_hwc(net.seen), x_train)
