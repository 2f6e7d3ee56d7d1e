"""Line-art normalisation: scans and clean inks agree, soft edges stay soft, fills are not lines."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from paintassist.core import lineart

SIZE = 256


def _lines(size: int = SIZE, width: int = 3) -> np.ndarray:
    """float32 (size, size) true ink 0..1: anti-aliased strokes at sub-pixel positions."""
    canvas = np.zeros((size, size), np.uint8)
    shift = 4  # sub-pixel coordinates (1/16 px) so edges are genuinely fractional
    s = 1 << shift
    for (x0, y0), (x1, y1) in [
        ((20.3, 30.7), (230.1, 60.2)),
        ((40.5, 200.25), (210.75, 120.5)),
        ((128.4, 20.1), (100.6, 240.9)),
    ]:
        p0 = (round(x0 * s), round(y0 * s))
        p1 = (round(x1 * s), round(y1 * s))
        cv2.line(canvas, p0, p1, 255, width, cv2.LINE_AA, shift)
    cv2.circle(canvas, (170 * s, 190 * s), 40 * s, 255, width, cv2.LINE_AA, shift)
    return canvas.astype(np.float32) / 255.0


def _clean_ink(ink: np.ndarray) -> np.ndarray:
    """uint8 grey: black digital ink on pure white."""
    return lineart.ink_to_grey(ink)


def _uneven_paper(size: int = SIZE) -> np.ndarray:
    """float32 (size, size) off-white paper tone, 0.71..0.93: a diagonal gradient and a vignette."""
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) / size
    vignette = ((xx - 0.5) ** 2 + (yy - 0.5) ** 2) * 0.2
    return (0.93 - 0.12 * (0.6 * xx + 0.4 * yy) - vignette).astype(np.float32)


def _pencil_scan(ink: np.ndarray, seed: int = 0) -> np.ndarray:
    """uint8 grey: light grey lines (40 % strength) on uneven off-white paper with scan noise."""
    rng = np.random.default_rng(seed)
    value = _uneven_paper(ink.shape[0]) * (1.0 - 0.4 * ink)
    value = value + rng.normal(0.0, 0.012, ink.shape).astype(np.float32)
    return np.clip(np.rint(value * 255.0), 0, 255).astype(np.uint8)


def test_pencil_scan_and_clean_ink_give_nearly_the_same_map() -> None:
    truth = _lines()
    clean = lineart.normalize(_clean_ink(truth))
    pencil = lineart.normalize(_pencil_scan(truth))
    assert clean.dtype == np.float32 and clean.shape == truth.shape
    assert float(np.mean(np.abs(clean - pencil))) < 0.02
    cores = truth > 0.95
    assert float(pencil[cores].mean()) > 0.8
    assert float(clean[cores].mean()) > 0.95
    paper = cv2.dilate((truth > 0).astype(np.uint8), np.ones((5, 5), np.uint8)) == 0
    assert float(pencil[paper].mean()) < 0.01
    assert float(np.percentile(pencil[paper], 99.9)) < 0.15


def test_clean_ink_map_follows_the_drawn_ink() -> None:
    truth = _lines()
    ink = lineart.normalize(_clean_ink(truth))
    assert float(np.max(np.abs(ink - truth))) < 0.06


def test_anti_aliased_edges_stay_fractional() -> None:
    truth = _lines(width=1)
    for image in (_clean_ink(truth), _pencil_scan(truth)):
        ink = lineart.normalize(image)
        soft = (truth > 0.2) & (truth < 0.8)
        assert soft.sum() > 100
        fractional = (ink[soft] > 0.05) & (ink[soft] < 0.95)
        assert fractional.mean() > 0.5  # not binarised
        assert np.corrcoef(ink[soft], truth[soft])[0, 1] > 0.7  # and ordered like the input


def test_uneven_paper_without_lines_becomes_paper() -> None:
    rng = np.random.default_rng(1)
    paper = _uneven_paper() + rng.normal(0.0, 0.01, (SIZE, SIZE)).astype(np.float32)
    ink = lineart.normalize(np.clip(paper, 0.0, 1.0))
    assert float(ink.mean()) < 0.005
    assert float(ink.max()) < 0.2


def test_tinted_paper_photo_is_flattened_and_lines_kept() -> None:
    truth = _lines()
    grey = _pencil_scan(truth).astype(np.float32) / 255.0
    tint = np.array([1.0, 0.93, 0.78], np.float32)  # warm, yellowish paper under lamp light
    rgb = np.clip(grey[:, :, None] * tint, 0.0, 1.0)
    ink = lineart.normalize(rgb)
    clean = lineart.normalize(_clean_ink(truth))
    assert float(np.mean(np.abs(ink - clean))) < 0.03


def test_flat_colour_fills_with_black_outlines_give_lines_only() -> None:
    img = np.full((SIZE, SIZE, 3), 255, np.uint8)
    cv2.circle(img, (90, 100), 60, (200, 40, 40), -1, cv2.LINE_AA)
    cv2.circle(img, (90, 100), 60, (0, 0, 0), 3, cv2.LINE_AA)
    cv2.rectangle(img, (140, 130), (240, 240), (30, 60, 170), -1)
    cv2.rectangle(img, (140, 130), (240, 240), (0, 0, 0), 3)
    ink = lineart.normalize(img)

    outline = np.zeros((SIZE, SIZE), np.uint8)
    cv2.circle(outline, (90, 100), 60, 1, 1)
    cv2.rectangle(outline, (140, 130), (240, 240), 1, 1)
    assert float(ink[outline > 0].mean()) > 0.7

    inside = np.zeros((SIZE, SIZE), np.uint8)
    cv2.circle(inside, (90, 100), 50, 1, -1)
    cv2.rectangle(inside, (150, 140), (230, 230), 1, -1)
    assert float(ink[inside > 0].mean()) < 0.02
    assert float(ink[inside > 0].max()) < 0.2


def test_one_coloured_ink_drawing_is_read_like_black_ink() -> None:
    truth = _lines(width=5)
    blue = np.array([30, 110, 160], np.float32) / 255.0
    rgb = 1.0 - truth[:, :, None] * (1.0 - blue)
    # dense hatching in the same ink: a solid coloured area that must stay ink, not become a fill
    rgb[180:250, 20:120] = blue
    grey_truth = truth.copy()
    grey_truth[180:250, 20:120] = 1.0
    ink = lineart.normalize(rgb.astype(np.float32))
    assert float(ink[180:250, 20:120].mean()) > 0.9
    assert float(np.mean(np.abs(ink - lineart.normalize(_clean_ink(grey_truth))))) < 0.03


def test_large_solid_black_area_stays_ink() -> None:
    truth = _lines()
    truth[60:200, 40:180] = 1.0  # a solid black fill far wider than any line
    ink = lineart.normalize(_clean_ink(truth))
    assert float(ink[70:190, 50:170].min()) > 0.9


def test_big_dark_object_does_not_make_pencil_lines_faint() -> None:
    truth = _lines()
    scan = _pencil_scan(truth)
    scan[:, :50] = 20  # e.g. the pencil itself lying on the photographed page
    ink = lineart.normalize(scan)
    cores = (truth > 0.95) & (np.arange(SIZE) >= 60)[None, :]
    assert float(ink[cores].mean()) > 0.8
    assert float(ink[:, 5:45].min()) > 0.9


@pytest.mark.parametrize(
    "convert",
    [
        lambda g: g.astype(np.uint16) * 257,
        lambda g: g.astype(np.float32) / 255.0,
        lambda g: g.astype(np.float64) / 255.0,
        lambda g: g[:, :, None],
        lambda g: np.dstack([g, g, g]),
    ],
    ids=["uint16", "float32", "float64", "HxWx1", "grey-as-rgb"],
)
def test_input_types_agree(convert) -> None:  # type: ignore[no-untyped-def]
    grey = _pencil_scan(_lines())
    reference = lineart.normalize(grey)
    assert np.allclose(lineart.normalize(convert(grey)), reference, atol=0.01)


def test_bool_input_true_is_paper() -> None:
    truth = _lines() > 0.5
    ink = lineart.normalize(~truth)
    assert np.array_equal(ink > 0.5, truth)


def test_transparent_pixels_are_paper() -> None:
    truth = _lines()
    rgb = np.zeros((SIZE, SIZE, 3), np.uint8)  # black everywhere; only alpha draws the lines
    alpha = np.rint(truth * 255).astype(np.uint8)
    ink = lineart.normalize(rgb, alpha)
    assert float(np.max(np.abs(ink - truth))) < 0.06
    rgba = np.dstack([rgb, alpha])
    assert np.array_equal(lineart.normalize(rgba), ink)


def test_blank_and_tiny_images() -> None:
    assert np.array_equal(lineart.normalize(np.full((8, 8), 255, np.uint8)), np.zeros((8, 8)))
    assert lineart.normalize(np.zeros((1, 1), np.uint8)).shape == (1, 1)


@pytest.mark.parametrize(
    ("image", "alpha"),
    [
        (np.zeros(5, np.uint8), None),
        (np.zeros((4, 4, 2), np.uint8), None),
        (np.zeros((4, 4), np.int32), None),
        (np.zeros((0, 4), np.uint8), None),
        (np.zeros((4, 4), np.uint8), np.zeros((3, 4), np.uint8)),
    ],
    ids=["1-d", "two-channels", "int32", "zero-size", "alpha-shape"],
)
def test_bad_arrays_raise_value_error(image: np.ndarray, alpha: np.ndarray | None) -> None:
    with pytest.raises(ValueError):
        lineart.normalize(image, alpha)


def test_line_mask_thresholds_ink() -> None:
    ink = np.array([[0.0, 0.34, 0.35, 1.0]], np.float32)
    assert lineart.line_mask(ink).tolist() == [[False, False, True, True]]
    assert lineart.line_mask(ink, threshold=0.1).tolist() == [[False, True, True, True]]
    assert lineart.line_mask(ink).dtype == np.bool_


def test_lineart_layer_is_black_with_ink_alpha() -> None:
    ink = np.array([[0.0, 0.5, 1.0], [0.2, 1.3, -0.1]], np.float32)
    layer = lineart.lineart_layer(ink)
    assert layer.dtype == np.uint8 and layer.shape == (2, 3, 4)
    assert not layer[:, :, :3].any()
    assert layer[:, :, 3].tolist() == [[0, 128, 255], [51, 255, 0]]
    with pytest.raises(ValueError):
        lineart.lineart_layer(np.zeros((2, 2, 1), np.float32))


def test_ink_to_grey_rounds_and_normalize_reads_it_back() -> None:
    ink = np.array([[0.0, 1.0, 0.5, 0.25], [-0.1, 1.2, 0.999, 0.001]], np.float32)
    grey = lineart.ink_to_grey(ink)
    assert grey.dtype == np.uint8
    assert grey.tolist() == [[255, 0, 128, 191], [255, 0, 0, 255]]
    # a uint8 page stored as float (v / 255) comes back as exactly its grey, never one less
    page = np.arange(256, dtype=np.uint8).reshape(16, 16)
    assert np.array_equal(lineart.ink_to_grey(page.astype(np.float32) / np.float32(255)),
                          255 - page)
    with pytest.raises(ValueError):
        lineart.ink_to_grey(np.zeros((2, 2, 3), np.float32))
