"""Packaging: the wheel and sdist carry the models, resources and entry points; every command's
help is complete; the Linux desktop entry, AppStream metainfo and MIME type agree with each other.

The bundle build itself (PyInstaller) is slow and is run by hand: ``packaging/build_bundle.sh``.
"""

from __future__ import annotations

import argparse
import configparser
import importlib.util
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest

from paintassist import __version__
from paintassist.cli import build_parser, main

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
APP_ID = "io.github.paintassist.PaintAssist"
IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp", "image/tiff", "image/bmp")
PROJECT_TYPE = "application/x-paintassist-project"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"
# What `python -m build` reads from the checkout.
BUILD_INPUTS = ("paintassist", "models", "resources", "pyproject.toml", "setup.py", "MANIFEST.in",
                "README.md")


def _load_dist_contents() -> ModuleType:
    # packaging/ is not a package (and `packaging` is a PyPI name): load the checker by path.
    spec = importlib.util.spec_from_file_location("dist_contents", PACKAGING / "dist_contents.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


dist_contents = _load_dist_contents()


def _can_build_without_isolation() -> bool:
    """True when this environment's setuptools can build the wheel itself: ≥ 70.1 has
    bdist_wheel built in; 68..70.0 needs the `wheel` package (a fresh 3.11 venv has 65.5)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        major, minor = (int(x) for x in version("setuptools").split(".")[:2])
    except (PackageNotFoundError, ValueError):
        return False
    if (major, minor) >= (70, 1):
        return True
    return major >= 68 and importlib.util.find_spec("wheel") is not None


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Wheel and sdist built once from a clean copy of the checkout (no stale build/ folder, no
    race with a build running in the checkout). Returns {"wheel": path, "sdist": path}."""
    work = tmp_path_factory.mktemp("build")
    src = work / "src"
    src.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "_data", "*.egg-info")
    for name in BUILD_INPUTS:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=ignore)
        elif path.is_file():
            shutil.copy2(path, src / name)
    out = work / "dist"
    cmd = [sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(out), str(src)]
    if _can_build_without_isolation():  # fast and offline; else build fetches setuptools itself
        cmd[3:3] = ["--no-isolation", "--skip-dependency-check"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    log = f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    assert proc.returncode == 0, f"python -m build failed:\n{log}"
    wheels = sorted(out.glob("paintassist-*.whl"))
    sdists = sorted(out.glob("paintassist-*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, sorted(p.name for p in out.iterdir())
    return {"wheel": wheels[0], "sdist": sdists[0]}


# -- wheel and sdist ----------------------------------------------------------------------------
@pytest.mark.slow
def test_wheel_is_named_for_the_version_and_is_pure_python(built: dict[str, Path]) -> None:
    assert built["wheel"].name == f"paintassist-{__version__}-py3-none-any.whl"
    assert built["sdist"].name == f"paintassist-{__version__}.tar.gz"


def test_wheel_carries_models_resources_entry_points_and_metadata(built: dict[str, Path]) -> None:
    assert dist_contents.wheel_problems(built["wheel"], ROOT) == []


def test_sdist_carries_what_a_wheel_build_needs(built: dict[str, Path]) -> None:
    assert dist_contents.sdist_problems(built["sdist"], ROOT) == []


def test_expected_data_covers_samples_hints_icon_and_palettes() -> None:
    need = dist_contents.required_data_files(ROOT)
    samples = [p for p in need if p.startswith("resources/samples/") and p.endswith(".png")]
    assert samples, "no bundled sample sketches in resources/samples/"
    for sample in samples:
        assert sample.removesuffix(".png") + ".json" in need
    assert "resources/icons/paintassist.svg" in need
    assert any(p.startswith("resources/palettes/") for p in need)


def test_weights_named_in_the_model_manifest_are_required(tmp_path: Path) -> None:
    models = tmp_path / "models"
    models.mkdir()
    (models / "manifest.json").write_text(
        '{"version": "0.1.0", "files": {"draft": {"file": "draftnet.pt", "sha256": "x"},'
        ' "refine": {"file": "refinenet.pt", "sha256": "y"}}}', encoding="utf-8")
    need = dist_contents.required_data_files(tmp_path)
    assert {"models/manifest.json", "models/draftnet.pt", "models/refinenet.pt"} <= set(need)


def test_checker_reports_a_wheel_without_data(tmp_path: Path, built: dict[str, Path]) -> None:
    """The checker is what the other tests lean on: it must notice missing files."""
    import zipfile

    stripped = tmp_path / built["wheel"].name
    with zipfile.ZipFile(built["wheel"]) as src, zipfile.ZipFile(stripped, "w") as dst:
        for item in src.infolist():
            if not item.filename.startswith("paintassist/_data/resources/samples/") and not (
                item.filename.endswith("entry_points.txt")
            ):
                dst.writestr(item, src.read(item))
    problems = "\n".join(dist_contents.wheel_problems(stripped, ROOT))
    assert "_data/resources/samples/" in problems
    assert "entry_points.txt" in problems


# -- command-line help ----------------------------------------------------------------------------
def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _help_of(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 0, f"{argv} exited with {stop.value.code}"
    return capsys.readouterr().out


def test_top_level_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    text = _help_of(["--help"], capsys)
    commands = _subparsers(build_parser())
    assert set(commands) >= {"colorize", "demo", "models", "gui"}
    for name in commands:
        assert name in text
    assert "--version" in text


@pytest.mark.parametrize("command", sorted(_subparsers(build_parser())))
def test_each_command_help_mentions_all_its_options(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _help_of([command, "--help"], capsys)
    sub = _subparsers(build_parser())[command]
    assert sub.description, f"'{command}' has no description"
    for action in sub._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        assert action.help, f"'{command}' option {action.option_strings or action.dest} has no help"
        for flag in action.option_strings:
            assert flag in text, f"'{command} --help' does not mention {flag}"
        if not action.option_strings:  # positional: shown by its metavar
            assert str(action.metavar or action.dest) in text


def test_version_names_app_and_model_versions(capsys: pytest.CaptureFixture[str]) -> None:
    text = _help_of(["--version"], capsys)
    assert text.startswith(f"paintassist {__version__} (models ")


# -- Linux desktop integration ----------------------------------------------------------------
def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(PACKAGING / "linux" / f"{APP_ID}.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_launches_the_gui_script_for_images_and_projects() -> None:
    entry = _desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    gui_scripts = project["gui-scripts"]
    command = entry["Exec"].split()[0]
    assert command in gui_scripts
    assert entry["Exec"].endswith("%F")
    mime = [m for m in entry["MimeType"].split(";") if m]
    assert set(mime) == {*IMAGE_TYPES, PROJECT_TYPE}
    assert "Graphics" in entry["Categories"].split(";")


def test_metainfo_names_the_same_app_its_desktop_file_and_current_release() -> None:
    root = ET.parse(PACKAGING / "linux" / f"{APP_ID}.metainfo.xml").getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    launchable = root.find("launchable")
    assert launchable is not None and launchable.text == f"{APP_ID}.desktop"
    assert (PACKAGING / "linux" / f"{APP_ID}.desktop").is_file()
    assert root.findtext("icon") == _desktop_entry()["Icon"]
    assert root.findtext("name") == _desktop_entry()["Name"]
    releases = root.findall("releases/release")
    assert releases and releases[0].get("version") == __version__
    provided = {m.text for m in root.findall("provides/mediatype")}
    assert PROJECT_TYPE in provided


def test_icon_source_exists_and_is_an_svg() -> None:
    svg = ROOT / "resources" / "icons" / "paintassist.svg"
    assert svg.is_file(), f"{svg}: the app icon source is missing"
    assert ET.parse(svg).getroot().tag.endswith("svg")


def test_project_mime_type_is_a_zip_with_the_paintassist_suffix() -> None:
    root = ET.parse(PACKAGING / "linux" / f"{APP_ID}.mime.xml").getroot()
    types = {t.get("type"): t for t in root.findall(f"{MIME_NS}mime-type")}
    assert set(types) == {PROJECT_TYPE}
    project = types[PROJECT_TYPE]
    assert {g.get("pattern") for g in project.findall(f"{MIME_NS}glob")} == {"*.paintassist"}
    parent = project.find(f"{MIME_NS}sub-class-of")
    assert parent is not None and parent.get("type") == "application/zip"
    icon = project.find(f"{MIME_NS}icon")
    assert icon is not None and icon.get("name") == APP_ID


def test_bundle_spec_is_python_and_its_launchers_exist() -> None:
    import ast

    spec = PACKAGING / "paintassist.spec"
    tree = ast.parse(spec.read_text("utf-8"))
    strings = {n.value for n in ast.walk(tree)
               if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    for launcher in ("launcher.py", "launcher_gui.py"):
        assert launcher in strings
        assert (PACKAGING / launcher).is_file()
    assert APP_ID in strings
