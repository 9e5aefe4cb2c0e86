"""Drawing a :class:`~viewer.charts.spec.ChartSpec` with Qt and pyqtgraph: the one renderer for screen and files.

No window lives here: :mod:`viewer.ui` shows a :class:`~viewer.plot.canvas.ChartWidget` in its tabs and
:mod:`viewer.export` lays one out offscreen and paints it into a PNG, SVG or PDF. The modules, by job:

* :mod:`~viewer.plot.style`: the theme (neutral colours, fonts, line weights) and the shared pens and brushes;
* :mod:`~viewer.plot.text`: plain-text blocks (title, notes), the legend, and the tooltip escaper;
* :mod:`~viewer.plot.axes`: the four axes set as a difference from the last drawing, grid, text columns;
* :mod:`~viewer.plot.batching`: markers, caps and arrows as shared scatter items; lines and whiskers in runs;
* :mod:`~viewer.plot.hover`: the markers' tooltips;
* :mod:`~viewer.plot.draw`: the data of a spec (series, intervals, bands, reference lines) as items;
* :mod:`~viewer.plot.panels`: a chart split into one panel per drug, as a grid of aligned plots;
* :mod:`~viewer.plot.render`: :func:`~viewer.plot.render.render`, a spec into a layout (rows, re-use);
* :mod:`~viewer.plot.result`: :class:`~viewer.plot.result.RenderedChart`, handles on what was drawn;
* :mod:`~viewer.plot.fit`: the one rule that fits a chart to its pane and an export to its canvas;
* :mod:`~viewer.plot.canvas`: :class:`~viewer.plot.canvas.ChartWidget`, the static chart view;
* :mod:`~viewer.plot.workarounds`: every pyqtgraph or Qt behaviour this package works around, named once;
* :mod:`~viewer.plot.qt_imports`: PySide6's per-import source scan made cheap, before anything else is imported.
"""

from viewer.plot.qt_imports import cheap_feature_scan, defer_unused_widgets, lazy_qt_mirrors

cheap_feature_scan()  # before pyqtgraph and our drawing modules are imported (viewer.plot.qt_imports)
lazy_qt_mirrors()  # likewise: pyqtgraph's copies of Qt's modules made lazy (viewer.plot.qt_imports)
defer_unused_widgets()  # likewise: pyqtgraph's widgets no chart uses run on first use (viewer.plot.qt_imports)
