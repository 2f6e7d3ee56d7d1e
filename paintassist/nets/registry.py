"""Find, verify and load the shipped weights (``models/manifest.json`` + one file per net).

Manifest layout (written by :mod:`paintassist.training.export_weights`)::

    {"version": "0.1.0", "files": {"draft": {"file": "draftnet.pt", "sha256": "…", "width": 24,
                                             "arch": "draft-v1", "inputs": 1},
                                   "refine": {"file": "refinenet.pt", "sha256": "…", "width": 16}},
     …training and evaluation records…}

``arch`` names the architecture (:data:`ARCHS`; absent: the 0.1.x one, ``draft-v1`` /
``refine-v1``) and ``inputs`` the input layout version (:mod:`paintassist.nets.inputs`) it was
trained on; absent, the architecture's own, and a value that disagrees with it is refused.

Nothing is loaded at import time; :func:`load_default_nets` does the work when called.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paintassist.core.errors import ModelError
from paintassist.paths import models_dir

if TYPE_CHECKING:
    from paintassist.nets.inference import TorchColorNets

MANIFEST = "manifest.json"
NETS = ("draft", "refine")
#: Channel width of each net when the manifest does not say, and the largest one accepted (a
#: DraftNet of width 128 has ~60 M parameters; a typo must not build a 17 GB network).
DEFAULT_WIDTH = {"draft": 24, "refine": 16}
MAX_WIDTH = 128
#: architectures per net (the manifest's ``arch``), the first the default, with their input
#: layout versions (kept here so a manifest is checked without importing torch)
ARCHS = {
    "draft": {"draft-v1": 1, "draft-bins-v2": 2},
    "refine": {"refine-v1": 1, "refine-v2": 2, "refine-v3": 3},
}


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The parsed manifest, None when the folder holds no weights at all; ModelError when the
    manifest is unreadable or lacks an entry, or weight files exist without a manifest."""
    path = folder / MANIFEST
    if not path.is_file():
        if folder.is_dir() and any(folder.glob("*.pt")):
            raise ModelError(f"{path}: missing, but {folder} holds weight files")
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path}: unreadable model manifest ({exc})") from exc
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, dict) or any(not isinstance(files.get(n), dict) for n in NETS):
        raise ModelError(f"{path}: manifest must list 'files' for {', '.join(NETS)}")
    for name in NETS:
        entry = files[name]
        if not isinstance(entry.get("file"), str) or not isinstance(entry.get("sha256"), str):
            raise ModelError(f"{path}: entry {name!r} needs 'file' and 'sha256'")
        width = entry.get("width", DEFAULT_WIDTH[name])
        if isinstance(width, bool) or not isinstance(width, int) or not 1 <= width <= MAX_WIDTH:
            raise ModelError(
                f"{path}: entry {name!r}: 'width' must be a whole number from 1 to {MAX_WIDTH}, "
                f"got {width!r}"
            )
        arch = entry.get("arch", next(iter(ARCHS[name])))
        if not isinstance(arch, str) or arch not in ARCHS[name]:
            raise ModelError(f"{path}: entry {name!r}: unknown 'arch' {arch!r}; this version "
                             f"knows {', '.join(ARCHS[name])}")
        inputs = entry.get("inputs", ARCHS[name][arch])
        if inputs != ARCHS[name][arch] or isinstance(inputs, bool):
            raise ModelError(f"{path}: entry {name!r}: 'inputs' {inputs!r} does not match "
                             f"architecture {arch!r} (input layout {ARCHS[name][arch]})")
    return manifest


def build_net(name: str, entry: dict[str, Any]) -> Any:
    """An untrained net of the manifest entry's architecture and width (entry already checked
    by :func:`read_manifest`)."""
    from paintassist.nets.draft_net import ARCHITECTURES as DRAFT_ARCHITECTURES
    from paintassist.nets.refine_net import ARCHITECTURES as REFINE_ARCHITECTURES

    width = entry.get("width", DEFAULT_WIDTH[name])
    arch = entry.get("arch", next(iter(ARCHS[name])))
    if name == "draft":
        return DRAFT_ARCHITECTURES[arch](width)
    return REFINE_ARCHITECTURES[arch](width)


def verified_state(folder: Path, entry: dict[str, Any]) -> dict[str, Any]:
    """Load one weight file after checking its sha256 against the manifest entry."""
    import torch

    path = folder / entry["file"]
    if not path.is_file():
        raise ModelError(f"{path}: weight file missing (listed in {folder / MANIFEST})")
    actual = sha256_of(path)
    if actual != entry["sha256"].lower():
        raise ModelError(
            f"{path}: sha256 {actual[:12]}… does not match the manifest's "
            f"{entry['sha256'][:12]}… (file corrupt or replaced)"
        )
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # torch raises many kinds for a bad file
        raise ModelError(f"{path}: cannot read weights ({exc})") from exc
    if not isinstance(state, dict):
        raise ModelError(f"{path}: not a state dict")
    return state


def load_nets(folder: Path, device: str = "auto") -> TorchColorNets | None:
    """Load and verify both nets from ``folder``; None when it holds no weights.

    Returns a :class:`paintassist.nets.inference.TorchColorNets` (satisfies the pipeline's
    ``ColorNets`` protocol). Raises ModelError for missing/corrupt/mismatching files.
    """
    from paintassist.nets.inference import TorchColorNets

    manifest = read_manifest(folder)
    if manifest is None:
        return None
    files = manifest["files"]
    # Hashes first: nothing is built from a manifest whose files do not match it.
    states = {name: verified_state(folder, files[name]) for name in NETS}
    draft_net = build_net("draft", files["draft"])
    refine_net = build_net("refine", files["refine"])
    for name, net in (("draft", draft_net), ("refine", refine_net)):
        state = states[name]
        try:
            net.load_state_dict(state)
        except RuntimeError as exc:
            raise ModelError(f"{folder / files[name]['file']}: weights do not fit "
                             f"the {type(net).__name__} architecture ({exc})") from exc
    try:
        return TorchColorNets(draft_net, refine_net, device=device,
                              version=str(manifest.get("version", "unknown")))
    except ValueError as exc:
        raise ModelError(f"{folder}: {exc}") from exc


def load_default_nets(device: str = "auto") -> TorchColorNets | None:
    """The shipped nets from :func:`paintassist.paths.models_dir`, or None when none are shipped.

    device: "auto" (CUDA when present, else CPU), "cpu" or "cuda". Raises
    :class:`~paintassist.core.errors.ModelError` with the file and the problem otherwise.
    """
    return load_nets(models_dir(), device)
