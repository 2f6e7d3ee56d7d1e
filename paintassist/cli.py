"""The ``paintassist`` command: the app, batch colorization, and a demo on the bundled samples.

``paintassist``                     open the app (or explain how to run headless when no display)
``paintassist FILE``                open a sketch or a project in the app
``paintassist colorize SKETCH...``  colorize pages (files or folders) and write layered exports
``paintassist demo``                colorize the bundled samples (what the README's first command runs)
``paintassist models``              show which networks are shipped and whether they load
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from paintassist import __version__
from paintassist.core.errors import InputError, PaintAssistError
from paintassist.core.types import MAX_GAP_PX

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2


def _model_version() -> str:
    """Shipped model version from models/manifest.json, read without importing torch."""
    import json

    from paintassist.paths import models_dir

    path = models_dir() / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "none (classical path only)"
    return str(data.get("version", "unknown"))


def _version_text() -> str:
    return f"paintassist {__version__} (models {_model_version()})"


class NetworksUnavailable(PaintAssistError):
    """The networks were asked for on a device (``--device cpu|cuda``) and cannot run there."""


# -- argument parsing -------------------------------------------------------------------------
def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a whole number of pixels, got {text!r}"
        ) from None
    if value < 0 or value > MAX_GAP_PX:
        raise argparse.ArgumentTypeError(f"must be between 0 and {MAX_GAP_PX} px, got {value}")
    return value


def _strength(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 2, got {text!r}") from None
    if not 0.0 <= value <= 2.0:  # also False for nan
        raise argparse.ArgumentTypeError(f"must be a number from 0 to 2, got {text}")
    return value


def _light(text: str) -> object:
    from paintassist.core.lighting import parse_light_spec

    try:
        return parse_light_spec(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="paintassist",
        description="Colorize manga and anime line art from colour hints, with real layers.",
        epilog="Run 'paintassist COMMAND --help' for a command's options. "
        "With no command, the desktop app opens (FILE: a sketch or a .paintassist project).",
    )
    parser.add_argument("--version", action="version", version=_version_text())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    col = sub.add_parser(
        "colorize",
        help="colorize sketches and write layered PNGs / OpenRaster",
        description="Colorize one or more sketches (files, or folders of images) and write, for each, "
        "OUT/<stem>/{composite,lineart,flats,color,shading,shadow,lighting,regions}.png + "
        "manifest.json and OUT/<stem>/<stem>.ora, at the sketch's full resolution. A bad page is reported "
        "and skipped; the exit code is 1 if any page failed.",
    )
    col.add_argument("sketches", nargs="+", metavar="SKETCH", help="image files or folders")
    col.add_argument("--out", "-o", required=True, metavar="DIR", help="output folder")
    col.add_argument(
        "--hints",
        metavar="FILE|DIR",
        help="hints file (JSON, version 1) for every page, or a folder holding <stem>.json per page; "
        "without it, a <stem>.json beside each sketch is used if present",
    )
    col.add_argument(
        "--reference",
        action="append",
        default=[],
        metavar="IMAGE",
        help="reference style image (repeatable); pulls the palette toward it (networks only)",
    )
    col.add_argument(
        "--reference-strength",
        type=_strength,
        default=1.0,
        metavar="S",
        help="0..2, how strongly references pull the palette (default 1)",
    )
    col.add_argument(
        "--gap",
        type=_positive_int,
        default=None,
        metavar="PX",
        help="close line gaps up to PX pixels wide (default 6)",
    )
    col.add_argument(
        "--format",
        choices=("png", "ora", "both"),
        default="both",
        help="png folder, .ora, or both (default)",
    )
    col.add_argument(
        "--light",
        type=_light,
        default=None,
        metavar="AZ,EL[,COLOR[,INTENSITY]]",
        help="add the light pass: azimuth (deg, 0=from right, 90=from top), elevation "
        "(deg, 0..90), optional #rrggbb colour and intensity (0..2)",
    )
    col.add_argument(
        "--device",
        choices=("auto", "cpu", "cuda"),
        default="auto",
        help="where the networks run (default auto: CUDA if present)",
    )
    col.add_argument(
        "--classical",
        action="store_true",
        help="skip the networks: flat region fill from the hints only",
    )
    col.add_argument("--quiet", "-q", action="store_true", help="no progress bar")

    demo = sub.add_parser(
        "demo",
        help="colorize the bundled sample sketches (headless) and print where the layers are",
        description="Colorize the bundled sample sketches with their hints files and write layered "
        "exports, then print the paths. Used by the README's first command on machines without a display.",
    )
    demo.add_argument(
        "--out", "-o", default="out", metavar="DIR", help="output folder (default ./out)"
    )
    demo.add_argument(
        "--light",
        type=_light,
        default=None,
        metavar="AZ,EL[,COLOR[,INTENSITY]]",
        help="also add the light pass",
    )

    sub.add_parser(
        "models",
        help="show the shipped networks and whether they load",
        description="Print the model manifest summary and try loading the networks.",
    )

    gui = sub.add_parser("gui", help="open the desktop app", description="Open the desktop app.")
    gui.add_argument("files", nargs="*", metavar="FILE", help="a sketch or a .paintassist project")
    return parser


# -- progress bar -----------------------------------------------------------------------------
class _Bar:
    """A one-line text progress bar on stderr (only when stderr is a terminal or forced)."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total = total
        self.enabled = enabled
        self.start = time.perf_counter()

    def show(self, done: int, label: str) -> None:
        if not self.enabled:
            return
        width = 28
        filled = int(width * done / max(1, self.total))
        elapsed = time.perf_counter() - self.start
        line = f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{self.total} {elapsed:5.1f}s {label[:40]:<40}"
        sys.stderr.write(line)
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


