"""Hints file (versions 1 and 2): round trip and every validation error."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from paintassist.core.errors import HintsFileError
from paintassist.core.types import DEFAULT_HINT_SIZE, Hint, HintSet
from paintassist.io.hints_file import load_hints, parse_hints, save_hints


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "h.json"
    path.write_text(json.dumps(data))
    return path


def test_round_trip(tmp_path: Path) -> None:
    hints = HintSet(
        (
            Hint("accurate", 120.0, 88.5, (217, 160, 122), 5),
            Hint("draft", 300, 200, (48, 80, 192), 24),
        )
    )
    path = save_hints(tmp_path / "sub" / "a.json", hints)
    doc = load_hints(path)
    assert doc.hints == hints
    assert doc.warnings == ()
    assert doc.light is None


def test_issue_example_parses_and_sizes_default(tmp_path: Path) -> None:
    doc = load_hints(
        _write(
            tmp_path,
            {
                "version": 1,
                "hints": [
                    {"kind": "accurate", "x": 120.0, "y": 88.5, "color": "#d9a07a", "size": 5},
                    {"kind": "draft", "x": 300, "y": 200, "color": "#3050c0"},
                ],
            },
        )
    )
    assert doc.hints[0].rgb == (0xD9, 0xA0, 0x7A)
    assert doc.hints[1].size == DEFAULT_HINT_SIZE["draft"]


def test_unknown_keys_warn_not_fail(tmp_path: Path) -> None:
    doc = load_hints(
        _write(
            tmp_path,
            {
                "version": 1,
                "author": "me",
                "hints": [{"kind": "accurate", "x": 1, "y": 2, "color": "#000000", "note": "eye"}],
            },
        )
    )
    assert len(doc.hints) == 1
    assert any("author" in w for w in doc.warnings)
    assert any("hint 0" in w and "note" in w for w in doc.warnings)


@pytest.mark.parametrize(
    ("hint", "fragment"),
    [
        ({"kind": "blob", "x": 1, "y": 1, "color": "#000000"}, "kind"),
        ({"kind": "draft", "x": "a", "y": 1, "color": "#000000"}, "x must be"),
        ({"kind": "draft", "x": 1, "y": None, "color": "#000000"}, "y must be"),
        ({"kind": "draft", "x": -3, "y": 1, "color": "#000000"}, "negative"),
        ({"kind": "draft", "x": 1, "y": 1, "color": "blue"}, "color"),
        ({"kind": "draft", "x": 1, "y": 1, "color": 123}, "color"),
        ({"kind": "draft", "x": 1, "y": 1, "color": "#000000", "size": 0}, "size"),
        ({"kind": "draft", "x": 1, "y": 1, "color": "#000000", "size": True}, "size"),
        ({"kind": "draft", "y": 1, "color": "#000000"}, "missing 'x'"),
        ("not an object", "expected an object"),
    ],
)
def test_bad_hint_names_index_and_file(tmp_path: Path, hint: object, fragment: str) -> None:
    ok = {"kind": "accurate", "x": 1, "y": 1, "color": "#ffffff"}
    path = _write(tmp_path, {"version": 1, "hints": [ok, ok, hint]})
    with pytest.raises(HintsFileError) as info:
        load_hints(path)
    message = str(info.value)
    assert str(path) in message
    assert "hint 2" in message
    assert fragment in message


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ([], "JSON object"),
        ({"hints": []}, "missing 'version'"),
        ({"version": 3, "hints": []}, "unsupported version"),
        ({"version": True, "hints": []}, "unsupported version"),
        ({"version": 1, "hints": {}}, "must be a list"),
    ],
)
def test_bad_document(tmp_path: Path, data: object, fragment: str) -> None:
    with pytest.raises(HintsFileError, match=fragment):
        load_hints(_write(tmp_path, data))


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(HintsFileError, match="file not found"):
        load_hints(tmp_path / "missing.json")
    with pytest.raises(HintsFileError, match="folder"):
        load_hints(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(HintsFileError, match="not valid JSON"):
        load_hints(bad)
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(HintsFileError, match="not a text file"):
        load_hints(binary)


def test_parse_hints_accepts_empty() -> None:
    assert len(parse_hints({"version": 1}).hints) == 0


def test_hints_beside_finds_the_stems_json_beside_the_sketch_or_in_a_folder(tmp_path: Path) -> None:
    from paintassist.io.hints_file import hints_beside

    sketch = tmp_path / "page.v2.png"
    assert hints_beside(sketch) is None
    (tmp_path / "page.v2.json").write_text("{}")
    assert hints_beside(sketch) == tmp_path / "page.v2.json"
    other = tmp_path / "hints"
    other.mkdir()
    assert hints_beside(sketch, other) is None
    (other / "page.v2.json").write_text("{}")
    assert hints_beside(sketch, other) == other / "page.v2.json"


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
    ],
)
def test_hints_files_saved_with_a_bom_or_as_utf16_load(
    tmp_path: Path, encoding: str, bom: bytes
) -> None:
    text = json.dumps(
        {"version": 1, "hints": [{"kind": "accurate", "x": 3, "y": 4, "color": "#ff0000"}]}
    )
    path = tmp_path / "h.json"
    path.write_bytes(bom + text.encode(encoding))
    assert load_hints(path).hints[0].rgb == (255, 0, 0)


def test_deeply_nested_json_is_a_hints_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 200_000 + "]" * 200_000)
    with pytest.raises(HintsFileError, match="nested too deeply"):
        load_hints(path)


def test_huge_hint_size_and_coordinates_are_hints_errors_naming_the_hint(tmp_path: Path) -> None:
    hint = {"kind": "draft", "x": 3, "y": 4, "color": "#ff0000", "size": 1e12}
    with pytest.raises(HintsFileError, match=r"hint 0: size must be at most"):
        parse_hints({"version": 1, "hints": [hint]}, tmp_path / "h.json")
    hint = {"kind": "draft", "x": 1e300, "y": 4, "color": "#ff0000"}
    with pytest.raises(HintsFileError, match=r"hint 0: coordinates must be at most"):
        parse_hints({"version": 1, "hints": [hint]}, tmp_path / "h.json")
    with pytest.raises(ValueError, match="hint size"):
        Hint("draft", 1.0, 1.0, (1, 2, 3), 1e12)


def test_too_many_hints_and_too_large_files_are_refused(tmp_path: Path) -> None:
    from paintassist.io import hints_file

    many = [{"kind": "accurate", "x": 1, "y": 1, "color": "#000000"}] * (hints_file.MAX_HINTS + 1)
    with pytest.raises(HintsFileError, match="the limit is"):
        parse_hints({"version": 1, "hints": many}, tmp_path / "h.json")
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (hints_file.MAX_FILE_BYTES + 1))
    with pytest.raises(HintsFileError, match="larger than"):
        load_hints(big)


# -- version 2: gap strokes and links ----------------------------------------------------------------
def test_gap_strokes_and_links_round_trip(tmp_path: Path) -> None:
    from paintassist.core.types import Stroke

    hints = HintSet(
        (Hint("accurate", 10, 20, (1, 2, 3), 4.0),),
        (Stroke("gap", ((1.5, 2.0), (30.0, 40.25), (50.0, 41.0)), 2.5),
         Stroke("link", ((5.0, 6.0), (70.0, 80.0)))),
    )
    path = save_hints(tmp_path / "h.json", hints)
    data = json.loads(path.read_text())
    assert data["version"] == 2
    assert [h["kind"] for h in data["hints"]] == ["accurate", "gap", "link"]
    assert data["hints"][1] == {"kind": "gap", "points": [[1.5, 2.0], [30.0, 40.25], [50.0, 41.0]],
                                "width": 2.5}
    assert load_hints(path).hints == hints


def test_a_version_1_file_still_loads_and_cannot_hold_strokes(tmp_path: Path) -> None:
    doc = parse_hints({"version": 1, "hints": [{"kind": "draft", "x": 3, "y": 4,
                                                 "color": "#ff0000"}]})
    assert len(doc.hints) == 1 and doc.hints.strokes == ()
    with pytest.raises(HintsFileError, match="hint 0: kind 'gap' needs version 2"):
        parse_hints({"version": 1, "hints": [{"kind": "gap", "points": [[0, 0], [1, 1]]}]},
                    tmp_path / "h.json")


@pytest.mark.parametrize(
    "entry, message",
    [
        ({"kind": "gap"}, "hint 0: gap needs 'points'"),
        ({"kind": "gap", "points": [[1, 1]]}, "gap needs 2 to"),
        ({"kind": "link", "points": [[1, 1], [2, 2], [3, 3]]}, "link needs exactly 2 points"),
        ({"kind": "gap", "points": [[1, 1], [2]]}, "point 1 must be \\[x, y\\]"),
        ({"kind": "gap", "points": [[1, 1], [2, "a"]]}, "point 1 y must be a finite number"),
        ({"kind": "gap", "points": [[1, 1], [-2, 3]]}, "point 1 must lie in"),
        ({"kind": "gap", "points": [[1, 1], [2, 3]], "width": 0}, "width must be in"),
        ({"kind": "gap", "points": [[1, 1], [2, 3]], "width": 500}, "width must be in"),
    ],
)
def test_bad_strokes_name_the_file_and_the_entry(
    tmp_path: Path, entry: dict[str, object], message: str
) -> None:
    with pytest.raises(HintsFileError, match=message) as info:
        parse_hints({"version": 2, "hints": [entry]}, tmp_path / "h.json")
    assert "h.json" in str(info.value)


def test_unknown_stroke_keys_are_ignored_with_a_warning() -> None:
    doc = parse_hints({"version": 2, "hints": [
        {"kind": "link", "points": [[1, 1], [2, 2]], "colour": "#fff"}]})
    assert len(doc.hints.links) == 1
    assert any("unknown key 'colour'" in w for w in doc.warnings)
