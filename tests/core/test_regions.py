"""Region segmentation: gap closing, no crossing of closed lines, tiny-region merging, layers."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from paintassist.core.regions import (
    RegionMap,
    labels_from_regions_layer,
    regions_layer,
    regions_layer_from_labels,
    segment,
)


def _vertical_wall(gap: int, thickness: int = 3, h: int = 120, w: int = 160) -> np.ndarray:
    """A vertical line from top to bottom with a ``gap``-px break in the middle."""
    ink = np.zeros((h, w), np.float32)
    x0 = w // 2 - thickness // 2
    ink[:, x0 : x0 + thickness] = 1.0
    if gap:
        ink[h // 2 - gap // 2 : h // 2 - gap // 2 + gap, x0 : x0 + thickness] = 0.0
    return ink


def _sides(regmap: RegionMap) -> tuple[int, int]:
    h, w = regmap.labels.shape
    return int(regmap.labels[h // 4, 10]), int(regmap.labels[h // 4, w - 10])


@pytest.mark.parametrize("gap_px", [2, 4, 6, 8])
@pytest.mark.parametrize("thickness", [1, 3])
def test_gap_up_to_gap_px_is_closed(gap_px: int, thickness: int) -> None:
    for gap in range(1, gap_px + 1):
        regmap = segment(_vertical_wall(gap, thickness), gap_px=gap_px)
        left, right = _sides(regmap)
        assert left != right, f"gap {gap} px not closed with gap_px={gap_px}"
        # colour does not leak: the two sides' closed area is one, their regions are two
        assert regmap.closed[10, 10] == regmap.closed[10, -10]


@pytest.mark.parametrize("gap_px", [2, 4, 6, 8])
def test_wider_gap_stays_open(gap_px: int) -> None:
    for gap in (gap_px + 1, gap_px + 3, gap_px + 10):
        regmap = segment(_vertical_wall(gap), gap_px=gap_px)
        left, right = _sides(regmap)
        assert left == right, f"gap {gap} px closed with gap_px={gap_px}"


def test_gap_zero_means_no_closing() -> None:
    regmap = segment(_vertical_wall(2), gap_px=0)
    left, right = _sides(regmap)
    assert left == right


def test_gap_in_circle_and_diagonal_line() -> None:
    ink = np.zeros((200, 200), np.float32)
    cv2.circle(ink, (100, 100), 60, 1.0, 2, cv2.LINE_AA)
    ink[97:102, 150:170] = 0.0  # 5-px break in the right side
    regmap = segment(ink, gap_px=6)
    assert regmap.labels[100, 100] != regmap.labels[5, 5]
    ink = np.zeros((200, 200), np.float32)
    cv2.line(ink, (0, 0), (199, 199), 1.0, 3, cv2.LINE_AA)
    yy, xx = np.mgrid[:200, :200]
    along = (xx + yy) / np.sqrt(2.0)  # position along the diagonal (px)
    ink[np.abs(along - along[100, 100]) < 3.0] = 0.0  # a 6 px break between the line's ends
    assert segment(ink, gap_px=8).labels[150, 20] != segment(ink, gap_px=8).labels[20, 150]
    assert segment(ink, gap_px=2).labels[150, 20] == segment(ink, gap_px=2).labels[20, 150]


def _shapes() -> list[np.ndarray]:
    """Closed outlines of several kinds, each on its own canvas."""
    out = []
    ink = np.zeros((160, 160), np.float32)
    cv2.circle(ink, (80, 80), 50, 1.0, 1, cv2.LINE_AA)
    out.append(ink)
    ink = np.zeros((160, 160), np.float32)
    cv2.ellipse(ink, (80, 80), (70, 20), 30, 0, 360, 1.0, 2, cv2.LINE_AA)
    out.append(ink)
    ink = np.zeros((160, 160), np.float32)
    pts = np.array([[20, 20], [140, 40], [90, 150], [60, 60]], np.int32)
    cv2.polylines(ink, [pts], True, 1.0, 1, cv2.LINE_8)  # 8-connected diagonal steps
    out.append(ink)
    ink = np.zeros((160, 160), np.float32)
    cv2.rectangle(ink, (30, 30), (130, 130), 1.0, 6)
    out.append(ink)
    return out


@pytest.mark.parametrize("index", range(4))
def test_no_region_crosses_a_closed_line(index: int) -> None:
    ink = _shapes()[index]
    regmap = segment(ink, gap_px=6, min_region_px=1)
    paper = ~regmap.line_mask
    # every region's paper pixels lie in a single closed (no gap closing) area
    pairs = np.unique(np.stack([regmap.labels[paper], regmap.closed[paper]]), axis=1)
    assert len(np.unique(pairs[0])) == pairs.shape[1]
    assert regmap.labels[80, 80] != regmap.labels[2, 2]


def _page() -> np.ndarray:
    rng = np.random.default_rng(3)
    ink = np.zeros((300, 400), np.float32)
    for _ in range(25):
        c = (int(rng.integers(0, 400)), int(rng.integers(0, 300)))
        axes = (int(rng.integers(5, 80)), int(rng.integers(5, 80)))
        cv2.ellipse(ink, c, axes, float(rng.uniform(0, 180)), 0, 360, 1.0,
                    int(rng.integers(1, 4)), cv2.LINE_AA)
    return ink


def test_every_pixel_labelled_and_ids_compact() -> None:
    regmap = segment(_page())
    assert regmap.labels.dtype == np.int32
    assert regmap.labels.shape == (300, 400)
    assert regmap.labels.min() == 0
    assert regmap.labels.max() == regmap.count - 1
    assert len(np.unique(regmap.labels)) == regmap.count
    assert regmap.closed.dtype == np.int32
    assert (regmap.closed[regmap.line_mask] == -1).all()
    assert (regmap.closed[~regmap.line_mask] >= 0).all()


def test_tiny_regions_merge() -> None:
    ink = np.zeros((100, 100), np.float32)
    cv2.circle(ink, (50, 50), 30, 1.0, 1)
    cv2.rectangle(ink, (10, 10), (13, 13), 1.0, 1)  # 2x2 paper hole inside a tiny square
    kept = segment(ink, min_region_px=1)
    merged = segment(ink, min_region_px=24)
    assert kept.count == 3
    assert merged.count == 2
    assert merged.labels[11, 11] == merged.labels[5, 5]  # merged into the paper around it
    assert (merged.paper_areas >= 24).all()


def test_line_pixels_take_an_adjacent_region() -> None:
    ink = np.zeros((80, 120), np.float32)
    ink[:, 50:60] = 1.0  # a 10-px thick wall
    regmap = segment(ink, gap_px=4)
    row = regmap.labels[40]
    left, right = row[10], row[110]
    assert left != right
    assert (row[50:55] == left).all() and (row[55:60] == right).all()


def test_background_is_largest_border_region() -> None:
    ink = np.zeros((100, 100), np.float32)
    cv2.circle(ink, (50, 50), 20, 1.0, 2)
    regmap = segment(ink)
    assert regmap.background == regmap.labels[2, 2]
    framed = np.zeros((50, 50), np.float32)
    framed[0, :] = framed[-1, :] = framed[:, 0] = framed[:, -1] = 1.0
    framed[25, :] = 1.0
    assert segment(framed).background == -1


def test_blank_and_all_ink_pages() -> None:
    blank = segment(np.zeros((20, 30), np.float32))
    assert blank.count == 1 and blank.background == 0 and (blank.labels == 0).all()
    full = segment(np.ones((20, 30), np.float32))
    assert full.count == 1 and full.background == -1


def test_bad_ink_is_rejected() -> None:
    with pytest.raises(ValueError, match="2-D"):
        segment(np.zeros((4, 4, 3), np.float32))
    with pytest.raises(ValueError, match="float"):
        segment(np.zeros((4, 4), np.uint8))


def test_regions_layer_round_trip_and_distinct_colours() -> None:
    regmap = segment(_page())
    layer = regions_layer(regmap)
    assert layer.dtype == np.uint8 and layer.shape == (300, 400, 3)
    assert (labels_from_regions_layer(layer) == regmap.labels).all()
    colours = np.unique(layer.reshape(-1, 3), axis=0)
    assert len(colours) == regmap.count
    assert (regions_layer_from_labels(regmap.labels) == layer).all()
    rgba = np.concatenate([layer, np.full((300, 400, 1), 255, np.uint8)], axis=2)
    assert (labels_from_regions_layer(rgba) == regmap.labels).all()


def test_adjacency_open_and_line_contacts() -> None:
    regmap = segment(_vertical_wall(4), gap_px=6)
    adj = regmap.adjacency()
    assert adj is regmap.adjacency()  # cached
    assert adj.pairs.tolist() == [[0, 1]]
    assert adj.open_count[0] > 0  # they touch through the closed gap
    assert adj.line_count[0] > 0
    wall = segment(_vertical_wall(0), gap_px=6).adjacency()
    assert wall.open_count.tolist() == [0]


def test_centroids_and_areas() -> None:
    regmap = segment(_vertical_wall(0, h=40, w=100))
    assert regmap.areas.sum() == 40 * 100
    left = regmap.labels[5, 5]
    assert regmap.centroids[left, 0] < 50 < regmap.centroids[1 - left, 0]
    assert regmap.region_at(-10, 5) == left


def test_faint_pencil_outline_still_separates() -> None:
    ink = np.zeros((120, 120), np.float32)
    cv2.circle(ink, (60, 60), 40, 0.2, 2)  # a light pencil stroke after normalisation
    regmap = segment(ink)
    assert regmap.labels[60, 60] != regmap.labels[3, 3]
    assert segment(ink, line_threshold=0.35).count == 1
