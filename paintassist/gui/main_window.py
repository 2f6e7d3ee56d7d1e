"""The main window: wires the document, undo stack, tools, canvas, docks, preview and files.

What the window does lives next to it: the actions, menus and toolbar are a table in
:mod:`~paintassist.gui.actions`, file work (open, save, recovery, hints, export) is
:class:`~paintassist.gui.file_actions.FileActions`, and decoding runs on a
:class:`~paintassist.gui.background.Loader` thread.

What the app remembers across restarts (colour, recent colours, hint sizes, last folders, export
choices: :class:`~paintassist.app.settings.AppSettings`) and the window layout live in the
platform's config location (:func:`~paintassist.paths.user_config_dir`), not in the data folder
with the autosaves. Settings are written a moment after they change and when the window closes.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QIcon,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFrame,
    QMainWindow,
    QScrollArea,
    QWidget,
)

from paintassist.app.compose_view import preview_image
from paintassist.app.document import Document, Part, Parts
from paintassist.app.recent import RecentFiles
from paintassist.app.recovery import RecoverySession
from paintassist.app.services import startup_factories
from paintassist.app.settings import WINDOW_FILE, load_settings, save_settings
from paintassist.core.suggest import where_to_hint
from paintassist.core.types import ColorizeResult, Sketch
from paintassist.gui.actions import TOOL_INFO, build_actions, refresh_icons, show_shortcuts
from paintassist.gui.background import Loader
from paintassist.gui.canvas import CanvasView
from paintassist.gui.color_picker import ColorPickerDock
from paintassist.gui.export_dialog import ExportDialog
from paintassist.gui.file_actions import FileActions
from paintassist.gui.file_dialogs import FileDialogSizer
from paintassist.gui.focus import FocusReturn
from paintassist.gui.layers_dock import LayersDock
from paintassist.gui.options_bar import ToolOptionsBar
from paintassist.gui.palette_dock import PaletteDock
from paintassist.gui.preview import PreviewController
from paintassist.gui.references_dock import ReferencesDock
from paintassist.gui.settings_dock import SettingsDock
from paintassist.gui.sharp_view import SharpPreview
from paintassist.gui.status_bar import StatusBar
from paintassist.gui.theme import apply_theme
from paintassist.gui.tool_state import ToolState
from paintassist.gui.tools import ToolController, default_sizes
from paintassist.gui.worker import PipelineFactory, PreviewWorker
from paintassist.paths import resources_dir, user_config_dir, user_data_dir

APP_NAME = "paintassist"
AUTOSAVE_MS = 2000
#: Settings are written this long after the last change (and at close).
SETTINGS_SAVE_MS = 1000


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
        self.settings = load_settings()
        self._apply_theme()  # before any icon is made: they take the theme's colour
        self._restore_tool_state()
        self.tools = ToolController(self.doc, self.stack, self.state, self)
        self.canvas = CanvasView(self.tools, self)
        self.setCentralWidget(self.canvas)
        if pipeline_factory is not None:
            self.worker = PreviewWorker(pipeline_factory)
        else:
            first, upgrade = startup_factories()
            self.worker = PreviewWorker(first, upgrade)
        self.preview = PreviewController(self.doc, self.worker, debounce_ms, self)
        self.sharp = SharpPreview(self.doc, self.canvas, self.preview, self.worker, self)
        self.recent = RecentFiles()
        self.recovery = RecoverySession() if recovery else None
        self.last_result: ColorizeResult | None = None
        #: Decodes sketches, projects and references off the GUI thread, in submission order.
        self.loader = Loader(self)
        self.files = FileActions(self)

        self.status_bar = StatusBar(self)
        self.setStatusBar(self.status_bar)
        self._build_docks()
        built = build_actions(self, self.stack, self.docks)
        self.acts, self.recent_menu = built.actions, built.recent_menu
        self._needs_sketch = built.needing_sketch()
        self.acts[f"tool:{self.state.tool}"].setChecked(True)
        self.acts["view:preview"].setChecked(True)
        self.acts[f"theme:{self.settings.theme}"].setChecked(True)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.addToolBarBreak()
        self.options = ToolOptionsBar(self.state, self.canvas, self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.options)

        self.doc.changed.connect(self._on_doc_changed)
        self.preview.preview_ready.connect(self._show_result)
        self.preview.busy_changed.connect(self.status_bar.set_busy)
        self.preview.progress.connect(self.status_bar.set_progress)
        self.preview.error.connect(self.show_error)
        self.preview.status.connect(self._nets_status)
        self.stack.cleanChanged.connect(self._on_clean_changed)
        self.canvas.zoom_changed.connect(self.status_bar.set_zoom)
        self.canvas.cursor_moved.connect(self.status_bar.set_cursor)
        self.state.tool_changed.connect(self._tool_changed)
        self.tools.selection_changed.connect(self._selection_changed)
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.files.autosave)
        self._settings_timer = QTimer(self)
        self._settings_timer.setSingleShot(True)
        self._settings_timer.setInterval(SETTINGS_SAVE_MS)
        self._settings_timer.timeout.connect(self.save_settings)
        self.state.color_changed.connect(lambda _rgb: self._remember_tool_state())
        self.state.recent_changed.connect(lambda _rgbs: self._remember_tool_state())
        self.state.sizes_changed.connect(lambda _d, _s: self._remember_tool_state())
        self._restore_layout()
        self._focus_return = FocusReturn(self, self.canvas)
        self._dialog_sizer = FileDialogSizer(self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._focus_return)
            app.installEventFilter(self._dialog_sizer)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)
        self._tool_changed(self.state.tool)
        self.worker.start()
        self._update_title()
        self._update_enabled()
        self._update_guide()

    # -- theme and guide -------------------------------------------------------------------------
    def _apply_theme(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, self.settings.theme)

    def set_theme(self, choice: str) -> None:
        """Apply and remember a theme choice: "auto", "dark" or "light"."""
        self.settings.theme = choice
        self._apply_theme()
        refresh_icons(self.acts)
        self.acts[f"theme:{choice}"].setChecked(True)
        self.settings_changed()

    def _system_scheme_changed(self, _scheme: object) -> None:
        if self.settings.theme == "auto":
            self.set_theme("auto")

    def _update_guide(self) -> None:
        """The canvas's empty-state guide: how to start, until the first hint."""
        if self.doc.sketch is None:
            text = "Open a sketch: Ctrl+O, or drop an image or a project here."
        elif len(self.doc.hints) or self.settings.guide_done:
            if len(self.doc.hints) and not self.settings.guide_done:
                self.settings.guide_done = True
                self.settings_changed()
            text = ""
        else:
            text = (
                "A  accurate dot: click where a colour must be exact\n"
                "D  draft square: drag over an area to set its colour mood\n"
                "I  pick a colour,  Ctrl+Z undo\n\n"
                "The colours appear right here as you hint."
            )
        self.canvas.set_guide(text)

    # -- settings --------------------------------------------------------------------------------
    def _restore_tool_state(self) -> None:
        s = self.settings
        self.state.set_color(s.color)
        self.state.set_recent(s.recent_colors)
        if s.draft_size > 0 and s.dot_size > 0:
            self.state.set_sizes(s.draft_size, s.dot_size)

    def _remember_tool_state(self) -> None:
        s = self.settings
        s.color, s.recent_colors = self.state.color, list(self.state.recent)
        if self.doc.sketch is not None:  # sizes belong to a page: none open, nothing to learn
            s.remember_sizes(self.state.draft_size, self.state.dot_size, self.doc.sketch.shape)
        self.settings_changed()

    def settings_changed(self) -> None:
        """Call after changing :attr:`settings`: they are written a moment later."""
        self._settings_timer.start()

    def save_settings(self) -> bool:
        """Write the settings now; False (said in the status bar) when the config folder is not
        writable — the app goes on with them in memory."""
        self._settings_timer.stop()
        try:
            save_settings(self.settings)
        except OSError as exc:
            self.status_bar.show_error(f"settings not saved: {exc}")
            return False
        return True

    # -- construction ----------------------------------------------------------------------------
    def _layout_settings(self) -> QSettings:
        """Window geometry and dock layout, in ``user_config_dir()/window.ini`` (moved there from
        the data folder, where older versions kept it)."""
        path = user_config_dir() / WINDOW_FILE
        old = user_data_dir() / WINDOW_FILE
        if not path.exists() and old.is_file():
            with contextlib.suppress(OSError):
                shutil.copy2(old, path)
        return QSettings(str(path), QSettings.Format.IniFormat)

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

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{title.lower()}")
        # In a scroll area, so that a dock gets smaller than its content (which then scrolls)
        # and the window fits a laptop screen: the docks' own minimum heights added up to 1,001
        # px.
        scroll = QScrollArea(dock)
        scroll.setWidget(widget)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        dock.setWidget(scroll)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        right = Qt.DockWidgetArea.RightDockWidgetArea
        self.palette_dock = PaletteDock(
            self.doc,
            self.state,
            self,
            stack=self.stack,
            settings=self.settings,
            settings_changed=self.settings_changed,
        )
        self.color_dock = ColorPickerDock(self.state, self)
        self.color_dock.eyedropper_requested.connect(lambda: self.state.set_tool("eyedropper"))
        self.references_dock = ReferencesDock(self.doc, self.stack, self, loader=self.loader)
        self.layers_dock = LayersDock(self.doc, self.stack, self)
        self.settings_dock = SettingsDock(self.doc, self.stack, self)
        self.docks = [
            self._dock("Colour", self.color_dock, right),
            self._dock("Palette", self.palette_dock, right),
            self._dock("References", self.references_dock, right),
            self._dock("Layers", self.layers_dock, right),
            self._dock("Settings", self.settings_dock, right),
        ]
        self.tabifyDockWidget(self.docks[1], self.docks[2])  # palette | references
        self.docks[1].raise_()
        self.tabifyDockWidget(self.docks[3], self.docks[4])  # layers | settings
        self.docks[3].raise_()
        for w in (self.palette_dock, self.references_dock):
            w.error.connect(self.show_error)
        self.resizeDocks(self.docks, [300] * len(self.docks), Qt.Orientation.Horizontal)

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
        if parts & {Part.SKETCH, Part.HINTS}:
            self._update_guide()
        if Part.HINTS in parts:
            self._update_suggestions()

    def _show_result(self, result: ColorizeResult) -> None:
        self.last_result = result
        s = self.doc.settings
        rgb = preview_image(result, s.layer_visible, s.layer_opacity)
        self.canvas.set_preview(rgb, result.request_id, result.stage)
        if result.stage == "refined":
            self.layers_dock.set_result(result)
        if result.region_map is not None:
            self.canvas.set_region_map(result.region_map)
            self._update_suggestions()
        self.status_bar.set_notes(result.notes)

    def show_suggestions(self) -> None:
        """Show or hide "where to hint next" (the View menu's switch)."""
        self._update_suggestions()
        if self.acts["suggest"].isChecked() and not self.canvas.overlay.suggestions:
            why = ("every area is decided" if self.canvas.region_map is not None
                   else "after the first preview")
            self.status_bar.showMessage(f"Where to hint next: nothing to suggest ({why})", 6000)

    def _update_suggestions(self) -> None:
        """Number the three areas where one more dot would help most, on the preview's regions
        (:func:`paintassist.core.suggest.where_to_hint`) with the document's hints."""
        regmap = self.canvas.region_map
        if not self.acts["suggest"].isChecked() or regmap is None or self.doc.sketch is None:
            self.canvas.set_suggestions([])
            return
        s = regmap.shape[1] / self.doc.sketch.shape[1]
        paper = self.last_result.stay_paper if self.last_result is not None else None
        if paper is not None and len(paper) != regmap.count:
            paper = None
        found = where_to_hint(regmap, self.doc.hints.scaled(s), stay_paper=paper)
        self.canvas.set_suggestions([(f.x / s, f.y / s) for f in found])

    def _nets_status(self, text: str) -> None:
        self.status_bar.set_nets_status(text)
        has_nets, loading = text.startswith("networks"), "loading" in text
        self.settings_dock.networks.setEnabled(has_nets or loading)
        if not (has_nets or loading):
            self.settings_dock.networks.setToolTip(f"Unavailable: {text}")

    def show_error(self, message: str) -> None:
        self.status_bar.show_error(message)

    def _on_clean_changed(self, _clean: bool) -> None:
        self._update_title()

    def _tool_changed(self, tool: str) -> None:
        self.acts[f"tool:{tool}"].setChecked(True)
        label, _icon, key, tip = TOOL_INFO[tool]  # type: ignore[index]
        self.status_bar.set_tool(f"{label} ({key})", tip)

    def _fill_recent(self) -> None:
        self.files.fill_recent(self.recent_menu)

    def _selection_changed(self, index: int) -> None:
        valid = 0 <= index < len(self.doc.hints)
        self.status_bar.show_hint(self.doc.hints[index] if valid else None)

    def step_size(self, factor: float) -> None:
        """Scale the size of the selected hint, else of new hints of the current tool."""
        hint = self.doc.hints[self.tools.selected] if self.tools.selected is not None else None
        kind = hint.kind if hint is not None else self.state.tool
        if kind == "draft":
            self.state.set_sizes(draft=max(1.0, round(self.state.draft_size * factor)))
        else:
            self.state.set_sizes(dot=max(0.5, round(self.state.dot_size * factor, 1)))

    def set_view_mode(self, mode: str) -> None:
        self.canvas.set_view_mode(mode)
        self.acts[f"view:{mode}"].setChecked(True)

    def toggle_preview(self) -> None:
        self.set_view_mode("sketch" if self.canvas.view_mode == "preview" else "preview")

    def show_shortcuts(self) -> None:
        show_shortcuts(self, self.acts)

    def _update_title(self) -> None:
        star = "*" if self.doc.dirty else ""
        self.setWindowTitle(f"{self.doc.title}{star} — {APP_NAME}")

    def _update_enabled(self) -> None:
        has = self.doc.sketch is not None
        for act in self._needs_sketch:
            act.setEnabled(has)

    def new_document(self) -> None:
        """After the document was replaced: no undo history, hint sizes that suit the page."""
        self.stack.clear()
        if self.doc.sketch is not None:
            self.tools.select(None)
            shape = self.doc.sketch.shape
            self.state.set_sizes(*(self.settings.sizes_for(shape) or default_sizes(shape)))

    # -- files (FileActions; kept on the window for run_app, tests and benchmarks) ---------------
    def open_path(self, path: Path, ask_save: bool = True) -> bool:
        """Start opening a sketch or project (see :meth:`FileActions.open_path`)."""
        return self.files.open_path(path, ask_save)

    def open_dropped(self, paths: list[Path]) -> None:
        self.files.open_dropped(paths)

    def set_sketch(self, sketch: Sketch) -> None:
        """Open an in-memory sketch (tests, benchmarks, synthetic samples)."""
        self.files.set_sketch(sketch)

    def save(self) -> bool:
        return self.files.save()

    def save_to(self, path: Path) -> bool:
        return self.files.save_to(path)

    def maybe_save(self) -> bool:
        return self.files.maybe_save()

    def autosave(self) -> None:
        self.files.autosave()

    def offer_recovery(self) -> bool:
        return self.files.offer_recovery()

    def import_hints(self, path: Path) -> bool:
        return self.files.import_hints(path)

    def import_hint_layer(self, path: Path, layer: str | None = None) -> bool:
        return self.files.import_hint_layer(path, layer)

    def export_hints(self, path: Path) -> bool:
        return self.files.export_hints(path)

    def make_export_dialog(self) -> ExportDialog:
        return self.files.make_export_dialog()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        self.files.open_dropped(paths)
        event.acceptProposedAction()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        self._autosave.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self._focus_return)
            app.removeEventFilter(self._dialog_sizer)
        self._save_layout()
        self.save_settings()
        self.loader.shutdown()
        self.worker.stop()
        if self.recovery is not None:
            self.recovery.clear()
        event.accept()
