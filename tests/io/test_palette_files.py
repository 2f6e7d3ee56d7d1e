"""Palette files: GIMP .gpl, Krita .kpl and Adobe .ase (and our JSON) round trip names, colours
and groups; files made by hand after each program's documented format read as those programs
show them; a bad file is a PaletteError (an InputError) naming the file."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

from paintassist.core.errors import InputError
from paintassist.io.palette_files import (
    Palette,
    PaletteError,
    Swatch,
    read_palette,
    srgb_to_lab,
    write_palette,
)


def _aki() -> Palette:
    return Palette(
        "Aki",
        [
            Swatch("hair", (59, 42, 79)),
            Swatch("skin", (246, 215, 195)),
            Swatch("eyes", (0, 128, 255), "face"),
            Swatch("髪の影 (hair shadow)", (35, 20, 50), "face"),
            Swatch("jacket", (255, 255, 255), "clothes"),
            Swatch("boots", (0, 0, 0), "clothes"),
        ],
    )


def _values(p: Palette) -> list[tuple[str, tuple[int, int, int], str]]:
    return [(s.name, s.rgb, s.group) for s in p.swatches]


@pytest.mark.parametrize("suffix", [".gpl", ".kpl", ".ase", ".json"])
def test_round_trip_keeps_names_colours_and_groups(tmp_path: Path, suffix: str) -> None:
    pal = _aki()
    path = write_palette(pal, tmp_path / f"Aki{suffix}")
    back = read_palette(path)
    assert _values(back) == _values(pal)
    assert back.name == "Aki"  # the .ase has no palette name: the file's stem is used


def test_palette_load_and_save_choose_the_format_by_suffix(tmp_path: Path) -> None:
    pal = _aki()
    assert pal.save(tmp_path / "a.kpl").read_bytes()[:2] == b"PK"
    assert (tmp_path / "a.ase").exists() is False
    pal.save(tmp_path / "a.ase")
    assert (tmp_path / "a.ase").read_bytes()[:4] == b"ASEF"
    assert _values(Palette.load(tmp_path / "a.ase")) == _values(pal)
    with pytest.raises(PaletteError, match=r"\.gpl, \.kpl, \.ase or \.json"):
        pal.save(tmp_path / "a.txt")


def test_reads_a_gimp_palette_as_gimp_writes_it(tmp_path: Path) -> None:
    text = (
        "GIMP Palette\r\n"
        "Name: Aki (GIMP)\r\n"
        "Columns: 4\r\n"
        "# made in GIMP 2.10\r\n"
        " 59  42  79\thair\r\n"
        "246 215 195\tskin tone light\r\n"
        "  0 128 255\tUntitled\r\n"
        "\r\n"
        "12 34 56\r\n"
    )
    path = tmp_path / "aki.gpl"
    path.write_bytes(text.encode("utf-8"))
    pal = read_palette(path)
    assert pal.name == "Aki (GIMP)"
    assert _values(pal) == [
        ("hair", (59, 42, 79), ""),
        ("skin tone light", (246, 215, 195), ""),
        ("#0080ff", (0, 128, 255), ""),  # GIMP's "Untitled" is no name
        ("#0c2238", (12, 34, 56), ""),
    ]


def test_gpl_groups_are_comments_gimp_ignores(tmp_path: Path) -> None:
    text = write_palette(_aki(), tmp_path / "a.gpl").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[:2] == ["GIMP Palette", "Name: Aki"]
    assert "# Group: face" in lines and "# Group: clothes" in lines
    assert " 59  42  79\thair" in lines


_KRITA_COLORSET = """<?xml version="1.0" encoding="UTF-8"?>
<ColorSet version="2.0" name="Aki (Krita)" comment="made in Krita 5.1" columns="2" rows="2" readonly="false">
 <ColorSetEntry name="skin" id="c2" spot="false" bitdepth="U8">
  <RGB space="sRGB-elle-V2-srgbtrc.icc" r="0.964706" g="0.843137" b="0.764706"/>
  <Position row="0" column="1"/>
 </ColorSetEntry>
 <ColorSetEntry name="hair" id="c1" spot="false" bitdepth="U8">
  <RGB space="sRGB-elle-V2-srgbtrc.icc" r="0.231373" g="0.164706" b="0.309804"/>
  <Position row="0" column="0"/>
 </ColorSetEntry>
 <ColorSetEntry name="grey" id="c3" spot="false" bitdepth="U8">
  <Gray space="Gray-D50-elle-V2-srgbtrc.icc" g="0.5"/>
  <Position row="1" column="0"/>
 </ColorSetEntry>
 <Group name="print" rows="1">
  <ColorSetEntry name="cyan ink" id="p1" spot="true" bitdepth="U8">
   <CMYK space="Chemical proof" c="1" m="0" y="0" k="0"/>
   <Position row="0" column="0"/>
  </ColorSetEntry>
  <ColorSetEntry name="lab white" id="p2" spot="false" bitdepth="U16">
   <Lab space="Lab identity built-in" L="100" a="0" b="0"/>
   <Position row="0" column="1"/>
  </ColorSetEntry>
  <ColorSetEntry name="linear half" id="p3" spot="false" bitdepth="F32">
   <RGB space="sRGB-elle-V2-g10.icc" r="0.215861" g="0.215861" b="0.215861"/>
  </ColorSetEntry>
 </Group>
