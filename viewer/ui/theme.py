"""Light and dark: the window's palette, and the few colours the panes draw themselves, chosen from it.

The panes follow the application palette (the desktop's, or the one chosen in View > Theme). Where a
pane paints a colour of its own (the boxed warning's panel, the warning banner, muted notes in rich
text) it takes it from :func:`pane_colours`, which picks the light or the dark set from the palette it is
given, so no pane ever draws light text on a light panel. Every pair of text and background colours is
checked against the WCAG 2.x contrast ratio (at least 4.5:1 for normal text), see :func:`contrast_ratio`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleFactory, QStyleOption, QWidget

__all__ = [
    "PaneColours",
    "Theme",
    "apply_theme",
    "contrast_ratio",
    "dark_palette",
    "is_dark",
    "light_palette",
    "pane_colours",
    "relative_luminance",
]

WCAG_AA = 4.5  # minimum contrast ratio of normal text (WCAG 2.1, success criterion 1.4.3)


class Theme(StrEnum):
    """The window theme the user chose: the desktop's, or a fixed light or dark palette."""

    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"

    @property
    def label(self) -> str:
        return {"system": "Follow the desktop", "light": "Light", "dark": "Dark"}[self.value]


@dataclass(frozen=True, slots=True)
class PaneColours:
    """Colours a pane paints itself, as #RRGGBB: every text colour is readable on its background."""

    dark: bool
    text: str  # body text on the pane's base colour
    muted: str  # evidence flags, notes: quieter than text, still >= 4.5:1 on the base colour
    base: str  # the pane's background (the palette's Base)
    warning_fill: str  # the boxed warning's panel
    warning_border: str
    warning_heading: str  # "BOXED WARNING" on the panel
    warning_text: str  # the warning's items on the panel
    warning_muted: str  # evidence flags inside the panel
    banner_fill: str  # the chart pane's warning banner
    banner_text: str
    banner_border: str
    link: str


LIGHT_COLOURS = PaneColours(
    dark=False,
    text="#1F1F1F",
    muted="#555555",
    base="#FFFFFF",
    warning_fill="#FDECEA",
    warning_border="#B3261E",
    warning_heading="#8C1D18",
    warning_text="#1F1F1F",
    warning_muted="#5C4A48",
    banner_fill="#FFF4CE",
    banner_text="#3A2F00",
    banner_border="#D4A800",
    link="#0B57D0",
)
DARK_COLOURS = PaneColours(
    dark=True,
    text="#E8EAED",
    muted="#B4B4B4",
    base="#17181A",
    warning_fill="#3C1715",
    warning_border="#F2B8B5",
    warning_heading="#FFB4AB",
    warning_text="#F5EDEC",
    warning_muted="#D8C2BF",
    banner_fill="#3D3300",
    banner_text="#FFE69C",
    banner_border="#B08F00",
    link="#A8C7FA",
)


def relative_luminance(color: QColor) -> float:
    """WCAG 2.x relative luminance of an sRGB colour (0 black .. 1 white)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in (color.redF(), color.greenF(), color.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: QColor | str, background: QColor | str) -> float:
    """WCAG 2.x contrast ratio (L1 + 0.05) / (L2 + 0.05), from 1 (none) to 21 (black on white)."""
    a, b = relative_luminance(QColor(foreground)), relative_luminance(QColor(background))
    high, low = max(a, b), min(a, b)
    return (high + 0.05) / (low + 0.05)


def is_dark(palette: QPalette) -> bool:
    """Whether the palette is a dark one: its window text is lighter than its window."""
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return text.lightnessF() > window.lightnessF()


def pane_colours(palette: QPalette | None = None) -> PaneColours:
    """The colours a pane paints itself, for ``palette`` (default: the application's)."""
    if palette is None:
        palette = QGuiApplication.palette()
    chosen = DARK_COLOURS if is_dark(palette) else LIGHT_COLOURS
    base = palette.color(QPalette.ColorRole.Base).name()
    text = palette.color(QPalette.ColorRole.Text).name()
    muted = chosen.muted
    if contrast_ratio(muted, base) < WCAG_AA:  # an unusual desktop palette: fall back to the text colour
        muted = text
    return replace(chosen, text=text, base=base, muted=muted)


def _palette(colours: dict[QPalette.ColorRole, str], disabled_text: str) -> QPalette:
    palette = QPalette()
    for role, value in colours.items():
        palette.setColor(role, QColor(value))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled_text))
    return palette


