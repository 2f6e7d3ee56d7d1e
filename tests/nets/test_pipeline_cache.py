"""The pipeline must not re-run DraftNet when only accurate dots change (tiny real nets)."""

import numpy as np

from paintassist.core.pipeline import Pipeline
from paintassist.core.types import ColorizeRequest, Hint, HintSet, Sketch
from paintassist.nets.draft_net import DraftNet
from paintassist.nets.inference import TorchColorNets
from paintassist.nets.refine_net import RefineNet


class CountingNets(TorchColorNets):
    def __init__(self) -> None:
        super().__init__(DraftNet(4), RefineNet(4), device="cpu")
        self.draft_calls = 0
        self.refine_calls = 0

    def draft(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.draft_calls += 1
        return super().draft(*args, **kwargs)

    def refine(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.refine_calls += 1
        return super().refine(*args, **kwargs)


def _sketch() -> Sketch:
    ink = np.zeros((96, 128), np.float32)
    ink[:, 60:63] = 1.0
    ink[40:43, :] = 1.0
    return Sketch(ink)


def test_dot_edits_hit_the_draft_cache_square_edits_miss() -> None:
    nets = CountingNets()
    pipe = Pipeline(nets=nets)
    sketch = _sketch()
    square = Hint("draft", 20, 20, (200, 40, 40), 8)
    base = HintSet((square,))
    pipe.run(ColorizeRequest(sketch, base))
    dot1 = base.with_added(Hint("accurate", 100, 80, (40, 200, 40), 3))
    r = pipe.run(ColorizeRequest(sketch, dot1))
    pipe.run(ColorizeRequest(sketch, dot1.replaced(1, dot1[1].moved(90, 70))))
    # Two drafts per square set (with the squares, and without them for the areas no square
    # sets, so a square's mood stays in its areas); dot edits run neither again. RefineNet runs
    # once per edit and once for the page with no hints (the shading gate, then cached).
    assert nets.draft_calls == 2 and nets.refine_calls == 4
    assert pipe.draft_cache_stats == (3, 2)
    # the accurate dot is exact in its region
    assert tuple(r.flats[80, 100]) == (40, 200, 40)
    pipe.run(ColorizeRequest(sketch, dot1.replaced(0, square.moved(30, 20))))
    assert nets.draft_calls == 3  # the moved square's draft; the square-less one is cached
    assert r.composite.shape == (96, 128, 3) and r.composite.dtype == np.uint8
