"""Export dialog: colorize at full resolution and write the layered PNG folder, the OpenRaster
file and/or the Photoshop file, with a progress bar and cancel.

The colorization runs on the preview worker's thread, the one thread that owns the pipeline and
its networks (:meth:`~paintassist.gui.worker.PreviewWorker.colorize_and_wait`); the export job's
own thread waits for it and then writes the files.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from paintassist.core.errors import Cancelled, PaintAssistError
from paintassist.core.progress import CancelFn, ProgressFn, check_cancel
from paintassist.core.types import ColorizeRequest, ColorizeResult
from paintassist.io.export import export_result
from paintassist.io.naming import is_safe_name, safe_name

#: Fraction of the progress bar used by the colorization; the rest is writing files.
COLORIZE_SHARE = 0.7


class Colorize(Protocol):
    """Colorize ``request`` on the pipeline's own thread and block until it is done (in the app:
    ``PreviewWorker.colorize_and_wait``). Raises Cancelled once ``should_cancel`` is True."""

    def __call__(
        self, request: ColorizeRequest, *, should_cancel: CancelFn, progress: ProgressFn
    ) -> ColorizeResult: ...


#: Characters Windows forbids in names, beyond what io.naming already replaces.
_WINDOWS_UNSAFE = str.maketrans({c: "_" for c in '*?"<>|'})


class ExportJob(QThread):
    """progress(fraction 0..1, stage). finished_ok(paths). failed(message). cancelled().

    This thread writes the files; ``colorize`` runs the pipeline on the worker's thread."""

    progress = Signal(float, str)
    finished_ok = Signal(list)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(
        self,
        colorize: Colorize,
        request: ColorizeRequest,
        out_dir: Path,
        stem: str,
        formats: tuple[str, ...],
        layer_settings: tuple[Mapping[str, bool], Mapping[str, float]] | None = None,
    ) -> None:
        super().__init__()
        self.visible: Mapping[str, bool] | None = layer_settings[0] if layer_settings else None
        self.opacity: Mapping[str, float] | None = layer_settings[1] if layer_settings else None
        self._colorize = colorize
        self.request = request
        self.out_dir = out_dir
        self.stem = stem
        self.formats = formats
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        should_cancel = self._cancel.is_set
        try:
            result = self._colorize(
                self.request,
                should_cancel=should_cancel,
                progress=lambda stage, f: self.progress.emit(COLORIZE_SHARE * f, stage),
            )
            check_cancel(should_cancel)
            paths = export_result(
                result,
                self.out_dir,
                self.stem,
                tuple(self.formats),
                progress=lambda stage, f: self.progress.emit(
                    COLORIZE_SHARE + (1 - COLORIZE_SHARE) * f, stage
                ),
                should_cancel=should_cancel,
                source=str(src) if (src := self.request.sketch.source) is not None else None,
                dpi=self.request.sketch.dpi,
                visible=self.visible,
                opacity=self.opacity,
            )
        except Cancelled:
            self.cancelled.emit()
            return
        except (PaintAssistError, OSError) as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # engine bug: tell the artist, keep the app alive
            self.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        self.progress.emit(1.0, "done")
        self.finished_ok.emit([str(p) for p in paths])


