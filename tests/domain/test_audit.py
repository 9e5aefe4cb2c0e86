"""The evidence audit: counts by level and source kind, unplaced arms and weak figures, on real files."""

from __future__ import annotations

from pathlib import Path

from tests.domain.minidata import FILES, replace_line, write_dataset
from viewer.domain.audit import LEVEL_ORDER, FigureKind, Tally, audit_catalog, format_audit
from viewer.domain.catalog import Catalog
from viewer.domain.model import EvidenceLevel, Origin
from viewer.domain.readers.dataset import load_dataset

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "jak-ra"


def _catalog(root: Path, overrides: dict[str, str] | None = None) -> Catalog:
    return Catalog.from_datasets([load_dataset(write_dataset(root, overrides))])


def test_counts_by_level_and_kind(tmp_path: Path) -> None:
    sources = FILES["sources.csv"] + "S2,Forum summary,summary,,,,,,\nS3,Recalled,recalled,,,,,,\n"
    results = replace_line("results.csv", 3, "t1,t1-10,ACR20,week 12,,55,,S2,secondary,")
    results["results.csv"] += "t1,t1-20,ACR50,week 12,40,,,S3,unverified,\n"
    catalog = _catalog(tmp_path, {"sources.csv": sources, **results})
    audit = audit_catalog(catalog)
    tally = audit.tally()
    assert tally.total == 6  # 4 results + 2 adverse events
    assert dict(tally.by_level) == {EvidenceLevel.VERIFIED: 4, EvidenceLevel.SECONDARY: 1, EvidenceLevel.UNVERIFIED: 1}
    assert dict(tally.by_kind) == {"article": 4, "summary": 1, "recalled": 1}
    assert tally.on_primary == 4
    assert [f.label for f in audit.on_recalled()] == ["TEST-1 20 mg QD: ACR50 at week 12"]
    assert [f.label for f in audit.on_secondary()] == ["TEST-1 10 mg QD: ACR20 at week 12"]
    assert len(audit.of_drug("testinib")) == 6  # placebo figures belong to the trial's drug
    assert audit.tally(FigureKind.ARM_SIZE).total == 3
    assert audit.tally(FigureKind.MONOGRAPH).total == 2


def test_unplaced_arms_say_why(tmp_path: Path) -> None:
    arms = replace_line("arms.csv", 3, "t1-10,t1,drug,testinib,10 mg,10,mg,,,,S1,verified,")
    audit = audit_catalog(_catalog(tmp_path, arms))
    assert [(u.arm_id, u.reason) for u in audit.unplaced] == [
        (
            "t1-10",
            "no daily dose (no dosing frequency given): left off the dose axis; "
            "no n: its percentages have no count, interval or comparison",
        )
    ]


def test_a_recalled_n_weakens_a_primary_figure(tmp_path: Path) -> None:
    sources = FILES["sources.csv"] + "S3,Recalled,recalled,,,,,,\n"
    arms = replace_line("arms.csv", 3, "t1-10,t1,drug,testinib,10 mg QD,10,mg,QD,10,100,S3,unverified,")
    audit = audit_catalog(_catalog(tmp_path, {"sources.csv": sources, **arms}))
    assert [f.label for f in audit.weakened()] == [
        "TEST-1 10 mg QD: ACR20 at week 12", "TEST-1 10 mg QD: headache (week 12)",
    ]  # fmt: skip
    text = format_audit(audit, _catalog(tmp_path, {"sources.csv": sources, **arms}), "mini")
    assert "Figures read in a primary source but weakened by their arm's n (2)" in text


def _levels(tally: Tally) -> str:
    return "/".join(str(tally.count(level)) for level in LEVEL_ORDER)


def test_shipped_catalog_counts() -> None:
    """Every count data/README.md states for the shipped catalog: the audit's after-counts and the catalog's
    size, read from the loaded catalog (so a row added without updating the README fails here)."""
    catalog = Catalog.from_datasets([load_dataset(SHIPPED, origin=Origin.CURATED)])
    audit = audit_catalog(catalog)
    data = audit.tally()
    levels = {level: data.count(level) for level in EvidenceLevel}
    readme = " ".join((SHIPPED.parent / "README.md").read_text(encoding="utf-8").split())
    safety = audit.tally(FigureKind.SAFETY_RATE)
    expected = [
        f"{data.total} figures: {levels[EvidenceLevel.VERIFIED]} verified, "
        f"{levels[EvidenceLevel.SECONDARY]} secondary, "
        f"{levels[EvidenceLevel.UNVERIFIED]} unverified; {data.on_primary} read in a primary source. "
        f"{len(audit.unplaced)} arms the charts cannot place. "
        f"Arm sizes {_levels(audit.tally(FigureKind.ARM_SIZE))} (verified/secondary/unverified), "
        f"trial design facts {_levels(audit.tally(FigureKind.DESIGN))}, "
        f"monograph statements {_levels(audit.tally(FigureKind.MONOGRAPH))}. "
        f"Of the figures, {safety.total} are safety rates and hazard ratios ({_levels(safety)}).",
        f"{len(catalog.drugs)} drug monographs, {len(catalog.trials)} trials, {len(catalog.arms)} arms, "
        f"{len(catalog.results)} results, {len(catalog.adverse_events)} adverse-event rows, "
        f"{len(catalog.safety_rates)} safety rates, {len(catalog.hazard_ratios)} hazard ratios, "
        f"{len(catalog.sources)} sources",
    ]
    for line in expected:
        assert line in readme, line
    assert all(f.on_primary for f in audit.data_figures if f.level is EvidenceLevel.VERIFIED)
    assert not [u for u in audit.unplaced if "frequency not stated" in u.reason]  # audit 2.3 fixed
