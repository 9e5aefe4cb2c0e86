"""Light and dark: every pane readable, the boxed warning's text at WCAG AA contrast on its panel in both.

The contrast is measured on the colours the document actually uses: the boxed warning's table cell
background and the foreground of every character inside it, the palette's text colour standing in for a
character that sets none (which is how light-on-pink happened in a dark theme).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtGui import QColor, QPalette, QTextDocument, QTextTable
from PySide6.QtWidgets import QApplication

from viewer.ui.details_pane import DetailsPane
from viewer.ui.state import AppState
from viewer.ui.theme import (
    WCAG_AA,
    Theme,
    apply_theme,
    contrast_ratio,
    dark_palette,
    is_dark,
    light_palette,
    pane_colours,
)

PALETTES = {"light": light_palette, "dark": dark_palette}


@pytest.fixture(params=sorted(PALETTES))
def themed(request: pytest.FixtureRequest, qtbot: Any) -> Iterator[QPalette]:
    """The application in the light or the dark palette; the previous palette and style come back after."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before_palette, before_style = app.palette(), app.style().name()
    apply_theme(app, Theme(request.param))
    yield app.palette()
    app.setStyle(before_style)
    app.setPalette(before_palette)


def test_contrast_ratio_matches_the_wcag_definition() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    # WebAIM's checker: #777777 on white is 4.48:1, just below AA; #767676 is 4.54:1, just above.
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)


def test_the_palettes_are_what_they_say() -> None:
    assert is_dark(dark_palette()) and not is_dark(light_palette())


@pytest.mark.parametrize("make", PALETTES.values(), ids=list(PALETTES))
def test_every_text_colour_a_pane_paints_is_readable_on_its_background(make: Any) -> None:
    palette = make()
    c = pane_colours(palette)
    pairs = {
        "warning text": (c.warning_text, c.warning_fill),
        "warning heading": (c.warning_heading, c.warning_fill),
        "warning flags": (c.warning_muted, c.warning_fill),
        "muted notes": (c.muted, c.base),
        "body text": (c.text, c.base),
        "banner": (c.banner_text, c.banner_fill),
        "links": (c.link, c.base),
    }
    role = QPalette.ColorRole
    for fg, bg in ((role.Text, role.Base), (role.WindowText, role.Window), (role.ButtonText, role.Button)):
        pairs[f"{fg.name} on {bg.name}"] = (palette.color(fg).name(), palette.color(bg).name())
    pairs["highlighted text"] = (palette.color(role.HighlightedText).name(), palette.color(role.Highlight).name())
    pairs["placeholder"] = (palette.color(role.PlaceholderText).name(), palette.color(role.Base).name())
    low = {name: round(contrast_ratio(*pair), 2) for name, pair in pairs.items() if contrast_ratio(*pair) < WCAG_AA}
    assert not low, low


def _warning_cell_colours(doc: QTextDocument, text_colour: QColor) -> tuple[QColor, list[tuple[str, QColor]]]:
    """The boxed warning's cell background and every text fragment in it with the colour it is drawn in."""
    frames = [doc.rootFrame()]
    while frames:
        frame = frames.pop()
        frames.extend(frame.childFrames())
        if not isinstance(frame, QTextTable):
            continue
        cell = frame.cellAt(0, 0)
        text = doc.toPlainText()[cell.firstPosition() : cell.lastPosition()]
        if "BOXED WARNING" not in text:
            continue
        background = cell.format().background()
        fill = background.color() if background.style().value else frame.format().background().color()
        fragments: list[tuple[str, QColor]] = []
        block = cell.begin()
        while not block.atEnd():
            it = block.currentBlock().begin()
            while not it.atEnd():
                fragment = it.fragment()
                brush = fragment.charFormat().foreground()
                colour = brush.color() if brush.style().value else text_colour
                if fragment.text().strip():
                    fragments.append((fragment.text(), colour))
                it += 1
            block += 1
        return fill, fragments
    raise AssertionError("no boxed warning table in the document")


def test_boxed_warning_text_has_aa_contrast_on_its_panel(themed: QPalette, state: AppState, qtbot: Any) -> None:
    pane = DetailsPane(state)
    qtbot.addWidget(pane)
    state.set_focused_drug("baricitinib")
    fill, fragments = _warning_cell_colours(pane.document(), pane.palette().color(QPalette.ColorRole.Text))
    assert fragments and any("BOXED WARNING" in t for t, _c in fragments)
    assert fill.name().lower() == pane_colours(themed).warning_fill.lower()
    ratios = {text[:30]: round(contrast_ratio(colour, fill), 2) for text, colour in fragments}
    assert min(ratios.values()) >= WCAG_AA, ratios


def test_the_pane_follows_a_palette_switched_while_it_is_open(qtbot: Any, state: AppState) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before_palette, before_style = app.palette(), app.style().name()
    pane = DetailsPane(state)
    qtbot.addWidget(pane)
    state.set_focused_drug("upadacitinib")
    try:
        for theme, palette in ((Theme.DARK, dark_palette()), (Theme.LIGHT, light_palette())):
            apply_theme(app, theme)
            QApplication.processEvents()
            fill, fragments = _warning_cell_colours(pane.document(), palette.color(QPalette.ColorRole.Text))
            assert fill.name().lower() == pane_colours(palette).warning_fill.lower(), theme
            assert min(contrast_ratio(c, fill) for _t, c in fragments) >= WCAG_AA, theme
    finally:
        app.setStyle(before_style)
        app.setPalette(before_palette)
