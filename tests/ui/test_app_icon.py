"""The application's icon is the window's and the About box's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from viewer.paths import ICON_SIZES
from viewer.ui.icon import about_pixmap, app_icon
from viewer.ui.main_window import MainWindow


def test_icon_has_every_shipped_size(qtbot: Any) -> None:
    sizes = {(s.width(), s.height()) for s in app_icon().availableSizes()}
    assert sizes == {(n, n) for n in ICON_SIZES}


def test_window_and_about_box_show_the_app_icon(
    make_main_window: Callable[..., MainWindow], message_boxes: list[dict[str, Any]]
) -> None:
    window = make_main_window()
    assert window.windowIcon().cacheKey() != 0
    assert {(s.width(), s.height()) for s in window.windowIcon().availableSizes()} == {(n, n) for n in ICON_SIZES}
    window.about_action.trigger()
    (about,) = message_boxes
    assert about["title"] == "About drug-viewer"
    assert about["pixmap"].toImage() == about_pixmap().toImage()
    assert not about_pixmap().isNull()
