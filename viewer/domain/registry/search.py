"""Registry search: one SQL text for PostgreSQL and DuckDB, built from what the user asked.

Placeholders are written ``%s`` (psycopg's style); the DuckDB engine turns them into ``?``. No literal
percent sign appears in the SQL itself, so the two spellings never disagree. User text only ever travels
as a parameter, with LIKE's wildcards escaped, so a search for "50%" or "a_b" means what it says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from viewer.domain.registry.schema import SCHEMA, SEARCH_TERMS

MAX_LIMIT = 500
MAX_STUDIES = 200  # one comparison; --drug with more matching studies takes the newest and says so


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """What the user typed and ticked. Empty fields do not filter."""

    text: str = ""  # drug: intervention name, other name (brand, code) or MeSH intervention term
    condition: str = ""  # condition name or MeSH condition term
    phase: str = ""  # "3", "phase 2", "PHASE2/PHASE3", "early 1"
    status: str = ""  # "completed", "RECRUITING" ...
    has_results: bool | None = None
    placebo_controlled: bool = False
    limit: int = 50


@dataclass(frozen=True, slots=True)
class DrugHit:
    """A drug name as the registry writes it, with the number of matching studies."""

    name: str
    studies: int


@dataclass(frozen=True, slots=True)
class StudyHit:
    nct: str
    title: str
    phase: str
    status: str
    results_posted: date | None
    enrollment: int | None


def like_pattern(text: str) -> str:
    """'%text%' in lower case with LIKE's own wildcards escaped (escape character: backslash)."""
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def phase_token(text: str) -> str:
    """'3' / 'Phase 3' / 'PHASE3' -> 'PHASE3'; 'early 1' -> 'EARLY_PHASE1'; '' when no phase number."""
    digits = re.findall(r"\d", text)
    if not digits:
        return ""
    early = "early" in text.casefold()
    return f"{'EARLY_' if early else ''}PHASE{digits[0]}"


def status_token(text: str) -> str:
    return "_".join(re.findall(r"[A-Za-z0-9]+", text)).upper()


def _hits_sql() -> str:
    """(nct_id, drug) pairs whose intervention name, other name or MeSH term matches the text (3 params)."""
    s = SCHEMA
    return (
        f"SELECT i.nct_id, lower(i.name) AS drug FROM {s}.interventions i "
        "WHERE lower(i.name) LIKE %s ESCAPE '\\' "
        "UNION "
        f"SELECT i.nct_id, lower(i.name) AS drug FROM {s}.intervention_other_names o "
        f"JOIN {s}.interventions i ON i.id = o.intervention_id "
        "WHERE lower(o.name) LIKE %s ESCAPE '\\' "
        "UNION "
        f"SELECT b.nct_id, b.downcase_mesh_term AS drug FROM {s}.browse_interventions b "
        "WHERE b.downcase_mesh_term LIKE %s ESCAPE '\\' AND b.mesh_type = 'mesh-list'"
    )


def _hits(prepared: bool) -> tuple[str, int]:
    """The hits query and how many times it takes the pattern."""
    if prepared:
        return f"SELECT DISTINCT nct_id, drug FROM {SEARCH_TERMS} WHERE term LIKE %s ESCAPE '\\'", 1
    return _hits_sql(), 3


def _filters(q: SearchQuery) -> tuple[str, list[object]]:
    s = SCHEMA
    sql: list[str] = []
    params: list[object] = []
    if q.condition.strip():
        pattern = like_pattern(q.condition)
        sql.append(
            f"s.nct_id IN (SELECT nct_id FROM {s}.browse_conditions WHERE downcase_mesh_term LIKE %s ESCAPE '\\' "
            f"UNION SELECT nct_id FROM {s}.conditions WHERE downcase_name LIKE %s ESCAPE '\\')"
        )
        params += [pattern, pattern]
    if phase := phase_token(q.phase):
        sql.append("upper(s.phase) LIKE %s ESCAPE '\\'")
        params.append(like_pattern(phase).upper())
    if status := status_token(q.status):
        sql.append("upper(replace(s.overall_status, ' ', '_')) = %s")
        params.append(status)
    if q.has_results is True:
        sql.append("s.results_first_posted_date IS NOT NULL")
    elif q.has_results is False:
        sql.append("s.results_first_posted_date IS NULL")
    if q.placebo_controlled:
        sql.append(
            f"s.nct_id IN (SELECT nct_id FROM {s}.design_groups "
            "WHERE upper(replace(group_type, ' ', '_')) = 'PLACEBO_COMPARATOR')"
        )
    return "".join(f" AND {part}" for part in sql), params


def drugs_sql(q: SearchQuery, prepared: bool = False) -> tuple[str, list[object]]:
    """Drug names matching the text, each with its count of matching studies, most studied first;
    ``prepared``: from the local copy's :data:`SEARCH_TERMS` (same rows, one scan)."""
    pattern = like_pattern(q.text)
    hits, times = _hits(prepared)
    where, params = _filters(q)
    # the UNION already made (study, drug) pairs distinct; the studies table is joined only to filter
    studies = f" JOIN {SCHEMA}.studies s ON s.nct_id = h.nct_id" if where else ""
    sql = (
        f"WITH hits AS ({hits}) "
        "SELECT h.drug, count(*) AS studies "
        f"FROM hits h{studies} "
        f"WHERE h.drug IS NOT NULL{where} "
        "GROUP BY h.drug ORDER BY studies DESC, h.drug LIMIT %s"
    )
    return sql, [*([pattern] * times), *params, limit_of(q)]


def _studies_where(q: SearchQuery, prepared: bool) -> tuple[str, list[object]]:
    """The WHERE clause of the studies matching every filter (and the drug text when given)."""
    where, params = _filters(q)
    drug = ""
    drug_params: list[object] = []
    if q.text.strip():
        hits, times = _hits(prepared)
        drug = f" AND s.nct_id IN (SELECT nct_id FROM ({hits}) hits)"
        drug_params = [like_pattern(q.text)] * times
    return f"WHERE s.nct_id IS NOT NULL{drug}{where}", [*drug_params, *params]


def studies_sql(q: SearchQuery, prepared: bool = False) -> tuple[str, list[object]]:
    """Studies matching every filter (and the drug text when given), newest NCT numbers first."""
    where, params = _studies_where(q, prepared)
    sql = (
        "SELECT s.nct_id, s.brief_title, s.phase, s.overall_status, s.results_first_posted_date, s.enrollment "
        f"FROM {SCHEMA}.studies s {where} ORDER BY s.nct_id DESC LIMIT %s"
    )
    return sql, [*params, limit_of(q)]


def count_sql(q: SearchQuery, prepared: bool = False) -> tuple[str, list[object]]:
    """How many studies ``studies_sql`` would list without its limit."""
    where, params = _studies_where(q, prepared)
    return f"SELECT count(*) FROM {SCHEMA}.studies s {where}", params


def limit_of(q: SearchQuery) -> int:
    return max(1, min(MAX_LIMIT, q.limit))
