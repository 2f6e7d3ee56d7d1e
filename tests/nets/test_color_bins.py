"""The a*b* classes of DraftNet v2: bins, Lab conversions, soft encoding, decoding, rebalancing."""

from __future__ import annotations

import cv2
import numpy as np
import torch

from paintassist.nets import color_bins as cb


def test_bins_are_the_in_gamut_cells_of_a_10_unit_grid() -> None:
    bins = cb.gamut_bins()
    assert bins.dtype == np.float32 and bins.shape[1] == 2
    assert 200 <= len(bins) <= 320
    assert np.all(bins % cb.GRID == 0)
    assert len({tuple(b) for b in bins.tolist()}) == len(bins)
    # the sRGB primaries' cells are in, a far corner is not
    lab = cv2.cvtColor(np.float32([[[1, 0, 0], [0, 1, 0], [0, 0, 1]]]), cv2.COLOR_RGB2LAB)[0]
    cells = {tuple(b) for b in bins.tolist()}
    for _, a, b in lab:
        assert (round(a / 10) * 10.0, round(b / 10) * 10.0) in cells
    assert (-100.0, 100.0) not in cells


def test_lab_matches_opencv_and_round_trips() -> None:
    rgb = np.random.default_rng(0).random((7, 9, 3)).astype(np.float32)
    t = torch.from_numpy(rgb).permute(2, 0, 1)[None]
    lab = cb.rgb_to_lab(t)
    assert np.abs(lab[0].permute(1, 2, 0).numpy() - cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB)).max() < 0.5
    assert (cb.lab_to_rgb(lab) - t).abs().max() < 1e-4


def test_one_hot_distribution_decodes_to_its_bins_colour() -> None:
    bins = torch.from_numpy(cb.gamut_bins())
    k = int(np.argmin(np.abs(bins.numpy() - [40.0, -30.0]).sum(1)))
    logits = torch.full((1, len(bins), 2, 3), -50.0)
    logits[:, k] = 50.0
    ab = cb.annealed_mean(logits, bins)
    assert torch.allclose(ab, bins[k].view(1, 2, 1, 1).expand(1, 2, 2, 3), atol=1e-4)


def test_soft_encoding_is_a_distribution_whose_mean_is_the_colour() -> None:
    bins = cb.gamut_bins()
    lookup = torch.from_numpy(cb.cell_lookup(bins))
    rgb = torch.rand(2, 3, 8, 8) * 0.6 + 0.2  # well inside the gamut
    ab = cb.rgb_to_lab(rgb)[:, 1:]
    q = cb.soft_encode(ab, lookup, len(bins))
    assert torch.allclose(q.sum(1), torch.ones(2, 8, 8), atol=1e-5) and (q >= 0).all()
    mean = torch.einsum("bkhw,kc->bchw", q, torch.from_numpy(bins))
    assert (mean - ab).abs().max() < 1.0
    # annealed mean at T = 1 of the log-distribution is the mean
    back = cb.annealed_mean(torch.log(q.clamp_min(1e-12)), torch.from_numpy(bins), 1.0)
    assert (back - ab).abs().max() < 1.0


def test_soft_cross_entropy_is_lowest_at_the_target() -> None:
    bins = cb.gamut_bins()
    lookup = torch.from_numpy(cb.cell_lookup(bins))
    ab = cb.rgb_to_lab(torch.rand(1, 3, 4, 4))[:, 1:]
    c, w = cb.soft_encode_sparse(ab, lookup)
    q = cb.soft_encode(ab, lookup, len(bins))
    good = torch.log(q.clamp_min(1e-9))
    bad = torch.zeros_like(good)
    assert cb.soft_cross_entropy(good, c, w) < cb.soft_cross_entropy(bad, c, w)
    assert torch.isclose(cb.soft_cross_entropy(bad, c, w), torch.tensor(np.log(len(bins))).float())


def test_rebalancing_weights() -> None:
    k = 10
    uniform = np.full(k, 1 / k)
    assert np.allclose(cb.rebalance_weights(uniform, 0.5), 1.0)
    prior = np.array([0.91] + [0.01] * 9)
    w = cb.rebalance_weights(prior, 0.5)
    assert np.isclose((prior * w).sum(), 1.0)
    assert w[1] > 5 * w[0]  # the rare classes count for more
    # λ = 1: no rebalancing at all; λ → 0: inverse frequency
    assert np.allclose(cb.rebalance_weights(prior, 1.0), 1.0)
    w0 = cb.rebalance_weights(prior, 1e-9)
    assert np.isclose(w0[1] / w0[0], 91.0, rtol=1e-3)


def test_smoothed_prior_sums_to_one_and_spreads_to_neighbours() -> None:
    bins = cb.gamut_bins()
    counts = np.zeros(len(bins))
    counts[len(bins) // 2] = 100
    p = cb.smoothed_prior(counts, bins, sigma=5.0)
    assert np.isclose(p.sum(), 1.0) and p.argmax() == len(bins) // 2
    assert np.count_nonzero(p > 1e-3) > 1
