"""The R reference values (tests/data/r_reference, written by tests/r/*.R) against our synthesis code.

Each ``compare_*`` function returns {quantity: largest absolute difference}, so the tests assert a
tolerance per method and ``python -m tests.synthesis.r_reference`` prints the differences for a report.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from viewer.domain.measures import Effect
from viewer.domain.synthesis.dose_response import DoseModel, DoseTrial, fit_dose_response
from viewer.domain.synthesis.effect_sizes import ArmCounts, two_by_two
from viewer.domain.synthesis.inconsistency import Split, design_by_treatment, node_splits
from viewer.domain.synthesis.network import NetworkResult, NetworkTrial, network_meta_analysis
from viewer.domain.synthesis.pairwise import PoolMethod, PoolModel, Tau2Method, pool

DATA = Path(__file__).resolve().parents[1] / "data" / "r_reference"
MEASURES = {"rr": Effect.RR, "or": Effect.OR, "rd": Effect.RD}


def load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _diff(ours: Iterable[float] | float, theirs: Iterable[float] | float) -> float:
    a = np.atleast_1d(np.asarray(ours, dtype=np.float64))
    b = np.atleast_1d(np.asarray(theirs, dtype=np.float64))
    assert a.shape == b.shape, (a.shape, b.shape)
    both_nan = np.isnan(a) & np.isnan(b)
    assert not np.any(np.isnan(a) ^ np.isnan(b)), (a, b)
    return float(np.max(np.abs(a - b)[~both_nan], initial=0.0))


def _note(out: dict[str, float], key: str, value: float) -> None:
    out[key] = max(out.get(key, 0.0), value)


def method_of(fit: dict[str, Any]) -> tuple[str, PoolMethod]:
    model = PoolModel.FIXED if fit["method"] == "FE" else PoolModel.RANDOM
    tau2 = Tau2Method.DL if fit["method"] == "DL" else Tau2Method.REML
    hksj = fit["test"] == "knha"
    name = "fixed" if model is PoolModel.FIXED else f"{fit['method'].lower()}{'+hksj' if hksj else ''}"
    return name, PoolMethod(model, tau2, hksj)


def compare_fits(yi: list[float], vi: list[float], fits: list[dict[str, Any]], out: dict[str, float]) -> None:
    for fit in fits:
        name, method = method_of(fit)
        r = pool(yi, vi, method)
        h = r.heterogeneity
        pairs = [(r.estimate, fit["estimate"]), (r.se, fit["se"]), (r.low, fit["ci_lb"]), (r.high, fit["ci_ub"]),
                 (r.p_value, fit["pval"]), (h.tau2, fit["tau2"]), (h.q, fit["QE"]), (h.q_p, fit["QEp"]),
                 (h.i2, fit["I2"]), (h.h2, fit["H2"])]  # fmt: skip
        if method.model is PoolModel.RANDOM:
            pairs += [(r.pi_low, fit["pi_lb"]), (r.pi_high, fit["pi_ub"]), (r.weights, fit["weights"])]
            pairs += [(h.tau2_low, fit["tau2_lb"]), (h.tau2_high, fit["tau2_ub"])]
            pairs += [(h.i2_low, fit["I2_lb"]), (h.i2_high, fit["I2_ub"])]
        for ours, theirs in pairs:
            _note(out, f"pairwise {name}", _diff(ours, theirs))


def compare_pairwise() -> dict[str, float]:
    out: dict[str, float] = {}
    for name, keys in (("pairwise_bcg.json", ("tpos", "n1", "cpos", "n2")),
                       ("pairwise_zero_cells.json", ("ai", "n1i", "ci", "n2i")),
                       ("pairwise_jak_baricitinib4.json", ("x1", "n1", "x2", "n2"))):  # fmt: skip
        ref = load(name)
        data = [ref["data"][k] for k in keys]
        for key, measure in MEASURES.items():
            yi, vi, _, usable = two_by_two(*data, measure)
            theirs = ref[key]
            _note(out, "effect sizes (escalc)", _diff(yi[usable], [v for v in theirs["yi"] if v is not None]))
            _note(out, "effect sizes (escalc)", _diff(vi[usable], [v for v in theirs["vi"] if v is not None]))
            compare_fits(list(yi[usable]), list(vi[usable]), theirs["fits"], out)
    normand = load("pairwise_normand1999.json")
    compare_fits(normand["yi"], normand["vi"], normand["fits"], out)
    return out


def arms_from(rows: Iterable[dict[str, Any]]) -> list[NetworkTrial]:
    by: dict[str, list[ArmCounts]] = defaultdict(list)
    for r in rows:
        by[str(r["study"])].append(ArmCounts(r["trt"], int(r["xi"]), int(r["ni"])))
    return [NetworkTrial(s, tuple(a)) for s, a in by.items()]


def jak_rows() -> list[dict[str, str]]:
    with (DATA / "jak_acr20_mtxir.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _compare_pairs(res: NetworkResult, pairs: list[dict[str, Any]], label: str, out: dict[str, float]) -> None:
    for pair in pairs:
        ours = res.pair(pair["first"], pair["second"])
        assert ours is not None
        _note(out, label, _diff([ours.estimate, ours.se, ours.low, ours.high],
                                [pair["estimate"], pair["se"], pair["ci_lb"], pair["ci_ub"]]))  # fmt: skip


RANDOM_METHODS = (("random", Tau2Method.REML, "REML"), ("random_dl", Tau2Method.DL, "DL"))


def compare_network_fit(trials: list[NetworkTrial], ref: dict[str, Any], measure: Effect,
                        out: dict[str, float]) -> None:  # fmt: skip
    fixed = network_meta_analysis(trials, measure, ref["reference"], PoolMethod(PoolModel.FIXED))
    assert list(fixed.treatments) == ref["treatments"]
    _note(out, "network fixed", _diff(fixed.basic, ref["fixed"]["coef"]))
    _note(out, "network fixed", _diff(fixed.cov, ref["fixed"]["vcov"]))
    _note(out, "network fixed", _diff(fixed.q, ref["fixed"]["QE"]))
    assert fixed.df == ref["fixed"]["QE_df"]
    _compare_pairs(fixed, ref["fixed"]["pairs"], "network fixed", out)
    for key, tau2_method, name in RANDOM_METHODS:
        theirs = ref[key]
        res = network_meta_analysis(trials, measure, ref["reference"], PoolMethod(PoolModel.RANDOM, tau2_method))
        label = f"network random {name}"
        _note(out, f"network tau² ({name})", _diff(res.tau2, theirs["tau2"]))
        _note(out, label, _diff(res.basic, theirs["coef"]))
        _note(out, label, _diff(res.cov, theirs["vcov"]))
        _compare_pairs(res, theirs["pairs"], label, out)
        hk = network_meta_analysis(trials, measure, ref["reference"], PoolMethod(PoolModel.RANDOM, tau2_method, True))
        assert hk.t_df == theirs["hksj"]["df"]
        _note(out, "network Hartung–Knapp", _diff(hk.cov, theirs["hksj"]["vcov"]))
        _compare_pairs(hk, theirs["hksj"]["pairs"], "network Hartung–Knapp", out)
        dbt = design_by_treatment(res)
        theirs_d = ref["design_by_treatment"] if tau2_method is Tau2Method.REML else ref["design_by_treatment"]["dl"]
        _note(out, "design-by-treatment tau²", _diff(dbt.tau2, theirs_d["tau2"]))
        _note(out, "design-by-treatment Q (random)", _diff(dbt.q_between_random, theirs_d["Q_between_random"]))
        if tau2_method is Tau2Method.REML:
            theirs_d = ref["design_by_treatment"]
            assert (dbt.df_within, dbt.df_between) == (theirs_d["df_within"], theirs_d["df_between"])
            _note(out, "design-by-treatment Q (fixed)",
                  _diff([dbt.q_within, dbt.q_between], [theirs_d["Q_within"], theirs_d["Q_between"]]))  # fmt: skip
    for key, method in (("reml", PoolMethod()), ("dl", PoolMethod(tau2=Tau2Method.DL)),
                        ("fixed", PoolMethod(PoolModel.FIXED))):  # fmt: skip
        res = network_meta_analysis(trials, measure, ref["reference"], method)
        compare_splits(node_splits(res), ref["splits"][key], out)


def compare_splits(ours: tuple[Split, ...], theirs: list[dict[str, Any]], out: dict[str, float]) -> None:
    mine = {(s.first, s.second): s for s in ours}
    assert set(mine) == {(s["first"], s["second"]) for s in theirs}
    for s in theirs:
        split = mine[(s["first"], s["second"])]
        _note(out, "node-split", _diff(
            [split.direct, split.direct_se, split.indirect, split.indirect_se, split.z, split.p_value, split.tau2],
            [s["direct"], s["direct_se"], s["indirect"], s["indirect_se"], s["z"], s["pval"], s["tau2"]]))  # fmt: skip


def compare_two_arm_network(ref: dict[str, Any], out: dict[str, float]) -> None:
    """Two-arm trials only: the network model against metafor's own rma() meta-regression (DL, REML, knha)."""
    trials = arms_from(ref["arms"])
    for fit in ref["fits"]:
        method = PoolMethod(PoolModel.RANDOM, Tau2Method(fit["method"].lower()), fit["test"] == "knha")
        res = network_meta_analysis(trials, Effect.OR, ref["treatments"][0], method)
        assert list(res.treatments) == ref["treatments"]
        label = "network vs rma() meta-regression"
        _note(out, label, _diff([res.tau2, *res.basic], [fit["tau2"], *fit["coef"]]))
        _note(out, label, _diff(res.cov, fit["vcov"]))


