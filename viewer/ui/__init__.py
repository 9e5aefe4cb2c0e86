"""The Qt front end: it observes the domain and draws what the chart layer describes."""

import viewer.plot  # noqa: F401  (its import installs viewer.plot.qt_imports' hooks before the window's modules)
