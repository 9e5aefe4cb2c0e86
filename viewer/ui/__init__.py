"""The Qt front end: it observes the domain and draws what the chart layer describes."""

from viewer.plot.qt_imports import cheap_feature_scan, defer_unused_widgets, lazy_qt_mirrors

cheap_feature_scan()  # before the window's modules and pyqtgraph are imported (viewer.plot.qt_imports)
lazy_qt_mirrors()  # likewise: pyqtgraph's copies of Qt's modules made lazy (viewer.plot.qt_imports)
defer_unused_widgets()  # likewise: pyqtgraph's widgets no chart uses run on first use (viewer.plot.qt_imports)
