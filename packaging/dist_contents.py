"""Check that a built wheel / sdist carries the models, resources and entry points.

Used by ``packaging/check_wheel.sh`` and ``tests/test_packaging.py``; also a command::

    python packaging/dist_contents.py dist/paintassist-*.whl dist/paintassist-*.tar.gz

The expectation is read from the source tree: every file under ``models/`` and ``resources/``
(caches aside) must be in the wheel as ``paintassist/_data/<same path>`` and in the sdist as
``<name>-<version>/<same path>``. Prints one line per problem; exit status 1 when there are any.
"""

from __future__ import annotations

import configparser
import json
import re
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIRS = ("models", "resources")
#: Folders under DATA_DIRS that stay in the repository only: resumable training checkpoints.
NOT_SHIPPED = ("models/training",)
CONSOLE_SCRIPT = "paintassist = paintassist.cli:main"
GUI_SCRIPT = "paintassist-gui = paintassist.cli:gui_main"


def source_data_files(root: Path = ROOT) -> list[str]:
    """Repository-relative POSIX paths of the files under models/ and resources/ to ship."""
    found: list[str] = []
    for name in DATA_DIRS:
        base = root / name
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            rel = path.relative_to(root).as_posix()
            if any(rel.startswith(f"{skip}/") for skip in NOT_SHIPPED):
                continue
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                found.append(rel)
    return found


def manifest_weight_files(manifest: Path) -> list[str]:
    """Weight file names a model manifest lists: ``{"files": {net: {"file": NAME, ...}}}``."""
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return []
    return sorted(str(entry["file"]) for entry in files.values()
                  if isinstance(entry, dict) and isinstance(entry.get("file"), str))


def required_data_files(root: Path = ROOT) -> list[str]:
    """Files the app cannot do without (a subset of :func:`source_data_files`), when present in
    the checkout: the model manifest, each sample with its hints file, the icon, the palettes."""
    need: list[str] = []
    manifest = root / "models" / "manifest.json"
    if manifest.is_file():
        need.append("models/manifest.json")
        need += [f"models/{name}" for name in manifest_weight_files(manifest)]
    for sketch in sorted((root / "resources" / "samples").glob("*.png")):
        need.append(f"resources/samples/{sketch.name}")
        need.append(f"resources/samples/{sketch.stem}.json")
    need.append("resources/icons/paintassist.svg")
    palettes = sorted((root / "resources" / "palettes").glob("*.json"))
    need += [f"resources/palettes/{p.name}" for p in palettes]
    return need


def wheel_problems(wheel: Path, root: Path = ROOT) -> list[str]:
    """Everything missing or wrong in ``wheel`` (an empty list when it is complete)."""
    problems: list[str] = []
    try:
        zf = zipfile.ZipFile(wheel)
    except (OSError, zipfile.BadZipFile) as exc:
        return [f"{wheel}: not a readable wheel ({exc})"]
    with zf:
        names = set(zf.namelist())
        for rel in sorted(set(source_data_files(root)) | set(required_data_files(root))):
            if f"paintassist/_data/{rel}" not in names:
                problems.append(f"{wheel.name}: missing paintassist/_data/{rel}")
        if not any(n.startswith("paintassist/_data/models/") and not n.endswith(".json")
                   for n in names) and (root / "models" / "manifest.json").is_file():
            problems.append(f"{wheel.name}: no weight files under paintassist/_data/models/")
        for module in ("paintassist/__init__.py", "paintassist/cli.py", "paintassist/paths.py",
                       "paintassist/py.typed"):
            if module not in names:
                problems.append(f"{wheel.name}: missing {module}")
        stray = sorted(n for n in names if "__pycache__" in n or n.endswith(".pyc")
                       or n.startswith(("tests/", "packaging/", "models/", "resources/")))
        if stray:
            problems.append(f"{wheel.name}: holds files it should not: {stray[:5]}")
        info = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        meta = [n for n in names if n.endswith(".dist-info/METADATA")]
        if not info:
            problems.append(f"{wheel.name}: no entry_points.txt")
        else:
            problems += _entry_point_problems(wheel.name, zf.read(info[0]).decode("utf-8"))
        if not meta:
            problems.append(f"{wheel.name}: no METADATA")
        else:
            problems += _metadata_problems(wheel.name, zf.read(meta[0]).decode("utf-8"))
    return problems


def _entry_point_problems(label: str, text: str) -> list[str]:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keep names' case
    parser.read_string(text)
    problems = []
    for section, line in (("console_scripts", CONSOLE_SCRIPT), ("gui_scripts", GUI_SCRIPT)):
        name, target = (part.strip() for part in line.split("="))
        got = parser.get(section, name, fallback=None)
        if got is None or got.strip() != target:
            problems.append(f"{label}: entry_points.txt [{section}] lacks '{line}' (has {got!r})")
    return problems


def _metadata_problems(label: str, text: str) -> list[str]:
    msg = Parser().parsestr(text)
    problems = []
    if msg.get("Name") != "paintassist":
        problems.append(f"{label}: METADATA Name is {msg.get('Name')!r}")
    if not (msg.get("Requires-Python") or "").startswith(">=3.11"):
        problems.append(f"{label}: METADATA Requires-Python is {msg.get('Requires-Python')!r}")
    requires = [r.split(";")[0].strip() for r in msg.get_all("Requires-Dist") or []]
    names = {re.split(r"[<>=!~\[ ]", r, maxsplit=1)[0].lower() for r in requires}
    for dep in ("numpy", "opencv-python-headless", "pillow", "torch", "pyside6-essentials"):
        if dep not in names:
            problems.append(f"{label}: METADATA does not require {dep}")
    return problems


def sdist_problems(sdist: Path, root: Path = ROOT) -> list[str]:
    """Everything missing in ``sdist`` (a .tar.gz) that a wheel built from it would need."""
    try:
        with tarfile.open(sdist) as tf:
            names = set(tf.getnames())
    except (OSError, tarfile.TarError) as exc:
        return [f"{sdist}: not a readable sdist ({exc})"]
    prefix = sdist.name.removesuffix(".tar.gz") + "/"
    problems = []
    want = set(source_data_files(root)) | set(required_data_files(root))
    want |= {"setup.py", "pyproject.toml", "MANIFEST.in", "paintassist/__init__.py",
             "paintassist/cli.py"}
    for rel in sorted(want):
        if prefix + rel not in names:
            problems.append(f"{sdist.name}: missing {prefix}{rel}")
    if any("/paintassist/_data/" in n for n in names):
        problems.append(f"{sdist.name}: holds a stale paintassist/_data/ copy")
    return problems


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python packaging/dist_contents.py WHEEL|SDIST...", file=sys.stderr)
        return 2
    problems: list[str] = []
    for arg in argv:
        path = Path(arg)
        problems += wheel_problems(path) if path.suffix == ".whl" else sdist_problems(path)
    for p in problems:
        print(p)
    if not problems:
        names = ", ".join(Path(a).name for a in argv)
        print(f"ok: {names} carry models/, resources/ and the entry points")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
