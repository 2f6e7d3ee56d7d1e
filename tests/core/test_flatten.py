"""Flats: dots exact, latest dot wins, draft squares, propagation through paper only, medians."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from paintassist.core.flatten import (
    GUESS_TINT,
    classical_palette,
    paint,
    palette_from_color,
    split_by_dots,
    trim_reaches,
)
from paintassist.core.regions import RegionMap, segment
from paintassist.core.types import Hint, HintSet

RED = (220, 30, 40)
BLUE = (30, 60, 200)
GREEN = (40, 180, 60)


def _dot(x: float, y: float, rgb: tuple[int, int, int]) -> Hint:
    return Hint("accurate", x, y, rgb, 3.0)


def _two_circles() -> RegionMap:
    """Background, a circle A (centre 60,60) and a circle B (centre 180,60), closed outlines."""
    ink = np.zeros((120, 240), np.float32)
    cv2.circle(ink, (60, 60), 40, 1.0, 2, cv2.LINE_AA)
    cv2.circle(ink, (180, 60), 40, 1.0, 2, cv2.LINE_AA)
    return segment(ink)


def test_no_hints_is_white() -> None:
    regmap = _two_circles()
    flats = paint(regmap, classical_palette(regmap, HintSet()))
    assert (flats == 255).all()


def test_dot_colour_is_exact_in_its_region() -> None:
    regmap = _two_circles()
    palette = classical_palette(regmap, HintSet((_dot(60, 60, RED),)))
    flats = paint(regmap, palette)
    region = regmap.labels == regmap.labels[60, 60]
    assert (flats[region] == RED).all()
    # the background keeps its paper white; the other circle gets a guess, never the background
    assert tuple(flats[5, 5]) == (255, 255, 255)


def test_latest_dot_wins() -> None:
    regmap = _two_circles()
    hints = HintSet((_dot(60, 60, RED), _dot(70, 50, BLUE)))
    flats = paint(regmap, classical_palette(regmap, hints))
    assert tuple(flats[60, 60]) == BLUE
    flats2 = paint(regmap, palette_from_color(regmap, np.zeros((120, 240, 3), np.uint8), hints))
    assert tuple(flats2[60, 60]) == BLUE


def test_draft_square_colours_the_region_it_covers() -> None:
    regmap = _two_circles()
    square = Hint("draft", 180, 60, GREEN, 60.0)  # covers ~36 % of circle B
    dot = _dot(60, 60, RED)
    flats = paint(regmap, classical_palette(regmap, HintSet((square, dot))))
    assert tuple(flats[60, 180]) == GREEN
    assert tuple(flats[60, 60]) == RED
    # a dot beats a square in the same region, whatever the order
    flats = paint(regmap, classical_palette(regmap, HintSet((_dot(180, 60, RED), square))))
    assert tuple(flats[60, 180]) == RED


def test_small_square_off_centre_does_not_colour_a_big_region() -> None:
    regmap = _two_circles()
    square = Hint("draft", 60, 60, GREEN, 8.0)  # centre in A, covers a corner of nothing else
    flats = paint(regmap, classical_palette(regmap, HintSet((square,))))
    assert tuple(flats[60, 60]) == GREEN
    assert tuple(flats[5, 5]) == (255, 255, 255)


def _room_with_gap(gap: int) -> RegionMap:
    """A wall splitting the page into left and right rooms, with a ``gap`` in it; and a closed
    box in the right room."""
    ink = np.zeros((120, 240), np.float32)
    ink[:, 118:121] = 1.0
    ink[58 : 58 + gap, 118:121] = 0.0
    cv2.rectangle(ink, (170, 20), (220, 100), 1.0, 2)
    return segment(ink, gap_px=6)


def test_colour_propagates_through_open_paper_not_through_a_closed_gap() -> None:
    regmap = _room_with_gap(4)  # gap closed: left and right rooms are two regions
    assert regmap.labels[10, 10] != regmap.labels[10, 150]
    # paint the box, dot the left room: the right room is reached only through the closed gap
    hints = HintSet((_dot(20, 60, RED), _dot(195, 60, BLUE)))
    flats = paint(regmap, classical_palette(regmap, hints))
    assert tuple(flats[60, 195]) == BLUE
    assert tuple(flats[10, 10]) == RED
    # the right room is an unhinted neighbour through paper (the closed gap) of the left room: it
    # may take RED by propagation, but it must never take BLUE from across the box's line
    assert tuple(flats[10, 150]) != BLUE
    # region split by a neck (not a line): the user's gap setting closes it, so the other side is
    # another area, left as paper (it is open to the page); a gap wider than the setting is not
    ink = np.zeros((120, 240), np.float32)
    ink[:50, 118:121] = 1.0
    ink[54:, 118:121] = 1.0  # 4-px neck, closed at gap 6: two regions, one paper area
    regmap = segment(ink, gap_px=6)
    assert regmap.labels[10, 200] != regmap.labels[10, 10]
    flats = paint(regmap, classical_palette(regmap, HintSet((_dot(20, 60, RED),))))
    assert tuple(flats[10, 200]) == (255, 255, 255)
    wide = segment(ink, gap_px=2, max_gap_px=2)  # the 4-px neck stays open
    flats = paint(wide, classical_palette(wide, HintSet((_dot(20, 60, RED),))))
    assert tuple(flats[10, 200]) == RED


def test_no_colour_through_a_closed_line() -> None:
    ink = np.zeros((120, 240), np.float32)
    ink[:, 118:121] = 1.0  # unbroken wall
    regmap = segment(ink)
    left, right = regmap.labels[60, 20], regmap.labels[60, 200]
    assert left != right
    palette = classical_palette(regmap, HintSet((_dot(20, 60, RED), _dot(200, 60, BLUE))))
    assert tuple(palette[left]) == RED and tuple(palette[right]) == BLUE


def test_unhinted_region_gets_nearest_colour_across_lines() -> None:
    ink = np.zeros((400, 800), np.float32)  # three boxes side by side, small parts of the page
    cv2.rectangle(ink, (10, 10), (290, 90), 1.0, 2)
    cv2.line(ink, (100, 10), (100, 90), 1.0, 2)
    cv2.line(ink, (200, 10), (200, 90), 1.0, 2)
    cv2.rectangle(ink, (400, 10), (480, 90), 1.0, 2)  # and one apart, across the page
    regmap = segment(ink)
    hints = HintSet((_dot(50, 50, RED), _dot(250, 50, BLUE)))
    flats = paint(regmap, classical_palette(regmap, hints))
    # a guess, but coloured: a pale tint of one neighbour's colour
    tints = [
        tuple(round(c * GUESS_TINT + 255 * (1 - GUESS_TINT)) for c in rgb) for rgb in (RED, BLUE)
    ]
    assert tuple(flats[50, 150]) in tints
    assert tuple(flats[3, 3]) == (255, 255, 255)  # background stays paper
    assert tuple(flats[50, 440]) == (255, 255, 255)  # no dot's area beside it: no guess
    # a big enclosed area no hint reaches (here a box of a quarter of the page) is no guess
    big = np.zeros((100, 300), np.float32)
    cv2.rectangle(big, (10, 10), (290, 90), 1.0, 2)
    cv2.line(big, (100, 10), (100, 90), 1.0, 2)
    cv2.line(big, (200, 10), (200, 90), 1.0, 2)
    regmap = segment(big)
    flats = paint(regmap, classical_palette(regmap, hints))
    assert tuple(flats[50, 150]) == (255, 255, 255)


def test_palette_from_color_is_robust_to_outliers() -> None:
    regmap = _two_circles()
    color = np.full((120, 240, 3), 200, np.uint8)
    color[30:90, 150:210] = (10, 120, 30)
    rng = np.random.default_rng(0)
    ys, xs = rng.integers(40, 80, 30), rng.integers(160, 200, 30)
    color[ys, xs] = (255, 0, 255)  # a few wild pixels inside circle B
    palette = palette_from_color(regmap, color, HintSet())
    assert tuple(palette[regmap.labels[60, 180]]) == (10, 120, 30)
    dot = _dot(60, 60, RED)
    palette = palette_from_color(regmap, color, HintSet((dot,)))
    assert tuple(palette[regmap.labels[60, 60]]) == RED


def test_shape_errors() -> None:
    regmap = _two_circles()
    with pytest.raises(ValueError, match="does not match"):
        palette_from_color(regmap, np.zeros((10, 10, 3), np.uint8), HintSet())
    with pytest.raises(ValueError, match="palette"):
        paint(regmap, np.zeros((regmap.count + 1, 3), np.uint8))


def test_hint_outside_the_image_is_ignored() -> None:
    regmap = _two_circles()
    flats = paint(regmap, classical_palette(regmap, HintSet((_dot(-50, 500, RED),))))
    assert (flats == 255).all()


def _open_room() -> RegionMap:
    """One big region (an open stroke does not close it) around a closed circle."""
    ink = np.zeros((120, 240), np.float32)
    ink[30:90, 118:121] = 1.0  # an open stroke in the middle of the paper
    cv2.circle(ink, (200, 60), 15, 1.0, 2)
    return segment(ink)


def test_split_by_dots_keeps_far_apart_dots_of_different_colours() -> None:
    regmap = _open_room()
    assert regmap.labels[60, 20] == regmap.labels[60, 150]
    hints = HintSet((_dot(20, 60, RED), _dot(150, 60, BLUE)))
    split = split_by_dots(regmap, hints)
    assert split.count == regmap.count + 2  # the room is the page: each dot's reach is a cell
    flats = paint(split, classical_palette(split, hints))
    assert tuple(flats[60, 20]) == RED and tuple(flats[60, 150]) == BLUE
    assert tuple(flats[60, 200]) != (255, 255, 255)  # the circle still gets a guess
    # the cells grow through paper around the stroke's end, not across the stroke
    assert tuple(flats[60, 112]) == RED and tuple(flats[60, 126]) == BLUE
    # every new cell stays inside the region it came from
    inside = split.labels[regmap.labels == regmap.labels[60, 20]]
    assert {regmap.count, regmap.count + 1} <= set(np.unique(inside).tolist()) <= {
        regmap.labels[60, 20], regmap.count, regmap.count + 1}
    assert (
        split.labels[regmap.labels != regmap.labels[60, 20]]
        == regmap.labels[regmap.labels != regmap.labels[60, 20]]
    ).all()


def test_split_by_dots_gives_close_or_same_colour_dots_one_cell() -> None:
    regmap = _open_room()
    near = HintSet((_dot(20, 60, RED), _dot(25, 62, BLUE)))  # a re-colouring: latest wins
    split = split_by_dots(regmap, near)
    assert split.count == regmap.count + 1
    same = HintSet((_dot(20, 60, RED), _dot(150, 60, RED)))
    assert split_by_dots(regmap, same).count == regmap.count + 1
    flats = paint(split, classical_palette(split, near))
    assert tuple(flats[60, 150]) == BLUE and tuple(flats[60, 20]) == BLUE


def test_split_by_dots_inside_a_closed_region_leaves_close_dots_alone() -> None:
    ink = np.zeros((120, 240), np.float32)
    cv2.rectangle(ink, (10, 10), (230, 110), 1.0, 2)
    ink[30:90, 118:121] = 1.0  # an open stroke inside the closed frame
    regmap = segment(ink)
    near = HintSet((_dot(40, 60, RED), _dot(45, 62, BLUE)))
    assert split_by_dots(regmap, near) is regmap


@pytest.mark.parametrize("k", [1, 4])  # 4: past CELLS_HALF_PX, the parts found at half size
def test_a_dot_on_an_open_face_colours_the_face_not_the_page(k: int) -> None:
    """A face whose outline is open 14 px wide is, at every gap scale, the page; a dot on it
    colours the face's paper (inside the figure) and the page round it stays paper."""
    ink = np.zeros((300 * k, 400 * k), np.float32)
    cv2.circle(ink, (200 * k, 150 * k), 80 * k, 1.0, 3 * k)
    ink[(150 - 7) * k:(150 + 7) * k, 112 * k:130 * k] = 0.0  # the left of the outline is open
    cv2.line(ink, (200 * k, 230 * k), (200 * k, 298 * k), 1.0, 3 * k)  # a neck to the bottom
    regmap = segment(ink)
    assert regmap.page_background[regmap.labels[150 * k, 200 * k]], "the face must be open"
    hints = HintSet((_dot(200 * k, 150 * k, RED),))
    split = split_by_dots(regmap, hints)
    flats = paint(split, classical_palette(split, hints))
    assert tuple(flats[150 * k, 200 * k]) == RED and tuple(flats[100 * k, 180 * k]) == RED
    for y, x in ((10, 10), (150, 20), (150, 380)):
        assert (flats[y * k, x * k] == 255).all()


