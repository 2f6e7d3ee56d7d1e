"""Screentone: find the halftone dots, line tones and gradients of dots on a manga page, and split
them from the line art.

Tone is ink that shades an area, not ink that bounds one: left in the ink map, a dot screen splits a
toned coat into thousands of specks and a line tone into strips. :func:`split_tone` finds it and
returns the ink without it (for segmentation, the networks and the ``lineart`` layer) and the tone's
own ink (the ``tone`` multiply layer), so that ``lines + tone`` is the page's ink again.

Recipe (numpy, SciPy's FFT and OpenCV; about 0.1 s on an A4 300-dpi page of plain line art):

1. **Gate.** The page is cut into :data:`BLOCK` px blocks; a block is a candidate when its ink
   (≥ 0.5) changes to paper and back often along its rows and columns (a dot screen does so in
   both directions, a line tone in one; a line crossing a block only twice a row). Most blocks of
   plain line art are never looked at further.
2. **Periodicity.** Around each candidate block a :data:`WINDOW` px window (Hann-weighted, large
   structures filtered out) gives its autocorrelation R. A tone repeats: for some lag ``v`` of
   :data:`MIN_PITCH` to :data:`MAX_PITCH` px, R(v) is high *and* R falls low on the way there
   (at 0.35, 0.5 and 0.65 of v). A line has a high R along itself too, but without the dip; the
   strands of hair or hand hatching repeat too irregularly for R(v) to stay high. The shortest
   such lag is the block's pitch.
3. **Consistency.** A tone sheet is the same pattern over an area: a block is kept when it passes
   the strong test and two neighbours pass at least the weak one with a pitch within 15 %; kept
   areas then grow into neighbouring weak blocks of the same pitch; areas must be at least 2 × 2
   blocks.
4. **Lines inside tone.** In each toned area the ink is blurred at half the pitch (the screen
   becomes a flat grey) and compared with its local level (a grey opening wider than a blurred
   line): lines crossing the tone stand out as ridges, and solid black shapes survive an opening
   of the ink wider than a tone dot. Everything else there is tone. Around each area, one block
   further out, only dot-sized ink specks are tone (the edge of a patch the blocks did not reach).

Unresolved tone (dots finer than :data:`MIN_PITCH`, a grey wash) is left as it is: the paper
normalisation (:mod:`paintassist.core.lineart`) already removes most washes as paper tone.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import scipy.fft
from scipy.ndimage import find_objects
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

#: Side (px) of the blocks the page is analysed in.
BLOCK = 32
#: Side (px) of the window around a block whose autocorrelation is measured.
WINDOW = 64
#: Tone pitches (px, the repeat of the screen) that are looked for: 4-12 px is 50-75 lpi at 300
#: dpi, the usual manga screens; finer screens blur into grey at web resolutions.
MIN_PITCH, MAX_PITCH = 2.5, 12.5
#: Gate: transitions ink↔paper per pixel (in the quieter and the busier direction, or in the
#: busier alone) from which a block is looked at.
GATE_BOTH, GATE_MAIN, GATE_ONE = 0.04, 0.06, 0.12
#: Line tones are at most this pitch (px): ruled tones run 30-80 lpi, 4-10 px at 300 dpi; sparser
#: parallel lines are an artist's hatching or strands of hair, and stay line art.
MAX_LINE_PITCH = 10.0
#: A window is parallel lines when R along them (a quarter and a half of v turned by 90°) is at
#: least this.
STRIPES = 0.5
#: Strong and weak periodicity: (R at the lag, R minus its dip on the way there).
STRONG = (0.6, 0.6)
WEAK = (0.4, 0.35)
#: A strong block's pattern repeats a third time: R at twice the lag is at least this.
AGAIN = 0.3
#: Toned areas have at least this many blocks.
MIN_BLOCKS = 3
#: A window whose ink varies less than this (standard deviation) holds no tone.
MIN_STD = 0.08
#: Neighbouring blocks are the same tone when their pitches differ by at most this fraction.
PITCH_TOLERANCE = 0.15
#: A ridge of the blurred ink this far above its local level is a line crossing the tone.
RIDGE = 0.05
#: Past a toned area's blocks, ink is tone where the screen's local level is at least this.
LEVEL_MIN = 0.04
#: Lags whose score is within this of the best count as the same period: the shortest is the pitch.
_SAME_PERIOD = 0.25
#: Windows per FFT batch (bounds the temporary memory: ~100 kB a window, ~13 MB a batch).
_CHUNK = 128
_FRACTIONS = (0.35, 0.5, 0.65)


@dataclass(frozen=True, slots=True, eq=False)
class ToneSplit:
    """What :func:`split_tone` found.

    lines: float32 (H, W) 0..1, the ink without the tone (the input itself when none was found).
    tone: uint8 (H, W), the tone's ink × 255 (``lines + tone / 255`` = the input, to half a
    level; a byte a pixel, as the pipeline keeps it per sketch), None when none.
    area: bool (H, W), the toned areas (their dots and the paper between), None when none.
    pitches: the pitch (px) of each toned area, largest area first.
    """

    lines: np.ndarray
    tone: np.ndarray | None = None
    area: np.ndarray | None = None
    pitches: tuple[float, ...] = ()

    @property
    def found(self) -> bool:
        return self.tone is not None

    @property
    def coverage(self) -> float:
        """Share of the page in toned areas (0..1)."""
        return 0.0 if self.area is None else float(np.count_nonzero(self.area)) / self.area.size


@dataclass(frozen=True)
class _Lags:
    """The autocorrelation lags looked at, as flat indices into a WINDOW × WINDOW array."""

    peak: np.ndarray  # int (L,): the lags v (half plane, MIN_PITCH ≤ |v| ≤ MAX_PITCH)
    length: np.ndarray  # float (L,): |v| px
    norm: np.ndarray  # float32 (L,): the Hann window's own autocorrelation at v
    dips: tuple[tuple[np.ndarray, np.ndarray], ...]  # per fraction t: (4, L) indices, weights
    ly: np.ndarray  # float (L,): the lags' rows (px)
    lx: np.ndarray  # float (L,): the lags' columns (px)
    auto: np.ndarray  # float32 (WINDOW²,): the Hann window's own autocorrelation, every lag
    across: np.ndarray  # int (2, L): the lag v turned by 90°, a quarter and a half of it (rounded)
    across_norm: np.ndarray  # float32 (2, L): the window's autocorrelation there
    highpass: np.ndarray  # float32 (WINDOW, WINDOW // 2 + 1): weights of the power spectrum
    hann: np.ndarray  # float32 (WINDOW, WINDOW)


def _make_lags() -> _Lags:
    n = WINDOW
    w = np.hanning(n + 2)[1:-1].astype(np.float32)
    hann = np.outer(w, w)
    auto = scipy.fft.irfft2(np.abs(scipy.fft.rfft2(hann)) ** 2, s=(n, n))
    auto = (auto / auto[0, 0]).ravel()
    yy, xx = np.mgrid[-n // 2 : n // 2, -n // 2 : n // 2]
    rad = np.hypot(yy, xx)
    sel = ((yy > 0) | ((yy == 0) & (xx > 0))) & (rad >= MIN_PITCH) & (rad <= MAX_PITCH)
    ly, lx = yy[sel].astype(np.float64), xx[sel].astype(np.float64)

    def flat(y: np.ndarray, x: np.ndarray) -> np.ndarray:
        return (y.astype(np.int64) % n) * n + (x.astype(np.int64) % n)

    dips = []
    for t in _FRACTIONS:  # bilinear samples of R at t·v
        fy, fx = ly * t, lx * t
        y0, x0 = np.floor(fy), np.floor(fx)
        wy, wx = fy - y0, fx - x0
        idx = np.stack([flat(y0, x0), flat(y0, x0 + 1), flat(y0 + 1, x0), flat(y0 + 1, x0 + 1)])
        wts = np.stack([(1 - wy) * (1 - wx), (1 - wy) * wx, wy * (1 - wx), wy * wx])
        dips.append((idx, wts.astype(np.float32)))
    peak = flat(ly, lx)
    fr = np.hypot(np.fft.fftfreq(n)[:, None], np.fft.rfftfreq(n)[None, :])
    # Structures larger than ~20 px (solid shapes, the page's shading) out; tone's frequencies in.
    highpass = np.clip((fr - 1 / 24) / (1 / 15 - 1 / 24), 0.0, 1.0).astype(np.float32)
    turned = np.stack([flat(np.rint(lx / 4), np.rint(-ly / 4)), flat(np.rint(lx / 2), np.rint(-ly / 2))])
    return _Lags(peak, rad[sel], auto[peak].astype(np.float32), tuple(dips), ly, lx,
                 auto.astype(np.float32), turned, auto[turned].astype(np.float32), highpass, hann)


_LAGS = _make_lags()


def split_tone(ink: np.ndarray) -> ToneSplit:
    """Find the screentone in ``ink`` (float32 (H, W) 0..1, 1 = ink) and split it off (see the
    module docstring). Deterministic; costs about 0.1 s on an A4 300-dpi page without tone."""
    if ink.ndim != 2:
        raise ValueError(f"ink must be (H, W), got shape {ink.shape}")
    blocks, pitch = _tone_blocks(ink)
    if not blocks.any():
        return ToneSplit(ink)
    comp = _areas(blocks, pitch)
    h, w = ink.shape
    tone_px = np.zeros((h, w), bool)
    area = np.zeros((h, w), bool)
    found: list[tuple[int, float]] = []
    for k, box in enumerate(find_objects(comp + 1)):
        if box is None:
            continue
        mine_blocks = comp == k
        p = float(np.median(pitch[mine_blocks]))
        count = int(np.count_nonzero(mine_blocks))
        by, bx = box[0].start, box[1].start
        bh, bw = box[0].stop - by, box[1].stop - bx
        # the component's blocks and one block around them, in px, cut to the page
        x0, y0 = max(0, (bx - 1) * BLOCK), max(0, (by - 1) * BLOCK)
        x1, y1 = min(w, (bx + bw + 1) * BLOCK), min(h, (by + bh + 1) * BLOCK)
        core_blocks = mine_blocks[max(0, by - 1) : by + bh + 1, max(0, bx - 1) : bx + bw + 1]
        core = _blocks_to_px(core_blocks, (x0 // BLOCK, y0 // BLOCK), (x0, y0, x1, y1))
        crop = ink[y0:y1, x0:x1]
        mine = _tone_pixels(crop, core, p)
        tone_px[y0:y1, x0:x1] |= mine
        area[y0:y1, x0:x1] |= core
        found.append((count, p))
    if not tone_px.any():
        return ToneSplit(ink)
    tone = np.zeros((h, w), np.uint8)
    tone[tone_px] = np.rint(ink[tone_px] * 255.0).astype(np.uint8)
    lines = ink.copy()
    lines[tone_px] = 0.0
    pitches = tuple(round(p, 1) for _, p in sorted(found, reverse=True))
    return ToneSplit(lines, tone, area, pitches)


def tone_layer(tone: np.ndarray, colour: np.ndarray | None = None) -> np.ndarray:
    """The ``tone`` multiply layer, uint8 (H, W, 3): white where there is no tone, the ink's colour
    (black, or ``colour`` uint8 (H, W, 3)) at the tone's coverage, so that multiplying the flats
    by it darkens them as the dots did the paper. tone: uint8 (H, W) ink × 255 (as
    :attr:`ToneSplit.tone`) or float (H, W) 0..1."""
    if tone.dtype == np.uint8:
        grey = 255 - tone
        if colour is None:
            return np.ascontiguousarray(np.repeat(grey[:, :, None], 3, axis=2))
        a = tone.astype(np.float32)[..., None] * np.float32(1.0 / 255.0)
    else:
        a = np.clip(tone, 0.0, 1.0).astype(np.float32)[..., None]
    ink_rgb = np.zeros(3, np.float32) if colour is None else colour.astype(np.float32)
    out = np.clip(255.0 - a * (255.0 - ink_rgb) + 0.5, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(np.broadcast_to(out, (*tone.shape, 3)))


# -- blocks ------------------------------------------------------------------------------------
def _tone_blocks(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(bool (gh, gw) toned blocks, float32 (gh, gw) their pitch px) on the BLOCK grid."""
    busy, quiet = _transitions(ink)
    gate = ((quiet >= GATE_BOTH) & (busy >= GATE_MAIN)) | (busy >= GATE_ONE)
    rows, cols = np.nonzero(gate)
    shape = gate.shape
    if rows.size == 0:
        return np.zeros(shape, bool), np.zeros(shape, np.float32)
    peak, dip, again, lag, std, stripes = _periodicity(ink, rows, cols)
    score = peak - np.maximum(dip, 0.0)
    # Parallel lines farther apart than a line tone's are hatching or strands, not tone.
    pitch_ok = (lag <= MAX_LINE_PITCH) | (stripes < STRIPES)
    strong = (peak >= STRONG[0]) & (score >= STRONG[1]) & (again >= AGAIN) & (std >= MIN_STD)
    strong &= pitch_ok
    weak = (peak >= WEAK[0]) & (score >= WEAK[1]) & (std >= MIN_STD) & pitch_ok
    s_map = np.zeros(shape, bool)
    s_map[rows[strong], cols[strong]] = True
    w_map = np.zeros(shape, bool)
    w_map[rows[weak], cols[weak]] = True
    pitch = np.zeros(shape, np.float32)
    pitch[rows[weak], cols[weak]] = lag[weak]
    kept = _grow(s_map, w_map, pitch)
    kept = _at_least(kept, MIN_BLOCKS)
    return kept, np.where(kept, pitch, np.float32(0.0))


