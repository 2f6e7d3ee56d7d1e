"""The main window: wires the document, undo stack, tools, canvas, docks, preview and files."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import qtawesome as qta
from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QDoubleSpinBox,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSlider,
    QToolBar,
    QWidget,
)

from paintassist.app.compose_view import preview_image
from paintassist.app.document import Document, Part, Parts
from paintassist.app.project import (
    PROJECT_SUFFIX,
    ProjectError,
    apply_project,
    load_project,
    save_project,
)
from paintassist.app.recent import RecentFiles
from paintassist.app.recovery import RecoverySession, find_orphans, recover_into
from paintassist.app.services import startup_factories
from paintassist.core.errors import PaintAssistError
from paintassist.core.types import ColorizeResult, Sketch
from paintassist.gui.canvas import CanvasView
from paintassist.gui.colors import ColorBar
from paintassist.gui.commands import push_part
from paintassist.gui.export_dialog import ExportDialog
from paintassist.gui.layers_dock import LayersDock
from paintassist.gui.palette_dock import PaletteDock
from paintassist.gui.preview import PreviewController
from paintassist.gui.references_dock import ReferencesDock
from paintassist.gui.settings_dock import SettingsDock
from paintassist.gui.tool_state import TOOLS, ToolState
from paintassist.gui.tools import TOOL_INFO, ToolController, default_sizes
from paintassist.gui.worker import PipelineFactory, PreviewWorker
from paintassist.io.hints_file import hints_beside, load_hints, save_hints
from paintassist.io.images import SUPPORTED_SUFFIXES as IMAGE_SUFFIXES
from paintassist.io.images import is_supported as is_image_path
from paintassist.io.images import load_sketch
from paintassist.paths import resources_dir, user_data_dir

APP_NAME = "paintassist"
AUTOSAVE_MS = 2000
_IMAGE_FILTER = "Images ({})".format(" ".join(f"*{s}" for s in IMAGE_SUFFIXES))
_OPEN_FILTER = (
    f"Sketches and projects (*{PROJECT_SUFFIX} "
    + " ".join(f"*{s}" for s in IMAGE_SUFFIXES)
    + f");;{_IMAGE_FILTER};;"
    f"Projects (*{PROJECT_SUFFIX})"
)


def app_icon() -> QIcon:
    folder = resources_dir() / "icons"
    icon = QIcon()
    for name in ("paintassist.svg", "paintassist-256.png"):
        if (folder / name).is_file():
            icon.addFile(str(folder / name))
    return icon


class MainWindow(QMainWindow):
    """``pipeline_factory`` runs in the worker thread (tests pass a fake); ``recovery`` False
    disables autosave files (tests)."""

    def __init__(
        self,
        pipeline_factory: PipelineFactory | None = None,
        recovery: bool = True,
        debounce_ms: int = 120,
    ) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(app_icon())
        self.resize(1400, 900)
        self.setAcceptDrops(True)
        self.doc = Document()
        self.stack = QUndoStack(self)
        self.stack.setUndoLimit(2000)  # bounds memory (references live in the stack)
        self.state = ToolState(self)
        self.tools = ToolController(self.doc, self.stack, self.state, self)
        self.canvas = CanvasView(self.tools, self)
        self.setCentralWidget(self.canvas)
        if pipeline_factory is not None:
            self.worker = PreviewWorker(pipeline_factory)
        else:
            first, upgrade = startup_factories()
            self.worker = PreviewWorker(first, upgrade)
        self.preview = PreviewController(self.doc, self.worker, debounce_ms, self)
        self.recent = RecentFiles()
        self.recovery = RecoverySession() if recovery else None
        self.last_result: ColorizeResult | None = None

        self._build_actions()
        self._build_toolbars()
        self._build_docks()
        self._build_menus()
        self._build_statusbar()

        self.doc.changed.connect(self._on_doc_changed)
        self.preview.preview_ready.connect(self._show_result)
        self.preview.busy_changed.connect(self._busy)
        self.preview.progress.connect(self._progress)
        self.preview.error.connect(self.show_error)
        self.preview.status.connect(self._nets_status)
        self.stack.cleanChanged.connect(self._on_clean_changed)
        self.canvas.zoom_changed.connect(lambda z: self.zoom_label.setText(f"{z * 100:.0f} %"))
        self.canvas.cursor_moved.connect(self._cursor_moved)
        self.state.tool_changed.connect(self._tool_changed)
        self.tools.selection_changed.connect(self._selection_changed)
        self.state.sizes_changed.connect(self._sizes_changed)
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.autosave)
        self._restore_layout()
        self.worker.start()
        self._update_title()
        self._update_enabled()

    # -- construction ----------------------------------------------------------------------------
    def _layout_settings(self) -> QSettings:
        """Window geometry and dock layout, in ``user_data_dir()/window.ini``."""
        return QSettings(str(user_data_dir() / "window.ini"), QSettings.Format.IniFormat)

    def _restore_layout(self) -> None:
        s = self._layout_settings()
        geometry, state = s.value("geometry"), s.value("state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def _save_layout(self) -> None:
        s = self._layout_settings()
        s.setValue("geometry", self.saveGeometry())
        s.setValue("state", self.saveState())
        s.sync()

    def _action(
        self,
        text: str,
        icon: str | None,
        shortcut: str | QKeySequence | QKeySequence.StandardKey | None,
        slot: object,
        tip: str = "",
    ) -> QAction:
        act = QAction(text, self)
        if icon:
            act.setIcon(qta.icon(icon))
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        if tip or shortcut:
            seq = QKeySequence(shortcut).toString() if shortcut else ""
            act.setToolTip(f"{tip or text}  ({seq})" if seq else (tip or text))
        act.triggered.connect(slot)  # type: ignore[arg-type]
        self.addAction(act)
        return act

    def _build_actions(self) -> None:
        keys = QKeySequence.StandardKey
        a = self._action
        self.act_open = a(
            "&Open…",
            "mdi6.folder-open-outline",
            keys.Open,
            self.open_dialog,
            "Open a sketch or a project",
        )
        self.act_save = a(
            "&Save", "mdi6.content-save-outline", keys.Save, self.save, "Save the project"
        )
        self.act_save_as = a("Save &as…", None, keys.SaveAs, self.save_as)
        self.act_export = a(
            "&Export layers…",
            "mdi6.export",
            "Ctrl+E",
            self.export_dialog,
            "Export layered PNGs / OpenRaster at full resolution",
        )
        self.act_import_hints = a("&Import hints…", None, None, self.import_hints_dialog)
        self.act_export_hints = a("Export &hints…", None, None, self.export_hints_dialog)
        self.act_quit = a("&Quit", None, keys.Quit, self.close)
        self.act_undo = self.stack.createUndoAction(self, "&Undo")
        self.act_undo.setShortcut(QKeySequence(keys.Undo))
        self.act_undo.setIcon(qta.icon("mdi6.undo"))
        self.act_redo = self.stack.createRedoAction(self, "&Redo")
        self.act_redo.setShortcuts([QKeySequence(keys.Redo), QKeySequence("Ctrl+Shift+Z")])
        self.act_redo.setIcon(qta.icon("mdi6.redo"))
        self.addAction(self.act_undo)
        self.addAction(self.act_redo)
        self.act_clear = a(
            "&Clear hints",
            "mdi6.delete-sweep-outline",
            None,
            self.tools.clear_hints,
            "Remove every hint",
        )
        self.act_delete = a("&Delete hint", None, keys.Delete, self.tools.delete_selected)
        self.act_fit = a("&Fit to window", "mdi6.fit-to-screen-outline", "Ctrl+0", self.canvas.fit)
        self.act_100 = a(
            "&Actual pixels (100 %)", "mdi6.numeric-1-box-outline", "Ctrl+1", self.canvas.zoom_100
        )
        self.act_zoom_in = a(
            "Zoom &in", "mdi6.magnify-plus-outline", keys.ZoomIn, lambda: self.canvas.zoom_by(1.25)
        )
        self.act_zoom_out = a(
            "Zoom &out",
            "mdi6.magnify-minus-outline",
            keys.ZoomOut,
            lambda: self.canvas.zoom_by(0.8),
        )
        self.act_smaller = a("Smaller hint", None, "[", lambda: self._step_size(1 / 1.25))
        self.act_bigger = a("Bigger hint", None, "]", lambda: self._step_size(1.25))

        self.tool_group = QActionGroup(self)
        self.tool_actions: dict[str, QAction] = {}
        for name in TOOLS:
            label, icon, key, tip = TOOL_INFO[name]
            act = a(label, icon, key, lambda _c=False, n=name: self.state.set_tool(n), tip)
            act.setCheckable(True)
            self.tool_group.addAction(act)
            self.tool_actions[name] = act
        self.tool_actions[self.state.tool].setChecked(True)

        self.view_group = QActionGroup(self)
        self.view_actions: dict[str, QAction] = {}
        for mode, label, icon, key in (
            ("preview", "Preview", "mdi6.palette-outline", "1"),
            ("sketch", "Sketch only", "mdi6.draw", "2"),
            ("side", "Side by side", "mdi6.view-split-vertical", "3"),
        ):
            act = a(
                label,
                icon,
                key,
                lambda _c=False, m=mode: self.set_view_mode(m),
                f"View: {label.lower()}",
            )
            act.setCheckable(True)
            self.view_group.addAction(act)
            self.view_actions[mode] = act
        self.view_actions["preview"].setChecked(True)
        self.act_toggle_preview = a("Toggle preview / sketch", None, "\\", self._toggle_preview)

    def _build_toolbars(self) -> None:
        main = QToolBar("Main", self)
        main.setObjectName("main-toolbar")
        main.setIconSize(QSize(20, 20))
        for act in (
            self.act_open,
            self.act_save,
            self.act_export,
            None,
            self.act_undo,
            self.act_redo,
        ):
            if act is None:
                main.addSeparator()
            else:
                main.addAction(act)
        main.addSeparator()
        for name in TOOLS:
            main.addAction(self.tool_actions[name])
        main.addAction(self.act_clear)
        main.addSeparator()
        for act in self.view_actions.values():
            main.addAction(act)
        main.addSeparator()
        main.addAction(self.act_fit)
        main.addAction(self.act_100)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, main)
        self.addToolBarBreak()

        opts = QToolBar("Tool options", self)
        opts.setObjectName("options-toolbar")
        opts.addWidget(QLabel(" Colour "))
        self.color_bar = ColorBar(self.state, self)
        opts.addWidget(self.color_bar)
        opts.addSeparator()
        opts.addWidget(QLabel(" Square "))
        self.draft_size = QDoubleSpinBox(self)
        self.draft_size.setRange(1, 4000)
        self.draft_size.setDecimals(0)
        self.draft_size.setSuffix(" px")
        self.draft_size.setToolTip("Side of new draft squares, in sketch pixels ( [ and ] )")
        self.draft_size.valueChanged.connect(lambda v: self.state.set_sizes(draft=v))
        opts.addWidget(self.draft_size)
        opts.addWidget(QLabel("  Dot "))
        self.dot_size = QDoubleSpinBox(self)
        self.dot_size.setRange(0.5, 400)
        self.dot_size.setDecimals(1)
        self.dot_size.setSuffix(" px")
        self.dot_size.setToolTip("Radius of new accurate dots, in sketch pixels ( [ and ] )")
        self.dot_size.valueChanged.connect(lambda v: self.state.set_sizes(dot=v))
        opts.addWidget(self.dot_size)
        opts.addSeparator()
        opts.addWidget(QLabel(" Preview opacity "))
        self.opacity = QSlider(Qt.Orientation.Horizontal, self)
        self.opacity.setRange(0, 100)
        self.opacity.setValue(100)
        self.opacity.setFixedWidth(120)
        self.opacity.setToolTip("See the sketch through the preview")
        self.opacity.valueChanged.connect(lambda v: self.canvas.set_preview_opacity(v / 100))
        opts.addWidget(self.opacity)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, opts)
        self._sizes_changed(self.state.draft_size, self.state.dot_size)

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{title.lower()}")
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        right = Qt.DockWidgetArea.RightDockWidgetArea
        self.palette_dock = PaletteDock(self.doc, self.state, self)
        self.references_dock = ReferencesDock(self.doc, self.stack, self)
        self.layers_dock = LayersDock(self.doc, self.stack, self)
        self.settings_dock = SettingsDock(self.doc, self.stack, self)
        self.docks = [
            self._dock("Palette", self.palette_dock, right),
            self._dock("References", self.references_dock, right),
            self._dock("Layers", self.layers_dock, right),
            self._dock("Settings", self.settings_dock, right),
        ]
        self.tabifyDockWidget(self.docks[2], self.docks[3])
        self.docks[2].raise_()
        for w in (self.palette_dock, self.references_dock):
            w.error.connect(self.show_error)
        self.resizeDocks(self.docks, [300] * 4, Qt.Orientation.Horizontal)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        f = bar.addMenu("&File")
        f.addAction(self.act_open)
        self.recent_menu = f.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        f.addSeparator()
        for act in (
            self.act_save,
            self.act_save_as,
            None,
            self.act_import_hints,
            self.act_export_hints,
            None,
            self.act_export,
            None,
            self.act_quit,
        ):
            f.addSeparator() if act is None else f.addAction(act)
        e = bar.addMenu("&Edit")
        for act in (self.act_undo, self.act_redo, None, self.act_delete, self.act_clear):
            e.addSeparator() if act is None else e.addAction(act)
        t = bar.addMenu("&Tools")
        for name in TOOLS:
            t.addAction(self.tool_actions[name])
        t.addSeparator()
        t.addAction(self.act_smaller)
        t.addAction(self.act_bigger)
        v = bar.addMenu("&View")
        for act in self.view_actions.values():
            v.addAction(act)
        v.addAction(self.act_toggle_preview)
        v.addSeparator()
        for act in (self.act_fit, self.act_100, self.act_zoom_in, self.act_zoom_out):
            v.addAction(act)
        v.addSeparator()
        for dock in self.docks:
            v.addAction(dock.toggleViewAction())
        h = bar.addMenu("&Help")
        h.addAction(self._action("&Keyboard shortcuts", None, None, self._show_shortcuts))

    def _build_statusbar(self) -> None:
        sb = self.statusBar()
        self.busy_label = QLabel("")
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 100)
        self.busy_bar.setFixedWidth(110)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setVisible(False)
        self.nets_label = QLabel("starting colorizer…")
        self.cursor_label = QLabel("")
        self.cursor_label.setMinimumWidth(110)
        self.zoom_label = QLabel("")
        self.zoom_label.setMinimumWidth(50)
        for w in (
            self.busy_label,
            self.busy_bar,
            self.cursor_label,
            self.zoom_label,
            self.nets_label,
        ):
            sb.addPermanentWidget(w)
        sb.showMessage("Open a sketch (Ctrl+O) or drop one here.")

    # -- document reactions ----------------------------------------------------------------------
    def _on_doc_changed(self, parts: Parts) -> None:
        if Part.SKETCH in parts:
            self.last_result = None
            self.canvas.set_sketch(self.doc.sketch.ink if self.doc.sketch is not None else None)
        if Part.SETTINGS in parts and self.last_result is not None and Part.COLORIZE not in parts:
            self._show_result(self.last_result)
        if parts - {Part.SAVED} and self.recovery is not None and self.doc.dirty:
            self._autosave.start()
        self._update_title()
        self._update_enabled()

    def _show_result(self, result: ColorizeResult) -> None:
        self.last_result = result
        s = self.doc.settings
        rgb = preview_image(result, s.layer_visible, s.layer_opacity)
        self.canvas.set_preview(rgb, result.request_id, result.stage)
        if result.notes:
            self.nets_label.setToolTip("\n".join(result.notes))

    def _busy(self, busy: bool) -> None:
        self.busy_bar.setVisible(busy)
        self.busy_label.setText("Colorizing…" if busy else "")
        if not busy:
            self.busy_bar.setValue(0)

    def _progress(self, stage: str, fraction: float) -> None:
        self.busy_bar.setValue(round(fraction * 100))
        self.busy_label.setText(f"Colorizing: {stage}")

    def _nets_status(self, text: str) -> None:
        has_nets = text.startswith("networks")
        self.nets_label.setText("networks" if has_nets else "classical colorizer")
        self.nets_label.setToolTip(text)
        loading = "loading" in text
        self.settings_dock.networks.setEnabled(has_nets or loading)
        if not (has_nets or loading):
            self.settings_dock.networks.setToolTip(f"Unavailable: {text}")

    def show_error(self, message: str) -> None:
        self.statusBar().showMessage(f"⚠ {message}", 15000)

    def _cursor_moved(self, x: float, y: float) -> None:
        self.cursor_label.setText("" if np.isnan(x) else f"x {x:.0f}  y {y:.0f}")

    def _tool_changed(self, tool: str) -> None:
        self.tool_actions[tool].setChecked(True)

    def _selection_changed(self, index: int) -> None:
        if index < 0 or index >= len(self.doc.hints):
            self.statusBar().clearMessage()
            return
        h = self.doc.hints[index]
        what = (
            f"Draft square {h.hex}, {h.size:.0f} px"
            if h.kind == "draft"
            else f"Accurate dot {h.hex}, radius {h.size:g} px"
        )
        self.statusBar().showMessage(
            f"{what} at ({h.x:.0f}, {h.y:.0f}) — drag to move, pick a colour to recolour, "
            "[ ] to resize, Delete to remove"
        )

    def _sizes_changed(self, draft: float, dot: float) -> None:
        for spin, value in ((self.draft_size, draft), (self.dot_size, dot)):
            spin.blockSignals(True)
            spin.setValue(value)
            spin.blockSignals(False)

    def _step_size(self, factor: float) -> None:
        hint = self.doc.hints[self.tools.selected] if self.tools.selected is not None else None
        kind = hint.kind if hint is not None else self.state.tool
        if kind == "draft":
            self.state.set_sizes(draft=max(1.0, round(self.state.draft_size * factor)))
        else:
            self.state.set_sizes(dot=max(0.5, round(self.state.dot_size * factor, 1)))

    def set_view_mode(self, mode: str) -> None:
        self.canvas.set_view_mode(mode)
        self.view_actions[mode].setChecked(True)

    def _toggle_preview(self) -> None:
        self.set_view_mode("sketch" if self.canvas.view_mode == "preview" else "preview")

    def _on_clean_changed(self, _clean: bool) -> None:
        self._update_title()

    def _update_title(self) -> None:
        star = "*" if self.doc.dirty else ""
        self.setWindowTitle(f"{self.doc.title}{star} — {APP_NAME}")

    def _update_enabled(self) -> None:
        has = self.doc.sketch is not None
        for act in (
            self.act_save,
            self.act_save_as,
            self.act_export,
            self.act_import_hints,
            self.act_export_hints,
            self.act_clear,
        ):
            act.setEnabled(has)

    # -- opening ---------------------------------------------------------------------------------
    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        start = str(self.doc.sketch_path.parent) if self.doc.sketch_path else ""
        path, _ = QFileDialog.getOpenFileName(self, "Open sketch or project", start, _OPEN_FILTER)
        if path:
            self.open_path(Path(path), ask_save=False)

    def open_path(self, path: Path, ask_save: bool = True) -> bool:
        """Open a sketch image or a ``.paintassist`` project. Errors go to the status bar."""
        if ask_save and not self.maybe_save():
            return False
        path = Path(path)
        warnings: list[str] = []
        try:
            if path.suffix.lower() == PROJECT_SUFFIX:
                data = load_project(path)
                apply_project(self.doc, data, path)
                warnings = data.warnings
            else:
                sketch = load_sketch(path)
                self._set_sketch(sketch, path)
                warnings = self._load_hints_beside(path)
        except (PaintAssistError, OSError) as exc:
            self.show_error(str(exc))
            return False
        self.stack.clear()
        self._reset_sizes()
        self.recent.add(path)
        self.canvas.setFocus()
        if warnings:
            self.show_error("; ".join(warnings))
        else:
            height, width = self.doc.sketch.shape if self.doc.sketch is not None else (0, 0)
            n = len(self.doc.hints)
            from_file = n and path.suffix.lower() != PROJECT_SUFFIX
            with_hints = f", {n} hints from {path.stem}.json" if from_file else ""
            self.statusBar().showMessage(
                f"Opened {path.name} ({width} × {height} px{with_hints})", 8000
            )
        return True

    def _load_hints_beside(self, sketch_path: Path) -> list[str]:
        """Like the CLI: a ``<stem>.json`` beside the sketch holds its hints (and light)."""
        beside = hints_beside(sketch_path)
        if beside is None:
            return []
        try:
            loaded = load_hints(beside)
            hints, light, warnings = loaded.hints, loaded.light, loaded.warnings
        except (PaintAssistError, OSError) as exc:
            return [f"hints not loaded: {exc}"]
        self.doc.set_part(Part.HINTS, hints)
        if light is not None:
            from dataclasses import replace

            self.doc.set_part(Part.SETTINGS, replace(self.doc.settings, light=light))
        self.doc.mark_saved()
        return [f"{beside.name}: {w}" for w in warnings]

    def _set_sketch(self, sketch: Sketch, path: Path | None) -> None:
        data = path.read_bytes() if path is not None and path.is_file() else None
        self.doc.set_sketch(sketch, data, path)

    def set_sketch(self, sketch: Sketch) -> None:
        """Open an in-memory sketch (tests, benchmarks, synthetic samples)."""
        self.doc.set_sketch(sketch, None, sketch.source)
        self.stack.clear()
        self._reset_sizes()

    def _reset_sizes(self) -> None:
        if self.doc.sketch is not None:
            draft, dot = default_sizes(self.doc.sketch.shape)
            self.tools.select(None)
            self.state.set_sizes(draft, dot)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        items = self.recent.load()
        if not items:
            self.recent_menu.addAction("(none)").setEnabled(False)
        for p in items:
            act = self.recent_menu.addAction(p.name)
            act.setToolTip(str(p))
            act.triggered.connect(lambda _c=False, p=p: self.open_path(p))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        self.open_dropped(paths)
        event.acceptProposedAction()

    def open_dropped(self, paths: list[Path]) -> None:
        """First sketch/project opens; with a sketch open, extra images become references and
        a ``.json`` is imported as a hints file."""
        for p in paths:
            if p.suffix.lower() == ".json" and self.doc.sketch is not None:
                self.import_hints(p)
            elif p.suffix.lower() == PROJECT_SUFFIX or (
                is_image_path(p) and self.doc.sketch is None
            ):
                self.open_path(p)
            elif is_image_path(p):
                self.references_dock.add_files([p])

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
            self, "Save project", str(base), f"paintassist projects (*{PROJECT_SUFFIX})"
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
            self.show_error(f"{path}: could not save ({exc})")
            return False
        self.doc.mark_saved(path)
        self.stack.setClean()
        if self.recovery is not None:
            self.recovery.clear()
        self.recent.add(path)
        self.statusBar().showMessage(f"Saved {path.name}", 4000)
        return True

    def autosave(self) -> None:
        if self.recovery is None or not self.doc.dirty:
            return
        try:
            self.recovery.write(self.doc)
        except (PaintAssistError, OSError) as exc:
            self.show_error(f"autosave failed: {exc}")

    def maybe_save(self) -> bool:
        """Ask about unsaved changes; False means the artist cancelled."""
        if not self.doc.dirty or self.doc.sketch is None:
            return True
        answer = ask_unsaved(self, self.doc.title)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    # -- recovery --------------------------------------------------------------------------------
    def offer_recovery(self) -> bool:
        """After a crash: offer the newest orphaned autosave. True when one was restored."""
        if self.recovery is None or os.environ.get("PAINTASSIST_NO_AUTOSAVE_DIALOG") == "1":
            return False
        entries = find_orphans(self.recovery.folder)
        if not entries:
            return False
        entry = entries[0]
        answer = QMessageBox.question(
            self,
            "Recover unsaved work?",
            f"paintassist did not close properly last time.\n\nRecover {entry.describe()}?",
            QMessageBox.StandardButton.Yes
            | QMessageBox.StandardButton.No
            | QMessageBox.StandardButton.Discard,
            QMessageBox.StandardButton.Yes,
        )
        if answer == QMessageBox.StandardButton.Yes:
            return self.recover(entry)
        if answer == QMessageBox.StandardButton.Discard:
            entry.discard()
        return False

    def recover(self, entry: object) -> bool:
        from paintassist.app.recovery import RecoveryEntry

        assert isinstance(entry, RecoveryEntry)
        try:
            warnings = recover_into(self.doc, entry)
        except (ProjectError, OSError) as exc:
            self.show_error(str(exc))
            return False
        self.stack.clear()
        self._reset_sizes()
        for w in warnings:
            self.show_error(w)
        self.autosave()
        self.statusBar().showMessage(f"Recovered {entry.title} — save it to keep it", 8000)
        return True

    # -- hints files -----------------------------------------------------------------------------
    def import_hints_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import hints", "", "Hints (*.json)")
        if path:
            self.import_hints(Path(path))

    def import_hints(self, path: Path) -> bool:
        try:
            loaded = load_hints(path)
            hints, light, warnings = loaded.hints, loaded.light, loaded.warnings
        except (PaintAssistError, OSError) as exc:
            self.show_error(str(exc))
            return False
        self.stack.beginMacro("Import hints")
        push_part(self.stack, self.doc, Part.HINTS, hints, "Import hints")
        if light is not None:
            from dataclasses import replace

            push_part(
                self.stack,
                self.doc,
                Part.SETTINGS,
                replace(self.doc.settings, light=light),
                "Import light",
            )
        self.stack.endMacro()
        for w in warnings:
            self.show_error(f"{path.name}: {w}")
        return True

    def export_hints_dialog(self) -> None:
        base = self.doc.sketch_path.with_suffix(".json") if self.doc.sketch_path else "hints.json"
        path, _ = QFileDialog.getSaveFileName(self, "Export hints", str(base), "Hints (*.json)")
        if path:
            self.export_hints(Path(path))

    def export_hints(self, path: Path) -> bool:
        light = self.doc.settings.light if self.doc.settings.light.enabled else None
        try:
            save_hints(path, self.doc.hints, light=light)
        except (PaintAssistError, OSError) as exc:
            self.show_error(f"{path}: could not write hints ({exc})")
            return False
        self.statusBar().showMessage(f"Wrote {len(self.doc.hints)} hints to {path.name}", 4000)
        return True

    # -- export ----------------------------------------------------------------------------------
    def make_export_dialog(self) -> ExportDialog:
        sketch_path = self.doc.sketch_path
        out_dir = sketch_path.parent if sketch_path is not None else Path.home()
        if not os.access(out_dir, os.W_OK):
            out_dir = Path.home()
        stem = sketch_path.stem if sketch_path is not None else "sketch"
        return ExportDialog(
            lambda: self.doc.make_request(full_resolution=True),
            self.worker.colorize_and_wait,
            out_dir,
            f"{stem}_colored",
            self,
            layer_settings=lambda: (
                self.doc.settings.layer_visible,
                self.doc.settings.layer_opacity,
            ),
        )

    def export_dialog(self) -> None:
        if self.doc.sketch is None:
            return
        self.make_export_dialog().exec()

    # -- help / close ----------------------------------------------------------------------------
    def _show_shortcuts(self) -> None:
        lines = [f"{TOOL_INFO[t][2]}\t{TOOL_INFO[t][0]}" for t in TOOLS]
        lines += [
            "Alt+click\tpick a colour with any tool",
            "[  ]\tsmaller / bigger hint",
            "Delete\tremove the selected hint",
            "Space+drag, middle drag\tpan",
            "Wheel, pinch\tzoom",
            "Ctrl+0 / Ctrl+1\tfit / 100 %",
            "1 / 2 / 3\tpreview / sketch / side by side",
            "\\\ttoggle preview and sketch",
            "Ctrl+Z / Ctrl+Shift+Z\tundo / redo",
        ]
        QMessageBox.information(self, "Keyboard shortcuts", "\n".join(lines))

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        self._autosave.stop()
        self._save_layout()
        self.worker.stop()
        if self.recovery is not None:
            self.recovery.clear()
        event.accept()


def ask_unsaved(parent: QWidget, title: str) -> QMessageBox.StandardButton:
    """Save / Discard / Cancel prompt (tests monkeypatch this)."""
    return QMessageBox.warning(
        parent,
        "Unsaved changes",
        f"Save the changes to {title} before closing?",
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Save,
    )