class _CountingCache:
    """A dict with get_or_make that counts how often it had to make a value."""

    def __init__(self) -> None:
        self.data: dict[object, object] = {}
        self.made = 0

    def get_or_make(self, key, make):  # type: ignore[no-untyped-def]
        if key not in self.data:
            self.made += 1
            self.data[key] = make()
        return self.data[key]


def test_split_by_dots_with_a_cache_agrees_and_regrows_only_the_edited_region() -> None:
    ink = np.zeros((120, 240), np.float32)
    ink[:, 118:121] = 1.0  # a wall: two open rooms, each with an open stroke in it
    ink[30:90, 58:60] = 1.0
    ink[30:90, 178:180] = 1.0
    regmap = segment(ink)
    left = (_dot(20, 60, RED), _dot(100, 60, BLUE))
    right = [_dot(140, 60, RED), _dot(220, 60, BLUE)]
    cache = _CountingCache()
    first = split_by_dots(regmap, HintSet((*left, *right)), cache=cache, cache_key="page")
    assert cache.made == 3  # the page's parts, then one watershed per split room
    assert np.array_equal(first.labels, split_by_dots(regmap, HintSet((*left, *right))).labels)
    right[1] = _dot(210, 70, BLUE)  # the artist moves a dot in the right room
    moved = HintSet((*left, *right))
    second = split_by_dots(regmap, moved, cache=cache, cache_key="page")
    assert cache.made == 4  # the parts and the left room's cells came from the cache
    assert np.array_equal(second.labels, split_by_dots(regmap, moved).labels)
    split_by_dots(regmap, moved, cache=cache, cache_key="other map")
    assert cache.made == 7  # another region map never reuses this one's


