"""Within-trial comparisons computed in one vectorised pass agree with the scalar statistics."""

from __future__ import annotations

import pytest

from viewer.domain.catalog import Catalog
from viewer.domain.comparisons import compare, result_figures
from viewer.domain.measures import DiffCI, Effect, RateCI
from viewer.domain.stats import number_needed, odds_ratio, rate, risk_difference, risk_ratio


@pytest.mark.parametrize(
    ("diff", "rate_method"), [(DiffCI.NEWCOMBE, RateCI.WILSON), (DiffCI.WALD, RateCI.CLOPPER_PEARSON)]
)
def test_vectorised_comparisons_match_scalar_statistics(
    diff: DiffCI, rate_method: RateCI, shipped_catalog: Catalog
) -> None:
    catalog = shipped_catalog
    comparisons = compare(result_figures(catalog, catalog.results), diff_method=diff, rate_method=rate_method)
    checked = 0
    for c in comparisons:
        if c.rd is None:
            assert c.reason
            continue
        assert c.placebo is not None
        x1, n1, x2, n2 = c.treated.count, c.treated.n, c.placebo.count, c.placebo.n
        assert None not in (x1, n1, x2, n2)
        assert c.rd == risk_difference(x1, n1, x2, n2, diff)
        assert c.rr == risk_ratio(x1, n1, x2, n2)
        assert c.odds == odds_ratio(x1, n1, x2, n2)
        assert c.rate == rate(x1, n1, rate_method)
        assert c.nnt == number_needed(c.rd)
        assert c.rd.method is diff and c.rate is not None and c.rate.method is rate_method
        assert (c.effect(Effect.RD), c.effect(Effect.RR), c.effect(Effect.OR)) == (c.rd, c.rr, c.odds)
        checked += 1
    assert checked > 100
