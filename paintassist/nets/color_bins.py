"""Quantised a*b* colour classes for DraftNet's multimodal head (Zhang, Isola & Efros 2016).

L1 regression of colour averages the plausible colours of a pixel (blonde, brown or blue hair) into
beige. DraftNet v2 instead predicts a distribution over a*b* bins and decodes its *annealed mean*:
``softmax(logits / T)`` with ``T`` ≈ 0.38 sharpens towards the mode (vivid) while keeping the
mean's spatial smoothness; ``T = 1`` is the mean, ``T → 0`` the mode.

The bins: the a*b* plane on a grid of :data:`GRID` units (centres at multiples of ``GRID``), only
cells that some sRGB colour falls in ("in gamut", :func:`gamut_bins`, ~260 classes at 10 units).
Targets are soft-encoded bilinearly onto the four surrounding centres (:func:`soft_encode`), so the
``T = 1`` mean of a target gives back its a*b* exactly inside the gamut (within a bin at its edge).
Class rebalancing (:func:`rebalance_weights`) weighs each pixel by ``1 / ((1 - λ)·p̃ + λ / K)`` of its class (p̃ the smoothed empirical prior),
normalised to an expected weight of 1, so rare saturated colours count as much as paper and skin.

Lab follows OpenCV's float convention (D65, L 0..100, a*, b* unbounded around ±100); the torch
conversions here match ``cv2.cvtColor(..., COLOR_RGB2LAB)`` on float RGB 0..1 within 0.5
(OpenCV approximates the cube root) and invert each other to 1e-5.
"""

from __future__ import annotations

import functools

import numpy as np
import torch

GRID = 10.0
AB_MAX = 110.0  # the grid spans ±AB_MAX (sRGB a*b* stays within about -87..99 / -108..95)
ANNEAL_T = 0.38
_N = int(2 * AB_MAX / GRID) + 1  # grid cells per axis

_M_RGB2XYZ = torch.tensor([[0.412453, 0.357580, 0.180423],
                           [0.212671, 0.715160, 0.072169],
                           [0.019334, 0.119193, 0.950227]], dtype=torch.float64)
_WHITE = torch.tensor([0.950456, 1.0, 1.088754], dtype=torch.float64)


def _srgb_to_linear(c: torch.Tensor) -> torch.Tensor:
    return torch.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055).clamp_min(0) ** 2.4)


def _linear_to_srgb(c: torch.Tensor) -> torch.Tensor:
    c = c.clamp(0, 1)
    return torch.where(c <= 0.0031308, 12.92 * c, 1.055 * c.clamp_min(1e-12) ** (1 / 2.4) - 0.055)


def rgb_to_lab(rgb: torch.Tensor) -> torch.Tensor:
    """(B, 3, H, W) sRGB 0..1 → (B, 3, H, W) Lab (L 0..100)."""
    lin = _srgb_to_linear(rgb.clamp(0, 1))
    m = (_M_RGB2XYZ / _WHITE[:, None]).to(rgb)
    xyz = torch.einsum("ij,bjhw->bihw", m, lin)
    eps = 0.008856
    f = torch.where(xyz > eps, xyz.clamp_min(1e-12) ** (1 / 3), 7.787 * xyz + 16 / 116)
    y = xyz[:, 1:2]
    lum = torch.where(y > eps, 116 * f[:, 1:2] - 16, 903.3 * y)
    a = 500 * (f[:, 0:1] - f[:, 1:2])
    b = 200 * (f[:, 1:2] - f[:, 2:3])
    return torch.cat([lum, a, b], dim=1)


def lab_to_rgb(lab: torch.Tensor) -> torch.Tensor:
    """(B, 3, H, W) Lab → (B, 3, H, W) sRGB clipped to 0..1."""
    lum, a, b = lab[:, 0:1], lab[:, 1:2], lab[:, 2:3]
    fy = (lum + 16) / 116
    fx = fy + a / 500
    fz = fy - b / 200

    def inv(f: torch.Tensor) -> torch.Tensor:
        return torch.where(f > 0.206893, f ** 3, (f - 16 / 116) / 7.787)

    y = torch.where(lum > 7.9996, fy ** 3, lum / 903.3)
    xyz = torch.cat([inv(fx), y, inv(fz)], dim=1) * _WHITE.to(lab)[None, :, None, None]
    m = torch.linalg.inv(_M_RGB2XYZ).to(lab)
    lin = torch.einsum("ij,bjhw->bihw", m, xyz)
    return _linear_to_srgb(lin)


@functools.lru_cache(maxsize=4)
def _gamut_cells(grid: float) -> tuple[tuple[int, int], ...]:
    """Grid cells (ia, ib) whose centre's catchment holds an sRGB colour, sorted."""
    steps = torch.linspace(0, 1, 48, dtype=torch.float64)
    rgb = torch.stack(torch.meshgrid(steps, steps, steps, indexing="ij")).reshape(1, 3, -1, 1)
    lab = rgb_to_lab(rgb)[0, :, :, 0]
    n = int(2 * AB_MAX / grid) + 1
    ia = torch.round((lab[1] + AB_MAX) / grid).long().clamp(0, n - 1)
    ib = torch.round((lab[2] + AB_MAX) / grid).long().clamp(0, n - 1)
    cells = sorted({(int(a), int(b)) for a, b in zip(ia.tolist(), ib.tolist(), strict=True)})
    return tuple(cells)


def gamut_bins(grid: float = GRID) -> np.ndarray:
    """float32 (K, 2) a*b* centres of the in-gamut bins (deterministic, sorted by a then b)."""
    cells = _gamut_cells(grid)
    return np.array([[a * grid - AB_MAX, b * grid - AB_MAX] for a, b in cells], np.float32)