def test_dot_in_a_merged_speck_does_not_colour_across_its_outline() -> None:
    ink = np.zeros((100, 100), np.float32)
    cv2.rectangle(ink, (40, 40), (44, 44), 1.0, 1)  # a 3x3 paper speck, merged into the paper
    regmap = segment(ink, min_region_px=24)
    assert regmap.count == 1
    hints = HintSet((_dot(10, 10, BLUE), _dot(42, 42, RED)))  # the speck's dot comes last
    flats = paint(regmap, classical_palette(regmap, hints))
    assert tuple(flats[10, 10]) == BLUE
    # alone it colours nothing: its colour would cross the speck's closed outline
    alone = paint(regmap, classical_palette(regmap, HintSet((_dot(42, 42, RED),))))
    assert (alone == 255).all()


def test_palette_from_color_snaps_light_grey_to_paper_but_keeps_dots() -> None:
    ink = np.zeros((40, 80), np.float32)
    ink[:, 39:41] = 1.0  # two halves
    regmap = segment(ink, gap_px=0, min_region_px=1)
    color = np.full((40, 80, 3), 215, np.uint8)  # a network's unsure light-grey wash
    color[:, 41:] = (200, 120, 90)  # a real colour on the right
    # both halves touch the page border over its whole height: both are page background, which
    # keep_background whitens anyway; paper_snap is what is looked at here
    palette = palette_from_color(regmap, color, HintSet(), paper_snap=True, keep_background=False)
    no_snap = palette_from_color(regmap, color, HintSet(), keep_background=False)
    assert tuple(no_snap[regmap.labels[20, 10]]) == (
        215,
        215,
        215,
    )
    left, right = regmap.labels[20, 10], regmap.labels[20, 70]
    assert tuple(palette[left]) == (255, 255, 255)
    assert tuple(palette[right]) == (200, 120, 90)
    dotted = palette_from_color(
        regmap, color, HintSet((Hint("accurate", 10, 20, (215, 215, 215)),)), paper_snap=True,
        keep_background=False,
    )
    assert tuple(dotted[left]) == (215, 215, 215)  # a dot is law, even a grey one