# -- colorize ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class PageOutcome:
    sketch: Path
    ok: bool
    message: str
    written: tuple[Path, ...] = ()
    seconds: float = 0.0


def collect_sketches(items: Sequence[str]) -> tuple[list[Path], list[str]]:
    """Expand folders (non-recursive) to their supported images; returns (files, problems)."""
    from paintassist.io.images import is_supported

    files: list[Path] = []
    problems: list[str] = []
    for item in items:
        p = Path(item)
        if p.is_dir():
            found = sorted(c for c in p.iterdir() if c.is_file() and is_supported(c))
            if not found:
                problems.append(f"{p}: folder holds no supported images")
            files.extend(found)
        else:
            files.append(p)  # a missing/bad file is reported when its page runs
    return list(dict.fromkeys(files)), problems


def _hints_for(sketch: Path, hints_arg: str | None) -> Path | None:
    from paintassist.io.hints_file import hints_beside

    if hints_arg is None or Path(hints_arg).is_dir():
        return hints_beside(sketch, hints_arg)
    return Path(hints_arg)


def colorize_pages(
    sketches: Sequence[Path],
    out: Path,
    *,
    hints_arg: str | None = None,
    references: Sequence[str] = (),
    reference_strength: float = 1.0,
    gap: int | None = None,
    formats: tuple[str, ...] = ("png", "ora"),
    light: object | None = None,
    device: str = "auto",
    classical: bool = False,
    progress: bool = True,
    log: TextIO | None = None,
) -> list[PageOutcome]:
    """Colorize each page and export it; one bad page never stops the batch."""
    from paintassist.app.services import build_pipeline
    from paintassist.core.types import ColorizeOptions, ColorizeRequest, HintSet, LightSettings
    from paintassist.io.export import export_result
    from paintassist.io.hints_file import load_hints
    from paintassist.io.images import load_rgb, load_sketch
    from paintassist.io.naming import page_names

    def say(text: str) -> None:
        print(text, file=sys.stderr if log is None else log)

    refs = tuple(load_rgb(r) for r in references)
    pipeline = build_pipeline(device=device, use_networks=not classical)
    if pipeline.nets_error is not None:
        if device != "auto":
            raise NetworksUnavailable(f"--device {device}: {pipeline.nets_error}")
        say(
            f"warning: the networks could not be used, falling back to the classical path: "
            f"{pipeline.nets_error}"
        )
    say(f"paintassist {__version__}: {pipeline.nets_status}")
    base = ColorizeOptions(
        use_networks=not classical, device=device, reference_strength=reference_strength
    )
    if gap is not None:
        base = replace(base, gap_px=gap)
    if isinstance(light, LightSettings):
        base = replace(base, light=light)

    bar = _Bar(len(sketches), progress)
    outcomes: list[PageOutcome] = []
    names = page_names(sketches)
    for sketch_path, name in zip(sketches, names, strict=True):
        if name != sketch_path.stem:
            say(f"note: {sketch_path} is written as {name!r} (see 'Output names' in the README)")
    for i, (sketch_path, name) in enumerate(zip(sketches, names, strict=True)):
        bar.show(i, sketch_path.name)
        t0 = time.perf_counter()
        try:
            sketch = load_sketch(sketch_path)
            hints = HintSet()
            options = base
            hints_path = _hints_for(sketch_path, hints_arg)
            if hints_path is not None:
                doc = load_hints(hints_path)
                hints = doc.hints
                for w in doc.warnings:
                    say(f"warning: {hints_path}: {w}")
                if doc.light is not None and light is None:
                    options = replace(options, light=doc.light)
                h, w_ = sketch.shape
                outside = [k for k, hint in enumerate(hints) if hint.x >= w_ or hint.y >= h]
                if outside:
                    say(
                        f"warning: {hints_path}: hints {outside} lie outside the "
                        f"{w_}x{h} sketch and have no effect"
                    )
            result = pipeline.run(ColorizeRequest(sketch, hints, refs, options))
            written = export_result(result, out, name, formats, source=str(sketch_path))
            outcomes.append(
                PageOutcome(sketch_path, True, "ok", tuple(written), time.perf_counter() - t0)
            )
        except PaintAssistError as exc:
            outcomes.append(PageOutcome(sketch_path, False, str(exc)))
        except Exception as exc:  # one bad page never stops the batch; say what happened
            detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
            outcomes.append(
                PageOutcome(sketch_path, False, f"{sketch_path}: unexpected error: {detail}")
            )
        bar.show(i + 1, sketch_path.name)
    bar.close()
    return outcomes


