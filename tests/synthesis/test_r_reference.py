"""Our synthesis statistics agree with R metafor 3.8 and DoseFinding 1.0 (values in tests/data/r_reference).

Tolerances are set by the reference, not by us: metafor's REML and Q-profile are iterated to 1e-12-1e-13
in tests/r/reference.R, rma.mv's optimiser (BFGS on log tau²) stops near 1e-8, and DoseFinding locates
ED50 to about 1e-6, which moves the Emax likelihood that tau² is read from. The network's moment (DL)
estimator is closed-form, so it is held to 1e-10, against a formula in R and against metafor's own
``rma(..., method = "DL", test = "knha")`` on a star of two-arm trials.
"""

from __future__ import annotations

import pytest

from tests.synthesis.r_reference import compare_dose_response, compare_network, compare_pairwise

PAIRWISE_TOL = {
    "effect sizes (escalc)": 1e-12,
    "pairwise fixed": 1e-10,
    "pairwise dl": 1e-10,
    "pairwise dl+hksj": 1e-10,
    "pairwise reml": 1e-7,
    "pairwise reml+hksj": 1e-7,
}
NETWORK_TOL = {
    "network fixed": 1e-10,
    "network random REML": 1e-6,
    "network tau² (REML)": 1e-6,
    "network random DL": 1e-10,
    "network tau² (DL)": 1e-10,
    "network Hartung–Knapp": 1e-6,
    "network vs rma() meta-regression": 1e-10,
    "design-by-treatment Q (fixed)": 1e-9,
    "design-by-treatment tau²": 1e-6,
    "design-by-treatment Q (random)": 1e-5,
    "node-split": 1e-6,
}
DOSE_TOL = {
    "dose-response emax": 1e-3,
    "dose-response emax tau²": 1e-4,
    "dose-response emax at R's tau²": 1e-5,
    "dose-response linear": 1e-7,
    "dose-response linear tau²": 1e-6,
    "dose-response linear at R's tau²": 1e-12,
    "dose-response loglinear": 1e-7,
    "dose-response loglinear tau²": 1e-6,
    "dose-response loglinear at R's tau²": 1e-12,
}


@pytest.mark.parametrize(
    ("compare", "tolerances"),
    [(compare_pairwise, PAIRWISE_TOL), (compare_network, NETWORK_TOL), (compare_dose_response, DOSE_TOL)],
    ids=["pairwise", "network", "dose-response"],
)
def test_agrees_with_r(compare, tolerances) -> None:  # type: ignore[no-untyped-def]
    differences = compare()
    assert set(differences) == set(tolerances)
    too_far = {k: v for k, v in differences.items() if not v <= tolerances[k]}
    assert not too_far, too_far
