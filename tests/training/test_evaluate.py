"""The evaluation table: every (kind, N) row, and the ground truth scored as its own floor."""

import numpy as np

from paintassist.training.evaluate import Case, evaluate, truth_method


def _ring_case() -> Case:
    ink = np.zeros((48, 48), np.float32)
    ink[10:38, 10:38] = 1.0
    ink[13:35, 13:35] = 0.0  # a closed square outline
    color = np.full((48, 48, 3), 255, np.uint8)
    color[13:35, 13:35] = (200, 40, 40)
    color[ink > 0.5] = 0
    return Case("ring", ink, color)


def test_truth_is_the_ceiling_and_a_blank_page_scores_below_it() -> None:
    def blank(case: Case, hints: object) -> np.ndarray:
        return np.full_like(case.color, 255)

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
