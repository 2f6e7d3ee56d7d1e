"""Shading layer: the refined colours relative to the flats, as a multiply layer."""

from __future__ import annotations

import cv2
import numpy as np

_LUMA = np.array([0.299, 0.587, 0.114], np.float32)
#: Per region, the log-luminance level ``mean + LIT_SIGMAS·std`` counts as "fully lit" (shading 1).
#: 0 (the mean) measured best: 1.0 darkened every region by a standard deviation and cost 0.6 dB
#: PSNR and 0.7 CIEDE2000 of hint fidelity on the corpus test split at N = 10 dots.
LIT_SIGMAS = 0.0
#: Shadows shallower than this (natural-log luminance ratio; 0.1 ≈ 10 % darker) are dropped and
#: deeper ones lifted by it: a soft threshold, as in wavelet denoising. RefineNet's shading carries
#: low-amplitude blotches (grey smudges on faces) that no artist would paint; the form shadows are
#: deeper. Measured (``evaluate`` protocol, 0.1.0-cpu1 weights; 0 → 0.1): corpus test PSNR
#: at N = 10 / 50 dots 20.70 → 21.09 / 21.79 → 22.30 dB, real pairs 13.47 → 13.52 / 14.38 → 14.50
#: dB, real-pair bleed at N = 50 1.68 → 0.88 %. 0.05 kept half of the gain; smoothing the ratio
#: (Gaussian σ 1.5–3 px) instead changed nothing. Raised to 0.25 (≈ 22 % darker) for DraftNet v2
#: + RefineNet v3, whose no-hint lightness leaves soft grey-brown smudges 10-20 % deep on faces
#: (the blue-haired sample's chin and cheeks): at 0.25 they are gone and the hair's and the
#: folds' shadows stay. Measured (draft@19,800 + refine_v3, 12 anime-test images and the 11 real
#: pairs, 0.1 → 0.25): anime N = 50 16.95 → 17.00 dB, real pairs N = 10 / 50 13.39 → 13.43 /
#: 14.48 → 14.52 dB, every other row equal or +0.01-0.03 dB; 0.35 adds another 0.01.
SHADE_DEADZONE = 0.25
#: a*b* distance (CIELAB units) between the refined colour and its flat: up to the first value the
#: luminance ratio counts as shading, beyond the second it counts as nothing (fading between).
#: Where the network painted another *colour* (a blue hair dot spreading into a face), the ratio
#: of the two luminances is a hue leak, not a shadow: ungated, it darkened the sample girl's face
#: into a dirty patch. Measured with the 0.1.0-cpu1 weights (corpus test N = 10: 21.09 → 21.16 dB;
#: real pairs N = 50: 14.50 → 14.58 dB, bleed 0.88 → 0.72 %).
HUE_GATE = (10.0, 25.0)
#: RefineNet darkens a few pixels beside every line (an echo of the ink it was given), which the
#: ratio turns into a grey outline round every region, worst where lines crowd (eyes, ears,
#: collars). Within this many pixels of a line (at the colours' resolution: RefineNet's) a pixel
#: takes the lightest shading of the paper that close, so an echo goes and a form shadow wider
#: than the band stays. Looked at on the bundled samples with the 0.1.0-cpu2 weights: 3 px left
#: half the echo, 5 px cleared the lower lids and collar of the chibi sample.
LINE_ECHO_PX = 5
#: Ink at or above this (0..1) is a line for :data:`LINE_ECHO_PX`: low, so that the
#: anti-aliased rim of a line, where the echo is darkest, counts as line, not paper.
ECHO_INK = 0.125
#: A flat at least this light (L*, 0..100) and at most this grey (chroma) is left unshaded, like
#: paper: eye whites and catch-lights sit between heavy ink, and the grey RefineNet smudges there
#: read as dirt (the blue-haired sample's eye whites, L* 96.5), not as shadows.
WHITE_MIN_L = 95.0
WHITE_MAX_CHROMA = 6.0


