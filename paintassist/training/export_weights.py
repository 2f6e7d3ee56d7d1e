"""Export trained runs as shipped weights.

``python -m paintassist.training.export_weights RUNDIR... --out models/`` takes the latest
checkpoint of a draft run and a refine run, writes ``draftnet.pt`` / ``refinenet.pt`` (bare state
dicts) and ``manifest.json`` (version, sha256 per file, corpus summary, data credits, training
steps/hardware/time, and the evaluation table when ``--eval FILE`` names one).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import sys
from pathlib import Path
from typing import Any

import torch

from paintassist import __version__
from paintassist.io.atomic import atomic_open, atomic_write_text
from paintassist.nets.registry import ARCHS, MANIFEST, sha256_of
from paintassist.training.checkpoints import load_checkpoint
from paintassist.training.errors import TrainingError

FILES = {"draft": "draftnet.pt", "refine": "refinenet.pt"}
DATA_CREDITS = [
    "Openclipart (Debian package openclipart-svg): public domain.",
    "OpenMoji (npm openmoji, openmoji.org): CC BY-SA 4.0.",
    "Streamline Emojis by Streamline (npm @iconify-json/streamline-emojis): CC BY 4.0.",
    "DraftNet only (when 'faces' is true below): 24,000 anime face crops (64 and 96 px) from the "
    "public repositories Mysterchan/Anime_DCGAN and antoncoding/Deep_Learning_GAN, no licence "
    "given, artwork (c) its artists; used for training only, not redistributed.",
]
ANIME_CREDIT = (
    "DraftNet and RefineNet (when their 'mix' below names 'anime'): 1,378 anime colour images (anime_art_768.tar: "
    "Katawa Shoujo and Katawa Shoujo Festival Day sprites and scenes, CC BY-NC-ND 3.0 Four Leaf "
    "Studios; Genshin Impact character art (c) HoYoverse via genshindev/api; CC fan illustrations "
    "from alexisVallet/cc-anime-images, each under its own licence), split by pose cluster, line "
    "art drawn by our own code; used for training only, not redistributed."
)


def _run_info(run: Path) -> tuple[str, dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    """(stage, checkpoint, its meta, log records) of a training run folder."""
    ckpt = run / "ckpt.pt"
    if not ckpt.is_file():
        raise TrainingError(f"{ckpt}: no checkpoint (is {run} a training run folder?)")
    state = load_checkpoint(ckpt)
    meta = state["meta"]
    log = [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines() if line]
    return str(meta["stage"]), state, meta, log


#: where committed checkpoints live: a run's ``--init`` path from another machine is looked up
#: here by its run folder's name
TRAINING_DIR = Path(__file__).resolve().parents[2] / "models" / "training"


def _find_checkpoint(path: Path, run: Path) -> Path | None:
    """``path`` if it exists, else the same file in a run folder of that name beside ``run`` or
    under :data:`TRAINING_DIR` (runs move between machines; their metas keep the old paths)."""
    for candidate in (path, run.parent / path.parent.name / path.name,
                      TRAINING_DIR / path.parent.name / path.name):
        if candidate.is_file():
            return candidate
    return None


def init_chain(init: str, run: Path, limit: int = 16) -> list[dict[str, Any]]:
    """The checkpoints a run was initialised from, nearest first (``--init``, then that run's own
    ``--init``, ...): steps, wall and CPU seconds of each training checkpoint; shipped weights (a
    bare state dict) end the chain as ``{"checkpoint": ..., "weights": true}``, a file that cannot
    be found as ``{"checkpoint": ..., "missing": true}``."""
    chain: list[dict[str, Any]] = []
    current: str | None = init
    while current and len(chain) < limit:
        found = _find_checkpoint(Path(current), run)
        if found is None:
            chain.append({"checkpoint": current, "missing": True})
            break
        parent = load_checkpoint(found)
        if not isinstance(parent, dict) or "step" not in parent or "meta" not in parent:
            chain.append({"checkpoint": current, "weights": True})
            break
        chain.append({
            "checkpoint": current, "arch": parent["meta"].get("arch"),
            "steps": int(parent["step"]), "train_seconds": round(float(parent["elapsed"])),
            "cpu_seconds": round(float(parent.get("cpu_s", 0.0))),
        })
        current = parent["meta"].get("init")
    return chain


def export(runs: list[Path], out: Path, eval_file: Path | None, version: str) -> dict[str, Any]:
    """Write the weights of ``runs`` (one draft and one refine run) and the manifest to ``out``;
    returns the manifest. Raises :class:`TrainingError` for a run without a checkpoint or a stage
    without a run."""
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, Any] = {}
    training: dict[str, Any] = {}
    corpus_summary: dict[str, Any] = {}
    uses_anime = False
    for run in runs:
        stage, state, meta, log = _run_info(run)
        path = out / FILES[stage]
        with atomic_open(path) as handle:
            torch.save({k: v.detach().clone() for k, v in state["model"].items()}, handle)
        width = meta["cfg"]["draft_width" if stage == "draft" else "refine_width"]
        arch = meta.get("arch", "draft-v1" if stage == "draft" else "refine-v1")
        files[stage] = {"file": path.name, "sha256": sha256_of(path), "width": width,
                        "arch": arch, "inputs": ARCHS[stage][arch],
                        "params": meta["params"], "bytes": path.stat().st_size}
        last = log[-1] if log else {}
        training[stage] = {
            "run": run.name, "steps": state["step"], "train_seconds": round(state["elapsed"]),
            # the process's CPU time (all threads), recorded from step cpu_from_step on
            "cpu_seconds": round(float(state.get("cpu_s", 0.0))),
            "cpu_from_step": int(state.get("cpu_from_step", 0)),
            "config": meta["config"], "batch": meta["cfg"]["batch"], "crop": meta["cfg"]["size"],
            "hardware": f"{meta['device']} ({meta['threads']} torch threads), "
                        f"{platform.processor() or platform.machine()}",
            "faces": meta.get("faces", False), "train_images": meta["train_images"],
            "face_images": meta.get("face_images", 0),
            "final_val_l1": last.get("val_l1"), "final_val_psnr": last.get("val_psnr"),
        }
        if meta.get("mix"):
            training[stage]["mix"] = meta["mix"]
            uses_anime = uses_anime or "anime" in meta["mix"]
        if meta.get("sessions"):  # every start of the run: when, where, on what hardware
            training[stage]["sessions"] = meta["sessions"]
        if meta.get("init"):  # fine-tuned: count the runs it started from too
            chain = init_chain(meta["init"], run)
            training[stage]["initialised_from"] = chain
            training[stage]["train_seconds_total"] = training[stage]["train_seconds"] + sum(
                c.get("train_seconds", 0) for c in chain)
            training[stage]["cpu_seconds_total"] = training[stage]["cpu_seconds"] + sum(
                c.get("cpu_seconds", 0) for c in chain)
        if meta.get("drafts_from"):
            training[stage]["drafts_from"] = meta.get("drafts_from")
        corpus_manifest = Path(meta["corpus"]) / "manifest.json"
        if corpus_manifest.is_file():
            cm = json.loads(corpus_manifest.read_text())
            corpus_summary = {"counts": cm.get("counts"), "licences": cm.get("licences"),
                              "size_px": cm.get("size_px"), "split": cm.get("split")}
    missing = [s for s in FILES if s not in files]
    if missing:
        raise TrainingError(f"no run for stage(s) {missing}: pass one draft and one refine RUNDIR")
    manifest: dict[str, Any] = {
        "version": version,
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "files": files,
        "training": training,
        "corpus": corpus_summary,
        "data_credits": DATA_CREDITS + ([ANIME_CREDIT] if uses_anime else []),
    }
    if eval_file is not None and eval_file.is_file():
        manifest["evaluation"] = json.loads(eval_file.read_text())
    atomic_write_text(out / MANIFEST, json.dumps(manifest, indent=2) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Export trained runs as shipped weights.")
    ap.add_argument("runs", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--eval", type=Path, default=None, help="evaluation JSON to embed")
    ap.add_argument("--version", default=f"{__version__}-cpu1")
    args = ap.parse_args(argv)
    try:
        manifest = export(args.runs, args.out, args.eval, args.version)
    except TrainingError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(json.dumps(manifest["files"], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
