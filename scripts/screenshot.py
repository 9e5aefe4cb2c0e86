"""Render the main window offscreen and save it as a PNG (the README screenshot).

Runs without a display (Qt's offscreen platform) on the shipped data with throw-away settings, so the
picture shows exactly what a first launch shows:

    python scripts/screenshot.py                       # 1440x900 -> resources/screenshot.png
    python scripts/screenshot.py --size 1024x700 --out /tmp/small.png
    python scripts/screenshot.py --tab forest --adjusted
    python scripts/screenshot.py --drugs upadacitinib,tofacitinib,baricitinib,filgotinib --theme dark
    QT_SCALE_FACTOR=2 python scripts/screenshot.py --size 1024x700   # a 2x screen (the image is 2x too)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, got {text!r}") from exc
    if width < 200 or height < 200:
        raise argparse.ArgumentTypeError("the window needs at least 200x200 pixels")
    return width, height


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=parse_size, default=(1440, 900), help="window size, e.g. 1024x700")
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "screenshot.png")
    parser.add_argument(
        "--tab",
        choices=(
            "dose-response",
            "forest",
            "tolerability",
            "safety-rates",
            "selectivity",
            "league",
            "network",
            "compare",
        ),
    )
    parser.add_argument("--drugs", default="", help="comma-separated drug ids to tick (default: the first launch's)")
    parser.add_argument("--theme", choices=("system", "light", "dark"), default="light", help="window theme")
    parser.add_argument("--adjusted", action="store_true", help="placebo-adjusted charts")
    parser.add_argument("--focus", default="", help="drug id shown in the details pane")
    args = parser.parse_args(argv)

    if not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from viewer.charts.spec import ChartKind
    from viewer.ui.main_window import build_main_window
    from viewer.ui.settings import Settings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(QSettings(str(Path(tmp) / "screenshot.ini"), QSettings.Format.IniFormat))
        from viewer.ui.theme import Theme, apply_theme

        apply_theme(app, Theme(args.theme))
        window = build_main_window([], settings, install_excepthook=False)
        window.resize(*args.size)
        window.reset_layout()
        if args.adjusted:
            window.state.update_query(adjusted=True)
        if args.drugs:
            window.state.update_query(drugs=tuple(d for d in args.drugs.split(",") if d))
        if args.focus:
            window.state.set_focused_drug(args.focus)
        if args.tab:
            window.chart_pane.show_kind(None if args.tab == "compare" else ChartKind(args.tab))
        window.show()
        for _ in range(5):  # let layouts settle (wrapping controls, chart layout, text documents)
            app.processEvents()
        image = window.grab()
        args.out.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(args.out)):
            sys.stderr.write(f"could not write {args.out}\n")
            return 1
        window.close()
        window.deleteLater()
        app.processEvents()
    print(f"wrote {args.out} ({image.width()}x{image.height()})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
