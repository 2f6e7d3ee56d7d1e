"""The light pass: surface estimate, the two layers, and the light settings' text/JSON forms."""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np
import pytest

from paintassist.core import layers, lighting
from paintassist.core.errors import InputError
from paintassist.core.lighting import (
    LightSettingsError,
    estimate_shape,
    light_from_dict,
    light_to_dict,
    parse_light_spec,
    render_light,
)
from paintassist.core.shape import UNLIT_INDEX
from paintassist.core.types import LightSettings

LIGHT = LightSettings(enabled=True, azimuth_deg=180.0, elevation_deg=35.0, intensity=1.0)


@dataclass(frozen=True)
class _Regions:
    """Stand-in for regions.RegionMap: labels int32 (H, W), line_mask bool (H, W)."""

    labels: np.ndarray
    line_mask: np.ndarray
    count: int
    background: int


def _regions(lines: np.ndarray) -> _Regions:
    """Regions of a drawing given as a bool line mask: 4-connected paper components; line pixels
    join the nearest paper region; background = the component at (0, 0)."""
    count, labels = cv2.connectedComponents((~lines).astype(np.uint8), connectivity=4)
    labels = labels - 1  # lines → -1, regions 0..count-2
    _, nearest = cv2.distanceTransformWithLabels(
        np.where(lines, 255, 0).astype(np.uint8), cv2.DIST_L2, 5,
        labelType=cv2.DIST_LABEL_PIXEL,
    )
    paper = labels[~lines]
    labels[lines] = paper[nearest[lines] - 1]
    return _Regions(labels.astype(np.int32), lines, count - 1, int(labels[0, 0]))


