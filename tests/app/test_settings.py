"""App settings: kept in the config location (not the data folder), round trip, tolerate bad
files, hint sizes scale with the page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from paintassist.app.settings import AppSettings, load_settings, save_settings, settings_path
from paintassist.paths import user_config_dir, user_data_dir


def test_settings_live_in_the_config_folder_not_the_data_folder(_private_config: Path) -> None:
    path = save_settings(AppSettings(color=(1, 2, 3)))
    assert path == settings_path() == _private_config / "settings.json"
    assert user_data_dir() not in path.parents
    assert load_settings().color == (1, 2, 3)


def test_config_folder_follows_the_platform_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PAINTASSIST_CONFIG_DIR")
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert user_config_dir() == tmp_path / "cfg" / "paintassist"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert user_config_dir() == tmp_path / "home" / ".config" / "paintassist"
    monkeypatch.setattr("sys.platform", "darwin")
    assert user_config_dir() == tmp_path / "home" / "Library" / "Preferences" / "paintassist"
    monkeypatch.setattr("sys.platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "roaming"))
    assert user_config_dir() == tmp_path / "roaming" / "paintassist" / "config"


def test_round_trip(tmp_path: Path) -> None:
    s = AppSettings(
        color=(10, 20, 30),
        recent_colors=[(1, 1, 1), (2, 2, 2)],
        open_dir=str(tmp_path),
        import_dir=str(tmp_path / "in"),
        export_dir=str(tmp_path / "out"),
        export_formats=("png", "psd"),
    )
    s.remember_sizes(30.0, 4.5, (600, 800))
    back = load_settings(save_settings(s, tmp_path / "s.json"))
    assert back == s


def test_sizes_scale_with_the_page() -> None:
    s = AppSettings()
    assert s.sizes_for((1000, 800)) is None  # nothing remembered: the app's defaults apply
    s.remember_sizes(40.0, 8.0, (1000, 700))
    assert s.sizes_for((1000, 700)) == (40.0, 8.0)
    assert s.sizes_for((2000, 1400)) == (80.0, 16.0)
    assert s.sizes_for((100, 50)) == (4.0, 0.8)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not json",
        b"[1, 2]",
        json.dumps({"color": 5, "hint_sizes": {"draft": -1, "dot": "x", "page_long_side": True},
                    "folders": {"open": 3}, "export": {"formats": ["png", 7, "../x"]},
                    "recent_colors": ["#zzzzzz", "#010203"]}).encode(),
    ],
)  # fmt: skip
def test_bad_files_give_defaults_for_what_is_wrong(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    s = load_settings(path)
    defaults = AppSettings()
    assert s.color == defaults.color and s.size_page == 0 and s.open_dir == ""
    assert s.export_formats in ((), ("png",))
    assert s.recent_colors in ([], [(1, 2, 3)])


def test_missing_folders_are_forgotten(tmp_path: Path) -> None:
    assert AppSettings.folder(str(tmp_path)) == str(tmp_path)
    assert AppSettings.folder(str(tmp_path / "gone")) == ""
    assert AppSettings.folder("") == ""
