"""A registry study keeps its provenance as shared parts and writes each line, unchanged, when it is shown.

Issue 17: the provenance lines of a study's figures were most of what it kept (196 KB for NCT02552212's
5 arms, 25 results and 235 adverse-event rows). The lines below are the builder's text before the change,
copied from its output, so a part left out or written differently fails here.
"""

from __future__ import annotations

import copy
import gc
import json
import tracemalloc
from pathlib import Path
from typing import Any

from viewer.domain.model import AdverseEvent, Dataset
from viewer.domain.readers import load_path
from viewer.domain.readers.ctgov import read_ctgov_json

DATA = Path(__file__).resolve().parent.parent / "data" / "ctgov"
CZP = DATA / "NCT02552212_ctgov_v2.json"
FRAME = "From Baseline up to the End of Safety Follow-up Extension Period (up to Week 156)"


def _event(ds: Dataset, term: str, group: str) -> AdverseEvent:
    (found,) = [e for e in ds.adverse_events if e.term == term and f"; group {group};" in e.provenance]
    return found


def test_adverse_event_and_analysis_lines_are_the_builders_text() -> None:
    ds = read_ctgov_json(CZP, None)
    glaucoma = _event(ds, "Glaucoma (serious)", "EG001")
    assert glaucoma.provenance == (
        f"NCT02552212; serious adverse event 'Glaucoma'; group EG001; affected '1' of at risk '159'; "
        f"time frame '{FRAME}'; record 2022-08-18"
    )
    analysis = ds.sponsor_analyses[0]
    assert analysis.provenance == (
        "NCT02552212; outcome 'Percentage of Subjects With Ankylosing Spondylitis Disease Activity Score Major "
        "Improvement (ASDAS-MI) Response Criteria Response at Week 52'; time frame 'Week 52'; groups OG000, "
        "OG001; raw value '15.231' (95% CI 7.336 to 31.623, TWO_SIDED); non-inferiority type 'OTHER'; "
        "description 'Odds ratio: CZP/Placebo and p-value were calculated using logistic regression with "
        "factors for treatment, region and Magnetic Resonance Imaging/C- Reactive Protein (MRI/CRP) "
        "classification.'; record 2022-08-18"
    )


def test_rows_of_one_group_share_their_parts_and_strings() -> None:
    ds = read_ctgov_json(CZP, None)
    rows = [e for e in ds.adverse_events if "; group EG001;" in e.provenance]
    assert len(rows) > 40
    assert len({id(e.cited) for e in rows}) == 1
    assert len({id(e.trial_id) for e in ds.adverse_events}) == 1
    assert len({id(e.timepoint) for e in ds.adverse_events}) == 1


def test_a_count_printed_otherwise_is_kept_as_printed(tmp_path: Path) -> None:
    study: dict[str, Any] = copy.deepcopy(json.loads(CZP.read_text(encoding="utf-8")))
    events = study["resultsSection"]["adverseEventsModule"]["seriousEvents"]
    events[0]["stats"][0].update(numAffected="NA", numAtRisk="1,158")
    events[0]["stats"][1].update(numAffected="2.0")
    path = tmp_path / "printed.json"
    path.write_text(json.dumps(study), encoding="utf-8")
    ds = read_ctgov_json(path, None)
    term = events[0]["term"]
    first = _event(ds, f"{term} (serious)", events[0]["stats"][0]["groupId"])
    second = _event(ds, f"{term} (serious)", events[0]["stats"][1]["groupId"])
    assert (first.affected, first.at_risk) == (None, 1158)
    assert "; affected 'NA' of at risk '1,158';" in first.provenance
    assert second.affected == 2
    assert f"; affected '2.0' of at risk '{events[0]['stats'][1]['numAtRisk']}';" in second.provenance


def test_the_largest_real_record_keeps_well_under_half_its_old_size() -> None:
    """The heap a study keeps, measured as the benchmark does (bench/core_measure.registry_memory)."""
    load_path(CZP, None)  # imports and caches are not the study's
    gc.collect()
    tracemalloc.start()
    try:
        ds = load_path(CZP, None)
        gc.collect()
        kept, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(ds.adverse_events) == 235
    assert kept < 100_000  # 196 KB with a provenance line per figure; 75 KB with shared parts


def test_a_result_value_printed_otherwise_is_kept_as_printed(tmp_path: Path) -> None:
    """A result's provenance holds its printed value only when the figure's own number prints otherwise."""
    study: dict[str, Any] = copy.deepcopy(json.loads(CZP.read_text(encoding="utf-8")))
    measurements = study["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"][0]["classes"][0]
    measurements = measurements["categories"][0]["measurements"]
    measurements[0]["value"] = "7"  # a percentage: read as 7.0, printed '7'
    measurements[1]["value"] = "47.20"
    path = tmp_path / "printed.json"
    path.write_text(json.dumps(study), encoding="utf-8")
    ds = read_ctgov_json(path, None)
    placebo, active, other = list(ds.results)[:3]
    assert (placebo.percent, active.percent) == (7.0, 47.2)
    assert "; raw value '7' percentage of subjects;" in placebo.provenance
    assert "; raw value '47.20' percentage of subjects;" in active.provenance
    assert "; raw value '11.4' percentage of subjects;" in other.provenance  # printed as the figure's number