def _report(outcomes: Sequence[PageOutcome], problems: Sequence[str]) -> int:
    for o in outcomes:
        if o.ok:
            paths = ", ".join(str(p) for p in o.written)
            print(f"ok    {o.sketch} ({o.seconds:.1f} s) -> {paths}")
        else:
            print(f"FAIL  {o.message}", file=sys.stderr)
    for p in problems:
        print(f"FAIL  {p}", file=sys.stderr)
    written = sum(o.ok for o in outcomes)
    failed = len(outcomes) - written + len(problems)
    print(f"{written} page(s) written, {failed} failed")
    return EXIT_SOME_FAILED if failed else EXIT_OK


def _cmd_colorize(args: argparse.Namespace) -> int:
    files, problems = collect_sketches(args.sketches)
    if not files and problems:
        return _report([], problems)
    formats = ("png", "ora") if args.format == "both" else (args.format,)
    try:
        outcomes = colorize_pages(
            files,
            Path(args.out),
            hints_arg=args.hints,
            references=args.reference,
            reference_strength=args.reference_strength,
            gap=args.gap,
            formats=formats,
            light=args.light,
            device=args.device,
            classical=args.classical,
            progress=not args.quiet and sys.stderr.isatty(),
        )
    except (
        InputError,
        NetworksUnavailable,
    ) as exc:  # a bad reference, no such device: nothing runs
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return _report(outcomes, problems)


def _cmd_demo(args: argparse.Namespace) -> int:
    from paintassist.paths import sample_sketches, samples_dir

    samples = sample_sketches()
    if not samples:
        print(f"error: no bundled samples found in {samples_dir()}", file=sys.stderr)
        return EXIT_USAGE
    outcomes = colorize_pages(
        samples, Path(args.out), light=args.light, progress=sys.stderr.isatty()
    )
    code = _report(outcomes, [])
    if code == EXIT_OK:
        print(
            f"Open {Path(args.out) / samples[0].stem / (samples[0].stem + '.ora')} in Krita or "
            "MyPaint, or look at "
            f"{Path(args.out) / samples[0].stem / 'composite.png'}."
        )
    return code


def _cmd_models(args: argparse.Namespace) -> int:
    del args
    from paintassist.app.services import build_pipeline
    from paintassist.paths import models_dir

    print(_version_text())
    print(f"models folder: {models_dir()}")
    pipeline = build_pipeline()
    print(pipeline.nets_status)
    if pipeline.nets_error is not None:
        print(f"error: {pipeline.nets_error}", file=sys.stderr)
        return EXIT_SOME_FAILED
    return EXIT_OK


def has_display() -> bool:
    """True when a GUI can open (a display server, or a platform that always has one)."""
    if sys.platform in ("win32", "darwin"):
        return True
    if os.environ.get("QT_QPA_PLATFORM", "").startswith(("offscreen", "minimal")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _cmd_gui(files: Sequence[str]) -> int:
    if not has_display():
        print(
            "No display found, so the app cannot open. Headless, use:\n"
            "  paintassist demo                 colorize the bundled samples\n"
            "  paintassist colorize SKETCH... --out DIR",
            file=sys.stderr,
        )
        return EXIT_USAGE
    from paintassist.gui.app import run_app

    return run_app(list(files))


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    commands = {"colorize", "demo", "models", "gui"}
    # `paintassist FILE` opens FILE in the app: route anything that is not a command/option there.
    if args_list and args_list[0] not in commands and not args_list[0].startswith("-"):
        return _cmd_gui(args_list)
    args = parser.parse_args(args_list)
    if args.command is None:
        return _cmd_gui([])
    if args.command == "gui":
        return _cmd_gui(args.files)
    handler = {"colorize": _cmd_colorize, "demo": _cmd_demo, "models": _cmd_models}[args.command]
    return handler(args)


def gui_main() -> int:
    """Entry point of the ``paintassist-gui`` launcher (no console on Windows)."""
    return _cmd_gui(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
