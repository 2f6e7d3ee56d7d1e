"""Hostile and damaged files through the real loaders: only the documented error types escape.

Generated with hypothesis (derandomized: the same cases on every run, so CI failures reproduce): projects with
flipped bits, truncated archives, random values in every field, zip bombs; autosave metadata of
any shape; hints files of any JSON; model manifests of any JSON.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import zipfile
from pathlib import Path

import numpy as np
import pytest
from fakes import make_sketch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paintassist.app import project as project_module
from paintassist.app.document import Document, Reference
from paintassist.app.project import ProjectError, load_project, project_bytes
from paintassist.app.recovery import find_orphans
from paintassist.core.errors import HintsFileError, ModelError
from paintassist.core.types import Hint, HintSet
from paintassist.io.hints_file import load_hints, parse_hints

#: PAINTASSIST_FUZZ_EXAMPLES=5000 (and PAINTASSIST_FUZZ_RANDOM=1 for new cases each run) digs
#: deeper than CI's fixed, reproducible set.
FUZZ = settings(
    max_examples=int(os.environ.get("PAINTASSIST_FUZZ_EXAMPLES", "120")),
    deadline=None,
    derandomize=os.environ.get("PAINTASSIST_FUZZ_RANDOM") != "1",
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: Any JSON value, including the non-standard Infinity/NaN that Python's json reads and writes.
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=30,
)


def _valid_project() -> bytes:
    doc = Document()
    doc.set_sketch(make_sketch(60, 80))
    doc.hints = HintSet(
        (Hint("accurate", 10, 12, (200, 30, 40), 3), Hint("draft", 40, 30, (1, 2, 3), 12))
    )
    doc.references = (Reference(np.full((8, 8, 3), 90, np.uint8), "ref"),)
    return project_bytes(doc)


VALID = _valid_project()


def _meta() -> dict[str, object]:
    with zipfile.ZipFile(io.BytesIO(VALID)) as zf:
        return json.loads(zf.read("project.json"))


def _rezip(meta: object, extra: dict[str, bytes] | None = None) -> bytes:
    """VALID with its project.json replaced by ``meta`` (and ``extra`` members added)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(VALID)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != "project.json":
                dst.writestr(info, src.read(info))
        dst.writestr("project.json", json.dumps(meta))
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
    return out.getvalue()


