"""The Linux desktop integration: the icon, the desktop entry, the AppStream metainfo, and the
``install-desktop`` command that puts them under a user's data home."""

from __future__ import annotations

import configparser
import os
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from viewer import __version__
from viewer.desktop import entry_text, install, installed_files, uninstall
from viewer.paths import APP_ID, ICON_SIZES, desktop_file, icon_png, icon_svg, metainfo_file

ROOT = Path(__file__).resolve().parents[2]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def desktop_entry(text: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string(text)
    return parser["Desktop Entry"]


def test_icon_pngs_are_square_renderings_of_every_size() -> None:
    assert ET.parse(icon_svg()).getroot().tag == "{http://www.w3.org/2000/svg}svg"
    for size in ICON_SIZES:
        assert png_size(icon_png(size)) == (size, size)


def test_desktop_entry_names_the_command_and_the_icon() -> None:
    entry = desktop_entry(desktop_file().read_text(encoding="utf-8"))
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] == entry["TryExec"] == "drug-viewer"
    assert entry["Icon"] == APP_ID
    assert entry["Categories"].endswith(";") and "MedicalSoftware" in entry["Categories"].split(";")
    assert entry["Terminal"] == "false"


def test_metainfo_describes_this_app_and_version() -> None:
    root = ET.parse(metainfo_file()).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("name") == "drug-viewer"
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == "MIT"
    assert len(root.findtext("summary") or "") < 80
    assert len(root.findall("description/p")) >= 2
    assert root.findtext("launchable[@type='desktop-id']") == desktop_file().name
    assert root.findtext("icon[@type='stock']") == APP_ID
    assert root.findtext("provides/binary") == "drug-viewer"
    assert next(r.get("version") for r in root.findall("releases/release")) == __version__


def validator(name: str, package: str) -> None:
    """Skip without the tool outside CI; under CI (``.ci/run`` installs it) its absence is a failure."""
    if shutil.which(name) is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must validate with {name} (Debian: {package}); .ci/run installs it")
        pytest.skip(f"{name} (Debian: {package}) not installed")


def test_metainfo_passes_appstreamcli() -> None:
    validator("appstreamcli", "appstream")
    checked = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(metainfo_file())], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_desktop_entry_passes_desktop_file_validate(tmp_path: Path) -> None:
    validator("desktop-file-validate", "desktop-file-utils")
    written = tmp_path / desktop_file().name
    written.write_text(entry_text(Path("/opt/drug viewer/drug-viewer")), encoding="utf-8")
    for path in (desktop_file(), written):
        checked = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True, check=False)
        assert checked.returncode == 0 and "error" not in checked.stdout, checked.stdout


def test_install_and_uninstall_under_a_data_home(tmp_path: Path) -> None:
    exe = Path("/opt/drug viewer/drug-viewer")
    written = install(exe, tmp_path)
    assert sorted(written) == sorted(installed_files(tmp_path))
    entry = desktop_entry((tmp_path / "applications" / f"{APP_ID}.desktop").read_text(encoding="utf-8"))
    assert entry["Exec"] == '"/opt/drug viewer/drug-viewer" %F' and entry["TryExec"] == str(exe)
    assert png_size(tmp_path / "icons/hicolor/48x48/apps" / f"{APP_ID}.png") == (48, 48)
    assert (tmp_path / "metainfo" / f"{APP_ID}.metainfo.xml").read_bytes() == metainfo_file().read_bytes()
    assert sorted(uninstall(tmp_path)) == sorted(written)
    assert not any(p.exists() for p in written)
    assert uninstall(tmp_path) == []


def test_install_desktop_command_uses_xdg_data_home(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run(
        [sys.executable, "-m", "viewer", "install-desktop"], capture_output=True, text=True, env=env, check=False
    )
    assert run.returncode == 0, run.stderr
    entry_path = tmp_path / "applications" / f"{APP_ID}.desktop"
    assert f"wrote {entry_path}" in run.stdout
    assert Path(desktop_entry(entry_path.read_text(encoding="utf-8"))["TryExec"]).is_absolute()
    removed = subprocess.run(
        [sys.executable, "-m", "viewer", "install-desktop", "--uninstall"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert removed.returncode == 0 and not entry_path.exists()