def compare_network() -> dict[str, float]:
    out: dict[str, float] = {}
    hb = load("network_hasselblad1998.json")
    trials = arms_from(hb["arms"])
    for key in ("or", "rd"):
        compare_network_fit(trials, hb[key], MEASURES[key], out)
    compare_two_arm_network(hb["two_arm_or"], out)
    jak = load("network_jak_acr20_mtxir.json")
    trials = arms_from(jak_rows())
    for key in ("or", "rd", "rr"):
        compare_network_fit(trials, jak[key], MEASURES[key], out)
    return out


def dose_trials(drug: str) -> list[DoseTrial]:
    rows = jak_rows()
    out = []
    for study in dict.fromkeys(r["study"] for r in rows):
        mine = [r for r in rows if r["study"] == study]
        placebo = [r for r in mine if r["drug"] == "placebo"]
        doses = [r for r in mine if r["drug"] == drug]
        if placebo and doses:
            p = placebo[0]
            arms = tuple((float(r["daily_mg"]), ArmCounts(r["trt"], int(r["xi"]), int(r["ni"]))) for r in doses)
            out.append(DoseTrial(study, ArmCounts("placebo", int(p["xi"]), int(p["ni"])), arms))
    return out


def compare_dose_response() -> dict[str, float]:
    out: dict[str, float] = {}
    models = {"emax": DoseModel.EMAX, "linear": DoseModel.LINEAR, "loglinear": DoseModel.LOG_LINEAR}
    for ref in load("dose_response_jak.json"):
        model = models[ref["model"]]
        measure = Effect.RD if ref["measure"] == "RD" else Effect.OR
        fit = fit_dose_response(dose_trials(ref["drug"]), measure, model)
        label = f"dose-response {ref['model']}"
        _note(out, label + " tau²", _diff(fit.tau2, ref["tau2"]))
        _note(out, label, _diff([p.value for p in fit.parameters], ref["coef"]))
        _note(out, label, _diff([p.se for p in fit.parameters], ref["se"]))
        _note(out, label, _diff(fit.effects, ref["effects"]))
        # with tau² fixed at R's estimate the fits must agree closely, whatever the tau² optimiser did
        fixed = fit_dose_response(dose_trials(ref["drug"]), measure, model, tau2=float(ref["tau2"]))
        _note(out, label + " at R's tau²", _diff([p.value for p in fixed.parameters], ref["coef"]))
        _note(out, label + " at R's tau²", _diff([p.se for p in fixed.parameters], ref["se"]))
    return out


if __name__ == "__main__":
    everything = {k: v for compare in (compare_pairwise, compare_network, compare_dose_response)
                  for k, v in compare().items()}  # fmt: skip
    for key, value in sorted(everything.items()):
        print(f"{key:45s} {value:.3g}")
    worst = max(everything, key=lambda k: everything[k])
    print(f"largest difference from R: {everything[worst]:.3g} ({worst})")
