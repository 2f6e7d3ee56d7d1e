"""Palettes and their files: our JSON, GIMP ``.gpl``, Krita ``.kpl`` and Adobe ``.ase``.

:class:`Palette` is a named, ordered list of :class:`Swatch` es (name, sRGB colour, optional
group). :func:`read_palette` reads any of the four formats (chosen by suffix, else sniffed from the
first bytes); :func:`write_palette` writes the one the suffix names, atomically. Every problem is a
:class:`PaletteError` whose message names the file (and the colour or line where there is one).

Formats
-------
``.json`` (ours; bundled presets, the character library)::

    {"name": "Aki", "character": true,
     "colors": [{"name": "hair", "hex": "#3b2a4f", "group": "head"}, ...]}

``.gpl`` (GIMP, also read by Krita and Inkscape): a text file ``GIMP Palette`` / ``Name:`` /
``Columns:`` / ``#`` comments, then ``R G B<tab>name`` lines (0..255). GIMP has no groups: we
write a ``# Group: NAME`` comment before each group's colours and read it back; GIMP ignores it.

``.kpl`` (Krita 4+): a zip holding ``mimetype`` (``application/x-krita-palette``, first, stored),
``colorset.xml`` and ``profiles.xml``. ``colorset.xml`` is a ``ColorSet`` element (name, comment,
columns, rows, version) whose ``ColorSetEntry`` children are the ungrouped colours and whose
``Group`` children hold the rest; each entry has a colour element (``RGB``/``sRGB`` r g b in 0..1,
``Gray`` g, ``CMYK`` c m y k in 0..1, ``Lab`` L 0..100 a b, ``XYZ`` x y z) and a ``Position``
(row, column). We write 8-bit ``RGB`` entries in Krita's sRGB profile and an empty profile list
(Krita's built-in sRGB needs no embedded ICC).

``.ase`` (Adobe Swatch Exchange: Photoshop, Illustrator, Clip Studio, Procreate): big-endian
``ASEF``, version 1.0, a block count, then blocks ``0x0001`` colour (UTF-16 name, model
``RGB ``/``CMYK``/``LAB ``/``Gray``, float32 values, type 0 global / 1 spot / 2 normal),
``0xC001`` group start (name) and ``0xC002`` group end. We write RGB colours.

Colours not in sRGB are converted without an ICC profile: CMYK naively
(``r = (1 - c)(1 - k)``, as viewers do without a press profile), Lab and XYZ through
the D50 white point of ICC's connection space (Bradford-adapted to sRGB's D65). Such a colour can
differ from what Photoshop shows for a CMYK swatch with its press profile.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
import struct
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET
from xml.sax.saxutils import quoteattr

import numpy as np

from paintassist.core.errors import InputError
from paintassist.core.types import RGB, hex_to_rgb, rgb_to_hex
from paintassist.io.atomic import atomic_write_bytes
from paintassist.io.files import read_bounded

#: Palette file suffixes we read and write, lower case with the dot.
PALETTE_SUFFIXES: tuple[str, ...] = (".json", ".gpl", ".kpl", ".ase")
#: Largest palette file read (bytes), and largest ``colorset.xml`` inside a ``.kpl``.
MAX_FILE_BYTES = 16 * 1024 * 1024
#: Most colours one palette may hold (GIMP's and Krita's own palettes have at most a few thousand).
MAX_COLOURS = 20_000
KPL_MIMETYPE = "application/x-krita-palette"
_KPL_MIMETYPES = frozenset({KPL_MIMETYPE, "krita/x-colorset"})
#: The profile Krita names its built-in 8-bit sRGB by.
_KRITA_SRGB = "sRGB-elle-V2-srgbtrc.icc"
_KPL_COLUMNS = 16
_ASE_COLOUR, _ASE_GROUP_START, _ASE_GROUP_END = 0x0001, 0xC001, 0xC002
_ASE_NORMAL = 2
FILE_FILTER = "Palettes (*.gpl *.kpl *.ase *.json)"


class PaletteError(InputError):
    """A palette file cannot be read or written; ``str()`` reads ``"<path>: <problem>"``."""


@dataclass(slots=True)
class Swatch:
    """One named colour. ``group``: the palette group it sits in ("" = ungrouped); in a
    character palette ``name`` is the part it colours ("hair", "skin")."""

    name: str
    rgb: RGB
    group: str = ""

    @property
    def hex(self) -> str:
        return rgb_to_hex(self.rgb)


@dataclass(slots=True)
class Palette:
    """A named, ordered list of swatches (mutable: the palette dock edits it in place).
    ``character``: a character's palette (its swatch names are the parts they colour)."""

    name: str
    swatches: list[Swatch] = field(default_factory=list)
    character: bool = False

    def to_json(self) -> dict[str, Any]:
        colors: list[dict[str, str]] = []
        for s in self.swatches:
            entry = {"name": s.name, "hex": s.hex}
            if s.group:
                entry["group"] = s.group
            colors.append(entry)
        out: dict[str, Any] = {"name": self.name, "colors": colors}
        if self.character:
            out["character"] = True
        return out

    @classmethod
    def from_json(cls, data: Any, source: Path | str | None = None) -> Palette:
        """Parse the JSON form; raises :class:`PaletteError` naming ``source`` and the problem."""
        if not isinstance(data, dict) or not isinstance(data.get("colors"), list):
            raise PaletteError(source, "not a palette (expected {'name': ..., 'colors': [...]})")
        if len(data["colors"]) > MAX_COLOURS:
            raise PaletteError(
                source, f"holds {len(data['colors']):,} colours; the limit is {MAX_COLOURS:,}"
            )
        swatches: list[Swatch] = []
        for i, entry in enumerate(data["colors"]):
            try:
                if isinstance(entry, str):
                    swatches.append(Swatch(entry, hex_to_rgb(entry)))
                else:
                    rgb = hex_to_rgb(str(entry["hex"]))
                    name = str(entry.get("name") or rgb_to_hex(rgb))
                    swatches.append(Swatch(name, rgb, str(entry.get("group") or "")))
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise PaletteError(source, f"colour {i}: {exc}") from exc
        return cls(str(data.get("name") or "Palette"), swatches, data.get("character") is True)

    @classmethod
    def load(cls, path: str | Path) -> Palette:
        """Read a palette file of any supported format (see :func:`read_palette`)."""
        return read_palette(path)

    def save(self, path: str | Path) -> Path:
        """Write the palette in the format ``path``'s suffix names (see :func:`write_palette`)."""
        return write_palette(self, path)

    def copy(self) -> Palette:
        return Palette(
            self.name, [Swatch(s.name, s.rgb, s.group) for s in self.swatches], self.character
        )

    def groups(self) -> list[str]:
        """The group names in first-use order ("" — the ungrouped colours — included if used)."""
        return list(dict.fromkeys(s.group for s in self.swatches))


