"""Every real registry record keeps under 19.5 KB once read (issue 17's target: 20 KB, with a margin).

Measured as ``make bench`` measures it (``bench/core_measure.registry_memory``: tracemalloc, a warm read first),
in a fresh interpreter: after other tests, re's cache is full and every pattern the reader compiles replaces
one (kilobytes that are not the study's). NCT02552212 kept 22.3 KB before its kept-out titles, adverse-event
terms and sponsor analyses' printed parts were held deflated (``sequences.Deflated``), NCT01207388 19.6 KB.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from viewer.domain.readers import load_path
from viewer.domain.readers.ctgov.cited import AnalysisCited
from viewer.domain.sequences import Deflated

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "ctgov"
CZP = DATA / "NCT02552212_ctgov_v2.json"


def test_every_real_record_keeps_under_19_5_kb() -> None:
    measure = "from bench.core_measure import registry_memory; print(registry_memory())"
    found = subprocess.run([sys.executable, "-c", measure], capture_output=True, text=True, check=True, cwd=ROOT)
    kept = {r["record"]: r["kept_kb"] for r in ast.literal_eval(found.stdout)}
    assert len(kept) == 10
    assert max(kept.values()) < 19.5, kept


def test_a_studys_analyses_hold_their_printed_parts_together_and_read_as_before() -> None:
    ds = load_path(CZP, None)
    cited = [a.cited for a in ds.sponsor_analyses]
    assert len(cited) == 5 and all(isinstance(c, AnalysisCited) for c in cited)
    owns = {id(c.own) for c in cited if isinstance(c, AnalysisCited)}
    assert len(owns) == 1 and isinstance(cited[0].own, Deflated)  # type: ignore[union-attr]
    first = cited[0]
    assert isinstance(first, AnalysisCited)
    alone = AnalysisCited(first.record, first.title, first.group_ids, first.own_text)  # as one analysis holds it
    assert (
        alone == first
        and hash(alone) == hash(first)
        and alone.line(ds.sponsor_analyses[0]) == first.line(ds.sponsor_analyses[0])
    )
    assert first.own_text == (
        "raw value '15.231' (95% CI 7.336 to 31.623, TWO_SIDED); non-inferiority type 'OTHER'; description "
        "'Odds ratio: CZP/Placebo and p-value were calculated using logistic regression with factors for "
        "treatment, region and Magnetic Resonance Imaging/C- Reactive Protein (MRI/CRP) classification.'"
    )
    assert AnalysisCited(first.record, first.title, first.group_ids, "other") != first


def test_kept_out_titles_and_event_terms_read_as_the_record_prints_them() -> None:
    ds = load_path(CZP, None)
    titles = [x.title for x in ds.excluded_outcomes]
    assert titles[:2] == [
        "Certolizumab Pegol Plasma Concentration at Baseline",
        "Certolizumab Pegol Plasma Concentration at Week 1",
    ]
    assert [ds.excluded_outcomes[i].title for i in range(len(titles))] == titles  # a row at a time, too
    terms = {e.term for e in ds.adverse_events}
    assert "Glaucoma (serious)" in terms and len(terms) == 47