def test_palette_from_color_keeps_unhinted_background_paper() -> None:
    ink = np.zeros((60, 60), np.float32)
    cv2.circle(ink, (30, 30), 12, 1.0, 2)
    regmap = segment(ink, gap_px=0, min_region_px=1)
    color = np.full((60, 60, 3), (180, 120, 200), np.uint8)  # the network tinted everything
    bg, inside = regmap.labels[2, 2], regmap.labels[30, 30]
    assert bg == regmap.background
    palette = palette_from_color(regmap, color, HintSet())
    assert tuple(palette[bg]) == (255, 255, 255)
    assert tuple(palette[inside]) == (180, 120, 200)
    hinted = palette_from_color(regmap, color, HintSet((Hint("draft", 3, 3, (9, 9, 9), 4),)))
    assert tuple(hinted[bg]) == (9, 9, 9)  # a draft square in the background decides it


def test_palette_from_color_hints_decide_their_whole_closed_area() -> None:
    """A dot colours every region joined to its own through paper (a closed area that the
    segmentation cut in parts); the network's colour only fills what no hint decides."""
    ink = np.zeros((60, 120), np.float32)
    ink[:, 60:62] = 1.0  # one closed line: left | right
    ink[10:50, 30] = 1.0  # a floating stroke inside the left area: joined below and above it
    regmap = segment(ink, gap_px=0, min_region_px=1)
    color = np.full((60, 120, 3), (40, 160, 90), np.uint8)
    palette = palette_from_color(
        regmap, color, HintSet((Hint("accurate", 10, 30, (200, 30, 30)),)), keep_background=False
    )
    flats = palette[regmap.labels]
    left = ~regmap.line_mask & (np.arange(120) < 60)[None, :]
    assert (flats[left] == (200, 30, 30)).all()
    right = ~regmap.line_mask & (np.arange(120) > 62)[None, :]
    assert (flats[right] == (40, 160, 90)).all()  # across the line: the network's colour