def dark_palette() -> QPalette:
    """A dark palette for the Fusion style (text at least 4.5:1 on every background it is drawn on)."""
    role = QPalette.ColorRole
    return _palette(
        {
            role.Window: "#202124",
            role.WindowText: "#E8EAED",
            role.Base: "#17181A",
            role.AlternateBase: "#24262A",
            role.ToolTipBase: "#2D2F33",
            role.ToolTipText: "#E8EAED",
            role.PlaceholderText: "#9AA0A6",
            role.Text: "#E8EAED",
            role.Button: "#2D2F33",
            role.ButtonText: "#E8EAED",
            role.BrightText: "#FFB4AB",
            role.Light: "#3C4043",
            role.Midlight: "#34373B",
            role.Mid: "#27292D",
            role.Dark: "#111214",
            role.Shadow: "#000000",
            role.Highlight: "#8AB4F8",
            role.HighlightedText: "#101114",
            role.Link: "#A8C7FA",
            role.LinkVisited: "#D7AEFB",
        },
        "#80868B",
    )


def light_palette() -> QPalette:
    """A light palette for the Fusion style, matching the dark one role for role."""
    role = QPalette.ColorRole
    return _palette(
        {
            role.Window: "#F3F3F3",
            role.WindowText: "#1F1F1F",
            role.Base: "#FFFFFF",
            role.AlternateBase: "#F5F7FA",
            role.ToolTipBase: "#FFFFE1",
            role.ToolTipText: "#1F1F1F",
            role.PlaceholderText: "#6B6B6B",
            role.Text: "#1F1F1F",
            role.Button: "#F0F0F0",
            role.ButtonText: "#1F1F1F",
            role.BrightText: "#B3261E",
            role.Light: "#FFFFFF",
            role.Midlight: "#E3E3E3",
            role.Mid: "#C8C8C8",
            role.Dark: "#A0A0A0",
            role.Shadow: "#505050",
            role.Highlight: "#0B57D0",
            role.HighlightedText: "#FFFFFF",
            role.Link: "#0B57D0",
            role.LinkVisited: "#6A1B9A",
        },
        "#8A8A8A",
    )


class ReadableFusion(QProxyStyle):
    """Fusion, with check boxes whose empty box can be seen on a dark palette.

    Fusion outlines an unchecked box in the window colour darkened, which on a dark palette is black on
    near-black: the drug table's unticked rows showed no box at all. The box gets a border in the
    palette's placeholder-text colour (>= 4.5:1 on the base colour in both palettes here).
    """

    def __init__(self) -> None:
        super().__init__("Fusion")

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        boxes = (QStyle.PrimitiveElement.PE_IndicatorCheckBox, QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck)
        if element in boxes and is_dark(option.palette):
            painter.save()
            painter.setPen(QPen(option.palette.color(QPalette.ColorRole.PlaceholderText), 1.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(option.rect.adjusted(0, 0, -1, -1))
            painter.restore()


_STYLE: ReadableFusion | None = None  # the style in use, kept referenced from Python
_SYSTEM: tuple[str, QPalette] | None = None  # the desktop's style name and palette, kept at the first change


def apply_theme(app: QApplication, theme: Theme) -> None:
    """Set the application's palette: the desktop's own (SYSTEM), or Fusion with a light or dark palette.

    Fusion draws every control from the palette, so a chosen palette looks the same on every desktop;
    the desktop's style and palette are remembered at the first change, so SYSTEM restores them.
    """
    global _SYSTEM, _STYLE
    if _SYSTEM is None:
        _SYSTEM = (app.style().name(), app.palette())
    if theme is Theme.SYSTEM:
        style, palette = _SYSTEM
        app.setStyle(QStyleFactory.create(style) or style)
        app.setPalette(palette)
        return
    palette = dark_palette() if theme is Theme.DARK else light_palette()
    if _STYLE is not None and app.style() is _STYLE and app.palette() == palette:
        return  # already in force (the start-up applies the saved theme before the window exists)
    _STYLE = ReadableFusion()  # a new one each time: the application deletes the style it replaces
    app.setStyle(_STYLE)
    app.setPalette(palette)