# --- reading ---------------------------------------------------------------------------------------


def read_palette(path: str | Path) -> Palette:
    """Read a ``.gpl``, ``.kpl``, ``.ase`` or ``.json`` palette. The suffix decides; any other
    suffix is sniffed from the content. Raises :class:`PaletteError` naming the file."""
    p = Path(path)
    data = _read_bytes(p)
    kind = _kind(p, data)
    if kind == ".gpl":
        return parse_gpl(data, p)
    if kind == ".kpl":
        return parse_kpl(data, p)
    if kind == ".ase":
        return parse_ase(data, p)
    if kind == ".json":
        return parse_json(data, p)
    raise PaletteError(
        p, "not a palette file paintassist reads (GIMP .gpl, Krita .kpl, Adobe .ase or .json)"
    )


def _read_bytes(p: Path) -> bytes:
    data = read_bounded(p, MAX_FILE_BYTES, PaletteError, "a palette file")
    if not data:
        raise PaletteError(p, "file is empty (0 bytes)")
    return data


def _kind(p: Path, data: bytes) -> str | None:
    suffix = p.suffix.lower()
    if suffix in PALETTE_SUFFIXES:
        return suffix
    head = data[:64].lstrip(b"\xef\xbb\xbf")
    if head.startswith(b"GIMP Palette"):
        return ".gpl"
    if head.startswith(b"ASEF"):
        return ".ase"
    if head.startswith(b"PK\x03\x04"):
        return ".kpl"
    if head.lstrip()[:1] in (b"{", b"["):
        return ".json"
    return None


def parse_json(data: bytes, source: str | Path = "<palette>") -> Palette:
    """Our JSON palette from its bytes (UTF-8, with or without a byte-order mark)."""
    try:
        decoded = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise PaletteError(source, f"cannot read palette: {exc}") from None
    return Palette.from_json(decoded, source)


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:  # GIMP 2.x on Windows could write the ANSI code page
        return data.decode("latin-1")


