"""The evaluation table: every (kind, N) row, and the ground truth scored as its own floor."""

import numpy as np
import pytest

from paintassist.training.evaluate import Case, Output, anime_cases, evaluate, truth_method


def _ring_case() -> Case:
    ink = np.zeros((48, 48), np.float32)
    ink[10:38, 10:38] = 1.0
    ink[13:35, 13:35] = 0.0  # a closed square outline
    color = np.full((48, 48, 3), 255, np.uint8)
    color[13:35, 13:35] = (200, 40, 40)
    color[ink > 0.5] = 0
    return Case("ring", ink, color)


def test_truth_is_the_ceiling_and_a_blank_page_scores_below_it() -> None:
    def blank(case: Case, hints: object) -> Output:
        white = np.full_like(case.color, 255)
        return Output(white, white)

    table = evaluate([_ring_case()], {"truth": truth_method, "blank": blank})
    assert set(table) == {"accurate:0", "accurate:2", "accurate:10", "accurate:50",
                          "draft:2", "draft:10", "draft:50"}
    assert table["accurate:10"]["truth"]["psnr"] == 50.0  # capped: an exact reproduction
    # not 0: a dot is a 5×5 mean, and one beside the outline averages some black in
    assert 0.0 < table["accurate:10"]["truth"]["fid"] < 3.0
    assert table["accurate:10"]["blank"]["fid"] > 10.0
    assert table["accurate:0"]["truth"]["chroma"] > table["accurate:0"]["blank"]["chroma"]
    # the paper around the ring dilutes the whole-image mean; the painted mean is the red's own
    truth = table["accurate:0"]["truth"]
    assert truth["chroma_painted"] > 2 * truth["chroma"] > 0
    assert truth["fam3"] == 0.0  # one red square is one hue family


def test_the_color_layer_is_scored_on_its_own() -> None:
    def red_lines_blue_color(case: Case, hints: object) -> Output:
        blue = np.zeros_like(case.color)
        blue[...] = (30, 40, 220)
        return Output(case.color, blue)

    table = evaluate([_ring_case()], {"m": red_lines_blue_color})
    rec = table["accurate:10"]["m"]
    assert rec["fid"] < 3.0 < 20.0 < rec["fidC"]


def test_anime_cases_draw_the_same_sketch_every_run(tmp_path) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(0)
    color = rng.integers(0, 255, (5, 64, 64, 3), dtype=np.uint8)
    color[:, 20:40, 20:40] = (240, 200, 170)
    np.savez(tmp_path / "anime_test.npz", color=color, hw=np.full((5, 2), [64, 48], np.int32),
             names=np.array([f"a{i}" for i in range(5)]), cluster=np.arange(5, dtype=np.int32))
    first, again = anime_cases(tmp_path, "test", 3), anime_cases(tmp_path, "test", 3)
    assert [c.name for c in first] == [c.name for c in again] and len(first) == 3
    for a, b in zip(first, again, strict=True):
        assert a.ink.shape == a.color.shape[:2] == (64, 48)  # cropped to the image's own size
        assert np.array_equal(a.ink, b.ink)
    assert anime_cases(tmp_path, "val", 3) == []


def _two_rooms_case() -> Case:
    """Two closed boxes: red on the left, blue on the right, with a dark shadow strip in the blue
    box close to the red's colour (so the colour image itself 'bleeds' by the metric)."""
    ink = np.zeros((48, 96), np.float32)
    ink[4:44, 4:44] = 1.0
    ink[6:42, 6:42] = 0.0
    ink[4:44, 52:92] = 1.0
    ink[6:42, 54:90] = 0.0
    color = np.full((48, 96, 3), 255, np.uint8)
    color[6:42, 6:42] = (200, 40, 40)
    color[6:42, 54:90] = (40, 60, 200)
    color[6:42, 84:90] = (200, 40, 40)  # a strip the truth paints in the other box's colour
    color[ink > 0.5] = 0
    return Case("rooms", ink, color)


def test_bleed_above_the_truths_floor() -> None:
    """bleedX: a method that matches the colour image bleeds nothing above its floor; one that
    paints the red across the line into the blue box does."""
    def leak(case: Case, hints: object) -> Output:
        out = case.color.copy()
        out[6:42, 54:70] = (200, 40, 40)
        return Output(out, out)

    table = evaluate([_two_rooms_case()], {"truth": truth_method, "leak": leak})
    truth, leaky = table["accurate:10"]["truth"], table["accurate:10"]["leak"]
    assert truth["bleed"] > 1.0  # the painted strip: the metric's floor on this image
    assert truth["bleedX"] == 0.0
    assert leaky["bleedX"] == pytest.approx(leaky["bleed"] - truth["bleed"])
    assert leaky["bleedX"] > 5.0