def _transitions(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per block, ink↔paper changes per pixel along rows and along columns: (busier, quieter),
    float (gh, gw)."""
    b = (ink >= 0.5).view(np.uint8)
    h, w = b.shape
    gh, gw = -(-h // BLOCK), -(-w // BLOCK)
    along_rows = np.zeros((gh * BLOCK, gw * BLOCK), np.uint8)
    along_cols = np.zeros((gh * BLOCK, gw * BLOCK), np.uint8)
    np.not_equal(b[:, 1:], b[:, :-1], out=along_rows[:h, 1:w].view(bool))
    np.not_equal(b[1:], b[:-1], out=along_cols[1:h, :w].view(bool))
    per = float(BLOCK * BLOCK)

    def block_sums(a: np.ndarray) -> np.ndarray:
        # a block's rows first (contiguous adds), then its columns
        rows = a.reshape(gh, BLOCK, gw * BLOCK).sum(axis=1, dtype=np.uint16)
        return rows.reshape(gh, gw, BLOCK).sum(axis=2, dtype=np.int32) / per

    r, c = block_sums(along_rows), block_sums(along_cols)
    return np.maximum(r, c), np.minimum(r, c)


def _periodicity(
    ink: np.ndarray, rows: np.ndarray, cols: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For the windows around blocks (rows, cols): the normalised autocorrelation R at the chosen
    lag v, its lowest value on the way there, R at 2v, the lag's length (px), the window's ink
    standard deviation, and the lower of R at a quarter and a half of v turned by 90° (high for
    parallel lines, low for a dot screen); float32 (N,) each."""
    pad = (WINDOW - BLOCK) // 2
    padded = cv2.copyMakeBorder(
        np.ascontiguousarray(ink, np.float32), pad, WINDOW, pad, WINDOW, cv2.BORDER_REFLECT
    )
    view = np.lib.stride_tricks.sliding_window_view(padded, (WINDOW, WINDOW))
    lags = _LAGS
    n = rows.size
    peak, dip, again, lag, std, stripes = (np.empty(n, np.float32) for _ in range(6))
    for s in range(0, n, _CHUNK):
        x = np.array(view[rows[s : s + _CHUNK] * BLOCK, cols[s : s + _CHUNK] * BLOCK], np.float32)
        x -= x.mean(axis=(1, 2), keepdims=True)
        std[s : s + len(x)] = np.sqrt((x * x).mean(axis=(1, 2)))
        x *= lags.hann
        spec = scipy.fft.rfft2(x, workers=-1)
        power = (spec.real**2 + spec.imag**2) * lags.highpass
        auto = scipy.fft.irfft2(power, s=(WINDOW, WINDOW), workers=-1).reshape(len(x), -1)
        auto /= np.maximum(auto[:, :1], 1e-9)
        r = auto[:, lags.peak] / lags.norm
        low: np.ndarray | None = None
        for idx, wts in lags.dips:
            v = (auto[:, idx] * wts).sum(axis=1)
            low = v if low is None else np.minimum(low, v)
        assert low is not None
        score = r - np.maximum(low, 0.0)
        best = score.max(axis=1, keepdims=True)
        k = np.argmin(np.where(score >= best - _SAME_PERIOD, lags.length, np.inf), axis=1)
        i = np.arange(len(x))
        peak[s : s + len(x)] = r[i, k]
        dip[s : s + len(x)] = low[i, k]
        # the lag to sub-pixel precision (R-weighted centre of its 3 × 3 neighbourhood), so that
        # twice it lands on the third repeat of a screen at any angle
        vy, vx = _refine(auto, lags, k)
        twice = (np.rint(2 * vy).astype(np.int64) % WINDOW) * WINDOW + (
            np.rint(2 * vx).astype(np.int64) % WINDOW
        )
        again[s : s + len(x)] = auto[i, twice] / np.maximum(lags.auto[twice], 1e-3)
        lag[s : s + len(x)] = np.hypot(vy, vx)
        # a line tone: along its lines (v turned by 90°) R stays high; across a dot screen's
        # rows it falls half-way
        along = auto[i[None, :], lags.across[:, k]] / lags.across_norm[:, k]
        stripes[s : s + len(x)] = along.min(axis=0)
    return peak, dip, again, lag, std, stripes


def _refine(auto: np.ndarray, lags: _Lags, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sub-pixel (row, col) px of each window's chosen lag ``k`` (N,): the centre of its 3 × 3
    neighbourhood in the autocorrelation ``auto`` (N, WINDOW²), weighted by R² where positive."""
    ly, lx = lags.ly[k], lags.lx[k]
    num_y = np.zeros(len(k))
    num_x = np.zeros(len(k))
    total = np.zeros(len(k))
    i = np.arange(len(k))
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            idx = ((ly + dy).astype(np.int64) % WINDOW) * WINDOW + (lx + dx).astype(np.int64) % WINDOW
            r = np.maximum(auto[i, idx] / np.maximum(lags.auto[idx], 1e-3), 0.0) ** 2
            num_y += r * (ly + dy)
            num_x += r * (lx + dx)
            total += r
    total = np.maximum(total, 1e-9)
    return num_y / total, num_x / total


def _similar_neighbours(mask: np.ndarray, pitch: np.ndarray, of: np.ndarray) -> np.ndarray:
    """int (gh, gw): for each block, its 8-neighbours in ``mask`` whose pitch is within
    PITCH_TOLERANCE of its own (pitches of blocks in ``of``)."""
    gh, gw = mask.shape
    p_pad = np.pad(np.where(of, pitch, np.float32(0.0)), 1)
    m_pad = np.pad(mask, 1)
    tol = PITCH_TOLERANCE * np.maximum(pitch, 1e-3)
    count = np.zeros((gh, gw), np.int32)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            if dy == 0 and dx == 0:
                continue
            q = p_pad[1 + dy : 1 + dy + gh, 1 + dx : 1 + dx + gw]
            m = m_pad[1 + dy : 1 + dy + gh, 1 + dx : 1 + dx + gw]
            count += m & (np.abs(q - pitch) <= tol)
    return count


def _grow(strong: np.ndarray, weak: np.ndarray, pitch: np.ndarray) -> np.ndarray:
    """Seeds: strong blocks with two weak-or-strong neighbours of their pitch; then grown into
    weak blocks of the same pitch (hysteresis)."""
    kept = strong & (_similar_neighbours(weak, pitch, weak) >= 2)
    for _ in range(sum(kept.shape)):
        new = weak & ~kept & (_similar_neighbours(kept, pitch, weak) >= 1)
        if not new.any():
            break
        kept |= new
    return kept


def _areas(blocks: np.ndarray, pitch: np.ndarray) -> np.ndarray:
    """int (gh, gw): toned areas, -1 elsewhere: blocks joined (8-neighbours) when their pitches
    are within PITCH_TOLERANCE, so two screens that touch stay two areas with their own pitch."""
    gh, gw = blocks.shape
    ids = np.full((gh, gw), -1, np.int64)
    ids[blocks] = np.arange(int(np.count_nonzero(blocks)))
    src: list[np.ndarray] = []
    dst: list[np.ndarray] = []
    for dy, dx in ((0, 1), (1, -1), (1, 0), (1, 1)):
        a = ids[max(0, -dy) : gh - max(0, dy), max(0, -dx) : gw - max(0, dx)]
        b = ids[max(0, dy) : gh + min(0, dy) or None, max(0, dx) : gw + min(0, dx) or None]
        pa = pitch[max(0, -dy) : gh - max(0, dy), max(0, -dx) : gw - max(0, dx)]
        pb = pitch[max(0, dy) : gh + min(0, dy) or None, max(0, dx) : gw + min(0, dx) or None]
        ok = (a >= 0) & (b >= 0) & (np.abs(pa - pb) <= PITCH_TOLERANCE * np.maximum(pa, pb))
        src.append(a[ok])
        dst.append(b[ok])
    n = int(np.count_nonzero(blocks))
    s_all, d_all = np.concatenate(src), np.concatenate(dst)
    graph = coo_matrix((np.ones(len(s_all), np.int8), (s_all, d_all)), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    out = np.full((gh, gw), -1, np.int64)
    out[blocks] = label
    return out


def _at_least(mask: np.ndarray, blocks: int) -> np.ndarray:
    """``mask`` without its 8-connected groups of fewer than ``blocks`` blocks."""
    _, lab, stats, _ = cv2.connectedComponentsWithStats(mask.view(np.uint8), connectivity=8)
    big = stats[:, cv2.CC_STAT_AREA] >= blocks
    big[0] = False
    return np.asarray(big[lab])


def _blocks_to_px(
    blocks: np.ndarray, origin: tuple[int, int], box: tuple[int, int, int, int]
) -> np.ndarray:
    """bool (y1 − y0, x1 − x0): ``blocks`` (a crop of the block grid starting at block ``origin``
    = (col, row)) at pixel resolution, cut to ``box`` = (x0, y0, x1, y1) px."""
    x0, y0, x1, y1 = box
    up = np.repeat(np.repeat(blocks, BLOCK, axis=0), BLOCK, axis=1)
    ox, oy = x0 - origin[0] * BLOCK, y0 - origin[1] * BLOCK
    return np.ascontiguousarray(up[oy : oy + (y1 - y0), ox : ox + (x1 - x0)])


# -- pixels --------------------------------------------------------------------------------------
def _tone_pixels(ink: np.ndarray, core: np.ndarray, pitch: float) -> np.ndarray:
    """bool (h, w): the tone pixels of one toned area. ink: float32 (h, w), the area's crop with a
    block around it; core: bool (h, w), the area's blocks; pitch: px."""
    sigma = 0.5 * pitch
    blurred = cv2.GaussianBlur(ink, (0, 0), sigma, borderType=cv2.BORDER_REFLECT)
    k = int(2 * round(1.5 * pitch) + 1)
    level = cv2.morphologyEx(blurred, cv2.MORPH_OPEN, np.ones((k, k), np.uint8),
                             borderType=cv2.BORDER_REFLECT)
    ridge = (blurred - level) > RIDGE
    inked = (ink >= 0.5).view(np.uint8)
    ks = int(2 * round(0.6 * pitch) + 1)
    solid = cv2.morphologyEx(inked, cv2.MORPH_OPEN, np.ones((ks, ks), np.uint8)) > 0
    # Ink bordering open paper (farther from any ink than a screen's gaps) is an outline: a face
    # drawn over a dark screen leaves no ridge in the blurred ink, but its paper side is open.
    paper = (ink < 0.5).view(np.uint8)
    gap = 0.75 * pitch
    open_paper = cv2.distanceTransform(paper, cv2.DIST_L2, 3) > gap
    from_open = cv2.distanceTransform((~open_paper).view(np.uint8), cv2.DIST_L2, 3)
    edge = from_open <= gap + 0.4 * pitch + 1.0
    line = ((ridge | edge) & (ink >= 0.25)) | solid
    line = cv2.dilate(line.view(np.uint8), np.ones((3, 3), np.uint8)) > 0
    # In the area's blocks all but the lines is tone; one block further out, what continues the
    # screen (the blurred ink stays above paper after the opening) and ink specks no larger than
    # a dot, so the area ends where its tone does, not on the block grid.
    toned = ~line & (core | (level >= LEVEL_MIN))
    if not core.all():
        toned |= _small_specks(ink, pitch) & ~core
    return toned & (ink > 0)


def _small_specks(ink: np.ndarray, pitch: float) -> np.ndarray:
    """bool (h, w): pixels of ink components (ink > 0.12, 8-connected) that fit in a box of
    1.2 pitch, with their anti-aliased rims."""
    mask = (ink > 0.12).view(np.uint8)
    _, lab, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    side = max(2, int(np.ceil(1.2 * pitch)))
    small = (stats[:, cv2.CC_STAT_WIDTH] <= side) & (stats[:, cv2.CC_STAT_HEIGHT] <= side)
    small[0] = False
    return np.asarray(small[lab])