def parse_gpl(data: bytes, source: str | Path = "<palette>") -> Palette:
    """A GIMP palette from its bytes."""
    lines = _text(data).splitlines()
    if not lines or not lines[0].strip().startswith("GIMP Palette"):
        raise PaletteError(source, "not a GIMP palette (the first line must be 'GIMP Palette')")
    name = Path(str(source)).stem
    group = ""
    swatches: list[Swatch] = []
    for number, raw in enumerate(lines[1:], start=2):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            m = re.match(r"#\s*Group:\s*(.*)$", line, re.IGNORECASE)
            if m:
                group = m.group(1).strip()
            continue
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() in ("name", "columns"):
            if key.strip().lower() == "name":
                name = value.strip() or name
            continue
        parts = line.split(None, 3)
        if len(parts) < 3:
            raise PaletteError(source, f"line {number}: expected 'R G B name', got {line!r}")
        try:
            rgb = tuple(int(v) for v in parts[:3])
        except ValueError:
            raise PaletteError(
                source, f"line {number}: colour values must be whole numbers, got {line!r}"
            ) from None
        if any(not 0 <= v <= 255 for v in rgb):
            raise PaletteError(source, f"line {number}: colour values must be 0..255, got {line!r}")
        label = parts[3].strip() if len(parts) > 3 else ""
        rgb3: RGB = (rgb[0], rgb[1], rgb[2])
        swatches.append(
            Swatch(label if label and label != "Untitled" else rgb_to_hex(rgb3), rgb3, group)
        )
        _check_count(swatches, source)
    return Palette(name, swatches)


def _check_count(swatches: Sequence[Swatch], source: str | Path) -> None:
    if len(swatches) > MAX_COLOURS:
        raise PaletteError(source, f"holds more than {MAX_COLOURS:,} colours")


