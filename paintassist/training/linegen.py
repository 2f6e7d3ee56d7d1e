"""Line art drawn from colour images, in several styles drawn at random per sample, then roughened
towards real sketches (open, grey, noisy).

Real sketches (``shared/realworld/sketches``) are mostly thin grey pencil or pen lines with breaks,
sketchy double strokes, hatching for blush and shadows, a tinted or noisy scan; a few are bold
marker lines or toned manga. The clean dark outlines of cel-shaded anime art are none of these, so
:func:`make_sketch` draws a base line image in one of :data:`STYLES`:

- ``ink``: dark lines, pixels darker than their neighbourhood (grey dilation minus the image): the
  artwork's own outlines, colour boundaries mostly dropped;
- ``thick_ink``: the same, dilated (marker, bold manga inking);
- ``pencil``: XDoG with a random scale and softness, grey;
- ``gradient``: Lab gradient magnitude, so colour and shading boundaries become lines too;

and :func:`roughen` then applies, each with its own probability: line-weight change, pressure
(low-frequency strength), sketchy double strokes, a small elastic warp, breaks of 2-20 px, hatching
in the shadows, a screentone patch, grey strength and gamma, blur, paper tone and texture, scan
noise and JPEG. All functions take a ``numpy.random.Generator``; ink is float32 0..1, 1 = full ink.
"""

from __future__ import annotations

import cv2
import numpy as np

from paintassist.core.lineart import ink_to_grey

STYLES = ("ink", "thick_ink", "pencil", "gradient")
#: chance of each base style in :func:`draw_lines`
STYLE_P = (0.4, 0.08, 0.35, 0.17)


def _grey(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32) / 255.0


def _smoothstep(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    t = np.clip((x - lo) / max(hi - lo, 1e-6), 0.0, 1.0)
    return (t * t * (3.0 - 2.0 * t)).astype(np.float32)


def _disc(r: int) -> np.ndarray:
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))


def dark_lines(rgb: np.ndarray, rng: np.random.Generator, radius: int = 1) -> np.ndarray:
    """Pixels darker than their neighbourhood: grey dilation (disc of ``radius``) minus the image,
    soft-thresholded so the artwork's dark outlines stay and most colour boundaries go."""
    g = _grey(rgb)
    d = cv2.dilate(g, _disc(radius)) - g
    # soft-lined art (painted scenes): stretch so its strongest lines reach full contrast
    top = float(np.percentile(d[::2, ::2], 99.5))
    if 0.02 < top < 0.6:
        d = d * (0.6 / top)
    lo = float(rng.uniform(0.08, 0.22))
    ink = _smoothstep(d, lo, lo + float(rng.uniform(0.15, 0.35)))
    # very dark pixels are ink even inside big dark areas (black hair stays outlined, not filled)
    dark = _smoothstep(0.2 - g, 0.0, 0.15) * _smoothstep(d, 0.05, 0.15)
    return np.maximum(ink, dark)


