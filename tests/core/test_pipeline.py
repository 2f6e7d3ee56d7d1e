"""The pipeline: classical path, dot exactness, draft caching, early draft, cancel, preview scale."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from paintassist.core.errors import Cancelled
from paintassist.core.pipeline import Pipeline
from paintassist.core.types import (
    ColorizeOptions,
    ColorizeRequest,
    ColorizeResult,
    Hint,
    HintSet,
    LightSettings,
    Sketch,
)


def two_boxes(h: int = 80, w: int = 120) -> Sketch:
    img = np.zeros((h, w), np.float32)
    cv2.rectangle(img, (4, 4), (w // 2 - 3, h - 5), 1.0, 2)
    cv2.rectangle(img, (w // 2 + 2, 4), (w - 5, h - 5), 1.0, 2)
    return Sketch(img)


RED = (230, 20, 20)
BLUE = (20, 40, 230)


class FakeNets:
    """Counts calls; 'refines' to a constant grey-ish image with a gradient for shading."""

    def __init__(self) -> None:
        self.draft_calls = 0
        self.refine_calls = 0

    def draft(self, ink, hints, references, strength):  # type: ignore[no-untyped-def]
        self.draft_calls += 1
        return np.full((32, 48, 3), 0.5, np.float32)

    def refine(self, ink, draft, hints, should_cancel):  # type: ignore[no-untyped-def]
        self.refine_calls += 1
        h, w = ink.shape
        ramp = np.geomspace(0.1, 0.9, w, dtype=np.float32)[None, :, None]  # deep enough to shade
        return np.broadcast_to(ramp, (h, w, 3)).copy()


def test_classical_dots_are_exact_and_lines_block() -> None:
    hints = HintSet((Hint("accurate", 30, 40, RED, 3), Hint("accurate", 90, 40, BLUE, 3)))
    result = Pipeline().run(
        ColorizeRequest(two_boxes(), hints, options=ColorizeOptions(use_networks=False))
    )
    assert result.stage == "refined"
    assert tuple(result.flats[40, 30]) == RED
    assert tuple(result.flats[40, 90]) == BLUE
    assert np.array_equal(result.color, result.flats)
    assert (result.shading == 255).all()
    # composite: lines drawn on top, colour inside
    assert tuple(result.composite[40, 30]) == RED
    assert result.composite[4, 30].max() < 60
    assert result.regions.shape == (80, 120)


def test_dot_edit_reuses_draft_and_draft_comes_first() -> None:
    nets = FakeNets()
    pipe = Pipeline(nets=nets)
    sketch = two_boxes()
    draft_hint = Hint("draft", 30, 40, RED, 10)
    stages: list[str] = []

    def on_draft(r: ColorizeResult) -> None:
        stages.append(r.stage)

    base = HintSet((draft_hint,))
    pipe.run(
        ColorizeRequest(sketch, base.with_added(Hint("accurate", 90, 40, BLUE, 3))),
        on_draft=on_draft,
    )
    pipe.run(ColorizeRequest(sketch, base.with_added(Hint("accurate", 95, 30, RED, 3))))
    # the draft with the square, and the draft without any square (where the square's mood does
    # not reach), once each; RefineNet for each edit and once for the page with no hints (the
    # shading gate, cached)
    assert nets.draft_calls == 2 and nets.refine_calls == 3
    assert stages == ["draft"]
    # changing a draft hint re-runs the draft with squares only
    pipe.run(ColorizeRequest(sketch, HintSet((draft_hint.moved(20, 30),))))
    assert nets.draft_calls == 3
    assert pipe.draft_cache_stats == (3, 3)  # one hit is the no-hint page's (the shading gate)


def test_network_result_keeps_dot_exact_and_has_shading() -> None:
    hints = HintSet((Hint("accurate", 90, 40, BLUE, 3),))
    result = Pipeline(nets=FakeNets()).run(ColorizeRequest(two_boxes(), hints))
    assert tuple(result.flats[40, 90]) == BLUE
    assert result.shading.min() < 255  # the ramp gives some shading


class BlondeNets(FakeNets):
    """RefineNet paints yellow everywhere, whatever the dots say, with a ramp of shading."""

    def refine(self, ink, draft, hints, should_cancel):  # type: ignore[no-untyped-def]
        out = super().refine(ink, draft, hints, should_cancel)
        return out * np.array([1.0, 0.9, 0.3], np.float32)


def test_the_color_layer_agrees_with_the_dots_where_the_network_painted_another_colour() -> None:
    from skimage.color import deltaE_ciede2000, rgb2lab

    brown = (120, 70, 40)
    hints = HintSet((Hint("accurate", 30, 40, brown, 3), Hint("accurate", 90, 40, BLUE, 3)))
    result = Pipeline(nets=BlondeNets()).run(ColorizeRequest(two_boxes(), hints))
    assert result.network is not None and result.network[40, 30, 2] < 60  # it said yellow
    for x, rgb in ((30, brown), (90, BLUE)):
        got = rgb2lab(result.color[40:41, x : x + 1] / 255.0)
        want = rgb2lab(np.array([[rgb]], np.float64) / 255.0)
        assert deltaE_ciede2000(got, want).item() <= 3.0
    # color is flats × shading: what the composite shows without the lines
    expect = cv2.multiply(result.flats, result.shading, scale=1.0 / 255.0)
    assert np.array_equal(result.color, expect)
    assert np.array_equal(result.color[40, 30], result.composite[40, 30])


class BeigeNets(FakeNets):
    """RefineNet paints a muted beige wash, with a ramp of shading."""

    def refine(self, ink, draft, hints, should_cancel):  # type: ignore[no-untyped-def]
        out = super().refine(ink, draft, hints, should_cancel)
        return out * np.array([1.0, 0.93, 0.8], np.float32)


def _lab(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(np.asarray(rgb, np.uint8).reshape(1, 1, 3).astype(np.float32) / 255.0,
                        cv2.COLOR_RGB2LAB)[0, 0]


def test_a_muted_network_colour_is_flattened_more_vivid_never_the_dots() -> None:
    from paintassist.core.pipeline import NETWORK_CHROMA_GAIN

    hints = HintSet((Hint("accurate", 90, 40, BLUE, 3),))
    result = Pipeline(nets=BeigeNets()).run(ColorizeRequest(two_boxes(), hints))
    assert result.network is not None
    flat = _lab(result.flats[40, 30])
    net = _lab(np.median(result.network[10:70, 10:55], (0, 1)).astype(np.uint8))
    chroma_flat, chroma_net = float(np.hypot(*flat[1:])), float(np.hypot(*net[1:]))
    assert chroma_net > 3  # a beige, not a grey
    assert chroma_net * 1.05 < chroma_flat < chroma_net * NETWORK_CHROMA_GAIN + 1.0  # uint8 rounding
    assert flat[0] == pytest.approx(net[0], abs=1.5)  # lightness kept
    assert tuple(result.flats[40, 90]) == BLUE  # the dot's colour is exact


class ShapeNets(FakeNets):
    """Records the ink shapes and dot positions RefineNet is given; 'refines' to blue with a
    steep ramp of lightness (so the shading has something to show in the blue box, past the
    band beside the lines that the echo lift clears)."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[tuple[int, int], list[tuple[float, float]]]] = []

    def refine(self, ink, draft, hints, should_cancel):  # type: ignore[no-untyped-def]
        self.seen.append((ink.shape, [(h.x, h.y) for h in hints]))
        super().refine(ink, draft, hints, should_cancel)
        h, w = ink.shape
        # BLUE's a*, b* with L* from 10 to 60: a deep shadow of the same colour (the hue gate
        # keeps it, the deadzone does not swallow it)
        lab = cv2.cvtColor(np.array([[BLUE]], np.float32) / 255.0, cv2.COLOR_RGB2LAB)
        ramp = np.repeat(lab, w, axis=1)
        ramp[0, :, 0] = np.linspace(10.0, 60.0, w)
        rgb = np.clip(cv2.cvtColor(ramp, cv2.COLOR_LAB2RGB), 0, 1)
        return np.broadcast_to(rgb, (h, w, 3)).astype(np.float32)


