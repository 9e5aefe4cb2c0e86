"""Each per-trial Emax curve names its model and parameters (issue 16): the footnote's E0, Emax and ED50, put
into the model it names, give back the curve the chart draws (to the footnote's rounding), and the legend
names the curve it keys."""

from __future__ import annotations

import re

import pytest

from viewer.charts.build import build_chart
from viewer.charts.query import Query
from viewer.charts.spec import ChartKind
from viewer.domain.catalog import Catalog

NOTE = re.compile(
    r"^Emax fits: (?P<name>Emax fit · .+?): hyperbolic Emax, E0 \+ Emax·d/\(ED50 \+ d\), binomial-weighted least "
    r"squares, E0 (?P<e0>[\d.]+)%, Emax (?P<emax>-?[\d.]+) pp, ED50 (?P<ed50>[\d.e-]+) mg/day"
)


def test_the_footnote_parameters_give_back_the_drawn_curve(shipped_catalog: Catalog) -> None:
    spec = build_chart(ChartKind.DOSE_RESPONSE, shipped_catalog, Query(drugs=("upadacitinib",), emax=True))
    bands = {b.name.split(":")[0]: b for b in spec.all_bands()}
    notes = [m for f in spec.footnotes if (m := NOTE.match(f))]
    assert len(notes) == len(bands) >= 3  # every curve drawn is described
    legend = [e.label for p in (spec.panels or (spec,)) for e in p.legend]
    for m in notes:
        band = bands[m["name"]]
        e0, emax, ed50 = float(m["e0"]), float(m["emax"]), float(m["ed50"])
        for dose, drawn in zip(band.x[1:], band.y[1:], strict=True):
            assert drawn == pytest.approx(e0 + emax * dose / (ed50 + dose), abs=1.0)  # E0, Emax printed to 1 %
        assert any(label.startswith(m["name"]) for label in legend)
