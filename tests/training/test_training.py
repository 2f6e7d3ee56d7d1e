from pathlib import Path

import numpy as np
import pytest
import torch

from paintassist.nets.refine_net import RefineNet
from paintassist.training import augment
from paintassist.training.corpus import dhash, split_of
from paintassist.training.data import DraftSamples, Pool, RefineSamples, sample_hints
from paintassist.training.lines import xdog_ink
from paintassist.training.svg_render import is_dark, line_only_svg, parse_colour
from paintassist.training.train import loss_fn


def _pool(n: int = 3, size: int = 64) -> Pool:
    rng = np.random.default_rng(0)
    color = np.full((n, size, size, 3), 255, np.uint8)
    ink = np.zeros((n, size, size), np.uint8)
    for i in range(n):
        color[i, 8:40, 8:40] = rng.integers(0, 255, 3)
        ink[i, 8:40, 8:10] = 255
        ink[i, 8:10, 8:40] = 255
    return Pool(color, ink)


def test_line_only_svg_removes_light_paints_keeps_dark() -> None:
    svg = ('<svg><path fill="#ffcc00" stroke="#000"/><rect style="fill:#3050ff;stroke:#222222"/>'
           '<circle fill="url(#g)"/></svg>')
    out = line_only_svg(svg)
    assert 'fill="none"' in out and 'stroke="#000"' in out
    assert "fill:none" in out and "stroke:#222222" in out and "url(#g)" in out
    assert parse_colour("rgb(1,2,3)") == (1, 2, 3) and parse_colour("#abc") == (170, 187, 204)
    assert is_dark((20, 20, 25)) and not is_dark((0, 0, 255))


def test_split_is_fixed_and_roughly_80_10_10() -> None:
    names = [f"x/{i}" for i in range(2000)]
    splits = [split_of(n) for n in names]
    assert splits == [split_of(n) for n in names]
    assert 0.75 < splits.count("train") / 2000 < 0.85
    assert dhash(np.zeros((32, 32), np.uint8)) == 0


def test_augmentations_keep_shapes_and_ranges() -> None:
    rng = np.random.default_rng(1)
    pool = _pool()
    c, k = augment.crop_scale(pool.color[0], pool.ink[0], 32, rng)
    assert c.shape == (32, 32, 3) and k.shape == (32, 32)
    for _ in range(10):
        s = augment.sketchify(pool.ink[0], rng)
        assert s.dtype == np.float32 and s.shape == (64, 64) and s.min() >= 0 and s.max() <= 1
    j = augment.jitter_colours(pool.color[0], rng)
    assert j.shape == pool.color[0].shape and (j[0, 0] > 240).all()  # paper stays white
    d = augment.simulated_draft(pool.color[0], rng)
    assert d.shape == (64, 64, 3) and d.dtype == np.float32
    assert xdog_ink(pool.color[0]).dtype == np.uint8


def test_sampled_hints_use_patch_means_off_lines() -> None:
    pool = _pool(1)
    hints = sample_hints(pool.color[0], pool.ink[0], 20, "accurate", 2.0, np.random.default_rng(3))
    assert len(hints) == 20
    for h in hints:
        assert pool.ink[0][int(h.y), int(h.x)] < 128


def test_batches_have_network_shapes() -> None:
    rng = np.random.default_rng(2)
    pool = _pool()
    x, style, strength, y = DraftSamples(pool, pool, size=32).batch(4, rng)
    assert x.shape == (4, 9, 32, 32) and y.shape == (4, 3, 32, 32) and style.shape[0] == 4
    assert strength.shape == (4,)
    xr, yr = RefineSamples(pool, size=32).batch(2, rng)
    assert xr.shape == (2, 12, 32, 32) and yr.shape == (2, 3, 32, 32)


@pytest.mark.slow
def test_refinenet_overfits_one_sample() -> None:
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    x, y = RefineSamples(_pool(1), size=32).batch(1, rng)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    net = RefineNet(4)
    opt = torch.optim.Adam(net.parameters(), lr=5e-3)
    with torch.no_grad():
        first = float(loss_fn(net(xt), yt))
    for _ in range(15):
        loss = loss_fn(net(xt), yt)
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        assert float(loss_fn(net(xt), yt)) < 0.7 * first