def shading_layer(
    color: np.ndarray,
    flats: np.ndarray,
    labels: np.ndarray | None = None,
    unshaded: np.ndarray | None = None,
    anchors: np.ndarray | None = None,
    deadzone: float = SHADE_DEADZONE,
    hue_gate: tuple[float, float] | None = HUE_GATE,
    lit: np.ndarray | None = None,
    ink: np.ndarray | None = None,
) -> np.ndarray:
    """Multiply layer ``s`` (uint8 (H, W, 3), white = no change) with ``flats × s ≈ color``.

    color, flats: uint8 (H, W, 3). The ratio is taken on luminance and applied to all channels, so
    shading never tints the flats (hue comes from the flats; an artist can recolour a flat in Krita
    and the shading follows).

    labels: int32 (H, W) regions. When given, each region's shading is normalised so that its lit
    part (mean + :data:`LIT_SIGMAS` std of the log ratio) is white: the layer then carries only the
    *variation* inside a region (form shadows), never an overall offset between the network's
    colour and the flat — the flat (and an accurate dot's exact colour) stays what the artist sees.
    Multiply cannot brighten, so anything above the lit level is clipped to white; highlights
    belong to the light pass's screen layer.

    unshaded: bool (count,) regions left white in the layer (paper: a network's grey wash over
    the page must not come back as a shadow on it). Needs ``labels``.

    anchors: int (K, 2) pixel ``(row, col)`` positions of accurate dots. A region holding anchors
    is lit at the level found around them (5×5 mean of the log ratio) instead of its mean, so the
    composite shows the dot's exact colour where the artist put it; brighter parts of that region
    clip to white. Needs ``labels``.

    deadzone: soft threshold on the (log) shadow depth, see :data:`SHADE_DEADZONE`; 0 keeps the
    plain ratio.

    hue_gate: (start, end) a*b* distance over which the shading fades out where ``color`` is
    another colour than ``flats`` (see :data:`HUE_GATE`); None keeps it everywhere.

    lit: float32 (count,) each region's lit level (log ratio), as :func:`lit_levels` gives, to use
    instead of measuring it here: a tile of a page uses the whole page's levels, or each tile
    would normalise its part of a region differently and show a seam.

    ink: float (H, W) 0..1 the lines the colours were made from; when given, the network's dark
    echo beside them is lifted (:data:`LINE_ECHO_PX`).
    """
    log_ratio = _log_ratio(color, flats)
    if labels is not None:
        if lit is None:
            lit = lit_levels(log_ratio, labels, anchors)
        log_ratio = log_ratio - lit[labels]
    if ink is not None:
        log_ratio = lift_line_echo(log_ratio, ink)
    if deadzone > 0:
        # multiply cannot brighten: only the depth below the lit level is shrunk
        log_ratio = np.minimum(log_ratio + np.float32(deadzone), 0.0)
    if hue_gate is not None:
        log_ratio *= _same_colour(color, flats, *hue_gate)
    s = np.clip(np.exp(log_ratio) * 255.0 + 0.5, 0, 255).astype(np.uint8)
    if labels is not None and unshaded is not None:
        s[np.asarray(unshaded, bool)[labels]] = 255
    return np.repeat(s[..., None], 3, axis=2)


def lift_line_echo(
    log_ratio: np.ndarray, ink: np.ndarray, radius: int = LINE_ECHO_PX, threshold: float = ECHO_INK
) -> np.ndarray:
    """float32 (H, W): ``log_ratio`` with each paper pixel within ``radius`` px of a line (ink
    float (H, W) 0..1 at or above ``threshold``) raised to the largest (lightest) value of the paper
    in its (2·radius + 1)² disc. Line pixels and the paper farther out are unchanged."""
    if ink.shape != log_ratio.shape:
        raise ValueError(f"ink {ink.shape} and colours {log_ratio.shape} differ in size")
    line = ink >= threshold
    if radius <= 0 or not line.any():
        return log_ratio
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
    band = cv2.dilate(line.view(np.uint8), disc).view(bool)
    band &= ~line
    paper_only = np.where(line, np.float32(-1e4), log_ratio).astype(np.float32)
    lightest = cv2.dilate(paper_only, disc)
    out = log_ratio.astype(np.float32, copy=True)
    out[band] = lightest[band]
    return out


def light_greys(palette: np.ndarray, min_l: float, max_chroma: float) -> np.ndarray:
    """bool (count,): palette entries (uint8 (count, 3) RGB) with Lab L* (0..100) at least
    ``min_l`` and chroma at most ``max_chroma``."""
    pal = np.ascontiguousarray(np.asarray(palette, np.uint8).reshape(-1, 1, 3))
    lab = cv2.cvtColor(pal, cv2.COLOR_RGB2LAB).reshape(-1, 3).astype(np.float32)
    lightness = lab[:, 0] * (100.0 / 255.0)
    chroma = np.hypot(lab[:, 1] - 128.0, lab[:, 2] - 128.0)
    return np.asarray((lightness >= min_l) & (chroma <= max_chroma))


