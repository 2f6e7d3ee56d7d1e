"""Page names under --out: never the folder itself, hidden, colliding or escaping."""

from __future__ import annotations

from pathlib import Path

import pytest

from paintassist.io.naming import is_safe_name, page_names, safe_name


@pytest.mark.parametrize(
    ("stem", "name"),
    [
        ("page", "page"),
        ("page.v2", "page.v2"),
        (".", "_"),
        ("..", "__"),
        (".hidden", "_hidden"),
        ("", "_"),
        ("a\\b", "a_b"),
        ("c:d", "c_d"),
        ("tab\tname", "tab_name"),
        ("other.ora", "other_ora"),
        ("other.PSD", "other_PSD"),
    ],
)
def test_safe_name(stem: str, name: str) -> None:
    assert safe_name(stem) == name
    assert is_safe_name(name)


def test_unsafe_names_are_recognised() -> None:
    assert not any(is_safe_name(n) for n in (".", "..", ".x", "a/b", "x.ora", ""))


def test_page_names_are_unique_ignoring_case_in_input_order() -> None:
    sketches = [
        Path("a/page.png"),
        Path("b/page.png"),
        Path("page.jpg"),
        Path("Page.tif"),
        Path("x.png"),
    ]
    assert page_names(sketches) == ["page", "page-2", "page-3", "Page-4", "x"]


def test_a_page_folder_never_takes_another_pages_ora_name() -> None:
    names = page_names([Path("other.png"), Path("other.ora.png")])
    assert names == ["other", "other_ora"]
    files = {names[0], names[0] + ".ora", names[1], names[1] + ".ora"}
    assert len(files) == 4
