"""Reading a file the user named, within a size limit, with errors that name it."""

from __future__ import annotations

from pathlib import Path

from paintassist.core.errors import InputError


def read_bounded(path: str | Path, limit: int, error: type[InputError], what: str) -> bytes:
    """The bytes of ``path``, at most ``limit`` of them; ``error(path, problem)`` when it is
    missing, a folder, unreadable or larger (``what`` says what was expected, e.g. "a palette
    file"), so a huge or endless file is never read whole."""
    p = Path(path)
    try:
        with p.open("rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise error(p, "file not found") from None
    except IsADirectoryError:
        raise error(p, f"is a folder, expected {what}") from None
    except OSError as exc:
        raise error(p, f"cannot read the file ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise error(p, f"larger than {limit // 2**20} MB: not {what}")
    return data