def _disc(size: int = 96, radius: int = 34) -> _Regions:
    img = np.zeros((size, size), np.uint8)
    cv2.circle(img, (size // 2, size // 2), radius, 255, 2)
    return _regions(img > 0)


def _flats(regmap: _Regions) -> np.ndarray:
    palette = np.array([[255, 255, 255], [230, 180, 150], [120, 160, 220], [200, 200, 120]],
                       np.uint8)
    return palette[regmap.labels % len(palette)]


# -- the surface -----------------------------------------------------------------------------------
def test_disc_bulges_like_a_sphere() -> None:
    regmap = _disc()
    shape = estimate_shape(regmap)
    n = shape.normals()
    assert shape.index.dtype == np.uint16 and shape.index.shape == (96, 96)
    assert n[48, 48, 2] > 0.95  # frontal in the middle
    right, left, top, bottom = n[48, 78], n[48, 18], n[18, 48], n[78, 48]
    assert right[0] > 0.5 and left[0] < -0.5  # outward near the outline (x right)
    assert top[1] < -0.5 and bottom[1] > 0.5  # (y down)
    np.testing.assert_allclose(np.linalg.norm(n[30:66, 30:66], axis=2), 1.0, atol=0.02)


def test_thin_and_wide_strips_both_wrap() -> None:
    """The profile follows the local width, so a hair-thin strand tilts as much near its edge as a
    wide one does (relative to width), and both are frontal along their middle."""
    lines = np.zeros((120, 160), bool)
    for x in (20, 32, 80, 140):  # a 11-px strip and a 59-px strip between vertical lines
        lines[:, x : x + 2] = True
    shape = estimate_shape(_regions(lines))
    nx = shape.normals()[60, :, 0]
    thin_mid, wide_mid = nx[27], nx[111]
    assert abs(thin_mid) < 0.25 and abs(wide_mid) < 0.25
    # a quarter-width from the right edge of each strip: tilted right, by a similar amount
    thin_q, wide_q = nx[29], nx[125]
    assert thin_q > 0.3 and wide_q > 0.3
    assert abs(thin_q - wide_q) < 0.35


def test_background_and_marked_regions_are_unlit() -> None:
    regmap = _disc()
    shape = estimate_shape(regmap)
    assert (shape.index[regmap.labels == regmap.background] == UNLIT_INDEX).all()
    assert shape.lit[48, 48]
    inside = int(regmap.labels[48, 48])
    assert not estimate_shape(regmap, unlit={inside}).lit.any()


def test_bad_region_map_is_rejected() -> None:
    bad = _Regions(np.zeros((4, 4), np.int32), np.zeros((4, 5), bool), 1, -1)
    with pytest.raises(ValueError, match=r"one \(H, W\) shape"):
        estimate_shape(bad)


def test_blank_page_is_frontal() -> None:
    blank = _Regions(np.zeros((32, 32), np.int32), np.zeros((32, 32), bool), 1, -1)
    n = estimate_shape(blank).normals()
    np.testing.assert_allclose(n[..., 2], 1.0, atol=1e-3)


# -- the layers ------------------------------------------------------------------------------------
def test_layers_have_the_sketch_size_and_are_uint8() -> None:
    regmap = _disc(80, 30)
    lit, shadow = render_light(estimate_shape(regmap), _flats(regmap), LIGHT)
    assert lit.shape == shadow.shape == (80, 80, 3)
    assert lit.dtype == shadow.dtype == np.uint8
    assert lit.flags.c_contiguous and shadow.flags.c_contiguous


@pytest.mark.parametrize("azimuth", [180.0, 0.0, 135.0, 300.0])
def test_lit_side_flips_when_the_light_turns_half_round(azimuth: float) -> None:
    regmap = _disc()
    shape = estimate_shape(regmap)
    base = _flats(regmap)
    inside = regmap.labels == regmap.labels[48, 48]
    rad = np.radians(azimuth)
    toward = np.array([np.cos(rad), -np.sin(rad)])  # image x right, y down

    def lit_minus_dark(settings: LightSettings) -> tuple[float, float]:
        lit, shadow = render_light(shape, base, settings)
        ys, xs = np.nonzero(inside)
        side = (xs - 48) * toward[0] + (ys - 48) * toward[1]
        near, far = side > 8, side < -8
        light = lit.astype(float).sum(axis=2)[ys, xs]
        shade = shadow.astype(float).sum(axis=2)[ys, xs]
        return light[near].mean() - light[far].mean(), shade[near].mean() - shade[far].mean()

    light_gap, shadow_gap = lit_minus_dark(replace(LIGHT, azimuth_deg=azimuth))
    assert light_gap > 5 and shadow_gap > 5  # brighter highlights, whiter (weaker) shadow
    light_gap, shadow_gap = lit_minus_dark(replace(LIGHT, azimuth_deg=azimuth + 180.0))
    assert light_gap < -5 and shadow_gap < -5


def test_light_turns_with_the_azimuth() -> None:
    """As the dial turns, the lit side turns with it: the lighting layer's centroid on a disc points
    toward the light and the shadow's centroid away from it, within a few degrees, all round."""
    regmap = _disc()
    shape = estimate_shape(regmap)
    base = _flats(regmap)
    ys, xs = np.mgrid[0:96, 0:96]
    dx, dy = xs - 48.0, 48.0 - ys  # y up, as the dial's angles are

    def bearing(weight: np.ndarray) -> float:
        return float(np.degrees(np.arctan2((weight * dy).sum(), (weight * dx).sum())))

    def off(a: float, b: float) -> float:
        return abs((a - b + 180.0) % 360.0 - 180.0)

    for az in range(0, 360, 30):
        lit, shadow = render_light(shape, base, replace(LIGHT, azimuth_deg=float(az)))
        assert off(bearing(lit.astype(float).sum(axis=2)), az) < 8
        assert off(bearing((255.0 - shadow).sum(axis=2)), az + 180) < 8


def test_light_from_the_top_lights_the_top() -> None:
    regmap = _disc()
    lit, shadow = render_light(estimate_shape(regmap), _flats(regmap),
                               replace(LIGHT, azimuth_deg=90.0))
    assert lit[14:48].astype(float).mean() > lit[48:82].astype(float).mean() + 3
    assert shadow[14:48].astype(float).mean() > shadow[48:82].astype(float).mean() + 3


def test_intensity_zero_gives_empty_layers() -> None:
    regmap = _disc()
    lit, shadow = render_light(estimate_shape(regmap), _flats(regmap),
                               replace(LIGHT, intensity=0.0))
    assert (lit == 0).all() and (shadow == 255).all()


def test_stronger_light_and_less_ambient_give_deeper_layers() -> None:
    regmap = _disc()
    shape = estimate_shape(regmap)
    base = _flats(regmap)
    weak_lit, weak_sh = render_light(shape, base, replace(LIGHT, intensity=0.4))
    strong_lit, strong_sh = render_light(shape, base, replace(LIGHT, intensity=1.2))
    assert (strong_lit >= weak_lit).all() and strong_lit.sum() > weak_lit.sum()
    assert (strong_sh <= weak_sh).all() and strong_sh.sum() < weak_sh.sum()
    _, ambient_sh = render_light(shape, base, replace(LIGHT, ambient=0.9))
    _, dark_sh = render_light(shape, base, replace(LIGHT, ambient=0.0))
    assert ambient_sh.sum() > dark_sh.sum()


def test_balance_keeps_only_shadows_or_only_highlights() -> None:
    regmap = _disc()
    shape = estimate_shape(regmap)
    base = _flats(regmap)
    lit, shadow = render_light(shape, base, replace(LIGHT, balance=-1.0))
    assert (lit == 0).all() and (shadow < 250).any()
    lit, shadow = render_light(shape, base, replace(LIGHT, balance=1.0))
    assert (shadow == 255).all() and (lit > 5).any()


def test_background_stays_unlit() -> None:
    regmap = _disc()
    lit, shadow = render_light(estimate_shape(regmap), _flats(regmap),
                               replace(LIGHT, intensity=2.0, ambient=0.0))
    bg = regmap.labels == regmap.background
    assert (lit[bg] == 0).all() and (shadow[bg] == 255).all()
    assert (lit[~bg] > 0).any() and (shadow[~bg] < 255).any()


def test_regions_marked_at_render_time_stay_unlit() -> None:
    """The artist can switch a region off without a new shape (render_light's ``unlit``)."""
    lines = np.zeros((64, 96), bool)
    lines[:, 47:49] = True  # two rectangles side by side, plus a frame so no region is paper
    lines[[0, -1], :] = True
    lines[:, [0, -1]] = True
    regmap = replace(_regions(lines), background=-1)
    shape = estimate_shape(regmap)
    left, right = int(regmap.labels[32, 20]), int(regmap.labels[32, 75])
    strong = replace(LIGHT, intensity=2.0, ambient=0.0)
    lit, shadow = render_light(shape, _flats(regmap), strong, unlit={right})
    off = regmap.labels == right
    assert (lit[off] == 0).all() and (shadow[off] == 255).all()
    on = regmap.labels == left
    assert (lit[on] > 0).any() and (shadow[on] < 255).any()
    again, _ = render_light(shape, _flats(regmap), strong)
    assert (again[off] > 0).any()  # the shape itself is unchanged


def test_lighting_takes_the_light_colour() -> None:
    regmap = _disc()
    lit, _ = render_light(estimate_shape(regmap), _flats(regmap),
                          replace(LIGHT, rgb=(255, 0, 0), intensity=2.0))
    assert lit[..., 0].max() > 50 and lit[..., 1:].max() == 0


def test_layers_compose_to_the_composite() -> None:
    regmap = _disc()
    flats = _flats(regmap)
    lit, shadow = render_light(estimate_shape(regmap), flats, replace(LIGHT, intensity=1.5))
    composite = layers.compose({"flats": flats, "shadow": shadow, "lighting": lit})
    f, s, li = (a.astype(np.float64) / 255.0 for a in (flats, shadow, lit))
    manual = 1.0 - (1.0 - f * s) * (1.0 - li)
    expected = np.clip(manual * 255.0 + 0.5, 0, 255).astype(np.int16)
    assert np.abs(composite.astype(np.int16) - expected).max() <= 1
    # and the light really changes the picture, darker on the shadow side, lighter on the lit side
    assert (composite.astype(int) - flats.astype(int)).min() < -20
    assert (composite.astype(int) - flats.astype(int)).max() > 20


def test_render_rejects_a_mismatched_base_image() -> None:
    regmap = _disc()
    shape = estimate_shape(regmap)
    with pytest.raises(ValueError, match=r"uint8 \(96, 96, 3\)"):
        render_light(shape, np.zeros((96, 95, 3), np.uint8), LIGHT)
    with pytest.raises(ValueError, match="uint8"):
        render_light(shape, np.zeros((96, 96, 3), np.float32), LIGHT)


def test_render_rejects_out_of_range_settings() -> None:
    regmap = _disc()
    shape = estimate_shape(regmap)
    with pytest.raises(ValueError, match="elevation must be between 0 and 90 degrees, got 120"):
        render_light(shape, _flats(regmap), replace(LIGHT, elevation_deg=120.0))
    with pytest.raises(ValueError, match="intensity"):
        render_light(shape, _flats(regmap), replace(LIGHT, intensity=-1.0))


def test_light_direction_follows_the_dial() -> None:
    for az, expected in ((0.0, (1, 0)), (90.0, (0, -1)), (180.0, (-1, 0)), (270.0, (0, 1))):
        lx, ly, lz = lighting.light_direction(LightSettings(azimuth_deg=az, elevation_deg=0.0))
        assert (round(lx, 6), round(ly, 6)) == expected and abs(lz) < 1e-9
    assert lighting.light_direction(LightSettings(elevation_deg=90.0))[2] == pytest.approx(1.0)


# -- the --light form ------------------------------------------------------------------------------
def test_parse_light_spec() -> None:
    s = parse_light_spec("135,35")
    assert s.enabled and s.azimuth_deg == 135.0 and s.elevation_deg == 35.0
    assert s.rgb == LightSettings().rgb and s.intensity == LightSettings().intensity
    s = parse_light_spec(" -45 , 60 , #FF8800 , 1.5 ")
    assert (s.azimuth_deg, s.elevation_deg, s.rgb, s.intensity) == (315.0, 60.0, (255, 136, 0), 1.5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("135,120", "elevation must be between 0 and 90 degrees, got 120"),
        ("135", "AZIMUTH,ELEVATION"),
        ("1,2,#ffffff,1,5", "AZIMUTH,ELEVATION"),
        ("135,,#ffffff", "AZIMUTH,ELEVATION"),
        ("left,35", "azimuth must be a number, got 'left'"),
        ("135,high", "elevation must be a number, got 'high'"),
        ("nan,35", "azimuth must be a finite number"),
        ("135,35,orange", "colour must be #rrggbb, got 'orange'"),
        ("135,35,#fff4d6,3", "intensity must be between 0 and 2, got 3"),
        ("135,35,#fff4d6,lots", "intensity must be a number, got 'lots'"),
    ],
)
def test_parse_light_spec_errors_name_the_bad_part(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_light_spec(text)


# -- the JSON form ---------------------------------------------------------------------------------
def test_dict_round_trip() -> None:
    s = LightSettings(enabled=True, azimuth_deg=200.0, elevation_deg=20.0, rgb=(10, 20, 30),
                      intensity=1.25, ambient=0.1, balance=-0.5)
    d = light_to_dict(s)
    assert d == {"azimuth": 200.0, "elevation": 20.0, "color": "#0a141e", "intensity": 1.25,
                 "ambient": 0.1, "balance": -0.5, "enabled": True}
    assert light_from_dict(d, "test") == s


def test_dict_defaults_for_missing_keys() -> None:
    assert light_from_dict({}, "test") == LightSettings()
    assert light_from_dict({"azimuth": 400}, "test").azimuth_deg == 40.0


@pytest.mark.parametrize(
    ("d", "message"),
    [
        ({"elevation": 95}, "'elevation' must be between 0 and 90 degrees, got 95"),
        ({"azimuth": "left"}, "'azimuth' must be a number, got 'left'"),
        ({"intensity": True}, "'intensity' must be a number"),
        ({"ambient": 1.5}, "'ambient' must be between 0 and 1, got 1.5"),
        ({"balance": -2}, "'balance' must be between -1 and 1, got -2"),
        ({"color": "#12345"}, "'color' must be \"#rrggbb\""),
        ({"color": [1, 2, 3]}, "'color' must be \"#rrggbb\""),
        ({"enabled": "yes"}, "'enabled' must be true or false"),
        ({"azimut": 10}, "unknown light setting.*azimut"),
    ],
)
def test_dict_errors_name_where_and_the_key(d: dict[str, object], message: str) -> None:
    with pytest.raises(LightSettingsError, match=message) as info:
        light_from_dict(d, "scene.json: light")
    assert str(info.value).startswith("scene.json: light: ")
    assert isinstance(info.value, ValueError) and isinstance(info.value, InputError)


def test_dict_must_be_an_object() -> None:
    with pytest.raises(LightSettingsError, match="must be an object"):
        light_from_dict([1, 2], "p.json: light")  # type: ignore[arg-type]


def test_big_pages_keep_the_profile() -> None:
    """Pages over ~2,800 px find the medial axis on a coarser grid; strips still bulge."""
    lines = np.zeros((64, 2900), bool)
    lines[:, ::48] = True
    lines[:, 1::48] = True
    n = estimate_shape(_regions(lines)).normals()
    row = n[32, 48 * 30 : 48 * 31 + 2, 0]  # one strip, line to line
    assert abs(row[25]) < 0.25  # frontal in the middle
    assert row[6] < -0.4 and row[44] > 0.4  # outward near both lines
    assert (np.diff(row[6:45]) > -0.05).all()  # turning steadily from left to right