def test_chroma_gain_scales_network_colours_never_hints() -> None:
    ink = np.zeros((40, 80), np.float32)
    ink[:, 40:42] = 1.0
    regmap = segment(ink, gap_px=0, min_region_px=1)
    color = np.full((40, 80, 3), (150, 120, 100), np.uint8)
    hints = HintSet((Hint("accurate", 10, 20, (150, 120, 100)),))
    plain = palette_from_color(regmap, color, hints, keep_background=False)
    vivid = palette_from_color(regmap, color, hints, keep_background=False, chroma_gain=2.0)
    left, right = regmap.labels[20, 10], regmap.labels[20, 70]
    assert tuple(vivid[left]) == tuple(plain[left]) == (150, 120, 100)  # the dot is exact
    spread_plain = int(plain[right].max()) - int(plain[right].min())
    spread_vivid = int(vivid[right].max()) - int(vivid[right].min())
    assert spread_vivid > 1.6 * spread_plain  # more saturated, same lightness
    assert (
        abs(
            int(vivid[right].astype(int) @ (30, 59, 11))
            - int(plain[right].astype(int) @ (30, 59, 11))
        )
        < 600
    )


def _brute_clusters(dots: list[Hint], merge_px: float) -> list[tuple[int, ...]]:
    """The old all-pairs grouping, as the reference."""
    parent = list(range(len(dots)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(dots)):
        for j in range(i + 1, len(dots)):
            a, b = dots[i], dots[j]
            if a.rgb == b.rgb or np.hypot(a.x - b.x, a.y - b.y) < merge_px:
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(dots)):
        groups.setdefault(find(i), []).append(i)
    return sorted(tuple(g) for g in groups.values())