def test_refinement_above_its_cap_runs_downscaled_and_the_layers_stay_full_size() -> None:
    hints = HintSet((Hint("accurate", 180, 80, BLUE, 3),))
    nets = ShapeNets()
    capped = ColorizeOptions(refine_long_side=120)
    result = Pipeline(nets=nets).run(ColorizeRequest(two_boxes(160, 240), hints, options=capped))
    (shape, dots), (plain_shape, plain_dots) = nets.seen
    assert shape == plain_shape == (80, 120)  # 160 × 240 at half size
    assert dots == [(90.0, 40.0)]  # the dot follows
    assert plain_dots == []  # the page with no hints, for the shading gate
    assert result.flats.shape == result.color.shape == result.shading.shape == (160, 240, 3)
    assert tuple(result.flats[80, 180]) == BLUE  # flats at full size, the dot exact
    # the shading, measured at RefineNet's size, is white at the dot and shades the ramp
    assert np.abs(result.composite[80, 180].astype(int) - BLUE).max() <= 3
    assert result.shading[20:140, 128:230].min() < 255
    assert (result.shading[result.flats.min(axis=2) == 255] == 255).all()  # paper unshaded
    Pipeline(nets=nets).run(ColorizeRequest(two_boxes(160, 240), hints,
                                            options=ColorizeOptions(refine_long_side=None)))
    assert nets.seen[-1][0] == (160, 240)
    with pytest.raises(ValueError, match="refine_long_side"):
        ColorizeOptions(refine_long_side=4)


def test_cancel_raises_before_work() -> None:
    with pytest.raises(Cancelled):
        Pipeline().run(ColorizeRequest(two_boxes()), should_cancel=lambda: True)


