from __future__ import annotations

from dataclasses import replace

from fakes import make_sketch
from PySide6.QtGui import QUndoStack

from paintassist.app.document import Document, Part
from paintassist.core.types import Hint, HintSet
from paintassist.gui.commands import push_part


def _doc() -> Document:
    doc = Document()
    doc.set_sketch(make_sketch())
    return doc


def test_push_changes_document_only_through_redo_and_undo_restores(qapp) -> None:  # type: ignore[no-untyped-def]
    doc, stack = _doc(), QUndoStack()
    a = HintSet((Hint("draft", 5, 5, (255, 0, 0), 10),))
    push_part(stack, doc, Part.HINTS, a, "Add")
    assert doc.hints == a and stack.count() == 1
    stack.undo()
    assert len(doc.hints) == 0
    stack.redo()
    assert doc.hints == a


def test_same_merge_key_is_one_step_and_new_key_is_another(qapp) -> None:  # type: ignore[no-untyped-def]
    doc, stack = _doc(), QUndoStack()
    base = HintSet((Hint("accurate", 5, 5, (0, 0, 255)),))
    push_part(stack, doc, Part.HINTS, base, "Add")
    for x in range(6, 30):
        push_part(
            stack, doc, Part.HINTS, base.replaced(0, base[0].moved(x, 7)), "Move", ("move", 1)
        )
    assert stack.count() == 2 and doc.hints[0].x == 29
    push_part(
        stack,
        doc,
        Part.HINTS,
        doc.hints.replaced(0, doc.hints[0].moved(40, 7)),
        "Move",
        ("move", 2),
    )
    assert stack.count() == 3
    stack.undo()
    assert doc.hints[0].x == 29
    stack.undo()
    assert doc.hints[0].x == 5  # the whole first drag in one step
    stack.undo()
    assert len(doc.hints) == 0


def test_scrub_back_to_start_leaves_no_step(qapp) -> None:  # type: ignore[no-untyped-def]
    doc, stack = _doc(), QUndoStack()
    start = doc.settings
    for gap in (7, 8, 9, 6):
        push_part(stack, doc, Part.SETTINGS, replace(doc.settings, gap_px=gap), "Gap", ("gap", 1))
    assert doc.settings == start
    assert stack.count() == 0


def test_no_op_is_not_pushed(qapp) -> None:  # type: ignore[no-untyped-def]
    doc, stack = _doc(), QUndoStack()
    push_part(stack, doc, Part.HINTS, HintSet(), "Nothing")
    assert stack.count() == 0