def test_dot_grouping_equals_all_pairs_on_random_repeated_and_collinear_dots() -> None:
    from paintassist.core.flatten import _dot_clusters

    rng = np.random.default_rng(0)
    for trial in range(120):
        n = int(rng.integers(1, 50))
        xy = (
            rng.integers(0, 30, (n, 2)).astype(float)
            if trial % 3 == 0
            else rng.uniform(0, 200, (n, 2))
        )
        if trial % 5 == 0:
            xy[:, 1] = 7.0  # all on one line
        colours = rng.integers(0, n + 1, n)
        dots = [
            Hint("accurate", float(x), float(y), (int(c), 0, 0), 3)
            for (x, y), c in zip(xy, colours, strict=True)
        ]
        merge = float(rng.uniform(1, 40))
        assert sorted(tuple(g) for g in _dot_clusters(dots, merge)) == _brute_clusters(dots, merge)


def test_dot_grouping_measures_a_linear_number_of_distances(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from paintassist.core import flatten

    calls = 0
    real = np.hypot

    def counting(*args: object) -> object:
        nonlocal calls
        calls += 1
        return real(*args)  # type: ignore[call-overload]

    monkeypatch.setattr(flatten.np, "hypot", counting)
    rng = np.random.default_rng(1)
    n = 3000
    dots = [
        Hint("accurate", float(x), float(y), (i % 9, 0, 0), 3)
        for i, (x, y) in enumerate(rng.uniform(0, 2000, (n, 2)))
    ]
    flatten._dot_clusters(dots, 24.0)
    assert calls <= 3 * n  # a triangulation has < 3n edges; all pairs would be 4.5 million


def test_big_regions_split_at_half_size_agree_with_the_full_size_cells() -> None:
    from paintassist.core import flatten

    h, w = 1100, 1000  # above CELLS_HALF_PX
    mask = np.ones((h, w), bool)
    mask[:, 700:703] = False  # a wall with a door
    mask[500:560, 700:703] = True
    line = np.zeros((h, w), bool)
    line[200:900, 300] = True  # an open stroke inside the region steers the border
    seeds = [[(100, 100)], [(800, 150)], [(550, 900)]]
    half = flatten._geodesic_cells(mask, line, seeds)
    full = flatten._cells(mask, line, seeds)
    assert h * w > flatten.CELLS_HALF_PX
    assert (half[~mask] == -1).all() and (half[mask] >= 0).all()
    for k, ((r, c),) in enumerate(seeds):
        assert half[r, c] == k
    assert np.mean(half[mask] == full[mask]) > 0.99


def test_page_reaches_get_ids_past_many_regions() -> None:
    """The reach cells' ids follow the map's own: past 127 regions too (the cells are int8)."""
    ink = np.zeros((260, 260), np.float32)
    for i in range(13):
        for j in range(13):
            cv2.rectangle(ink, (10 + 19 * i, 10 + 19 * j), (22 + 19 * i, 22 + 19 * j), 1.0, 1)
    regmap = segment(ink, min_region_px=4)
    assert regmap.count > 130
    hints = HintSet((_dot(2, 2, RED), _dot(257, 257, BLUE)))
    split = split_by_dots(regmap, hints)
    assert split.count == regmap.count + 2
    flats = paint(split, classical_palette(split, hints))
    assert tuple(flats[2, 2]) == RED and tuple(flats[257, 257]) == BLUE


def _knight() -> tuple[np.ndarray, np.ndarray]:
    """A figure drawn in strokes so broken that its paper is the page outside any interior (two
    far-apart parallel strokes), and what a network paints given a red dot between them: red
    between the strokes, white paper beyond. Returns (ink, colour uint8 (H, W, 3))."""
    ink = np.zeros((200, 300), np.float32)
    ink[40:160, 80:82] = 1.0
    ink[40:160, 218:220] = 1.0
    colour = np.full((200, 300, 3), 255, np.uint8)
    colour[45:155, 84:216] = (200, 40, 50)  # the network's spread of the dot, a bit lighter
    return ink, colour


def test_trim_reaches_keeps_a_page_dot_where_the_network_spread_it() -> None:
    ink, colour = _knight()
    regmap = segment(ink)
    hints = HintSet((_dot(150, 100, RED),))
    split = split_by_dots(regmap, hints)
    assert split.page_background[split.labels[100, 150]]  # the dot is on the page
    before = paint(split, classical_palette(split, hints))
    assert (before[10, 10] == RED).all()  # geometry alone: the whole page
    trimmed, cut = trim_reaches(split, hints, colour)
    assert cut == [hints.accurate[0]]  # most of its reach went: the app says so
    flats = paint(trimmed, palette_from_color(trimmed, colour, hints))
    assert (flats[100, 150] == RED).all() and (flats[50, 100] == RED).all()
    assert (flats[10, 10] == 255).all() and (flats[100, 40] == 255).all()
    assert (flats[100, 260] == 255).all()


def test_trim_reaches_leaves_reaches_inside_the_figure() -> None:
    ink = np.zeros((300, 400), np.float32)
    cv2.circle(ink, (200, 150), 80, 1.0, 3)
    ink[143:157, 112:130] = 0.0  # open, but inside the figure
    regmap = segment(ink)
    hints = HintSet((_dot(200, 150, RED),))
    split = split_by_dots(regmap, hints)
    white = np.full((300, 400, 3), 255, np.uint8)  # a network that spread nothing
    trimmed, cut = trim_reaches(split, hints, white)
    assert trimmed is split and cut == []


def test_trim_reaches_keeps_every_dot_of_a_reach() -> None:
    """Two dots of one colour in one reach: the network spread each; both keep their colour."""
    ink, colour = _knight()
    colour[45:155, 84:216] = 255
    colour[50:90, 90:140] = (200, 40, 50)
    colour[110:150, 160:210] = (200, 40, 50)
    regmap = segment(ink)
    hints = HintSet((_dot(110, 70, RED), _dot(185, 130, RED)))
    trimmed, _ = trim_reaches(split_by_dots(regmap, hints), hints, colour)
    flats = paint(trimmed, palette_from_color(trimmed, colour, hints))
    assert (flats[70, 110] == RED).all() and (flats[130, 185] == RED).all()
    assert (flats[100, 150] == 255).all()


def test_trim_reaches_leaves_a_paper_dot_its_whole_reach() -> None:
    """A white dot on the page says "paper here": the page stays paper whatever the net paints."""
    ink, colour = _knight()
    colour[:] = (150, 150, 150)  # a network washing the page grey
    regmap = segment(ink)
    hints = HintSet((_dot(30, 100, (255, 255, 255)),))
    split = split_by_dots(regmap, hints)
    trimmed, cut = trim_reaches(split, hints, colour)
    assert trimmed is split and cut == []


def test_scale_chroma_fades_out_towards_saturated_colours() -> None:
    from paintassist.core.flatten import scale_chroma

    def chroma(rgb: np.ndarray) -> np.ndarray:
        lab = cv2.cvtColor(rgb.reshape(-1, 1, 3).astype(np.float32) / 255.0, cv2.COLOR_RGB2LAB)
        return np.hypot(lab[:, 0, 1], lab[:, 0, 2])

    palette = np.array([[200, 185, 160], [230, 30, 40], [128, 128, 128]], np.uint8)
    before = chroma(palette)
    after = chroma(scale_chroma(palette, 1.3, fade=40.0))
    assert before[0] < 20 and after[0] / before[0] > 1.1  # a beige gains
    assert before[1] > 40 and abs(after[1] - before[1]) < 1.0  # a saturated red is left alone
    assert after[2] < 1.0  # grey stays grey
    assert scale_chroma(palette[:0], 1.3, fade=40.0).shape == (0, 3)
