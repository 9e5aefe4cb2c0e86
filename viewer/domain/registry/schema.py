"""The part of AACT's ``ctgov`` schema drug-viewer reads, with the column types of AACT's DDL.

One list serves three jobs: the schema check on connecting (a server whose tables lack one of these
columns is older or newer than this reader and is refused with the table and column named), the columns
the local copy keeps from the flat files (and their types), and the benchmark's generator.
Source: ``db/ctgov_v2.sql`` of github.com/ctti-clinicaltrials/aact; ``result_groups.outcome_id`` as the
current mapping writes it (``app/models/outcome.rb``, ``app/models/result_group.rb``).
"""

from __future__ import annotations

from enum import StrEnum

SCHEMA = "ctgov"


class ColumnType(StrEnum):
    """The SQL types used, spelled so that PostgreSQL and DuckDB both accept them."""

    TEXT = "VARCHAR"
    INTEGER = "INTEGER"
    NUMERIC = "DOUBLE"
    DATE = "DATE"
    TIMESTAMP = "TIMESTAMP"


T, INT, N, D = ColumnType.TEXT, ColumnType.INTEGER, ColumnType.NUMERIC, ColumnType.DATE

# table -> (column, type) in the order of AACT's DDL; only what the reader and the search use
TABLES: dict[str, tuple[tuple[str, ColumnType], ...]] = {
    "studies": (
        ("nct_id", T),
        ("last_update_submitted_date", D),
        ("results_first_posted_date", D),
        ("last_update_posted_date", D),
        ("acronym", T),
        ("brief_title", T),
        ("overall_status", T),
        ("phase", T),
        ("enrollment", INT),
        ("updated_at", ColumnType.TIMESTAMP),
    ),
    "conditions": (("id", INT), ("nct_id", T), ("name", T), ("downcase_name", T)),
    "browse_conditions": (("id", INT), ("nct_id", T), ("mesh_term", T), ("downcase_mesh_term", T), ("mesh_type", T)),
    "browse_interventions": (("id", INT), ("nct_id", T), ("mesh_term", T), ("downcase_mesh_term", T), ("mesh_type", T)),
    "design_groups": (("id", INT), ("nct_id", T), ("group_type", T), ("title", T), ("description", T)),
    "interventions": (("id", INT), ("nct_id", T), ("intervention_type", T), ("name", T), ("description", T)),
    "intervention_other_names": (("id", INT), ("nct_id", T), ("intervention_id", INT), ("name", T)),
    "design_group_interventions": (("id", INT), ("nct_id", T), ("design_group_id", INT), ("intervention_id", INT)),
    "result_groups": (
        ("id", INT),
        ("nct_id", T),
        ("ctgov_group_code", T),
        ("result_type", T),
        ("title", T),
        ("description", T),
        ("outcome_id", INT),
    ),
    "outcomes": (
        ("id", INT),
        ("nct_id", T),
        ("outcome_type", T),
        ("title", T),
        ("description", T),
        ("time_frame", T),
        ("population", T),
        ("units", T),
        ("dispersion_type", T),
        ("param_type", T),
    ),
    "outcome_counts": (
        ("id", INT),
        ("nct_id", T),
        ("outcome_id", INT),
        ("ctgov_group_code", T),
        ("scope", T),
        ("units", T),
        ("count", INT),
    ),
    "outcome_measurements": (
        ("id", INT),
        ("nct_id", T),
        ("outcome_id", INT),
        ("result_group_id", INT),
        ("ctgov_group_code", T),
        ("classification", T),
        ("category", T),
        ("param_value", T),
        ("dispersion_value", T),
        ("explanation_of_na", T),
        ("dispersion_upper_limit_raw", T),
        ("dispersion_lower_limit_raw", T),
    ),
    "outcome_analyses": (
        ("id", INT),
        ("nct_id", T),
        ("outcome_id", INT),
        ("non_inferiority_type", T),
        ("param_type", T),
        ("param_value", N),
        ("ci_n_sides", T),
        ("ci_percent", N),
        ("ci_lower_limit", N),
        ("ci_upper_limit", N),
        ("method", T),
        ("estimate_description", T),
        ("groups_description", T),
        ("ci_upper_limit_raw", T),
        ("ci_lower_limit_raw", T),
        ("p_value_raw", T),
    ),
    "outcome_analysis_groups": (
        ("id", INT),
        ("nct_id", T),
        ("outcome_analysis_id", INT),
        ("ctgov_group_code", T),
    ),
    "reported_events": (
        ("id", INT),
        ("nct_id", T),
        ("ctgov_group_code", T),
        ("time_frame", T),
        ("event_type", T),
        ("subjects_affected", INT),
        ("subjects_at_risk", INT),
        ("organ_system", T),
        ("adverse_event_term", T),
        ("vocab", T),
        ("assessment", T),
    ),
    "reported_event_totals": (
        ("id", INT),
        ("nct_id", T),
        ("ctgov_group_code", T),
        ("event_type", T),
        ("classification", T),
        ("subjects_affected", INT),
        ("subjects_at_risk", INT),
    ),
}


# Our own tables beside AACT's, in one schema: the import's state and info (snapshot, source) and the search
# tables, which the local copy builds at import and a PostgreSQL restore by `registry prepare`
# (viewer.domain.registry.prepared, viewer.domain.registry.pgprepare)
META_SCHEMA = "drug_viewer"
SEARCH_TERMS = f"{META_SCHEMA}.search_terms"  # (nct_id, drug, term, results): one row per study, drug and term
DRUG_TERMS = f"{META_SCHEMA}.drug_terms"  # (drug, term, studies, with_results): studies per drug and term
DRUG_TOTALS = f"{META_SCHEMA}.drug_totals"  # (drug, terms, studies, with_results): per drug, all its terms


def columns(table: str) -> tuple[str, ...]:
    return tuple(name for name, _ in TABLES[table])


def missing_columns(present: dict[str, set[str]]) -> list[str]:
    """'table' or 'table.column' for every part of TABLES absent from ``present`` (table -> columns)."""
    out: list[str] = []
    for table, cols in TABLES.items():
        have = present.get(table)
        if have is None:
            out.append(f"{SCHEMA}.{table}")
            continue
        out.extend(f"{SCHEMA}.{table}.{name}" for name, _ in cols if name not in have)
    return out
