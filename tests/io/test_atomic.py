"""Atomic writes never leave partial files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from paintassist.io.atomic import atomic_open, atomic_write_text


def test_replaces_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    atomic_write_text(path, "old")
    atomic_write_text(path, "new")
    assert path.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]
    assert path.stat().st_mode & 0o044  # readable by others, not mkstemp's 0600


def test_failure_keeps_old_content_and_leaves_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    atomic_write_text(path, "old")
    with pytest.raises(RuntimeError), atomic_open(path) as handle:
        handle.write(b"half")
        raise RuntimeError("crash mid-write")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_never_touches_the_process_umask(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """os.umask is a process-wide write: another thread creating a file meanwhile gets mode 0."""
    import importlib

    import paintassist.io.atomic as atomic

    def no_umask(mask: int) -> int:
        raise AssertionError(f"os.umask({mask:#o}) called")

    monkeypatch.setattr(os, "umask", no_umask)
    atomic = importlib.reload(atomic)
    atomic.atomic_write_text(tmp_path / "a.txt", "x")
    with atomic.atomic_open(tmp_path / "b.bin") as handle:
        handle.write(b"y")
    assert (tmp_path / "b.bin").read_bytes() == b"y"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("umask", [0o022, 0o027, 0o077], ids=oct)
def test_new_file_gets_the_umask_permissions(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        path = atomic_write_text(tmp_path / "a.txt", "x")
        mode = stat.S_IMODE(path.stat().st_mode)
    finally:
        os.umask(old)
    assert mode == 0o666 & ~umask


def test_temp_name_taken_tries_another(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import paintassist.io.atomic as atomic

    names = iter(["taken", "taken", "free"])
    monkeypatch.setattr(atomic.secrets, "token_hex", lambda n: next(names))
    (tmp_path / ".a.txt.taken.part").write_text("someone else's")
    atomic.atomic_write_text(tmp_path / "a.txt", "mine")
    assert (tmp_path / "a.txt").read_text() == "mine"
    assert (tmp_path / ".a.txt.taken.part").read_text() == "someone else's"
