import json
from pathlib import Path

import numpy as np
import pytest
import torch

from paintassist.core.errors import ModelError
from paintassist.core.types import Hint, HintSet
from paintassist.nets.draft_net import DraftNet
from paintassist.nets.refine_net import RefineNet
from paintassist.nets.registry import load_default_nets, load_nets, sha256_of


def _ship(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    torch.save(DraftNet(8).state_dict(), folder / "draftnet.pt")
    torch.save(RefineNet(8).state_dict(), folder / "refinenet.pt")
    manifest = {
        "version": "test-1",
        "files": {
            "draft": {
                "file": "draftnet.pt",
                "sha256": sha256_of(folder / "draftnet.pt"),
                "width": 8,
            },
            "refine": {
                "file": "refinenet.pt",
                "sha256": sha256_of(folder / "refinenet.pt"),
                "width": 8,
            },
        },
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))


def test_no_weights_means_none(tmp_path: Path) -> None:
    assert load_nets(tmp_path / "empty") is None
    assert load_nets(tmp_path) is None


def test_loads_verified_weights(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _ship(tmp_path)
    monkeypatch.setenv("PAINTASSIST_MODELS", str(tmp_path))
    nets = load_default_nets("cpu")
    assert nets is not None
    assert "test-1" in nets.description and "cpu" in nets.description
    draft = nets.draft(np.zeros((64, 64), np.float32), HintSet(), (), 1.0)
    assert draft.shape == (64, 64, 3)


def test_hash_mismatch_is_a_model_error(tmp_path: Path) -> None:
    _ship(tmp_path)
    with (tmp_path / "refinenet.pt").open("ab") as f:
        f.write(b"tampered")
    with pytest.raises(ModelError, match=r"refinenet\.pt.*sha256"):
        load_nets(tmp_path, "cpu")


def test_missing_file_and_bad_manifest(tmp_path: Path) -> None:
    _ship(tmp_path)
    (tmp_path / "draftnet.pt").unlink()
    with pytest.raises(ModelError, match=r"draftnet\.pt.*missing"):
        load_nets(tmp_path, "cpu")
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(ModelError, match="manifest"):
        load_nets(tmp_path, "cpu")


def test_weights_without_manifest(tmp_path: Path) -> None:
    _ship(tmp_path)
    (tmp_path / "manifest.json").unlink()
    with pytest.raises(ModelError, match=r"manifest\.json"):
        load_nets(tmp_path, "cpu")


def test_corrupt_file_with_matching_hash(tmp_path: Path) -> None:
    _ship(tmp_path)
    (tmp_path / "draftnet.pt").write_bytes(b"garbage")
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    manifest["files"]["draft"]["sha256"] = sha256_of(tmp_path / "draftnet.pt")
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="cannot read weights"):
        load_nets(tmp_path, "cpu")


@pytest.mark.parametrize("width", ["24", 2.5, True, None, 0, 10**9])
def test_a_manifest_width_that_is_no_small_whole_number_is_a_model_error(
    tmp_path: Path, width: object
) -> None:
    _ship(tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    manifest["files"]["draft"]["width"] = width
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="'width' must be a whole number"):
        load_nets(tmp_path, "cpu")


def test_hashes_are_checked_before_any_network_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ship(tmp_path)
    with (tmp_path / "refinenet.pt").open("ab") as f:
        f.write(b"tampered")
    built: list[str] = []
    import paintassist.nets.draft_net as draft_module

    real_init = draft_module.DraftNet.__init__

    def spy(self: object, *args: object, **kwargs: object) -> None:
        built.append("draft")
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(draft_module.DraftNet, "__init__", spy)
    with pytest.raises(ModelError, match="sha256"):
        load_nets(tmp_path, "cpu")
    assert built == []


def test_broken_weights_are_said_and_not_a_silent_fallback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from paintassist.app.services import build_pipeline

    _ship(tmp_path)
    (tmp_path / "refinenet.pt").write_bytes(b"broken")
    monkeypatch.setenv("PAINTASSIST_MODELS", str(tmp_path))
    pipeline = build_pipeline("auto")
    assert pipeline.nets is None
    assert pipeline.nets_error is not None and "sha256" in pipeline.nets_error
    assert build_pipeline("auto", use_networks=False).nets_error is None


def _ship_bins(folder: Path, arch: str = "draft-bins-v2", inputs: int | None = None) -> None:
    from paintassist.nets.draft_net import DraftNetBins

    _ship(folder)
    torch.save(DraftNetBins(8).state_dict(), folder / "draftnet.pt")
    manifest = json.loads((folder / "manifest.json").read_text())
    entry = manifest["files"]["draft"]
    entry.update({"sha256": sha256_of(folder / "draftnet.pt"), "arch": arch})
    if inputs is not None:
        entry["inputs"] = inputs
    (folder / "manifest.json").write_text(json.dumps(manifest))


def test_both_draft_architectures_load_and_paint(tmp_path: Path) -> None:
    from paintassist.nets.draft_net import DraftNetBins

    _ship(tmp_path / "v1")
    _ship_bins(tmp_path / "v2", inputs=2)
    old, new = load_nets(tmp_path / "v1", "cpu"), load_nets(tmp_path / "v2", "cpu")
    assert old is not None and new is not None
    assert type(old.draft_net) is DraftNet and old.draft_net.INPUT_VERSION == 1
    assert isinstance(new.draft_net, DraftNetBins) and new.draft_net.INPUT_VERSION == 2
    ink = np.zeros((64, 48), np.float32)
    ink[:, 20] = 1.0
    hints = HintSet((Hint("draft", 10.0, 10.0, (200, 40, 40), 6.0),))
    for nets in (old, new):
        draft = nets.draft(ink, hints, (), 1.0)
        assert draft.shape == (64, 48, 3) and draft.dtype == np.float32
        assert np.isfinite(draft).all() and draft.min() >= 0 and draft.max() <= 1


def test_shipped_manifest_without_arch_builds_draft_v1() -> None:
    from paintassist.nets.registry import build_net

    assert type(build_net("draft", {"file": "x", "sha256": "0", "width": 8})) is DraftNet


def test_unknown_arch_or_wrong_inputs_is_refused(tmp_path: Path) -> None:
    _ship_bins(tmp_path / "a", arch="draft-v9")
    with pytest.raises(ModelError, match="unknown 'arch'"):
        load_nets(tmp_path / "a", "cpu")
    _ship_bins(tmp_path / "b", inputs=1)
    with pytest.raises(ModelError, match="'inputs' 1 does not match"):
        load_nets(tmp_path / "b", "cpu")


def test_v1_weights_in_a_v2_manifest_do_not_fit(tmp_path: Path) -> None:
    _ship(tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    manifest["files"]["draft"]["arch"] = "draft-bins-v2"
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="do not fit the DraftNetBins"):
        load_nets(tmp_path, "cpu")