class ExportDialog(QDialog):
    """Choose folder, name and formats; Export runs an :class:`ExportJob`; Cancel stops it."""

    def __init__(
        self,
        request_factory: Callable[[], ColorizeRequest | None],
        colorize: Colorize,
        out_dir: Path,
        stem: str,
        parent: QWidget | None = None,
        layer_settings: Callable[[], tuple[Mapping[str, bool], Mapping[str, float]]] | None = None,
    ) -> None:
        """layer_settings: returns the layers panel's (visible, opacity) so the export matches it."""
        super().__init__(parent)
        self._layer_settings = layer_settings
        self.setWindowTitle("Export layers")
        self.setMinimumWidth(460)
        self._request_factory = request_factory
        self._colorize = colorize
        self.job: ExportJob | None = None
        self.written: list[str] = []
        layout = QVBoxLayout(self)
        form = QFormLayout()
        row = QHBoxLayout()
        self.folder = QLineEdit(str(out_dir), self)
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        form.addRow("Folder", row)
        self.stem = QLineEdit(stem, self)
        form.addRow("Name", self.stem)
        self.png = QCheckBox("Layered PNG folder (+ manifest.json)", self)
        self.png.setChecked(True)
        self.ora = QCheckBox("OpenRaster .ora (Krita, MyPaint)", self)
        self.ora.setChecked(True)
        self.psd = QCheckBox("Photoshop .psd (Photoshop, Clip Studio, GIMP, Krita)", self)
        self.psd.setChecked(False)
        form.addRow("Formats", self.png)
        form.addRow("", self.ora)
        form.addRow("", self.psd)
        layout.addLayout(form)
        layout.addWidget(
            QLabel("Colorized at full resolution; this can take a while on a whole page.", self)
        )
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 1000)
        self.bar.setValue(0)
        self.bar.setTextVisible(False)
        layout.addWidget(self.bar)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton(
            "Export", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.export_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self._cancel_or_close)
        layout.addWidget(self.buttons)
        self.png.toggled.connect(self._update_enabled)
        self.ora.toggled.connect(self._update_enabled)
        self.psd.toggled.connect(self._update_enabled)

    def formats(self) -> tuple[str, ...]:
        boxes = (("png", self.png), ("ora", self.ora), ("psd", self.psd))
        return tuple(f for f, box in boxes if box.isChecked())

    def _update_enabled(self) -> None:
        self.export_button.setEnabled(bool(self.formats()) and self.job is None)

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Export to folder", self.folder.text())
        if path:
            self.folder.setText(path)

    def start(self) -> None:
        if self.job is not None:
            return
        request = self._request_factory()
        stem = self.stem.text().strip()
        if request is None:
            self.status.setText("Open a sketch first.")
            return
        if not stem or any(c in stem for c in '*?"<>|') or not is_safe_name(stem):
            self.status.setText(
                f'The name must not be empty, start with a dot or contain / \\ : * ? " < > | '
                f"(try {safe_name(stem.translate(_WINDOWS_UNSAFE))!r})"
            )
            return
        if not self.formats():
            self.status.setText("Choose at least one format.")
            return
        out_dir = Path(self.folder.text()).expanduser()
        layers = self._layer_settings() if self._layer_settings is not None else None
        self.job = ExportJob(self._colorize, request, out_dir, stem, self.formats(), layers)
        self.job.progress.connect(self._progress)
        self.job.finished_ok.connect(self._done)
        self.job.failed.connect(self._failed)
        self.job.cancelled.connect(self._cancelled)
        self.job.finished.connect(self._job_ended)
        self.export_button.setEnabled(False)
        self.status.setText("Colorizing at full resolution…")
        self.job.start()

    def _progress(self, fraction: float, stage: str) -> None:
        self.bar.setValue(round(1000 * fraction))
        self.status.setText(f"{stage}…")

    def _done(self, paths: list[str]) -> None:
        self.written = paths
        self.bar.setValue(1000)
        self.status.setText(f"Exported {len(paths)} file(s) to {self.folder.text()}")
        self.cancel_button.setText("Close")

    def _failed(self, message: str) -> None:
        self.status.setText(f"Export failed: {message}")

    def _cancelled(self) -> None:
        self.bar.setValue(0)
        self.status.setText("Export cancelled.")

    def _job_ended(self) -> None:
        if self.job is not None:
            self.job.deleteLater()
        self.job = None
        self._update_enabled()

    def _cancel_or_close(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.status.setText("Cancelling…")
        else:
            self.reject()

    def done(self, result: int) -> None:  # closing (Esc / window X) also stops the job
        if self.job is not None:
            self.job.cancel()
            self.job.wait()
        super().done(result)
