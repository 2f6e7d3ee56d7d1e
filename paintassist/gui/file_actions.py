"""The File menu's work for the main window: open (decoded off the GUI thread), save, crash
recovery, hints files, hint layers (painted in Krita, CSP…) and the export dialog.

The dialogs start in the folders the app remembers (:class:`~paintassist.app.settings.AppSettings`:
the last folder opened from, imported from and exported to) and the export dialog starts with
the formats of the last export.

Opening is asynchronous: :meth:`FileActions.open_path` starts the decode on the window's
:class:`~paintassist.gui.background.Loader` and returns; the document is replaced on the GUI
thread when the decode finishes, and ``loaded`` is emitted. Only the newest open counts: a decode
that finishes after a newer open (or :meth:`FileActions.set_sketch`) is dropped.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QCheckBox, QFileDialog, QInputDialog, QMenu, QMessageBox, QWidget

from paintassist.app.document import Part
from paintassist.app.project import (
    PROJECT_SUFFIX,
    ProjectData,
    apply_project,
    load_project,
    save_project,
)
from paintassist.app.recovery import RecoveryEntry, adopt, find_orphans
from paintassist.app.services import OpenedSketch, read_sketch
from paintassist.core.errors import PaintAssistError
from paintassist.core.types import HintSet, Sketch
from paintassist.gui.commands import push_part
from paintassist.gui.export_dialog import ExportDialog
from paintassist.io.hint_layer import (
    HINT_LAYER_SUFFIXES,
    guess_hint_layer,
    hints_from_layer,
    layer_names,
    save_hint_layer,
)
from paintassist.io.hints_file import load_hints, save_hints
from paintassist.io.images import SUPPORTED_SUFFIXES as IMAGE_SUFFIXES
from paintassist.io.images import is_supported as is_image_path
from paintassist.io.naming import safe_name

if TYPE_CHECKING:
    from paintassist.gui.main_window import MainWindow

T = TypeVar("T")
_IMAGE_FILTER = "Images ({})".format(" ".join(f"*{s}" for s in IMAGE_SUFFIXES))
_OPEN_FILTER = (
    f"Sketches and projects (*{PROJECT_SUFFIX} "
    + " ".join(f"*{s}" for s in IMAGE_SUFFIXES)
    + f");;{_IMAGE_FILTER};;"
    f"Projects (*{PROJECT_SUFFIX})"
)
_HINT_LAYER_FILTER = "Hint layers ({})".format(" ".join(f"*{s}" for s in HINT_LAYER_SUFFIXES))
#: Export formats whose checkbox the export dialog may have (attribute name = format).
_EXPORT_BOXES = ("png", "ora", "psd")


def ask_layer(parent: QWidget, path: Path, names: list[str]) -> str | None:
    """Which layer of a PSD holds the hints (tests monkeypatch this); None when cancelled."""
    name, ok = QInputDialog.getItem(
        parent, "Import hint layer", f"Layer of {path.name} with the hints:", names, 0, False
    )
    return name if ok and name else None


def ask_discard_autosave(parent: QWidget, what: str, problem: str) -> bool:
    """True when the artist discards an autosave that cannot be read (tests monkeypatch this)."""
    answer = QMessageBox.warning(
        parent,
        "Autosave unreadable",
        f"The autosave of {what} cannot be opened:\n\n{problem}\n\nDiscard it?",
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Discard


def unsaved_question(project: Path | None, sketch: Path | None) -> str:
    """What the unsaved-changes prompt asks: it names the project that Save writes, never the
    sketch image (which paintassist does not change)."""
    if project is not None:
        return f"Save the changes to the project {project.name}?"
    name = sketch.stem if sketch is not None else "Untitled"
    return (
        f"The hints and settings of {sketch.name if sketch else name} are not saved.\n\n"
        f"Save them as the project {name}{PROJECT_SUFFIX}? The sketch image itself is not changed."
    )


def ask_unsaved(parent: QWidget, question: str) -> QMessageBox.StandardButton:
    """Save / Discard / Cancel prompt (tests monkeypatch this)."""
    return QMessageBox.warning(
        parent,
        "Unsaved changes",
        question,
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Save,
    )


def ask_recovery(parent: QWidget, what: str) -> str:
    """After a crash: "recover", "later" (keep the autosave, ask at the next start) or "delete"
    (tests monkeypatch this)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Recover unsaved work?")
    box.setText(f"paintassist did not close properly last time.\n\nRecover {what}?")
    recover = box.addButton("Recover", QMessageBox.ButtonRole.AcceptRole)
    later = box.addButton("Ask me next time", QMessageBox.ButtonRole.RejectRole)
    delete = box.addButton("Delete the autosave", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(recover)
    box.setEscapeButton(later)
    box.exec()
    clicked = box.clickedButton()
    return "recover" if clicked is recover else "delete" if clicked is delete else "later"


class FileActions(QObject):
    """loaded(path, ok): an open or a recovery finished — the document has been replaced (ok)
    or the error shown (not ok). Superseded opens emit nothing."""

    loaded = Signal(str, bool)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.doc = window.doc
        self.stack = window.stack
        self._latest = 0  # id of the newest open; older decodes are dropped
        self._in_flight: set[int] = set()
        self._drops: list[Path] = []

    # -- opening ---------------------------------------------------------------------------------
    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        settings = self.window.settings
        start = settings.folder(settings.open_dir) or (
            str(self.doc.sketch_path.parent) if self.doc.sketch_path else ""
        )
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Open sketch or project", start, _OPEN_FILTER
        )
        if path:
            self.open_path(Path(path), ask_save=False)

    def open_path(self, path: Path, ask_save: bool = True) -> bool:
        """Start opening a sketch image or a ``.paintassist`` project; False when the artist
        cancelled the unsaved-changes prompt. The outcome comes with ``loaded``; errors go to the
        status bar."""
        if ask_save and not self.maybe_save():
            return False
        path = Path(path)
        if path.suffix.lower() == PROJECT_SUFFIX:
            self._start(path, lambda: load_project(path), lambda d: self._show_project(path, d))
        else:
            self._start(path, lambda: read_sketch(path), lambda d: self._show_sketch(path, d))
        return True

    def set_sketch(self, sketch: Sketch) -> None:
        """Open an in-memory sketch at once (tests, benchmarks); pending decodes are dropped."""
        self._latest += 1
        self.doc.set_sketch(sketch, None, sketch.source)
        self.window.new_document()

    def _start(
        self,
        path: Path,
        read: Callable[[], T],
        show: Callable[[T], None],
        failed: Callable[[Exception], None] | None = None,
    ) -> None:
        """Decode with ``read`` on the loader; ``show`` the result (or report the error, then
        call ``failed``) on the GUI thread, unless a newer open came first."""
        self._latest += 1
        job = self._latest
        self._in_flight.add(job)
        self.window.statusBar().showMessage(f"Opening {path.name}…")
        self.window.loader.run(
            read,
            lambda data: self._finish(job, path, show, data),
            lambda exc: self._fail(job, path, exc, failed),
        )

    def _finish(self, job: int, path: Path, show: Callable[[T], None], data: T) -> None:
        self._in_flight.discard(job)
        if job == self._latest:
            show(data)
            self.loaded.emit(str(path), True)
        self._open_dropped_next()

    def _fail(
        self,
        job: int,
        path: Path,
        exc: Exception,
        failed: Callable[[Exception], None] | None = None,
    ) -> None:
        self._in_flight.discard(job)
        if job == self._latest:
            if not isinstance(exc, PaintAssistError | OSError):  # a bug: keep its traceback
                traceback.print_exception(exc)
            self.window.show_error(str(exc))
            if failed is not None:
                failed(exc)
            self.loaded.emit(str(path), False)
        self._open_dropped_next()

    def _show_project(self, path: Path, data: ProjectData) -> None:
        apply_project(self.doc, data, path)
        self._opened(path, data.warnings, "")

    def _show_sketch(self, path: Path, opened: OpenedSketch) -> None:
        light = opened.light
        settings = replace(self.doc.settings, light=light) if light is not None else None
        self.doc.load(opened.sketch, opened.data, path, hints=opened.hints, settings=settings)
        n = len(self.doc.hints)
        self._opened(path, opened.warnings, f", {n} hints from {path.stem}.json" if n else "")

    def _opened(self, path: Path, warnings: list[str], with_hints: str) -> None:
        self.window.new_document()
        self.window.recent.add(path)
        self.window.settings.open_dir = str(Path(path).resolve().parent)
        self.window.settings_changed()
        self.window.canvas.setFocus()
        if warnings:
            self.window.show_error("; ".join(warnings))
        else:
            height, width = self.doc.sketch.shape if self.doc.sketch is not None else (0, 0)
            self.window.statusBar().showMessage(
                f"Opened {path.name} ({width} × {height} px{with_hints})", 8000
            )

    def fill_recent(self, menu: QMenu) -> None:
        menu.clear()
        items = self.window.recent.load()
        if not items:
            menu.addAction("(none)").setEnabled(False)
        for p in items:
            act = menu.addAction(p.name)
            act.setToolTip(str(p))
            act.triggered.connect(lambda _c=False, p=p: self.open_path(p))

    def open_dropped(self, paths: list[Path]) -> None:
        """First sketch/project opens; with a sketch open, extra images become references and
        a ``.json`` is imported as a hints file. Paths after an open wait until it is done."""
        self._drops.extend(paths)
        self._open_dropped_next()

    def _open_dropped_next(self) -> None:
        while self._drops and not self._in_flight:
            p = self._drops.pop(0)
            suffix = p.suffix.lower()
            if suffix == ".json" and self.doc.sketch is not None:
                self.import_hints(p)
            elif suffix == PROJECT_SUFFIX or (is_image_path(p) and self.doc.sketch is None):
                self.open_path(p)
            elif is_image_path(p):
                self.window.references_dock.add_files([p])

    # -- saving ----------------------------------------------------------------------------------
    def save(self) -> bool:
        if self.doc.project_path is None:
            return self.save_as()
        return self.save_to(self.doc.project_path)

    def save_as(self) -> bool:
        if self.doc.sketch is None:
            return False
        base = self.doc.project_path or (
            self.doc.sketch_path.with_suffix(PROJECT_SUFFIX)
            if self.doc.sketch_path
            else Path.home() / f"untitled{PROJECT_SUFFIX}"
        )
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Save project", str(base), f"paintassist projects (*{PROJECT_SUFFIX})"
        )
        if not path:
            return False
        p = Path(path)
        if p.suffix.lower() != PROJECT_SUFFIX:
            p = p.with_name(p.name + PROJECT_SUFFIX)
        return self.save_to(p)

    def save_to(self, path: Path) -> bool:
        try:
            save_project(self.doc, path)
        except (PaintAssistError, OSError) as exc:
            self.window.show_error(f"{path}: could not save ({exc})")
            return False
        self.doc.mark_saved(path)
        self.stack.setClean()
        if self.window.recovery is not None:
            self.window.recovery.clear()
        self.window.recent.add(path)
        self.window.statusBar().showMessage(f"Saved {path.name}", 4000)
        return True

    def autosave(self) -> None:
        recovery = self.window.recovery
        if recovery is None or not self.doc.dirty:
            return
        try:
            recovery.write(self.doc)
        except (PaintAssistError, OSError) as exc:
            self.window.show_error(f"autosave failed: {exc}")

    def maybe_save(self) -> bool:
        """Ask about unsaved changes; False means the artist cancelled."""
        if not self.doc.dirty or self.doc.sketch is None:
            return True
        answer = ask_unsaved(
            self.window, unsaved_question(self.doc.project_path, self.doc.sketch_path)
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    # -- recovery --------------------------------------------------------------------------------
    def offer_recovery(self) -> bool:
        """After a crash: offer the newest orphaned autosave. True when its recovery started
        (``loaded`` follows)."""
        recovery = self.window.recovery
        if recovery is None or os.environ.get("PAINTASSIST_NO_AUTOSAVE_DIALOG") == "1":
            return False
        entries = find_orphans(recovery.folder)
        if not entries:
            return False
        entry = entries[0]
        answer = ask_recovery(self.window, entry.describe())
        if answer == "recover":
            return self.recover(entry)
        if answer == "delete":
            entry.discard()
        return False

    def recover(self, entry: RecoveryEntry) -> bool:
        """Start reading ``entry``; it replaces the document (left dirty) when read. An
        unreadable autosave is reported and the artist is asked whether to discard it (kept
        otherwise), so a bad one is not offered again at every start."""
        file = entry.project_file
        self._start(
            file,
            lambda: load_project(file),
            lambda d: self._show_recovered(entry, d),
            lambda exc: self._bad_autosave(entry, exc),
        )
        return True

    def _bad_autosave(self, entry: RecoveryEntry, exc: Exception) -> None:
        if ask_discard_autosave(self.window, entry.describe(), str(exc)):
            entry.discard()

    def _show_recovered(self, entry: RecoveryEntry, data: ProjectData) -> None:
        warnings = adopt(self.doc, entry, data)
        self.window.new_document()
        for w in warnings:
            self.window.show_error(w)
        self.autosave()
        self.window.statusBar().showMessage(f"Recovered {entry.title} — save it to keep it", 8000)

    # -- hints files -----------------------------------------------------------------------------
    def _import_dir(self) -> str:
        settings = self.window.settings
        return settings.folder(settings.import_dir) or (
            str(self.doc.sketch_path.parent) if self.doc.sketch_path else ""
        )

    def _imported_from(self, path: Path) -> None:
        self.window.settings.import_dir = str(Path(path).resolve().parent)
        self.window.settings_changed()

    def import_hints_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Import hints", self._import_dir(), "Hints (*.json)"
        )
        if path:
            self._imported_from(Path(path))
            self.import_hints(Path(path))

    def import_hints(self, path: Path) -> bool:
        try:
            loaded = load_hints(path)
        except (PaintAssistError, OSError) as exc:
            self.window.show_error(str(exc))
            return False
        self.stack.beginMacro("Import hints")
        push_part(self.stack, self.doc, Part.HINTS, loaded.hints, "Import hints")
        if loaded.light is not None:
            settings = replace(self.doc.settings, light=loaded.light)
            push_part(self.stack, self.doc, Part.SETTINGS, settings, "Import light")
        self.stack.endMacro()
        for w in loaded.warnings:
            self.window.show_error(f"{path.name}: {w}")
        return True

    def export_hints_dialog(self) -> None:
        base = self.doc.sketch_path.with_suffix(".json") if self.doc.sketch_path else "hints.json"
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Export hints", str(base), "Hints (*.json)"
        )
        if path:
            self._imported_from(Path(path))
            self.export_hints(Path(path))

    def export_hints(self, path: Path) -> bool:
        light = self.doc.settings.light if self.doc.settings.light.enabled else None
        return self._write_hints(
            path, "hints", lambda: save_hints(path, self.doc.hints, light=light)
        )

    def _write_hints(self, path: Path, what: str, write: Callable[[], object]) -> bool:
        """Run ``write``; say in the status bar what was written, or show why not."""
        try:
            write()
        except (PaintAssistError, OSError) as exc:
            self.window.show_error(f"{path}: could not write the {what} ({exc})")
            return False
        self.window.statusBar().showMessage(
            f"Wrote {len(self.doc.hints)} hints to {Path(path).name}", 4000
        )
        return True

    # -- hint layers -----------------------------------------------------------------------------
    def import_hint_layer_dialog(self) -> None:
        if self.doc.sketch is None:
            return
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Import hint layer", self._import_dir(), _HINT_LAYER_FILTER
        )
        if not path:
            return
        p = Path(path)
        self._imported_from(p)
        layer = None
        if p.suffix.lower() in (".psd", ".psb"):
            try:
                names = layer_names(p)
            except (PaintAssistError, OSError) as exc:
                self.window.show_error(str(exc))
                return
            if not names:
                self.window.show_error(f"{p}: has no pixel layers")
                return
            if guess_hint_layer(names) is None:
                layer = ask_layer(self.window, p, names)
                if layer is None:
                    return
        self.import_hint_layer(p, layer)

    def import_hint_layer(self, path: Path, layer: str | None = None) -> bool:
        """Start reading a hint layer (coloured dots and strokes on transparency, as Krita's
        colorize mask or CSP's hint layer; a PNG, WebP, TIFF or a PSD's ``layer``) off the GUI
        thread; its hints then replace the document's as one undo step ("Import hint layer").
        False when no sketch is open. The layer must be the sketch's size."""
        sketch = self.doc.sketch
        if sketch is None:
            return False
        path = Path(path)
        shape = sketch.shape
        self.window.statusBar().showMessage(f"Reading hints from {path.name}…")

        def done(hints: HintSet) -> None:
            if self.doc.sketch is not sketch:  # another page was opened meanwhile
                return
            push_part(self.stack, self.doc, Part.HINTS, hints, "Import hint layer")
            self.window.statusBar().showMessage(
                f"Imported {len(hints)} hints from {path.name}", 6000
            )

        self.window.loader.run(
            lambda: hints_from_layer(path, layer=layer, expected_shape=shape),
            done,
            lambda exc: self.window.show_error(str(exc)),
        )
        return True

    def export_hint_layer_dialog(self) -> None:
        if self.doc.sketch is None:
            return
        base = (
            self.doc.sketch_path.with_name(f"{self.doc.sketch_path.stem}_hints.png")
            if self.doc.sketch_path
            else Path("hints.png")
        )
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Export hint layer", str(base), "PNG hint layer (*.png)"
        )
        if path:
            p = Path(path) if path.lower().endswith(".png") else Path(path + ".png")
            self._imported_from(p)
            self.export_hint_layer(p)

    def export_hint_layer(self, path: Path) -> bool:
        """Write the hints as a transparent PNG layer the sketch's size (dots as discs, draft
        hints as squares), for painting over in Krita or CSP and importing back."""
        sketch = self.doc.sketch
        if sketch is None:
            return False
        return self._write_hints(
            path, "hint layer", lambda: save_hint_layer(path, self.doc.hints, sketch.shape)
        )

    # -- export ----------------------------------------------------------------------------------
    def make_export_dialog(self) -> ExportDialog:
        """The export dialog, in the last export's folder (else the sketch's) and with its
        formats; an export that wrote files remembers them when the dialog closes."""
        sketch_path = self.doc.sketch_path
        settings = self.window.settings
        remembered = settings.folder(settings.export_dir)
        out_dir = (
            Path(remembered)
            if remembered
            else (sketch_path.parent if sketch_path is not None else Path.home())
        )
        if not os.access(out_dir, os.W_OK):
            out_dir = Path.home()
        stem = safe_name(sketch_path.stem) if sketch_path is not None else "sketch"
        dialog = ExportDialog(
            lambda: self.doc.make_request(full_resolution=True),
            self.window.worker.colorize_and_wait,
            out_dir,
            f"{stem}_colored",
            self.window,
            layer_settings=lambda: (
                self.doc.settings.layer_visible,
                self.doc.settings.layer_opacity,
            ),
        )
        boxes = {
            f: b for f in _EXPORT_BOXES if isinstance(b := getattr(dialog, f, None), QCheckBox)
        }
        if settings.export_formats and set(settings.export_formats) & set(boxes):
            for fmt, box in boxes.items():
                box.setChecked(fmt in settings.export_formats)
        dialog.finished.connect(lambda _result: self._remember_export(dialog))
        return dialog

    def _remember_export(self, dialog: ExportDialog) -> None:
        if not dialog.written:
            return
        settings = self.window.settings
        settings.export_dir = str(Path(dialog.folder.text()).expanduser())
        settings.export_formats = tuple(dialog.formats())
        self.window.settings_changed()

    def export_dialog(self) -> None:
        if self.doc.sketch is None:
            return
        self.make_export_dialog().exec()