def white_flats(palette: np.ndarray) -> np.ndarray:
    """bool (count,): palette entries light and grey enough to stay unshaded
    (:data:`WHITE_MIN_L`, :data:`WHITE_MAX_CHROMA`)."""
    return light_greys(palette, WHITE_MIN_L, WHITE_MAX_CHROMA)


def _log_ratio(color: np.ndarray, flats: np.ndarray) -> np.ndarray:
    """float32 (H, W) log of the luminance ratio color / flats (uint8 RGB)."""
    lum_c = color.astype(np.float32) @ _LUMA
    lum_f = flats.astype(np.float32) @ _LUMA
    return np.log((lum_c + 1.0) / (lum_f + 1.0))


def lit_levels(
    log_ratio: np.ndarray,
    labels: np.ndarray,
    anchors: np.ndarray | None = None,
    count: int | None = None,
) -> np.ndarray:
    """float32 (count,) the lit level of each region: mean + :data:`LIT_SIGMAS` std of the log
    luminance ratio (:func:`shading_layer`), or the 5×5 mean around its accurate dots
    (``anchors`` int (K, 2) ``(row, col)``) where it holds some."""
    flat_labels = labels.ravel()
    if count is None:
        count = int(flat_labels.max()) + 1 if flat_labels.size else 0
    n = np.maximum(np.bincount(flat_labels, minlength=count), 1)
    values = log_ratio.ravel()
    mean = np.bincount(flat_labels, values, minlength=count) / n
    lit = mean.astype(np.float32)
    if LIT_SIGMAS:  # the spread costs a second pass over the page: only when it counts
        sq = np.bincount(flat_labels, values.astype(np.float64) ** 2, minlength=count) / n
        lit += (LIT_SIGMAS * np.sqrt(np.maximum(sq - mean * mean, 0.0))).astype(np.float32)
    if anchors is not None and len(anchors):
        rows, cols = np.asarray(anchors, np.int64).T
        local = _window_means(log_ratio, rows, cols, 2)
        regs = labels[rows, cols]
        k = np.bincount(regs, minlength=count)
        at = np.bincount(regs, local, minlength=count)
        held = k > 0
        lit[held] = (at[held] / k[held]).astype(np.float32)
    return lit


def _window_means(img: np.ndarray, rows: np.ndarray, cols: np.ndarray, r: int) -> np.ndarray:
    """float64 (K,) mean of ``img`` (H, W) over the (2r+1)² window around each (row, col), as
    ``cv2.blur`` with its default reflected border gives it, without blurring the whole page."""
    padded = cv2.copyMakeBorder(img, r, r, r, r, cv2.BORDER_REFLECT_101)
    return np.array([padded[y : y + 2 * r + 1, x : x + 2 * r + 1].mean(dtype=np.float64)
                     for y, x in zip(rows.tolist(), cols.tolist(), strict=True)])


def page_lit_levels(
    color: np.ndarray, flats: np.ndarray, labels: np.ndarray, anchors: np.ndarray | None = None,
    count: int | None = None,
) -> np.ndarray:
    """:func:`lit_levels` of a page's colour (uint8 (H, W, 3), any resolution: it is resized to
    the flats') against its flats."""
    h, w = flats.shape[:2]
    if color.shape[:2] != (h, w):
        color = cv2.resize(color, (w, h), interpolation=cv2.INTER_LINEAR)
    return lit_levels(_log_ratio(color, flats), labels, anchors, count)


def _same_colour(color: np.ndarray, flats: np.ndarray, start: float, end: float) -> np.ndarray:
    """float32 (H, W) weight: 1 where the a*b* distance of ``color`` to ``flats`` (uint8 RGB) is at
    most ``start``, 0 from ``end`` on, linear between."""
    lab_c = cv2.cvtColor(np.ascontiguousarray(color[..., :3]), cv2.COLOR_RGB2Lab)
    lab_f = cv2.cvtColor(np.ascontiguousarray(flats[..., :3]), cv2.COLOR_RGB2Lab)
    # uint8 Lab keeps a* and b* in CIELAB units, offset by 128; int16/int32 keep an A4 page small
    d = np.subtract(lab_c[..., 1], lab_f[..., 1], dtype=np.int16)
    dist2 = d.astype(np.int32)
    dist2 *= dist2
    np.subtract(lab_c[..., 2], lab_f[..., 2], out=d, dtype=np.int16)
    del lab_c, lab_f
    dist2 += d.astype(np.int32) ** 2
    del d
    w = np.sqrt(dist2, dtype=np.float32)
    del dist2
    w -= np.float32(end)
    w *= np.float32(-1.0 / max(end - start, 1e-6))
    return np.clip(w, 0.0, 1.0, out=w)
