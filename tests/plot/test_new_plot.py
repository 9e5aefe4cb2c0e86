"""A chart's PlotItem is made static: no menu and no mouse, and no menu is built only to be thrown away."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from viewer.plot.plots import new_plot

view_box_module = importlib.import_module("pyqtgraph.graphicsItems.ViewBox.ViewBox")  # the module, not the class


def test_a_new_plot_builds_no_context_menu(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[object] = []
    menu_class = view_box_module.ViewBoxMenu

    def counting(view: object) -> object:
        built.append(view)
        return menu_class(view)

    monkeypatch.setattr(view_box_module, "ViewBoxMenu", counting)
    plot = new_plot()
    assert built == []  # pyqtgraph's PlotItem() builds the view box's menu, which setMenuEnabled(False) drops
    assert plot.vb.menu is None and not plot.menuEnabled() and not plot.vb.menuEnabled()
    assert plot.vb.state["mouseEnabled"] == [False, False]
