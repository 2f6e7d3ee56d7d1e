"""Anime-art builder (split by cluster), generated line art, the mixed draft sampler and the
draft-bins-v2 loss."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch

from paintassist.training import anime_art, linegen
from paintassist.training.data import MixedDraftSamples, Pool, parse_mix


def _art(rng: np.random.Generator, h: int = 120, w: int = 90) -> np.ndarray:
    """A cel-style figure: coloured ellipses with dark outlines on white."""
    img = np.full((h, w, 3), 255, np.uint8)
    for _ in range(3):
        c = (int(rng.integers(w // 4, 3 * w // 4)), int(rng.integers(h // 4, 3 * h // 4)))
        axes = (int(rng.integers(8, w // 3)), int(rng.integers(8, h // 3)))
        colour = tuple(int(v) for v in rng.integers(40, 230, 3))
        cv2.ellipse(img, c, axes, 0, 0, 360, colour, -1)
        cv2.ellipse(img, c, axes, 0, 0, 360, (20, 20, 20), 2)
    return img


def _tar(path: Path, clusters: list[int]) -> None:
    rng = np.random.default_rng(0)
    rows = ["file\twidth\theight\tcluster\tkind\trepo\tcommit\tpath"]
    with tarfile.open(path, "w") as tar:
        for i, c in enumerate(clusters):
            name = f"img_{i}.png"
            ok, buf = cv2.imencode(".png", cv2.cvtColor(_art(rng), cv2.COLOR_RGB2BGR))
            assert ok
            info = tarfile.TarInfo(f"anime_art/{name}")
            info.size = len(buf)
            tar.addfile(info, io.BytesIO(buf.tobytes()))
            rows.append(f"{name}\t90\t120\t{c}\tsprite\tr\tc\tp")
        data = ("\n".join(rows) + "\n").encode()
        info = tarfile.TarInfo(anime_art.MANIFEST_MEMBER)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))


def test_anime_split_is_by_cluster_and_fixed() -> None:
    splits = [anime_art.split_of_cluster(c) for c in range(2000)]
    assert splits == [anime_art.split_of_cluster(c) for c in range(2000)]
    share = {s: splits.count(s) / len(splits) for s in anime_art.SPLITS}
    assert 0.75 < share["train"] < 0.85 and 0.06 < share["test"] < 0.14


def test_anime_build_keeps_every_cluster_in_one_split(tmp_path: Path) -> None:
    clusters = [c for c in range(12) for _ in range(3)]
    _tar(tmp_path / "art.tar", clusters)
    manifest = anime_art.build(tmp_path / "out", tmp_path / "art.tar", long_side=64)
    assert sum(manifest["counts"].values()) == len(clusters)  # type: ignore[attr-defined]
    seen: dict[int, str] = {}
    for split in anime_art.SPLITS:
        with np.load(tmp_path / "out" / f"anime_{split}.npz") as d:
            assert d["color"].shape[1:] == (64, 64, 3) and d["color"].dtype == np.uint8
            assert len(d["hw"]) == len(d["names"]) == len(d["cluster"])
            for c, (h, w) in zip(d["cluster"], d["hw"], strict=True):
                assert seen.setdefault(int(c), split) == split
                assert anime_art.split_of_cluster(int(c)) == split
                assert max(h, w) == 64 and (h, w) == (64, 48)
    pool = anime_art.load_anime(tmp_path / "out", "train")
    assert len(pool) == sum(1 for c in clusters if anime_art.split_of_cluster(c) == "train")


@pytest.mark.parametrize("style", linegen.STYLES)
def test_every_line_style_draws_the_outlines(style: str) -> None:
    rgb = _art(np.random.default_rng(1), 160, 160)
    ink, name = linegen.draw_lines(rgb, np.random.default_rng(2), style)
    assert name == style and ink.shape == (160, 160) and ink.dtype == np.float32
    assert ink.min() >= 0 and ink.max() <= 1
    outline = cv2.Canny(rgb, 50, 150) > 0
    assert ink[outline].mean() > 3 * ink[~outline].mean() + 0.02  # lines are where the edges are
    assert ink.mean() < 0.3


def test_roughened_sketches_stay_in_range_and_vary() -> None:
    rgb = _art(np.random.default_rng(3), 128, 128)
    sketches = [linegen.make_sketch(rgb, np.random.default_rng(s)) for s in range(8)]
    for sk in sketches:
        assert sk.shape == (128, 128) and sk.dtype == np.float32
        assert sk.min() >= 0 and sk.max() <= 1
    assert len({round(float(s.mean()), 4) for s in sketches}) > 4


def test_breaks_open_gaps_in_a_line() -> None:
    ink = np.zeros((64, 256), np.float32)
    ink[32, :] = 1.0
    broken = linegen.breaks(ink, np.random.default_rng(0), density=1 / 20)
    assert broken[32].min() < 0.05 and (broken[32] > 0.9).sum() > 64
    assert (broken <= ink + 1e-6).all()


def test_parse_mix() -> None:
    assert parse_mix("anime=2,clipart=1,faces=1") == {"anime": 0.5, "clipart": 0.25,
                                                      "faces": 0.25}
    assert parse_mix("anime=1,faces=0") == {"anime": 1.0}
    for bad in ("photos=1", "anime=x", "anime=-1", "anime=0"):
        with pytest.raises(ValueError):
            parse_mix(bad)


def _sources() -> tuple[Pool, anime_art.ArtPool]:
    rng = np.random.default_rng(0)
    clip = Pool(np.stack([_art(rng, 96, 96) for _ in range(3)]), np.zeros((3, 96, 96), np.uint8))
    clip.ink[:, 20:22, 10:80] = 255
    sq = [anime_art.fit_square(_art(rng, 120, 80), 96) for _ in range(3)]
    art = anime_art.ArtPool(np.stack([s for s, _ in sq]), np.array([hw for _, hw in sq], np.int32))
    return clip, art


def _write_corpus(tmp_path: Path, clip: Pool, art: anime_art.ArtPool) -> Path:
    """A corpus folder holding ``clip`` as the clip-art shards and ``art`` as the anime-art
    train and val splits, as training.corpus and training.anime_art write them."""
    corpus = tmp_path / "corpus"
    (corpus / "anime").mkdir(parents=True)
    for split in ("train", "val"):
        np.savez(corpus / f"clip_{split}.npz", color=clip.color, ink=clip.ink,
                 names=np.array(["a", "b", "c"]))
        np.savez(corpus / "anime" / f"anime_{split}.npz", color=art.color, hw=art.hw,
                 names=np.array(["a", "b", "c"]), cluster=np.arange(3, dtype=np.int32))
    return corpus


def test_mixed_batches_have_network_shapes_from_every_source() -> None:
    clip, art = _sources()
    samples = MixedDraftSamples({"anime": 0.5, "clipart": 0.3, "faces": 0.2}, 32, clipart=clip,
                                anime=art, faces=clip)
    rng = np.random.default_rng(0)
    for source in ("anime", "clipart", "faces"):
        x, style, strength, y = samples.batch(3, rng, source)
        assert x.shape == (3, 9, 32, 32) and y.shape == (3, 3, 32, 32)
        assert x.dtype == y.dtype == np.float32 and style.shape[0] == strength.shape[0] == 3
        assert y.min() >= 0 and y.max() <= 1
    with pytest.raises(ValueError, match="no such images"):
        MixedDraftSamples({"anime": 1.0}, 32, clipart=clip)


def test_mixed_sample_input_equals_inference_input_v2() -> None:
    from paintassist.nets.draft_net import DraftNetBins
    from paintassist.nets.inference import TorchColorNets
    from paintassist.nets.refine_net import RefineNet

    class Seen(DraftNetBins):
        seen: torch.Tensor

        def forward(self, x, style, strength):  # type: ignore[no-untyped-def]
            self.seen = x.detach().clone()
            return super().forward(x, style, strength)

    _, art = _sources()
    samples = MixedDraftSamples({"anime": 1.0}, 64, anime=art, p_zero=0.0)
    ex = samples.example(np.random.default_rng(5))
    x = samples.one(np.random.default_rng(5))[0]
    net = Seen(4)
    TorchColorNets(net, RefineNet(4), device="cpu").draft(ex.ink, ex.squares, (), 1.0)
    assert len(ex.squares) > 0
    assert np.array_equal(net.seen[0].float().permute(1, 2, 0).numpy(), x)


def test_bins_loss_trains_a_tiny_draftnet_towards_a_colour() -> None:
    from paintassist.nets import color_bins
    from paintassist.nets.draft_net import DraftNetBins
    from paintassist.nets.style import FEATURE_DIM
    from paintassist.training.train import BinsLoss

    torch.manual_seed(0)
    net = DraftNetBins(8)
    bins = net.bins.numpy()
    loss_fn = BinsLoss(bins, color_bins.rebalance_weights(np.full(len(bins), 1 / len(bins))),
                       torch.device("cpu"))
    x = torch.zeros(2, 9, 32, 32)
    target = torch.zeros(2, 3, 32, 32)
    target[:, 0], target[:, 1], target[:, 2] = 0.9, 0.2, 0.3  # a vivid red
    opt = torch.optim.Adam(net.parameters(), 3e-3)
    style, strength = torch.zeros(2, FEATURE_DIM), torch.zeros(2)
    first = None
    for _ in range(60):
        loss, parts = loss_fn(net(x, style, strength), target)
        first = first if first is not None else float(loss.detach())
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert float(loss.detach()) < 0.6 * first and set(parts) == {"ce", "l1_light"}
    with torch.no_grad():
        rgb = net.predict_rgb(x, style, strength)
    assert rgb.shape == (2, 3, 32, 32)
    assert (rgb[:, 0] - rgb[:, 1]).mean() > 0.3  # red, not beige


def test_bins_training_run_checkpoints_and_resumes(tmp_path: Path) -> None:
    """A tiny draft-bins-v2 run end to end: the checkpoint (meta, prior, RNG states) reads back
    with weights_only=True, and --resume continues from its step."""
    import json

    from paintassist.training.checkpoints import load_checkpoint
    from paintassist.training.train import main

    clip, art = _sources()
    corpus = _write_corpus(tmp_path, clip, art)
    run = tmp_path / "run"
    args = ["--stage", "draft", "--arch", "draft-bins-v2", "--mix", "anime=0.5,clipart=0.5",
            "--corpus", str(corpus), "--out", str(run), "--size", "32", "--batch", "2",
            "--width", "4", "--threads", "1", "--resume"]
    assert main([*args, "--steps", "2"]) == 0
    state = load_checkpoint(run / "ckpt.pt")
    assert state["step"] == 2 and state["prior"].shape == (261,)
    assert state["meta"]["arch"] == "draft-bins-v2" and state["meta"]["inputs"] == 2
    assert main([*args, "--steps", "3"]) == 0
    assert load_checkpoint(run / "ckpt.pt")["step"] == 3
    meta = json.loads((run / "meta.json").read_text())
    assert [s["at_step"] for s in meta["sessions"]] == [0, 2]
    assert meta["sessions"][0]["hardware"]["cores"] >= 1
    lines = [json.loads(x) for x in (run / "log.jsonl").read_text().splitlines()]
    assert lines[-1]["final"] and "val_anime_chroma_ratio" in lines[-1]

    # exported with a refine run, the manifest names the architecture and the weights load
    from paintassist.nets.draft_net import DraftNetBins
    from paintassist.nets.refine_net import RefineNet
    from paintassist.nets.registry import load_nets
    from paintassist.training.export_weights import export

    refine = tmp_path / "refine"
    refine.mkdir()
    rmeta = {"stage": "refine", "config": "cpu", "cfg": {"refine_width": 4, "batch": 2,
             "size": 32}, "params": 1, "device": "cpu", "threads": 1, "train_images": 3,
             "corpus": str(corpus)}
    torch.save({"model": RefineNet(4).state_dict(), "step": 1, "elapsed": 0.5, "meta": rmeta},
               refine / "ckpt.pt")
    (refine / "log.jsonl").write_text("")
    manifest = export([run, refine], tmp_path / "models", None, "test-bins")
    assert manifest["files"]["draft"]["arch"] == "draft-bins-v2"
    assert manifest["files"]["draft"]["inputs"] == 2
    assert manifest["files"]["refine"]["arch"] == "refine-v1"
    assert manifest["training"]["draft"]["sessions"][1]["at_step"] == 2
    assert any("anime colour images" in c for c in manifest["data_credits"])
    nets = load_nets(tmp_path / "models", "cpu")
    assert nets is not None and isinstance(nets.draft_net, DraftNetBins)


def test_mixed_refine_batches_come_from_anime_and_clip_art() -> None:
    from paintassist.training.data import MixedRefineSamples

    clip, art = _sources()
    samples = MixedRefineSamples({"anime": 0.7, "clipart": 0.3}, 32, clipart=clip, anime=art)
    rng = np.random.default_rng(0)
    for source in ("anime", "clipart"):
        x, y = samples.batch(3, rng, source)
        assert x.shape == (3, 12, 32, 32) and y.shape == (3, 3, 32, 32)
        assert x.dtype == y.dtype == np.float32 and y.min() >= 0 and y.max() <= 1
    with pytest.raises(ValueError, match="no source"):
        MixedRefineSamples({"faces": 1.0}, 32, clipart=clip)
    with pytest.raises(ValueError, match="no such images"):
        MixedRefineSamples({"anime": 1.0}, 32, clipart=clip)


def test_mixed_refine_drafts_come_from_draftnet_as_at_run_time() -> None:
    """Clip art: DraftNet drafts the crop at a third of its size. Anime art: DraftNet drafts the
    whole page at its own size and the crop's window of that draft is RefineNet's draft."""
    from paintassist.core.types import HintSet
    from paintassist.training.data import MixedRefineSamples

    seen: list[tuple[tuple[int, ...], HintSet]] = []

    def drafter(ink: np.ndarray, squares: HintSet) -> np.ndarray:
        seen.append((ink.shape, squares))
        return np.full((*ink.shape, 3), 0.25, np.float32)

    clip, art = _sources()
    samples = MixedRefineSamples({"anime": 0.5, "clipart": 0.5}, 48, anime=art, clipart=clip,
                                 drafter=drafter, p_real=1.0)
    ex = samples.example(np.random.default_rng(3), "clipart")
    assert seen[-1][0] == (16, 16)  # 48 px crop, its draft at a third
    assert all(0 <= s.x < 16 and 0 <= s.y < 16 for s in seen[-1][1])
    assert ex.draft.shape == (16, 16, 3) and ex.ink.shape == (48, 48)
    ex = samples.example(np.random.default_rng(4), "anime")
    page_h, page_w = (int(v) for v in art.hw[0])
    assert max(seen[-1][0]) >= max(page_h, page_w) * 0.9  # the whole 96-px page, not the crop
    assert ex.draft.ndim == 3 and ex.draft.shape[2] == 3 and ex.ink.shape == (48, 48)


def test_mixed_refine_input_equals_inference_input_v2() -> None:
    """What RefineNetV2 trains on is what TorchColorNets feeds it: the dots spread along the
    lines (layout 2), not across them."""
    from paintassist.nets.draft_net import DraftNet
    from paintassist.nets.inference import TorchColorNets
    from paintassist.nets.inputs import refine_input
    from paintassist.nets.refine_net import RefineNetV2
    from paintassist.training.data import MixedRefineSamples

    class Seen(RefineNetV2):
        seen: torch.Tensor

        def forward(self, x):  # type: ignore[no-untyped-def]
            self.seen = x.detach().clone()
            return super().forward(x)

    _, art = _sources()
    samples = MixedRefineSamples({"anime": 1.0}, 64, anime=art, p_zero=0.0)
    ex = samples.example(np.random.default_rng(5))
    x = samples.one(np.random.default_rng(5))[0]
    assert len(ex.dots) > 0
    assert np.array_equal(x, refine_input(ex.ink, ex.draft, ex.dots, version=2))
    assert not np.array_equal(x, refine_input(ex.ink, ex.draft, ex.dots, version=1))
    net = Seen(4)
    TorchColorNets(DraftNet(4), net, device="cpu").refine(ex.ink, ex.draft, ex.dots)
    assert np.allclose(net.seen[0].float().permute(1, 2, 0).numpy(), x, atol=1e-6)


def test_refine_v2_run_from_a_draft_run_exports_and_loads(tmp_path: Path) -> None:
    """--stage refine --arch refine-v2 --mix ...: drafts from a draft run's ckpt.pt, per-source
    validation, exported with inputs 2 and served by TorchColorNets with layout 2; refine-v3
    from its weights the same way with layout 3."""
    import json

    from paintassist.core.types import HintSet
    from paintassist.nets.refine_net import RefineNetV2
    from paintassist.nets.registry import load_nets
    from paintassist.training.checkpoints import load_checkpoint
    from paintassist.training.export_weights import export
    from paintassist.training.train import main

    clip, art = _sources()
    corpus = _write_corpus(tmp_path, clip, art)
    common = ["--corpus", str(corpus), "--size", "32", "--batch", "2", "--width", "4",
              "--threads", "1", "--steps", "2"]
    draft = tmp_path / "draft"
    assert main(["--stage", "draft", "--arch", "draft-bins-v2", "--mix", "anime=1",
                 "--out", str(draft), *common]) == 0
    refine = tmp_path / "refine"
    assert main(["--stage", "refine", "--arch", "refine-v2", "--mix", "anime=0.7,clipart=0.3",
                 "--drafts-from", str(draft), "--out", str(refine), *common]) == 0
    state = load_checkpoint(refine / "ckpt.pt")
    assert state["meta"]["arch"] == "refine-v2" and state["meta"]["inputs"] == 2
    last = json.loads((refine / "log.jsonl").read_text().splitlines()[-1])
    assert "val_anime_psnr" in last and "val_clipart_psnr" in last
    manifest = export([draft, refine], tmp_path / "models", None, "test-v2")
    assert manifest["files"]["refine"]["arch"] == "refine-v2"
    assert manifest["files"]["refine"]["inputs"] == 2
    nets = load_nets(tmp_path / "models", "cpu")
    assert nets is not None and isinstance(nets.refine_net, RefineNetV2)
    # refine-v3 (both spreads, 16 channels) starts from the v2 run's weights, stem widened
    refine3 = tmp_path / "refine3"
    assert main(["--stage", "refine", "--arch", "refine-v3", "--mix", "anime=1",
                 "--init", str(refine / "ckpt.pt"), "--out", str(refine3), *common]) == 0
    assert load_checkpoint(refine3 / "ckpt.pt")["meta"]["inputs"] == 3
    manifest = export([draft, refine3], tmp_path / "models3", None, "test-v3")
    assert manifest["files"]["refine"]["inputs"] == 3
    # the run it started from counts: its steps and seconds, in the chain and in the totals
    trained = manifest["training"]["refine"]
    (parent,) = trained["initialised_from"]
    assert parent["steps"] == 2 and parent["arch"] == "refine-v2"
    assert trained["cpu_seconds_total"] == trained["cpu_seconds"] + parent["cpu_seconds"]
    # moved to another machine, the parent run is found by its folder's name beside the run
    from paintassist.training.export_weights import init_chain

    moved = tmp_path / "elsewhere"
    moved.mkdir()
    (refine / "ckpt.pt").rename(moved / "ckpt.pt")
    gone = init_chain(str(refine / "ckpt.pt"), refine3)
    assert gone == [{"checkpoint": str(refine / "ckpt.pt"), "missing": True}]
    (moved / "ckpt.pt").rename(refine / "ckpt.pt")
    far = init_chain("/no/such/place/refine/ckpt.pt", refine3)
    assert far[0]["steps"] == 2  # found as refine/ckpt.pt beside refine3
    nets3 = load_nets(tmp_path / "models3", "cpu")
    assert nets3 is not None and nets3.refine_net.IN_CHANNELS == 16
    ink = np.zeros((32, 32), np.float32)
    out = nets3.refine(ink, np.full((8, 8, 3), 0.5, np.float32), HintSet())
    assert out.shape == (32, 32, 3)
    for bad in (["--arch", "draft-bins-v2"], ["--arch", "refine-v2"],
                ["--mix", "anime=0.5,faces=0.5"]):
        with pytest.raises(SystemExit):
            main(["--stage", "refine", *bad, "--out", str(tmp_path / "x"), *common])


def test_page_drafts_give_the_window_of_the_whole_pages_draft() -> None:
    """RefineNet's real anime drafts are cut from DraftNet's draft of the whole page (as at run
    time), under the crop's window, flipped with it; the squares land on the page where they lay
    on the crop."""
    from paintassist.core.types import Hint, HintSet
    from paintassist.training.data import PageDrafts

    _, art = _sources()
    calls: list[tuple[tuple[int, ...], HintSet]] = []

    def drafter(ink: np.ndarray, squares: HintSet) -> np.ndarray:
        calls.append((ink.shape, squares))
        h, w = ink.shape
        ramp = np.linspace(0.0, 1.0, w, dtype=np.float32)  # the draft's colour encodes x
        return np.broadcast_to(ramp[None, :, None], (h, w, 3)).copy()

    pages = PageDrafts(art, drafter)
    h, w = (int(v) for v in art.hw[0])
    y0, x0, side = 0, w - 40, 40  # the right edge of the picture
    right = pages.window(0, (y0, x0, side), HintSet(), flip=False)
    assert right[..., 0].mean() > 0.6  # the page's right part, not its left
    flipped = pages.window(0, (y0, x0, side), HintSet(), flip=True)
    assert np.array_equal(flipped, right[:, ::-1])
    assert len(calls) == 1  # the plain draft is made once per page
    pages.window(0, (y0, x0, side), HintSet((Hint("draft", 20, 20, (200, 0, 0), 8.0),)), False)
    (shape, squares), = calls[1:]
    (q,) = squares
    fy = shape[0] / h
    assert q.x == pytest.approx((x0 + 20) * shape[1] / w) and q.y == pytest.approx(20 * fy)