def cell_lookup(bins: np.ndarray, grid: float = GRID) -> np.ndarray:
    """int64 (N, N) grid cell → class index, −1 for out-of-gamut cells."""
    n = int(2 * AB_MAX / grid) + 1
    table = -np.ones((n, n), np.int64)
    idx = np.round((bins + AB_MAX) / grid).astype(np.int64)
    table[idx[:, 0], idx[:, 1]] = np.arange(len(bins))
    return table


def soft_encode_sparse(ab: torch.Tensor, lookup: torch.Tensor,
                       grid: float = GRID) -> tuple[torch.Tensor, torch.Tensor]:
    """a*b* (B, 2, H, W) → (classes int64 (B, 4, H, W), weights float32 (B, 4, H, W)): bilinear
    weights on the four surrounding bin centres, out-of-gamut corners given weight 0 (class 0) and
    the rest renormalised; a pixel with no in-gamut corner goes to its nearest bin."""
    n = lookup.shape[0]
    pos = ((ab.float() + AB_MAX) / grid).clamp(0, n - 1 - 1e-4)
    lo = pos.floor()
    frac = pos - lo
    lo_i = lo.long()
    classes, weights = [], []
    for da in (0, 1):
        for db in (0, 1):
            cls = lookup[lo_i[:, 0] + da, lo_i[:, 1] + db]  # (B, H, W), −1 out of gamut
            wa = frac[:, 0] if da else 1 - frac[:, 0]
            wb = frac[:, 1] if db else 1 - frac[:, 1]
            weights.append(torch.where(cls < 0, torch.zeros_like(wa), wa * wb))
            classes.append(cls.clamp_min(0))
    c = torch.stack(classes, 1)
    w = torch.stack(weights, 1)
    total = w.sum(1, keepdim=True)
    nearest = torch.round(pos).long()
    near = lookup[nearest[:, 0], nearest[:, 1]].clamp_min(0)[:, None]
    none = total <= 1e-6
    c = torch.where(none, near.expand_as(c), c)
    w = torch.where(none, torch.tensor([1.0, 0.0, 0.0, 0.0], device=w.device)[None, :, None, None]
                    .expand_as(w), w / total.clamp_min(1e-6))
    return c, w


def soft_encode(ab: torch.Tensor, lookup: torch.Tensor, k: int,
                grid: float = GRID) -> torch.Tensor:
    """Dense form of :func:`soft_encode_sparse`: class distribution (B, K, H, W)."""
    c, w = soft_encode_sparse(ab, lookup, grid)
    out = torch.zeros((ab.shape[0], k, *ab.shape[2:]), dtype=torch.float32, device=ab.device)
    return out.scatter_add_(1, c, w)


def soft_cross_entropy(logits: torch.Tensor, classes: torch.Tensor, weights: torch.Tensor,
                       class_weights: torch.Tensor | None = None) -> torch.Tensor:
    """Mean over pixels of ``−Σ_c q_c log softmax(logits)_c`` for the sparse soft target
    (classes, weights) (B, 4, H, W), each pixel weighted by ``Σ_c q_c · class_weights[c]``
    (rebalancing) when given. logits (B, K, H, W) float."""
    logits = logits.float()
    lse = torch.logsumexp(logits, dim=1, keepdim=True)
    picked = torch.gather(logits, 1, classes)
    ce = (weights * (lse - picked)).sum(1)
    if class_weights is None:
        return ce.mean()
    pix = (weights * class_weights[classes]).sum(1)
    return (ce * pix).mean()


def hard_class(ab: torch.Tensor, lookup: torch.Tensor, grid: float = GRID) -> torch.Tensor:
    """a*b* (B, 2, H, W) → int64 (B, H, W) class of the nearest in-gamut centre on the grid
    (out-of-gamut nearest cells: clamped to class 0's neighbour table, rare)."""
    n = lookup.shape[0]
    idx = torch.round((ab.float() + AB_MAX) / grid).long().clamp(0, n - 1)
    cls = lookup[idx[:, 0], idx[:, 1]]
    return cls.clamp_min(0)


def annealed_mean(logits: torch.Tensor, bins: torch.Tensor, t: float = ANNEAL_T) -> torch.Tensor:
    """Class logits (B, K, H, W) → a*b* (B, 2, H, W): mean of ``softmax(logits / t)``."""
    p = torch.softmax(logits.float() / t, dim=1)
    return torch.einsum("bkhw,kc->bchw", p, bins.float())


def smoothed_prior(counts: np.ndarray, bins: np.ndarray, sigma: float = 5.0) -> np.ndarray:
    """Empirical class frequencies (K,) smoothed by a Gaussian of ``sigma`` a*b* units over the
    bin centres; float64 (K,) summing to 1."""
    c = np.asarray(counts, np.float64)
    if c.sum() <= 0:
        return np.full(len(bins), 1.0 / len(bins))
    p = c / c.sum()
    d2 = ((bins[:, None, :].astype(np.float64) - bins[None, :, :]) ** 2).sum(-1)
    kernel = np.exp(-d2 / (2 * sigma * sigma))
    sm = kernel @ p
    return sm / sm.sum()


def rebalance_weights(prior: np.ndarray, lam: float = 0.5) -> np.ndarray:
    """Class weights ``w ∝ 1 / ((1 − λ)·prior + λ / K)``, normalised so ``Σ prior·w = 1``;
    float32 (K,)."""
    p = np.asarray(prior, np.float64)
    k = len(p)
    w = 1.0 / ((1.0 - lam) * p + lam / k)
    w = w / float((p * w).sum())
    return w.astype(np.float32)