def test_preview_resolution_scales_hints() -> None:
    sketch = two_boxes(400, 600)
    hints = HintSet((Hint("accurate", 150, 200, RED, 6),))
    opts = ColorizeOptions(use_networks=False, work_long_side=150)
    result = Pipeline().run(ColorizeRequest(sketch, hints, options=opts))
    assert result.flats.shape == (100, 150, 3)
    assert tuple(result.flats[50, 37]) == RED


def test_light_off_gives_neutral_layers_and_on_changes_composite() -> None:
    hints = HintSet((Hint("accurate", 30, 40, RED, 3), Hint("accurate", 90, 40, BLUE, 3)))
    pipe = Pipeline()
    off = pipe.run(ColorizeRequest(two_boxes(), hints, options=ColorizeOptions(use_networks=False)))
    assert (off.lighting == 0).all() and (off.shadow == 255).all()
    light = LightSettings(enabled=True, azimuth_deg=180, elevation_deg=30, intensity=1.0)
    on = pipe.run(
        ColorizeRequest(
            two_boxes(), hints, options=ColorizeOptions(use_networks=False, light=light)
        )
    )
    assert not np.array_equal(on.composite, off.composite)


def test_a_live_edits_early_result_shows_the_last_refined_shading() -> None:
    pipe = Pipeline(nets=FakeNets())
    sketch = two_boxes()
    early: list[ColorizeResult] = []
    first = pipe.run(ColorizeRequest(sketch, HintSet((Hint("accurate", 90, 40, BLUE, 3),))),
                     on_draft=early.append)
    second = pipe.run(ColorizeRequest(sketch, HintSet((Hint("accurate", 30, 40, RED, 3),))),
                      on_draft=early.append)
    assert early[1].shading is first.shading  # shown over the new flats, not recomputed
    assert tuple(early[1].flats[40, 30]) == RED
    assert second.stage == "refined" and second.shading is not first.shading
    # a run without a live preview (CLI, export) keeps nothing
    other = Pipeline(nets=FakeNets())
    other.run(ColorizeRequest(sketch, HintSet()))
    late: list[ColorizeResult] = []
    other.run(ColorizeRequest(sketch, HintSet()), on_draft=late.append)
    assert late[0].shading.shape == late[0].flats.shape


def test_switching_screentone_off_segments_the_page_again() -> None:
    """The working ink is the page without its tone or with it: one pipeline (the app's) must not
    hand the toned page's regions to the other."""
    from paintassist.training.manga_pages import make_page

    sketch = Sketch(make_page(1, size=(800, 1130)).ink.astype(np.float32))
    pipe = Pipeline()
    runs = {}
    for screentone in (True, False):
        options = ColorizeOptions(use_networks=False, screentone=screentone)
        runs[screentone] = pipe.run(ColorizeRequest(sketch, HintSet(), options=options))
    alone = Pipeline().run(ColorizeRequest(
        sketch, HintSet(), options=ColorizeOptions(use_networks=False, screentone=False)))
    assert runs[False].region_map is not None and alone.region_map is not None
    assert runs[False].region_map.count == alone.region_map.count
    assert runs[False].region_map.count != runs[True].region_map.count


class BlobNets(FakeNets):
    """RefineNet paints BLUE's hue at one lightness everywhere (no shading); given dots, it also
    paints a deep blob of that hue in the middle of the right box (what the real one does in a
    large area a dot decides)."""

    def refine(self, ink, draft, hints, should_cancel):  # type: ignore[no-untyped-def]
        super().refine(ink, draft, hints, should_cancel)
        h, w = ink.shape
        lab = np.repeat(np.repeat(
            cv2.cvtColor(np.array([[BLUE]], np.float32) / 255.0, cv2.COLOR_RGB2LAB), h, 0), w, 1)
        lab[..., 0] = 45.0
        if len(hints.accurate):
            lab[30:50, 80:100, 0] = 15.0
        return np.clip(cv2.cvtColor(lab, cv2.COLOR_LAB2RGB), 0, 1).astype(np.float32)


def test_a_dots_blob_never_darkens_the_shading_the_page_has_without_hints() -> None:
    nets = BlobNets()
    pipe = Pipeline(nets=nets)
    sketch = two_boxes()
    plain = pipe.run(ColorizeRequest(sketch))
    hints = HintSet((Hint("accurate", 70, 20, BLUE, 3),))
    result = pipe.run(ColorizeRequest(sketch, hints))
    net = result.network
    assert net is not None and int(net[40, 90].sum()) < int(net[70, 70].sum()) - 100  # the blob
    assert (plain.shading[30:50, 80:100] == 255).all()
    assert (result.shading >= plain.shading).all()
    assert (result.shading[30:50, 80:100] == 255).all()  # no dark patch where the blob was
    assert tuple(result.flats[20, 70]) == BLUE
    calls = nets.refine_calls
    pipe.run(ColorizeRequest(sketch, hints.with_added(Hint("accurate", 100, 60, BLUE, 3))))
    assert nets.refine_calls == calls + 1  # the page's no-hint shading is cached
