"""Speech balloons: paper areas enclosed by a line and holding text, which stay paper white (and
their text black line art) unless a hint colours them.

A balloon is a region (not the page background) that hosts a run of text-like strokes: at least
:data:`MIN_GLYPHS` small ink marks (each inside the region, fitting in a box of at most
:data:`MAX_GLYPH_SHARE` of the region's height) of similar height, lined up in a row or a column, where
consecutive marks follow one another closely (at most :data:`MAX_GAP` heights apart), so a face
(two eyes and a mouth, of different sizes, far apart) or a panel's scattered small shapes do not
read as text. The regions enclosed by a balloon (the counters of its letters) are paper too.

Cost: one labelling of the line mask plus a little work per candidate region (~0.1 s on A4).
"""

from __future__ import annotations

import cv2
import numpy as np
from scipy.ndimage import binary_fill_holes, find_objects
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from paintassist.core.regions import RegionMap

#: Fewest text strokes (ink components) a balloon holds.
MIN_GLYPHS = 3
#: A text stroke's box is at most this share of its region's height (and width).
MAX_GLYPH_SHARE = 0.35
#: Smallest text stroke (px, box height): specks of noise are not letters.
MIN_GLYPH_PX = 4
#: Strokes of one line of text: centres within this many median heights across the line.
LINE_SPREAD = 0.6
#: Letters of a word or line follow one another at most this many median heights apart.
MAX_GAP = 1.5
#: Letters of one text are of one height: within this factor of their median.
HEIGHT_RATIO = 1.45
#: Share of the strokes whose height is within HEIGHT_RATIO of the median.
SIMILAR_SHARE = 0.6
#: Letters are strokes: the median share of their box that is ink is at most this (a round dot
#: fills ~0.75 of its box, a letter 0.2-0.5).
MAX_FILL = 0.72
#: The text's boxes cover at most this share of the balloon.
MAX_TEXT_SHARE = 0.5
#: Letters are strokes, not hairlines: at least this share of their box is ink.
MIN_FILL = 0.15
#: Of the small marks a balloon holds, at least this share are its text (a row of marks among
#: petals, hatching and strands is not).
TEXT_SHARE = 0.6
#: The text sits in the balloon's middle: its centre within this share of the balloon's size.
CENTRED = 0.25
#: and it spans at least this share of the balloon's width or height.
TEXT_SPAN = 0.3
#: A balloon is round-ish (an ellipse, a box, a cloud): its area over its convex hull's.
MIN_SOLIDITY = 0.7
#: A balloon's region covers at most this share of the page.
MAX_PAGE_SHARE = 0.25
#: At most this share of a balloon lies in screentone. The tone's area is found in 32-px blocks, so
#: a narrow balloon in a toned panel has up to ~15 % of its edge in blocks of the tone around it;
#: a toned region (a panel's background, clothes) is toned nearly all over.
MAX_TONED_SHARE = 0.25
#: How far beside a mark (px) the paper it stands on is looked for.
_BESIDE_PX = 4


