"""The training tools' library functions raise TrainingError; only their main() exits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from paintassist.core.errors import PaintAssistError
from paintassist.nets.draft_net import DraftNet
from paintassist.training import corpus, export_weights, svg_render
from paintassist.training.errors import TrainingError


def test_corpus_build_without_renderer_raises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(svg_render, "have_renderer", lambda: False)
    with pytest.raises(TrainingError, match="rsvg-convert not found"):
        corpus.build(tmp_path / "corpus")
    assert issubclass(TrainingError, PaintAssistError)
    assert corpus.main(["--out", str(tmp_path / "corpus")]) == 1
    assert "rsvg-convert not found" in capsys.readouterr().err


def _draft_run(folder: Path) -> Path:
    """A run folder as training.train leaves it, with a tiny DraftNet."""
    folder.mkdir()
    net = DraftNet(8)
    meta = {
        "stage": "draft", "config": "cpu", "cfg": {"draft_width": 8, "batch": 2, "size": 32},
        "params": sum(p.numel() for p in net.parameters()), "device": "cpu", "threads": 1,
        "train_images": 3, "corpus": str(folder / "no-corpus"),
    }
    torch.save({"model": net.state_dict(), "step": 1, "elapsed": 0.5, "meta": meta},
               folder / "ckpt.pt")
    (folder / "log.jsonl").write_text(json.dumps({"step": 1, "val_l1": 0.2}) + "\n")
    return folder


def test_export_weights_errors_are_raised_not_exits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "models"
    with pytest.raises(TrainingError, match="no checkpoint"):
        export_weights.export([tmp_path], out, None, "test")
    draft = _draft_run(tmp_path / "draft")
    with pytest.raises(TrainingError, match=r"no run for stage\(s\) \['refine'\]"):
        export_weights.export([draft], out, None, "test")
    assert export_weights.main([str(draft), "--out", str(out)]) == 1
    assert "pass one draft and one refine RUNDIR" in capsys.readouterr().err