def test_refine_batches_can_take_drafts_from_draftnet() -> None:
    """With a drafter, RefineNet's draft channels come from it (resized to the crop) some of the
    time — what RefineNet gets at run time — and from the simulation otherwise."""
    calls: list[tuple[tuple[int, ...], int]] = []

    def drafter(ink: np.ndarray, squares: object) -> np.ndarray:
        calls.append((ink.shape, len(squares)))  # type: ignore[arg-type]
        assert ink.dtype == np.float32 and ink.min() >= 0.0 and ink.max() <= 1.0
        return np.full((16, 16, 3), 0.25, np.float32)

    sampler = RefineSamples(_pool(size=32), 32, drafter=drafter, p_real=1.0)
    x, y = sampler.batch(3, np.random.default_rng(4))
    assert x.shape == (3, 12, 32, 32) and y.shape == (3, 3, 32, 32)
    assert len(calls) == 3 and all(shape == (32, 32) for shape, _ in calls)
    assert np.allclose(x[:, 1:4], 0.25)
    never = RefineSamples(_pool(size=32), 32, drafter=drafter, p_real=0.0)
    never.batch(2, np.random.default_rng(4))
    assert len(calls) == 3


def test_loss_ignores_white_beyond_the_clamp() -> None:
    """A prediction past 1 - LOSS_EPS for a white target gets no gradient (no push to +inf)."""
    from paintassist.training.train import LOSS_EPS

    pred = torch.full((1, 3, 8, 8), 1.0 - LOSS_EPS / 2, requires_grad=True)
    loss = loss_fn(pred, torch.ones(1, 3, 8, 8))
    loss.backward()
    assert float(loss.detach()) == 0.0
    assert pred.grad is not None and float(pred.grad.abs().max()) == 0.0


def test_fresh_draftnet_starts_near_paper_white() -> None:
    from paintassist.nets.draft_net import DraftNet
    from paintassist.nets.style import FEATURE_DIM

    torch.manual_seed(0)
    net = DraftNet(8)
    with torch.no_grad():
        out = net(torch.rand(1, 9, 32, 32), torch.zeros(1, FEATURE_DIM), torch.zeros(1))
    assert 0.9 < float(out.mean()) < 1.0


def test_chroma_weight_counts_errors_on_saturated_pixels_more() -> None:
    target = torch.ones(1, 3, 8, 8)
    target[:, 1:, :, :4] = 0.0  # left half red, right half white paper
    on_red, on_paper = target.clone(), target.clone()
    on_red[:, 1:, :, :4] += 0.2  # the same error, once on the red ...
    on_paper[:, 1:, :, 4:] -= 0.2  # ... once on the paper
    assert torch.isclose(loss_fn(on_red, target), loss_fn(on_paper, target))
    assert loss_fn(on_red, target, 4.0) > 1.5 * loss_fn(on_paper, target, 4.0)
    assert torch.isclose(loss_fn(on_red, target, 0.0), loss_fn(on_red, target))


def test_checkpoints_are_written_atomically(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from paintassist.training import checkpoints

    path = tmp_path / "ckpt.pt"
    checkpoints.save_checkpoint(path, {"step": 1})
    assert checkpoints.load_checkpoint(path) == {"step": 1}

    def crash(obj: object, f: object) -> None:
        f.write(b"half a checkpoint")  # type: ignore[attr-defined]
        raise OSError("disk full")

    monkeypatch.setattr(checkpoints.torch, "save", crash)
    with pytest.raises(OSError, match="disk full"):
        checkpoints.save_checkpoint(path, {"step": 2})
    monkeypatch.undo()
    assert checkpoints.load_checkpoint(path) == {"step": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["ckpt.pt"]


class _Payload:
    """Anything but tensors and plain values: unpickling it could run code."""


def test_checkpoints_are_read_weights_only(tmp_path: Path) -> None:
    from paintassist.training.checkpoints import load_checkpoint, save_checkpoint
    from paintassist.training.errors import TrainingError

    model = RefineNet(4)
    opt = torch.optim.Adam(model.parameters())
    rng = np.random.default_rng(3)
    state = {"model": model.state_dict(), "opt": opt.state_dict(), "step": 7, "elapsed": 1.5,
             "rng": rng.bit_generator.state, "torch_rng": torch.get_rng_state(),
             "meta": {"stage": "refine", "cfg": {"lr": 1e-3}, "init": None}}
    save_checkpoint(tmp_path / "ckpt.pt", state)  # what train.py writes reads back
    back = load_checkpoint(tmp_path / "ckpt.pt")
    assert back["step"] == 7 and back["rng"] == rng.bit_generator.state
    torch.save({"x": _Payload()}, tmp_path / "evil.pt")
    with pytest.raises(TrainingError, match=r"evil\.pt"):
        load_checkpoint(tmp_path / "evil.pt")