def balloon_regions(regmap: RegionMap, toned: np.ndarray | None = None) -> np.ndarray:
    """bool (count,): the regions of ``regmap`` that are speech balloons or lie inside one.
    toned: bool (H, W), the screentone's areas (:attr:`paintassist.core.tone.ToneSplit.area`):
    a balloon is paper, so a region more than :data:`MAX_TONED_SHARE` toned is none."""
    out = np.zeros(regmap.count, bool)
    line = regmap.line_mask
    n, _, stats, _ = cv2.connectedComponentsWithStats(line.view(np.uint8), connectivity=8)
    if n <= 1:
        return out
    x, y = stats[1:, cv2.CC_STAT_LEFT], stats[1:, cv2.CC_STAT_TOP]
    w, h = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    fill = stats[1:, cv2.CC_STAT_AREA] / np.maximum(w * h, 1)
    hh, ww = regmap.shape
    # the region on each side of a mark, just outside its box: a letter has its balloon on both
    # (at preview size letters stand a pixel or two apart, so the pixel right beside a box is
    # often the next letter's ink). Two pixels out (a line pixel takes its nearest paper's
    # label) or, failing that, the first paper pixel.
    cy = np.clip(y + h // 2, 0, hh - 1)
    left = regmap.labels[cy, np.clip(x - 2, 0, ww - 1)]
    right = regmap.labels[cy, np.clip(x + w + 1, 0, ww - 1)]
    paper_left = _paper_beside(regmap, cy, x - 1, -1)
    paper_right = _paper_beside(regmap, cy, x + w, 1)
    retry = (left != right) & (paper_left == paper_right) & (paper_left >= 0)
    left = np.where(retry, paper_left, left)
    candidate = (h >= MIN_GLYPH_PX) & ((left == right) | retry)
    host = np.where(candidate, left, -1)
    counts = np.bincount(host[host >= 0], minlength=regmap.count)
    page_px = hh * ww
    possible = (counts >= MIN_GLYPHS) & ~regmap.page_background
    possible &= regmap.areas <= MAX_PAGE_SHARE * page_px
    if toned is not None and toned.any():
        toned_px = np.bincount(regmap.labels[toned], minlength=regmap.count)
        possible &= toned_px <= MAX_TONED_SHARE * regmap.areas
    if not possible.any():
        return out
    boxes = find_objects(regmap.labels + 1)
    for region in np.flatnonzero(possible):
        box = boxes[region]
        if box is None:
            continue
        rh, rw = box[0].stop - box[0].start, box[1].stop - box[1].start
        mine = np.flatnonzero(host == region)
        gx, gy, gw, gh = x[mine], y[mine], w[mine], h[mine]
        small = (gh <= MAX_GLYPH_SHARE * rh) & (gw <= MAX_GLYPH_SHARE * rw)
        small &= (fill[mine] >= MIN_FILL) & (gh >= MIN_GLYPH_PX)
        if np.count_nonzero(small) < MIN_GLYPHS or np.median(fill[mine][small]) > MAX_FILL:
            continue  # tone dots left at a tone's edge are round blobs, letters are strokes
        if float((gw[small] * gh[small]).sum()) > MAX_TEXT_SHARE * regmap.areas[region]:
            continue
        text = _text_marks(gx[small], gy[small], gw[small], gh[small])
        if text is None or np.count_nonzero(text) < TEXT_SHARE * np.count_nonzero(small):
            continue  # a few letter-like marks among other drawing: not a balloon's text
        tx0, ty0 = gx[small][text].min(), gy[small][text].min()
        tx1 = (gx[small] + gw[small])[text].max()
        ty1 = (gy[small] + gh[small])[text].max()
        centre_x = (tx0 + tx1) / 2 - (box[1].start + rw / 2)
        centre_y = (ty0 + ty1) / 2 - (box[0].start + rh / 2)
        if abs(centre_x) > CENTRED * rw or abs(centre_y) > CENTRED * rh:
            continue  # a balloon is drawn round its text
        if (tx1 - tx0) < TEXT_SPAN * rw and (ty1 - ty0) < TEXT_SPAN * rh:
            continue
        inside = binary_fill_holes(regmap.labels[box] == region)
        if _solidity(inside) < MIN_SOLIDITY:
            continue  # a ribbon with a dashed seam, not a balloon
        out[region] = True
        enclosed = np.unique(regmap.labels[box][inside])
        held = enclosed[enclosed != region]
        if held.size:  # counters of letters: regions whose every pixel lies inside
            whole = np.bincount(regmap.labels[box][inside].ravel(), minlength=regmap.count)
            out[held[whole[held] == regmap.areas[held]]] = True
    return out


def _paper_beside(regmap: RegionMap, rows: np.ndarray, cols: np.ndarray, step: int) -> np.ndarray:
    """int (N,): the region of the first paper pixel from ``(rows, cols)`` going ``step`` (±1)
    along the row, up to :data:`_BESIDE_PX` pixels; -1 where there is none."""
    ww = regmap.shape[1]
    out = np.full(len(rows), -1, np.int64)
    for k in range(_BESIDE_PX):
        c = np.clip(cols + step * k, 0, ww - 1)
        todo = (out < 0) & ~regmap.line_mask[rows, c]
        out[todo] = regmap.labels[rows[todo], c[todo]]
    return out


def _solidity(mask: np.ndarray) -> float:
    """Area of ``mask`` (bool (h, w)) over the area of its convex hull."""
    pts = cv2.findNonZero(mask.view(np.uint8))
    if pts is None:
        return 0.0
    hull = cv2.convexHull(pts)
    return float(np.count_nonzero(mask)) / max(1.0, float(cv2.contourArea(hull)))


def _text_marks(x: np.ndarray, y: np.ndarray, w: np.ndarray, h: np.ndarray) -> np.ndarray | None:
    """Which of the marks (boxes, px) are text, bool (N,); None when they do not read as text:
    too few, not of similar height, or no MIN_GLYPHS of them one after another on a line (a row,
    or a column for vertical writing). Text marks are those on runs of two or more."""
    if len(h) < MIN_GLYPHS:
        return None
    med = float(np.median(h))
    similar = (h >= med / HEIGHT_RATIO) & (h <= med * HEIGHT_RATIO)
    if np.count_nonzero(similar) < max(MIN_GLYPHS, SIMILAR_SHARE * len(h)):
        return None
    best: np.ndarray | None = None
    for start, size, across, scale in (
        (x, w, y + h / 2.0, med),  # rows
        (y, h, x + w / 2.0, float(np.median(w[similar]))),  # columns
    ):
        runs = _runs(start, size, across, scale, similar)
        sizes = np.bincount(runs[runs >= 0]) if (runs >= 0).any() else np.zeros(1, np.int64)
        if sizes.max() < MIN_GLYPHS:
            continue
        marks = (runs >= 0) & (sizes[np.maximum(runs, 0)] >= 2)
        if best is None or np.count_nonzero(marks) > np.count_nonzero(best):
            best = marks
    return best


def _runs(
    start: np.ndarray, size: np.ndarray, across: np.ndarray, scale: float, use: np.ndarray
) -> np.ndarray:
    """int (N,): the run (a line of marks one after another) each mark is on, -1 for marks not
    in ``use``. Consecutive marks: centres within LINE_SPREAD × ``scale`` across the line, at
    most MAX_GAP × ``scale`` apart along it. start, size: the boxes along the line (px); across:
    their centres across it."""
    end = start + size
    near_line = np.abs(across[:, None] - across[None, :]) <= LINE_SPREAD * scale
    gap = start[None, :] - end[:, None]
    follows = near_line & (gap > -0.5 * scale) & (gap <= MAX_GAP * scale)
    follows &= use[:, None] & use[None, :]
    np.fill_diagonal(follows, False)
    _, label = connected_components(coo_matrix(follows.astype(np.int8)), directed=False)
    return np.where(use, label, -1)
