"""Put drug-viewer in a Linux desktop's application menu: the desktop entry, its icons and the AppStream
metainfo, installed per user under ``$XDG_DATA_HOME`` (default ``~/.local/share``).

A wheel cannot place files outside its environment, and a bundle has no installer, so the command that
was installed (pipx's ``drug-viewer``, or the bundle's executable) installs its own entry:
``drug-viewer install-desktop``. The entry's ``Exec`` and ``TryExec`` name that executable by its absolute
path, so the menu starts the same program that wrote it. Follows the freedesktop Desktop Entry and Icon
Theme specifications (hicolor theme, ``apps`` context).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from viewer.paths import APP_ID, ICON_SIZES, desktop_file, icon_png, icon_svg, metainfo_file


def data_home() -> Path:
    configured = os.environ.get("XDG_DATA_HOME", "")
    return Path(configured) if os.path.isabs(configured) else Path.home() / ".local" / "share"


def current_executable() -> Path:
    """The program to start from the menu: the bundle's executable, or the installed console script."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve()
    found = shutil.which("drug-viewer")
    return Path(found).resolve() if found else Path(sys.argv[0]).resolve()


def entry_text(executable: Path) -> str:
    """The shipped desktop entry with Exec/TryExec pointing at ``executable`` (quoted per the spec)."""
    quoted = '"' + str(executable).replace("\\", "\\\\").replace('"', '\\"') + '"'
    lines = []
    for line in desktop_file().read_text(encoding="utf-8").splitlines():
        if line.startswith("Exec="):
            line = f"Exec={quoted} %F"
        elif line.startswith("TryExec="):
            line = f"TryExec={executable}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def installed_files(root: Path) -> list[Path]:
    """Where ``install`` writes, relative to a data home; also what ``uninstall`` removes."""
    icons = root / "icons" / "hicolor"
    return [
        root / "applications" / f"{APP_ID}.desktop",
        root / "metainfo" / f"{APP_ID}.metainfo.xml",
        icons / "scalable" / "apps" / f"{APP_ID}.svg",
        *(icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png" for size in ICON_SIZES),
    ]


def install(executable: Path, root: Path) -> list[Path]:
    desktop, metainfo, svg, *pngs = installed_files(root)
    sources: list[tuple[Path, Path | str]] = [
        (desktop, entry_text(executable)),
        (metainfo, metainfo_file()),
        (svg, icon_svg()),
    ]
    sources += [(target, icon_png(size)) for target, size in zip(pngs, ICON_SIZES, strict=True)]
    for target, source in sources:
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(source, str):
            target.write_text(source, encoding="utf-8")
        else:
            shutil.copyfile(source, target)
    return [target for target, _ in sources]


def uninstall(root: Path) -> list[Path]:
    removed = [path for path in installed_files(root) if path.is_file()]
    for path in removed:
        path.unlink()
    return removed