def parse_kpl(data: bytes, source: str | Path = "<palette>") -> Palette:
    """A Krita palette (a zip with ``colorset.xml``) from its bytes."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise PaletteError(source, "not a Krita palette (a .kpl file is a zip archive)") from None
    with archive:
        names = set(archive.namelist())
        if "mimetype" in names:
            mimetype = _zip_member(archive, "mimetype", source).decode("ascii", "replace").strip()
            if mimetype not in _KPL_MIMETYPES:
                raise PaletteError(
                    source, f"not a Krita palette (its mimetype is {mimetype[:60]!r})"
                )
        if "colorset.xml" not in names:
            raise PaletteError(source, "not a Krita palette (no colorset.xml inside)")
        xml = _zip_member(archive, "colorset.xml", source)
    root = _parse_xml(xml, source, "colorset.xml")
    version = root.get("version", "")
    entries: list[tuple[str, ET.Element]] = []
    for child in root:
        if child.tag == "ColorSetEntry":
            entries.append(("", child))
        elif child.tag == "Group":
            group = child.get("name", "") or "Group"
            entries.extend((group, e) for e in child if e.tag == "ColorSetEntry")
    if len(entries) > MAX_COLOURS:
        raise PaletteError(source, f"holds {len(entries):,} colours; the limit is {MAX_COLOURS:,}")
    # Krita shows each group as a grid: order by (group, row, column); entries without a
    # Position follow in file order.
    group_rank = {g: i for i, g in enumerate(dict.fromkeys(g for g, _e in entries))}
    keyed: list[tuple[tuple[int, int, int, int], Swatch]] = []
    for order, (group, entry) in enumerate(entries):
        label = entry.get("name", "")
        where = f"colour {label!r}" if label else f"colour {order}"
        rgb = _kpl_colour(entry, version, source, where)
        cell = (1 << 30, 0)
        pos = entry.find("Position")
        if pos is not None:
            with contextlib.suppress(ValueError):
                cell = (int(pos.get("row", "")), int(pos.get("column", "")))
        keyed.append(
            ((group_rank[group], *cell, order), Swatch(label or rgb_to_hex(rgb), rgb, group))
        )
    keyed.sort(key=lambda item: item[0])
    name = root.get("name") or Path(str(source)).stem
    return Palette(name, [s for _k, s in keyed])


def _zip_member(archive: zipfile.ZipFile, name: str, source: str | Path) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MAX_FILE_BYTES:
        raise PaletteError(source, f"{name} unpacks to {info.file_size:,} bytes: too large")
    try:
        with archive.open(info) as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise PaletteError(source, f"{name} is damaged ({exc})") from None
    if len(data) > MAX_FILE_BYTES:
        raise PaletteError(source, f"{name} unpacks to more than {MAX_FILE_BYTES:,} bytes")
    return data


def _parse_xml(xml: bytes, source: str | Path, member: str) -> ET.Element:
    if b"<!DOCTYPE" in xml[:4096] or b"<!ENTITY" in xml:
        raise PaletteError(source, f"{member}: document types and entities are not allowed")
    try:
        return ET.fromstring(xml)
    except ET.ParseError as exc:
        raise PaletteError(source, f"{member} is not valid XML ({exc})") from None


def _floats(el: ET.Element, keys: str, source: str | Path, where: str) -> list[float]:
    values: list[float] = []
    for k in keys:
        raw = el.get(k)
        try:
            v = float(raw) if raw is not None else math.nan
        except ValueError:
            v = math.nan
        if not math.isfinite(v):
            raise PaletteError(source, f"{where}: {el.tag} needs a number {k!r}, got {raw!r}")
        values.append(v)
    return values


def _kpl_colour(entry: ET.Element, version: str, source: str | Path, where: str) -> RGB:
    colour = next((c for c in entry if c.tag != "Position"), None)
    if colour is None:
        raise PaletteError(source, f"{where}: no colour value")
    tag = colour.tag
    space = (colour.get("space") or "").lower()
    linear = any(s in space for s in ("g10", "linear", "scrgb"))
    if tag in ("RGB", "sRGB"):
        r, g, b = _floats(colour, "rgb", source, where)
        return _from_unit((r, g, b), linear and tag == "RGB")
    if tag == "Gray":
        (v,) = _floats(colour, "g", source, where)
        return _from_unit((v, v, v), linear)
    if tag == "CMYK":
        return cmyk_to_rgb(*_floats(colour, "cmyk", source, where))
    if tag == "Lab":
        lab_l, lab_a, lab_b = _floats(colour, "Lab", source, where)
        if version == "1.0":  # Krita 4.0 stored Lab scaled to 0..1 (as Krita reads it back)
            lab_l *= 100.0
            lab_a = (lab_a - 0.5) * 2 * (127.0 if lab_a > 0.5 else 128.0)
            lab_b = (lab_b - 0.5) * 2 * (127.0 if lab_b > 0.5 else 128.0)
        return lab_to_rgb(lab_l, lab_a, lab_b)
    if tag == "XYZ":
        return xyz_d50_to_rgb(*_floats(colour, "xyz", source, where))
    raise PaletteError(
        source, f"{where}: {tag} colours are not supported (RGB, Gray, CMYK, Lab, XYZ)"
    )


def parse_ase(data: bytes, source: str | Path = "<palette>") -> Palette:
    """An Adobe Swatch Exchange file from its bytes."""
    if len(data) < 12 or data[:4] != b"ASEF":
        raise PaletteError(source, "not an Adobe swatch exchange file (no 'ASEF' header)")
    major, _minor, count = struct.unpack(">HHI", data[4:12])
    if major != 1:
        raise PaletteError(source, f"unsupported ASE version {major} (this program reads 1)")
    pos, group = 12, ""
    swatches: list[Swatch] = []
    for index in range(count):
        if pos == len(data):  # some writers count a group's end block, some do not
            break
        if pos + 6 > len(data):
            raise PaletteError(source, f"block {index} is truncated (at byte {pos})")
        kind, length = struct.unpack(">HI", data[pos : pos + 6])
        body = data[pos + 6 : pos + 6 + length]
        if len(body) != length:
            raise PaletteError(source, f"block {index} is truncated (at byte {pos})")
        pos += 6 + length
        where = f"block {index}"
        if kind == _ASE_GROUP_START:
            group = _ase_name(body, 0, source, where)[0] or "Group"
        elif kind == _ASE_GROUP_END:
            group = ""
        elif kind == _ASE_COLOUR:
            swatches.append(_ase_colour(body, group, source, where))
            _check_count(swatches, source)
    return Palette(Path(str(source)).stem, swatches)


def _ase_name(body: bytes, at: int, source: str | Path, where: str) -> tuple[str, int]:
    if at + 2 > len(body):
        raise PaletteError(source, f"{where}: truncated name")
    (units,) = struct.unpack(">H", body[at : at + 2])
    end = at + 2 + 2 * units
    if end > len(body):
        raise PaletteError(source, f"{where}: truncated name")
    text = body[at + 2 : end].decode("utf-16-be", "replace").rstrip("\x00").strip()
    return text, end


def _ase_colour(body: bytes, group: str, source: str | Path, where: str) -> Swatch:
    label, at = _ase_name(body, 0, source, where)
    model = body[at : at + 4].decode("ascii", "replace")
    counts = {"RGB ": 3, "CMYK": 4, "LAB ": 3, "GRAY": 1}
    n = counts.get(model.upper())
    if n is None:
        raise PaletteError(source, f"{where}: colour model {model!r} is not supported")
    values = body[at + 4 : at + 4 + 4 * n]
    if len(values) != 4 * n:
        raise PaletteError(source, f"{where}: truncated colour values")
    v = struct.unpack(f">{n}f", values)
    if not all(math.isfinite(x) for x in v):
        raise PaletteError(source, f"{where}: colour values must be finite numbers")
    m = model.upper()
    if m == "RGB ":
        rgb = _from_unit(v, False)
    elif m == "CMYK":
        rgb = cmyk_to_rgb(*v)
    elif m == "LAB ":
        rgb = lab_to_rgb(v[0] * 100.0, v[1], v[2])
    else:
        rgb = _from_unit((v[0], v[0], v[0]), False)
    return Swatch(label or rgb_to_hex(rgb), rgb, group)


# --- colour conversions ---------------------------------------------------------------------------


def _encode_srgb(c: float) -> float:
    c = min(1.0, max(0.0, c))
    return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def _from_unit(values: Iterable[float], linear: bool) -> RGB:
    out = [(_encode_srgb(v) if linear else min(1.0, max(0.0, v))) for v in values]
    return (round(out[0] * 255), round(out[1] * 255), round(out[2] * 255))


def cmyk_to_rgb(c: float, m: float, y: float, k: float) -> RGB:
    """CMYK in 0..1 to sRGB without a press profile."""
    c, m, y, k = (min(1.0, max(0.0, v)) for v in (c, m, y, k))
    return (
        round(255 * (1 - c) * (1 - k)),
        round(255 * (1 - m) * (1 - k)),
        round(255 * (1 - y) * (1 - k)),
    )


# XYZ (D50, ICC connection space) to linear sRGB, Bradford-adapted (Lindbloom's matrix).
_D50_TO_SRGB = (
    (3.1338561, -1.6168667, -0.4906146),
    (-0.9787684, 1.9161415, 0.0334540),
    (0.0719453, -0.2289914, 1.4052427),
)
_D50_WHITE = (0.96422, 1.0, 0.82521)


def xyz_d50_to_rgb(x: float, y: float, z: float) -> RGB:
    """CIE XYZ (D50, Y of white = 1) to sRGB."""
    lin = [row[0] * x + row[1] * y + row[2] * z for row in _D50_TO_SRGB]
    return _from_unit(lin, True)


def lab_to_rgb(lab_l: float, lab_a: float, lab_b: float) -> RGB:
    """CIELAB (D50, L 0..100) to sRGB."""
    fy = (lab_l + 16) / 116
    fx, fz = fy + lab_a / 500, fy - lab_b / 200

    def inv(t: float) -> float:
        return t**3 if t > 6 / 29 else 3 * (6 / 29) ** 2 * (t - 4 / 29)

    wx, wy, wz = _D50_WHITE
    return xyz_d50_to_rgb(wx * inv(fx), wy * inv(fy), wz * inv(fz))


# sRGB (D65) to CIE XYZ and the D65 white (IEC 61966-2-1), for srgb_to_lab.
_RGB_TO_XYZ = np.array(
    [[0.4124564, 0.3575761, 0.1804375],
     [0.2126729, 0.7151522, 0.0721750],
     [0.0193339, 0.1191920, 0.9503041]]
)  # fmt: skip
_D65 = np.array([0.95047, 1.0, 1.08883])


def srgb_to_lab(rgb: np.ndarray | Sequence[RGB]) -> np.ndarray:
    """CIELAB (D65) float64 (..., 3) of sRGB colours (..., 3) in 0..255 (numpy only)."""
    c = np.asarray(rgb, np.float64) / 255.0
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    xyz = lin @ _RGB_TO_XYZ.T / _D65
    eps = (6 / 29) ** 3
    f = np.where(xyz > eps, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack(
        [116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])],
        axis=-1,
    )


# --- writing ---------------------------------------------------------------------------------------


def write_palette(palette: Palette, path: str | Path) -> Path:
    """Write ``palette`` atomically in the format ``path``'s suffix names (``.gpl``, ``.kpl``,
    ``.ase`` or ``.json``); returns the path. PaletteError for another suffix or an I/O error."""
    p = Path(path)
    writers: dict[str, Callable[[Palette], bytes]] = {
        ".gpl": gpl_bytes,
        ".kpl": kpl_bytes,
        ".ase": ase_bytes,
        ".json": json_bytes,
    }
    writer = writers.get(p.suffix.lower())
    if writer is None:
        raise PaletteError(p, "unknown palette format: name the file .gpl, .kpl, .ase or .json")
    try:
        return atomic_write_bytes(p, writer(palette))
    except OSError as exc:
        raise PaletteError(p, f"cannot write palette: {exc.strerror or exc}") from None


def json_bytes(palette: Palette) -> bytes:
    return (json.dumps(palette.to_json(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def gpl_bytes(palette: Palette) -> bytes:
    """The GIMP palette text (UTF-8). Groups become ``# Group:`` comments."""
    columns = min(_KPL_COLUMNS, max(1, len(palette.swatches)))
    lines = ["GIMP Palette", f"Name: {_one_line(palette.name)}", f"Columns: {columns}", "#"]
    group = ""
    for s in palette.swatches:
        if s.group != group:
            group = s.group
            lines.append(f"# Group: {_one_line(group)}")
        r, g, b = s.rgb
        lines.append(f"{r:3d} {g:3d} {b:3d}\t{_one_line(s.name) or 'Untitled'}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def kpl_bytes(palette: Palette) -> bytes:
    """A Krita palette zip: 8-bit sRGB entries, the ungrouped colours first, then each group."""
    columns = _KPL_COLUMNS
    by_group: dict[str, list[Swatch]] = {"": []}
    for s in palette.swatches:
        by_group.setdefault(s.group, []).append(s)

    def rows(n: int) -> int:
        return max(1, math.ceil(n / columns))

    def entries(swatches: list[Swatch], indent: str) -> list[str]:
        out = []
        for i, s in enumerate(swatches):
            r, g, b = (f"{c / 255:.6f}" for c in s.rgb)
            out += [
                f'{indent}<ColorSetEntry name={quoteattr(s.name)} id="" spot="false" bitdepth="U8">',
                f'{indent}  <RGB space="{_KRITA_SRGB}" r="{r}" g="{g}" b="{b}"/>',
                f'{indent}  <Position row="{i // columns}" column="{i % columns}"/>',
                f"{indent}</ColorSetEntry>",
            ]
        return out

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<ColorSet version="2.0" name={quoteattr(palette.name)} comment="" '
        f'columns="{columns}" rows="{rows(len(by_group[""]))}" readonly="false">',
        *entries(by_group.pop(""), "  "),
    ]
    for group, swatches in by_group.items():
        lines.append(f'  <Group name={quoteattr(group)} rows="{rows(len(swatches))}">')
        lines += entries(swatches, "    ")
        lines.append("  </Group>")
    lines += ["</ColorSet>", ""]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), KPL_MIMETYPE, zipfile.ZIP_STORED)
        zf.writestr("colorset.xml", "\n".join(lines), zipfile.ZIP_DEFLATED)
        zf.writestr(
            "profiles.xml",
            '<?xml version="1.0" encoding="UTF-8"?>\n<Profiles/>\n',
            zipfile.ZIP_DEFLATED,
        )
    return buf.getvalue()


def _ase_name_bytes(text: str) -> bytes:
    encoded = text.encode("utf-16-be") + b"\x00\x00"
    return struct.pack(">H", len(encoded) // 2) + encoded


def _ase_block(kind: int, body: bytes) -> bytes:
    return struct.pack(">HI", kind, len(body)) + body


def ase_bytes(palette: Palette) -> bytes:
    """An Adobe Swatch Exchange file: RGB colours, each group between start and end blocks."""
    blocks: list[bytes] = []
    group = ""
    for s in palette.swatches:
        if s.group != group:
            if group:
                blocks.append(_ase_block(_ASE_GROUP_END, b""))
            group = s.group
            if group:
                blocks.append(_ase_block(_ASE_GROUP_START, _ase_name_bytes(group)))
        body = (
            _ase_name_bytes(s.name)
            + b"RGB "
            + struct.pack(">3fH", *(c / 255 for c in s.rgb), _ASE_NORMAL)
        )
        blocks.append(_ase_block(_ASE_COLOUR, body))
    if group:
        blocks.append(_ase_block(_ASE_GROUP_END, b""))
    return b"ASEF" + struct.pack(">HHI", 1, 0, len(blocks)) + b"".join(blocks)
