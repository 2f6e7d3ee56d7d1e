"""Undo commands. Each replaces one immutable part of the :class:`Document` (before → after).

A drag or a slider scrub pushes one command per mouse move with the same ``merge_key``; they
merge into a single undo step (Qt calls :meth:`mergeWith` when :meth:`id` matches).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from paintassist.app.document import Document, Part
from paintassist.core.types import HintSet

_MERGEABLE_ID = 4711


class ReplacePart(QUndoCommand):
    """Replace ``doc.<part>`` (one of :data:`~paintassist.app.document.REPLACEABLE_PARTS`)."""

    def __init__(
        self, doc: Document, part: Part, after: Any, text: str, merge_key: Hashable | None = None
    ) -> None:
        super().__init__(text)
        self.doc = doc
        self.part = part
        self.before = doc.get_part(part)
        self.after = after
        self.merge_key = merge_key

    def id(self) -> int:
        return _MERGEABLE_ID if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, ReplacePart) or other.part != self.part:
            return False
        if self.merge_key is None or other.merge_key != self.merge_key:
            return False
        self.after = other.after
        # A scrub that ends where it started is no edit at all.
        self.setObsolete(_same(self.before, self.after))
        return True

    def redo(self) -> None:
        self.doc.set_part(self.part, self.after)

    def undo(self) -> None:
        self.doc.set_part(self.part, self.before)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, HintSet) and isinstance(b, HintSet):
        return a.hints == b.hints and a.strokes == b.strokes
    try:
        return bool(a == b)
    except ValueError:  # numpy arrays inside
        return a is b


def push_part(
    stack: QUndoStack,
    doc: Document,
    part: Part,
    after: Any,
    text: str,
    merge_key: Hashable | None = None,
) -> None:
    """Push a :class:`ReplacePart` unless it changes nothing."""
    if _same(doc.get_part(part), after):
        return
    stack.push(ReplacePart(doc, part, after, text, merge_key))
