"""Pieces of hand-made chart specs that the drawing and the export tests share."""

from __future__ import annotations

from viewer.charts.spec import Marker, Orientation, Point, Series, SeriesStyle

BLUE = "#0072B2"


def forest_rows(name: str, points: tuple[Point, ...], color: str = BLUE) -> Series:
    """A forest plot's rows: squares with horizontal intervals, one point per row ``y``."""
    return Series(
        name=name,
        color=color,
        symbol=Marker.SQUARE,
        style=SeriesStyle.SCATTER,
        orientation=Orientation.HORIZONTAL,
        points=points,
    )
