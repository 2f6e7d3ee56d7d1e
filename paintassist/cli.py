"""The ``paintassist`` command: the app, batch colorization, and a demo on the bundled samples.

``paintassist``                     open the app (or explain how to run headless when no display)
``paintassist FILE``                open a sketch or a project in the app
``paintassist colorize SKETCH...``  colorize pages (files or folders) and write layered exports
``paintassist demo``                colorize the bundled samples (what the README's first command runs)
``paintassist models``              show which networks are shipped and whether they load
"""

from __future__ import annotations

import argparse
import difflib
import logging
import os
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paintassist import __version__
from paintassist.core.errors import InputError, PaintAssistError
from paintassist.core.types import MAX_GAP_PX, ColorizeOptions

if TYPE_CHECKING:
    from paintassist.app.batch import PageJob, PageOutcome
    from paintassist.core.pipeline import Pipeline

log = logging.getLogger("paintassist")

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
COMMANDS = ("colorize", "demo", "models", "palette", "gui")


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


def _formats(text: str) -> tuple[str, ...]:
    from paintassist.io.export import FORMATS

    named = {"both": ("png", "ora"), "all": FORMATS}
    parts = named.get(text) or tuple(dict.fromkeys(p.strip() for p in text.split(",") if p.strip()))
    bad = [p for p in parts if p not in FORMATS]
    if bad or not parts:
        raise argparse.ArgumentTypeError(
            f"unknown format(s) {', '.join(bad) or text!r}; choose from {', '.join(FORMATS)}, both, all"
        )
    return tuple(parts)


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a whole number of processes, got {text!r}"
        ) from None
    if not 1 <= value <= 256:
        raise argparse.ArgumentTypeError(f"must be between 1 and 256, got {value}")
    return value


def _refine_size(text: str) -> int | None:
    """``--refine-size``: a long side in px (256..32768), or ``full`` (None)."""
    if text.strip().lower() == "full":
        return None
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a long side in px or 'full', got {text!r}"
        ) from None
    if not 256 <= value <= 32768:
        raise argparse.ArgumentTypeError(f"must be between 256 and 32768 px, got {value}")
    return value