def _load(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "p.paintassist"
    path.write_bytes(data)
    try:
        load_project(path)
    except ProjectError as exc:
        assert exc.path == path  # the error names the file
        assert str(exc).startswith(str(path))


def test_the_valid_project_loads(tmp_path: Path) -> None:
    path = tmp_path / "ok.paintassist"
    path.write_bytes(VALID)
    data = load_project(path)
    assert len(data.hints) == 2 and len(data.references) == 1


@FUZZ
@given(st.lists(st.integers(min_value=0, max_value=len(VALID) * 8 - 1), min_size=1, max_size=4))
def test_flipped_bits_give_a_project_error_or_a_project(tmp_path: Path, bits: list[int]) -> None:
    data = bytearray(VALID)
    for bit in bits:
        data[bit // 8] ^= 1 << (bit % 8)
    _load(tmp_path, bytes(data))


@FUZZ
@given(st.integers(min_value=0, max_value=len(VALID) - 1))
def test_truncated_projects_give_a_project_error(tmp_path: Path, size: int) -> None:
    _load(tmp_path, VALID[:size])


FIELDS = [
    ("version",),
    ("format",),
    ("sketch",),
    ("sketch", "embedded"),
    ("sketch", "path"),
    ("sketch", "sha256"),
    ("hints",),
    ("hints", "hints"),
    ("references",),
    ("palette",),
    ("palette", "colors"),
    ("settings",),
    ("settings", "gap_px"),
    ("settings", "preview_long_side"),
    ("settings", "reference_strength"),
    ("settings", "light"),
    ("settings", "layer_opacity"),
    ("settings", "layer_visible"),
    ("settings", "use_networks"),
]


@FUZZ
@given(st.sampled_from(FIELDS), json_values)
def test_any_value_in_any_field_gives_a_project_error_or_a_project(
    tmp_path: Path, field: tuple[str, ...], value: object
) -> None:
    meta = _meta()
    target: dict[str, object] = meta
    for key in field[:-1]:
        inner = target[key]
        assert isinstance(inner, dict)
        target = inner
    target[field[-1]] = value
    _load(tmp_path, _rezip(meta))


@pytest.mark.parametrize(
    "meta",
    [
        {"format": "paintassist-project", "version": float("inf")},
        {"format": "paintassist-project", "version": 1, "sketch": "sketch.png"},
        {"format": "paintassist-project", "version": 1, "sketch": {"embedded": "nope.png"}},
        [1, 2, 3],
        "just a string",
    ],
)
def test_named_hostile_projects(tmp_path: Path, meta: object) -> None:
    path = tmp_path / "p.paintassist"
    path.write_bytes(_rezip(meta))
    with pytest.raises(ProjectError):
        load_project(path)


def test_zip_bombs_are_refused_before_inflating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(project_module, "MAX_ENTRY_BYTES", 2**20)
    monkeypatch.setattr(project_module, "MAX_TOTAL_BYTES", 4 * 2**20)
    meta = _meta()
    big = {"bomb.png": b"\0" * (8 * 2**20)}  # 8 MB of zeros deflates to ~8 kB
    path = tmp_path / "bomb.paintassist"
    path.write_bytes(_rezip(meta, big))
    with pytest.raises(ProjectError, match="unpacks to"):
        load_project(path)
    monkeypatch.setattr(project_module, "MAX_TOTAL_BYTES", 64 * 2**20)
    sketch = meta["sketch"]
    assert isinstance(sketch, dict)
    sketch["embedded"], sketch["sha256"] = "bomb.png", None
    path.write_bytes(_rezip(meta, big))
    with pytest.raises(ProjectError, match=r"bomb\.png: .* the limit is"):
        load_project(path)


def test_a_reference_listed_many_times_is_refused(tmp_path: Path) -> None:
    meta = _meta()
    refs = meta["references"]
    assert isinstance(refs, list)
    meta["references"] = refs * 400
    path = tmp_path / "p.paintassist"
    path.write_bytes(_rezip(meta))
    with pytest.raises(ProjectError, match="references"):
        load_project(path)


def test_a_huge_embedded_reference_meets_the_pixel_limit(tmp_path: Path) -> None:
    from paintassist.io.png import encode_png

    meta = _meta()
    huge = encode_png(np.zeros((7000, 7000), np.uint8))  # 49 Mpx, a few kB compressed
    refs = meta["references"]
    assert isinstance(refs, list) and isinstance(refs[0], dict)
    refs[0]["embedded"] = "references/huge.png"
    path = tmp_path / "p.paintassist"
    path.write_bytes(_rezip(meta, {"references/huge.png": huge}))
    with pytest.raises(ProjectError, match="too large"):
        load_project(path)


# -- autosave metadata ---------------------------------------------------------------------------
@FUZZ
@given(json_values)
def test_autosave_metadata_of_any_shape_is_skipped_not_raised(tmp_path: Path, meta: object) -> None:
    folder = tmp_path / "recovery"
    folder.mkdir(exist_ok=True)
    (folder / "x.paintassist").write_bytes(VALID)
    (folder / "x.json").write_text(json.dumps(meta))
    entries = find_orphans(folder)
    assert len(entries) <= 1


# -- hints files ---------------------------------------------------------------------------------
hint_items = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["accurate", "draft", "gap", 3, None]),
        "x": json_values,
        "y": json_values,
    },
    optional={"color": json_values | st.sampled_from(["#ff0000", "#abc"]), "size": json_values},
)


@FUZZ
@given(
    st.one_of(
        json_values,
        st.fixed_dictionaries(
            {"version": st.just(1), "hints": st.lists(hint_items, max_size=4)},
            optional={"light": json_values},
        ),
    )
)
def test_any_hints_json_gives_a_hints_error_or_hints(data: object) -> None:
    try:
        doc = parse_hints(data, "fuzz.json")
    except HintsFileError as exc:
        assert "fuzz.json" in str(exc)
    else:
        assert all(np.isfinite(h.size) and h.size > 0 for h in doc.hints)


@FUZZ
@given(st.binary(max_size=300))
def test_any_bytes_as_a_hints_file_give_a_hints_error_or_hints(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "h.json"
    path.write_bytes(raw)
    with contextlib.suppress(HintsFileError):
        load_hints(path)


# -- model manifests -----------------------------------------------------------------------------
@FUZZ
@given(json_values)
def test_any_models_manifest_gives_a_model_error_and_the_classical_fallback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, manifest: object
) -> None:
    from paintassist.app.services import build_pipeline
    from paintassist.nets.registry import load_nets

    folder = tmp_path / "models"
    folder.mkdir(exist_ok=True)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with contextlib.suppress(ModelError):
        assert load_nets(folder, "cpu") is None
    monkeypatch.setenv("PAINTASSIST_MODELS", str(folder))
    pipeline = build_pipeline("auto")
    assert pipeline.nets is None


@FUZZ
@given(
    st.sampled_from(["draft", "refine"]), st.sampled_from(["width", "file", "sha256"]), json_values
)
def test_any_value_in_a_manifest_entry_gives_a_model_error(
    tmp_path: Path, net: str, key: str, value: object
) -> None:
    from paintassist.nets.registry import read_manifest

    folder = tmp_path / "models"
    folder.mkdir(exist_ok=True)
    good = {"file": f"{net}.pt", "sha256": "0" * 64, "width": 8}
    manifest = {"files": {"draft": dict(good), "refine": dict(good)}}
    manifest["files"][net][key] = value
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with contextlib.suppress(ModelError):
        read_manifest(folder)
