"""The PySide6 desktop app. Entry point: :func:`paintassist.gui.app.run_app`."""

from paintassist.gui.qt_compat import protect_none_refcount

protect_none_refcount()