def xdog(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """XDoG pencil lines with random scale, sharpness and softness: grey, soft edges."""
    g = _grey(rgb)
    sigma = float(rng.uniform(0.5, 1.0))
    p = float(rng.uniform(10, 28))
    phi = float(rng.uniform(8, 60))
    eps = float(rng.uniform(-0.04, 0.0))
    g1 = cv2.GaussianBlur(g, (0, 0), sigma)
    g2 = cv2.GaussianBlur(g, (0, 0), sigma * 1.6)
    d = (1.0 + p) * g1 - p * g2
    paper = np.where(d >= eps, 1.0, 1.0 + np.tanh(phi * (d - eps)))
    return np.clip(1.0 - paper, 0, 1).astype(np.float32)


def gradient_lines(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Canny edges of the blurred image, so colour and shading boundaries become thin lines too
    (the two edges of a thin dark outline merge under a small closing)."""
    g = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    g = cv2.GaussianBlur(g, (0, 0), float(rng.uniform(0.7, 1.4)))
    lo = float(rng.uniform(15, 40))
    edges = cv2.Canny(g, lo, lo * float(rng.uniform(2.0, 3.0)), L2gradient=True)
    ink = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, _disc(1)).astype(np.float32) / 255.0
    return np.asarray(cv2.GaussianBlur(ink, (0, 0), 0.5), np.float32)


def draw_lines(rgb: np.ndarray, rng: np.random.Generator,
               style: str | None = None) -> tuple[np.ndarray, str]:
    """A clean base line image of rgb uint8 (H, W, 3) → (ink float32 (H, W) 0..1, style)."""
    if style is None:
        style = str(rng.choice(STYLES, p=STYLE_P))
    if style == "ink":
        ink = dark_lines(rgb, rng, int(rng.integers(1, 3)))
    elif style == "thick_ink":
        ink = cv2.dilate(dark_lines(rgb, rng, 1), _disc(1))
    elif style == "pencil":
        ink = xdog(rgb, rng)
    elif style == "gradient":
        ink = gradient_lines(rgb, rng)
    else:
        raise ValueError(f"unknown line style {style!r}; one of {STYLES}")
    return np.asarray(ink, np.float32), style


# -- roughening --------------------------------------------------------------------------------
def _noise_field(shape: tuple[int, int], rng: np.random.Generator, scale: float) -> np.ndarray:
    """Smooth noise 0..1 with features about ``scale`` px."""
    h, w = shape
    sh, sw = max(2, round(h / scale)), max(2, round(w / scale))
    small = rng.random((sh, sw)).astype(np.float32)
    return np.asarray(cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC).clip(0, 1),
                      np.float32)


def breaks(ink: np.ndarray, rng: np.random.Generator, density: float | None = None) -> np.ndarray:
    """Erase gaps of 2-20 px (discs) centred on line pixels."""
    on = np.flatnonzero(ink.ravel() > 0.3)
    if on.size == 0:
        return ink
    if density is None:
        density = float(np.exp(rng.uniform(np.log(1 / 2000), np.log(1 / 150))))
    n = max(1, int(on.size * density))
    picks = rng.choice(on, size=min(n, on.size), replace=False)
    mask = np.zeros(ink.shape, np.uint8)
    w = ink.shape[1]
    radii = np.clip(np.exp(rng.uniform(np.log(1.0), np.log(10.0), size=picks.size)), 1, 10)
    for p, r in zip(picks, radii, strict=True):
        y, x = divmod(int(p), w)
        cv2.circle(mask, (x, y), round(float(r)), 1, -1)
    soft = cv2.GaussianBlur(mask.astype(np.float32), (0, 0), 0.8)
    return (ink * (1.0 - soft)).astype(np.float32)


def elastic(ink: np.ndarray, rng: np.random.Generator, amp: float) -> np.ndarray:
    """Warp by a smooth random displacement of up to ``amp`` px."""
    h, w = ink.shape
    scale = float(rng.uniform(16, 48))
    dx = (_noise_field((h, w), rng, scale) - 0.5) * 2 * amp
    dy = (_noise_field((h, w), rng, scale) - 0.5) * 2 * amp
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    return np.asarray(cv2.remap(ink, xx + dx, yy + dy, cv2.INTER_LINEAR,
                                borderMode=cv2.BORDER_REPLICATE), np.float32)


def double_strokes(ink: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Sketchy re-drawn strokes: a shifted, warped, fainter copy of the lines added."""
    other = elastic(ink, rng, float(rng.uniform(0.8, 2.5)))
    shift = rng.uniform(-1.5, 1.5, size=2)
    m = np.array([[1, 0, shift[0]], [0, 1, shift[1]]], np.float32)
    other = cv2.warpAffine(other, m, (ink.shape[1], ink.shape[0]), borderMode=cv2.BORDER_REPLICATE)
    other = breaks(other, rng, float(rng.uniform(1 / 150, 1 / 40)))
    return np.maximum(ink, other * float(rng.uniform(0.4, 0.9))).astype(np.float32)


def shadow_mask(rgb: np.ndarray) -> np.ndarray:
    """Where the art is painted darker than its surroundings (cel shadows), float32 0..1."""
    g = _grey(rgb)
    local = cv2.GaussianBlur(g, (0, 0), 6.0)
    return _smoothstep(local - g, 0.03, 0.1) * _smoothstep(g, 0.15, 0.3)


def hatching(shape: tuple[int, int], mask: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Parallel pencil strokes (random angle, 3-7 px apart) broken into dashes, inside ``mask``."""
    h, w = shape
    theta = float(rng.uniform(0, np.pi))
    spacing = float(rng.uniform(3, 7))
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    u = xx * np.cos(theta) + yy * np.sin(theta)
    phase = (u / spacing) % 1.0
    lines = _smoothstep(0.25 - np.abs(phase - 0.5) * 0.5, 0.0, 0.1)
    dashes = _smoothstep(_noise_field(shape, rng, float(rng.uniform(4, 10))), 0.35, 0.55)
    m = cv2.erode(mask, _disc(1))
    return (lines * dashes * m * float(rng.uniform(0.4, 0.9))).astype(np.float32)


def screentone(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A dot-pattern tone over one colour region of the art (or a random box), float32 0..1."""
    h, w = rgb.shape[:2]
    q = (rgb[::4, ::4] // 64).reshape(-1, 3).astype(np.int32)
    codes = q[:, 0] * 16 + q[:, 1] * 4 + q[:, 2]
    counts = np.bincount(codes, minlength=64)
    counts[63] = 0  # not the white paper
    share = counts / max(1, counts.sum())
    cand = np.flatnonzero((share > 0.03) & (share < 0.4))
    if cand.size and rng.random() < 0.8:
        c = int(rng.choice(cand))
        full = (rgb // 64).astype(np.int32)
        region = ((full[..., 0] * 16 + full[..., 1] * 4 + full[..., 2]) == c).astype(np.float32)
    else:
        region = np.zeros((h, w), np.float32)
        y0, x0 = int(rng.integers(0, h // 2 + 1)), int(rng.integers(0, w // 2 + 1))
        region[y0 : y0 + int(rng.integers(h // 8 + 1, h // 2 + 2)),
               x0 : x0 + int(rng.integers(w // 8 + 1, w // 2 + 2))] = 1.0
    period = float(rng.uniform(3, 6))
    theta = float(rng.uniform(0, np.pi / 2))
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    u = (xx * np.cos(theta) + yy * np.sin(theta)) / period
    v = (-xx * np.sin(theta) + yy * np.cos(theta)) / period
    du, dv = u - np.round(u), v - np.round(v)
    radius = float(rng.uniform(0.2, 0.4))
    dots = _smoothstep(radius - np.sqrt(du * du + dv * dv), -0.05, 0.05)
    return (dots * region * float(rng.uniform(0.5, 0.9))).astype(np.float32)


def jpeg(ink: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    q = int(rng.integers(35, 90))
    ok, buf = cv2.imencode(".jpg", ink_to_grey(ink), [cv2.IMWRITE_JPEG_QUALITY, q])
    decoded = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE) if ok else None
    if decoded is None:
        return ink
    return (1.0 - decoded.astype(np.float32) / 255.0).astype(np.float32)


def roughen(ink: np.ndarray, rng: np.random.Generator, rgb: np.ndarray | None = None,
            hatch: bool | None = None) -> np.ndarray:
    """Make clean line art (float32 (H, W) 0..1) look like a real sketch or scan.

    rgb: the colour image (uint8 (H, W, 3)) the lines belong to: needed for hatching in its
    shadows and screentone over one of its colour regions (skipped when None). hatch: force the
    hatching on/off (None: at random, 30 %).
    """
    f: np.ndarray = np.clip(ink.astype(np.float32), 0, 1)
    h, w = f.shape
    r = rng.random()
    if r < 0.1:
        f = cv2.dilate(f, _disc(1))
    elif r < 0.35:
        f = cv2.erode(f, np.ones((2, 2), np.uint8)) * 0.5 + f * 0.5
    if rng.random() < 0.3:
        f = double_strokes(f, rng)
    if rng.random() < 0.5:
        f = elastic(f, rng, float(rng.uniform(0.3, 1.2)))
    if rng.random() < 0.6:
        f = breaks(f, rng)
    if rgb is not None and (hatch if hatch is not None else rng.random() < 0.3):
        f = np.maximum(f, hatching((h, w), shadow_mask(rgb), rng))
    if rgb is not None and rng.random() < 0.12:
        f = np.maximum(f, screentone(rgb, rng))
    if rng.random() < 0.6:  # pencil pressure: strength varying along the strokes
        f = f * (0.6 + 0.4 * _noise_field((h, w), rng, float(rng.uniform(10, 40))))
    if rng.random() < 0.6:  # grey lines, softer or harder response
        f = np.power(f, float(rng.uniform(0.7, 1.4))) * float(rng.uniform(0.45, 1.0))
    if rng.random() < 0.2:
        f = np.asarray(cv2.GaussianBlur(f, (0, 0), float(rng.uniform(0.3, 0.7))), np.float32)
    if rng.random() < 0.35:  # paper tone and texture
        tone = float(rng.uniform(0.0, 0.05))
        tex = _noise_field((h, w), rng, float(rng.uniform(2, 6)))
        f = f + tone * (0.5 + tex) * (1 - f)
    if rng.random() < 0.5:  # scan noise
        f = f + rng.normal(0, float(rng.uniform(0.005, 0.03)), (h, w)).astype(np.float32)
    f = np.clip(f, 0, 1).astype(np.float32)
    if rng.random() < 0.3:
        f = jpeg(f, rng)
    return f


def make_sketch(rgb: np.ndarray, rng: np.random.Generator,
                style: str | None = None) -> np.ndarray:
    """A rough sketch drawn from a colour image: rgb uint8 (H, W, 3) → ink float32 (H, W) 0..1."""
    base, _ = draw_lines(rgb, rng, style)
    return roughen(base, rng, rgb)


# -- contact sheet -----------------------------------------------------------------------------
def _fit(img: np.ndarray, side: int) -> np.ndarray:
    """uint8 grey (H, W) → (side, side) with long side ``side``, padded white."""
    h, w = img.shape
    s = side / max(h, w)
    small = cv2.resize(img, (max(1, round(w * s)), max(1, round(h * s))),
                       interpolation=cv2.INTER_AREA)
    out = np.full((side, side), 255, np.uint8)
    out[: small.shape[0], : small.shape[1]] = small
    return out


def contact_sheet(anime: np.ndarray, hw: np.ndarray, sketches: list[np.ndarray], seed: int = 0,
                  side: int = 256, cols: int = 6, rows: int = 3) -> np.ndarray:
    """Rows of generated sketches (each above its colour image's style name) interleaved with rows
    of real sketches, every tile at long side ``side`` like DraftNet's input; uint8 grey."""
    rng = np.random.default_rng(seed)
    out_rows = []
    for r in range(rows):
        gen, colour = [], []
        for _ in range(cols):
            i = int(rng.integers(len(anime)))
            h, w = (int(v) for v in hw[i])
            rgb = np.ascontiguousarray(anime[i, :h, :w])
            base, style = draw_lines(rgb, rng)
            ink = roughen(base, rng, rgb)
            tile = _fit(ink_to_grey(ink), side)
            cv2.putText(tile, style, (4, side - 6), cv2.FONT_HERSHEY_SIMPLEX, 0.4, 0, 1)
            gen.append(tile)
            colour.append(_fit(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), side // 2))
        real = [_fit(sketches[(r * cols + c) % len(sketches)], side) for c in range(cols)]
        out_rows += [np.hstack(gen), np.hstack(real)]
    return np.vstack(out_rows)


def main(argv: list[str] | None = None) -> int:
    import argparse
    import sys
    from pathlib import Path

    from paintassist.training.anime_art import load_anime

    ap = argparse.ArgumentParser(description="Contact sheet: generated lines vs real sketches.")
    ap.add_argument("--anime", type=Path, required=True, help="folder of anime_<split>.npz")
    ap.add_argument("--sketches", type=Path,
                    default=Path("/work/shared/realworld/sketches"))
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--side", type=int, default=256)
    args = ap.parse_args(argv)
    pool = load_anime(args.anime, "train")
    real = []
    for p in sorted(args.sketches.glob("*.png"))[args.seed % 7 :: 2]:
        img = cv2.imread(str(p), cv2.IMREAD_GRAYSCALE)
        if img is not None:
            real.append(img)
    if not real:
        print(f"{args.sketches}: no sketches", file=sys.stderr)
        return 1
    sheet = contact_sheet(pool.color, pool.hw, real, args.seed, args.side)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(args.out), sheet)
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