def _verbosity(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--verbose", "-v", action="store_true", help="say more (timings, decisions)")
    group.add_argument(
        "--quiet", "-q", action="store_true", help="no progress bar; only warnings and errors"
    )


class _Prefixed(logging.Formatter):
    """``warning: …`` / ``error: …`` prefixes, plain text for information."""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        if record.levelno >= logging.WARNING:
            return f"{record.levelname.lower()}: {text}"
        return text


def _setup_logging(verbose: bool = False, quiet: bool = False) -> None:
    """stdlib logging to standard error, at INFO (DEBUG with --verbose, WARNING with --quiet)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Prefixed("%(message)s"))
    root = logging.getLogger("paintassist")
    root.handlers[:] = [handler]
    root.propagate = False
    root.setLevel(logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO)


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
        "OUT/<stem>/{composite,lineart,flats,color,shading,tone,shadow,lighting,regions,sketch}"
        ".png + "
        "manifest.json and OUT/<stem>/<stem>.ora, at the sketch's full resolution. A bad page is reported "
        "and skipped; the exit code is 1 if any page failed.",
    )
    col.add_argument("sketches", nargs="+", metavar="SKETCH", help="image files or folders")
    col.add_argument("--out", "-o", required=True, metavar="DIR", help="output folder")
    col.add_argument(
        "--hints",
        metavar="FILE|DIR",
        help="hints file (JSON, version 1) for every page, a folder holding <stem>.json per page, "
        "or - to read one page's hints from standard input; without it, a <stem>.json beside "
        "each sketch is used if present",
    )
    col.add_argument(
        "--reference",
        action="append",
        default=[],
        metavar="IMAGE|PAGE",
        help="reference style image, or a page we coloured before (its folder or .ora), repeatable; "
        "pulls the palette toward it (networks only)",
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
        type=_formats,
        default=("png", "ora"),
        metavar="png,ora,psd",
        help="what to write in each page folder, comma-separated: png (the layers + manifest.json), "
        "ora (Krita, MyPaint), psd (Photoshop, Clip Studio, GIMP); 'both' = png,ora (default), "
        "'all' = all three",
    )
    col.add_argument(
        "--hints-image",
        metavar="FILE|DIR",
        help="a painted hint layer (PNG/TIFF/WebP with transparency, or a PSD with a 'hints' layer) "
        "for every page, or a folder holding <stem>.png per page: small dots and strokes become "
        "accurate hints, large blobs draft hints (added to the hints file's)",
    )
    col.add_argument(
        "--palette",
        metavar="FILE|NAME",
        help="snap every hint's colour to the nearest colour of this palette (.json, .gpl, .kpl, "
        ".ase) or of this character from the library",
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
    col.add_argument(
        "--line-color",
        choices=("auto", "keep", "black"),
        default="auto",
        help="colour of the lineart layer: auto (coloured ink such as brown ink or blue pencil "
        "keeps its colour, black ink stays black; the default), keep (always the ink's own "
        "colour), black",
    )
    col.add_argument(
        "--refine-size",
        type=_refine_size,
        default=ColorizeOptions().refine_long_side,
        metavar="PX|full",
        help="long side at which RefineNet runs on big pages (default "
        f"{ColorizeOptions().refine_long_side}); its colours are upsampled while flats and "
        "lines stay at full resolution; 'full' refines at full resolution (slower, more memory)",
    )
    col.add_argument(
        "--no-screentone",
        action="store_true",
        help="do not look for screentone: every ink pixel is line art (by default halftone dots "
        "and line tones split no region and go to the tone layer)",
    )
    col.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=None,
        metavar="N",
        help="pages in N worker processes, each loading the networks once, torch threads split "
        "between them (default: one per core)",
    )
    col.add_argument(
        "--skip-existing",
        action="store_true",
        help="skip pages whose outputs are already in OUT (resume an interrupted batch)",
    )
    col.add_argument(
        "--recursive",
        "-r",
        action="store_true",
        help="look for sketches in subfolders too; each is written under the same subfolder of OUT",
    )
    col.add_argument(
        "--json",
        metavar="FILE",
        help="write a machine-readable summary (per page: status, error, timings, outputs); "
        "- for standard output",
    )
    col.add_argument(
        "--scheduler",
        metavar="tcp://HOST:8786",
        help="hand the pages to an existing Dask distributed cluster (pip install "
        "'paintassist[cluster]'); workers must see the sketches and OUT at the same paths",
    )
    _verbosity(col)

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
    _verbosity(demo)

    sub.add_parser(
        "models",
        help="show the shipped networks and whether they load",
        description="Print the model manifest summary and try loading the networks.",
    )

    pal = sub.add_parser(
        "palette",
        help="character palettes: list, import and export (.gpl, .kpl, .ase, .json)",
        description="The character palette library shared by the app, projects and the CLI "
        "(colorize --palette NAME), and conversion between palette files.",
    )
    pal_sub = pal.add_subparsers(
        dest="palette_command", metavar="ACTION", required=True, help="list, import or export"
    )
    pal_sub.add_parser("list", help="the characters in the library, with their parts")
    imp = pal_sub.add_parser("import", help="keep a palette file in the library as a character")
    imp.add_argument("file", metavar="FILE", help="a .gpl, .kpl, .ase or .json palette")
    imp.add_argument("--name", help="the character's name (default: the palette's own)")
    exp = pal_sub.add_parser(
        "export", help="write a character (or a palette file) in another format"
    )
    exp.add_argument(
        "source", metavar="NAME|FILE", help="a character of the library, or a palette file"
    )
    exp.add_argument("target", metavar="OUT", help="output file; its suffix picks the format")

    gui = sub.add_parser("gui", help="open the desktop app", description="Open the desktop app.")
    gui.add_argument("files", nargs="*", metavar="FILE", help="a sketch or a .paintassist project")
    return parser


# -- progress ---------------------------------------------------------------------------------
class _Progress:
    """An overall bar and one bar per page in flight (its stages: load, regions, draft, refine,
    export), redrawn in place on a terminal. Thread-safe: worker events arrive on a thread."""

    WIDTH = 24

    def __init__(self, jobs: Sequence[PageJob], enabled: bool) -> None:
        self.jobs = {j.index: j for j in jobs}
        self.enabled = enabled
        self.start = time.perf_counter()
        self.active: dict[int, tuple[str, float]] = {}
        self.done = 0
        self.failed = 0
        self.drawn = 0
        self.lock = threading.Lock()

    def page(self, index: int, stage: str, fraction: float) -> None:
        with self.lock:
            self.active[index] = (stage, fraction)
            self._draw()

    def finished(self, outcome: PageOutcome, index: int) -> None:
        with self.lock:
            self.active.pop(index, None)
            self.done += 1
            self.failed += not outcome.ok
            self._draw()

    def close(self) -> None:
        with self.lock:
            if self.enabled and self.drawn:
                sys.stderr.write(f"\x1b[{self.drawn}F\x1b[J")  # the report replaces the bars
                sys.stderr.flush()
            self.drawn = 0

    def _bar(self, fraction: float) -> str:
        filled = int(self.WIDTH * min(1.0, max(0.0, fraction)))
        return "#" * filled + "." * (self.WIDTH - filled)

    def _draw(self) -> None:
        if not self.enabled:
            return
        total = len(self.jobs)
        elapsed = time.perf_counter() - self.start
        fails = f", {self.failed} failed" if self.failed else ""
        lines = [
            f"[{self._bar(self.done / max(1, total))}] {self.done}/{total} pages "
            f"{elapsed:6.1f} s{fails}"
        ]
        from paintassist.app.batch import STAGES

        for index, (stage, fraction) in sorted(self.active.items()):
            steps = " ".join(s.upper() if s == stage else s for s in STAGES)
            lines.append(
                f"  [{self._bar(fraction)}] {self.jobs[index].sketch.name[:28]:<28} {steps}"
            )
        up = f"\x1b[{self.drawn}F" if self.drawn else ""
        sys.stderr.write(up + "".join(f"\x1b[K{line}\n" for line in lines) + "\x1b[J")
        sys.stderr.flush()
        self.drawn = len(lines)


# -- colorize ---------------------------------------------------------------------------------
def colorize_pages(
    sketches: Sequence[str | Path],
    out: Path,
    *,
    hints_arg: str | None = None,
    hints_data: Any = None,
    references: Sequence[str] = (),
    reference_strength: float = 1.0,
    gap: int | None = None,
    formats: tuple[str, ...] = ("png", "ora"),
    light: object | None = None,
    device: str = "auto",
    classical: bool = False,
    line_color: str = "auto",
    screentone: bool = True,
    refine_size: int | None = ColorizeOptions().refine_long_side,
    progress: bool = True,
    jobs: int | None = 1,
    scheduler: str | None = None,
    recursive: bool = False,
    skip_existing: bool = False,
    hints_image: str | None = None,
    palette: str | None = None,
) -> tuple[list[PageOutcome], list[str]]:
    """Colorize and export every page (files, or folders of images); one bad page never stops
    the batch. Returns (outcomes in input order, problems found while collecting pages).
    jobs: worker processes (None: one per core); scheduler: a Dask scheduler address instead."""
    from paintassist.app.batch import (
        BatchSettings,
        default_jobs,
        plan_pages,
        run_local,
        run_on_cluster,
        worker_state,
    )
    from paintassist.app.characters import load_character
    from paintassist.core.types import LightSettings

    pages, problems = plan_pages(sketches, Path(out), recursive=recursive)
    for job in pages:
        if job.name != job.sketch.stem:
            log.info(
                "note: %s is written as %r (see 'Output names' in the README)", job.sketch, job.name
            )
    if hints_data is not None and len(pages) != 1:
        raise InputError("<stdin>", f"--hints - gives the hints of one page, not {len(pages)}")
    base = ColorizeOptions(
        use_networks=not classical,
        device=device,
        reference_strength=reference_strength,
        line_color=line_color,  # type: ignore[arg-type]  # argparse's choices checked it
        screentone=screentone,
        refine_long_side=refine_size,
    )
    if gap is not None:
        base = replace(base, gap_px=gap)
    if isinstance(light, LightSettings):
        base = replace(base, light=light)
    settings = BatchSettings(
        options=base,
        formats=formats,
        references=tuple(str(r) for r in references),
        hints_arg=hints_arg,
        hints_data=hints_data,
        light_given=isinstance(light, LightSettings),
        skip_existing=skip_existing,
        device=device,
        hints_image=hints_image,
        palette=None if palette is None else load_character(palette),
    )
    n_jobs = default_jobs(len(pages)) if jobs is None else max(1, min(jobs, len(pages) or 1))
    if scheduler is not None:
        log.info(
            "paintassist %s: %d page(s) on the Dask cluster at %s",
            __version__,
            len(pages),
            scheduler,
        )
        stream = run_on_cluster(pages, settings, scheduler)
    else:
        if n_jobs == 1:
            _announce(worker_state(settings).pipeline, device)  # loads the networks here, once
        else:
            log.info(
                "paintassist %s: %d page(s) in %d worker processes", __version__, len(pages), n_jobs
            )
        bar = _Progress(pages, progress)
        stream = run_local(pages, settings, n_jobs=n_jobs, progress=bar.page)
    outcomes: dict[int, PageOutcome] = {}
    try:
        for outcome in stream:
            outcomes[outcome.index] = outcome
            for w in outcome.warnings:
                log.warning("%s", w)
            if scheduler is None:
                bar.finished(outcome, outcome.index)
    finally:
        if scheduler is None:
            bar.close()
    return [outcomes[i] for i in sorted(outcomes)], problems


def _announce(pipeline: Pipeline, device: str) -> None:
    """Say which path colorizes; a device that was asked for and is not there stops the run."""
    if pipeline.nets_error is not None:
        if device != "auto":
            raise NetworksUnavailable(f"--device {device}: {pipeline.nets_error}")
        log.warning(
            "the networks could not be used, falling back to the classical path: %s",
            pipeline.nets_error,
        )
    log.info("paintassist %s: %s", __version__, pipeline.nets_status)


def _report(outcomes: Sequence[PageOutcome], problems: Sequence[str]) -> int:
    for o in outcomes:
        if o.status == "ok":
            paths = ", ".join(str(p) for p in o.written)
            print(f"ok    {o.sketch} ({o.seconds:.1f} s) -> {paths}")
        elif o.status == "skipped":
            print(f"skip  {o.sketch} (already exported in {o.written[0] if o.written else '?'})")
        else:
            print(f"FAIL  {o.message}", file=sys.stderr)
    for p in problems:
        print(f"FAIL  {p}", file=sys.stderr)
    written = sum(o.status == "ok" for o in outcomes)
    skipped = sum(o.status == "skipped" for o in outcomes)
    failed = sum(not o.ok for o in outcomes) + len(problems)
    extra = f", {skipped} skipped" if skipped else ""
    print(f"{written} page(s) written, {failed} failed{extra}")
    return EXIT_SOME_FAILED if failed else EXIT_OK


def _summary(
    outcomes: Sequence[PageOutcome], problems: Sequence[str], seconds: float
) -> dict[str, Any]:
    """The machine-readable run summary (``--json``)."""
    return {
        "paintassist": __version__,
        "models": _model_version(),
        "seconds": round(seconds, 3),
        "pages": [o.to_json() for o in outcomes],
        "problems": list(problems),
        "colorized_by": sorted({o.colorized_by for o in outcomes if o.colorized_by}),
        # Networks that were asked for and could not be used: the fallback is said, never silent.
        "warnings": sorted(
            {f"networks not used: {o.nets_error}" for o in outcomes if o.nets_error is not None}
        ),
        "ok": sum(o.status == "ok" for o in outcomes),
        "skipped": sum(o.status == "skipped" for o in outcomes),
        "failed": sum(not o.ok for o in outcomes) + len(problems),
    }


def _read_stdin_hints() -> Any:
    import json

    try:
        return json.loads(sys.stdin.buffer.read())
    except (ValueError, RecursionError) as exc:
        raise InputError("<stdin>", f"hints are not valid JSON ({exc})") from None


def _cmd_colorize(args: argparse.Namespace) -> int:
    formats: tuple[str, ...] = args.format
    t0 = time.perf_counter()
    try:
        hints_data = _read_stdin_hints() if args.hints == "-" else None
        outcomes, problems = colorize_pages(
            args.sketches,
            Path(args.out),
            hints_arg=None if args.hints == "-" else args.hints,
            hints_data=hints_data,
            references=args.reference,
            reference_strength=args.reference_strength,
            gap=args.gap,
            formats=formats,
            light=args.light,
            device=args.device,
            classical=args.classical,
            line_color=args.line_color,
            screentone=not args.no_screentone,
            refine_size=args.refine_size,
            progress=not args.quiet and sys.stderr.isatty(),
            jobs=args.jobs,
            scheduler=args.scheduler,
            recursive=args.recursive,
            skip_existing=args.skip_existing,
            hints_image=args.hints_image,
            palette=args.palette,
        )
    except (
        InputError,
        NetworksUnavailable,
    ) as exc:  # a bad reference, no such device: nothing runs
        log.error("%s", exc)
        return EXIT_USAGE
    except PaintAssistError as exc:  # e.g. the cluster cannot be reached
        log.error("%s", exc)
        return EXIT_SOME_FAILED
    if args.json is not None:
        _write_json(args.json, _summary(outcomes, problems, time.perf_counter() - t0))
    return _report(outcomes, problems)


def _write_json(target: str, data: dict[str, Any]) -> None:
    import json

    from paintassist.io.atomic import atomic_write_text

    text = json.dumps(data, indent=2) + "\n"
    if target == "-":
        sys.stdout.write(text)
    else:
        atomic_write_text(target, text)


def _cmd_demo(args: argparse.Namespace) -> int:
    from paintassist.paths import sample_sketches, samples_dir

    samples = sample_sketches()
    if not samples:
        print(f"error: no bundled samples found in {samples_dir()}", file=sys.stderr)
        return EXIT_USAGE
    outcomes, problems = colorize_pages(
        samples, Path(args.out), light=args.light, progress=sys.stderr.isatty()
    )
    code = _report(outcomes, problems)
    if code == EXIT_OK:
        print(
            f"Open {Path(args.out) / samples[0].stem / (samples[0].stem + '.ora')} in Krita or "
            "MyPaint, or look at "
            f"{Path(args.out) / samples[0].stem / 'composite.png'}."
        )
    return code


def _cmd_palette(args: argparse.Namespace) -> int:
    from paintassist.app.characters import list_characters, load_character, save_character
    from paintassist.io.palette_files import read_palette, write_palette

    try:
        if args.palette_command == "list":
            for name in list_characters():
                parts = ", ".join(f"{s.name} {s.hex}" for s in load_character(name).swatches)
                print(f"{name}: {parts}")
            return EXIT_OK
        if args.palette_command == "import":
            path = save_character(read_palette(args.file), args.name)
            log.info("saved as %s", path)
            return EXIT_OK
        palette = load_character(args.source)
        log.info("wrote %s", write_palette(palette, args.target))
        return EXIT_OK
    except (InputError, OSError) as exc:
        log.error("%s", exc)
        return EXIT_USAGE


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
    """Run the command line; returns the exit status (130 after Ctrl-C, without a traceback)."""
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _main(args_list: list[str]) -> int:
    parser = build_parser()
    # `paintassist FILE...` opens the files in the app; a word that is no command, no option and
    # no file is a mistyped command.
    if args_list and args_list[0] not in COMMANDS and not args_list[0].startswith("-"):
        if not _looks_like_file(args_list[0]):
            close = difflib.get_close_matches(args_list[0], COMMANDS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            print(
                f"paintassist: unknown command '{args_list[0]}'{hint}; commands: "
                f"{', '.join(COMMANDS)}; to open a file, give its path",
                file=sys.stderr,
            )
            return EXIT_USAGE
        return _cmd_gui(args_list)
    args = parser.parse_args(args_list)
    _setup_logging(getattr(args, "verbose", False), getattr(args, "quiet", False))
    if args.command is None:
        return _cmd_gui([])
    if args.command == "gui":
        return _cmd_gui(args.files)
    handler = {
        "colorize": _cmd_colorize,
        "demo": _cmd_demo,
        "models": _cmd_models,
        "palette": _cmd_palette,
    }[args.command]
    return int(handler(args))


def _looks_like_file(word: str) -> bool:
    """An existing path, or a name with a sketch or project suffix (its error comes from the app)."""
    from paintassist.io.images import SUPPORTED_SUFFIXES

    path = Path(word)
    return path.exists() or path.suffix.lower() in (*SUPPORTED_SUFFIXES, ".paintassist")


def gui_main() -> int:
    """Entry point of the ``paintassist-gui`` launcher (no console on Windows)."""
    return _cmd_gui(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
