"""Run in a fresh interpreter by the benchmark: print the wall-clock time of the first painted window.

``bare`` draws a plain PySide6 + pyqtgraph window with one empty plot (the baseline); ``app`` draws the
drug-viewer main window with the default comparison, built as the app builds it
(``viewer.app.build_window``). The parent process subtracts its own start time.

"Painted" means the first paint pass of the window is over: an application-wide event filter notes the
first Paint event of any widget in the window (a QMainWindow whose centre is an opaque view never gets
one itself), and a zero-time timer fires once the event loop is back, i.e. after the whole pass and the
flush. Both probes use the same test, so the ratio compares like with like.
"""

from __future__ import annotations

import sys
import time

FIRST_PAINT = "startup_probe: first paint"


def main(which: str) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

    app = QApplication(sys.argv[:1])
    window: QMainWindow
    if which == "bare":
        import pyqtgraph as pg

        window = QMainWindow()
        window.setCentralWidget(pg.PlotWidget())
    else:
        from viewer.app import build_window  # the app's own start-up path (launch() builds the same)

        window = build_window()
    window.resize(1440, 900)

    def report() -> None:
        print(f"{time.time():.6f}", flush=True)
        # The bench's import profile of this probe (-X importtime, on stderr) ends here: what the app
        # imports after its first paint (the details pane's class-safety section) is not start-up.
        print(FIRST_PAINT, file=sys.stderr, flush=True)
        app.quit()

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and isinstance(obj, QWidget) and obj.window() is window:
                app.removeEventFilter(self)
                QTimer.singleShot(0, report)
            return False

    watcher = FirstPaint()
    app.installEventFilter(watcher)
    QTimer.singleShot(30_000, app.quit)  # never hang the benchmark: no output means no figure
    window.show()
    app.exec()
    window.close()


if __name__ == "__main__":
    main(sys.argv[1])
