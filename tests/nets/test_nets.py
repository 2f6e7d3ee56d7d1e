import numpy as np
import pytest
import torch

from paintassist.core.types import Hint, HintSet
from paintassist.nets.draft_net import DraftNet
from paintassist.nets.inference import TorchColorNets, draft_size
from paintassist.nets.refine_net import RefineNet
from paintassist.nets.style import FEATURE_DIM, combined_features, style_features
from paintassist.nets.tiling import run_tiled


def _random_weights(net: torch.nn.Module, seed: int = 0) -> torch.nn.Module:
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.2)
    return net.eval()


def test_draftnet_shapes_and_range(device: torch.device, dtype: torch.dtype) -> None:
    net = DraftNet(8).eval().to(device, dtype)
    x = torch.rand(2, 9, 32, 48, device=device, dtype=dtype)
    with torch.no_grad():
        y = net(x, torch.zeros(2, FEATURE_DIM, device=device, dtype=dtype),
                torch.zeros(2, device=device, dtype=dtype))
    assert y.shape == (2, 3, 32, 48) and y.dtype == torch.float32
    assert float(y.min()) >= 0 and float(y.max()) <= 1


def test_refinenet_untrained_returns_draft(device: torch.device, dtype: torch.dtype) -> None:
    net = RefineNet(8).eval().to(device, dtype)
    x = torch.rand(1, 12, 24, 32, device=device, dtype=dtype)
    with torch.no_grad():
        y = net(x)
    assert y.shape == (1, 3, 24, 32) and y.dtype == torch.float32
    assert torch.allclose(y, x[:, 1:4].float().clamp(1e-3, 1 - 1e-3), atol=1e-5)


@pytest.mark.parametrize(
    "net,shape", [(DraftNet(8), (1, 9, 30, 32)), (RefineNet(8), (1, 8, 16, 16)),
                  (RefineNet(8), (1, 12, 20, 16))]
)
def test_nets_reject_bad_input(
    net: torch.nn.Module, shape: tuple[int, ...], device: torch.device, dtype: torch.dtype
) -> None:
    net = net.to(device, dtype)
    kw = {"device": device, "dtype": dtype}
    with pytest.raises(ValueError):
        if isinstance(net, DraftNet):
            net(torch.rand(shape, **kw), torch.zeros(1, FEATURE_DIM, **kw), torch.zeros(1, **kw))
        else:
            net(torch.rand(shape, **kw))


def test_tiling_is_seamless(device: torch.device, dtype: torch.dtype, atol: float) -> None:
    net = _random_weights(RefineNet(8)).to(device, dtype)
    x = torch.rand(1, 12, 150, 203, device=device, dtype=dtype)
    with torch.no_grad():
        whole = run_tiled(net, x, 3, tile=1024, overlap=RefineNet.OVERLAP, multiple=8)
        tiled = run_tiled(net, x, 3, tile=64, overlap=RefineNet.OVERLAP, multiple=8)
        too_small = run_tiled(net, x, 3, tile=64, overlap=8, multiple=8)
    assert tiled.shape == (1, 3, 150, 203)
    assert float((whole - tiled).abs().max()) < atol  # 1e-4 at float32
    # the check has teeth: a margin below the receptive field leaves seams
    assert float((whole - too_small).abs().max()) > 1e-3


def test_style_features_present_flag_and_palette() -> None:
    assert not style_features(None).any()
    red = np.zeros((20, 20, 3), np.uint8)
    red[..., 0] = 220
    blue = np.zeros((20, 20, 3), np.uint8)
    blue[..., 2] = 220
    fr, fb = style_features(red), style_features(blue)
    assert fr.shape == (FEATURE_DIM,) and fr[-1] == 1.0
    assert np.abs(fr - fb).sum() > 1.0
    assert np.allclose(combined_features((red, red)), fr)
    with pytest.raises(ValueError):
        style_features(np.zeros((4, 4), np.uint8))


def test_colornets_contract_shapes_dtypes(device: torch.device) -> None:
    # TorchColorNets picks its own autocast dtype (bf16 on CPU, fp16 on CUDA): no dtype here
    nets = TorchColorNets(_random_weights(DraftNet(8)), RefineNet(8), device=device.type)
    ink = np.zeros((300, 200), np.float32)
    ink[50:52, :] = 1.0
    hints = HintSet((Hint("draft", 50, 100, (200, 30, 30), 10), Hint("accurate", 80, 150,
                                                                       (10, 200, 10), 4)))
    ref = np.full((32, 32, 3), (30, 60, 200), np.uint8)
    draft = nets.draft(ink, hints.draft, (ref,), 1.0)
    assert draft.dtype == np.float32 and draft.shape == (*draft_size(ink.shape), 3)
    assert max(draft.shape[:2]) <= 256
    out = nets.refine(ink, draft, hints.accurate, lambda: False)
    assert out.shape == (300, 200, 3) and out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() <= 1.0
    assert device.type in nets.description  # "cpu" at the default --device
    with pytest.raises(ValueError):
        nets.draft(ink.astype(np.float64), hints, (), 1.0)


def test_fill_under_lines_takes_the_surrounding_colour() -> None:
    from paintassist.nets.inference import fill_under_lines

    color = np.zeros((40, 40, 3), np.float32)
    color[:, :20] = (1.0, 0.0, 0.0)
    color[:, 20:] = (0.0, 0.0, 1.0)
    ink = np.zeros((40, 40), np.float32)
    ink[:, 5:8] = 1.0
    color[:, 4:9] = 0.0  # the net's dark outline
    out = fill_under_lines(color, ink)
    assert np.allclose(out[:, 6], (1.0, 0.0, 0.0), atol=0.02)
    assert np.array_equal(out[:, 25:], color[:, 25:])  # away from lines: unchanged
