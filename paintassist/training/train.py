"""Train DraftNet or RefineNet.

``python -m paintassist.training.train --stage draft|refine --corpus DIR --out RUNDIR
[--config cpu|cuda] [--resume] [--minutes M] [--no-faces]``

Seeded; checkpoints (model, optimiser, step, RNG state) go to RUNDIR/ckpt.pt every
``ckpt_every`` steps and at the end, written atomically; ``--resume`` continues from it. Validation
(L1 and PSNR on a fixed, seeded set of val samples) is logged to RUNDIR/log.jsonl and stdout.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from paintassist.nets import color_bins
from paintassist.nets.draft_net import ARCHITECTURES as DRAFT_ARCHS
from paintassist.nets.draft_net import DraftNetBins
from paintassist.nets.refine_net import ARCHITECTURES as REFINE_ARCHS
from paintassist.nets.refine_net import RefineNet, widen_state
from paintassist.training.anime_art import load_anime
from paintassist.training.checkpoints import load_checkpoint, save_checkpoint
from paintassist.training.data import (
    Drafter,
    DraftSamples,
    MixedDraftSamples,
    MixedRefineSamples,
    Pool,
    RefineSamples,
    load_corpus,
    load_faces,
    parse_mix,
)


@dataclass(frozen=True)
class Config:
    """Hyper-parameters of one configuration."""

    batch: int
    size: int
    lr: float
    steps: int
    val_every: int
    ckpt_every: int
    val_samples: int
    draft_width: int = 24
    refine_width: int = 16
    amp: bool = True


CONFIGS = {
    # 2 shared CPU cores: small crops and batches; real progress in an hour.
    "cpu": Config(batch=8, size=128, lr=1e-3, steps=20_000, val_every=100, ckpt_every=100,
                  val_samples=48),
    # One large GPU: big batches at full corpus resolution, bf16/fp16 autocast.
    "cuda": Config(batch=64, size=256, lr=2e-3, steps=60_000, val_every=1000, ckpt_every=1000,
                   val_samples=512),
}


class _BatchStream(torch.utils.data.IterableDataset):  # type: ignore[type-arg]
    """Endless batches from a sampler, one RNG stream per DataLoader worker (``--workers``)."""

    def __init__(self, sampler: DraftSamples | RefineSamples | MixedDraftSamples
                 | MixedRefineSamples, batch: int, seed: int) -> None:
        self.sampler, self.batch, self.seed = sampler, batch, seed

    def __iter__(self) -> Any:
        info = torch.utils.data.get_worker_info()
        rng = np.random.default_rng([self.seed, info.id if info is not None else 0])
        while True:
            yield self.sampler.batch(self.batch, rng)


def _drafter(models: Path) -> Drafter:
    """DraftNet of a weights folder, or of a training run (its folder or a ``ckpt.pt``), as a
    :data:`~paintassist.training.data.Drafter` (CPU)."""
    from paintassist.core.types import HintSet
    from paintassist.nets.inference import TorchColorNets
    from paintassist.nets.registry import load_nets
    from paintassist.training.preview import nets_from_checkpoint

    ckpt = models if models.suffix == ".pt" else models / "ckpt.pt"
    nets: TorchColorNets | None = (
        nets_from_checkpoint(ckpt) if ckpt.is_file() else load_nets(models, "cpu")
    )
    if nets is None:
        raise FileNotFoundError(f"{models}: no weights manifest and no ckpt.pt")

    def draft(ink: np.ndarray, squares: HintSet) -> np.ndarray:
        return nets.draft(ink, squares, (), 1.0)

    return draft


#: each stage's architecture when ``--arch`` is not given (the 0.1.x ones)
DEFAULT_ARCH = {"draft": "draft-v1", "refine": "refine-v1"}


def make_model(stage: str, cfg: Config, arch: str | None = None) -> nn.Module:
    arch = arch or DEFAULT_ARCH[stage]
    if stage == "draft":
        return DRAFT_ARCHS[arch](cfg.draft_width)
    return REFINE_ARCHS[arch](cfg.refine_width)


def _forward(model: nn.Module, stage: str, batch: tuple[torch.Tensor, ...]) -> Any:
    if stage == "draft":
        x, style, strength, _ = batch
        return model(x, style, strength)
    return model(batch[0])


def _to_device(batch: tuple[np.ndarray, ...], device: torch.device) -> tuple[torch.Tensor, ...]:
    out = []
    for a in batch:
        t = torch.from_numpy(np.ascontiguousarray(a)).float().to(device)
        out.append(t.contiguous(memory_format=torch.channels_last) if t.ndim == 4 else t)
    return tuple(out)


#: Both sides of the loss are clamped to [LOSS_EPS, 1 - LOSS_EPS]. L1 seeks the median, which on
#: mostly-white clip art is exactly 1.0 — a sigmoid logit of +∞: without faces in the batches the
#: logits ran away and every ReLU died within 50 steps (an all-white net, twice). With the clamp a
#: prediction above 0.98 for a white target has no gradient, so logits stay finite.
LOSS_EPS = 0.02


def loss_fn(pred: torch.Tensor, target: torch.Tensor, chroma_weight: float = 0.0) -> torch.Tensor:
    """L1 on RGB plus L1 on a ×4-downsampled image (so large flat areas count, not just edges),
    with both clamped to [LOSS_EPS, 1 - LOSS_EPS].

    pred, target: float (B, 3, H, W) in 0..1. ``chroma_weight`` k > 0 weighs each pixel by
    ``1 + k·(max − min of the target's RGB)`` (normalised to mean 1): L1's answer is the weighted
    median, and without the weight that median is paper or a muted beige, since white paper and
    pale skin outnumber every saturated colour (the regression form of Zhang et al.'s class
    rebalancing). Measured with k = 4, DraftNet fine-tuned 2,900 steps from the shipped weights:
    no-hint chroma on the real pairs 4.2 → 14.3, but every unhinted area turned the same saturated
    yellow (the emoji faces' colour, now the weighted median) and N = 0 PSNR fell 0.3 dB. A single
    colour per pixel cannot be both vivid and right; that needs a multimodal (classification) head.
    """
    small = nn.functional.avg_pool2d
    pred = pred.clamp(LOSS_EPS, 1.0 - LOSS_EPS)
    target = target.clamp(LOSS_EPS, 1.0 - LOSS_EPS)
    err = (pred - target).abs()
    err_small = (small(pred, 4) - small(target, 4)).abs()
    if chroma_weight <= 0.0:
        return err.mean() + 0.5 * err_small.mean()
    w = 1.0 + chroma_weight * (target.amax(1, keepdim=True) - target.amin(1, keepdim=True))
    w_small = small(w, 4)
    return (err * w).mean() / w.mean() + 0.5 * (err_small * w_small).mean() / w_small.mean()


#: weight of the lightness L1 (on L/100) against the rebalanced a*b* cross-entropy
L_WEIGHT = 10.0


class BinsLoss:
    """DraftNet ``draft-bins-v2``'s loss: cross-entropy of the a*b* class logits against the
    soft-encoded target (:func:`~paintassist.nets.color_bins.soft_encode_sparse` of the target's
    a*b* averaged 2×2 to the logits' resolution), each pixel weighted by class rebalancing, plus
    :data:`L_WEIGHT` × L1 of the lightness (full and ×4-downsampled, as :func:`loss_fn`).

    class_weights: float32 (K,) from :func:`~paintassist.nets.color_bins.rebalance_weights`.
    """

    def __init__(self, bins: np.ndarray, class_weights: np.ndarray,
                 device: torch.device) -> None:
        self.lookup = torch.from_numpy(color_bins.cell_lookup(bins)).to(device)
        self.class_weights = torch.from_numpy(np.asarray(class_weights, np.float32)).to(device)

    def targets(self, rgb: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Target RGB (B, 3, H, W) → (classes, weights) at H/2 and lightness L/100 (B, 1, H, W)."""
        lab = color_bins.rgb_to_lab(rgb.float())
        ab = nn.functional.avg_pool2d(lab[:, 1:], 2)
        classes, weights = color_bins.soft_encode_sparse(ab, self.lookup)
        return classes, weights, lab[:, :1] / 100.0

    def __call__(self, pred: tuple[torch.Tensor, torch.Tensor],
                 rgb: torch.Tensor) -> tuple[torch.Tensor, dict[str, float]]:
        logits, lightness = pred
        classes, weights, light = self.targets(rgb)
        ce = color_bins.soft_cross_entropy(logits, classes, weights, self.class_weights)
        small = nn.functional.avg_pool2d
        l1 = (lightness - light).abs().mean() + 0.5 * (small(lightness, 4) - small(light, 4)).abs().mean()
        return ce + L_WEIGHT * l1, {"ce": float(ce.detach()), "l1_light": float(l1.detach())}


def estimate_prior(sampler: MixedDraftSamples, bins: np.ndarray, batches: int = 24,
                   batch: int = 16, seed: int = 777) -> np.ndarray:
    """Smoothed empirical a*b* class prior (K,) of ``sampler``'s targets at the logits'
    resolution (fixed seed: the same data gives the same prior)."""
    rng = np.random.default_rng(seed)
    lookup = torch.from_numpy(color_bins.cell_lookup(bins))
    counts = torch.zeros(len(bins), dtype=torch.float64)
    for _ in range(batches):
        y = torch.from_numpy(sampler.batch(batch, rng)[-1])
        ab = nn.functional.avg_pool2d(color_bins.rgb_to_lab(y)[:, 1:], 2)
        c, w = color_bins.soft_encode_sparse(ab, lookup)
        counts += torch.bincount(c.flatten(), w.flatten().double(), minlength=len(bins))
    return color_bins.smoothed_prior(counts.numpy(), bins)


def _chroma(rgb: torch.Tensor) -> torch.Tensor:
    """Per-pixel a*b* chroma (B, H, W) of RGB (B, 3, H, W)."""
    lab = color_bins.rgb_to_lab(rgb.float())
    return torch.hypot(lab[:, 1], lab[:, 2])


def validate(model: nn.Module, stage: str, val: list[tuple[torch.Tensor, ...]],
             device: torch.device, amp: bool) -> dict[str, float]:
    """Mean L1 and PSNR (dB) over the fixed validation batches, and the chroma of the prediction
    over the target's on the painted pixels (1 = as vivid)."""
    model.eval()
    l1s, psnrs, chroma_p, chroma_t = [], [], 0.0, 0.0
    with torch.no_grad(), _autocast(device, amp):
        for batch in val:
            out = _forward(model, stage, batch)
            if isinstance(model, DraftNetBins):
                out = model.decode(*out)
            pred = out.float().clamp(0, 1)
            target = batch[-1]
            l1s.append(float((pred - target).abs().mean()))
            mse = ((pred - target) ** 2).flatten(1).mean(1).clamp_min(1e-10)
            psnrs.append(float((10 * torch.log10(1.0 / mse)).mean()))
            painted = (target.amin(1) < 0.94).float()
            chroma_p += float((_chroma(pred) * painted).sum())
            chroma_t += float((_chroma(target) * painted).sum())
    model.train()
    return {"val_l1": float(np.mean(l1s)), "val_psnr": float(np.mean(psnrs)),
            "val_chroma_ratio": chroma_p / max(chroma_t, 1e-6)}


def _autocast(device: torch.device, amp: bool) -> Any:
    # bf16 on both: AMX on CPU, tensor cores on recent GPUs, and no loss scaling needed
    return torch.autocast(device.type, dtype=torch.bfloat16, enabled=amp)


def hardware() -> dict[str, Any]:
    """What this run trains on: CPU model, cores, torch threads, the bf16 instructions."""
    model, flags = platform.processor() or platform.machine(), ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name") and model in ("", platform.machine()):
                    model = line.split(":", 1)[1].strip()
                elif line.startswith("flags") and not flags:
                    flags = line
    except OSError:
        pass
    return {"cpu": model, "cores": os.cpu_count(), "torch_threads": torch.get_num_threads(),
            "torch": str(torch.__version__), "amx_bf16": "amx_bf16" in flags,
            "avx512_bf16": "avx512_bf16" in flags,
            "cuda": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None}


def _val_sets(args: argparse.Namespace, cfg: Config, device: torch.device,
              input_version: int, drafter: Drafter | None = None,
              ) -> dict[str, list[tuple[torch.Tensor, ...]]]:
    """Fixed, seeded validation batches per source that has a val split (the stage's own
    sampler: :class:`MixedDraftSamples` or :class:`MixedRefineSamples`)."""
    sets: dict[str, list[tuple[torch.Tensor, ...]]] = {}
    pools: dict[str, Any] = {}
    mix = parse_mix(args.mix)
    if "clipart" in mix or not mix:
        pools["clipart"] = load_corpus(args.corpus, "val")
    if "anime" in mix:
        pools["anime"] = load_anime(args.anime, "val")
    for name, pool in pools.items():
        kw = {name: pool}
        sampler: MixedDraftSamples | MixedRefineSamples
        if args.stage == "draft":
            sampler = MixedDraftSamples({name: 1.0}, cfg.size, input_version=input_version, **kw)
        else:
            sampler = MixedRefineSamples({name: 1.0}, cfg.size, drafter=drafter,
                                         input_version=input_version, **kw)
        vrng = np.random.default_rng(12345)
        n = max(1, cfg.val_samples // 16)
        sets[name] = [_to_device(sampler.batch(min(16, cfg.val_samples), vrng), device)
                      for _ in range(n)]
    return sets


def train(args: argparse.Namespace) -> dict[str, Any]:
    cfg = CONFIGS[args.config]
    for key in ("steps", "batch", "lr", "size"):
        if getattr(args, key, None) is not None:
            cfg = Config(**{**asdict(cfg), key: getattr(args, key)})
    if getattr(args, "width", None) is not None:
        cfg = Config(**{**asdict(cfg), "draft_width" if args.stage == "draft" else
                        "refine_width": args.width})
    if getattr(args, "no_amp", False):
        cfg = Config(**{**asdict(cfg), "amp": False})
    device = torch.device("cuda" if args.config == "cuda" and torch.cuda.is_available() else "cpu")
    torch.set_num_threads(args.threads or os.cpu_count() or 1)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(args.seed)
    arch = getattr(args, "arch", None) or DEFAULT_ARCH[args.stage]
    bins_head = arch == DraftNetBins.ARCH
    archs: dict[str, Any] = DRAFT_ARCHS if args.stage == "draft" else REFINE_ARCHS
    input_version = int(archs[arch].INPUT_VERSION)

    corpus = load_corpus(args.corpus, "train")
    faces: Pool | None = None
    sampler: DraftSamples | RefineSamples | MixedDraftSamples | MixedRefineSamples
    val_sets: dict[str, list[tuple[torch.Tensor, ...]]]
    mix: dict[str, float] = {}
    if args.stage == "draft" and args.mix:
        mix = parse_mix(args.mix)
        anime = load_anime(args.anime, "train") if "anime" in mix else None
        if "faces" in mix:
            faces = load_faces(cfg.size, limit=args.face_limit, lines=False)
        sampler = MixedDraftSamples(mix, cfg.size, clipart=corpus if "clipart" in mix else None,
                                    anime=anime, faces=faces, input_version=input_version)
        val_sets = _val_sets(args, cfg, device, input_version)
    elif args.mix:  # RefineNet on anime art and clip art
        mix = parse_mix(args.mix)
        anime = load_anime(args.anime, "train") if "anime" in mix else None
        drafter = _drafter(args.drafts_from) if args.drafts_from else None
        sampler = MixedRefineSamples(mix, cfg.size, clipart=corpus if "clipart" in mix else None,
                                     anime=anime, drafter=drafter, input_version=input_version)
        val_sets = _val_sets(args, cfg, device, input_version, drafter)
    else:
        val_corpus = load_corpus(args.corpus, "val")
        vrng = np.random.default_rng(12345)
        if args.stage == "draft":
            if not args.no_faces:
                faces = load_faces(cfg.size, limit=args.face_limit)
            sampler = DraftSamples(corpus, faces, cfg.size)
            val_sampler: DraftSamples | RefineSamples = DraftSamples(val_corpus, None, cfg.size)
        else:
            drafter = _drafter(args.drafts_from) if args.drafts_from else None
            sampler = RefineSamples(corpus, cfg.size, drafter=drafter)
            val_sampler = RefineSamples(val_corpus, cfg.size, drafter=drafter)
        val_sets = {"corpus": [_to_device(val_sampler.batch(min(16, cfg.val_samples), vrng),
                                          device)
                               for _ in range(max(1, cfg.val_samples // 16))]}

    model = make_model(args.stage, cfg, arch).to(device)
    if args.init is not None:  # start from trained weights (fresh optimiser and schedule)
        init = load_checkpoint(args.init)
        weights = init.get("model", init) if isinstance(init, dict) else init
        if isinstance(model, RefineNet):  # a narrower RefineNet's state: its stem widened
            weights = widen_state(weights, model.IN_CHANNELS)
        model.load_state_dict(weights)
    model = model.to(memory_format=torch.channels_last)  # type: ignore[call-overload]
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    step, elapsed = 0, 0.0
    # CPU time of this process (all threads) inside the steps; measured since the run first
    # recorded it (``cpu_from_step``), earlier sessions had only wall time
    cpu_s, cpu_from_step = 0.0, 0
    rng = np.random.default_rng(args.seed)
    ckpt_path = out / "ckpt.pt"
    prior: np.ndarray | None = None
    resumed = False
    if args.resume and ckpt_path.is_file():
        state = load_checkpoint(ckpt_path, device)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        step, elapsed = int(state["step"]), float(state["elapsed"])
        cpu_s = float(state.get("cpu_s", 0.0))
        cpu_from_step = int(state.get("cpu_from_step", step))
        rng = np.random.default_rng()
        rng.bit_generator.state = state["rng"]
        torch.set_rng_state(state["torch_rng"])
        if state.get("prior") is not None:
            prior = np.asarray(state["prior"], np.float64)
        resumed = True
        print(f"[train] resumed {ckpt_path} at step {step} ({elapsed / 3600:.2f} h)", flush=True)
    bins_loss: BinsLoss | None = None
    if bins_head:
        assert isinstance(model, DraftNetBins) and isinstance(sampler, MixedDraftSamples)
        bins = model.bins.cpu().numpy()
        if prior is None:
            prior = estimate_prior(sampler, bins)
        bins_loss = BinsLoss(bins, color_bins.rebalance_weights(prior, args.rebalance), device)

    meta_path = out / "meta.json"
    sessions: list[dict[str, Any]] = []
    if resumed and meta_path.is_file():
        sessions = list(json.loads(meta_path.read_text(encoding="utf-8")).get("sessions", []))
    sessions.append({"started": time.strftime("%Y-%m-%dT%H:%M:%S"), "at_step": step,
                     "host": platform.node(), "hardware": hardware(), "workers": args.workers,
                     "command": sys.argv[1:]})
    meta = {
        "stage": args.stage, "arch": arch, "inputs": input_version, "config": args.config,
        "cfg": asdict(cfg), "seed": args.seed, "mix": mix,
        "faces": faces is not None and len(faces) > 0, "face_images": 0 if faces is None
        else len(faces), "corpus": str(args.corpus), "train_images": len(corpus),
        "anime": str(args.anime) if "anime" in mix else None,
        "device": str(device), "threads": torch.get_num_threads(),
        "params": sum(p.numel() for p in model.parameters()),
        "init": str(args.init) if args.init is not None else None,
        "drafts_from": str(args.drafts_from) if args.drafts_from is not None else None,
        "chroma_weight": args.chroma_weight, "rebalance_lambda": args.rebalance if bins_head
        else None, "sessions": sessions,
    }
    # plain JSON types only: the checkpoint holding it is read back with weights_only=True
    meta = json.loads(json.dumps(meta))
    meta_path.write_text(json.dumps(meta, indent=2), encoding="utf-8")
    log = (out / "log.jsonl").open("a", encoding="utf-8")

    def checkpoint() -> None:
        save_checkpoint(ckpt_path, {
            "model": model.state_dict(), "opt": opt.state_dict(), "step": step,
            "elapsed": elapsed, "cpu_s": cpu_s, "cpu_from_step": cpu_from_step,
            "rng": rng.bit_generator.state,
            "torch_rng": torch.get_rng_state(), "meta": meta,
            "prior": None if prior is None else torch.from_numpy(np.asarray(prior)),
        })

    stream: Any = None
    if args.workers > 0:  # generate batches in parallel processes
        stream = iter(torch.utils.data.DataLoader(
            _BatchStream(sampler, cfg.batch, args.seed * 100_003 + step),
            batch_size=None, num_workers=args.workers, persistent_workers=True,
        ))
    deadline = time.time() + args.minutes * 60 if args.minutes else math.inf
    ckpt_every_s = args.ckpt_minutes * 60
    t_last = t_ckpt = time.time()
    c_last = time.process_time()
    losses: list[float] = []
    parts: dict[str, list[float]] = {}
    data_s = net_s = 0.0
    interval_steps, interval_t = 0, time.time()
    model.train()
    while step < cfg.steps and time.time() < deadline:
        for g in opt.param_groups:  # warm-up, then cosine decay over the configured steps
            warm = min(1.0, (step + 1) / 200)
            g["lr"] = cfg.lr * warm * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * step / cfg.steps)))
        t0 = time.time()
        raw = next(stream) if stream is not None else sampler.batch(cfg.batch, rng)
        batch = _to_device(tuple(np.asarray(a) for a in raw), device)
        t1 = time.time()
        with _autocast(device, cfg.amp):
            pred = _forward(model, args.stage, batch)
        if bins_loss is not None:
            loss, part = bins_loss(pred, batch[-1])
            for k, v in part.items():
                parts.setdefault(k, []).append(v)
        else:
            loss = loss_fn(pred.float(), batch[-1], args.chroma_weight)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        losses.append(float(loss.detach()))
        step += 1
        interval_steps += 1
        now = time.time()
        data_s += t1 - t0
        net_s += now - t1
        elapsed += now - t_last
        t_last = now
        c_now = time.process_time()
        cpu_s += c_now - c_last
        c_last = c_now
        if step % cfg.val_every == 0 or step == cfg.steps:
            rec: dict[str, Any] = {
                "step": step, "elapsed_s": round(elapsed, 1), "cpu_s": round(cpu_s, 1),
                "steps_per_s": round(interval_steps / max(1e-9, now - interval_t), 4),
                "data_share": round(data_s / max(1e-9, data_s + net_s), 3),
                "lr": opt.param_groups[0]["lr"], "train_loss": float(np.mean(losses)),
                **{f"train_{k}": float(np.mean(v)) for k, v in parts.items()},
            }
            per = {name: validate(model, args.stage, vb, device, cfg.amp)
                   for name, vb in val_sets.items()}
            for name, r in per.items():
                rec.update({k.replace("val_", f"val_{name}_"): round(v, 4) for k, v in r.items()})
            rec["val_l1"] = float(np.mean([r["val_l1"] for r in per.values()]))
            rec["val_psnr"] = float(np.mean([r["val_psnr"] for r in per.values()]))
            losses, parts = [], {}
            data_s = net_s = 0.0
            print(json.dumps(rec), flush=True)
            log.write(json.dumps(rec) + "\n")
            log.flush()
            t_last = interval_t = time.time()
            c_last = time.process_time()
            interval_steps = 0
        if step % cfg.ckpt_every == 0 or time.time() - t_ckpt >= ckpt_every_s:
            checkpoint()
            t_ckpt = time.time()
        if args.keep_every and step % args.keep_every == 0:
            shutil.copyfile(ckpt_path, out / f"ckpt_{step:07d}.pt")
    checkpoint()
    final_val = {name: validate(model, args.stage, vb, device, cfg.amp)
                 for name, vb in val_sets.items()}
    rec = {"step": step, "elapsed_s": round(elapsed, 1), "cpu_s": round(cpu_s, 1), "final": True,
           "val_l1": float(np.mean([r["val_l1"] for r in final_val.values()])),
           "val_psnr": float(np.mean([r["val_psnr"] for r in final_val.values()]))}
    for name, r in final_val.items():
        rec.update({k.replace("val_", f"val_{name}_"): round(v, 4) for k, v in r.items()})
    print(json.dumps(rec), flush=True)
    log.write(json.dumps(rec) + "\n")
    log.close()
    return rec


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Train DraftNet or RefineNet.")
    ap.add_argument("--stage", choices=("draft", "refine"), required=True)
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--config", choices=tuple(CONFIGS), default="cpu")
    ap.add_argument("--arch", choices=(*DRAFT_ARCHS, *REFINE_ARCHS), default=None,
                    help="the net's architecture (default draft-v1 / refine-v1; draft-bins-v2: "
                         "a*b* classes, inputs v2; refine-v2: inputs v2; refine-v3: inputs v3)")
    ap.add_argument("--mix", default="",
                    help="sources and shares per batch, e.g. anime=0.5,clipart=0.3,faces=0.2 "
                         "(lines drawn by training.linegen; refine: anime and clipart only); "
                         "empty: the 0.1.x recipe")
    ap.add_argument("--anime", type=Path, default=None,
                    help="folder of anime_<split>.npz (default: CORPUS/anime)")
    ap.add_argument("--rebalance", type=float, default=0.5,
                    help="draft-bins-v2: class rebalancing λ (mix of the prior with uniform)")
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--minutes", type=float, default=None, help="stop (and checkpoint) after M min")
    ap.add_argument("--ckpt-minutes", type=float, default=5.0,
                    help="also checkpoint when this many minutes passed since the last one")
    ap.add_argument("--keep-every", type=int, default=0,
                    help="keep a copy ckpt_<step>.pt every N steps (0 = none)")
    ap.add_argument("--steps", type=int, default=None, help="override the config's total steps")
    ap.add_argument("--batch", type=int, default=None)
    ap.add_argument("--size", type=int, default=None, help="override the config's crop size")
    ap.add_argument("--width", type=int, default=None, help="override the net's channel width")
    ap.add_argument("--lr", type=float, default=None, help="override the config's peak learning rate")
    ap.add_argument("--no-amp", action="store_true", help="train in float32 (no bf16 autocast)")
    ap.add_argument("--threads", type=int, default=0,
                    help="torch CPU threads (0 = all cores)")
    ap.add_argument("--workers", type=int, default=0,
                    help="DataLoader worker processes making batches (0 = in the training loop)")
    ap.add_argument("--no-faces", action="store_true", help="draft: train without anime faces")
    ap.add_argument("--init", type=Path, default=None,
                    help="start from these weights (a checkpoint or a state dict)")
    ap.add_argument("--drafts-from", type=Path, default=None,
                    help="refine: weights folder, or training run (folder or ckpt.pt), whose "
                         "DraftNet makes 60%% of the drafts")
    ap.add_argument("--face-limit", type=int, default=None)
    ap.add_argument("--chroma-weight", type=float, default=0.0,
                    help="weigh saturated target pixels 1 + K·saturation in the loss (0 = plain L1)")
    args = ap.parse_args(argv)
    if args.anime is None:
        args.anime = args.corpus / "anime"
    if args.arch is not None and args.arch not in (DRAFT_ARCHS if args.stage == "draft"
                                                   else REFINE_ARCHS):
        ap.error(f"--arch {args.arch} is not a {args.stage} architecture")
    if args.arch in ("draft-bins-v2", "refine-v2", "refine-v3") and not args.mix:
        ap.error(f"--arch {args.arch} needs --mix (its inputs come from the mixed sampler)")
    try:
        mix = parse_mix(args.mix) if args.mix else {}
    except ValueError as exc:
        ap.error(str(exc))
    if args.stage == "refine" and "faces" in mix:
        ap.error("--mix: RefineNet trains on anime and clipart only (face crops are too small)")
    train(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