</ColorSet>
"""


def _kpl(path: Path, colorset: str, mimetype: str = "application/x-krita-palette") -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), mimetype, zipfile.ZIP_STORED)
        zf.writestr("colorset.xml", colorset, zipfile.ZIP_DEFLATED)
        zf.writestr(
            "profiles.xml",
            '<Profiles><Profile name="sRGB-elle-V2-srgbtrc.icc" filename="sRGB-elle-V2-srgbtrc.icc"'
            ' colorModelId="RGBA" colorDepthId="U8"/></Profiles>',
        )
    return path


def test_reads_a_krita_palette_as_krita_writes_it(tmp_path: Path) -> None:
    pal = read_palette(_kpl(tmp_path / "aki.kpl", _KRITA_COLORSET))
    assert pal.name == "Aki (Krita)"
    assert _values(pal) == [
        ("hair", (59, 42, 79), ""),  # ordered by Position, as Krita shows the grid
        ("skin", (246, 215, 195), ""),
        ("grey", (128, 128, 128), ""),
        ("cyan ink", (0, 255, 255), "print"),
        ("lab white", (255, 255, 255), "print"),
        ("linear half", (128, 128, 128), "print"),  # a linear (g10) profile is encoded to sRGB
    ]


def test_our_kpl_has_the_layout_krita_expects(tmp_path: Path) -> None:
    path = write_palette(_aki(), tmp_path / "a.kpl")
    with zipfile.ZipFile(path) as zf:
        first = zf.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert zf.read("mimetype") == b"application/x-krita-palette"
        xml = zf.read("colorset.xml").decode()
        assert {"colorset.xml", "profiles.xml"} <= set(zf.namelist())
    assert xml.count("<ColorSetEntry") == 6 and '<Group name="face"' in xml
    assert 'bitdepth="U8"' in xml and '<RGB space="sRGB-elle-V2-srgbtrc.icc"' in xml


def _ase_name(text: str) -> bytes:
    data = text.encode("utf-16-be") + b"\0\0"
    return struct.pack(">H", len(data) // 2) + data


def _ase_block(kind: int, body: bytes) -> bytes:
    return struct.pack(">HI", kind, len(body)) + body


def _ase_colour(name: str, model: bytes, values: tuple[float, ...], kind: int = 2) -> bytes:
    body = (
        _ase_name(name) + model + struct.pack(f">{len(values)}f", *values) + struct.pack(">H", kind)
    )
    return _ase_block(0x0001, body)


def _hand_made_ase(count_group_end: bool = True) -> bytes:
    blocks = [
        _ase_colour("hair", b"RGB ", (59 / 255, 42 / 255, 79 / 255)),
        _ase_block(0xC001, _ase_name("Print")),
        _ase_colour("Process Cyan", b"CMYK", (1.0, 0.0, 0.0, 0.0), kind=1),
        _ase_colour("half grey", b"Gray", (0.5,), kind=0),
        _ase_colour("lab black", b"LAB ", (0.0, 0.0, 0.0)),
        _ase_block(0xC002, b""),
    ]
    count = len(blocks) if count_group_end else len(blocks) - 1
    return b"ASEF" + struct.pack(">HHI", 1, 0, count) + b"".join(blocks)


@pytest.mark.parametrize("count_group_end", [True, False])
def test_reads_an_adobe_swatch_exchange_file(tmp_path: Path, count_group_end: bool) -> None:
    path = tmp_path / "Studio swatches.ase"
    path.write_bytes(_hand_made_ase(count_group_end))
    pal = read_palette(path)
    assert pal.name == "Studio swatches"
    assert _values(pal) == [
        ("hair", (59, 42, 79), ""),
        ("Process Cyan", (0, 255, 255), "Print"),
        ("half grey", (128, 128, 128), "Print"),
        ("lab black", (0, 0, 0), "Print"),
    ]


def test_our_ase_writes_rgb_colours_in_groups(tmp_path: Path) -> None:
    data = write_palette(_aki(), tmp_path / "a.ase").read_bytes()
    assert data[:4] == b"ASEF" and struct.unpack(">HHI", data[4:12])[:2] == (1, 0)
    assert data.count(b"RGB ") == 6 and b"CMYK" not in data
    assert struct.unpack(">I", data[8:12])[0] == 6 + 2 * 2  # colours, 2 groups' start and end


def test_formats_are_sniffed_when_the_suffix_says_nothing(tmp_path: Path) -> None:
    for suffix in (".gpl", ".kpl", ".ase", ".json"):
        written = write_palette(_aki(), tmp_path / f"a{suffix}")
        renamed = written.rename(tmp_path / f"palette-{suffix[1:]}.dat")
        assert _values(read_palette(renamed)) == _values(_aki())


@pytest.mark.parametrize(
    "name,content,problem",
    [
        ("bad.gpl", b"JASC-PAL\n0100\n", "not a GIMP palette"),
        ("bad2.gpl", b"GIMP Palette\nName: x\n1 2\n", "line 3"),
        ("bad3.gpl", b"GIMP Palette\n300 0 0 red\n", "0..255"),
        ("bad.ase", b"ASEF\x00\x01", "not an Adobe swatch"),
        ("short.ase", _hand_made_ase()[:-20], "truncated"),
        (
            "weird.ase",
            b"ASEF" + struct.pack(">HHI", 1, 0, 1) + _ase_colour("x", b"HSB ", (1, 2, 3)),
            "'HSB '",
        ),
        ("bad.kpl", b"not a zip at all", "zip archive"),
        ("empty.kpl", b"", "empty"),
        ("bad.json", b"{", "cannot read"),
        ("bad.dat", b"\x00\x01\x02 binary", "not a palette file"),
    ],
)
def test_bad_files_are_a_palette_error_naming_the_file(
    tmp_path: Path, name: str, content: bytes, problem: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(PaletteError) as err:
        read_palette(path)
    assert isinstance(err.value, InputError)
    assert str(path) in str(err.value) and problem in str(err.value)


def test_bad_krita_archives(tmp_path: Path) -> None:
    no_set = tmp_path / "noset.kpl"
    with zipfile.ZipFile(no_set, "w") as zf:
        zf.writestr("mimetype", "application/x-krita-palette")
    wrong = _kpl(tmp_path / "wrong.kpl", _KRITA_COLORSET, mimetype="application/x-krita")
    entity = _kpl(
        tmp_path / "entity.kpl",
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><ColorSet name="&a;"/>',
    )
    yuv = _kpl(
        tmp_path / "yuv.kpl",
        '<ColorSet name="x"><ColorSetEntry name="odd"><YCbCr Y="1" Cb="0" Cr="0"/>'
        "</ColorSetEntry></ColorSet>",
    )
    nan = _kpl(
        tmp_path / "nan.kpl",
        '<ColorSet name="x"><ColorSetEntry name="n"><RGB r="x" g="0" b="0"/></ColorSetEntry>'
        "</ColorSet>",
    )
    for path, problem in (
        (no_set, "no colorset.xml"),
        (wrong, "mimetype"),
        (entity, "entities are not allowed"),
        (yuv, "YCbCr colours are not supported"),
        (nan, "needs a number 'r'"),
    ):
        with pytest.raises(PaletteError) as err:
            read_palette(path)
        assert str(path) in str(err.value) and problem in str(err.value), str(err.value)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(PaletteError, match="file not found"):
        read_palette(tmp_path / "nope.gpl")
    with pytest.raises(PaletteError, match="is a folder"):
        read_palette(tmp_path)


def test_srgb_to_lab_matches_reference_values() -> None:
    lab = srgb_to_lab([(255, 255, 255), (0, 0, 0), (255, 0, 0)])
    assert lab[0] == pytest.approx([100.0, 0.0, 0.0], abs=0.01)
    assert lab[1] == pytest.approx([0.0, 0.0, 0.0], abs=0.01)
    assert lab[2] == pytest.approx([53.24, 80.09, 67.20], abs=0.05)
