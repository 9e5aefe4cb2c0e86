"""Run in a fresh interpreter by the benchmark: print the wall-clock time of the first painted window.

``bare`` draws a plain PySide6 + pyqtgraph window with one empty plot (the baseline); ``app`` draws the
drug-viewer main window with the default comparison. The parent process subtracts its own start time.
"""

from __future__ import annotations

import sys
import time


def main(which: str) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    if which == "bare":
        import pyqtgraph as pg
        from PySide6.QtWidgets import QMainWindow

        window = QMainWindow()
        window.setCentralWidget(pg.PlotWidget())
    else:
        from viewer.ui.main_window import build_main_window

        window = build_main_window(extra_paths=[])
    window.resize(1440, 900)

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                print(f"{time.time():.6f}", flush=True)
                QTimer.singleShot(0, app.quit)
                obj.removeEventFilter(self)
            return False

    watcher = FirstPaint()
    window.installEventFilter(watcher)
    window.show()
    app.exec()
    window.close()


if __name__ == "__main__":
    main(sys.argv[1])
